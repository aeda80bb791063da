package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"sitematch/matching"
)

// match answers POST /v1/match.
func (s *Server) match(c echo.Context) error {
	body, err := readBody(c, s.cfg.MaxBody, mimeJSON)
	if err != nil {
		return err
	}
	eng := s.engine()
	req, err := DecodeMatchRequest(body)
	if err != nil {
		return s.withValues(eng, err, req.Project)
	}
	res, err := s.runMatch(c.Request().Context(), eng, requestID(c), "match", req)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, NewMatchResponse(res, eng.Catalogue()))
}

// runMatch runs one match in a computation slot and records its metrics.
func (s *Server) runMatch(ctx context.Context, eng *matching.Engine, reqID, op string, req MatchRequest) (*matching.Result, error) {
	var (
		res  *matching.Result
		merr error
	)
	err := s.compute(ctx, reqID, func() {
		start := time.Now()
		res, merr = eng.Match(CanonicalProject(req.Project, eng.Catalogue()), matching.Options{Limit: req.Limit, Robustness: req.Robustness,
			Seed: req.Seed, Draws: req.Draws, MaxPerCommune: req.MaxPerCommune})
		if merr == nil {
			s.metrics.observeCompute(op, time.Since(start), res.Considered)
		}
	})
	if err != nil {
		return nil, err
	}
	return res, merr
}

// compare answers POST /v1/compare.
func (s *Server) compare(c echo.Context) error {
	body, err := readBody(c, s.cfg.MaxBody, mimeJSON)
	if err != nil {
		return err
	}
	eng := s.engine()
	req, err := DecodeCompareRequest(body)
	if err != nil {
		return s.withValues(eng, err, req.Project)
	}
	var (
		cmp  *matching.Comparison
		cerr error
	)
	err = s.compute(c.Request().Context(), requestID(c), func() {
		start := time.Now()
		cmp, cerr = eng.Compare(CanonicalProject(req.Project, eng.Catalogue()), req.SiteIDs)
		if cerr == nil {
			s.metrics.observeCompute("compare", time.Since(start), len(cmp.Sites))
		}
	})
	if err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	return writeJSON(c, http.StatusOK, mimeJSON, NewCompareResponse(cmp, eng.Catalogue()))
}

// shortlist answers POST /v1/shortlist.
func (s *Server) shortlist(c echo.Context) error {
	body, err := readBody(c, s.cfg.MaxBody, mimeJSON)
	if err != nil {
		return err
	}
	req, err := DecodeShortlistRequest(body)
	eng := s.engine()
	if err != nil {
		// Name an unknown région along with the type errors.
		var ve *matching.ValidationError
		if errors.As(err, &ve) && req.Region != "" {
			if _, rerr := eng.Catalogue().RegionCode(req.Region); rerr != nil {
				ve.Add("region", "%s", rerr)
			}
		}
		return err
	}
	var (
		sl   *matching.Shortlist
		serr error
	)
	err = s.compute(c.Request().Context(), requestID(c), func() {
		start := time.Now()
		sl, serr = Shortlist(eng, req)
		if serr == nil {
			s.metrics.observeCompute("shortlist", time.Since(start), sl.Considered)
		}
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return serr
	}
	return writeJSON(c, http.StatusOK, mimeJSON, NewShortlistResponse(sl, eng.Catalogue()))
}

// withValues completes the type errors of a decoding with the value errors
// of the part of the project that did decode, so that a client hears about
// every bad field at once. A malformed body is returned as it is.
func (s *Server) withValues(eng *matching.Engine, err error, p matching.Project) error {
	if errors.Is(err, ErrMalformed) {
		return err
	}
	return ValidateDecoded(err, p, eng.Catalogue(), "project")
}

// profiles answers GET /v1/profiles.
func (s *Server) profiles(c echo.Context) error {
	return writeJSON(c, http.StatusOK, mimeJSON, NewProfilesResponse())
}

// meta answers GET /v1/meta.
func (s *Server) meta(c echo.Context) error {
	return writeJSON(c, http.StatusOK, mimeJSON, NewMetaResponse(s.engine(), s.limits()))
}

func (s *Server) limits() LimitsJSON {
	return LimitsJSON{MaxBodyBytes: s.cfg.MaxBody, MaxBatchBodyBytes: s.cfg.MaxBatchBody, MaxLimit: matching.MaxLimit,
		MaxPartners: matching.MaxPartners, MaxDraws: matching.MaxDraws, MaxCompare: matching.MaxCompare,
		MaxItems: maxItemsLimit, RequestTimeoutS: s.cfg.RequestTimeout.Seconds(), RateLimitPerS: s.cfg.RateLimit}
}

// pathParam returns a path parameter, unescaped: Echo matches on the raw
// path when the URL holds escapes, and then leaves them in the value.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if c.Request().URL.RawPath != "" {
		if u, err := url.PathUnescape(v); err == nil {
			return u
		}
	}
	return v
}
