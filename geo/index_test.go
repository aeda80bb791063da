package geo_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"sitematch/geo"
)

// brute answers the index's queries by scanning every point.
type brute struct {
	pts []orb.Point
	d   []float64 // distances from the current query point
}

func (b *brute) at(p orb.Point) {
	b.d = b.d[:0]
	for _, q := range b.pts {
		b.d = append(b.d, geo.DistanceKm(p, q))
	}
}

// nearest returns the k nearest indices (within maxKm when > 0), ties in
// index order, as Index.Nearest promises.
func (b *brute) nearest(k int, maxKm float64) []int {
	var top []int
	for i, d := range b.d {
		if maxKm > 0 && d > maxKm {
			continue
		}
		if len(top) == k && d >= b.d[top[k-1]] {
			continue
		}
		j := len(top)
		for j > 0 && b.d[top[j-1]] > d {
			j--
		}
		if len(top) < k {
			top = append(top, 0)
		}
		copy(top[j+1:], top[j:])
		top[j] = i
	}
	return top
}

func (b *brute) within(km float64) []int {
	var in []int
	for i, d := range b.d {
		if d <= km {
			in = append(in, i)
		}
	}
	return in
}

func (b *brute) inBound(bd orb.Bound) []int {
	var in []int
	for i, p := range b.pts {
		if bd.Contains(p) {
			in = append(in, i)
		}
	}
	return in
}

// checker compares an index of pts (value = slice index) with brute force.
type checker struct {
	t  *testing.T
	ix *geo.Index[int]
	b  brute
}

func newChecker(t *testing.T, pts []orb.Point) *checker {
	vals := make([]int, len(pts))
	for i := range vals {
		vals[i] = i
	}
	return &checker{t: t, ix: geo.NewIndex(pts, vals), b: brute{pts: pts}}
}

// check runs every query at p and reports any difference.
func (c *checker) check(p orb.Point, withinKm float64, bd orb.Bound) {
	c.t.Helper()
	c.b.at(p)
	for _, q := range []struct {
		k     int
		maxKm float64
	}{{1, 0}, {10, 0}, {10, withinKm / 2}} {
		got := c.ix.Nearest(p, q.k, q.maxKm)
		want := c.b.nearest(q.k, q.maxKm)
		if err := c.sameHits(got, want); err != nil {
			c.t.Fatalf("Nearest(%v, %d, %v): %v", p, q.k, q.maxKm, err)
		}
	}
	var got []geo.Hit[int]
	c.ix.Within(p, withinKm, func(h geo.Hit[int]) bool { got = append(got, h); return true })
	slices.SortFunc(got, func(a, b geo.Hit[int]) int { return cmp.Compare(a.Value, b.Value) })
	if err := c.sameHits(got, c.b.within(withinKm)); err != nil {
		c.t.Fatalf("Within(%v, %v): %v", p, withinKm, err)
	}
	var in []int
	c.ix.InBound(bd, func(h geo.Hit[int]) bool { in = append(in, h.Value); return true })
	slices.Sort(in)
	if want := c.b.inBound(bd); !slices.Equal(in, want) {
		c.t.Fatalf("InBound(%v): got %d points, want %d", bd, len(in), len(want))
	}
}

// sameHits requires the same values in the same order, with Km equal to
// DistanceKm bit for bit.
func (c *checker) sameHits(got []geo.Hit[int], want []int) error {
	if len(got) != len(want) {
		return fmt.Errorf("got %d hits, want %d", len(got), len(want))
	}
	for i, h := range got {
		w := want[i]
		if h.Value != w || h.Km != c.b.d[w] || h.Point != c.b.pts[w] {
			return fmt.Errorf("hit %d = %d at %v km, want %d at %v km", i, h.Value, h.Km, w, c.b.d[w])
		}
	}
	return nil
}

// TestIndexMatchesBruteForce compares every query with a scan of each real
// layer, from points across metropolitan France and around each overseas
// département.
func TestIndexMatchesBruteForce(t *testing.T) {
	s := seed(t)
	for li, l := range loadLayers(t) {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			c := newChecker(t, l.pts)
			r := rand.New(rand.NewPCG(s, uint64(li)))
			// up to 1e7 brute-force distances a layer, 30 to 150 queries a region
			n := max(30, min(150, 10_000_000/len(l.pts)/len(regions)))
			for _, reg := range regions {
				for range n {
					p := randIn(r, reg.b)
					c.check(p, 30, around(p[0], p[1], r.Float64()*0.5))
				}
			}
			t.Logf("%d points, %d queries", len(l.pts), n*len(regions))
		})
	}
}

// TestIndexMatchesBruteForceWorld does the same on synthetic points over
// the whole sphere, with duplicates, near the poles and the antimeridian.
func TestIndexMatchesBruteForceWorld(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 7))
	var pts []orb.Point
	for range 4000 {
		pts = append(pts, randSphere(r))
	}
	for range 300 { // exact duplicates
		pts = append(pts, pts[r.IntN(len(pts))])
	}
	for range 300 { // along the antimeridian and at the poles
		pts = append(pts,
			orb.Point{180 - r.Float64(), r.Float64()*40 - 20},
			orb.Point{-180 + r.Float64(), r.Float64()*40 - 20},
			orb.Point{r.Float64()*360 - 180, 89 + r.Float64()},
		)
	}
	pts = append(pts, orb.Point{180, 0}, orb.Point{-180, 0}, orb.Point{0, 90}, orb.Point{0, -90})
	c := newChecker(t, pts)
	for i := range 2000 {
		p := randSphere(r)
		switch i % 4 {
		case 1:
			p = pts[r.IntN(len(pts))] // on a point, possibly a duplicate
		case 2:
			p[0] = 180 - r.Float64()*2 // near the antimeridian
		}
		c.check(p, 500, around(p[0], p[1], r.Float64()*10))
	}
	c.check(orb.Point{0, 90}, 500, around(0, 90, 2))
	c.check(orb.Point{540, 10}, 500, around(0, 0, 2)) // longitude out of range
}

// TestNaiveBoxDistMisranks measures how often rtree's stock BoxDist
// (squared degrees), and a box distance with longitude scaled by the
// query's cos(latitude), pick another nearest point than the great-circle
// one, and requires that the index never does.
func TestNaiveBoxDistMisranks(t *testing.T) {
	l := loadCommunes(t)
	var tr rtree.RTreeG[int]
	for i, p := range l.pts {
		tr.Insert(p, p, i)
	}
	c := newChecker(t, l.pts)
	r := rand.New(rand.NewPCG(seed(t), 11))
	samplers := []struct {
		name string
		draw func() orb.Point
	}{
		{"uniform in the metropolitan box", func() orb.Point { return randIn(r, regions[0].b) }},
		{"within 0.05° of a commune", func() orb.Point {
			q := l.pts[r.IntN(len(l.pts))]
			return randIn(r, around(q[0], q[1], 0.05))
		}},
	}
	const n = 300
	for _, s := range samplers {
		var naive, scaled, ours int
		for range n {
			p := s.draw()
			c.b.at(p)
			best := c.b.d[c.b.nearest(1, 0)[0]]
			first := func(dist func(lo, hi [2]float64, _ int, _ bool) float64) float64 {
				var d float64
				tr.Nearby(dist, func(q, _ [2]float64, _ int, _ float64) bool {
					d = geo.DistanceKm(p, q)
					return false
				})
				return d
			}
			if first(rtree.BoxDist[float64, int](p, p, nil)) != best {
				naive++
			}
			k := math.Cos(p[1] * math.Pi / 180)
			if first(func(lo, hi [2]float64, _ int, _ bool) float64 {
				dx := max(lo[0]-p[0], p[0]-hi[0], 0) * k
				dy := max(lo[1]-p[1], p[1]-hi[1], 0)
				return dx*dx + dy*dy
			}) != best {
				scaled++
			}
			if c.ix.Nearest(p, 1, 0)[0].Km != best {
				ours++
			}
		}
		pct := func(k int) float64 { return 100 * float64(k) / n }
		t.Logf("%s, %d queries %s: wrong nearest with squared degrees %.1f %%, with cos(lat)-scaled degrees %.1f %%, with the index %.0f %%",
			l.name, n, s.name, pct(naive), pct(scaled), pct(ours))
		if ours != 0 {
			t.Errorf("%s: index picked a wrong nearest in %d of %d queries", s.name, ours, n)
		}
	}
}

func TestDelete(t *testing.T) {
	var ix geo.Index[string]
	ix.Insert(paris, "paris")
	ix.Insert(lyon, "lyon")
	ix.Insert(lyon, "lyon-bis")
	ix.Insert(marseille, "marseille")
	near := orb.Point{4.9, 45.8}
	if got := ix.Nearest(near, 1, 0); got[0].Value != "lyon" {
		t.Fatalf("before delete: %v", got)
	}
	if ix.Delete(paris, "lyon") {
		t.Error("deleted lyon at the wrong point")
	}
	if !ix.Delete(lyon, "lyon") {
		t.Fatal("delete lyon failed")
	}
	if ix.Delete(lyon, "lyon") {
		t.Error("deleted lyon twice")
	}
	if ix.Len() != 3 {
		t.Errorf("Len = %d, want 3", ix.Len())
	}
	for _, h := range ix.Nearest(near, 10, 0) {
		if h.Value == "lyon" {
			t.Fatalf("lyon still found: %v", h)
		}
	}
	if got := ix.Nearest(near, 1, 0); got[0].Value != "lyon-bis" {
		t.Errorf("after delete: %v", got)
	}
	for _, v := range []struct {
		p orb.Point
		s string
	}{{paris, "paris"}, {lyon, "lyon-bis"}, {marseille, "marseille"}} {
		if !ix.Delete(v.p, v.s) {
			t.Errorf("delete %s failed", v.s)
		}
	}
	if ix.Len() != 0 || ix.Bound() != (orb.Bound{}) || ix.Nearest(near, 1, 0) != nil {
		t.Errorf("not empty: Len %d, Bound %v", ix.Len(), ix.Bound())
	}
}

// TestCopy checks that a copy and its original change independently: the
// API keeps serving an index while a writer changes its copy.
func TestCopy(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	orig := new(geo.Index[int])
	pts := make([]orb.Point, 2000)
	for i := range pts {
		pts[i] = orb.Point{-5 + 13*rng.Float64(), 42 + 9*rng.Float64()}
		orig.Insert(pts[i], i)
	}
	count := func(ix *geo.Index[int]) map[int]bool {
		got := map[int]bool{}
		ix.InBound(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, func(h geo.Hit[int]) bool {
			got[h.Value] = true
			return true
		})
		return got
	}
	cp := orig.Copy()
	for i := 0; i < 1000; i++ {
		if !cp.Delete(pts[i], i) {
			t.Fatalf("delete %d from the copy failed", i)
		}
	}
	cp.Insert(orb.Point{2, 48}, -1)
	if got := count(orig); len(got) != 2000 || got[-1] {
		t.Errorf("the original changed with its copy: %d points", len(got))
	}
	if got := count(cp); len(got) != 1001 || !got[-1] || got[0] {
		t.Errorf("copy: %d points", len(got))
	}
	orig.Insert(orb.Point{3, 47}, -2)
	if got := count(cp); got[-2] || cp.Len() != 1001 {
		t.Errorf("the copy changed with its original")
	}
	if orig.Len() != 2001 {
		t.Errorf("original Len %d", orig.Len())
	}
}

// TestDeleteMany deletes half of a real layer and checks against brute
// force on the rest.
func TestDeleteMany(t *testing.T) {
	l := loadCommunes(t)
	r := rand.New(rand.NewPCG(seed(t), 13))
	c := newChecker(t, l.pts)
	var keep []int
	for i, p := range l.pts {
		if r.IntN(2) == 0 {
			keep = append(keep, i)
		} else if !c.ix.Delete(p, i) {
			t.Fatalf("Delete(%v, %d) failed", p, i)
		}
	}
	if c.ix.Len() != len(keep) {
		t.Fatalf("Len = %d, want %d", c.ix.Len(), len(keep))
	}
	pts := make([]orb.Point, len(keep))
	for j, i := range keep {
		pts[j] = l.pts[i]
	}
	b := brute{pts: pts}
	for range 200 {
		p := randIn(r, regions[0].b)
		b.at(p)
		got := c.ix.Nearest(p, 10, 0)
		for j, w := range b.nearest(10, 0) {
			if got[j].Value != keep[w] || got[j].Km != b.d[w] {
				t.Fatalf("Nearest(%v)[%d] = %v, want %d at %v km", p, j, got[j], keep[w], b.d[w])
			}
		}
	}
}

func TestIndexZeroValueAndEdges(t *testing.T) {
	var ix geo.Index[int]
	if ix.Len() != 0 || ix.Nearest(paris, 3, 0) != nil || ix.Bound() != (orb.Bound{}) {
		t.Fatal("zero value is not an empty index")
	}
	ix.Within(paris, 10, func(geo.Hit[int]) bool { t.Fatal("hit in empty index"); return true })
	ix.Insert(lyon, 1)
	ix.Insert(paris, 2)
	if got := ix.Nearest(paris, 0, 0); got != nil {
		t.Errorf("k=0: %v", got)
	}
	if got := ix.Nearest(orb.Point{math.NaN(), 45}, 1, 0); got != nil {
		t.Errorf("NaN query: %v", got)
	}
	if got := ix.Nearest(marseille, 5, 100); len(got) != 0 {
		t.Errorf("maxKm 100 from Marseille: %v", got)
	}
	if got := ix.Bound(); got != (orb.Bound{Min: orb.Point{paris[0], lyon[1]}, Max: orb.Point{lyon[0], paris[1]}}) {
		t.Errorf("Bound = %v", got)
	}
	n := 0
	ix.Within(paris, 1000, func(geo.Hit[int]) bool { n++; return false })
	if n != 1 {
		t.Errorf("Within did not stop: %d calls", n)
	}
	n = 0
	ix.NearestFunc(paris, func(geo.Hit[int]) bool { n++; return false })
	if n != 1 {
		t.Errorf("NearestFunc did not stop: %d calls", n)
	}
}

// TestNearestTiesInInsertionOrder puts many values on a few points and
// expects equal distances to come out in insertion order.
func TestNearestTiesInInsertionOrder(t *testing.T) {
	var ix geo.Index[int]
	pts := []orb.Point{paris, lyon, marseille}
	for i := range 600 {
		ix.Insert(pts[i%3], i)
	}
	got := ix.Nearest(lyon, 250, 0)
	for j, h := range got {
		want := 1 + 3*j // lyon's values, in order
		if j >= 200 {
			want = 2 + 3*(j-200) // then marseille's
		}
		if h.Value != want {
			t.Fatalf("hit %d = %d, want %d", j, h.Value, want)
		}
	}
}
