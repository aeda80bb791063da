package layers

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/api/features"
	"sitematch/data"
	"sitematch/data/store"
)

// TestBuildServesEveryLayer: every titled layer of data.Layers is a
// collection, candidate layers first, each with as many features as the
// catalogue holds.
func TestBuildServesEveryLayer(t *testing.T) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	set := Build(cat, nil)
	var ids []string
	for _, c := range set.List() {
		ids = append(ids, c.ID)
	}
	for _, l := range data.Layers() {
		c, ok := set.Get(l.ID)
		if ok != (l.Title != "") {
			t.Errorf("layer %s (title %q): served %v", l.ID, l.Title, ok)
			continue
		}
		switch {
		case !ok:
		case l.Sites != nil && c.Len() != len(*l.Sites(cat)), l.Nodes != nil && c.Len() != len(*l.Nodes(cat)):
			t.Errorf("%s: %d features for the catalogue's layer", l.ID, c.Len())
		case c.Len() == 0 && !l.Registry: // the snapshot has no zones: the registry's only
			t.Errorf("%s is empty", l.ID)
		}
		if l.Class == data.ClassCandidate && ok && slices.Index(ids, l.ID) >= 4 {
			t.Errorf("candidate layer %s is not among the first collections: %v", l.ID, ids)
		}
	}
}

// featuresOf returns every feature of a collection as JSON, in order.
func featuresOf(t *testing.T, c *features.Collection) []string {
	t.Helper()
	out := make([]string, c.Len())
	for i := range out {
		b, err := json.Marshal(c.Feature(i))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

// TestUpdateEqualsBuild: the collections Update derives after registry
// changes (a site moved, one deleted, one created, one record added)
// serve the same features, and find the same ones in a box, as those
// Build makes of the changed catalogue; the other collections are shared.
func TestUpdateEqualsBuild(t *testing.T) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	before := Build(cat, nil)

	next := *cat
	tk := slices.Clone(cat.Turnkey)
	moved, gone := tk[0].ID, tk[1].ID
	tk[0].Point = orb.Point{tk[0].Point[0] + 0.5, tk[0].Point[1] - 0.5}
	tk = slices.Delete(tk, 1, 2)
	added := data.Site{ID: "turnkey:zzz-new", Kind: data.KindTurnkey, Name: "Nouveau", Commune: cat.Turnkey[0].Commune,
		Point: orb.Point{1.1, 49.4}}
	tk = append(tk, added)
	next.Turnkey = tk
	area := 9.0
	rec := store.Site{ID: moved, Kind: data.KindTurnkey, Name: "Corrigé", AreaHa: &area, Source: "test"}

	changed := []string{moved, gone, added.ID}
	got := Update(before, &next, changed, map[string]*store.Site{moved: &rec})
	want := Build(&next, []store.Site{rec})
	for _, w := range want.List() {
		g, _ := got.Get(w.ID)
		if w.ID != "turnkey" {
			if b, _ := before.Get(w.ID); g != b {
				t.Errorf("%s was rebuilt, not shared", w.ID)
			}
			continue
		}
		if !slices.Equal(featuresOf(t, g), featuresOf(t, w)) {
			t.Errorf("%s: the derived collection's features differ from a rebuild's", w.ID)
		}
		for _, b := range []orb.Bound{{Min: orb.Point{-5, 42}, Max: orb.Point{9, 51}}, {Min: orb.Point{0.5, 49}, Max: orb.Point{1.5, 49.9}}} {
			if gi, wi := g.InBound(&b), w.InBound(&b); !slices.Equal(gi, wi) {
				t.Errorf("%s in %v: derived %v, rebuilt %v", w.ID, b, gi, wi)
			}
		}
		if i, ok := g.Lookup(moved); !ok || g.Properties(i)["name"] != "Corrigé" || g.Properties(i)["source_detail"] != "test" {
			t.Errorf("%s: the moved site's record is not served (%v)", moved, ok)
		}
		if _, ok := g.Lookup(gone); ok {
			t.Errorf("%s: the deleted site is still served", gone)
		}
	}
}
