package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"sitematch/api/features"
	"sitematch/api/wire"
	"sitematch/matching"
)

// match answers POST /v1/match. The answer is built and encoded inside
// the computation slot, so that a request's whole cost is bounded by the
// slots and its deadline.
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
	out, err := s.runMatch(c.Request().Context(), eng, c.RealIP(), requestID(c), "match", req, "")
	if err != nil {
		return err
	}
	err = writeBody(c, http.StatusOK, mimeJSON, out)
	s.bufs.put(out)
	return err
}

// runMatch runs one match in a computation slot, records its metrics and
// encodes the answer there too (wire.MatchResponse, the members in lead,
// each followed by a comma, first), with its newline, into a buffer of
// s.bufs.
func (s *Server) runMatch(ctx context.Context, eng *matching.Engine, client, reqID, op string, req MatchRequest,
	lead string) ([]byte, error) {
	var (
		out  []byte
		merr error
	)
	err := s.compute(ctx, client, reqID, func(ctx context.Context) {
		start := time.Now()
		res, err := eng.MatchContext(ctx, wire.CanonicalProject(req.Project, eng.Catalogue()), matching.Options{Limit: req.Limit,
			Robustness: req.Robustness, Seed: req.Seed, Draws: req.Draws, MaxPerCommune: req.MaxPerCommune})
		if err != nil {
			merr = err
			return
		}
		s.metrics.observeCompute(op, time.Since(start), res.Considered)
		if merr = ctx.Err(); merr != nil {
			return // nobody waits for the answer
		}
		b := append(append(s.bufs.get(), '{'), lead...)
		if b, merr = s.answers(eng).AppendMatchMembers(b, res); merr != nil {
			merr = fmt.Errorf("api: encoding the answer: %w", merr)
			return
		}
		out = append(b, '\n')
	})
	if err != nil {
		return nil, err
	}
	if merr != nil && ctx.Err() != nil {
		return nil, ctxError(ctx) // stopped by the deadline or the client
	}
	return out, merr
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
		out  []byte
		cerr error
	)
	err = s.compute(c.Request().Context(), c.RealIP(), requestID(c), func(context.Context) {
		start := time.Now()
		cmp, err := eng.Compare(wire.CanonicalProject(req.Project, eng.Catalogue()), req.SiteIDs)
		if err != nil {
			cerr = err
			return
		}
		s.metrics.observeCompute("compare", time.Since(start), len(cmp.Sites))
		if out, cerr = s.answers(eng).AppendCompare(nil, cmp); cerr != nil {
			cerr = fmt.Errorf("api: encoding the answer: %w", cerr)
		}
		out = append(out, '\n')
	})
	if err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	return writeBody(c, http.StatusOK, mimeJSON, out)
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
		out  []byte
		serr error
	)
	ctx := c.Request().Context()
	err = s.compute(ctx, c.RealIP(), requestID(c), func(ctx context.Context) {
		start := time.Now()
		sl, err := wire.ShortlistContext(ctx, eng, req)
		if err != nil {
			serr = err
			return
		}
		s.metrics.observeCompute("shortlist", time.Since(start), sl.Considered)
		if out, serr = s.answers(eng).AppendShortlist(nil, sl); serr != nil {
			serr = fmt.Errorf("api: encoding the answer: %w", serr)
		}
		out = append(out, '\n')
	})
	if err != nil {
		return err
	}
	if serr != nil && ctx.Err() != nil {
		return ctxError(ctx)
	}
	if serr != nil {
		return serr
	}
	return writeBody(c, http.StatusOK, mimeJSON, out)
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
	return writeJSON(c, http.StatusOK, mimeJSON, wire.NewProfilesResponse())
}

// meta answers GET /v1/meta.
func (s *Server) meta(c echo.Context) error {
	return writeJSON(c, http.StatusOK, mimeJSON, wire.NewMetaResponse(s.engine(), s.limits()))
}

func (s *Server) limits() wire.LimitsJSON {
	return wire.LimitsJSON{MaxBodyBytes: s.cfg.MaxBody, MaxBatchBodyBytes: s.cfg.MaxBatchBody, MaxLimit: matching.MaxLimit,
		MaxPartners: matching.MaxPartners, MaxDraws: matching.MaxDraws, MaxCompare: matching.MaxCompare,
		MaxItems: features.MaxItemsLimit, RequestTimeoutS: s.cfg.RequestTimeout.Seconds(), RateLimitPerS: s.cfg.RateLimit,
		MaxScoringWork: matching.MaxScoringWork, MaxRobustnessWork: matching.MaxRobustnessWork,
		MaxPartnerDetail: wire.MaxPartnerDetail, MaxDetailedResults: wire.MaxDetailedResults, MaxErrors: MaxErrors, MaxBadBatchLines: MaxBadBatchLines}
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
