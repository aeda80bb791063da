package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sitematch/api/live"
	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/data/store"
)

// The site registry over HTTP (issue 5)
//
//	POST   /v1/sites               create a site (a GeoJSON Feature): 201, Location, ETag
//	GET    /v1/sites/{id}          the site, its precomputed features and its registry record; ETag, If-None-Match
//	PUT    /v1/sites/{id}          replace the site (If-Match required)
//	PATCH  /v1/sites/{id}          merge-patch its properties and geometry (If-Match required)
//	DELETE /v1/sites/{id}          delete it (If-Match required): 204
//	GET    /v1/sites/{id}/history  every change: who, when, what, before and after
//
// Rights: a write needs "Authorization: Bearer <key>" (store.Authenticate);
// anonymous callers read and match, a reader key writes nothing. What a
// region editor may write, the preconditions (If-Match), the one writer
// at a time and the engine's catching up after each write: package live
// (live.Holder), which every write goes through.

// Registry is the site registry a server writes to (live.Registry).
// *store.SQLite and *postgis.Store implement it.
type Registry = live.Registry

// ErrCommittedNotApplied is a write the registry committed but the server
// could not bring into its engine (the registry became unreachable between
// the two): HTTP 503 saying so (see live.ErrCommittedNotApplied).
var ErrCommittedNotApplied = live.ErrCommittedNotApplied

// AuthError is a write without a valid API key: HTTP 401 with a
// WWW-Authenticate challenge (RFC 6750). It wraps store.ErrUnauthorized.
type AuthError struct {
	// Code is the RFC 6750 error code: "" when no key was sent,
	// "invalid_request" for a malformed Authorization header,
	// "invalid_token" for an unknown or revoked key.
	Code   string
	Detail string
}

func (e *AuthError) Error() string { return "api: " + e.Detail }
func (e *AuthError) Unwrap() error { return store.ErrUnauthorized }

// ForbiddenError is a write the key may not make (HTTP 403): Field names
// what decides ("Authorization" for the key's role, "geometry" for the
// site's location), Detail why.
type ForbiddenError = live.ForbiddenError

// authorize returns the principal of a write's bearer key: 401 without a
// valid key, 403 for a key whose role writes nothing.
func (s *Server) authorize(c echo.Context) (store.Principal, error) {
	h := strings.TrimSpace(c.Request().Header.Get(echo.HeaderAuthorization))
	if h == "" {
		return store.Principal{}, &AuthError{Detail: "writing to the registry needs an API key: send Authorization: Bearer <key> " +
			"(keys are created with sitematch keys create)"}
	}
	scheme, key, _ := strings.Cut(h, " ")
	key = strings.TrimSpace(key)
	if !strings.EqualFold(scheme, "Bearer") || key == "" {
		return store.Principal{}, &AuthError{Code: "invalid_request", Detail: "the Authorization header must be \"Bearer <key>\""}
	}
	p, err := s.reg.Authenticate(c.Request().Context(), key)
	if errors.Is(err, store.ErrUnauthorized) {
		return store.Principal{}, &AuthError{Code: "invalid_token", Detail: "the API key is unknown or revoked"}
	}
	if err != nil {
		return store.Principal{}, err
	}
	if p.Role != store.RoleAdmin && p.Role != store.RoleRegionEditor {
		return store.Principal{}, &ForbiddenError{Field: "Authorization",
			Detail: fmt.Sprintf("the key %q has the role %s, which reads and matches but writes no site", p.Name, p.Role)}
	}
	if err := s.writes.allow(p.Name, time.Now()); err != nil {
		return store.Principal{}, err
	}
	return p, nil
}

// siteURL is the URL of a site's resource.
func (s *Server) siteURL(c echo.Context, id string) string {
	return s.baseURL(c) + "/v1/sites/" + url.PathEscape(id)
}

// writeFeature answers a write with the site as stored: its Feature, its
// ETag and, for a creation, its Location.
func (s *Server) writeFeature(c echo.Context, status int, site *store.Site) error {
	h := c.Response().Header()
	h.Set("ETag", site.ETag())
	if status == http.StatusCreated {
		h.Set(echo.HeaderLocation, s.siteURL(c, site.ID))
	}
	return writeJSON(c, status, mimeGeoJSON, site.Feature())
}

// createSite answers POST /v1/sites.
func (s *Server) createSite(c echo.Context) error {
	p, err := s.authorize(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, s.cfg.MaxBody, mimeGeoJSON, mimeJSON)
	if err != nil {
		return err
	}
	site, err := DecodeSiteFeature(body)
	if err != nil {
		return err
	}
	out, err := s.live.Create(c.Request().Context(), p, site)
	if err != nil {
		return err
	}
	return s.writeFeature(c, http.StatusCreated, &out)
}

// updateSite answers PUT /v1/sites/{id}.
func (s *Server) updateSite(c echo.Context) error {
	p, err := s.authorize(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, s.cfg.MaxBody, mimeGeoJSON, mimeJSON)
	if err != nil {
		return err
	}
	site, err := DecodeSiteFeature(body)
	if err != nil {
		return err
	}
	out, err := s.live.Update(c.Request().Context(), p, pathParam(c, "id"), c.Request().Header.Get("If-Match"), site)
	if err != nil {
		return err
	}
	return s.writeFeature(c, http.StatusOK, &out)
}

// patchSite answers PATCH /v1/sites/{id}.
func (s *Server) patchSite(c echo.Context) error {
	p, err := s.authorize(c)
	if err != nil {
		return err
	}
	body, err := readBody(c, s.cfg.MaxBody, mimeMergePatch, mimeJSON)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	patch, err := DecodeSitePatch(body, id)
	if err != nil {
		return err
	}
	out, err := s.live.Patch(c.Request().Context(), p, id, c.Request().Header.Get("If-Match"), patch)
	if err != nil {
		return err
	}
	return s.writeFeature(c, http.StatusOK, &out)
}

// deleteSite answers DELETE /v1/sites/{id}.
func (s *Server) deleteSite(c echo.Context) error {
	p, err := s.authorize(c)
	if err != nil {
		return err
	}
	if err := s.live.Delete(c.Request().Context(), p, pathParam(c, "id"), c.Request().Header.Get("If-Match")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// site answers GET /v1/sites/{id}: the candidate and its precomputed
// features, as before the registry, plus its registry record ("registry",
// the Feature PUT and PATCH take) and its ETag for the registry's kinds.
// If-None-Match with the current ETag is answered 304.
func (s *Server) site(c echo.Context) error {
	id := pathParam(c, "id")
	eng := s.engine()
	cand, ok := eng.Candidate(id)
	if !ok {
		return &NotFoundError{Param: "id", What: "site", Value: id}
	}
	out := wire.NewSiteResponse(eng, cand)
	if cand.Site.Kind != data.KindTown {
		rec, err := s.reg.Get(c.Request().Context(), id)
		switch {
		case err == nil:
			out.Registry = rec.Feature()
			c.Response().Header().Set("ETag", rec.ETag())
			if inm := c.Request().Header.Get("If-None-Match"); inm != "" && live.ETagMatches(inm, rec.ETag()) {
				return c.NoContent(http.StatusNotModified)
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return writeJSON(c, http.StatusOK, mimeJSON, out)
}

// siteHistory answers GET /v1/sites/{id}/history.
func (s *Server) siteHistory(c echo.Context) error {
	id := pathParam(c, "id")
	changes, err := s.reg.History(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, wire.NewHistoryResponse(id, changes))
}
