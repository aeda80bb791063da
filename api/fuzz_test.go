package api

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzMatchBody: no body makes POST /v1/match (or /v1/compare) answer a
// 5xx; every error is a problem.
func FuzzMatchBody(f *testing.F) {
	for _, s := range []string{`{"project": ` + smallProject + `}`, `{"project": {"name": "x", "jobs": 1e400}}`,
		`{"project": {"name": "x", "suppliers": [{"lon": 1, "lat": "NaN"}]}, "limit": -1}`, `[[[`, `{"project": null}`,
		`{"project": {"name": "x"}, "site_ids": ["turnkey:ARA-1", 3]}`, "\x00", `{"project": {"name": "x", "constraints": {"max_km": {"port": 0}}}}`} {
		f.Add(s)
	}
	h := testServer(f).Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/match", "/v1/compare"} {
			rec := do(t, h, request{method: http.MethodPost, path: path, body: body, ctype: "application/json"})
			if rec.Code >= 500 {
				t.Fatalf("%s %q: %d %s", path, body, rec.Code, rec.Body)
			}
			if rec.Code != 200 && rec.Header().Get("Content-Type") != mimeProblem {
				t.Fatalf("%s %q: %d with Content-Type %q", path, body, rec.Code, rec.Header().Get("Content-Type"))
			}
		}
	})
}

// FuzzItemsQuery: no query string makes /collections/{id}/items answer a
// 5xx, and a 400 always names a parameter.
func FuzzItemsQuery(f *testing.F) {
	for _, s := range []string{"bbox=1,2,3", "bbox=-180,-90,180,90&limit=10000&offset=5", "limit=abc", "bbox=1e999,0,2,3",
		"offset=99999999999999999999", "f=geojson&datetime=2024", "bbox=2,48,0,3,49,100"} {
		f.Add(s)
	}
	h := testServer(f).Handler()
	f.Fuzz(func(t *testing.T, q string) {
		vals, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		rec := do(t, h, request{method: http.MethodGet, path: "/collections/stations/items?" + vals.Encode()})
		if rec.Code >= 500 {
			t.Fatalf("%q: %d %s", q, rec.Code, rec.Body)
		}
		if rec.Code == 400 {
			p := decodeAs[Problem](t, rec, 400)
			if len(p.Errors) == 0 || p.Errors[0].Field == "" {
				t.Fatalf("%q: problem without a field: %+v", q, p)
			}
		}
	})
}
