package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/store"
)

// shared holds the catalogue reference, built once per test binary
// (loading the snapshot and indexing its communes take about a second).
var shared struct {
	once sync.Once
	ref  *store.Reference
	err  error
}

func reference(tb testing.TB) *store.Reference {
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

// openStore opens a new store in a temporary folder.
func openStore(tb testing.TB) (*store.SQLite, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "registry.gpkg")
	c := &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(path, &store.Options{Reference: reference(tb), Now: c.now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, path
}

func ptr[T any](v T) *T { return &v }

// fosZone is a polygon zone with every field set.
func fosZone() store.Site {
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

// sameContent compares two sites without their bookkeeping fields.
func sameContent(t *testing.T, got, want store.Site) {
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
func TestCRUDRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	in := fosZone()
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
	sameContent(t, got, in)
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
	again, err := st.Create(ctx, "alice", fosZone())
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != 5 {
		t.Errorf("re-created at version %d, want 5 (after the delete's 4)", again.Version)
	}
	if _, err := st.Create(ctx, "alice", fosZone()); !errors.Is(err, store.ErrExists) {
		t.Errorf("duplicate create: %v, want ErrExists", err)
	}
	// A generated id carries the kind.
	g := fosZone()
	g.ID = ""
	gen, err := st.Create(ctx, "alice", g)
	if err != nil || !strings.HasPrefix(gen.ID, "zone:") || len(gen.ID) != len("zone:")+10 {
		t.Errorf("generated id %q, %v", gen.ID, err)
	}
}

// TestETagConflict checks optimistic concurrency: a stale ETag is
// ErrConflict and changes nothing, a missing one ErrPreconditionRequired,
// "*" and weak or list forms of the current one pass.
func TestETagConflict(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	v1, err := st.Create(ctx, "alice", fosZone())
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
	if _, err := st.Update(ctx, "bob", v1.ID, v1.ETag(), fosZone()); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
	if err := st.Delete(ctx, "bob", v1.ID, `"v1"`); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale delete: %v", err)
	}
	if _, err := st.Update(ctx, "bob", v1.ID, "", fosZone()); !errors.Is(err, store.ErrPreconditionRequired) {
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
		s := fosZone()
		s.Note = fmt.Sprintf("form %d", i)
		tag := form("v" + strconv.FormatInt(cur.Version, 10))
		if _, err := st.Update(ctx, "bob", v1.ID, tag, s); err != nil {
			t.Errorf("If-Match %s: %v", tag, err)
		}
	}
	unknown := fosZone()
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
func TestHistory(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	s, err := st.Create(ctx, "alice@normandie", fosZone())
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
func TestBrownfieldCorrection(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
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
func TestValidation(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	ring := func(pts ...orb.Point) store.Site {
		s := fosZone()
		s.Outline = orb.MultiPolygon{{pts}}
		return s
	}
	cases := []struct {
		name   string
		site   func() store.Site
		fields []string
	}{
		{"no name, no geometry", func() store.Site { return store.Site{Kind: data.KindZone} }, []string{"properties.name", "geometry"}},
		{"unknown kind", func() store.Site { s := fosZone(); s.Kind = "town"; s.ID = ""; return s }, []string{"properties.kind"}},
		{"id of another kind", func() store.Site { s := fosZone(); s.ID = "turnkey:x"; return s }, []string{"id"}},
		{"id with spaces", func() store.Site { s := fosZone(); s.ID = "zone:a b"; return s }, []string{"id"}},
		{"negative area, available over total", func() store.Site {
			s := fosZone()
			s.AreaHa, s.AvailableHa = ptr(-3.0), ptr(-1.0)
			return s
		}, []string{"properties.area_ha", "properties.available_ha"}},
		{"available over total", func() store.Site { s := fosZone(); s.AvailableHa = ptr(500.0); return s }, []string{"properties.available_ha"}},
		{"latitude out of range", func() store.Site { s := fosZone(); s.Outline = nil; s.Point = orb.Point{4.8, 95}; return s }, []string{"geometry.coordinates"}},
		{"swapped lon/lat", func() store.Site { s := fosZone(); s.Outline = nil; s.Point = orb.Point{43.45, 4.86}; return s }, []string{"geometry.coordinates"}},
		{"commune far from the site", func() store.Site { s := fosZone(); s.Commune = "76351"; return s }, []string{"properties.commune"}},
		{"unknown commune", func() store.Site { s := fosZone(); s.Commune = "99999"; return s }, []string{"properties.commune"}},
		{"unclosed ring", func() store.Site {
			return ring(orb.Point{4.84, 43.44}, orb.Point{4.87, 43.44}, orb.Point{4.87, 43.45}, orb.Point{4.84, 43.45})
		}, []string{"geometry.coordinates[0]"}},
		{"bow tie", func() store.Site {
			return ring(orb.Point{4.84, 43.44}, orb.Point{4.87, 43.45}, orb.Point{4.87, 43.44}, orb.Point{4.84, 43.45}, orb.Point{4.84, 43.44})
		}, []string{"geometry.coordinates"}},
		{"bad URL, future check", func() store.Site { s := fosZone(); s.URL = "ftp://x"; s.VerifiedOn = "2031-01-01"; return s },
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
func TestSeedAndReopen(t *testing.T) {
	ctx := context.Background()
	st, path := openStore(t)
	page, err := st.List(ctx, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	cat := reference(t).Catalogue()
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
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	rev1, _ := st.Revision(ctx)
	st.Close()
	st2, err := store.Open(path, &store.Options{Reference: reference(t)})
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
func TestOverlay(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	base := reference(t).Catalogue()
	if _, err := st.Create(ctx, "a", fosZone()); err != nil {
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
func TestSchemaDescribesProperties(t *testing.T) {
	st, _ := openStore(t)
	z := fosZone()
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

// TestOpenReadOnly opens registries read-only: a missing file is
// fs.ErrNotExist and stays missing, an empty file or another database is
// refused and left as it is; a registry reads the same as through Open,
// sees a writer's commits, and refuses writes without changing.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.gpkg")
	if _, err := store.OpenReadOnly(missing, &store.Options{Reference: reference(t)}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", missing)
	}
	empty := filepath.Join(dir, "empty.gpkg")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := store.OpenReadOnly(empty, &store.Options{Reference: reference(t)}); err == nil || !strings.Contains(err.Error(), "not a sitematch registry") {
		t.Errorf("empty file: %v", err)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file changed: %v", err)
	}

	st, path := openStore(t)
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	ro, err := store.OpenReadOnly(path, &store.Options{Reference: reference(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, s := range []*store.SQLite{st, ro} {
		if page, err := s.List(ctx, store.Query{}); err != nil || page.Matched != 36 {
			t.Errorf("List: %d sites, %v", page.Matched, err)
		}
	}
	rev, _ := st.Revision(ctx)
	if got, err := ro.Revision(ctx); err != nil || got != rev {
		t.Errorf("Revision %s, %v; the writer's %s", got, err, rev)
	}
	sum, _ := st.Checksum(ctx)
	z, _ := ro.Get(ctx, "zone:fos-caban")
	if _, err := ro.Create(ctx, "bob", store.Site{ID: "zone:ro", Kind: data.KindZone, Name: "x", Point: orb.Point{4.85, 43.44}}); err == nil {
		t.Error("a read-only store created a site")
	}
	if _, err := ro.Patch(ctx, "bob", z.ID, z.ETag(), store.Patch{Fields: []string{"note"}, Values: store.Site{Note: "n"}}); err == nil {
		t.Error("a read-only store patched a site")
	}
	if got, _ := st.Checksum(ctx); got != sum {
		t.Error("the registry changed through a read-only store")
	}
	// The writer's next commit is visible to the reader.
	if _, err := st.Patch(ctx, "alice", z.ID, z.ETag(), store.Patch{Fields: []string{"note"}, Values: store.Site{Note: "vu"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := ro.Get(ctx, z.ID); err != nil || got.Note != "vu" || got.Version != 2 {
		t.Errorf("after the writer's patch the reader gets %+v, %v", got, err)
	}
	if got, _ := ro.Revision(ctx); got == rev {
		t.Error("the reader's revision did not follow the writer")
	}
}

// TestOpenMustExist: with MustExist, Open refuses a missing file (and
// leaves it missing) and an empty one (and leaves it empty), and opens an
// existing registry for writing.
func TestOpenMustExist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opt := &store.Options{Reference: reference(t), MustExist: true}
	missing := filepath.Join(dir, "typo.gpkg")
	if _, err := store.Open(missing, opt); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v, want fs.ErrNotExist naming the file", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Open with MustExist created %v", entries)
	}
	empty := filepath.Join(dir, "empty.gpkg")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(empty, opt); err == nil || !strings.Contains(err.Error(), "not a sitematch registry") {
		t.Errorf("empty file: %v", err)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file changed: %v", err)
	}
	_, path := openStore(t)
	st, err := store.Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Errorf("writing an existing registry opened with MustExist: %v", err)
	}
}
