package features

import (
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/geo"
)

// testLayer is a Layer of points and square outlines, sorted by id.
type testLayer struct {
	ids      []string
	pts      []orb.Point
	outlines map[int]orb.MultiPolygon
}

func (l *testLayer) Len() int                       { return len(l.ids) }
func (l *testLayer) FeatureID(i int) string         { return l.ids[i] }
func (l *testLayer) Point(i int) (orb.Point, bool)  { return l.pts[i], true }
func (l *testLayer) Outline(i int) orb.MultiPolygon { return l.outlines[i] }
func (l *testLayer) BBox(int) geojson.BBox          { return nil }
func (l *testLayer) Properties(i int) geojson.Properties {
	return geojson.Properties{"id": l.ids[i], "n": i % 7, "source": "test"}
}

// square is a square outline of half-side r around p.
func square(p orb.Point, r float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{p[0] - r, p[1] - r}, {p[0] + r, p[1] - r}, {p[0] + r, p[1] + r}, {p[0] - r, p[1] + r}, {p[0] - r, p[1] - r}}}}
}

func randomLayer(r *rand.Rand, n int) *testLayer {
	l := &testLayer{outlines: map[int]orb.MultiPolygon{}}
	for i := range n {
		l.ids = append(l.ids, "f"+strconv.Itoa(100000+i))
		p := orb.Point{-5 + 13*r.Float64(), 42 + 9*r.Float64()}
		l.pts = append(l.pts, p)
		if i%3 == 0 {
			l.outlines[i] = square(p, 0.2*r.Float64())
		}
	}
	return l
}

// bruteInBound is InBound by brute force: a point in b, or an outline
// meeting b.
func bruteInBound(l *testLayer, b orb.Bound) []int {
	var out []int
	for i := range l.ids {
		if o, ok := l.outlines[i]; ok {
			if geo.IntersectsBound(o, b) {
				out = append(out, i)
			}
		} else if b.Contains(l.pts[i]) {
			out = append(out, i)
		}
	}
	return out
}

// TestInBoundBruteForce compares the static and editable collections'
// bbox search with a brute force, and a derived collection with one
// built anew from the changed layer.
func TestInBoundBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	l := randomLayer(r, 2000)
	static, editable := New(Meta{ID: "s"}, l), NewEditable(Meta{ID: "e"}, l)

	// The changed layer: some features moved, one gone, one new (ids kept sorted).
	next := &testLayer{outlines: map[int]orb.MultiPolygon{}}
	var changed []string
	for i := range l.ids {
		switch {
		case i == 5:
			changed = append(changed, l.ids[i]) // gone
			continue
		case i%50 == 0:
			changed = append(changed, l.ids[i])
			p := orb.Point{l.pts[i][0] + 1, l.pts[i][1] - 1}
			next.ids, next.pts = append(next.ids, l.ids[i]), append(next.pts, p)
			next.outlines[len(next.ids)-1] = square(p, 0.5)
			continue
		}
		next.ids, next.pts = append(next.ids, l.ids[i]), append(next.pts, l.pts[i])
		if o, ok := l.outlines[i]; ok {
			next.outlines[len(next.ids)-1] = o
		}
	}
	next.ids, next.pts = append(next.ids, "f999999"), append(next.pts, orb.Point{2, 46})
	changed = append(changed, "f999999")
	derived, fresh := editable.Derive(next, changed), NewEditable(Meta{ID: "e"}, next)

	for k := range 300 {
		x, y := -5+13*r.Float64(), 42+9*r.Float64()
		b := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 2*r.Float64(), y + 2*r.Float64()}}
		want := bruteInBound(l, b)
		if got := editable.InBound(&b); !slices.Equal(got, want) {
			t.Fatalf("box %d %v: editable %v, brute force %v", k, b, got, want)
		}
		if got := static.InBound(&b); !slices.Equal(got, want) {
			t.Fatalf("box %d %v: static %v, brute force %v", k, b, got, want)
		}
		want = bruteInBound(next, b)
		if got := derived.InBound(&b); !slices.Equal(got, want) {
			t.Fatalf("box %d %v: derived %v, brute force %v", k, b, got, want)
		}
		if got := fresh.InBound(&b); !slices.Equal(got, want) {
			t.Fatalf("box %d %v: rebuilt %v, brute force %v", k, b, got, want)
		}
	}
	if derived.Indexed() != next.Len() || editable.Indexed() != l.Len() {
		t.Errorf("indexed %d of %d after the change, %d of %d before", derived.Indexed(), next.Len(), editable.Indexed(), l.Len())
	}
	if _, ok := derived.Lookup(l.ids[5]); ok {
		t.Errorf("the deleted %s is still in the derived collection", l.ids[5])
	}
}

// TestItemsWithoutHTTP pages a filtered, sorted query and checks that the
// pages hold the brute force's features once each, in order.
func TestItemsWithoutHTTP(t *testing.T) {
	l := randomLayer(rand.New(rand.NewPCG(3, 4)), 500)
	col := NewEditable(Meta{ID: "t", Title: "T"}, l)
	var want []string
	for _, n := range []int{6, 5, 4} {
		for i := range l.ids {
			if i%7 == n {
				want = append(want, l.ids[i])
			}
		}
	}
	var got []string
	q := url.Values{"filter": {"n >= 4"}, "sortby": {"-n"}, "limit": {"30"}}
	for offset := 0; ; offset += 30 {
		q.Set("offset", strconv.Itoa(offset))
		fc, crs, err := col.Items("http://x", q)
		if err != nil || crs != CRS84 {
			t.Fatalf("offset %d: %v, %s", offset, err, crs)
		}
		for _, f := range fc.Features {
			got = append(got, f.ID.(string))
		}
		if len(fc.Features) < 30 {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %d features, want %d (first %v, want %v)", len(got), len(want), got[:3], want[:3])
	}
	_, _, err := col.Items("http://x", url.Values{"limit": {"0"}, "sortby": {"nope"}})
	pe, ok := err.(*ParamError)
	if !ok || len(pe.Fields) != 2 || pe.Fields[0].Field != "limit" || pe.Fields[1].Field != "sortby" {
		t.Errorf("bad parameters: %v", err)
	}
}
