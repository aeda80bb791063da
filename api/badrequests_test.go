package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// project wraps a project in a match request.
func matchBody(project string) string { return `{"project": ` + project + `}` }

// TestBadRequests sends what clients get wrong, and checks that each is
// answered with the right status, application/problem+json, the problem
// shape of docs/CONTRACT.md, and an errors[] entry naming the right field.
// Nothing a client sends may cause a 500.
func TestBadRequests(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	huge := `{"project": {"name": "` + strings.Repeat("x", 1<<20) + `"}}`
	const nf = "" // no field expected
	cases := []struct {
		name   string
		req    request
		status int
		field  string
	}{
		// Bodies that are not JSON.
		{"malformed JSON", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"`}, 400, "body"},
		{"trailing data", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"}} {}`}, 400, "body"},
		{"empty body", request{method: "POST", path: "/v1/match", ctype: "application/json"}, 400, "body"},
		{"whitespace body", request{method: "POST", path: "/v1/match", body: " \n "}, 400, "body"},
		{"deep nesting 100k", request{method: "POST", path: "/v1/match", body: deep}, 400, "body"},
		{"deep nesting in a field", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x", "trades": ` + deep + `}}`}, 400, "body"},
		{"array instead of object", request{method: "POST", path: "/v1/match", body: `[]`}, 400, "body"},
		{"invalid UTF-8 string", request{method: "POST", path: "/v1/match", body: "{\"project\": {\"name\": \"\xff\xfe\"}, \"limit\": \"x\"}"}, 400, "limit"},
		// Wrong types and values.
		{"missing project", request{method: "POST", path: "/v1/match", body: `{"limit": 5}`}, 400, "project"},
		{"project not an object", request{method: "POST", path: "/v1/match", body: `{"project": 3}`}, 400, "project"},
		{"missing name", request{method: "POST", path: "/v1/match", body: matchBody(`{"jobs": 5}`)}, 400, "project.name"},
		{"jobs as a string", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "jobs": "many"}`)}, 400, "project.jobs"},
		{"jobs fractional", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "jobs": 2.5}`)}, 400, "project.jobs"},
		{"NaN as a string", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "suppliers": [{"lon": 2, "lat": "NaN"}]}`)}, 400, "project.suppliers[0].lat"},
		{"huge number 1e400", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "land_ha": 1e400}`)}, 400, "project.land_ha"},
		{"huge integer", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "jobs": 99999999999999999999999}`)}, 400, "project.jobs"},
		{"latitude out of range", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "customers": [{"lon": 2, "lat": 91}]}`)}, 400, "project.customers[0].lat"},
		{"longitude out of range", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "suppliers": [{"lon": -181, "lat": 45}]}`)}, 400, "project.suppliers[0].lon"},
		{"lon without lat", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "suppliers": [{"lon": 2}]}`)}, 400, "project.suppliers[0].lat"},
		{"unknown commune", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "suppliers": [{"commune": "00000"}]}`)}, 400, "project.suppliers[0].commune"},
		{"negative land", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "land_ha": -3}`)}, 400, "project.land_ha"},
		{"unknown sector", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "sector": "spaceships"}`)}, 400, "project.sector"},
		{"unknown trade", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "trades": ["juggling"]}`)}, 400, "project.trades[0]"},
		{"unknown transport mode", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "transport": {"teleport": 1}}`)}, 400, "project.transport.teleport"},
		{"all weights zero", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "weights": {"supply_chain": 0, "transport": 0, "labour": 0, "training": 0, "land": 0, "territory": 0}}`)}, 400, "project.weights"},
		{"unknown supply-chain mode", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "supply_chain": {"mode": "gravity"}}`)}, 400, "project.supply_chain.mode"},
		{"unknown région", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "constraints": {"regions": ["99"]}}`)}, 400, "project.constraints.regions[0]"},
		{"unknown kind", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "constraints": {"kinds": ["castle"]}}`)}, 400, "project.constraints.kinds[0]"},
		{"veto over 1", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "constraints": {"veto_below": 2}}`)}, 400, "project.constraints.veto_below"},
		{"unknown top-level field", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"}, "limitt": 5}`}, 400, "limitt"},
		{"unknown project field", request{method: "POST", path: "/v1/match", body: matchBody(`{"name": "x", "colour": "blue"}`)}, 400, "project.colour"},
		{"limit zero", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"}, "limit": 0}`}, 400, "limit"},
		{"limit over max", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"}, "limit": 1001}`}, 400, "limit"},
		{"robustness as a string", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"}, "robustness": "yes"}`}, 400, "robustness"},
		{"draws over max", request{method: "POST", path: "/v1/match", body: `{"project": {"name": "x"}, "draws": 100001}`}, 400, "draws"},
		// Size, media type, method, route.
		{"body over 1 MiB", request{method: "POST", path: "/v1/match", body: huge}, 413, "body"},
		{"text/plain", request{method: "POST", path: "/v1/match", body: matchBody(smallProject), ctype: "text/plain"}, 415, "Content-Type"},
		{"no Content-Type", request{method: "POST", path: "/v1/match", body: matchBody(smallProject), ctype: "-"}, 415, "Content-Type"},
		{"form Content-Type", request{method: "POST", path: "/v1/match", body: matchBody(smallProject), ctype: "application/x-www-form-urlencoded"}, 415, "Content-Type"},
		{"latin-1 charset", request{method: "POST", path: "/v1/match", body: matchBody(smallProject), ctype: "application/json; charset=iso-8859-1"}, 415, "Content-Type"},
		{"GET on match", request{method: "GET", path: "/v1/match"}, 405, nf},
		{"DELETE on collections", request{method: "DELETE", path: "/collections"}, 405, nf},
		{"unknown route", request{method: "GET", path: "/v2/match"}, 404, nf},
		{"unknown route under v1", request{method: "POST", path: "/v1/matches", body: "{}"}, 404, nf},
		// Unknown ids.
		{"unknown site id", request{method: "GET", path: "/v1/sites/turnkey:NOPE"}, 404, "id"},
		{"unknown collection", request{method: "GET", path: "/collections/castles/items"}, 404, "collectionId"},
		{"unknown feature", request{method: "GET", path: "/collections/turnkey/items/turnkey:NOPE"}, 404, "featureId"},
		// Compare.
		{"compare unknown site", request{method: "POST", path: "/v1/compare", body: `{"project": {"name": "x"}, "site_ids": ["turnkey:ARA-1", "turnkey:NOPE"]}`}, 400, "site_ids[1]"},
		{"compare one site", request{method: "POST", path: "/v1/compare", body: `{"project": {"name": "x"}, "site_ids": ["turnkey:ARA-1"]}`}, 400, "site_ids"},
		{"compare duplicate", request{method: "POST", path: "/v1/compare", body: `{"project": {"name": "x"}, "site_ids": ["turnkey:ARA-1", "turnkey:ARA-1"]}`}, 400, "site_ids[1]"},
		{"compare ids not strings", request{method: "POST", path: "/v1/compare", body: `{"project": {"name": "x"}, "site_ids": [1, 2]}`}, 400, "site_ids[0]"},
		{"compare no ids", request{method: "POST", path: "/v1/compare", body: `{"project": {"name": "x"}}`}, 400, "site_ids"},
		{"compare bad project", request{method: "POST", path: "/v1/compare", body: `{"project": {"name": "x", "jobs": -1}, "site_ids": ["turnkey:ARA-1", "town:acv-01053"]}`}, 400, "project.jobs"},
		// Shortlist.
		{"shortlist no region", request{method: "POST", path: "/v1/shortlist", body: `{}`}, 400, "region"},
		{"shortlist unknown region", request{method: "POST", path: "/v1/shortlist", body: `{"region": "99"}`}, 400, "region"},
		{"shortlist unknown sector", request{method: "POST", path: "/v1/shortlist", body: `{"region": "28", "sectors": ["x"]}`}, 400, "sectors[0]"},
		{"shortlist negative distance", request{method: "POST", path: "/v1/shortlist", body: `{"region": "28", "min_km": -5}`}, 400, "min_km"},
		{"shortlist runners_up over max", request{method: "POST", path: "/v1/shortlist", body: `{"region": "28", "runners_up": 50}`}, 400, "runners_up"},
		// OGC items parameters.
		{"bbox of 3 numbers", request{method: "GET", path: "/collections/turnkey/items?bbox=1,2,3"}, 400, "bbox"},
		{"bbox min > max", request{method: "GET", path: "/collections/turnkey/items?bbox=5,45,4,46"}, 400, "bbox"},
		{"bbox lat > max", request{method: "GET", path: "/collections/turnkey/items?bbox=1,47,2,46"}, 400, "bbox"},
		{"bbox latitude out of range", request{method: "GET", path: "/collections/turnkey/items?bbox=0,-95,1,10"}, 400, "bbox"},
		{"bbox not numbers", request{method: "GET", path: "/collections/turnkey/items?bbox=a,b,c,d"}, 400, "bbox"},
		{"bbox NaN", request{method: "GET", path: "/collections/turnkey/items?bbox=NaN,1,2,3"}, 400, "bbox"},
		{"limit zero", request{method: "GET", path: "/collections/brownfields/items?limit=0"}, 400, "limit"},
		{"limit not a number", request{method: "GET", path: "/collections/brownfields/items?limit=ten"}, 400, "limit"},
		{"negative offset", request{method: "GET", path: "/collections/brownfields/items?offset=-1"}, 400, "offset"},
		{"unknown items parameter", request{method: "GET", path: "/collections/turnkey/items?colour=red"}, 400, "colour"},
		{"bbox-crs unknown", request{method: "GET", path: "/collections/turnkey/items?bbox-crs=EPSG:3857"}, 400, "bbox-crs"},
		{"crs unknown", request{method: "GET", path: "/collections/turnkey/items?crs=EPSG:27572"}, 400, "crs"},
		{"crs unknown on a feature", request{method: "GET", path: "/collections/seveso/items/x?crs=EPSG:3857"}, 400, "crs"},
		{"filter unparsable", request{method: "GET", path: "/collections/brownfields/items?filter=departement%20%3D"}, 400, "filter"},
		{"filter unknown property", request{method: "GET", path: "/collections/brownfields/items?filter=dept%3D'76'"}, 400, "filter"},
		{"filter mistyped", request{method: "GET", path: "/collections/brownfields/items?filter=area_ha%3D'big'"}, 400, "filter"},
		{"filter-lang unknown", request{method: "GET", path: "/collections/brownfields/items?filter=TRUE&filter-lang=sql"}, 400, "filter-lang"},
		{"filter-crs unknown", request{method: "GET", path: "/collections/brownfields/items?filter=TRUE&filter-crs=EPSG:1"}, 400, "filter-crs"},
		{"filter JSON bad", request{method: "GET", path: "/collections/brownfields/items?filter-lang=cql2-json&filter=%7B%22op%22%3A1%7D"}, 400, "filter"},
		{"sortby unknown", request{method: "GET", path: "/collections/brownfields/items?sortby=-size"}, 400, "sortby"},
		{"properties unknown", request{method: "GET", path: "/collections/brownfields/items?properties=name,size"}, 400, "properties"},
		{"f=xml", request{method: "GET", path: "/collections?f=xml"}, 400, "f"},
		// Batch.
		{"batch as JSON", request{method: "POST", path: "/v1/batch", body: smallProject}, 415, "Content-Type"},
		{"batch empty", request{method: "POST", path: "/v1/batch", ctype: "application/x-ndjson"}, 400, "body"},
		{"batch blank lines only", request{method: "POST", path: "/v1/batch", body: "\n\n  \n", ctype: "application/x-ndjson"}, 400, "body"},
		{"batch limit zero", request{method: "POST", path: "/v1/batch?limit=0", body: smallProject, ctype: "application/x-ndjson"}, 400, "limit"},
		{"batch robustness not a bool", request{method: "POST", path: "/v1/batch?robustness=maybe", body: smallProject, ctype: "application/x-ndjson"}, 400, "robustness"},
		{"batch unknown parameter", request{method: "POST", path: "/v1/batch?lmit=3", body: smallProject, ctype: "application/x-ndjson"}, 400, "lmit"},
	}
	h := testServer(t).Handler()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, h, tc.req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.500s", rec.Code, tc.status, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			p := decodeAs[Problem](t, rec, tc.status)
			if p.Status != tc.status || !strings.HasPrefix(p.Type, "/problems/") || p.Title == "" || p.Errors == nil || p.RequestID == "" {
				t.Errorf("problem %+v", p)
			}
			var raw map[string]json.RawMessage
			_ = json.Unmarshal(rec.Body.Bytes(), &raw)
			if string(raw["errors"]) == "null" {
				t.Error("errors is null, want an array")
			}
			if tc.field == nf {
				return
			}
			for _, e := range p.Errors {
				if e.Field == tc.field && e.Message != "" {
					return
				}
			}
			t.Errorf("no error names %q: %+v", tc.field, p.Errors)
		})
	}
	if len(cases) < 30 {
		t.Errorf("only %d cases", len(cases))
	}
}

// TestMethodNotAllowedSaysAllow checks the Allow header of a 405.
func TestMethodNotAllowedSaysAllow(t *testing.T) {
	rec := get(t, testServer(t).Handler(), "/v1/match")
	if rec.Code != 405 || !strings.Contains(rec.Header().Get("Allow"), "POST") {
		t.Errorf("status %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

// TestProblemExample checks the problem of docs/CONTRACT.md's example, field
// for field.
func TestProblemExample(t *testing.T) {
	rec := post(t, testServer(t).Handler(), "/v1/match",
		matchBody(`{"name": "x", "suppliers": [{"commune": "80021"}, {"lon": 2, "lat": 95}], "land_ha": -1}`))
	p := decodeAs[Problem](t, rec, 400)
	if p.Type != "/problems/invalid-project" || p.Title != "Invalid project" || p.Detail != "2 fields are invalid" {
		t.Errorf("problem %+v", p)
	}
	want := []FieldProblem{{"project.land_ha", "must be positive"}, {"project.suppliers[1].lat", "must be between -90 and 90"}}
	got := map[string]string{}
	for _, e := range p.Errors {
		got[e.Field] = e.Message
	}
	for _, w := range want {
		if got[w.Field] != w.Message {
			t.Errorf("%s: %q, want %q", w.Field, got[w.Field], w.Message)
		}
	}
}

// TestTypeAndValueErrorsTogether: a request with a wrong type in one field
// and a wrong value in another hears about both at once.
func TestTypeAndValueErrorsTogether(t *testing.T) {
	h := testServer(t).Handler()
	for _, path := range []string{"/v1/match", "/v1/compare"} {
		body := `{"project": {"name": "x", "jobs": "many", "land_ha": -1}, "site_ids": ["turnkey:ARA-1", "town:acv-01053"]}`
		if path == "/v1/match" {
			body = matchBody(`{"name": "x", "jobs": "many", "land_ha": -1}`)
		}
		p := decodeAs[Problem](t, post(t, h, path, body), 400)
		fields := map[string]bool{}
		for _, e := range p.Errors {
			fields[e.Field] = true
		}
		if !fields["project.jobs"] || !fields["project.land_ha"] || len(p.Errors) != 2 {
			t.Errorf("%s: errors %+v, want project.jobs and project.land_ha", path, p.Errors)
		}
	}
}
