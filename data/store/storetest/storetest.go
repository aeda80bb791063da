// Package storetest is the behaviour suite of the site registry, run
// against every implementation of store.Store (the GeoPackage file, and
// PostgreSQL/PostGIS): CRUD, ETag conflicts, history, brownfield
// corrections, validation, seeding and reopening, the overlay on the
// snapshot, imports that change nothing on error, API keys and their
// rights, and durability under SIGKILL. A package runs it with
//
//	func TestStore(t *testing.T) { storetest.Run(t, backend) }
//	func TestDurabilityChild(t *testing.T) { storetest.DurabilityChild(t, backend) }
//	func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) { storetest.SIGKILL(t, backend) }
//
// (the durability test re-executes the test binary, which must have a
// TestDurabilityChild calling DurabilityChild).
package storetest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/reader"
	"sitematch/data/store"
)

// Backend is one implementation of the registry under test.
type Backend struct {
	// New makes a new, empty place for a registry (a file path, a
	// database) and returns its name; the test's cleanup removes it.
	New func(t testing.TB) string
	// Open opens the registry named (creating and seeding it the first
	// time, as the implementation's Open does).
	Open func(name string, opt *store.Options) (store.Store, error)
	// Raw returns the registry's stored bytes as an attacker with the
	// files or a database dump would see them (the keys test looks for
	// plaintext keys in them).
	Raw func(t testing.TB, name string) []byte
}

// Checksummer is a store that hashes its sites and history: equal
// checksums mean equal contents. Both implementations are.
type Checksummer interface {
	Checksum(ctx context.Context) (string, error)
}

// IntegrityChecker checks the registry's invariants (every stored site's
// version has its history row).
type IntegrityChecker interface {
	IntegrityCheck(ctx context.Context) error
}

// Run runs the behaviour suite, each test on a new registry.
func Run(t *testing.T, b Backend) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"CRUDRoundTrip", testCRUDRoundTrip},
		{"ETagConflict", testETagConflict},
		{"History", testHistory},
		{"BrownfieldCorrection", testBrownfieldCorrection},
		{"Validation", testValidation},
		{"SeedAndReopen", testSeedAndReopen},
		{"Overlay", testOverlay},
		{"SchemaDescribesProperties", testSchemaDescribesProperties},
		{"ImportCNIG", testImportCNIG},
		{"ImportGeoJSONAndCSV", testImportGeoJSONAndCSV},
		{"ImportMalformedChangesNothing", testImportMalformedChangesNothing},
		{"Keys", testKeys},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, b) })
	}
}

// shared holds the catalogue reference, built once per test binary
// (loading the snapshot and indexing its communes take about a second).
var shared struct {
	once sync.Once
	ref  *store.Reference
	err  error
}

// Reference returns the embedded snapshot's reference, built once.
func Reference(tb testing.TB) *store.Reference {
	tb.Helper()
	shared.once.Do(func() {
		cat, err := data.LoadEmbedded()
		if err != nil {
			shared.err = err
			return
		}
		shared.ref = store.NewReference(cat)
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.ref
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// fresh opens a new registry with a test clock, closed after the test.
func (b Backend) fresh(tb testing.TB) (store.Store, string) {
	tb.Helper()
	name := b.New(tb)
	c := &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	st, err := b.Open(name, &store.Options{Reference: Reference(tb), Now: c.now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, name
}

func ptr[T any](v T) *T { return &v }

func checksum(t *testing.T, st store.Store) string {
	t.Helper()
	c, ok := st.(Checksummer)
	if !ok {
		t.Fatalf("%T has no Checksum", st)
	}
	sum, err := c.Checksum(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// testdata returns the path of a file of data/store/testdata.
func testdata(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", name)
}

func readImport(t *testing.T, spec store.ImportSpec, files ...string) []store.ImportItem {
	t.Helper()
	for i := range files {
		files[i] = testdata(files[i])
	}
	items, err := store.ReadImport(files, spec)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// FosZone is a polygon zone with every field set.
func FosZone() store.Site {
	return store.Site{
		ID: "zone:fos-caban", Kind: data.KindZone, Name: "Zone industrialo-portuaire de Fos - secteur Caban",
		Commune: "13039",
		Outline: orb.MultiPolygon{{{{4.8452, 43.4401}, {4.8713, 43.4401}, {4.8713, 43.4582}, {4.8452, 43.4582}, {4.8452, 43.4401}}}},
		AreaHa:  ptr(180.0), AvailableHa: ptr(60.0), LargestPlotHa: ptr(40.0), Zoning: "UXp",
		ICPE: "authorisation", Seveso: "upper_tier", PowerMW: ptr(120.0), RailSiding: ptr(true),
		Water: ptr(true), WaterM3h: ptr(500.0), AvailableFrom: "2025-01-01", PriceEURM2: ptr(35.0),
		Contact: "Grand Port Maritime de Marseille", URL: "https://www.marseille-port.fr/", Status: "disponible",
		Programme: "Territoire d'industrie", Source: "GPMM", VerifiedOn: "2024-10-01", Note: "Quai dédié",
	}
}

// SameContent compares two sites without their bookkeeping fields.
func SameContent(t *testing.T, got, want store.Site) {
	t.Helper()
	got.Version, got.CreatedAt, got.UpdatedAt, got.CreatedBy, got.UpdatedBy = 0, time.Time{}, time.Time{}, "", ""
	want.Version, want.CreatedAt, want.UpdatedAt, want.CreatedBy, want.UpdatedBy = 0, time.Time{}, time.Time{}, "", ""
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got.Feature())
		wj, _ := json.Marshal(want.Feature())
		t.Errorf("site differs:\n got %s\nwant %s", gj, wj)
	}
}

// TestCRUDRoundTrip creates a polygon zone with every field, reads it
// back identical, replaces it, patches it, lists it by kind and box, and
// deletes it.
func testCRUDRoundTrip(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	in := FosZone()
	created, err := st.Create(ctx, "alice", in)
	if err != nil {
		t.Fatal(err)
	}
	if created.Version != 1 || created.ETag() != `"v1"` || created.CreatedBy != "alice" || created.CreatedAt.IsZero() {
		t.Errorf("created: version %d, etag %s, by %q at %v", created.Version, created.ETag(), created.CreatedBy, created.CreatedAt)
	}
	if !(created.Point[0] > 4.8452 && created.Point[0] < 4.8713 && created.Point[1] > 43.4401 && created.Point[1] < 43.4582) {
		t.Errorf("location %v is not inside the outline", created.Point)
	}
	got, err := st.Get(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	in.Point = created.Point
	SameContent(t, got, in)
	if !reflect.DeepEqual(got, created) {
		t.Errorf("Get differs from what Create returned:\n%+v\n%+v", got, created)
	}

	// Update replaces everything: unset fields are cleared.
	upd := store.Site{Kind: data.KindZone, Name: "Fos - Caban Sud", Point: orb.Point{4.86, 43.45}, AreaHa: ptr(90.0)}
	updated, err := st.Update(ctx, "bob", in.ID, created.ETag(), upd)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.UpdatedBy != "bob" || updated.CreatedBy != "alice" || updated.Commune != "13039" {
		t.Errorf("updated: version %d by %q, created by %q, commune %q", updated.Version, updated.UpdatedBy, updated.CreatedBy, updated.Commune)
	}
	if updated.Outline != nil || updated.PowerMW != nil || updated.ICPE != "" {
		t.Errorf("update kept old fields: %+v", updated)
	}

	// Patch changes only the named fields.
	patched, err := st.Patch(ctx, "carol", in.ID, updated.ETag(), store.Patch{
		Fields: []string{"power_mw", "rail_siding", "note"},
		Values: store.Site{PowerMW: ptr(35.0), RailSiding: ptr(false)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if patched.Version != 3 || *patched.PowerMW != 35 || *patched.RailSiding || patched.Name != "Fos - Caban Sud" || *patched.AreaHa != 90 {
		t.Errorf("patched: %+v", patched)
	}

	// List by kind and by box.
	page, err := st.List(ctx, store.Query{Kinds: []string{data.KindZone}})
	if err != nil || page.Matched != 1 || page.Sites[0].ID != in.ID {
		t.Errorf("List(zone) = %+v, %v", page, err)
	}
	page, _ = st.List(ctx, store.Query{Kinds: []string{data.KindTurnkey}, Limit: 5, Offset: 2})
	if page.Matched != 35 || len(page.Sites) != 5 {
		t.Errorf("List(turnkey, 5 from 2): matched %d, got %d (the seed has 35)", page.Matched, len(page.Sites))
	}
	far := orb.Bound{Min: orb.Point{0, 48}, Max: orb.Point{1, 49}}
	near := orb.Bound{Min: orb.Point{4.8, 43.4}, Max: orb.Point{4.9, 43.5}}
	if p, _ := st.List(ctx, store.Query{BBox: &far, Kinds: []string{data.KindZone}}); p.Matched != 0 {
		t.Errorf("bbox far: %d sites", p.Matched)
	}
	if p, _ := st.List(ctx, store.Query{BBox: &near}); p.Matched != 1 {
		t.Errorf("bbox near: %d sites", p.Matched)
	}

	if err := st.Delete(ctx, "dave", in.ID, patched.ETag()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, in.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after delete: %v, want ErrNotFound", err)
	}
	if err := st.Delete(ctx, "dave", in.ID, store.AnyVersion); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	// A re-created id continues its versions: an old ETag never matches again.
	again, err := st.Create(ctx, "alice", FosZone())
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != 5 {
		t.Errorf("re-created at version %d, want 5 (after the delete's 4)", again.Version)
	}
	if _, err := st.Create(ctx, "alice", FosZone()); !errors.Is(err, store.ErrExists) {
		t.Errorf("duplicate create: %v, want ErrExists", err)
	}
	// A generated id carries the kind.
	g := FosZone()
	g.ID = ""
	gen, err := st.Create(ctx, "alice", g)
	if err != nil || !strings.HasPrefix(gen.ID, "zone:") || len(gen.ID) != len("zone:")+10 {
		t.Errorf("generated id %q, %v", gen.ID, err)
	}
}

// TestETagConflict checks optimistic concurrency: a stale ETag is
// ErrConflict and changes nothing, a missing one ErrPreconditionRequired,
// "*" and weak or list forms of the current one pass.
func testETagConflict(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	v1, err := st.Create(ctx, "alice", FosZone())
	if err != nil {
		t.Fatal(err)
	}
	// Two editors read v1; the first write wins, the second is refused.
	if _, err := st.Patch(ctx, "alice", v1.ID, v1.ETag(), store.Patch{Fields: []string{"status"}, Values: store.Site{Status: "réservé"}}); err != nil {
		t.Fatal(err)
	}
	_, err = st.Patch(ctx, "bob", v1.ID, v1.ETag(), store.Patch{Fields: []string{"status"}, Values: store.Site{Status: "vendu"}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale patch: %v, want ErrConflict", err)
	}
	if !strings.HasPrefix(err.Error(), "store: ") {
		t.Errorf("error %q lacks the store: prefix", err)
	}
	if _, err := st.Update(ctx, "bob", v1.ID, v1.ETag(), FosZone()); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
	if err := st.Delete(ctx, "bob", v1.ID, `"v1"`); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale delete: %v", err)
	}
	if _, err := st.Update(ctx, "bob", v1.ID, "", FosZone()); !errors.Is(err, store.ErrPreconditionRequired) {
		t.Errorf("no precondition: %v", err)
	}
	cur, _ := st.Get(ctx, v1.ID)
	if cur.Status != "réservé" || cur.Version != 2 {
		t.Errorf("after the refused writes: status %q version %d", cur.Status, cur.Version)
	}
	forms := []func(v string) string{
		func(v string) string { return `W/"` + v + `"` },
		func(v string) string { return `"v99", "` + v + `"` },
		func(v string) string { return v },
		func(string) string { return store.AnyVersion },
	}
	for i, form := range forms {
		cur, _ := st.Get(ctx, v1.ID)
		s := FosZone()
		s.Note = fmt.Sprintf("form %d", i)
		tag := form("v" + strconv.FormatInt(cur.Version, 10))
		if _, err := st.Update(ctx, "bob", v1.ID, tag, s); err != nil {
			t.Errorf("If-Match %s: %v", tag, err)
		}
	}
	unknown := FosZone()
	unknown.ID = ""
	if _, err := st.Update(ctx, "x", "zone:nope", store.AnyVersion, unknown); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of an unknown id: %v", err)
	}

	// Concurrent writers with the same ETag: exactly one wins.
	base, _ := st.Get(ctx, v1.ID)
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = st.Patch(ctx, "w", v1.ID, base.ETag(), store.Patch{Fields: []string{"price_eur_m2"}, Values: store.Site{PriceEURM2: ptr(float64(10 + i))}})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("concurrent patch: %v", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of 8 concurrent writers with the same ETag won, want 1", wins)
	}
}

// TestHistory checks that every write is recorded: who, when, the verb,
// the fields changed, and the site before and after.
func testHistory(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	s, err := st.Create(ctx, "alice@normandie", FosZone())
	if err != nil {
		t.Fatal(err)
	}
	s, err = st.Patch(ctx, "bob", s.ID, s.ETag(), store.Patch{Fields: []string{"available_ha", "status"}, Values: store.Site{AvailableHa: ptr(12.5), Status: "partiellement commercialisé"}})
	if err != nil {
		t.Fatal(err)
	}
	// A patch that changes nothing is not recorded.
	if _, err := st.Patch(ctx, "bob", s.ID, s.ETag(), store.Patch{Fields: []string{"status"}, Values: store.Site{Status: s.Status}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, "carol", s.ID, s.ETag()); err != nil {
		t.Fatal(err)
	}
	h, err := st.History(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 {
		t.Fatalf("%d history entries, want 3", len(h))
	}
	want := []struct {
		who, verb string
		version   int64
		changed   []string
	}{
		{"alice@normandie", store.VerbCreate, 1, nil},
		{"bob", store.VerbPatch, 2, []string{"available_ha", "status"}},
		{"carol", store.VerbDelete, 3, nil},
	}
	for i, w := range want {
		c := h[i]
		if c.Who != w.who || c.Verb != w.verb || c.Version != w.version || c.SiteID != s.ID || c.At.IsZero() {
			t.Errorf("entry %d: %s %s v%d %s at %v", i, c.Who, c.Verb, c.Version, c.SiteID, c.At)
		}
		if w.changed != nil && !slices.Equal(c.Changed, w.changed) {
			t.Errorf("entry %d changed %v, want %v", i, c.Changed, w.changed)
		}
		if i > 0 && !c.At.After(h[i-1].At) {
			t.Errorf("entry %d at %v is not after %v", i, c.At, h[i-1].At)
		}
	}
	if !slices.Contains(h[0].Changed, "geometry") || !slices.Contains(h[0].Changed, "power_mw") {
		t.Errorf("creation lists %v", h[0].Changed)
	}
	type feature struct {
		ID         string         `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	var before, after feature
	if string(h[0].Before) != "null" || string(h[2].After) != "null" {
		t.Errorf("create before %s, delete after %s: want null", h[0].Before, h[2].After)
	}
	if err := json.Unmarshal(h[1].Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(h[1].After, &after); err != nil {
		t.Fatal(err)
	}
	if before.Properties["available_ha"] != 60.0 || after.Properties["available_ha"] != 12.5 ||
		after.Properties["status"] != "partiellement commercialisé" || after.Properties["updated_by"] != "bob" ||
		before.ID != s.ID || after.Geometry["type"] != "Polygon" || after.Properties["version"] != 2.0 {
		t.Errorf("before %+v\nafter %+v", before, after)
	}
	if _, err := st.History(ctx, "zone:unknown"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("history of an unknown id: %v", err)
	}
}

// TestBrownfieldCorrection corrects a snapshot brownfield: it reads as
// version 0 from the snapshot, a patch stores a correction, and deleting
// the correction brings the snapshot's record back with a newer version.
func testBrownfieldCorrection(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	const id = "brownfield:01004_21070"
	snap, err := st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version != 0 || snap.Status != "friche avec projet" {
		t.Fatalf("snapshot brownfield: %+v", snap)
	}
	fixed, err := st.Patch(ctx, "ara", id, snap.ETag(), store.Patch{Fields: []string{"status", "area_ha"}, Values: store.Site{Status: "friche sans projet", AreaHa: ptr(4.2)}})
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Version != 1 || fixed.Name != snap.Name || fixed.Status != "friche sans projet" {
		t.Errorf("correction: %+v", fixed)
	}
	page, _ := st.List(ctx, store.Query{Kinds: []string{data.KindBrownfield}})
	if page.Matched != 1 {
		t.Errorf("%d brownfield corrections listed, want 1", page.Matched)
	}
	if err := st.Delete(ctx, "ara", id, fixed.ETag()); err != nil {
		t.Fatal(err)
	}
	back, err := st.Get(ctx, id)
	if err != nil || back.Status != "friche avec projet" || back.Version != 2 {
		t.Errorf("after deleting the correction: %+v, %v", back, err)
	}
	h, _ := st.History(ctx, id)
	if len(h) != 2 || string(h[0].Before) == "null" {
		t.Errorf("history %d entries; first before %s (want the snapshot record)", len(h), h[0].Before)
	}
	if _, err := st.Patch(ctx, "ara", id, fixed.ETag(), store.Patch{Fields: []string{"note"}, Values: store.Site{Note: "x"}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("patch with the deleted correction's ETag: %v, want ErrConflict", err)
	}
}

// TestValidation checks that every bad field is named by its Feature path.
func testValidation(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	ring := func(pts ...orb.Point) store.Site {
		s := FosZone()
		s.Outline = orb.MultiPolygon{{pts}}
		return s
	}
	cases := []struct {
		name   string
		site   func() store.Site
		fields []string
	}{
		{"no name, no geometry", func() store.Site { return store.Site{Kind: data.KindZone} }, []string{"properties.name", "geometry"}},
		{"unknown kind", func() store.Site { s := FosZone(); s.Kind = "town"; s.ID = ""; return s }, []string{"properties.kind"}},
		{"id of another kind", func() store.Site { s := FosZone(); s.ID = "turnkey:x"; return s }, []string{"id"}},
		{"id with spaces", func() store.Site { s := FosZone(); s.ID = "zone:a b"; return s }, []string{"id"}},
		{"negative area, available over total", func() store.Site {
			s := FosZone()
			s.AreaHa, s.AvailableHa = ptr(-3.0), ptr(-1.0)
			return s
		}, []string{"properties.area_ha", "properties.available_ha"}},
		{"available over total", func() store.Site { s := FosZone(); s.AvailableHa = ptr(500.0); return s }, []string{"properties.available_ha"}},
		{"latitude out of range", func() store.Site { s := FosZone(); s.Outline = nil; s.Point = orb.Point{4.8, 95}; return s }, []string{"geometry.coordinates"}},
		{"swapped lon/lat", func() store.Site { s := FosZone(); s.Outline = nil; s.Point = orb.Point{43.45, 4.86}; return s }, []string{"geometry.coordinates"}},
		{"commune far from the site", func() store.Site { s := FosZone(); s.Commune = "76351"; return s }, []string{"properties.commune"}},
		{"unknown commune", func() store.Site { s := FosZone(); s.Commune = "99999"; return s }, []string{"properties.commune"}},
		{"unclosed ring", func() store.Site {
			return ring(orb.Point{4.84, 43.44}, orb.Point{4.87, 43.44}, orb.Point{4.87, 43.45}, orb.Point{4.84, 43.45})
		}, []string{"geometry.coordinates[0]"}},
		{"bow tie", func() store.Site {
			return ring(orb.Point{4.84, 43.44}, orb.Point{4.87, 43.45}, orb.Point{4.87, 43.44}, orb.Point{4.84, 43.45}, orb.Point{4.84, 43.44})
		}, []string{"geometry.coordinates"}},
		{"bad URL, future check", func() store.Site { s := FosZone(); s.URL = "ftp://x"; s.VerifiedOn = "2031-01-01"; return s },
			[]string{"properties.url", "properties.verified_on"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := st.Create(ctx, "t", tc.site())
			var ve *store.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Create: %v, want a *ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
	// Values from JSON and files are checked by SetProperty.
	var s store.Site
	for _, bad := range []struct {
		name string
		v    any
	}{{"area_ha", "trente"}, {"rail_siding", "peut-être"}, {"icpe", "maybe"}, {"verified_on", "31/02/2024"}, {"colour", "red"}, {"version", 3.0}} {
		err := s.SetProperty(bad.name, bad.v)
		var ve *store.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "properties."+bad.name {
			t.Errorf("SetProperty(%s, %v) = %v", bad.name, bad.v, err)
		}
	}
	for _, good := range []struct {
		name string
		v    any
		want any
	}{{"area_ha", "12,5", 12.5}, {"rail_siding", "oui", true}, {"icpe", "Autorisation", "authorisation"}, {"seveso", "seuil bas", "lower_tier"}, {"verified_on", "14/05/2024", "2024-05-14"}} {
		if err := s.SetProperty(good.name, good.v); err != nil {
			t.Errorf("SetProperty(%s, %v): %v", good.name, good.v, err)
		}
		if got := s.Properties()[good.name]; got != good.want {
			t.Errorf("%s = %v, want %v", good.name, got, good.want)
		}
	}
}

// TestSeedAndReopen checks the first-start seed (the 35 turnkey sites of
// the snapshot, nothing else) and that reopening keeps every write.
func testSeedAndReopen(t *testing.T, b Backend) {
	ctx := context.Background()
	st, path := b.fresh(t)
	page, err := st.List(ctx, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	cat := Reference(t).Catalogue()
	if page.Matched != len(cat.Turnkey) || len(cat.Turnkey) != 35 {
		t.Fatalf("seeded %d sites, snapshot has %d turnkey", page.Matched, len(cat.Turnkey))
	}
	// The registry holds every field of a turnkey site but its
	// availability text and commitment, which Apply takes from the
	// snapshot.
	applied := store.Apply(cat, page.Sites, "r")
	for i, s := range page.Sites {
		d := s.CatalogueSite()
		if d.AvailableFrom != "" || d.CommittedTo != "" {
			t.Errorf("%s: the registry record carries snapshot-only facts %q, %q", d.ID, d.AvailableFrom, d.CommittedTo)
		}
		if !reflect.DeepEqual(applied.Turnkey[i], cat.Turnkey[i]) {
			t.Errorf("seeded %+v\nsnapshot %+v", applied.Turnkey[i], cat.Turnkey[i])
		}
	}
	h, _ := st.History(ctx, page.Sites[0].ID)
	if len(h) != 1 || h[0].Verb != store.VerbSeed {
		t.Errorf("seed history %+v", h)
	}
	if _, err := st.Create(ctx, "alice", FosZone()); err != nil {
		t.Fatal(err)
	}
	rev1, _ := st.Revision(ctx)
	st.Close()
	st2, err := b.Open(path, &store.Options{Reference: Reference(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	page, _ = st2.List(ctx, store.Query{})
	if page.Matched != 36 {
		t.Errorf("reopened store has %d sites, want 36 (no second seed)", page.Matched)
	}
	if rev2, _ := st2.Revision(ctx); rev2 != rev1 {
		t.Errorf("revision %s after reopening, was %s", rev2, rev1)
	}
}

// TestOverlay applies the registry to the snapshot catalogue.
func testOverlay(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	base := Reference(t).Catalogue()
	if _, err := st.Create(ctx, "a", FosZone()); err != nil {
		t.Fatal(err)
	}
	snap, _ := st.Get(ctx, "brownfield:01004_21070")
	if _, err := st.Patch(ctx, "a", snap.ID, snap.ETag(), store.Patch{Fields: []string{"status"}, Values: store.Site{Status: "friche sans projet"}}); err != nil {
		t.Fatal(err)
	}
	tk, _ := st.List(ctx, store.Query{Kinds: []string{data.KindTurnkey}, Limit: 1})
	if err := st.Delete(ctx, "a", tk.Sites[0].ID, tk.Sites[0].ETag()); err != nil {
		t.Fatal(err)
	}
	cat, err := store.Overlay(ctx, st, base)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Turnkey) != len(base.Turnkey)-1 || len(cat.Zones) != 1 || len(cat.Brownfields) != len(base.Brownfields) {
		t.Errorf("overlay: %d turnkey, %d zones, %d brownfields", len(cat.Turnkey), len(cat.Zones), len(cat.Brownfields))
	}
	if err := cat.Validate(); err != nil {
		t.Error(err)
	}
	for _, b := range cat.Brownfields {
		if b.ID == snap.ID && b.Status != "friche sans projet" {
			t.Errorf("correction not applied: %+v", b)
		}
	}
	if cat.Version == base.Version || !strings.HasPrefix(cat.Version, "sha256:") {
		t.Errorf("version %s", cat.Version)
	}
	if len(base.Turnkey) != 35 {
		t.Errorf("Overlay modified the base catalogue")
	}
	cat2, recs, err := store.OverlayRecords(ctx, st, base)
	if err != nil || cat2.Version != cat.Version || len(recs) != len(cat.Turnkey)+2 || !slices.IsSortedFunc(recs, func(a, b store.Site) int {
		return strings.Compare(a.ID, b.ID)
	}) {
		t.Errorf("OverlayRecords: %d records, version %s (Overlay's %s), %v", len(recs), cat2.Version, cat.Version, err)
	}
	rec, up, del, err := store.EngineChange(ctx, st, tk.Sites[0].ID)
	if err != nil || rec != nil || len(up) != 0 || !slices.Equal(del, []string{tk.Sites[0].ID}) {
		t.Errorf("EngineChange of a deleted site: %v %v %v %v", rec, up, del, err)
	}
	rec, up, _, _ = store.EngineChange(ctx, st, "zone:fos-caban")
	if len(up) != 1 || up[0].AreaHa != 60 || len(up[0].Outline) != 1 || rec == nil || rec.ID != "zone:fos-caban" || rec.Version != 1 {
		t.Errorf("EngineChange of a zone: %+v, record %+v", up, rec)
	}
	// A snapshot brownfield without a correction has no record; a
	// corrected one has.
	rec, up, _, _ = store.EngineChange(ctx, st, "brownfield:01004_21070")
	if rec == nil || !rec.Stored() || rec.Status != "friche sans projet" || len(up) != 1 {
		t.Errorf("EngineChange of a corrected brownfield: %+v, record %+v", up, rec)
	}
	other := base.Brownfields[len(base.Brownfields)-1]
	rec, up, _, _ = store.EngineChange(ctx, st, other.ID)
	if rec != nil || len(up) != 1 || up[0].Name != other.Name {
		t.Errorf("EngineChange of an uncorrected brownfield: %+v, record %+v", up, rec)
	}
}

// TestSchemaDescribesProperties checks Schema against the properties of a
// stored site with every field set: the same names in the same order,
// each value of the JSON type (and format, and among the values) Schema
// gives, and only the bookkeeping ones read-only.
func testSchemaDescribesProperties(t *testing.T, b Backend) {
	st, _ := b.fresh(t)
	z := FosZone()
	z.Placement = "centre of the commune"
	s, err := st.Create(context.Background(), "alice", z)
	if err != nil {
		t.Fatal(err)
	}
	props := s.Properties()
	schema := store.Schema()
	var writable []string
	for _, f := range schema {
		if !f.ReadOnly {
			writable = append(writable, f.Name)
		}
		v, ok := props[f.Name]
		if !ok {
			t.Errorf("%s: in Schema, not in the site's properties", f.Name)
			continue
		}
		var typ string
		switch v.(type) {
		case string:
			typ = "string"
		case float64:
			typ = "number"
		case int64:
			typ = "integer"
		case bool:
			typ = "boolean"
		}
		if typ != f.Type {
			t.Errorf("%s = %#v: a %s, Schema says %s", f.Name, v, typ, f.Type)
		}
		layout := map[string]string{"date": "2006-01-02", "date-time": "2006-01-02T15:04:05.000Z07:00"}[f.Format]
		if _, err := time.Parse(layout, fmt.Sprint(v)); f.Format != "" && err != nil {
			t.Errorf("%s = %v: not a %s", f.Name, v, f.Format)
		}
		if len(f.Enum) > 0 && !slices.Contains(f.Enum, v.(string)) {
			t.Errorf("%s = %v: not in %v", f.Name, v, f.Enum)
		}
	}
	if len(props) != len(schema) {
		t.Errorf("%d properties, %d in Schema", len(props), len(schema))
	}
	if !slices.Equal(writable, store.Fields()) {
		t.Errorf("writable %v, Fields %v", writable, store.Fields())
	}
}

// TestImportCNIG imports the CNIG site and plot files: three zones are
// created with the mapped fields and the plot figures, a second import
// changes nothing, and a dry run of a changed file reports the update
// without writing it.
func testImportCNIG(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	items := readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_site_eco.csv", "cnig_terrain_eco.csv")
	rep, err := st.Import(ctx, "import:hdf", items, store.ImportOptions{})
	if err != nil {
		t.Fatalf("%v\n%+v", err, rep)
	}
	if rep.Created != 3 || rep.Updated != 0 || rep.Invalid != 0 || !rep.Committed {
		t.Fatalf("report %+v", rep)
	}
	bornes, err := st.Get(ctx, "zone:80024_SITE-ECO_00001")
	if err != nil {
		t.Fatal(err)
	}
	// 9.9 ha sold; 3.2 ha available and 2.5 ha being marketed.
	if bornes.Name != "ZAC Les Bornes du Temps" || bornes.Commune != "80024" || *bornes.AreaHa != 37.2 ||
		*bornes.AvailableHa != 5.7 || *bornes.LargestPlotHa != 3.2 || *bornes.PriceEURM2 != 28 ||
		bornes.VerifiedOn != "2024-05-14" || bornes.Contact != "Amiens Développement" || !*bornes.Water ||
		*bornes.RailSiding || bornes.Status != "existant et actif" || len(bornes.Outline) != 1 {
		t.Errorf("Bornes du Temps: %+v", bornes)
	}
	pj, _ := st.Get(ctx, "zone:76476_SITE-ECO_00012")
	if pj.Outline != nil || pj.Point[0] != 0.5751 || pj.Programme != "Site clé en main" || pj.Contact != "Caux Seine agglo" || !*pj.RailSiding {
		t.Errorf("Port-Jérôme: %+v", pj)
	}
	carling, _ := st.Get(ctx, "zone:57606_SITE-ECO_00003")
	if *carling.AvailableHa != 18 || *carling.LargestPlotHa != 18 || *carling.PriceEURM2 != 12 {
		t.Errorf("Carling plots: available %v, largest %v, price %v", *carling.AvailableHa, *carling.LargestPlotHa, *carling.PriceEURM2)
	}
	h, _ := st.History(ctx, carling.ID)
	if len(h) != 1 || h[0].Verb != store.VerbImport || h[0].Who != "import:hdf" {
		t.Errorf("history %+v", h)
	}

	// The same files again: nothing changes.
	sum := checksum(t, st)
	items = readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_site_eco.csv", "cnig_terrain_eco.csv")
	rep, err = st.Import(ctx, "import:hdf", items, store.ImportOptions{})
	if err != nil || rep.Unchanged != 3 || rep.Created+rep.Updated != 0 {
		t.Errorf("re-import: %+v, %v", rep, err)
	}
	if checksum(t, st) != sum {
		t.Error("an import of unchanged records changed the store")
	}

	// Plots alone complete the stored sites; an editor's own fields stay.
	if _, err := st.Patch(ctx, "editor", carling.ID, carling.ETag(), store.Patch{Fields: []string{"power_mw"}, Values: store.Site{PowerMW: ptr(80.0)}}); err != nil {
		t.Fatal(err)
	}
	sum = checksum(t, st)
	items = readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_terrain_eco.csv")
	for i := range items {
		if items[i].Site.ID == carling.ID {
			v := 20.0
			items[i].Site.AvailableHa = &v // as if a plot had been added
		}
	}
	rep, err = st.Import(ctx, "import:hdf", items, store.ImportOptions{DryRun: true})
	if err != nil || rep.Updated != 1 || rep.Unchanged != 1 || rep.Committed {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	for _, it := range rep.Items {
		if it.Outcome == store.OutcomeUpdated && (it.ID != carling.ID || !slices.Equal(it.Changed, []string{"available_ha"})) {
			t.Errorf("dry run item %+v", it)
		}
	}
	if checksum(t, st) != sum {
		t.Error("a dry run changed the store")
	}
	var out strings.Builder
	rep.Print(&out)
	if !strings.Contains(out.String(), "dry run: 0 created, 1 updated, 1 unchanged, 0 invalid") || !strings.Contains(out.String(), "nothing written (dry run)") {
		t.Errorf("report:\n%s", out.String())
	}
	if _, err := st.Import(ctx, "import:hdf", items, store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	carling, _ = st.Get(ctx, carling.ID)
	if *carling.AvailableHa != 20 || *carling.PowerMW != 80 {
		t.Errorf("after the plot import: available %v, power %v", *carling.AvailableHa, *carling.PowerMW)
	}
}

// TestImportGeoJSONAndCSV imports any GeoJSON (properties named like the
// fields) and a CSV with lon/lat columns through a field mapping.
func testImportGeoJSONAndCSV(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	items := readImport(t, store.ImportSpec{}, "zones.geojson")
	rep, err := st.Import(ctx, "cli", items, store.ImportOptions{})
	if err != nil || rep.Created != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	fos, _ := st.Get(ctx, "zone:fos-caban")
	if fos.ICPE != "authorisation" || fos.Seveso != "upper_tier" || *fos.PowerMW != 120 || *fos.WaterM3h != 500 || len(fos.Outline) != 1 {
		t.Errorf("Fos: %+v", fos)
	}
	vdc, _ := st.Get(ctx, "zone:vallee-chimie-appel-des-30")
	if vdc.ICPE != "registration" || vdc.Seveso != "none" || *vdc.RailSiding || vdc.AvailableFrom != "2025-06-01" {
		t.Errorf("Vallée de la chimie: %+v", vdc)
	}

	m, err := store.ParseMapping("id=IDENT,name=NOM_SITE,commune=INSEE,area_ha=SURF_HA")
	if err != nil {
		t.Fatal(err)
	}
	items = readImport(t, store.ImportSpec{Format: store.FormatCSV, Map: m, Kind: "turnkey"}, "zones_lonlat.csv")
	rep, err = st.Import(ctx, "cli", items, store.ImportOptions{})
	if err != nil || rep.Created != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	dk, err := st.Get(ctx, "turnkey:DK-01")
	if err != nil || *dk.AreaHa != 210.5 || dk.Point[0] != 2.3017 || dk.Commune != "59183" {
		t.Errorf("Dunkerque: %+v %v", dk, err)
	}
	if _, err := store.ParseMapping("surface=SURF,name"); err == nil {
		t.Error("a bad mapping was accepted")
	}
	_, err = store.ReadImport([]string{testdata("zones_lonlat.csv")}, store.ImportSpec{Map: store.Mapping{"name": "NOM"}})
	if err == nil || !strings.Contains(err.Error(), `no column "NOM"`) {
		t.Errorf("mapping to a missing column: %v", err)
	}
}

// TestImportMalformedChangesNothing imports files with bad records: the
// error names the file and line of each, and the store's checksum (every
// row of sites and site_history) is unchanged.
func testImportMalformedChangesNothing(t *testing.T, b Backend) {
	ctx := context.Background()
	st, _ := b.fresh(t)
	if _, err := st.Import(ctx, "cli", readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_site_eco.csv"), store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before := checksum(t, st)

	// A bad value on line 3: the good records on lines 2 and 4 are not
	// written either.
	items := readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_malformed.csv")
	rep, err := st.Import(ctx, "cli", items, store.ImportOptions{})
	var ve *store.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("import of a malformed file: %v", err)
	}
	if rep.Invalid != 1 || rep.Updated != 1 || rep.Created != 1 || rep.Committed {
		t.Errorf("report %+v", rep)
	}
	if len(ve.Fields) != 1 || ve.Fields[0].Field != testdata("cnig_malformed.csv")+":3: properties.area_ha" ||
		!strings.Contains(ve.Fields[0].Message, "site_surf_brute") {
		t.Errorf("errors %+v", ve.Fields)
	}
	if checksum(t, st) != before {
		t.Fatal("a failed import changed the store")
	}

	// A truncated line makes the file unreadable: the error names it.
	_, err = store.ReadImport([]string{testdata("cnig_truncated.csv")}, store.ImportSpec{Format: store.FormatCNIG})
	var re *reader.Error
	if !errors.As(err, &re) || re.Line != 3 || !strings.Contains(err.Error(), testdata("cnig_truncated.csv")+":3") {
		t.Errorf("truncated file: %v", err)
	}

	// Duplicate ids in one batch are refused.
	items = readImport(t, store.ImportSpec{}, "zones.geojson", "zones.geojson")
	if _, err := st.Import(ctx, "cli", items, store.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "is also at") {
		t.Errorf("duplicate ids: %v", err)
	}
	if checksum(t, st) != before {
		t.Fatal("a failed import changed the store")
	}
}

// TestKeys creates, authenticates and revokes keys, and checks that the
// database file never holds a plaintext key, only its SHA-256.
func testKeys(t *testing.T, b Backend) {
	ctx := context.Background()
	st, path := b.fresh(t)
	key, k, err := st.CreateKey(ctx, "normandie-ad", store.RoleRegionEditor, "28")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^smk_[a-z2-7]{32}$`).MatchString(key) || k.Region != "28" || k.CreatedAt.IsZero() {
		t.Errorf("key %q, record %+v", key, k)
	}
	admin, _, err := st.CreateKey(ctx, "root", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Authenticate(ctx, key)
	if err != nil || p != (store.Principal{Name: "normandie-ad", Role: store.RoleRegionEditor, Region: "28"}) {
		t.Errorf("Authenticate = %+v, %v", p, err)
	}
	if !p.MayWrite("28") || p.MayWrite("32") || p.MayWrite("") {
		t.Error("a region editor's rights are wrong")
	}
	if pa, _ := st.Authenticate(ctx, admin); !pa.MayWrite("93") {
		t.Error("an admin may write anywhere")
	}
	// A key one character off: its last character replaced by another
	// (never by itself, which would be the real key).
	last := byte('a')
	if admin[len(admin)-1] == last {
		last = 'b'
	}
	for _, bad := range []string{"", "smk_", key + "x", "Bearer " + key, admin[:len(admin)-1] + string(last)} {
		if _, err := st.Authenticate(ctx, bad); !errors.Is(err, store.ErrUnauthorized) {
			t.Errorf("Authenticate(%q) = %v, want ErrUnauthorized", bad, err)
		}
	}
	if err := st.Revoke(ctx, "normandie-ad"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, key); !errors.Is(err, store.ErrUnauthorized) {
		t.Errorf("revoked key: %v", err)
	}
	if err := st.Revoke(ctx, "normandie-ad"); err != nil {
		t.Errorf("second revoke: %v", err)
	}
	if err := st.Revoke(ctx, "nobody"); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	keys, _ := st.Keys(ctx)
	if len(keys) != 2 || keys[0].Name != "normandie-ad" || keys[0].RevokedAt.IsZero() || !keys[1].RevokedAt.IsZero() {
		t.Errorf("keys %+v", keys)
	}

	cases := []struct{ name, role, region, field string }{
		{"x", "superuser", "", "role"},
		{"x", store.RoleRegionEditor, "", "region"},
		{"x", store.RoleRegionEditor, "99", "region"},
		{"x", store.RoleAdmin, "28", "region"},
		{"", store.RoleReader, "", "name"},
		{"has space", store.RoleReader, "", "name"},
		{"root", store.RoleReader, "", "name"},
	}
	for _, tc := range cases {
		_, _, err := st.CreateKey(ctx, tc.name, tc.role, tc.region)
		var ve *store.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != tc.field {
			t.Errorf("CreateKey(%q, %q, %q) = %v, want an error on %s", tc.name, tc.role, tc.region, err, tc.field)
		}
	}

	// The plaintext is nowhere in the stored bytes (for a file: live in
	// the WAL or checkpointed), only the hash.
	h := sha256.Sum256([]byte(admin))
	grep := func() (plain, hash bool) {
		raw := b.Raw(t, path)
		plain = bytes.Contains(raw, []byte(key)) || bytes.Contains(raw, []byte(admin)) || bytes.Contains(raw, []byte(admin[4:]))
		return plain, bytes.Contains(raw, []byte(hex.EncodeToString(h[:])))
	}
	if plain, hash := grep(); plain || !hash {
		t.Errorf("open store: plaintext found %v, hash found %v", plain, hash)
	}
	st.Close()
	if plain, hash := grep(); plain || !hash {
		t.Errorf("closed store: plaintext found %v, hash found %v", plain, hash)
	}
}

// childEnv names the registry a re-executed test binary writes to.
const childEnv = "SITEMATCH_STORE_DURABILITY_CHILD"

// Durability test parameters: writers in the child, and how many
// acknowledged writes the parent waits for before the SIGKILL.
const (
	childWriters = 8
	killAfter    = 600
)

// DurabilityChild is the child of SIGKILL, to be called from a test named
// TestDurabilityChild: it runs only when re-executed with childEnv set.
// Its writers create sites and patch them, and print "ack <id> <version>"
// once each write has returned, until the parent kills the process (or
// 60 s pass).
func DurabilityChild(t *testing.T, b Backend) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("runs only as the child of TestSIGKILLKeepsAcknowledgedWrites")
	}
	ref := Reference(t)
	st, err := b.Open(path, &store.Options{Reference: ref})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	communes := ref.Catalogue().Communes
	var out sync.Mutex
	ack := func(id string, v int64) {
		out.Lock()
		defer out.Unlock()
		fmt.Printf("ack %s %d\n", id, v) // one write(2) per line: atomic on a pipe
	}
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	var wg sync.WaitGroup
	for w := range childWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				c := communes[(w*7919+n*104729)%len(communes)]
				s := store.Site{ID: fmt.Sprintf("zone:w%d-%d", w, n), Kind: data.KindZone, Name: fmt.Sprintf("Zone %d-%d de %s", w, n, c.Name),
					Commune: c.Code, Point: orb.Point{c.Point[0] + 0.001, c.Point[1]}, AreaHa: ptr(float64(1 + n%50))}
				cur, err := st.Create(ctx, fmt.Sprintf("writer-%d", w), s)
				if err != nil {
					fmt.Println("error", err)
					os.Exit(3)
				}
				ack(cur.ID, cur.Version)
				for k := range 3 {
					cur, err = st.Patch(ctx, fmt.Sprintf("writer-%d", w), cur.ID, cur.ETag(), store.Patch{
						Fields: []string{"status", "available_ha"},
						Values: store.Site{Status: "étape " + strconv.Itoa(k), AvailableHa: ptr(float64(k) / 2)},
					})
					if err != nil {
						fmt.Println("error", err)
						os.Exit(3)
					}
					ack(cur.ID, cur.Version)
				}
			}
		}()
	}
	wg.Wait()
}

// SIGKILL runs a child process (the test binary, re-executed to run
// TestDurabilityChild) that writes to a registry from 8 goroutines,
// SIGKILLs it once it has acknowledged 600 writes, reopens the registry
// and checks that every acknowledged write is there and none is
// half-applied: each site's row matches the "after" of its history row
// for the same version, versions run 1..n without a gap, and the store's
// integrity check passes.
func SIGKILL(t *testing.T, b Backend) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	st, path := b.fresh(t) // created and seeded here, so the child only writes
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int64{}
	n, killedAt := 0, 0
	sc := bufio.NewScanner(stdout)
	timer := time.AfterFunc(90*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	start := time.Now()
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			if strings.HasPrefix(sc.Text(), "error") {
				t.Errorf("child: %s", sc.Text())
			}
			continue
		}
		v, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatalf("child printed %q", sc.Text())
		}
		acked[f[1]] = max(acked[f[1]], v)
		n++
		if n == killAfter {
			cmd.Process.Signal(syscall.SIGKILL)
			killedAt = n
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL (after %d acks): %v", n, err)
	}
	t.Logf("child SIGKILLed after %d acknowledged writes (%d printed in all) in %v, %d writers in flight",
		killedAt, n, time.Since(start).Round(time.Millisecond), childWriters)
	if n < 500 {
		t.Fatalf("only %d acknowledged writes", n)
	}

	st, err = b.Open(path, &store.Options{Reference: Reference(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ic, ok := st.(IntegrityChecker)
	if !ok {
		t.Fatalf("%T has no IntegrityCheck", st)
	}
	if err := ic.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	for id, v := range acked {
		s, err := st.Get(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged %s v%d is missing: %v", id, v, err)
		}
		if s.Version < v {
			t.Fatalf("acknowledged %s v%d, found v%d", id, v, s.Version)
		}
	}
	page, err := st.List(ctx, store.Query{Kinds: []string{data.KindZone}})
	if err != nil {
		t.Fatal(err)
	}
	extra := 0
	for _, s := range page.Sites {
		if _, ok := acked[s.ID]; !ok {
			extra++ // committed but killed before its ack was printed: allowed
		}
		h, err := st.History(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range h {
			if c.Version != int64(i+1) {
				t.Fatalf("%s: history versions %d at position %d", s.ID, c.Version, i)
			}
		}
		if len(h) == 0 || h[len(h)-1].Version != s.Version {
			t.Fatalf("%s: row at v%d, history ends at %+v", s.ID, s.Version, h)
		}
		var row, after any
		rj, _ := s.MarshalFeature()
		json.Unmarshal(rj, &row)
		json.Unmarshal(h[len(h)-1].After, &after)
		if !reflect.DeepEqual(row, after) {
			t.Fatalf("%s: half-applied write: row\n%s\nhistory after\n%s", s.ID, rj, h[len(h)-1].After)
		}
	}
	t.Logf("%d sites written, %d acknowledged ones all present; %d committed without an ack (killed in between)",
		len(page.Sites), len(acked), extra)
}
