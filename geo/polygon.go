package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Polygons
//
// A site may be a polygon (or a multipolygon: a zone in several parts)
// rather than a point. The functions below measure from its outline:
//
//   - Distances are exact great-circle kilometres on the sphere of radius
//     EarthRadiusKm, each edge taken as the great-circle arc between its two
//     vertices: the distance from a point to an arc is the angle to the arc's
//     great circle when the point projects inside the arc, else the angle to
//     the nearer end. No planar approximation is involved.
//   - Containment is the even-odd ray test in lon/lat degrees, edges taken
//     as straight lines in lon/lat, as GeoJSON and GeoPackage readers (GDAL,
//     QGIS) treat them. For site-sized polygons the two edge models differ
//     by centimetres (a 10 km east-west edge at 45°N bows about 2 m away
//     from the parallel as a great circle), far below what matters here.
//   - Area integrates sin φ dλ along every edge taken as straight in
//     lon/lat (the trapezoid rule: exact for edges along meridians and
//     parallels), on the same sphere; holes are subtracted.
//
// Rings follow GeoJSON: the first ring of a polygon is its exterior, the
// others are holes; a ring may or may not repeat its first vertex at the
// end. Orientation does not matter. Polygons crossing the antimeridian or
// containing a pole are not supported (France's sites are far from both).

// Shape is a polygon or multipolygon prepared for repeated distance and
// containment queries: the unit vector of every vertex and the normal of
// every edge are computed once. It is immutable and safe for concurrent use.
type Shape struct {
	mp     orb.MultiPolygon
	rings  []shapeRing
	bound  orb.Bound
	center orb.Point
	empty  bool
}

// shapeRing is one ring: its vertices (closed: the last equals the first)
// and, per edge i (from vertex i to i+1), the unit vectors and the unit
// normal of the edge's great circle (zero for a degenerate edge).
type shapeRing struct {
	pts     []orb.Point
	units   []Unit
	normals []Unit
}

// NewShape prepares mp for distance queries. Rings with fewer than three
// distinct vertices still count for distances (as lines or points) but
// enclose nothing.
func NewShape(mp orb.MultiPolygon) *Shape {
	s := &Shape{mp: mp, empty: true}
	for _, poly := range mp {
		for _, ring := range poly {
			if len(ring) == 0 {
				continue
			}
			pts := closeRing(ring)
			r := shapeRing{pts: pts, units: make([]Unit, len(pts)), normals: make([]Unit, len(pts)-1)}
			for i, p := range pts {
				r.units[i] = ToUnit(p)
				if s.empty {
					s.bound, s.empty = orb.Bound{Min: p, Max: p}, false
				} else {
					s.bound = s.bound.Extend(p)
				}
			}
			for i := range r.normals {
				r.normals[i] = normal(r.units[i], r.units[i+1])
			}
			s.rings = append(s.rings, r)
		}
	}
	if !s.empty {
		s.center = RepresentativePoint(mp)
	}
	return s
}

// closeRing returns the ring with its first vertex repeated at the end.
func closeRing(r orb.Ring) []orb.Point {
	pts := []orb.Point(r)
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		pts = append(slices.Clip(pts), pts[0])
	}
	return pts
}

// normal returns the unit normal a×b/|a×b|, or the zero vector when a and b
// coincide (or are antipodal).
func normal(a, b Unit) Unit {
	n := cross(a, b)
	l := math.Sqrt(dot(n, n))
	if l < 1e-15 {
		return Unit{}
	}
	return Unit{n.X / l, n.Y / l, n.Z / l}
}

func cross(a, b Unit) Unit {
	return Unit{a.Y*b.Z - a.Z*b.Y, a.Z*b.X - a.X*b.Z, a.X*b.Y - a.Y*b.X}
}

func dot(a, b Unit) float64 { return a.X*b.X + a.Y*b.Y + a.Z*b.Z }

// angle returns the central angle between two unit vectors, in radians,
// from their chord (accurate for small and large angles alike).
func angle(a, b Unit) float64 {
	dx, dy, dz := a.X-b.X, a.Y-b.Y, a.Z-b.Z
	return 2 * math.Asin(math.Min(1, math.Sqrt(dx*dx+dy*dy+dz*dz)/2))
}

// arcAngle returns the central angle from p to the great-circle arc from a
// to b whose unit normal is n (zero when the arc is a point).
func arcAngle(p, a, b, n Unit) float64 {
	if n == (Unit{}) {
		return angle(p, a)
	}
	s := dot(p, n) // sine of the angle between p and the great circle
	q := Unit{p.X - s*n.X, p.Y - s*n.Y, p.Z - s*n.Z}
	if dot(cross(a, q), n) >= 0 && dot(cross(q, b), n) >= 0 {
		return math.Asin(math.Min(1, math.Abs(s)))
	}
	return math.Min(angle(p, a), angle(p, b))
}

// Empty reports whether the shape has no vertex.
func (s *Shape) Empty() bool { return s.empty }

// MultiPolygon returns the geometry the shape was built from.
func (s *Shape) MultiPolygon() orb.MultiPolygon { return s.mp }

// Bound returns the lon/lat box of every vertex.
func (s *Shape) Bound() orb.Bound { return s.bound }

// Center returns the shape's representative point (RepresentativePoint):
// a point inside it.
func (s *Shape) Center() orb.Point { return s.center }

// Contains reports whether p lies inside the shape (inside an exterior
// ring and outside its holes), by the even-odd rule in lon/lat.
func (s *Shape) Contains(p orb.Point) bool {
	if s.empty || !s.bound.Contains(p) {
		return false
	}
	for _, poly := range s.mp {
		if polygonContains(poly, p) {
			return true
		}
	}
	return false
}

// polygonContains is the even-odd ray test over every ring of a polygon.
func polygonContains(poly orb.Polygon, p orb.Point) bool {
	in := false
	for _, ring := range poly {
		n := len(ring)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[1] > p[1]) != (b[1] > p[1]) &&
				p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

// DistanceKm returns the great-circle distance in kilometres from p to the
// shape: 0 when p is inside, else the distance to the nearest edge (holes
// included). It returns +Inf for an empty shape.
func (s *Shape) DistanceKm(p orb.Point) float64 {
	if s.empty {
		return math.Inf(1)
	}
	if s.Contains(p) {
		return 0
	}
	return s.BoundaryKm(p)
}

// BoundaryKm returns the great-circle distance in kilometres from p to the
// nearest edge of the shape, whether p is inside or not.
func (s *Shape) BoundaryKm(p orb.Point) float64 {
	if s.empty {
		return math.Inf(1)
	}
	u := ToUnit(p)
	best := math.Inf(1)
	for _, r := range s.rings {
		if len(r.normals) == 0 {
			best = math.Min(best, angle(u, r.units[0]))
			continue
		}
		for i, n := range r.normals {
			best = math.Min(best, arcAngle(u, r.units[i], r.units[i+1], n))
		}
	}
	return best * EarthRadiusKm
}

// MaxKmFrom returns the greatest great-circle distance from p to any point
// of the shape: along a great-circle arc shorter than half the globe the
// distance from a point peaks at an end, so the farthest vertex gives it.
func (s *Shape) MaxKmFrom(p orb.Point) float64 {
	u := ToUnit(p)
	m := 0.0
	for _, r := range s.rings {
		for _, v := range r.units {
			m = math.Max(m, angle(u, v))
		}
	}
	return m * EarthRadiusKm
}

// PolygonDistanceKm returns the great-circle distance in kilometres from p
// to the multipolygon mp: 0 inside, else the distance to its nearest edge.
// Callers measuring many points against one polygon should use NewShape.
func PolygonDistanceKm(p orb.Point, mp orb.MultiPolygon) float64 {
	return NewShape(mp).DistanceKm(p)
}

// AreaHa returns the area of mp in hectares on the sphere of radius
// EarthRadiusKm: exterior rings minus holes, every edge straight in
// lon/lat (see the package's notes on polygons).
func AreaHa(mp orb.MultiPolygon) float64 {
	total := 0.0
	for _, poly := range mp {
		for i, ring := range poly {
			a := ringAreaKm2(ring)
			if i == 0 {
				total += a
			} else {
				total -= a
			}
		}
	}
	return math.Max(0, total) * 100
}

// ringAreaKm2 is R²/2·|Σ Δλ·(sin φ₁ + sin φ₂)| over the ring's edges.
func ringAreaKm2(ring orb.Ring) float64 {
	pts := closeRing(ring)
	if len(pts) < 4 {
		return 0
	}
	sum := 0.0
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		sum += (b[0] - a[0]) * rad * (math.Sin(a[1]*rad) + math.Sin(b[1]*rad))
	}
	return math.Abs(sum) / 2 * EarthRadiusKm * EarthRadiusKm
}

// RepresentativePoint returns a point inside mp, for labels and as the
// site's location: the area-weighted centroid of its largest polygon
// (computed in a local equirectangular frame) when that lies inside it,
// otherwise the middle of the widest inside stretch of the horizontal line
// through the polygon at the first of several latitudes (the centroid's,
// then fractions of the box height) that crosses its interior. It returns
// the first vertex for a degenerate polygon and the zero point for an
// empty one.
func RepresentativePoint(mp orb.MultiPolygon) orb.Point {
	best, bestA := -1, -1.0
	for i, poly := range mp {
		if len(poly) == 0 || len(poly[0]) == 0 {
			continue
		}
		if a := AreaHa(orb.MultiPolygon{poly}); a > bestA {
			best, bestA = i, a
		}
	}
	if best < 0 {
		return orb.Point{}
	}
	poly := mp[best]
	c, ok := centroid(poly)
	if ok && polygonContains(poly, c) {
		return c
	}
	b := poly.Bound()
	lats := []float64{c[1]}
	for _, f := range []float64{0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875} {
		lats = append(lats, b.Min[1]+f*(b.Max[1]-b.Min[1]))
	}
	for _, lat := range lats {
		if p, ok := scanline(poly, lat); ok {
			return p
		}
	}
	return poly[0][0]
}

// centroid returns the area-weighted centroid of a polygon's rings (holes
// subtracted), with longitudes scaled by the cosine of the mean latitude.
func centroid(poly orb.Polygon) (orb.Point, bool) {
	b := poly.Bound()
	k := math.Cos((b.Min[1] + b.Max[1]) / 2 * rad)
	ox, oy := b.Min[0], b.Min[1]
	var sa, sx, sy float64
	for i, ring := range poly {
		pts := closeRing(ring)
		var a, cx, cy float64
		for j := 0; j+1 < len(pts); j++ {
			x0, y0 := (pts[j][0]-ox)*k, pts[j][1]-oy
			x1, y1 := (pts[j+1][0]-ox)*k, pts[j+1][1]-oy
			cr := x0*y1 - x1*y0
			a += cr
			cx += (x0 + x1) * cr
			cy += (y0 + y1) * cr
		}
		// Signed areas: give the exterior positive weight, holes negative.
		sign := 1.0
		if (i == 0) != (a > 0) {
			sign = -1
		}
		sa += sign * a
		sx += sign * cx
		sy += sign * cy
	}
	if sa == 0 || k == 0 {
		return orb.Point{}, false
	}
	return orb.Point{sx/(3*sa)/k + ox, sy/(3*sa) + oy}, true
}

// scanline intersects the horizontal line at lat with the polygon and
// returns the middle of the widest stretch inside it.
func scanline(poly orb.Polygon, lat float64) (orb.Point, bool) {
	var xs []float64
	for _, ring := range poly {
		n := len(ring)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[1] > lat) != (b[1] > lat) {
				xs = append(xs, a[0]+(lat-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	best, bestW := orb.Point{}, 0.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bestW {
			best, bestW = orb.Point{(xs[i] + xs[i+1]) / 2, lat}, w
		}
	}
	return best, bestW > 0
}

// IntersectsBound reports whether mp and the lon/lat box b share a point,
// boundaries included, with edges straight in lon/lat as for containment
// (and as OGC API Features bbox queries draw the box). It is exact: a box
// in the notch of a U-shaped polygon, inside its bounding box but not
// touching it, does not intersect it; a box wholly inside the polygon
// does; a box wholly inside a hole does not.
func IntersectsBound(mp orb.MultiPolygon, b orb.Bound) bool {
	if len(mp) == 0 || !mp.Bound().Intersects(b) {
		return false
	}
	for _, poly := range mp {
		for _, ring := range poly {
			pts := closeRing(ring)
			for i := 0; i+1 < len(pts); i++ {
				if segmentIntersectsBound(pts[i], pts[i+1], b) {
					return true
				}
			}
		}
		// No edge reaches the box: it lies wholly inside the polygon or
		// wholly outside it, and any of its corners says which.
		if polygonContains(poly, b.Min) {
			return true
		}
	}
	return false
}

// segmentIntersectsBound reports whether the segment from a to c meets the
// box b (Liang–Barsky clipping: the segment's parameter interval [0, 1] is
// narrowed by each of the box's four half-planes).
func segmentIntersectsBound(a, c orb.Point, b orb.Bound) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := c[0]-a[0], c[1]-a[1]
	for _, e := range [4][2]float64{{-dx, a[0] - b.Min[0]}, {dx, b.Max[0] - a[0]}, {-dy, a[1] - b.Min[1]}, {dy, b.Max[1] - a[1]}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false // parallel to this edge of the box and outside it
			}
			continue
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return false
			}
			t0 = max(t0, r)
		} else {
			if r < t0 {
				return false
			}
			t1 = min(t1, r)
		}
	}
	return true
}

// RFC7946Winding returns g with the winding order RFC 7946 §3.1.6 asks of
// GeoJSON: each polygon's exterior ring counter-clockwise and its holes
// clockwise (planar orientation in longitude/latitude, which is what the
// RFC means for rings that do not cross the antimeridian). Rings already
// wound so are shared; a ring wound the other way is reversed in a copy,
// so g itself is never changed. Other geometries are returned as they are.
func RFC7946Winding(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		return windPolygon(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = windPolygon(p)
		}
		return out
	}
	return g
}

func windPolygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		want := orb.CW
		if i == 0 {
			want = orb.CCW
		}
		if o := r.Orientation(); o != 0 && o != want {
			r = slices.Clone(r)
			r.Reverse()
		}
		out[i] = r
	}
	return out
}
