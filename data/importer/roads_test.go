package importer

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/importer/importertest"
	"sitematch/geo"
)

// interchangesOf returns the committed interchanges with the attribute
// reset clears, and the committed ones.
func interchangesOf(t *testing.T, reset func(*data.Node)) (fresh, committed []data.Node) {
	t.Helper()
	c, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	committed = c.Interchanges
	fresh = make([]data.Node, len(committed))
	copy(fresh, committed)
	for i := range fresh {
		reset(&fresh[i])
	}
	return fresh, committed
}

// TestMarkTENTMatchesBruteForce checks the R-tree search that marks the
// interchanges near a TEN-T node against an exhaustive scan, on the real
// layers.
func TestMarkTENTMatchesBruteForce(t *testing.T) {
	raw := importertest.Raw(t)
	b := &builder{dir: raw, cat: &data.Catalogue{}}
	file := "transport/tent_rtet_nodes_qualicharge_l93.geojson"
	nodes, committed := interchangesOf(t, func(n *data.Node) {
		n.Major = false
		n.Source = strings.TrimSuffix(n.Source, " + TEN-T node")
	})
	major, _, err := b.markTENT(file, nodes)
	if err != nil {
		t.Fatal(err)
	}
	feats, err := readGeoJSON(raw, file)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]bool, len(nodes))
	for _, f := range feats {
		if !tentNatures[prop(f, "nature")] {
			continue
		}
		p := f.Geometry.(orb.Point)
		for i := range nodes {
			if geo.DistanceKm(p, nodes[i].Point) <= tentMatchKm {
				want[i] = true
			}
		}
	}
	n := 0
	for i := range nodes {
		if nodes[i].Major != want[i] || committed[i].Major != want[i] {
			t.Errorf("%s: marked %t, committed %t, brute force %t", nodes[i].ID, nodes[i].Major, committed[i].Major, want[i])
		}
		if want[i] {
			n++
		}
	}
	if major != n || n < 1500 {
		t.Errorf("markTENT marked %d, brute force %d", major, n)
	}
}

// TestNameRoadsMatchesBruteForce checks the grid search of the TEN-T
// skeleton against an exhaustive scan of its segments, for a sample of
// the real interchanges and all those the grid named.
func TestNameRoadsMatchesBruteForce(t *testing.T) {
	raw := importertest.Raw(t)
	b := &builder{dir: raw, cat: &data.Catalogue{}}
	file := "transport/tent_roads_fr_2017_wgs84.geojson"
	nodes, committed := interchangesOf(t, func(n *data.Node) {
		if !n.Toll {
			n.Road = ""
		}
	})
	if _, err := b.nameRoads(file, nodes); err != nil {
		t.Fatal(err)
	}
	feats, err := readGeoJSON(raw, file)
	if err != nil {
		t.Fatal(err)
	}
	type seg struct {
		a, b orb.Point
		road string
	}
	var segs []seg
	for _, f := range feats {
		road := skeletonRoad(prop(f, "NATIONALRO"))
		if ls, ok := f.Geometry.(orb.LineString); ok && road != "" {
			for k := 1; k < len(ls); k++ {
				segs = append(segs, seg{ls[k-1], ls[k], road})
			}
		}
	}
	r := rand.New(rand.NewPCG(10, 10))
	checked := 0
	for i := range nodes {
		if nodes[i].Toll || (nodes[i].Road == "" && r.IntN(20) != 0) {
			continue
		}
		roads := map[string]bool{}
		for _, s := range segs {
			if segmentKm(nodes[i].Point, s.a, s.b) <= skeletonKm {
				roads[s.road] = true
			}
		}
		want := joinSorted(roads)
		if nodes[i].Road != want || committed[i].Road != want {
			t.Errorf("%s: road %q, committed %q, brute force %q", nodes[i].ID, nodes[i].Road, committed[i].Road, want)
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("only %d interchanges checked", checked)
	}
}

// TestSegmentKm checks the point-segment distance against great-circle
// distances to the segment's ends and to its middle.
func TestSegmentKm(t *testing.T) {
	a, b := orb.Point{2.0, 48.0}, orb.Point{2.01, 48.0}
	cases := []struct {
		p    orb.Point
		want float64
	}{
		{orb.Point{2.005, 48.0}, 0},
		{orb.Point{2.005, 48.001}, geo.DistanceKm(orb.Point{2.005, 48.0}, orb.Point{2.005, 48.001})},
		{orb.Point{1.99, 48.0}, geo.DistanceKm(a, orb.Point{1.99, 48.0})},
		{orb.Point{2.02, 48.0}, geo.DistanceKm(b, orb.Point{2.02, 48.0})},
	}
	for _, tc := range cases {
		if got := segmentKm(tc.p, a, b); math.Abs(got-tc.want) > 1e-3 {
			t.Errorf("segmentKm(%v) = %.5f, want %.5f", tc.p, got, tc.want)
		}
	}
}
