package api

import (
	"net/http"
	"strings"
	"testing"
)

func TestCommunes(t *testing.T) {
	h := testServer(t).Handler()
	hits := decodeAs[[]CommuneHit](t, get(t, h, "/v1/communes?q=amien&limit=3"), http.StatusOK)
	if len(hits) == 0 || hits[0].Code != "80021" || hits[0].Name != "Amiens" || hits[0].Region != "32" || hits[0].Lat < 49 {
		t.Errorf("q=amien: %+v, want Amiens (80021) first", hits)
	}
	if len(hits) > 3 {
		t.Errorf("%d hits over limit 3", len(hits))
	}
	none := decodeAs[[]CommuneHit](t, get(t, h, "/v1/communes?q=zzqqxx"), http.StatusOK)
	if none == nil || len(none) != 0 {
		t.Errorf("no match gave %v, want []", none)
	}
	bad := []struct{ path, field string }{
		{"/v1/communes", "q"},
		{"/v1/communes?q=" + strings.Repeat("a", 101), "q"},
		{"/v1/communes?q=paris&limit=0", "limit"},
		{"/v1/communes?q=paris&limit=51", "limit"},
		{"/v1/communes?q=paris&limit=ten", "limit"},
		{"/v1/communes?q=paris&sort=name", "sort"},
	}
	for _, b := range bad {
		rec := get(t, h, b.path)
		p := decodeAs[Problem](t, rec, http.StatusBadRequest)
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%s: content type %q", b.path, ct)
		}
		if len(p.Errors) == 0 || p.Errors[0].Field != b.field {
			t.Errorf("%s: errors %+v, want field %s", b.path, p.Errors, b.field)
		}
	}
}

// TestLandingNegotiates checks that GET / gives browsers the web map and
// every other client the OGC landing page.
func TestLandingNegotiates(t *testing.T) {
	h := testServer(t).Handler()
	page := do(t, h, request{method: http.MethodGet, path: "/", header: map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}})
	if page.Code != http.StatusOK || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") || !strings.Contains(page.Body.String(), "<html") {
		t.Errorf("browser: %d %s", page.Code, page.Header().Get("Content-Type"))
	}
	for _, r := range []request{
		{method: http.MethodGet, path: "/"},
		{method: http.MethodGet, path: "/", header: map[string]string{"Accept": "application/json"}},
		{method: http.MethodGet, path: "/?f=json", header: map[string]string{"Accept": "text/html"}},
	} {
		rec := do(t, h, r)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s %v: %d %s, want the JSON landing page", r.path, r.header, rec.Code, rec.Header().Get("Content-Type"))
		}
		if !strings.Contains(rec.Header().Get("Vary"), "Accept") {
			t.Errorf("%s: no Vary: Accept", r.path)
		}
	}
	if rec := get(t, h, "/app/"); rec.Code != http.StatusOK {
		t.Errorf("/app/: %d", rec.Code)
	}
}
