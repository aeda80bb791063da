package live

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

var (
	inNormandie = orb.Point{1.0922, 49.4418}
	inARA       = orb.Point{4.8439, 45.7552}
)

var (
	snapOnce sync.Once
	snapCat  *data.Catalogue
	snapEng  *matching.Engine
	snapErr  error
)

// newHolder returns a holder over a registry of its own (a GeoPackage in
// a temporary folder) and that registry.
func newHolder(t *testing.T) (*Holder, *store.SQLite) {
	t.Helper()
	snapOnce.Do(func() {
		if snapCat, snapErr = data.LoadEmbedded(); snapErr == nil {
			snapEng, snapErr = matching.NewEngine(snapCat)
		}
	})
	if snapErr != nil {
		t.Fatal(snapErr)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "registry.gpkg"), &store.Options{Reference: store.NewReference(snapCat)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rev, err := st.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := snapEng.WithSites(nil, nil, store.DataVersion(snapCat.Version, rev))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(eng, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h, st
}

var (
	admin     = store.Principal{Name: "admin", Role: store.RoleAdmin}
	normandie = store.Principal{Name: "normandie", Role: store.RoleRegionEditor, Region: "28"}
)

func turnkey(id string, p orb.Point) store.Site {
	area := 12.0
	return store.Site{ID: id, Kind: data.KindTurnkey, Name: "Site " + id, Point: p, AreaHa: &area}
}

// inStep checks that the engine, the turnkey collection and the data
// version all follow the registry.
func inStep(t *testing.T, h *Holder, st *store.SQLite, present, absent []string) {
	t.Helper()
	eng := h.Engine()
	tk, _ := h.Collections().Get("turnkey")
	for _, id := range present {
		if _, ok := eng.Candidate(id); !ok {
			t.Errorf("%s is not in the engine", id)
		}
		if _, ok := tk.Lookup(id); !ok {
			t.Errorf("%s is not in the turnkey collection", id)
		}
	}
	for _, id := range absent {
		if _, ok := eng.Candidate(id); ok {
			t.Errorf("%s is still in the engine", id)
		}
		if _, ok := tk.Lookup(id); ok {
			t.Errorf("%s is still in the turnkey collection", id)
		}
	}
	if n := len(eng.Catalogue().Turnkey); tk.Len() != n || tk.Indexed() != n {
		t.Errorf("turnkey collection: %d listed, %d indexed; engine %d", tk.Len(), tk.Indexed(), n)
	}
	rev, err := st.Revision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := eng.Catalogue().Version, store.DataVersion(snapCat.Version, rev); got != want {
		t.Errorf("engine at %s, registry at %s", got, want)
	}
}

// TestWritesWithoutHTTP drives the write coordinator directly: each
// acknowledged write is in the next engine and collections; rights and
// preconditions are checked against the site as stored.
func TestWritesWithoutHTTP(t *testing.T) {
	h, st := newHolder(t)
	ctx := context.Background()

	a, err := h.Create(ctx, admin, turnkey("turnkey:live-a", inNormandie))
	if err != nil {
		t.Fatal(err)
	}
	inStep(t, h, st, []string{a.ID}, nil)

	// A region editor may not create a site outside its région, nor move
	// one there; nothing is written.
	var fe *ForbiddenError
	if _, err := h.Create(ctx, normandie, turnkey("turnkey:live-lyon", inARA)); !errors.As(err, &fe) || fe.Field != "geometry" {
		t.Errorf("create in another région: %v", err)
	}
	moved := turnkey(a.ID, inARA)
	if _, err := h.Update(ctx, normandie, a.ID, a.ETag(), moved); !errors.As(err, &fe) {
		t.Errorf("move to another région: %v", err)
	}
	inStep(t, h, st, []string{a.ID}, []string{"turnkey:live-lyon"})

	// Preconditions: none is 428, a stale one 412, the current one writes.
	if _, err := h.Update(ctx, admin, a.ID, "", turnkey(a.ID, inNormandie)); !errors.Is(err, store.ErrPreconditionRequired) {
		t.Errorf("no If-Match: %v", err)
	}
	b, err := h.Update(ctx, normandie, a.ID, a.ETag(), turnkey(a.ID, orb.Point{1.1, 49.45}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Update(ctx, admin, a.ID, a.ETag(), turnkey(a.ID, inNormandie)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale If-Match: %v", err)
	}
	if c, _ := h.Engine().Candidate(a.ID); c.Site.Point != b.Point {
		t.Errorf("engine has %s at %v, the registry at %v", a.ID, c.Site.Point, b.Point)
	}
	// A kind cannot change; a patch and a delete go through the same way.
	zone := turnkey(a.ID, inNormandie)
	zone.Kind = data.KindZone
	var ve *store.ValidationError
	if _, err := h.Update(ctx, admin, a.ID, "*", zone); !errors.As(err, &ve) || ve.Fields[0].Field != "properties.kind" {
		t.Errorf("kind change: %v", err)
	}
	power := 7.0
	if _, err := h.Patch(ctx, admin, a.ID, "*", store.Patch{Fields: []string{"power_mw"}, Values: store.Site{PowerMW: &power}}); err != nil {
		t.Fatal(err)
	}
	tk, _ := h.Collections().Get("turnkey")
	if i, _ := tk.Lookup(a.ID); tk.Properties(i)["power_mw"] != 7.0 {
		t.Errorf("the collection serves power_mw %v after the patch", tk.Properties(i)["power_mw"])
	}
	if err := h.Delete(ctx, admin, a.ID, "*"); err != nil {
		t.Fatal(err)
	}
	inStep(t, h, st, nil, []string{a.ID})
}

// TestConcurrentWritesWithoutHTTP: concurrent creations all reach the
// engine and the collections, whatever the swaps that group them.
func TestConcurrentWritesWithoutHTTP(t *testing.T) {
	h, st := newHolder(t)
	var wg sync.WaitGroup
	var ids []string
	for w := range 4 {
		for k := range 5 {
			id := fmt.Sprintf("turnkey:c%d-%d", w, k)
			ids = append(ids, id)
		}
		wg.Go(func() {
			for k := range 5 {
				p := orb.Point{inNormandie[0] + float64(w)/100, inNormandie[1] + float64(k)/100}
				if _, err := h.Create(context.Background(), admin, turnkey(fmt.Sprintf("turnkey:c%d-%d", w, k), p)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	inStep(t, h, st, ids, nil)
}

// TestApplyChanges: a write committed straight to the registry (another
// replica, the command line) reaches the engine through ApplyChanges; the
// holder's own writes, coming back, are skipped.
func TestApplyChanges(t *testing.T) {
	h, st := newHolder(t)
	ctx := context.Background()
	from, err := st.Seq(ctx) // the registry's seeds are in the engine already
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Create(ctx, admin, turnkey("turnkey:own", inNormandie)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Create(ctx, "cli", turnkey("turnkey:elsewhere", orb.Point{1.2, 49.4})); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.Engine().Candidate("turnkey:elsewhere"); ok {
		t.Fatal("the engine holds a write it was not told of")
	}
	changes, err := st.Changes(ctx, from, 100)
	if err != nil || len(changes) != 2 {
		t.Fatalf("%d changes after %d (want 2), %v", len(changes), from, err)
	}
	if n, err := h.ApplyChanges(ctx, changes[:1]); err != nil || n != 0 {
		t.Errorf("the holder's own write, coming back: applied %d (want 0), %v", n, err)
	}
	n, err := h.ApplyChanges(ctx, changes[1:])
	if err != nil || n != 1 {
		t.Fatalf("applied %d (want 1: the other writer's), %v", n, err)
	}
	inStep(t, h, st, []string{"turnkey:own", "turnkey:elsewhere"}, nil)
}

// TestAnswersFollowTheEngine: the current engine's answer encoder is kept
// (what it caches serves every request on that engine); a write swaps in
// a new engine with a new encoder, and an engine swapped out gets one of
// its own, so that no answer reads a site encoded for another engine.
func TestAnswersFollowTheEngine(t *testing.T) {
	h, _ := newHolder(t)
	before := h.Engine()
	a := h.Answers(before)
	if a.Engine() != before || h.Answers(before) != a {
		t.Fatal("the current engine's encoder is not kept")
	}
	if _, err := h.Create(context.Background(), admin, turnkey("turnkey:answers", inNormandie)); err != nil {
		t.Fatal(err)
	}
	after := h.Engine()
	if after == before {
		t.Fatal("the write swapped no engine")
	}
	if b := h.Answers(after); b == a || b.Engine() != after || h.Answers(after) != b {
		t.Error("the new engine has no encoder of its own, kept")
	}
	if old := h.Answers(before); old == a || old.Engine() != before {
		t.Error("an engine swapped out is not given an encoder of its own")
	}
}
