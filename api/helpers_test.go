package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

// The engine is built once per test binary: loading the catalogue and
// precomputing every candidate's features takes about a second. The tests
// share one registry too, in a temporary folder that TestMain removes;
// tests that write get registries of their own (newRegistryServer).
var (
	engOnce sync.Once
	engVal  *matching.Engine // the shared registry applied to the snapshot
	snapVal *matching.Engine // the snapshot alone
	refVal  *store.Reference
	regVal  *store.SQLite
	engErr  error
	testDir string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sitematch-api-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	code := m.Run()
	if regVal != nil {
		regVal.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func testEngine(tb testing.TB) *matching.Engine {
	tb.Helper()
	engOnce.Do(func() {
		var cat *data.Catalogue
		if cat, engErr = data.LoadEmbedded(); engErr != nil {
			return
		}
		if snapVal, engErr = matching.NewEngine(cat); engErr != nil {
			return
		}
		refVal = store.NewReference(cat)
		if regVal, engErr = store.Open(filepath.Join(testDir, "shared.gpkg"), &store.Options{Reference: refVal}); engErr != nil {
			return
		}
		engVal, engErr = overlayEngine(regVal)
	})
	if engErr != nil {
		tb.Fatalf("building the engine: %v", engErr)
	}
	return engVal
}

// overlayEngine derives from the snapshot's engine the engine of a
// registry seeded from the same snapshot (what serve builds with
// store.Overlay and matching.NewEngine, at the cost of the registry's
// sites only).
func overlayEngine(st *store.SQLite) (*matching.Engine, error) {
	ctx := context.Background()
	page, err := st.List(ctx, store.Query{})
	if err != nil {
		return nil, err
	}
	rev, err := st.Revision(ctx)
	if err != nil {
		return nil, err
	}
	ups := make([]data.Site, len(page.Sites))
	for i := range page.Sites {
		ups[i] = page.Sites[i].CatalogueSite()
	}
	cat := snapVal.Catalogue()
	return snapVal.WithSites(ups, nil, store.DataVersion(cat.Version, rev))
}

// newRegistryServer builds a server over a registry of its own, in a
// temporary folder, for tests that write.
func newRegistryServer(tb testing.TB, cfg Config) (*Server, *store.SQLite) {
	tb.Helper()
	testEngine(tb)
	st, err := store.Open(filepath.Join(tb.TempDir(), "registry.gpkg"), &store.Options{Reference: refVal})
	if err != nil {
		tb.Fatalf("opening the registry: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	eng, err := overlayEngine(st)
	if err != nil {
		tb.Fatalf("engine: %v", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := NewServer(cfg, eng, st)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	return s, st
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logLines returns the JSON log records.
func (b *syncBuffer) records(tb testing.TB) []map[string]any {
	tb.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			tb.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

// newTestServer builds a server over the shared engine, logging JSON into
// the returned buffer.
func newTestServer(tb testing.TB, cfg Config) (*Server, *syncBuffer) {
	tb.Helper()
	logs := &syncBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := NewServer(cfg, testEngine(tb), regVal)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	return s, logs
}

// defaultServer is one server with the default configuration, shared by
// the tests that need nothing else.
var (
	srvOnce sync.Once
	srvVal  *Server
)

func testServer(tb testing.TB) *Server {
	tb.Helper()
	testEngine(tb)
	srvOnce.Do(func() { srvVal, _ = newTestServer(tb, Config{}) })
	return srvVal
}

// request is one HTTP request to send through a handler.
type request struct {
	method, path string
	body         string
	ctype        string // Content-Type; "-" for none; "" for application/json on a body
	header       map[string]string
	remote       string
}

func do(tb testing.TB, h http.Handler, r request) *httptest.ResponseRecorder {
	tb.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	switch {
	case r.ctype == "-":
	case r.ctype != "":
		req.Header.Set("Content-Type", r.ctype)
	case r.body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func get(tb testing.TB, h http.Handler, path string) *httptest.ResponseRecorder {
	tb.Helper()
	return do(tb, h, request{method: http.MethodGet, path: path})
}

func post(tb testing.TB, h http.Handler, path, body string) *httptest.ResponseRecorder {
	tb.Helper()
	return do(tb, h, request{method: http.MethodPost, path: path, body: body})
}

// decodeAs decodes a response body, failing the test on a wrong status.
func decodeAs[T any](tb testing.TB, rec *httptest.ResponseRecorder, status int) T {
	tb.Helper()
	var v T
	if rec.Code != status {
		tb.Fatalf("status %d, want %d; body: %.2000s", rec.Code, status, rec.Body.String())
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		tb.Fatalf("decoding %.500s: %v", rec.Body.String(), err)
	}
	return v
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// Projects used across the tests.
const (
	// picardyProject is docs/CONTRACT.md's example project.
	picardyProject = `{
  "name": "Unité de production de protéines d'insectes",
  "sector": "agrifood", "jobs": 150, "land_ha": 12,
  "trades": ["maintenance", "agroalimentaire"],
  "suppliers": [
    {"name": "Coopérative céréalière", "commune": "80021", "weight": 2},
    {"name": "Fournisseur d'emballages", "lon": 2.83, "lat": 50.28}
  ],
  "customers": [{"name": "Port de Rouen", "lon": 1.06, "lat": 49.44}],
  "transport": {"motorway": 1, "rail_freight": 0.5, "port": 0.5, "airport": 0, "station": 0.5},
  "constraints": {"regions": ["32"], "departements": [], "kinds": ["turnkey", "brownfield", "zone"],
    "max_km": {"motorway": 20}, "require_known_area": false, "veto_below": 0.1},
  "weights": {"supply_chain": 30, "transport": 25, "labour": 15, "training": 15, "land": 10, "territory": 5}
}`
	smallProject = `{"name": "Petit atelier", "jobs": 20}`
)

// franceCommunes are 20 prefectures across mainland France.
var franceCommunes = []string{"75056", "69123", "13055", "31555", "06088", "44109", "67482", "34172", "33063", "59350",
	"35238", "51454", "76351", "42218", "83137", "49007", "21231", "37261", "63113", "87085"}

// franceProject is a full-France project with 20 suppliers and no
// constraint: every candidate is scored on every criterion.
func franceProject() string {
	var sup []string
	for i, c := range franceCommunes {
		sup = append(sup, `{"name": "Fournisseur `+string(rune('A'+i))+`", "commune": "`+c+`"}`)
	}
	return `{"name": "Usine de composants aéronautiques", "sector": "aeronautics", "jobs": 200, "land_ha": 10,
  "suppliers": [` + strings.Join(sup, ", ") + `]}`
}
