package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Hit is one point found by an Index query.
type Hit[T any] struct {
	Value T         // the value stored with the point
	Point orb.Point // the point, as inserted
	Km    float64   // great-circle distance from the query point (0 for InBound)
}

// Index is a set of points with values, searchable by great-circle distance.
// It wraps an R-tree of lon/lat points (tidwall/rtree) the way tile38's
// collection does, and orders every nearest-neighbour answer by true
// kilometres. The zero value is an empty index ready to use. Reads may run
// concurrently; Insert and Delete need exclusive access.
type Index[T comparable] struct {
	tr  rtree.RTreeG[entry[T]]
	seq uint64 // insertion counter, breaks distance ties
}

// entry is what the R-tree stores for each point.
type entry[T comparable] struct {
	val T
	seq uint64
}

// NewIndex builds an index of pts[i] with value vals[i]. Ties in Nearest
// follow the slice order. It panics if the slices differ in length.
func NewIndex[T comparable](pts []orb.Point, vals []T) *Index[T] {
	if len(pts) != len(vals) {
		panic("geo: NewIndex: len(pts) != len(vals)")
	}
	ix := new(Index[T])
	for i, p := range pts {
		ix.Insert(p, vals[i])
	}
	return ix
}

// Insert adds the point p with value v. The same point or value may be
// inserted more than once. p must be finite with lon in [-180, 180] and lat
// in [-90, 90].
func (ix *Index[T]) Insert(p orb.Point, v T) {
	ix.tr.Insert(p, p, entry[T]{val: v, seq: ix.seq})
	ix.seq++
}

// Delete removes one occurrence of value v at point p, the earliest
// inserted, and reports whether there was one.
func (ix *Index[T]) Delete(p orb.Point, v T) bool {
	var (
		found entry[T]
		ok    bool
	)
	ix.tr.Search(p, p, func(_, _ [2]float64, e entry[T]) bool {
		if e.val == v && (!ok || e.seq < found.seq) {
			found, ok = e, true
		}
		return true
	})
	if ok {
		ix.tr.Delete(p, p, found)
	}
	return ok
}

// Copy returns a copy of the index in constant time: the R-tree's nodes
// are shared and copied on write, so the copy and the original can then
// change independently. Copy must not run concurrently with a change to
// the original; reads of the original may go on during and after it.
func (ix *Index[T]) Copy() *Index[T] {
	return &Index[T]{tr: *ix.tr.Copy(), seq: ix.seq}
}

// Len returns the number of points in the index.
func (ix *Index[T]) Len() int { return ix.tr.Len() }

// Bound returns the smallest lon/lat box holding every point, or the zero
// Bound when the index is empty.
func (ix *Index[T]) Bound() orb.Bound {
	lo, hi := ix.tr.Bounds()
	return orb.Bound{Min: lo, Max: hi}
}

// Nearest returns up to k points nearest to p by great-circle distance, in
// ascending Km, equal distances in insertion order, or nil if none. With
// maxKm > 0 only points within maxKm are returned; maxKm <= 0 means no
// limit.
func (ix *Index[T]) Nearest(p orb.Point, k int, maxKm float64) []Hit[T] {
	if k <= 0 || ix.Len() == 0 {
		return nil
	}
	hits := make([]Hit[T], 0, min(k, ix.Len()))
	ix.NearestFunc(p, func(h Hit[T]) bool {
		if maxKm > 0 && h.Km > maxKm {
			return false
		}
		hits = append(hits, h)
		return len(hits) < k
	})
	if len(hits) == 0 {
		return nil
	}
	return hits
}

// NearestFunc calls iter with every point in ascending great-circle
// distance from p, equal distances in insertion order, until iter returns
// false. It does nothing for a non-finite p.
//
// Correctness: the R-tree is walked best-first (rtree's Nearby) with a
// priority that, for a node, is a lower bound of the priority of every point
// under it: the haversine h = sin²(θ/2) of the exact great-circle distance
// from p to the node's lon/lat box (see query.boxHav), shaved by 1e-12
// relative to absorb rounding. A point's priority is its own haversine,
// computed exactly as DistanceKm computes it, so Km is bit-identical to
// DistanceKm(p, point). A point is therefore only popped once every node
// that could hold a nearer one has been opened: points come out in
// ascending h, hence ascending km (km = 2R·asin(√h) is monotone). The naive
// squared-degree box distance has no such bound: a degree of longitude is
// cos(latitude) of a degree of latitude, so a node can be skipped while
// holding the nearest point. Points of equal km are held back until a
// farther one appears and then released in insertion order, which makes
// the order independent of the tree's shape. TestBoxHavIsTightLowerBound
// checks the bound; the brute-force tests check the answers.
func (ix *Index[T]) NearestFunc(p orb.Point, iter func(h Hit[T]) bool) {
	if !finite(p) {
		return
	}
	q := newQuery(p)
	var (
		tied []seqHit[T] // popped, equally distant, not yet released
		done bool
	)
	release := func() bool {
		slices.SortFunc(tied, func(a, b seqHit[T]) int { return cmp.Compare(a.seq, b.seq) })
		for _, t := range tied {
			if !iter(t.Hit) {
				return false
			}
		}
		tied = tied[:0]
		return true
	}
	ix.tr.Nearby(
		func(lo, hi [2]float64, _ entry[T], item bool) float64 {
			if item {
				return q.pointHav(lo)
			}
			return q.boxHav(lo, hi)
		},
		func(pt, _ [2]float64, e entry[T], h float64) bool {
			km := havKm(h)
			if len(tied) > 0 && km != tied[0].Km && !release() {
				done = true
				return false
			}
			tied = append(tied, seqHit[T]{Hit[T]{Value: e.val, Point: pt, Km: km}, e.seq})
			return true
		},
	)
	if !done {
		release()
	}
}

// seqHit is a hit with its insertion sequence number.
type seqHit[T any] struct {
	Hit[T]
	seq uint64
}

// Within calls iter with every point whose DistanceKm from p is at most
// km, until iter returns false. The order is unspecified (it follows the
// tree). It does nothing for a negative or NaN km.
func (ix *Index[T]) Within(p orb.Point, km float64, iter func(h Hit[T]) bool) {
	if !(km >= 0) || !finite(p) {
		return
	}
	b := BoundAround(p, km)
	cosLat := math.Cos(p[1] * rad)
	ix.tr.Search(b.Min, b.Max, func(pt, _ [2]float64, e entry[T]) bool {
		d := havKm(hav(p, pt, cosLat))
		if d > km {
			return true
		}
		return iter(Hit[T]{Value: e.val, Point: pt, Km: d})
	})
}

// InBound calls iter with every point inside b (edges included), with Km
// 0, until iter returns false. The order is unspecified. b is taken
// literally: a box meant to cross the antimeridian must be split by the
// caller.
func (ix *Index[T]) InBound(b orb.Bound, iter func(h Hit[T]) bool) {
	ix.tr.Search(b.Min, b.Max, func(pt, _ [2]float64, e entry[T]) bool {
		return iter(Hit[T]{Value: e.val, Point: pt})
	})
}

// query holds what a nearest-neighbour search precomputes about its point.
type query struct {
	p              orb.Point // as given: point distances use it, like DistanceKm
	lon, lat       float64   // degrees, lon normalised to [-180, 180)
	sinLat, cosLat float64
}

func newQuery(p orb.Point) query {
	s, c := math.Sincos(p[1] * rad)
	lon := math.Mod(p[0]+180, 360)
	if lon < 0 {
		lon += 360
	}
	return query{p: p, lon: lon - 180, lat: p[1], sinLat: s, cosLat: c}
}

// pointHav is the haversine from the query to pt, as DistanceKm has it.
func (q *query) pointHav(pt orb.Point) float64 { return hav(q.p, pt, q.cosLat) }

// boxHav returns a lower bound, tight up to 1e-12 relative, of pointHav
// over every point of the box [lo, hi] (lon within [-180, 180], not
// wrapping). It finds the box's nearest point:
//
//   - If the query's meridian crosses the box, that point is on the
//     meridian at the query latitude clamped to the box: the distance
//     between two points is at least their difference in latitude.
//   - Otherwise, for any fixed latitude the distance grows with the
//     longitude gap |Δλ| (taken mod 360), so the nearest point lies on the
//     edge meridian with the smaller gap. Along that meridian, cos θ =
//     sin φ·sin φ' + cos φ·cos Δλ·cos φ' = C·cos(φ' − φ*), with
//     φ* = atan2(sin φ, cos φ·cos Δλ). When cos Δλ ≥ 0, φ* lies in
//     [-90°, 90°] and cos θ is unimodal there, so the nearest point is at φ*
//     clamped to the edge; otherwise cos θ has no interior maximum and the
//     nearer of the edge's two ends is nearest.
func (q *query) boxHav(lo, hi [2]float64) float64 {
	const shave = 1 - 1e-12
	if lo[0] <= q.lon && q.lon <= hi[0] {
		s := math.Sin((clamp(q.lat, lo[1], hi[1]) - q.lat) * rad / 2)
		return s * s * shave
	}
	dLon := wrap180(lo[0] - q.lon)
	if d := wrap180(hi[0] - q.lon); math.Abs(d) < math.Abs(dLon) {
		dLon = d
	}
	sLon := math.Sin(dLon * rad / 2)
	at := func(lat float64) float64 {
		s := math.Sin((lat - q.lat) * rad / 2)
		return s*s + q.cosLat*math.Cos(lat*rad)*sLon*sLon
	}
	if b := q.cosLat * math.Cos(dLon*rad); b >= 0 {
		return at(clamp(math.Atan2(q.sinLat, b)/rad, lo[1], hi[1])) * shave
	}
	return min(at(lo[1]), at(hi[1])) * shave
}

// wrap180 brings a longitude difference in [-360, 360] into [-180, 180].
func wrap180(d float64) float64 {
	switch {
	case d > 180:
		return d - 360
	case d < -180:
		return d + 360
	}
	return d
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(x, hi)) }

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]+p[1]) && !math.IsInf(p[0]+p[1], 0)
}
