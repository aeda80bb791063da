package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"sitematch/api/web"
)

var testOutlines = map[string][]byte{
	"regions":      []byte(`{"type":"FeatureCollection","features":[]}`),
	"departements": []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"01"},"geometry":null}]}`),
}

func newEcho(t *testing.T, opts *web.Options) *echo.Echo {
	t.Helper()
	e := echo.New()
	if opts == nil {
		web.Register(e, testOutlines)
	} else {
		web.RegisterWith(e, testOutlines, *opts)
	}
	return e
}

func get(t *testing.T, e *echo.Echo, method, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// vendorPath reads the map library's folder from the page.
func vendorPath(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`/app/(vendor/leaflet-[0-9.]+)/leaflet\.js`).FindSubmatch(web.Index())
	if m == nil {
		t.Fatal("index.html does not load the map library from /app/vendor/leaflet-<version>/")
	}
	return string(m[1])
}

func TestRoutes(t *testing.T) {
	e := newEcho(t, nil)
	vendor := vendorPath(t)
	cases := []struct {
		name, method, path string
		status             int
		contentType        string
		cache              string
	}{
		{"page", "GET", "/app/", 200, "text/html; charset=utf-8", "no-cache"},
		{"page, HEAD", "HEAD", "/app/", 200, "text/html; charset=utf-8", "no-cache"},
		{"module", "GET", "/app/js/main.js", 200, "text/javascript; charset=utf-8", "no-cache"},
		{"stylesheet", "GET", "/app/app.css", 200, "text/css; charset=utf-8", "no-cache"},
		{"icon", "GET", "/app/favicon.svg", 200, "image/svg+xml", "no-cache"},
		{"library", "GET", "/app/" + vendor + "/leaflet.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"library css", "GET", "/app/" + vendor + "/leaflet.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"library image", "GET", "/app/" + vendor + "/images/layers.png", 200, "image/png", "public, max-age=31536000, immutable"},
		{"library licence", "GET", "/app/" + vendor + "/LICENSE", 200, "text/plain; charset=utf-8", "public, max-age=31536000, immutable"},
		{"régions", "GET", "/app/outlines/regions.geojson", 200, "application/geo+json", "public, max-age=3600"},
		{"départements", "GET", "/app/outlines/departements.geojson", 200, "application/geo+json", "public, max-age=3600"},
		{"config", "GET", "/app/config.json", 200, "application/json", "no-cache"},
		{"unknown outline", "GET", "/app/outlines/communes.geojson", 404, "", ""},
		{"unknown file", "GET", "/app/js/nope.js", 404, "", ""},
		{"no path tricks", "GET", "/app/../go.mod", 404, "", ""},
		{"no POST", "POST", "/app/", 405, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(t, e, tc.method, tc.path)
			if rec.Code != tc.status {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.path, rec.Code, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if got := rec.Header().Get("Cache-Control"); got != tc.cache {
				t.Errorf("Cache-Control %q, want %q", got, tc.cache)
			}
			if rec.Header().Get("ETag") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("missing ETag or nosniff: %v", rec.Header())
			}
			if tc.method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD answered a %d-byte body", rec.Body.Len())
			}
			if tc.method == "GET" && rec.Body.Len() == 0 {
				t.Error("empty body")
			}
		})
	}
}

func TestRedirectKeepsQuery(t *testing.T) {
	rec := get(t, newEcho(t, nil), "GET", "/app?basemap=x")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/app/?basemap=x" {
		t.Fatalf("GET /app: %d to %q, want 301 to /app/?basemap=x", rec.Code, rec.Header().Get("Location"))
	}
}

func TestPageHeadersAndETag(t *testing.T) {
	e := newEcho(t, nil)
	rec := get(t, e, "GET", "/app/")
	if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "connect-src 'self'") {
		t.Errorf("the page's CSP does not keep API calls on the same origin: %q", rec.Header().Get("Content-Security-Policy"))
	}
	if rec.Body.String() != string(web.Index()) {
		t.Error("GET /app/ does not answer Index()")
	}
	etag := rec.Header().Get("ETag")
	for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
		if r := get(t, e, "GET", "/app/", "If-None-Match", inm); r.Code != http.StatusNotModified {
			t.Errorf("If-None-Match %s: status %d, want 304", inm, r.Code)
		}
	}
	if r := get(t, e, "GET", "/app/", "If-None-Match", `"stale"`); r.Code != http.StatusOK {
		t.Errorf("a stale ETag got %d, want 200", r.Code)
	}
	ie := echo.New()
	ie.GET("/", web.ServeIndex)
	r := get(t, ie, "GET", "/")
	if r.Code != 200 || r.Body.String() != string(web.Index()) || r.Header().Get("Content-Security-Policy") == "" || r.Header().Get("Vary") != "Accept" {
		t.Errorf("ServeIndex: status %d, CSP %q", r.Code, r.Header().Get("Content-Security-Policy"))
	}
}

func TestOutlinesServedAsGiven(t *testing.T) {
	rec := get(t, newEcho(t, nil), "GET", "/app/outlines/departements.geojson")
	if rec.Body.String() != string(testOutlines["departements"]) {
		t.Errorf("outline body %q, want the bytes given to Register", rec.Body.String())
	}
}

func TestConfig(t *testing.T) {
	read := func(e *echo.Echo) map[string]any {
		var cfg map[string]any
		if err := json.Unmarshal(get(t, e, "GET", "/app/config.json").Body.Bytes(), &cfg); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	if cfg := read(newEcho(t, nil)); cfg["basemap"] != nil {
		t.Errorf("default config %v: want no base map", cfg)
	}
	opts := web.Options{BaseMap: "https://tiles.example.fr/{z}/{x}/{y}.png", BaseMapAttribution: "© Exemple"}
	if cfg := read(newEcho(t, &opts)); cfg["basemap"] != opts.BaseMap || cfg["basemap_attribution"] != opts.BaseMapAttribution {
		t.Errorf("config %v, want the base map of the options", cfg)
	}
}

// TestEverythingLinkedIsServed follows the page's links and the modules'
// imports, so that a build that forgets a file fails here.
func TestEverythingLinkedIsServed(t *testing.T) {
	e := newEcho(t, nil)
	seen := map[string]bool{}
	var visit func(path string)
	visit = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		rec := get(t, e, "GET", path)
		if rec.Code != 200 {
			t.Errorf("%s: status %d", path, rec.Code)
			return
		}
		if !strings.HasSuffix(path, ".js") {
			return
		}
		dir := path[:strings.LastIndex(path, "/")+1]
		for _, m := range regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^"']*?from\s+"(\./[^"]+)"`).FindAllStringSubmatch(rec.Body.String(), -1) {
			visit(dir + strings.TrimPrefix(m[1], "./"))
		}
	}
	for _, m := range regexp.MustCompile(`(?:href|src)="(/app/[^"]+)"`).FindAllStringSubmatch(string(web.Index()), -1) {
		visit(m[1])
	}
	if !seen["/app/js/find.js"] || !seen["/app/js/api.js"] {
		t.Errorf("the modules' imports were not followed: %v", seen)
	}
}

// TestManifest checks the embedded files against the build's manifest:
// dist/ was edited by hand, or only partly rebuilt, when they differ.
func TestManifest(t *testing.T) {
	e := newEcho(t, nil)
	rec := get(t, e, "GET", "/app/MANIFEST.sha256")
	if rec.Code != 200 {
		t.Fatalf("no manifest: %d", rec.Code)
	}
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	if len(lines) < 10 {
		t.Fatalf("the manifest lists %d files", len(lines))
	}
	for _, line := range lines {
		sum, path, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("bad manifest line %q", line)
		}
		r := get(t, e, "GET", "/app/"+path)
		body, _ := io.ReadAll(r.Body)
		if path == "index.html" {
			body = web.Index()
		}
		h := sha256.Sum256(body)
		if r.Code != 200 || hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: status %d, sha256 %x, manifest says %s: run `npm ci && npm run build` in api/web", path, r.Code, h, sum)
		}
	}
}

func TestPrefersHTML(t *testing.T) {
	cases := []struct {
		accept string
		want   bool
	}{
		{"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", true}, // Chromium, Firefox
		{"", false},
		{"*/*", false}, // curl
		{"application/json", false},
		{"application/geo+json, text/html;q=0.5", false},
		{"text/html;q=0.9, application/json;q=0.8", true},
		{"application/json, text/html", true}, // a tie goes to the page
		{"text/html;q=0", false},
		{"text/html;q=bogus", false},
		{"garbage;;;", false},
	}
	for _, tc := range cases {
		if got := web.PrefersHTML(tc.accept); got != tc.want {
			t.Errorf("PrefersHTML(%q) = %v, want %v", tc.accept, got, tc.want)
		}
	}
}
