package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/api"
	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

// zonesProject ranks the zones of Seine-Maritime (76): none in the
// snapshot, two in the test registry.
const zonesProject = `{"name": "Atelier de chaudronnerie", "jobs": 60, "land_ha": 5,
  "constraints": {"departements": ["76", "14"], "kinds": ["zone"]}}`

// newRankRegistry creates a registry file seeded by store.Open, with two
// zones of Normandie (région 28) 110 km apart, near Rouen (76) and Caen
// (14), and closes it.
func newRankRegistry(t *testing.T, dir string) string {
	t.Helper()
	db := filepath.Join(dir, "registry.gpkg")
	st, err := store.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	area := 40.0
	for _, z := range []store.Site{
		{ID: "zone:rouen-cli", Kind: data.KindZone, Name: "ZA de Rouen", Point: orb.Point{1.0922, 49.4418}, AreaHa: &area},
		{ID: "zone:caen-cli", Kind: data.KindZone, Name: "ZA de Caen", Point: orb.Point{-0.3707, 49.1829}, AreaHa: &area},
	} {
		if _, err := st.Create(context.Background(), "test", z); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// registryState is a registry's checksum and the files of its folder, to
// check that a command changed and created nothing.
func registryState(t *testing.T, db string) (string, []string) {
	t.Helper()
	st, err := store.OpenReadOnly(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, err := st.Checksum(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sum, dirFiles(t, filepath.Dir(db))
}

// dirFiles lists a folder, leaving out SQLite's WAL-mode side files.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), "-wal") && !strings.HasSuffix(e.Name(), "-shm") {
			out = append(out, e.Name())
		}
	}
	return out
}

// runZonesMatch runs `sitematch match` on zonesProject, read from
// standard input.
func runZonesMatch(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	code = run(context.Background(), append(append([]string{"match"}, args...), "-"), strings.NewReader(zonesProject), &out, &errb)
	return code, out.String(), errb.String()
}

// matchIDs runs `sitematch match --json` on zonesProject and returns the
// data_version and the ids ranked.
func matchIDs(t *testing.T, args ...string) (string, []string, string) {
	t.Helper()
	code, out, errs := runZonesMatch(t, append([]string{"--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("match %v: exit %d: %s", args, code, errs)
	}
	var res wire.MatchResponse
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res.Results {
		ids = append(ids, r.Site.ID)
	}
	return res.DataVersion, ids, errs
}

// TestMatchReadsTheRegistry runs match with --db, SITEMATCH_DB and the
// default ./sitematch.gpkg: it ranks the registry's zones with a
// data_version of the registry's revision, opens the file read-only
// (nothing changed or created), refuses a --db that does not exist
// without creating it, and ranks the snapshot alone when there is no
// registry, creating none.
func TestMatchReadsTheRegistry(t *testing.T) {
	dir := t.TempDir()
	db := newRankRegistry(t, dir)
	snap, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	ro, err := store.OpenReadOnly(db, &store.Options{Catalogue: snap})
	if err != nil {
		t.Fatal(err)
	}
	over, err := store.Overlay(context.Background(), ro, snap)
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum, files := registryState(t, db)
	want := []string{"zone:caen-cli", "zone:rouen-cli"}

	version, ids, notes := matchIDs(t, "--db", db)
	slices.Sort(ids)
	if version != over.Version || !slices.Equal(ids, want) {
		t.Errorf("--db: data_version %s (want %s), ranked %v (want %v)", version, over.Version, ids, want)
	}
	if !strings.Contains(notes, "site registry "+db) {
		t.Errorf("no note of the registry read on standard error: %q", notes)
	}
	if s, f := registryState(t, db); s != sum || !slices.Equal(f, files) {
		t.Errorf("match changed the registry or created files: %v, was %v", f, files)
	}

	// shortlist ranks the registry's zones too: the two of Normandie.
	code, out, errs := runCmd(t, "shortlist", "--region", "28", "--kinds", "zone", "--json", "--db", db)
	var sl wire.ShortlistResponse
	if err := json.Unmarshal([]byte(out), &sl); code != exitOK || err != nil || sl.DataVersion != over.Version || sl.Best == nil ||
		!slices.Equal([]string{sl.Best.A, sl.Best.B}, want) {
		t.Errorf("shortlist --db: exit %d, %s, best %+v, data_version %s", code, errs, sl.Best, sl.DataVersion)
	}

	// A --db that does not exist: an error, and no file.
	missing := filepath.Join(dir, "missing.gpkg")
	code, _, errs = runZonesMatch(t, "--json", "--db", missing)
	if code != exitError || !strings.Contains(errs, "no site registry at "+missing) {
		t.Errorf("missing --db: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("match created %s", missing)
	}

	// In a folder without sitematch.gpkg: the snapshot alone, no file made.
	work := t.TempDir()
	t.Chdir(work)
	version, ids, notes = matchIDs(t)
	if version != snap.Version || len(ids) != 0 || notes != "" {
		t.Errorf("without a registry: data_version %s (want the snapshot's %s), ranked %v, notes %q", version, snap.Version, ids, notes)
	}
	if f := dirFiles(t, work); len(f) != 0 {
		t.Errorf("match created %v", f)
	}

	if code, out, errs := runCmd(t, "shortlist", "--region", "28", "--kinds", "zone", "--json"); code != exitOK || !strings.Contains(out, `"best": null`) {
		t.Errorf("shortlist without a registry: exit %d, %s\n%s", code, errs, out)
	}

	// SITEMATCH_DB names the registry; --db wins over it.
	t.Setenv("SITEMATCH_DB", db)
	if version, _, _ = matchIDs(t); version != over.Version {
		t.Errorf("SITEMATCH_DB: data_version %s, want %s", version, over.Version)
	}
	if code, _, errs := runZonesMatch(t, "--db", missing); code != exitError || !strings.Contains(errs, missing) {
		t.Errorf("--db beside SITEMATCH_DB: exit %d, %s", code, errs)
	}
	t.Setenv("SITEMATCH_DB", "")

	// ./sitematch.gpkg, when it exists, is the default.
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, defaultDB), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if version, _, _ = matchIDs(t); version != over.Version {
		t.Errorf("./%s: data_version %s, want %s", defaultDB, version, over.Version)
	}
}

// serveLike builds the server `sitematch serve --db db` builds, in process:
// the registry opened for writing, the snapshot with it applied, the API.
func serveLike(t *testing.T, db string) (http.Handler, *store.SQLite) {
	t.Helper()
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db, &store.Options{Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	over, err := store.Overlay(context.Background(), st, cat)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := matching.NewEngine(over)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.NewServer(api.Config{Logger: slog.New(slog.DiscardHandler)}, eng, st)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler(), st
}

// postJSON sends a JSON body and returns the answer's body.
func postJSON(t *testing.T, h http.Handler, path, body string) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body.String())
	}
	b, _ := io.ReadAll(rec.Body)
	return b
}

// compact returns the JSON b without its insignificant whitespace.
func compact(t *testing.T, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return buf.String()
}

// TestCLIAgreesWithTheServer runs match and shortlist --json on the
// registry file a server (built as serve builds it) holds open: the CLI
// prints the API's bytes (once compacted) for the same request, for a
// match and for the shortlist of Normandie, and the same data_version as
// /v1/meta; after a write through the store, the CLI follows.
func TestCLIAgreesWithTheServer(t *testing.T) {
	dir := t.TempDir()
	db := newRankRegistry(t, dir)
	h, st := serveLike(t, db)
	t.Chdir(dir) // no ./sitematch.gpkg: only --db counts

	meta := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/meta", nil))
		var m wire.MetaResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m.DataVersion
	}

	// match: the API's bytes.
	code, cli, errs := runZonesMatch(t, "--json", "--limit", "5", "--db", db)
	if code != exitOK {
		t.Fatalf("match: exit %d: %s", code, errs)
	}
	apiBody := postJSON(t, h, "/v1/match", `{"limit": 5, "project": `+zonesProject+`}`)
	if got, want := compact(t, []byte(cli)), compact(t, apiBody); got != want {
		t.Errorf("match --json differs from POST /v1/match:\n cli %.600s\n api %.600s", got, want)
	}
	var res wire.MatchResponse
	_ = json.Unmarshal(apiBody, &res)
	if res.DataVersion != meta() || len(res.Results) != 2 {
		t.Errorf("data_version %s, /v1/meta %s; %d results", res.DataVersion, meta(), len(res.Results))
	}

	// shortlist of Normandie: the API's bytes.
	code, cli, errs = runCmd(t, "shortlist", "--region", "28", "--json", "--db", db)
	if code != exitOK {
		t.Fatalf("shortlist: exit %d: %s", code, errs)
	}
	apiBody = postJSON(t, h, "/v1/shortlist", `{"region": "28"}`)
	if got, want := compact(t, []byte(cli)), compact(t, apiBody); got != want {
		t.Errorf("shortlist --json differs from POST /v1/shortlist:\n cli %.600s\n api %.600s", got, want)
	}
	var sl wire.ShortlistResponse
	if err := json.Unmarshal([]byte(cli), &sl); err != nil || sl.DataVersion != meta() || sl.Best == nil {
		t.Errorf("shortlist: data_version %s (meta %s), best %v, %v", sl.DataVersion, meta(), sl.Best, err)
	}

	// A write through the server: the CLI's next run ranks what the
	// server ranks, under the same data_version.
	key, _, err := st.CreateKey(context.Background(), "admin", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	before := meta()
	req := httptest.NewRequest(http.MethodDelete, "/v1/sites/zone:caen-cli", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("If-Match", `"v1"`)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body.String())
	}
	version, ids, _ := matchIDs(t, "--db", db)
	if after := meta(); version != after || after == before || !slices.Equal(ids, []string{"zone:rouen-cli"}) {
		t.Errorf("after the delete: CLI data_version %s, /v1/meta %s (before %s); ranked %v", version, after, before, ids)
	}
}

// TestMatchDataVersionIsServes runs the real `sitematch serve --db` on a
// registry file and `sitematch match --db` on the same file while the
// server holds it: the data_version of the match is the server's
// /v1/meta one.
func TestMatchDataVersionIsServes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	db := newRankRegistry(t, t.TempDir())
	_, base, _ := startServer(t, buildBinary(t), db)
	res, err := http.Get(base + "/v1/meta")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var meta wire.MetaResponse
	if err := json.NewDecoder(res.Body).Decode(&meta); err != nil {
		t.Fatal(err)
	}
	version, ids, _ := matchIDs(t, "--db", db)
	if version != meta.DataVersion || len(ids) != 2 {
		t.Errorf("match --db: data_version %s, serve's %s; ranked %v", version, meta.DataVersion, ids)
	}
}
