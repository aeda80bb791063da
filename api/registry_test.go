package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/api/wire"
	"sitematch/data/store"
)

// Locations of the tests' sites: next to the reference points of Rouen
// (région 28, Normandie) and Lyon (région 84, Auvergne-Rhône-Alpes).
var (
	inNormandie = [2]float64{1.0922, 49.4418}
	inARA       = [2]float64{4.8439, 45.7552}
)

// registry is a server over a registry of its own, with one key per role.
type registry struct {
	t    *testing.T
	s    *Server
	st   *store.SQLite
	keys map[string]string // role label → key; "anonymous" → ""
}

func newRegistry(t *testing.T) *registry {
	t.Helper()
	s, st := newRegistryServer(t, Config{})
	r := &registry{t: t, s: s, st: st, keys: map[string]string{"anonymous": ""}}
	for _, k := range []struct{ name, role, region string }{
		{"admin", store.RoleAdmin, ""},
		{"normandie", store.RoleRegionEditor, "28"},
		{"ara", store.RoleRegionEditor, "84"},
		{"lecteur", store.RoleReader, ""},
	} {
		key, _, err := st.CreateKey(context.Background(), k.name, k.role, k.region)
		if err != nil {
			t.Fatal(err)
		}
		r.keys[k.name] = key
	}
	return r
}

// send makes a request as the key of who ("anonymous": none), with an
// If-Match header when ifMatch is not empty.
func (r *registry) send(who, method, path, ifMatch, ctype, body string) *httptest.ResponseRecorder {
	r.t.Helper()
	h := map[string]string{}
	if k := r.keys[who]; k != "" {
		h["Authorization"] = "Bearer " + k
	}
	if ifMatch != "" {
		h["If-Match"] = ifMatch
	}
	if ctype == "" && body != "" {
		ctype = mimeGeoJSON
	}
	return do(r.t, r.s.Handler(), request{method: method, path: path, body: body, ctype: ctype, header: h})
}

// siteBody is a site Feature at p with the given properties.
func siteBody(id, kind, name string, p [2]float64, props map[string]any) string {
	pr := map[string]any{"kind": kind, "name": name}
	for k, v := range props {
		pr[k] = v
	}
	f := map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Point", "coordinates": p}, "properties": pr}
	if id != "" {
		f["id"] = id
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// feature decodes a registry Feature answer.
type featureJSON struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   map[string]any `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// create makes a site as admin and returns its id.
func (r *registry) create(id, kind string, p [2]float64) string {
	r.t.Helper()
	rec := r.send("admin", http.MethodPost, "/v1/sites", "", "", siteBody(id, kind, "Site "+id, p, map[string]any{"area_ha": 12}))
	f := decodeAs[featureJSON](r.t, rec, http.StatusCreated)
	return f.ID
}

// history returns a site's history, straight from the store.
func (r *registry) history(id string) []store.Change {
	r.t.Helper()
	h, err := r.st.History(context.Background(), id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		r.t.Fatal(err)
	}
	return h
}

func (r *registry) checksum() string {
	r.t.Helper()
	sum, err := r.st.Checksum(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return sum
}

// TestRegistryCRUD creates, reads, replaces, patches and deletes a site
// through HTTP, with its ETags, and reads its history.
func TestRegistryCRUD(t *testing.T) {
	r := newRegistry(t)
	body := siteBody("zone:rouen-vallee", "zone", "ZA de la Vallée", inNormandie, map[string]any{
		"area_ha": 40, "available_ha": 12.5, "icpe": "autorisation", "rail_siding": true, "available_from": "01/09/2026",
		"contact": "AD Normandie", "note": "à supprimer"})
	rec := r.send("admin", http.MethodPost, "/v1/sites", "", "", body)
	f := decodeAs[featureJSON](t, rec, http.StatusCreated)
	if rec.Header().Get("ETag") != `"v1"` || !strings.HasSuffix(rec.Header().Get("Location"), "/v1/sites/zone:rouen-vallee") ||
		rec.Header().Get("Content-Type") != mimeGeoJSON {
		t.Errorf("create: headers %v", rec.Header())
	}
	p := f.Properties
	if f.Type != "Feature" || f.ID != "zone:rouen-vallee" || p["kind"] != "zone" || p["commune"] != "76540" || p["icpe"] != "authorisation" ||
		p["available_from"] != "2026-09-01" || p["version"] != 1.0 || p["created_by"] != "admin" || f.Geometry["type"] != "Point" {
		t.Errorf("created %+v", f)
	}

	// Read: the precomputed features, the registry record, the ETag.
	rec = r.send("anonymous", http.MethodGet, "/v1/sites/zone:rouen-vallee", "", "", "")
	got := decodeAs[struct {
		Site     wire.SiteJSON `json:"site"`
		Registry featureJSON   `json:"registry"`
	}](t, rec, http.StatusOK)
	if rec.Header().Get("ETag") != `"v1"` || got.Site.Region != "28" || got.Site.Departement != "76" || got.Registry.ID != "zone:rouen-vallee" ||
		got.Registry.Properties["contact"] != "AD Normandie" || got.Site.AreaHa == nil || *got.Site.AreaHa != 12.5 {
		t.Errorf("read: ETag %q, %+v", rec.Header().Get("ETag"), got)
	}
	for _, inm := range []string{`"v1"`, `W/"v1"`, `"v0", "v1"`, "*"} {
		rec = do(t, r.s.Handler(), request{method: http.MethodGet, path: "/v1/sites/zone:rouen-vallee", header: map[string]string{"If-None-Match": inm}})
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != `"v1"` {
			t.Errorf("If-None-Match %s: %d %q", inm, rec.Code, rec.Body.String())
		}
	}
	rec = do(t, r.s.Handler(), request{method: http.MethodGet, path: "/v1/sites/zone:rouen-vallee", header: map[string]string{"If-None-Match": `"v7"`}})
	if rec.Code != http.StatusOK {
		t.Errorf("If-None-Match of another version: %d", rec.Code)
	}
	// The registry record read is a body PUT takes as it is (its
	// bookkeeping properties ignored): nothing changes, no new version.
	var raw struct {
		Registry json.RawMessage `json:"registry"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &raw)
	rec = r.send("admin", http.MethodPut, "/v1/sites/zone:rouen-vallee", `"v1"`, "", string(raw.Registry))
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"v1"` || len(r.history("zone:rouen-vallee")) != 1 {
		t.Errorf("PUT of the record read: %d %q %s", rec.Code, rec.Header().Get("ETag"), rec.Body.String())
	}

	// Replace: every property, absent ones cleared.
	rec = r.send("admin", http.MethodPut, "/v1/sites/zone:rouen-vallee", `"v1"`, "",
		siteBody("zone:rouen-vallee", "zone", "ZA de la Vallée (extension)", inNormandie, map[string]any{"area_ha": 55}))
	f = decodeAs[featureJSON](t, rec, http.StatusOK)
	if rec.Header().Get("ETag") != `"v2"` || f.Properties["name"] != "ZA de la Vallée (extension)" || f.Properties["area_ha"] != 55.0 ||
		f.Properties["contact"] != nil || f.Properties["version"] != 2.0 {
		t.Errorf("replace: %q %+v", rec.Header().Get("ETag"), f.Properties)
	}

	// Merge patch: set one property, clear another, leave the rest.
	r.send("admin", http.MethodPatch, "/v1/sites/zone:rouen-vallee", `"v2"`, mimeMergePatch, `{"properties": {"note": "Embranchement fer", "zoning": "UX"}}`)
	rec = r.send("admin", http.MethodPatch, "/v1/sites/zone:rouen-vallee", `"v3"`, mimeMergePatch, `{"properties": {"available_ha": 3, "note": null}}`)
	f = decodeAs[featureJSON](t, rec, http.StatusOK)
	if rec.Header().Get("ETag") != `"v4"` || f.Properties["available_ha"] != 3.0 || f.Properties["note"] != nil || f.Properties["zoning"] != "UX" ||
		f.Properties["name"] != "ZA de la Vallée (extension)" {
		t.Errorf("patch: %q %+v", rec.Header().Get("ETag"), f.Properties)
	}
	// application/json is accepted for a patch too.
	rec = r.send("admin", http.MethodPatch, "/v1/sites/zone:rouen-vallee", `"v4"`, mimeJSON, `{"properties": {"power_mw": 12}}`)
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"v5"` {
		t.Errorf("patch as application/json: %d %s", rec.Code, rec.Body.String())
	}

	// Optimistic concurrency: stale is 412, missing is 428, nothing changes.
	before := r.checksum()
	for _, c := range []struct {
		method, ifMatch, ctype, body string
		status                       int
		ptype                        string
	}{
		{http.MethodPut, `"v1"`, "", siteBody("", "zone", "Écrasé", inNormandie, nil), http.StatusPreconditionFailed, "precondition-failed"},
		{http.MethodPatch, `"v4"`, mimeMergePatch, `{"properties": {"name": "Écrasé"}}`, http.StatusPreconditionFailed, "precondition-failed"},
		{http.MethodDelete, `W/"v2", "v3"`, "", "", http.StatusPreconditionFailed, "precondition-failed"},
		{http.MethodPut, "", "", siteBody("", "zone", "Écrasé", inNormandie, nil), http.StatusPreconditionRequired, "precondition-required"},
		{http.MethodPatch, "", mimeMergePatch, `{"properties": {"name": "Écrasé"}}`, http.StatusPreconditionRequired, "precondition-required"},
		{http.MethodDelete, "", "", "", http.StatusPreconditionRequired, "precondition-required"},
	} {
		rec := r.send("admin", c.method, "/v1/sites/zone:rouen-vallee", c.ifMatch, c.ctype, c.body)
		pb := decodeAs[Problem](t, rec, c.status)
		if pb.Type != "/problems/"+c.ptype || rec.Header().Get("Content-Type") != mimeProblem || len(pb.Errors) != 1 || pb.Errors[0].Field != "If-Match" {
			t.Errorf("%s If-Match %q: %+v", c.method, c.ifMatch, pb)
		}
	}
	if r.checksum() != before {
		t.Error("a refused write changed the registry")
	}

	rec = r.send("admin", http.MethodDelete, "/v1/sites/zone:rouen-vallee", `"v5"`, "", "")
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body.String())
	}
	if rec := r.send("anonymous", http.MethodGet, "/v1/sites/zone:rouen-vallee", "", "", ""); rec.Code != http.StatusNotFound {
		t.Errorf("deleted site: %d", rec.Code)
	}

	// History: who, when, what, before and after.
	rec = r.send("anonymous", http.MethodGet, "/v1/sites/zone:rouen-vallee/history", "", "", "")
	h := decodeAs[wire.HistoryResponse](t, rec, http.StatusOK)
	verbs := []string{}
	for i, c := range h.Changes {
		verbs = append(verbs, c.Verb)
		if c.Who != "admin" || c.Version != int64(i+1) || c.At == "" {
			t.Errorf("change %d: %+v", i, c)
		}
	}
	if !slices.Equal(verbs, []string{"create", "update", "patch", "patch", "patch", "delete"}) {
		t.Errorf("verbs %v", verbs)
	}
	if string(h.Changes[0].Before) != "null" || string(h.Changes[5].After) != "null" {
		t.Errorf("create before %s, delete after %s", h.Changes[0].Before, h.Changes[5].After)
	}
	var b, a featureJSON
	_ = json.Unmarshal(h.Changes[3].Before, &b)
	_ = json.Unmarshal(h.Changes[3].After, &a)
	if b.Properties["note"] != "Embranchement fer" || a.Properties["note"] != nil || a.Properties["available_ha"] != 3.0 ||
		!slices.Equal(h.Changes[3].Changed, []string{"available_ha", "note"}) {
		t.Errorf("patch change: %v → %v, changed %v", b.Properties, a.Properties, h.Changes[3].Changed)
	}
	if rec := r.send("anonymous", http.MethodGet, "/v1/sites/zone:nowhere/history", "", "", ""); rec.Code != http.StatusNotFound {
		t.Errorf("history of an unknown site: %d", rec.Code)
	}

	// A deleted id is created again at a version it never had; a taken id is 409.
	rec = r.send("admin", http.MethodPost, "/v1/sites", "", "", body)
	if rec.Code != http.StatusCreated || rec.Header().Get("ETag") != `"v7"` {
		t.Errorf("re-create: %d %q", rec.Code, rec.Header().Get("ETag"))
	}
	rec = r.send("admin", http.MethodPost, "/v1/sites", "", "", body)
	if pb := decodeAs[Problem](t, rec, http.StatusConflict); pb.Type != "/problems/already-exists" {
		t.Errorf("duplicate: %+v", pb)
	}
	// Without an id, the registry makes one from the kind.
	f = decodeAs[featureJSON](t, r.send("admin", http.MethodPost, "/v1/sites", "", mimeJSON, siteBody("", "turnkey", "Site sans id", inARA, nil)), http.StatusCreated)
	if !strings.HasPrefix(f.ID, "turnkey:") || len(f.ID) != len("turnkey:")+10 {
		t.Errorf("generated id %q", f.ID)
	}
}

// TestRegistryRights runs every verb as every role on a site in Normandie
// (28) and one in Auvergne-Rhône-Alpes (84), and moves across the two:
// a region editor writes only in its région, a reader and an anonymous
// caller nowhere, an admin everywhere; every refused write leaves the
// site as it was, and every accepted one is in the history under the
// key's name.
func TestRegistryRights(t *testing.T) {
	r := newRegistry(t)
	regions := map[string][2]float64{"28": inNormandie, "84": inARA}
	other := map[string]string{"28": "84", "84": "28"}
	// allowed says whether a role may write a site in the régions given
	// (the stored one, and the written one).
	allowed := func(who string, regs ...string) bool {
		for _, reg := range regs {
			switch {
			case who == "admin":
			case who == "normandie" && reg == "28", who == "ara" && reg == "84":
			default:
				return false
			}
		}
		return true
	}
	type verbCase struct {
		verb string
		move bool // the write moves the site to the other région
	}
	verbs := []verbCase{{"POST", false}, {"PUT", false}, {"PATCH", false}, {"DELETE", false}, {"PUT", true}, {"PATCH", true}}
	n, crossRefused, cross := 0, 0, 0
	for _, who := range []string{"admin", "normandie", "ara", "lecteur", "anonymous"} {
		for _, reg := range []string{"28", "84"} {
			for _, v := range verbs {
				n++
				name := fmt.Sprintf("%s/%s/%s", who, reg, v.verb)
				if v.move {
					name += "-to-" + other[reg]
				}
				t.Run(name, func(t *testing.T) {
					id := fmt.Sprintf("zone:t%d", n)
					at, to := regions[reg], regions[reg]
					regs := []string{reg}
					if v.move {
						to = regions[other[reg]]
						regs = append(regs, other[reg])
					}
					var rec *httptest.ResponseRecorder
					okStatus := http.StatusOK
					switch v.verb {
					case "POST":
						okStatus = http.StatusCreated
						rec = r.send(who, http.MethodPost, "/v1/sites", "", "", siteBody(id, "zone", "Zone "+name, at, nil))
					case "PUT":
						r.create(id, "zone", at)
						rec = r.send(who, http.MethodPut, "/v1/sites/"+id, `"v1"`, "", siteBody(id, "zone", "Zone remplacée", to, map[string]any{"area_ha": 3}))
					case "PATCH":
						r.create(id, "zone", at)
						patch := `{"properties": {"status": "disponible"}}`
						if v.move {
							patch = fmt.Sprintf(`{"geometry": {"type": "Point", "coordinates": [%g, %g]}, "properties": {"commune": null}}`, to[0], to[1])
						}
						rec = r.send(who, http.MethodPatch, "/v1/sites/"+id, `"v1"`, mimeMergePatch, patch)
					case "DELETE":
						okStatus = http.StatusNoContent
						r.create(id, "zone", at)
						rec = r.send(who, http.MethodDelete, "/v1/sites/"+id, `"v1"`, "", "")
					}
					want := okStatus
					switch {
					case who == "anonymous":
						want = http.StatusUnauthorized
					case !allowed(who, regs...):
						want = http.StatusForbidden
					}
					if rec.Code != want {
						t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body.String())
					}
					hist := r.history(id)
					wantLen := map[string]int{"POST": 0, "PUT": 1, "PATCH": 1, "DELETE": 1}[v.verb]
					crossing := (who == "normandie" || who == "ara") && !allowed(who, regs...)
					if crossing {
						cross++
					}
					switch want {
					case http.StatusUnauthorized:
						if rec.Header().Get("WWW-Authenticate") != `Bearer realm="sitematch"` {
							t.Errorf("WWW-Authenticate %q", rec.Header().Get("WWW-Authenticate"))
						}
					case http.StatusForbidden:
						pb := decodeAs[Problem](t, rec, want)
						if pb.Type != "/problems/forbidden" || pb.Detail == "" || len(pb.Errors) != 1 {
							t.Errorf("403 problem %+v", pb)
						}
						if crossing && !strings.Contains(pb.Detail, "région ") {
							t.Errorf("403 does not name the région: %s", pb.Detail)
						}
						if crossing {
							crossRefused++
						}
					default:
						wantLen++
						if last := hist[len(hist)-1]; last.Who != who {
							t.Errorf("history names %q, want the key name %q", last.Who, who)
						}
					}
					if len(hist) != wantLen {
						t.Errorf("history has %d entries, want %d", len(hist), wantLen)
					}
				})
			}
		}
	}
	if cross == 0 || crossRefused != cross {
		t.Errorf("%d of %d cross-région writes by region editors refused", crossRefused, cross)
	}
	t.Logf("%d cases; %d cross-région writes by region editors, all refused", n, cross)

	// The location decides, not a field the caller sends.
	for _, c := range []struct {
		name, who, body string
		status          int
	}{
		{"a commune of the editor's région far from the location", "normandie",
			siteBody("", "zone", "Zone lyonnaise", inARA, map[string]any{"commune": "76540"}), http.StatusBadRequest},
		{"a région property", "normandie", siteBody("", "zone", "Zone lyonnaise", inARA, map[string]any{"region": "28"}), http.StatusBadRequest},
		{"no commune: derived from the location", "normandie", siteBody("", "zone", "Zone lyonnaise", inARA, nil), http.StatusForbidden},
	} {
		rec := r.send(c.who, http.MethodPost, "/v1/sites", "", "", c.body)
		if rec.Code != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, rec.Code, c.status, rec.Body.String())
		}
	}

	// Bad credentials: 401 with the RFC 6750 error code.
	revoked, _, _ := r.st.CreateKey(context.Background(), "ancien", store.RoleAdmin, "")
	if err := r.st.Revoke(context.Background(), "ancien"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ auth, code string }{
		{"Bearer smk_nothing", "invalid_token"},
		{"Bearer " + revoked, "invalid_token"},
		{"Basic YWRtaW46YWRtaW4=", "invalid_request"},
		{"Bearer", "invalid_request"},
	} {
		rec := do(t, r.s.Handler(), request{method: http.MethodPost, path: "/v1/sites", ctype: mimeGeoJSON,
			body: siteBody("", "zone", "x", inNormandie, nil), header: map[string]string{"Authorization": c.auth}})
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != `Bearer realm="sitematch", error="`+c.code+`"` {
			t.Errorf("%q: %d %q", c.auth, rec.Code, rec.Header().Get("WWW-Authenticate"))
		}
	}
}

// TestRegistryWritesReachMatchAndCollections checks that a site written
// through the API is in the next match and in the OGC collection of its
// kind, moved and deleted as written, without a restart.
func TestRegistryWritesReachMatchAndCollections(t *testing.T) {
	r := newRegistry(t)
	h := r.s.Handler()
	type items struct {
		Features []struct {
			ID         string         `json:"id"`
			Geometry   map[string]any `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		NumberMatched int `json:"numberMatched"`
	}
	turnkeyBefore := decodeAs[items](t, get(t, h, "/collections/turnkey/items?limit=1"), http.StatusOK).NumberMatched
	version0 := decodeAs[wire.MetaResponse](t, get(t, h, "/v1/meta"), http.StatusOK).DataVersion
	matchIDs := func(dep string) []string {
		t.Helper()
		res := decodeAs[wire.MatchResponse](t, post(t, h, "/v1/match", `{"limit": 100, "project": {"name": "Usine", "jobs": 80, "land_ha": 5,
			"constraints": {"departements": ["`+dep+`"], "kinds": ["turnkey"]}}}`), http.StatusOK)
		var ids []string
		for _, x := range res.Results {
			ids = append(ids, x.Site.ID)
		}
		return ids
	}
	inBBox := func(p [2]float64, id string) bool {
		t.Helper()
		got := decodeAs[items](t, get(t, h, fmt.Sprintf("/collections/turnkey/items?bbox=%g,%g,%g,%g", p[0]-0.01, p[1]-0.01, p[0]+0.01, p[1]+0.01)), http.StatusOK)
		return slices.ContainsFunc(got.Features, func(f struct {
			ID         string         `json:"id"`
			Geometry   map[string]any `json:"geometry"`
			Properties map[string]any `json:"properties"`
		}) bool {
			return f.ID == id
		})
	}

	// Created: in the next match of its département, in the collection.
	if slices.Contains(matchIDs("76"), "turnkey:rouen-api") {
		t.Fatal("the site is ranked before it exists")
	}
	rec := r.send("normandie", http.MethodPost, "/v1/sites", "", "", siteBody("turnkey:rouen-api", "turnkey", "Site clés en main de Rouen",
		inNormandie, map[string]any{"area_ha": 20, "available_ha": 8}))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
	}
	if !slices.Contains(matchIDs("76"), "turnkey:rouen-api") {
		t.Error("the created site is not ranked by the next match of its département")
	}
	coll := decodeAs[items](t, get(t, h, "/collections/turnkey/items?limit=1000"), http.StatusOK)
	if coll.NumberMatched != turnkeyBefore+1 || !slices.ContainsFunc(coll.Features, func(f struct {
		ID         string         `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}) bool {
		return f.ID == "turnkey:rouen-api" && f.Properties["area_ha"] == 20.0 && f.Properties["available_ha"] == 8.0 && f.Properties["departement"] == "76"
	}) {
		t.Errorf("collection: %d items (before %d), the site missing or wrong", coll.NumberMatched, turnkeyBefore)
	}
	if rec := get(t, h, "/collections/turnkey/items/turnkey:rouen-api"); rec.Code != http.StatusOK {
		t.Errorf("feature by id: %d", rec.Code)
	}
	if !inBBox(inNormandie, "turnkey:rouen-api") {
		t.Error("a bbox query does not find the created site")
	}
	version1 := decodeAs[wire.MetaResponse](t, get(t, h, "/v1/meta"), http.StatusOK).DataVersion
	if version1 == version0 {
		t.Error("data_version did not change with the write")
	}

	// Moved within the département: the index follows.
	moved := [2]float64{1.0300, 49.4500}
	rec = r.send("normandie", http.MethodPatch, "/v1/sites/turnkey:rouen-api", `"v1"`, mimeMergePatch,
		fmt.Sprintf(`{"geometry": {"type": "Point", "coordinates": [%g, %g]}, "properties": {"commune": null}}`, moved[0], moved[1]))
	if rec.Code != http.StatusOK {
		t.Fatalf("move: %d %s", rec.Code, rec.Body.String())
	}
	if inBBox(inNormandie, "turnkey:rouen-api") || !inBBox(moved, "turnkey:rouen-api") {
		t.Error("the bbox index did not follow the move")
	}

	// Deleted: gone from both.
	if rec := r.send("normandie", http.MethodDelete, "/v1/sites/turnkey:rouen-api", `"v2"`, "", ""); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d", rec.Code)
	}
	if slices.Contains(matchIDs("76"), "turnkey:rouen-api") || get(t, h, "/collections/turnkey/items/turnkey:rouen-api").Code != http.StatusNotFound ||
		decodeAs[items](t, get(t, h, "/collections/turnkey/items?limit=1"), http.StatusOK).NumberMatched != turnkeyBefore || inBBox(moved, "turnkey:rouen-api") {
		t.Error("the deleted site is still served")
	}

	// A zone reaches the (otherwise empty) zones collection.
	r.create("zone:lyon-api", "zone", inARA)
	if got := decodeAs[items](t, get(t, h, "/collections/zones/items"), http.StatusOK); got.NumberMatched != 1 || got.Features[0].ID != "zone:lyon-api" {
		t.Errorf("zones: %+v", got)
	}

	// A brownfield of the snapshot corrected, then the correction deleted:
	// the snapshot's record shows again.
	bf := testEngine(t).Catalogue().Brownfields[100]
	rec = r.send("anonymous", http.MethodGet, "/v1/sites/"+bf.ID, "", "", "")
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"v0"` {
		t.Fatalf("snapshot brownfield: %d ETag %q", rec.Code, rec.Header().Get("ETag"))
	}
	if h := decodeAs[wire.HistoryResponse](t, get(t, h, "/v1/sites/"+bf.ID+"/history"), http.StatusOK); len(h.Changes) != 0 {
		t.Errorf("an uncorrected brownfield has %d changes", len(h.Changes))
	}
	rec = r.send("admin", http.MethodPatch, "/v1/sites/"+bf.ID, `"v0"`, mimeMergePatch, `{"properties": {"name": "Friche corrigée", "area_ha": 3.5}}`)
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"v1"` {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body.String())
	}
	feat := func() map[string]any {
		return decodeAs[featureJSON](t, get(t, h, "/collections/brownfields/items/"+bf.ID), http.StatusOK).Properties
	}
	if p := feat(); p["name"] != "Friche corrigée" || p["area_ha"] != 3.5 {
		t.Errorf("corrected brownfield served as %v", p)
	}
	if rec := r.send("admin", http.MethodDelete, "/v1/sites/"+bf.ID, `"v1"`, "", ""); rec.Code != http.StatusNoContent {
		t.Fatalf("delete the correction: %d", rec.Code)
	}
	if p := feat(); p["name"] != bf.Name {
		t.Errorf("after deleting the correction: %v, want the snapshot's %q", p["name"], bf.Name)
	}
	if rec := r.send("admin", http.MethodDelete, "/v1/sites/"+bf.ID, `"v2"`, "", ""); rec.Code != http.StatusNotFound {
		t.Errorf("deleting a snapshot brownfield: %d", rec.Code)
	}

	// A town is not in the registry: no ETag, registry null, no history.
	rec = get(t, h, "/v1/sites/town:acv-01053")
	var town map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &town)
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != "" || town["registry"] != nil {
		t.Errorf("town: %d ETag %q registry %v", rec.Code, rec.Header().Get("ETag"), town["registry"])
	}
	if rec := get(t, h, "/v1/sites/town:acv-01053/history"); rec.Code != http.StatusNotFound {
		t.Errorf("town history: %d", rec.Code)
	}
}

// TestRegistryBadBodiesChangeNothing sends malformed, oversized,
// wrongly typed and invalid bodies: each is a problem naming what is
// wrong, and the registry's checksum does not move.
func TestRegistryBadBodiesChangeNothing(t *testing.T) {
	r := newRegistry(t)
	id := r.create("zone:cible", "zone", inNormandie)
	before := r.checksum()
	pt := `{"type": "Point", "coordinates": [1.0922, 49.4418]}`
	big := siteBody("", "zone", "Grosse zone", inNormandie, map[string]any{"note": strings.Repeat("x", 1<<20)})
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		field                           string
	}{
		{"not JSON", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature",`, 400, "body"},
		{"an array", "POST", "/v1/sites", mimeGeoJSON, `[]`, 400, "body"},
		{"two documents", "POST", "/v1/sites", mimeGeoJSON, `{} {}`, 400, "body"},
		{"empty", "POST", "/v1/sites", mimeGeoJSON, ``, 400, "body"},
		{"oversized", "POST", "/v1/sites", mimeGeoJSON, big, 413, "body"},
		{"wrong media type", "POST", "/v1/sites", "text/csv", siteBody("", "zone", "x", inNormandie, nil), 415, "Content-Type"},
		{"not a Feature", "POST", "/v1/sites", mimeGeoJSON, `{"type": "FeatureCollection", "features": []}`, 400, "type"},
		{"no geometry", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "properties": {"kind": "zone", "name": "x"}}`, 400, "geometry"},
		{"a line", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 49], [1.1, 49.1]]}, "properties": {"kind": "zone", "name": "x"}}`, 400, "geometry"},
		{"broken coordinates", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": {"type": "Point", "coordinates": "here"}, "properties": {"kind": "zone", "name": "x"}}`, 400, "geometry"},
		{"outside France", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": {"type": "Point", "coordinates": [49.44, 1.09]}, "properties": {"kind": "zone", "name": "x"}}`, 400, "geometry.coordinates"},
		{"a number as text", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": ` + pt + `, "properties": {"kind": "zone", "name": "x", "area_ha": "beaucoup"}}`, 400, "properties.area_ha"},
		{"a string as number", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": ` + pt + `, "properties": {"kind": "zone", "name": 7}}`, 400, "properties.name"},
		{"unknown property", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": ` + pt + `, "properties": {"kind": "zone", "name": "x", "surface": 3}}`, 400, "properties.surface"},
		{"unknown member", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": ` + pt + `, "propertes": {"kind": "zone", "name": "x"}}`, 400, "propertes"},
		{"numeric id", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "id": 12, "geometry": ` + pt + `, "properties": {"kind": "zone", "name": "x"}}`, 400, "id"},
		{"unknown kind", "POST", "/v1/sites", mimeGeoJSON, `{"type": "Feature", "geometry": ` + pt + `, "properties": {"kind": "town", "name": "x"}}`, 400, "properties.kind"},
		{"put not JSON", "PUT", "/v1/sites/" + id, mimeGeoJSON, `{"type"`, 400, "body"},
		{"put another id", "PUT", "/v1/sites/" + id, mimeGeoJSON, siteBody("zone:autre", "zone", "x", inNormandie, nil), 400, "id"},
		{"put another kind", "PUT", "/v1/sites/" + id, mimeGeoJSON, siteBody("", "turnkey", "x", inNormandie, nil), 400, "properties.kind"},
		{"patch as geo+json", "PATCH", "/v1/sites/" + id, mimeGeoJSON, `{"properties": {"name": "y"}}`, 415, "Content-Type"},
		{"patch null geometry", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"geometry": null}`, 400, "geometry"},
		{"patch kind removed", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"properties": {"kind": null}}`, 400, "properties.kind"},
		{"patch name removed", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"properties": {"name": null}}`, 400, "properties.name"},
		{"patch bad value", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"properties": {"available_ha": 13}}`, 400, "properties.available_ha"},
		{"patch properties not an object", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"properties": ["name"]}`, 400, "properties"},
		{"patch oversized", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"properties": {"note": "` + strings.Repeat("x", 1<<20) + `"}}`, 413, "body"},
		{"patch a date", "PATCH", "/v1/sites/" + id, mimeMergePatch, `{"properties": {"verified_on": "2999-01-01"}}`, 400, "properties.verified_on"},
	}
	for _, c := range cases {
		rec := r.send("admin", c.method, c.path, `"v1"`, c.ctype, c.body)
		pb := decodeAs[Problem](t, rec, c.status)
		if rec.Header().Get("Content-Type") != mimeProblem || !slices.ContainsFunc(pb.Errors, func(f FieldProblem) bool { return f.Field == c.field }) {
			t.Errorf("%s: %d %+v, want a problem naming %s", c.name, rec.Code, pb, c.field)
		}
	}
	if r.checksum() != before {
		t.Error("a refused body changed the registry")
	}
	if h := r.history(id); len(h) != 1 {
		t.Errorf("history has %d entries, want 1", len(h))
	}
}

// TestRegistryConcurrentWrites races writers: among patches carrying the
// same ETag exactly one wins and the others get 412; and after many
// concurrent creations the engine and the collections hold every site,
// at the registry's data version.
func TestRegistryConcurrentWrites(t *testing.T) {
	r := newRegistry(t)
	h := r.s.Handler()
	id := r.create("zone:disputee", "zone", inNormandie)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		codes = map[int]int{}
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := do(t, h, request{method: http.MethodPatch, path: "/v1/sites/" + id, ctype: mimeMergePatch,
				body:   fmt.Sprintf(`{"properties": {"note": "écrit par %d"}}`, w),
				header: map[string]string{"Authorization": "Bearer " + r.keys["admin"], "If-Match": `"v1"`}})
			mu.Lock()
			codes[rec.Code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[http.StatusOK] != 1 || codes[http.StatusPreconditionFailed] != 7 {
		t.Errorf("statuses %v, want one 200 and seven 412", codes)
	}

	const writers, each = 6, 15
	ids := make(chan string, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				p := inNormandie
				if (w+k)%2 == 1 {
					p = inARA
				}
				p[0] += float64(k) * 0.002
				rec := do(t, h, request{method: http.MethodPost, path: "/v1/sites", ctype: mimeGeoJSON,
					body:   siteBody(fmt.Sprintf("turnkey:c%d-%d", w, k), "turnkey", "Site concurrent", p, nil),
					header: map[string]string{"Authorization": "Bearer " + r.keys["admin"]}})
				if rec.Code != http.StatusCreated {
					t.Errorf("create: %d %s", rec.Code, rec.Body.String())
					return
				}
				ids <- fmt.Sprintf("turnkey:c%d-%d", w, k)
			}
		}()
	}
	wg.Wait()
	close(ids)
	eng, colls := r.s.engine(), r.s.live.Collections()
	tk, _ := colls.Get("turnkey")
	n := 0
	for id := range ids {
		n++
		if _, ok := eng.Candidate(id); !ok {
			t.Errorf("%s is not in the engine", id)
		}
		if _, ok := tk.Lookup(id); !ok {
			t.Errorf("%s is not in the turnkey collection", id)
		}
	}
	if n != writers*each || tk.Indexed() != len(eng.Catalogue().Turnkey) || tk.Len() != len(eng.Catalogue().Turnkey) {
		t.Errorf("%d created; collection %d indexed, %d listed; engine %d", n, tk.Indexed(), tk.Len(), len(eng.Catalogue().Turnkey))
	}
	rev, err := r.st.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := eng.Catalogue().Version, store.DataVersion(r.st.Reference().Catalogue().Version, rev); got != want {
		t.Errorf("engine at %s, registry at %s", got, want)
	}
}

// TestRegistryResponsesMatchOpenAPI checks the registry routes' answers,
// success and problem, against the OpenAPI document, and the request
// examples against its request schemas.
func TestRegistryResponsesMatchOpenAPI(t *testing.T) {
	doc := openAPIMap(t)
	r := newRegistry(t)
	body := siteBody("zone:doc", "zone", "Zone documentée", inNormandie, map[string]any{"area_ha": 10, "water": true, "seveso": "lower_tier"})
	body2 := siteBody("zone:doc", "zone", "Zone documentée (v2)", inNormandie, map[string]any{"area_ha": 10, "note": "n"})
	patch := `{"properties": {"note": null, "available_ha": 4}, "geometry": {"type": "Point", "coordinates": [1.093, 49.442]}}`
	steps := []struct {
		route, method string
		who           string
		verb, path    string
		ifMatch       string
		ctype, body   string
	}{
		{"/v1/sites", "post", "admin", "POST", "/v1/sites", "", "", body},
		{"/v1/sites", "post", "admin", "POST", "/v1/sites", "", "", body},
		{"/v1/sites", "post", "admin", "POST", "/v1/sites", "", "", `{"type": "Feature"}`},
		{"/v1/sites", "post", "anonymous", "POST", "/v1/sites", "", "", body},
		{"/v1/sites", "post", "lecteur", "POST", "/v1/sites", "", "", body},
		{"/v1/sites", "post", "admin", "POST", "/v1/sites", "", "text/plain", body},
		{"/v1/sites/{id}", "get", "anonymous", "GET", "/v1/sites/zone:doc", "", "", ""},
		{"/v1/sites/{id}", "put", "admin", "PUT", "/v1/sites/zone:doc", `"v1"`, "", body2},
		{"/v1/sites/{id}", "put", "admin", "PUT", "/v1/sites/zone:doc", `"v1"`, "", body},
		{"/v1/sites/{id}", "put", "ara", "PUT", "/v1/sites/zone:doc", `"v2"`, "", body},
		{"/v1/sites/{id}", "patch", "admin", "PATCH", "/v1/sites/zone:doc", `"v2"`, mimeMergePatch, patch},
		{"/v1/sites/{id}", "patch", "admin", "PATCH", "/v1/sites/zone:doc", "", mimeMergePatch, patch},
		{"/v1/sites/{id}", "patch", "admin", "PATCH", "/v1/sites/zone:nope", "*", mimeMergePatch, patch},
		{"/v1/sites/{id}/history", "get", "anonymous", "GET", "/v1/sites/zone:doc/history", "", "", ""},
		{"/v1/sites/{id}/history", "get", "anonymous", "GET", "/v1/sites/zone:nope/history", "", "", ""},
		{"/v1/sites/{id}", "delete", "admin", "DELETE", "/v1/sites/zone:doc", `"v1"`, "", ""},
	}
	for i, c := range steps {
		rec := r.send(c.who, c.verb, c.path, c.ifMatch, c.ctype, c.body)
		t.Run(fmt.Sprintf("%d %s %s %d", i, c.verb, c.path, rec.Code), func(t *testing.T) {
			schema := responseSchema(t, doc, c.route, c.method, rec.Code, rec.Header().Get("Content-Type"))
			checkAgainst(t, doc, schema, rec)
		})
	}
	rec := r.send("admin", http.MethodDelete, "/v1/sites/zone:doc", `"v3"`, "", "")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d", rec.Code)
	}
	for _, c := range []struct {
		method string
		status int
	}{{"delete", 204}, {"get", 304}} {
		op := doc["paths"].(map[string]any)["/v1/sites/{id}"].(map[string]any)[c.method].(map[string]any)
		if _, ok := op["responses"].(map[string]any)[fmt.Sprint(c.status)]; !ok {
			t.Errorf("%s /v1/sites/{id}: %d not documented", c.method, c.status)
		}
	}
	for name, b := range map[string]string{"SiteFeature": body, "SitePatch": patch} {
		var v any
		_ = json.Unmarshal([]byte(b), &v)
		var errs []string
		validate(doc, resolve(doc, "#/components/schemas/"+name), v, name, &errs)
		if len(errs) > 0 {
			t.Errorf("%s example: %s", name, strings.Join(errs, "\n"))
		}
	}
}

// outlineFeature is an OGC feature whose geometry may be a polygon.
type outlineFeature struct {
	ID       string `json:"id"`
	Geometry *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	BBox       []float64      `json:"bbox"`
	Properties map[string]any `json:"properties"`
}

// outlineItems answers /collections/{coll}/items in the box.
func outlineItems(t *testing.T, h http.Handler, coll string, b orb.Bound) []outlineFeature {
	t.Helper()
	return decodeAs[struct {
		Features []outlineFeature `json:"features"`
	}](t, get(t, h, fmt.Sprintf("/collections/%s/items?limit=1000&bbox=%g,%g,%g,%g", coll, b.Min[0], b.Min[1], b.Max[0], b.Max[1])), http.StatusOK).Features
}

func findFeature(fs []outlineFeature, id string) (outlineFeature, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return outlineFeature{}, false
}

// TestRegistryOutlinesInCollections creates a zone with an L-shaped
// polygon through POST /v1/sites and finds it in /collections/zones/items
// through a bbox that crosses one edge of the polygon but holds neither
// its representative point (which the R-tree indexes) nor any vertex:
// with its polygon, its bbox and its registry properties. A box in the
// notch of the L (inside the polygon's box, off the polygon) and a point
// zone inside the grown search box but outside the query box are not
// returned. The collection then follows a patch of the properties, a move
// of the outline and the deletion; a corrected brownfield carries its
// record's properties, an uncorrected one keeps the snapshot's.
func TestRegistryOutlinesInCollections(t *testing.T) {
	r := newRegistry(t)
	h := r.s.Handler()
	ring := [][2]float64{{1.05, 49.40}, {1.15, 49.40}, {1.15, 49.42}, {1.08, 49.42}, {1.08, 49.46}, {1.05, 49.46}, {1.05, 49.40}}
	props := map[string]any{"kind": "zone", "name": "ZA des Deux Rives", "area_ha": 60, "available_ha": 12.5, "largest_plot_ha": 6,
		"zoning": "UX", "icpe": "registration", "seveso": "lower_tier", "power_mw": 12.5, "rail_siding": true, "water": true,
		"water_m3h": 80, "available_from": "2027-01-01", "price_eur_m2": 35, "contact": "AD Normandie, zones@adnormandie.fr",
		"url": "https://example.org/za-deux-rives", "status": "disponible", "programme": "France 2030", "source": "AD Normandie",
		"verified_on": "2026-03-01", "note": "Embranchement ferré à remettre en service"}
	polygon := func(ring [][2]float64) map[string]any {
		return map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}}
	}
	rec := r.send("normandie", http.MethodPost, "/v1/sites", "", "", mustJSON(t, map[string]any{"type": "Feature", "id": "zone:deux-rives",
		"geometry": polygon(ring), "properties": props}))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
	}
	r.create("zone:point-near", "zone", [2]float64{1.19, 49.43})
	cand, ok := r.s.engine().Candidate("zone:deux-rives")
	if !ok {
		t.Fatal("the zone is not in the engine")
	}
	crossing := orb.Bound{Min: orb.Point{1.14, 49.405}, Max: orb.Point{1.20, 49.415}} // across the east edge of the L's foot
	if crossing.Contains(cand.Site.Point) || crossing.Contains(orb.Point{1.19, 49.43}) {
		t.Fatalf("the test box holds the representative point %v or the point zone", cand.Site.Point)
	}
	for _, v := range ring {
		if crossing.Contains(v) {
			t.Fatalf("the test box holds the vertex %v", v)
		}
	}

	got := outlineItems(t, h, "zones", crossing)
	if len(got) != 1 || got[0].ID != "zone:deux-rives" {
		t.Fatalf("the box across the polygon's edge returns %+v, want the zone alone", got)
	}
	f := got[0]
	var coords [][][2]float64
	if f.Geometry == nil || f.Geometry.Type != "Polygon" || json.Unmarshal(f.Geometry.Coordinates, &coords) != nil ||
		len(coords) != 1 || !slices.Equal(coords[0], ring) {
		t.Errorf("geometry %+v, want the polygon", f.Geometry)
	}
	if !slices.Equal(f.BBox, []float64{1.05, 49.40, 1.15, 49.46}) {
		t.Errorf("bbox %v, want the polygon's box", f.BBox)
	}
	var want map[string]any
	_ = json.Unmarshal([]byte(mustJSON(t, props)), &want)
	for k, v := range want {
		switch k {
		case "source": // the layer's; the record's is source_detail
			if f.Properties["source_detail"] != v || f.Properties["source"] == v || f.Properties["source"] == "" {
				t.Errorf("source %v, source_detail %v", f.Properties["source"], f.Properties["source_detail"])
			}
		default:
			if f.Properties[k] != v {
				t.Errorf("property %s = %v, want %v", k, f.Properties[k], v)
			}
		}
	}
	for k, v := range map[string]any{"id": "zone:deux-rives", "version": 1.0, "created_by": "normandie", "updated_by": "normandie",
		"departement": "76", "region": "28"} {
		if f.Properties[k] != v {
			t.Errorf("property %s = %v, want %v", k, f.Properties[k], v)
		}
	}
	if _, ok := f.Properties["created_at"].(string); !ok {
		t.Errorf("created_at %v", f.Properties["created_at"])
	}
	// Unknown registry properties are present and null.
	if v, ok := findFeature(outlineItems(t, h, "zones", orb.Bound{Min: orb.Point{1.18, 49.42}, Max: orb.Point{1.20, 49.44}}), "zone:point-near"); !ok ||
		v.Geometry.Type != "Point" || v.BBox != nil {
		t.Errorf("the point zone: %+v", v)
	} else if z, ok := v.Properties["zoning"]; !ok || z != nil {
		t.Errorf("the point zone's zoning: %v (present %v), want null", z, ok)
	}
	one := decodeAs[outlineFeature](t, get(t, h, "/collections/zones/items/zone:deux-rives"), http.StatusOK)
	if one.Geometry == nil || one.Geometry.Type != "Polygon" || one.Properties["zoning"] != "UX" {
		t.Errorf("the feature by id: %+v", one)
	}

	// The notch of the L lies inside the polygon's box but off the polygon.
	if got := outlineItems(t, h, "zones", orb.Bound{Min: orb.Point{1.10, 49.43}, Max: orb.Point{1.14, 49.45}}); len(got) != 0 {
		t.Errorf("a box in the L's notch returns %d features", len(got))
	}

	// A patch reaches the collection's properties.
	rec = r.send("normandie", http.MethodPatch, "/v1/sites/zone:deux-rives", `"v1"`, mimeMergePatch,
		`{"properties": {"zoning": "1AUx", "power_mw": null}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("patch: %d %s", rec.Code, rec.Body.String())
	}
	if f, ok := findFeature(outlineItems(t, h, "zones", crossing), "zone:deux-rives"); !ok || f.Properties["zoning"] != "1AUx" ||
		f.Properties["power_mw"] != nil || f.Properties["version"] != 2.0 {
		t.Errorf("after the patch: %+v", f.Properties)
	}

	// Moved 0.1° north: the old box misses it, the moved box finds it.
	north := make([][2]float64, len(ring))
	for i, v := range ring {
		north[i] = [2]float64{v[0], v[1] + 0.1}
	}
	rec = r.send("normandie", http.MethodPatch, "/v1/sites/zone:deux-rives", `"v2"`, mimeMergePatch,
		mustJSON(t, map[string]any{"geometry": polygon(north), "properties": map[string]any{"commune": nil}}))
	if rec.Code != http.StatusOK {
		t.Fatalf("move: %d %s", rec.Code, rec.Body.String())
	}
	moved := orb.Bound{Min: orb.Point{crossing.Min[0], crossing.Min[1] + 0.1}, Max: orb.Point{crossing.Max[0], crossing.Max[1] + 0.1}}
	if _, ok := findFeature(outlineItems(t, h, "zones", crossing), "zone:deux-rives"); ok {
		t.Error("the old box still returns the moved zone")
	}
	if _, ok := findFeature(outlineItems(t, h, "zones", moved), "zone:deux-rives"); !ok {
		t.Error("the moved box does not return the moved zone")
	}

	// Deleted: gone.
	if rec := r.send("normandie", http.MethodDelete, "/v1/sites/zone:deux-rives", `"v3"`, "", ""); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d", rec.Code)
	}
	if got := outlineItems(t, h, "zones", moved); len(got) != 0 {
		t.Errorf("after the delete: %+v", got)
	}

	// A corrected brownfield carries its record; the others stay as they are.
	cat := testEngine(t).Catalogue()
	bf, other := cat.Brownfields[200], cat.Brownfields[201]
	rec = r.send("admin", http.MethodPatch, "/v1/sites/"+bf.ID, `"v0"`, mimeMergePatch, `{"properties": {"zoning": "UE", "icpe": "declaration"}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body.String())
	}
	p := decodeAs[outlineFeature](t, get(t, h, "/collections/brownfields/items/"+bf.ID), http.StatusOK).Properties
	if p["zoning"] != "UE" || p["icpe"] != "declaration" || p["version"] != 1.0 || p["name"] != bf.Name {
		t.Errorf("corrected brownfield: %v", p)
	}
	p = decodeAs[outlineFeature](t, get(t, h, "/collections/brownfields/items/"+other.ID), http.StatusOK).Properties
	if _, ok := p["zoning"]; ok || p["version"] != nil || p["name"] != other.Name {
		t.Errorf("uncorrected brownfield: %v", p)
	}
}
