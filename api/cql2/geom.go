package cql2

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Intersects reports whether two geometries (points, polygons,
// multipolygons, bounds) share a point, in planar longitude/latitude.
func Intersects(a, b orb.Geometry) bool {
	pa, pb := polys(a), polys(b)
	if !a.Bound().Intersects(b.Bound()) {
		return false
	}
	if p, ok := a.(orb.Point); ok {
		return pointIn(p, b, pb)
	}
	if p, ok := b.(orb.Point); ok {
		return pointIn(p, a, pa)
	}
	for _, x := range pa {
		for _, y := range pb {
			if polyIntersects(x, y) {
				return true
			}
		}
	}
	return false
}

// polys are a geometry's polygons (none for a point).
func polys(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	case orb.Bound:
		return []orb.Polygon{g.ToPolygon()}
	}
	return nil
}

func pointIn(p orb.Point, g orb.Geometry, ps []orb.Polygon) bool {
	if q, ok := g.(orb.Point); ok {
		return p == q
	}
	for _, poly := range ps {
		if onBoundary(p, poly) || planar.PolygonContains(poly, p) {
			return true
		}
	}
	return false
}

func onBoundary(p orb.Point, poly orb.Polygon) bool {
	for _, r := range poly {
		for i := 0; i+1 < len(r); i++ {
			if orient(r[i], r[i+1], p) == 0 && within(r[i], r[i+1], p) {
				return true
			}
		}
	}
	return false
}

// polyIntersects: an edge of one crosses an edge of the other, or one
// holds a vertex of the other.
func polyIntersects(a, b orb.Polygon) bool {
	for _, ra := range a {
		for _, rb := range b {
			for i := 0; i+1 < len(ra); i++ {
				for j := 0; j+1 < len(rb); j++ {
					if segments(ra[i], ra[i+1], rb[j], rb[j+1]) {
						return true
					}
				}
			}
		}
	}
	return len(a) > 0 && len(a[0]) > 0 && planar.PolygonContains(b, a[0][0]) ||
		len(b) > 0 && len(b[0]) > 0 && planar.PolygonContains(a, b[0][0])
}

func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func within(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// segments reports whether the segments pq and rs share a point.
func segments(p, q, r, s orb.Point) bool {
	o1, o2, o3, o4 := orient(p, q, r), orient(p, q, s), orient(r, s, p), orient(r, s, q)
	if o1 != o2 && o3 != o4 {
		return true
	}
	return o1 == 0 && within(p, q, r) || o2 == 0 && within(p, q, s) || o3 == 0 && within(r, s, p) || o4 == 0 && within(r, s, q)
}
