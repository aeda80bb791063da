package matching

import (
	"cmp"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// fosOutline is a 2 × 2 km zone of the Fos-sur-Mer industrial port.
var fosOutline = orb.MultiPolygon{{{{4.8452, 43.4401}, {4.8713, 43.4401}, {4.8713, 43.4582}, {4.8452, 43.4582}, {4.8452, 43.4401}}}}

func updateSites() (poly, point data.Site) {
	poly = data.Site{ID: "zone:fos-caban", Kind: data.KindZone, Name: "Fos - Caban", Commune: "13039",
		Point: geo.RepresentativePoint(fosOutline), Outline: fosOutline, AreaHa: 60, AreaKnown: true}
	point = data.Site{ID: "zone:vallee-chimie", Kind: data.KindZone, Name: "Vallée de la chimie", Commune: "69199",
		Point: orb.Point{4.8617, 45.6902}, AreaHa: 8.4, AreaKnown: true}
	return poly, point
}

// withZones returns a copy of cat whose zones are zs and whose brownfields
// have the upserts applied.
func withZones(cat *data.Catalogue, zs []data.Site, brownfield *data.Site) *data.Catalogue {
	c := *cat
	c.Zones = slices.Clone(zs)
	slices.SortFunc(c.Zones, func(a, b data.Site) int { return cmp.Compare(a.ID, b.ID) })
	if brownfield != nil {
		c.Brownfields = slices.Clone(cat.Brownfields)
		for i := range c.Brownfields {
			if c.Brownfields[i].ID == brownfield.ID {
				c.Brownfields[i] = *brownfield
			}
		}
	}
	return &c
}

func updateProject() Project {
	jobs, land := 120, 10.0
	lon, lat := 4.83, 43.30
	return Project{Name: "Unité de chimie de spécialité", Sector: "chemistry", Jobs: &jobs, LandHa: &land,
		Suppliers: []Partner{{Name: "Raffinerie", Commune: "13039"}, {Name: "Port", Lon: &lon, Lat: &lat}},
		Customers: []Partner{{Name: "Client lyonnais", Commune: "69123"}},
		Transport: map[string]float64{"port": 1, "rail_freight": 1, "motorway": 1}}
}

// sameEngines checks that two engines hold equal candidates in the same
// order and give the same match.
func sameEngines(t *testing.T, got, want *Engine) {
	t.Helper()
	if len(got.cands) != len(want.cands) {
		t.Fatalf("%d candidates, want %d", len(got.cands), len(want.cands))
	}
	for i := range want.cands {
		if !reflect.DeepEqual(got.cands[i], want.cands[i]) {
			t.Fatalf("candidate %d (%s) differs:\n got %+v\nwant %+v", i, want.cands[i].Site.ID, got.cands[i], want.cands[i])
		}
	}
	for _, kinds := range [][]string{nil, {data.KindZone}} {
		p := updateProject()
		p.Constraints.Kinds = kinds
		rg, err := got.Match(p, Options{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		rw, err := want.Match(p, Options{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if rg.Eligible != rw.Eligible || !reflect.DeepEqual(rg.Excluded, rw.Excluded) || len(rg.Results) != len(rw.Results) {
			t.Fatalf("kinds %v: eligible %d vs %d, excluded %v vs %v", kinds, rg.Eligible, rw.Eligible, rg.Excluded, rw.Excluded)
		}
		for i := range rw.Results {
			a, b := rg.Results[i], rw.Results[i]
			if a.Candidate.Site.ID != b.Candidate.Site.ID || a.Score != b.Score || !reflect.DeepEqual(a.Criteria, b.Criteria) {
				t.Fatalf("kinds %v, rank %d: %s %.4f vs %s %.4f", kinds, i+1, a.Candidate.Site.ID, a.Score, b.Candidate.Site.ID, b.Score)
			}
		}
	}
}

// TestWithSites adds a polygon zone and a point zone, corrects a
// brownfield, then deletes a zone, and checks each derived engine against
// a fresh NewEngine over the same catalogue (every candidate's features
// and the match results), and that the engines it derives from stay as
// they were.
func TestWithSites(t *testing.T) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	base, err := NewEngine(cat)
	if err != nil {
		t.Fatal(err)
	}
	baseCands := len(base.cands)
	poly, point := updateSites()
	fix := cat.Brownfields[100]
	fix.Status, fix.AreaHa, fix.AreaKnown = StatusNoProjet, 12, true

	e2, err := base.WithSites([]data.Site{poly, point, fix}, nil, "sha256:test")
	if err != nil {
		t.Fatal(err)
	}
	fresh2, err := NewEngine(withZones(cat, []data.Site{poly, point}, &fix))
	if err != nil {
		t.Fatal(err)
	}
	sameEngines(t, e2, fresh2)
	if e2.Catalogue().Version != "sha256:test" || len(e2.Catalogue().Zones) != 2 {
		t.Errorf("new catalogue: version %s, %d zones", e2.Catalogue().Version, len(e2.Catalogue().Zones))
	}
	p := updateProject()
	p.Constraints.Kinds = []string{data.KindZone}
	res, _ := e2.Match(p, Options{})
	// The 8.4 ha point zone is too small for 10 ha: excluded, not missing.
	if len(res.Results) != 1 || res.Results[0].Candidate.Site.ID != poly.ID || res.Excluded[ExclLand] != 1 {
		t.Fatalf("zones ranked %d, excluded for land %d", len(res.Results), res.Excluded[ExclLand])
	}

	// The old engine is unchanged.
	if len(base.cands) != baseCands || len(base.cat.Zones) != 0 || base.cat.Version != cat.Version {
		t.Error("WithSites modified its receiver")
	}
	if _, ok := base.Candidate(poly.ID); ok {
		t.Error("the old engine sees the new zone")
	}
	if c, _ := base.Candidate(fix.ID); c.Site.Status == StatusNoProjet && cat.Brownfields[100].Status != StatusNoProjet {
		t.Error("the old engine sees the correction")
	}
	if res, _ := base.Match(p, Options{}); res.Eligible != 0 {
		t.Errorf("the old engine ranks %d zones", res.Eligible)
	}

	// Delete one zone.
	e3, err := e2.WithSites(nil, []string{point.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	fresh3, _ := NewEngine(withZones(cat, []data.Site{poly}, &fix))
	sameEngines(t, e3, fresh3)
	if _, ok := e3.Candidate(point.ID); ok {
		t.Error("deleted zone still there")
	}
	if _, ok := e2.Candidate(point.ID); !ok {
		t.Error("deleting from e3 removed the zone from e2")
	}
	// Moving a site (an upsert of an existing id) recomputes its features.
	moved := point
	moved.Point = orb.Point{4.84, 45.72}
	e4, err := e2.WithSites([]data.Site{moved}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	fresh4, _ := NewEngine(withZones(cat, []data.Site{poly, moved}, &fix))
	sameEngines(t, e4, fresh4)

	for _, bad := range []struct {
		name    string
		ups     []data.Site
		deletes []string
	}{
		{"town", []data.Site{{ID: "town:x", Kind: data.KindTown, Commune: "13039"}}, nil},
		{"unknown commune", []data.Site{{ID: "zone:x", Kind: data.KindZone, Commune: "00000"}}, nil},
		{"twice", []data.Site{point, point}, nil},
		{"unknown delete", nil, []string{"zone:nope"}},
		{"delete a town", nil, []string{cat.Towns[0].ID}},
		{"upsert and delete", []data.Site{point}, []string{point.ID}},
		{"kind change", []data.Site{{ID: fix.ID, Kind: data.KindZone, Commune: fix.Commune}}, nil},
	} {
		if _, err := e2.WithSites(bad.ups, bad.deletes, ""); err == nil {
			t.Errorf("%s: accepted", bad.name)
		}
	}
}

// TestPolygonFeatures checks that a polygon site measures from its
// outline: every nearest node is the true nearest to the outline (brute
// force over the layer), the labour pool counts exactly the communes
// within 30 km of it, and a partner inside the outline is at 0 km.
func TestPolygonFeatures(t *testing.T) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	base, err := NewEngine(cat)
	if err != nil {
		t.Fatal(err)
	}
	poly, _ := updateSites()
	// A long outline: a 40 km band along the Rhône, so that outline and
	// point distances differ by far more than rounding.
	band := orb.MultiPolygon{{{{4.80, 43.60}, {4.90, 43.60}, {4.90, 43.95}, {4.80, 43.95}, {4.80, 43.60}}}}
	long := data.Site{ID: "zone:rhone-band", Kind: data.KindZone, Name: "Bande rhodanienne", Commune: "13004",
		Point: geo.RepresentativePoint(band), Outline: band}
	e, err := base.WithSites([]data.Site{poly, long}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{poly.ID, long.ID} {
		c, _ := e.Candidate(id)
		sh := geo.NewShape(c.Site.Outline)
		for m, layer := range e.nodes {
			best, bestKm := -1, math.Inf(1)
			for i, n := range layer {
				if d := sh.DistanceKm(n.Point); d < bestKm {
					best, bestKm = i, d
				}
			}
			if c.Nearest[m].Index != best || c.Nearest[m].Km != bestKm {
				t.Errorf("%s %s: nearest %+v, brute force %d at %.3f km", id, Modes[m], c.Nearest[m], best, bestKm)
			}
			if bestKm > geo.DistanceKm(c.Site.Point, layer[best].Point)+1e-9 {
				t.Errorf("%s %s: outline distance exceeds the point's", id, Modes[m])
			}
		}
		active, n := 0, 0
		for _, cm := range cat.Communes {
			if sh.DistanceKm(cm.Point) <= LabourRadiusKm {
				active += cm.Active
				n++
			}
		}
		if c.Active != active || c.Communes != n {
			t.Errorf("%s: labour pool %d people in %d communes, brute force %d in %d", id, c.Active, c.Communes, active, n)
		}
		lycees := 0
		for _, l := range cat.Lycees {
			if sh.DistanceKm(l.Point) <= TrainingRadiusKm {
				lycees++
			}
		}
		if len(c.Lycees) != lycees {
			t.Errorf("%s: %d lycées, brute force %d", id, len(c.Lycees), lycees)
		}
	}
	// A supplier inside the band is at 0 km and scores 1.
	lon, lat := 4.85, 43.90
	p := Project{Name: "x", Suppliers: []Partner{{Name: "inside", Lon: &lon, Lat: &lat}}, Constraints: Constraints{Kinds: []string{data.KindZone}}}
	res, err := e.Match(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Candidate.Site.ID != long.ID {
			continue
		}
		d := r.Criteria[0].Detail.(*SupplyChainDetail)
		if r.Criteria[0].ID != SupplyChain || d.Partners[0].Km != 0 || d.Partners[0].Score != 1 || r.Criteria[0].Score != 1 {
			t.Errorf("partner inside the outline: %+v", d.Partners)
		}
	}
}

// BenchmarkWithSites measures one registry write's engine update on the
// full catalogue, against BenchmarkNewEngine-style full rebuilds.
func BenchmarkWithSites(b *testing.B) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	base, err := NewEngine(cat)
	if err != nil {
		b.Fatal(err)
	}
	poly, _ := updateSites()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := base.WithSites([]data.Site{poly}, nil, ""); err != nil {
			b.Fatal(err)
		}
	}
}
