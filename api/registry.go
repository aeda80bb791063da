package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/api/features"
	"sitematch/api/layers"
	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
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
// anonymous callers read and match. A reader key writes nothing; a region
// editor writes only sites located in its région, checked on the site as
// stored and on the site as written (so moving a site out of the région
// is refused), where a site's région must be that of its commune and that
// of the commune nearest its location (Reference.RegionAt), so a commune
// code a caller sends cannot carry a site into another région; an admin
// writes anything. The key's name is recorded in the history.
//
// Concurrency: writes carry the ETag read ("If-Match"), which the store
// compares with the site's version: stale is 412, missing 428. The server
// runs one write at a time (writer.mu): it reads the site as stored,
// checks the rights and the precondition against it, and writes with that
// version pinned, so the rights checked are those of the version replaced.
// The write is durable when the store returns; the engine then catches up
// (catchUp) before the answer goes out. Catching up costs a copy of the
// candidates (WithSites, tens of milliseconds), so writes that commit
// while a swap is being built are applied together by the next one: the
// engine follows the registry in commit order, a prefix of the commits at
// a time.

// Registry is the site registry a server writes to: a store.Store that
// also exposes the reference it validates sites with (communes and
// régions). *store.SQLite and *postgis.Store implement it.
type Registry interface {
	store.Store
	Reference() *store.Reference
}

var _ Registry = (*store.SQLite)(nil)

// writer serialises the registry's writes and keeps the engine in step.
type writer struct {
	mu      sync.Mutex // held across a write's read-check-write cycle
	seq     uint64     // writes committed (under mu)
	pending []string   // ids written since the engine last caught up, in commit order (under mu)

	swap    sync.Mutex // one engine swap at a time
	applied uint64     // writes the current engine reflects (under swap)

	// inSwap are the ids of the swap in progress, which read them after
	// the revision numbered inSwapSeq (under mu): Follow skips their
	// changes up to that number, as it skips those of pending ids, which
	// the next swap reads.
	inSwap    []string
	inSwapSeq int64

	// reflected maps a site id to the registry's history sequence number
	// read before the engine last read that site: every change to it up
	// to that number is in the engine, so Follow skips them (the server's
	// own writes, mostly). Follow prunes it as it advances.
	rmu       sync.Mutex
	reflected map[string]int64
}

// writeTimeout bounds a write's cycle once it has started: it runs to its
// end even when the client goes away, so that an acknowledged (or merely
// committed) write always reaches the engine.
const writeTimeout = time.Minute

// write runs op, a read-check-write cycle on the registry returning the id
// it wrote, as the one writer; then it brings the engine up to date with
// that write before returning.
func (s *Server) write(ctx context.Context, op func(ctx context.Context) (string, error)) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	s.w.mu.Lock()
	id, err := op(ctx)
	if err != nil {
		s.w.mu.Unlock()
		return err
	}
	s.w.seq++
	n := s.w.seq
	s.w.pending = append(s.w.pending, id)
	s.w.mu.Unlock()
	if err := s.catchUp(ctx, n); err != nil {
		return fmt.Errorf("%w: %w", ErrCommittedNotApplied, err)
	}
	return nil
}

// ErrCommittedNotApplied is a write the registry committed but the server
// could not bring into its engine (the registry became unreachable between
// the two): HTTP 503 saying so. The site stays pending: the next swap, or
// Follow once the registry is back, applies it.
var ErrCommittedNotApplied = errors.New("api: the write is committed, but this server could not apply it to its answers yet")

// catchUp makes the engine reflect at least the first n writes: unless a
// swap already did, it takes every pending write, reads those sites from
// the registry (holding writer.mu, so the reads and the revision describe
// one state), derives the next engine and collections, and swaps them in.
func (s *Server) catchUp(ctx context.Context, n uint64) error {
	s.w.swap.Lock()
	defer s.w.swap.Unlock()
	if s.w.applied >= n {
		return nil
	}
	eng := s.engine()
	s.w.mu.Lock()
	ids, target := s.w.pending, s.w.seq
	s.w.pending = nil
	recs, ups, dels, rev, err := s.changes(ctx, eng, ids)
	if err != nil {
		s.w.pending = append(ids, s.w.pending...)
		s.w.mu.Unlock()
		return err
	}
	s.w.inSwap, s.w.inSwapSeq = ids, revisionSeq(rev)
	s.w.mu.Unlock()
	defer func() {
		s.w.mu.Lock()
		s.w.inSwap = nil
		s.w.mu.Unlock()
	}()

	start := time.Now()
	next, err := eng.WithSites(ups, dels, store.DataVersion(s.snapshotVersion(), rev))
	var colls *features.Set
	if err == nil {
		colls = layers.Update(s.colls.Load(), next.Catalogue(), ids, recs)
	} else {
		// Validated sites cannot cause this; rebuild rather than serve a
		// stale engine.
		s.log.Error("updating the engine incrementally failed; rebuilding it", "error", err.Error())
		var all []store.Site
		if next, all, err = s.rebuild(ctx); err != nil {
			s.w.mu.Lock()
			s.w.pending = append(ids, s.w.pending...)
			s.w.inSwap = nil
			s.w.mu.Unlock()
			return err
		}
		colls = layers.Build(next.Catalogue(), all)
	}
	s.colls.Store(colls)
	s.eng.Store(next)
	s.w.applied = target
	s.noteReflected(ids, rev)
	s.log.Debug("engine updated", "writes", len(ids), "upserts", len(ups), "deletes", len(dels),
		"data_version", next.Catalogue().Version, "ms", time.Since(start).Milliseconds())
	return nil
}

// changes reads what the engine must apply for the written ids: the
// registry's revision, then each site as it now stands, or its deletion
// (only of sites the engine holds: a site created and deleted between two
// swaps never reaches it); and, for the OGC collections, the registry's
// record of each id (nil for none). The revision is read first, so that
// every change it counts to these sites is in what is read (a write from
// another replica may commit in between: the engine then holds it before
// its revision says so, and Follow brings the revision up).
func (s *Server) changes(ctx context.Context, eng *matching.Engine, ids []string) (recs map[string]*store.Site, ups []data.Site, dels []string,
	rev string, err error) {
	if rev, err = s.reg.Revision(ctx); err != nil {
		return nil, nil, nil, "", err
	}
	recs = map[string]*store.Site{}
	for _, id := range ids {
		if _, seen := recs[id]; seen {
			continue
		}
		r, u, d, err := store.EngineChange(ctx, s.reg, id)
		if err != nil {
			return nil, nil, nil, "", err
		}
		recs[id] = r
		ups = append(ups, u...)
		for _, id := range d {
			if _, ok := eng.Candidate(id); ok {
				dels = append(dels, id)
			}
		}
	}
	return recs, ups, dels, rev, nil
}

// revisionSeq returns the history sequence number of a revision
// ("<registry id>:<seq>"), or 0 (Follow then skips nothing on its account).
func revisionSeq(rev string) int64 {
	i := strings.LastIndexByte(rev, ':')
	seq, err := strconv.ParseInt(rev[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return seq
}

// noteReflected records that the engine reflects every change to ids up
// to the revision's sequence number.
func (s *Server) noteReflected(ids []string, rev string) {
	seq := revisionSeq(rev)
	if seq == 0 {
		return
	}
	s.w.rmu.Lock()
	defer s.w.rmu.Unlock()
	if s.w.reflected == nil {
		s.w.reflected = map[string]int64{}
	}
	for _, id := range ids {
		s.w.reflected[id] = max(s.w.reflected[id], seq)
	}
}

// snapshotVersion is the data version of the snapshot under the registry.
func (s *Server) snapshotVersion() string { return s.reg.Reference().Catalogue().Version }

// rebuild builds the engine from scratch: the snapshot with the registry
// applied; it also returns the registry's records.
func (s *Server) rebuild(ctx context.Context) (*matching.Engine, []store.Site, error) {
	cat, recs, err := store.OverlayRecords(ctx, s.reg, s.reg.Reference().Catalogue())
	if err != nil {
		return nil, nil, err
	}
	eng, err := matching.NewEngine(cat)
	return eng, recs, err
}

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
type ForbiddenError struct {
	Field  string
	Detail string
}

func (e *ForbiddenError) Error() string { return "api: " + e.Detail }

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

// mayWrite checks that p may write site, as stored ("the site") or as
// written ("the new location"): the région of its commune and that of its
// location must both be p's (any, for an admin).
func (s *Server) mayWrite(p store.Principal, site *store.Site, what string) error {
	if p.Role == store.RoleAdmin {
		return nil
	}
	ref := s.reg.Reference()
	name := func(code string) string {
		if n, ok := ref.RegionName(code); ok {
			return fmt.Sprintf("région %s (%s)", code, n)
		}
		return "no known région"
	}
	byCommune, byLocation := ref.Region(site), ref.RegionAt(site.Point)
	for _, r := range []string{byCommune, byLocation} {
		if p.MayWrite(r) {
			continue
		}
		where := name(r)
		if byCommune != byLocation {
			where = fmt.Sprintf("%s by its commune %s and %s by its location", name(byCommune), site.Commune, name(byLocation))
		}
		return &ForbiddenError{Field: "geometry", Detail: fmt.Sprintf("the key %q is a region editor of %s: it may not write %s %s, which lies in %s",
			p.Name, name(p.Region), what, site.ID, where)}
	}
	return nil
}

// precondition checks an If-Match header against the site as stored and
// returns the ETag to write with: the site's own, so that the write
// replaces exactly the version whose rights were checked. No header is
// store.ErrPreconditionRequired (428), a stale one store.ErrConflict (412).
func precondition(ifMatch string, cur *store.Site) (string, error) {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		return "", fmt.Errorf("%w: send If-Match with the ETag of GET /v1/sites/%s (%s now), or If-Match: * to overwrite whatever is there",
			store.ErrPreconditionRequired, cur.ID, cur.ETag())
	}
	if !etagMatches(ifMatch, cur.ETag()) {
		return "", fmt.Errorf("%w: %s is at %s, not %s; read it again and reapply the change", store.ErrConflict, cur.ID, cur.ETag(), ifMatch)
	}
	return cur.ETag(), nil
}

// etagMatches reports whether a list of entity tags (If-Match,
// If-None-Match) holds "*" or etag, weak tags compared by their value.
func etagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || `"`+t+`"` == etag {
			return true
		}
	}
	return false
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
	// The rights follow the location: validate a copy as the store will,
	// which derives the commune when none is given.
	probe := site
	if err := s.reg.Reference().Prepare(&probe, time.Now()); err != nil {
		return err
	}
	if err := s.mayWrite(p, &probe, "the site"); err != nil {
		return err
	}
	var out store.Site
	err = s.write(c.Request().Context(), func(ctx context.Context) (string, error) {
		out, err = s.reg.Create(ctx, p.Name, site)
		return out.ID, err
	})
	if err != nil {
		return err
	}
	return s.writeFeature(c, http.StatusCreated, &out)
}

// stored returns the site as stored (or the snapshot's brownfield) and
// checks that p may write it and that the If-Match header is current. It
// runs as the writer.
func (s *Server) stored(ctx context.Context, c echo.Context, p store.Principal, id string) (store.Site, string, error) {
	cur, err := s.reg.Get(ctx, id)
	if err != nil {
		return store.Site{}, "", err
	}
	if err := s.mayWrite(p, &cur, "the site"); err != nil {
		return store.Site{}, "", err
	}
	tag, err := precondition(c.Request().Header.Get("If-Match"), &cur)
	return cur, tag, err
}

// checkNext validates the site as it will be written and checks that p may
// write it there.
func (s *Server) checkNext(p store.Principal, cur *store.Site, next store.Site) error {
	if next.Kind != cur.Kind {
		var ve store.ValidationError
		ve.Add("properties.kind", "cannot change from %s to %s: delete the site and create it anew", cur.Kind, next.Kind)
		return &ve
	}
	next.ID = cur.ID
	if err := s.reg.Reference().Prepare(&next, time.Now()); err != nil {
		return err
	}
	return s.mayWrite(p, &next, "the site at its new location")
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
	id := pathParam(c, "id")
	if site.ID != "" && site.ID != id {
		var ve store.ValidationError
		ve.Add("id", "is %q but the site written is %q", site.ID, id)
		return &ve
	}
	// Validate the site, its geometry above all, before taking the lock
	// every write waits on; under it, only what depends on the site as
	// stored is checked.
	probe := site
	probe.ID = "" // its kind is checked against the stored one under the lock
	if err := s.reg.Reference().Prepare(&probe, time.Now()); err != nil {
		return err
	}
	var out store.Site
	err = s.write(c.Request().Context(), func(ctx context.Context) (string, error) {
		cur, tag, err := s.stored(ctx, c, p, id)
		if err != nil {
			return "", err
		}
		if err := s.checkNext(p, &cur, site); err != nil {
			return "", err
		}
		out, err = s.reg.Update(ctx, p.Name, id, tag, site)
		return id, err
	})
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
	// A new geometry is validated before taking the lock every write waits on.
	if slices.Contains(patch.Fields, "geometry") {
		if err := s.reg.Reference().ValidateGeometry(patch.Values.Point, patch.Values.Outline); err != nil {
			return err
		}
	}
	var out store.Site
	err = s.write(c.Request().Context(), func(ctx context.Context) (string, error) {
		cur, tag, err := s.stored(ctx, c, p, id)
		if err != nil {
			return "", err
		}
		if err := s.checkNext(p, &cur, applyPatch(cur, patch)); err != nil {
			return "", err
		}
		out, err = s.reg.Patch(ctx, p.Name, id, tag, patch)
		return id, err
	})
	if err != nil {
		return err
	}
	return s.writeFeature(c, http.StatusOK, &out)
}

// applyPatch returns cur with the patch applied, as the store applies it.
func applyPatch(cur store.Site, p store.Patch) store.Site {
	next := cur
	values := p.Values.Properties()
	for _, f := range p.Fields {
		if f == "geometry" {
			next.Point, next.Outline = p.Values.Point, p.Values.Outline
			continue
		}
		_ = next.SetProperty(f, values[f]) // DecodeSitePatch checked the names and values
	}
	return next
}

// deleteSite answers DELETE /v1/sites/{id}.
func (s *Server) deleteSite(c echo.Context) error {
	p, err := s.authorize(c)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	err = s.write(c.Request().Context(), func(ctx context.Context) (string, error) {
		_, tag, err := s.stored(ctx, c, p, id)
		if err != nil {
			return "", err
		}
		return id, s.reg.Delete(ctx, p.Name, id, tag)
	})
	if err != nil {
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
	out := NewSiteResponse(eng, cand)
	if cand.Site.Kind != data.KindTown {
		rec, err := s.reg.Get(c.Request().Context(), id)
		switch {
		case err == nil:
			out.Registry = rec.Feature()
			c.Response().Header().Set("ETag", rec.ETag())
			if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, rec.ETag()) {
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
	return writeJSON(c, http.StatusOK, mimeJSON, NewHistoryResponse(id, changes))
}

// ChangeJSON is one entry of a site's history.
type ChangeJSON struct {
	Seq     int64           `json:"seq"`
	Version int64           `json:"version"`
	At      string          `json:"at"`
	Who     string          `json:"who"`
	Verb    string          `json:"verb"`
	Changed []string        `json:"changed"`
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
}

// HistoryResponse is the answer of GET /v1/sites/{id}/history: every
// change, oldest first.
type HistoryResponse struct {
	ID      string       `json:"id"`
	Changes []ChangeJSON `json:"changes"`
}

// NewHistoryResponse converts a site's history for the wire.
func NewHistoryResponse(id string, changes []store.Change) HistoryResponse {
	out := HistoryResponse{ID: id, Changes: make([]ChangeJSON, len(changes))}
	for i, ch := range changes {
		out.Changes[i] = ChangeJSON{Seq: ch.Seq, Version: ch.Version, At: ch.At.UTC().Format("2006-01-02T15:04:05.000Z"),
			Who: ch.Who, Verb: ch.Verb, Changed: nonNil(ch.Changed), Before: ch.Before, After: ch.After}
	}
	return out
}

// Members of a site Feature in a request body; bbox and links, which
// responses may carry, are accepted and ignored.
var featureMembers = []string{"type", "id", "geometry", "properties", "bbox", "links"}

// DecodeSiteFeature reads the body of POST /v1/sites and PUT
// /v1/sites/{id}: a GeoJSON Feature whose geometry is a Point, Polygon or
// MultiPolygon in WGS84 and whose properties are the registry's fields
// (store.Fields; bookkeeping ones such as version are ignored). A body
// that is not JSON wraps ErrMalformed; anything else wrong is a
// *store.ValidationError naming every field.
func DecodeSiteFeature(body []byte) (store.Site, error) {
	f, ve, err := decodeFeature(body, false)
	if err != nil {
		return store.Site{}, err
	}
	site, _, serr := store.SiteFromFeature(f)
	mergeErr(ve, serr)
	return site, ve.Err()
}

// DecodeSitePatch reads the body of PATCH /v1/sites/{id}: a JSON merge
// patch (RFC 7396) of the site's Feature. Each member of properties sets
// that property, null clearing it; geometry replaces the geometry; type
// and id may be given and must then be "Feature" and the site's id.
func DecodeSitePatch(body []byte, id string) (store.Patch, error) {
	f, ve, err := decodeFeature(body, true)
	if err != nil {
		return store.Patch{}, err
	}
	if fid, ok := f.ID.(string); ok && fid != id {
		ve.Add("id", "is %q but the site patched is %q", fid, id)
	}
	site, present, serr := store.SiteFromFeature(f)
	mergeErr(ve, serr)
	return store.Patch{Fields: present, Values: site}, ve.Err()
}

func mergeErr(ve *store.ValidationError, err error) {
	var se *store.ValidationError
	if errors.As(err, &se) {
		ve.Fields = append(ve.Fields, se.Fields...)
	} else if err != nil {
		ve.Add("body", "%s", err.Error())
	}
}

// decodeFeature reads a Feature's members; in a patch every member is
// optional, but a geometry or properties given must not be null.
func decodeFeature(body []byte, patch bool) (*geojson.Feature, *store.ValidationError, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	ve := &store.ValidationError{}
	m, ok := v.(map[string]any)
	if !ok {
		ve.Add("body", "must be a GeoJSON Feature (an object), got %s", jsonType(v))
		return nil, ve, ve
	}
	f := geojson.NewFeature(nil)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x := m[k]
		switch k {
		case "type":
			if x != "Feature" {
				ve.Add("type", "must be \"Feature\"")
			}
		case "id":
			if n, isNum := x.(json.Number); isNum {
				ve.Add("id", "must be a string, got the number %s", n)
				continue
			}
			f.ID = x
		case "geometry":
			if x == nil {
				ve.Add("geometry", "must be a GeoJSON Point, Polygon or MultiPolygon, not null")
				continue
			}
			f.Geometry = decodeGeometry(x, ve)
		case "properties":
			props, isObj := x.(map[string]any)
			if !isObj {
				ve.Add("properties", "must be an object, got %s", jsonType(x))
				continue
			}
			f.Properties = props
		default:
			if !slices.Contains(featureMembers, k) {
				ve.Add(k, "unknown member of a site Feature (known: type, id, geometry, properties)")
			}
		}
	}
	if !patch {
		for _, k := range []string{"type", "geometry", "properties"} {
			if _, ok := m[k]; !ok {
				ve.Add(k, "is required")
			}
		}
	}
	if f.Properties == nil {
		f.Properties = geojson.Properties{}
	}
	return f, ve, nil
}

// decodeGeometry reads a GeoJSON geometry from its decoded JSON value.
func decodeGeometry(x any, ve *store.ValidationError) orb.Geometry {
	b, err := json.Marshal(x)
	if err != nil {
		ve.Add("geometry", "is not a GeoJSON geometry")
		return nil
	}
	g, err := geojson.UnmarshalGeometry(b)
	if err != nil || g.Geometry() == nil {
		ve.Add("geometry", "must be a GeoJSON Point, Polygon or MultiPolygon with [longitude, latitude] positions")
		return nil
	}
	return g.Geometry()
}
