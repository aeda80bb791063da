package geo_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/geo"
)

// box returns the lon/lat rectangle [x0, x1] × [y0, y1] as a closed ring.
func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// kmPerDegLat is the length of a degree of latitude on the sphere.
var kmPerDegLat = geo.EarthRadiusKm * math.Pi / 180

func TestPolygonDistanceKm(t *testing.T) {
	sq := orb.Polygon{box(2.34, 48.84, 2.36, 48.86)}                                   // about 1.5 × 2.2 km in Paris
	holed := orb.Polygon{box(2.30, 48.80, 2.40, 48.90), box(2.34, 48.84, 2.36, 48.86)} // a frame around sq
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	cases := []struct {
		name   string
		mp     orb.MultiPolygon
		p      orb.Point
		want   float64 // km
		tol    float64 // km
		inside bool
	}{
		{"centre of a square", orb.MultiPolygon{sq}, orb.Point{2.35, 48.85}, 0, 0, true},
		{"on a vertex", orb.MultiPolygon{sq}, orb.Point{2.34, 48.84}, 0, 1e-9, true},
		// The north edge is a great-circle arc: it bows about 50 m poleward
		// of the parallel at its middle.
		{"north of a square, on its meridian", orb.MultiPolygon{sq}, orb.Point{2.35, 48.87}, 0.01 * kmPerDegLat, 1e-4, false},
		{"due south, 1 degree", orb.MultiPolygon{sq}, orb.Point{2.35, 47.86}, 0.98 * kmPerDegLat, 1e-3, false},
		{"beyond a corner: distance to the vertex", orb.MultiPolygon{sq}, orb.Point{2.37, 48.87},
			geo.DistanceKm(orb.Point{2.37, 48.87}, orb.Point{2.36, 48.86}), 1e-9, false},
		{"inside the hole", orb.MultiPolygon{holed}, orb.Point{2.35, 48.85}, 0.01 * kmPerDegLat * math.Cos(48.85*math.Pi/180), 2e-3, false},
		{"in the frame", orb.MultiPolygon{holed}, orb.Point{2.32, 48.85}, 0, 0, true},
		{"in the notch of a U", orb.MultiPolygon{u}, orb.Point{1.5, 2}, 0.5 * kmPerDegLat * math.Cos(2*math.Pi/180), 1e-3, false},
		{"in an arm of a U", orb.MultiPolygon{u}, orb.Point{0.5, 2}, 0, 0, true},
		{"nearest of two parts", orb.MultiPolygon{{box(0, 0, 1, 1)}, {box(0, 2, 1, 3)}}, orb.Point{0.5, 1.8}, 0.2 * kmPerDegLat, 1e-2, false},
		{"unclosed ring", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}}, orb.Point{0.5, 0.5}, 0, 0, true},
		{"empty", nil, orb.Point{0, 0}, math.Inf(1), 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := geo.NewShape(tc.mp)
			got := s.DistanceKm(tc.p)
			if math.IsInf(tc.want, 1) {
				if !math.IsInf(got, 1) {
					t.Fatalf("DistanceKm = %v, want +Inf", got)
				}
				return
			}
			if math.Abs(got-tc.want) > tc.tol {
				t.Errorf("DistanceKm = %.9f km, want %.9f ± %g", got, tc.want, tc.tol)
			}
			if f := geo.PolygonDistanceKm(tc.p, tc.mp); f != got {
				t.Errorf("PolygonDistanceKm = %v, Shape.DistanceKm = %v", f, got)
			}
			if c := s.Contains(tc.p); c != tc.inside {
				t.Errorf("Contains = %v, want %v", c, tc.inside)
			}
		})
	}
}

// slerp returns the point a fraction f of the way along the great-circle
// arc from a to b.
func slerp(a, b orb.Point, f float64) orb.Point {
	ua, ub := geo.ToUnit(a), geo.ToUnit(b)
	th := 2 * math.Asin(math.Min(1, math.Sqrt((ua.X-ub.X)*(ua.X-ub.X)+(ua.Y-ub.Y)*(ua.Y-ub.Y)+(ua.Z-ub.Z)*(ua.Z-ub.Z))/2))
	if th == 0 {
		return a
	}
	s0, s1 := math.Sin((1-f)*th)/math.Sin(th), math.Sin(f*th)/math.Sin(th)
	x, y, z := s0*ua.X+s1*ub.X, s0*ua.Y+s1*ub.Y, s0*ua.Z+s1*ub.Z
	return orb.Point{math.Atan2(y, x) * 180 / math.Pi, math.Atan2(z, math.Hypot(x, y)) * 180 / math.Pi}
}

// starPolygon returns a random simple polygon: n vertices at random radii
// (in km) around c, at increasing angles.
func starPolygon(r *rand.Rand, c orb.Point, n int, rmin, rmax float64) orb.Polygon {
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		a := (float64(i) + 0.8*r.Float64()) / float64(n) * 2 * math.Pi
		d := rmin + (rmax-rmin)*r.Float64()
		ring = append(ring, orb.Point{
			c[0] + d*math.Cos(a)/(kmPerDegLat*math.Cos(c[1]*math.Pi/180)),
			c[1] + d*math.Sin(a)/kmPerDegLat,
		})
	}
	return orb.Polygon{append(ring, ring[0])}
}

// TestPolygonDistanceBruteForce checks DistanceKm against the minimum of
// DistanceKm to points sampled densely along every edge (great-circle
// arcs), for random polygons in France and query points up to 300 km away.
// The exact distance can only be lower than the sampled one, by at most
// half the sampling step.
func TestPolygonDistanceBruteForce(t *testing.T) {
	seed := uint64(20240917)
	r := rand.New(rand.NewPCG(seed, 1))
	const samples = 400
	worst := 0.0
	for it := range 200 {
		c := orb.Point{-4 + 12*r.Float64(), 42.5 + 8*r.Float64()}
		poly := starPolygon(r, c, 3+r.IntN(10), 0.1+r.Float64(), 0.5+5*r.Float64())
		s := geo.NewShape(orb.MultiPolygon{poly})
		for range 10 {
			d := 300 * math.Pow(r.Float64(), 2)
			a := 2 * math.Pi * r.Float64()
			p := orb.Point{c[0] + d*math.Cos(a)/(kmPerDegLat*math.Cos(c[1]*math.Pi/180)), c[1] + d*math.Sin(a)/kmPerDegLat}
			brute, maxStep := math.Inf(1), 0.0
			ring := poly[0]
			for i := 0; i+1 < len(ring); i++ {
				maxStep = math.Max(maxStep, geo.DistanceKm(ring[i], ring[i+1])/samples)
				for k := 0; k <= samples; k++ {
					brute = math.Min(brute, geo.DistanceKm(p, slerp(ring[i], ring[i+1], float64(k)/samples)))
				}
			}
			got := s.DistanceKm(p)
			if s.Contains(p) {
				if got != 0 {
					t.Fatalf("seed %d iteration %d: inside but DistanceKm = %v", seed, it, got)
				}
				continue
			}
			if got > brute+1e-9 || brute-got > maxStep/2+1e-9 {
				t.Fatalf("seed %d iteration %d: DistanceKm(%v) = %.9f, sampled minimum %.9f (step %.2g km)", seed, it, p, got, brute, maxStep)
			}
			if b := s.BoundaryKm(p); b != got {
				t.Fatalf("BoundaryKm %v != DistanceKm %v outside the shape", b, got)
			}
			worst = math.Max(worst, brute-got)
		}
	}
	t.Logf("seed %d: 2000 points, largest sampled-minus-exact gap %.2g km", seed, worst)
}

func TestAreaHa(t *testing.T) {
	r := geo.EarthRadiusKm
	rad := math.Pi / 180
	cases := []struct {
		name string
		mp   orb.MultiPolygon
		want float64 // ha
		rel  float64
	}{
		// A cell bounded by meridians and parallels has the exact area
		// R²·Δλ·(sin φ₂ − sin φ₁).
		{"1° cell at the equator", orb.MultiPolygon{{box(0, 0, 1, 1)}}, r * r * rad * math.Sin(rad) * 100, 1e-12},
		{"1° cell at 48°N", orb.MultiPolygon{{box(2, 48, 3, 49)}}, r * r * rad * (math.Sin(49*rad) - math.Sin(48*rad)) * 100, 1e-12},
		{"1 km square near Lyon", orb.MultiPolygon{{box(4.85, 45.75, 4.85+1/(kmPerDegLat*math.Cos(45.7545*rad)), 45.75+1/kmPerDegLat)}}, 100, 1e-4},
		{"cell with a hole", orb.MultiPolygon{{box(0, 0, 2, 2), box(0.5, 0.5, 1.5, 1.5)}},
			r * r * rad * (2*math.Sin(2*rad) - math.Sin(1.5*rad) + math.Sin(0.5*rad)) * 100, 1e-12},
		{"two parts", orb.MultiPolygon{{box(0, 0, 1, 1)}, {box(5, 0, 6, 1)}}, 2 * r * r * rad * math.Sin(rad) * 100, 1e-12},
		{"clockwise ring", orb.MultiPolygon{{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}}, r * r * rad * math.Sin(rad) * 100, 1e-12},
		{"degenerate", orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}}}}, 0, 0},
		{"empty", nil, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := geo.AreaHa(tc.mp)
			if math.Abs(got-tc.want) > tc.rel*tc.want+1e-9 {
				t.Errorf("AreaHa = %.6f ha, want %.6f (rel %g)", got, tc.want, tc.rel)
			}
		})
	}
}

// TestRepresentativePointInside checks that the representative point lies
// inside random star polygons and shapes whose centroid is outside.
func TestRepresentativePointInside(t *testing.T) {
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2.9, 3}, {2.9, 0.1}, {0.1, 0.1}, {0.1, 3}, {0, 3}, {0, 0}}}
	ring := orb.Polygon{box(0, 0, 4, 4), box(0.2, 0.2, 3.8, 3.8)}
	for _, poly := range []orb.Polygon{u, ring} {
		p := geo.RepresentativePoint(orb.MultiPolygon{poly})
		if !geo.NewShape(orb.MultiPolygon{poly}).Contains(p) {
			t.Errorf("representative point %v is outside %v", p, poly)
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 500 {
		c := orb.Point{-4 + 12*r.Float64(), 42.5 + 8*r.Float64()}
		poly := starPolygon(r, c, 3+r.IntN(20), 0.05, 3)
		mp := orb.MultiPolygon{poly}
		if p := geo.RepresentativePoint(mp); !geo.NewShape(mp).Contains(p) {
			t.Fatalf("polygon %d: representative point %v is outside %v", i, p, poly)
		}
	}
	// The largest part of a multipolygon carries the point.
	mp := orb.MultiPolygon{{box(0, 0, 0.1, 0.1)}, {box(5, 5, 6, 6)}}
	if p := geo.RepresentativePoint(mp); !(p[0] > 5 && p[1] > 5) {
		t.Errorf("representative point %v is not in the largest part", p)
	}
}

func TestShapeMaxKmFrom(t *testing.T) {
	sq := orb.MultiPolygon{{box(2.34, 48.84, 2.36, 48.86)}}
	s := geo.NewShape(sq)
	c := orb.Point{2.35, 48.85}
	want := geo.DistanceKm(c, orb.Point{2.36, 48.84}) // a southern corner: degrees of longitude are longer there
	if got := s.MaxKmFrom(c); math.Abs(got-want) > 1e-9 {
		t.Errorf("MaxKmFrom = %v, want %v", got, want)
	}
	if got := s.Center(); !s.Contains(got) {
		t.Errorf("Center %v is not inside", got)
	}
}

func TestIntersectsBound(t *testing.T) {
	sq := orb.Polygon{box(0, 0, 2, 2)}
	holed := orb.Polygon{box(0, 0, 10, 10), box(4, 4, 6, 6)}
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	diamond := orb.Polygon{{{1, 0}, {2, 1}, {1, 2}, {0, 1}}} // unclosed ring
	bnd := func(x0, y0, x1, y1 float64) orb.Bound {
		return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
	}
	cases := []struct {
		name string
		mp   orb.MultiPolygon
		b    orb.Bound
		want bool
	}{
		{"box holds a vertex", orb.MultiPolygon{sq}, bnd(1.5, 1.5, 3, 3), true},
		{"edge crosses the box, no vertex inside either", orb.MultiPolygon{sq}, bnd(1.5, -1, 3, 0.5), true},
		{"thin box across the polygon", orb.MultiPolygon{sq}, bnd(-1, 0.9, 3, 1.1), true},
		{"box inside the polygon", orb.MultiPolygon{sq}, bnd(0.5, 0.5, 1, 1), true},
		{"polygon inside the box", orb.MultiPolygon{sq}, bnd(-1, -1, 3, 3), true},
		{"box touches an edge", orb.MultiPolygon{sq}, bnd(2, 0.5, 3, 1), true},
		{"box touches a corner", orb.MultiPolygon{sq}, bnd(2, 2, 3, 3), true},
		{"degenerate box (a point) inside", orb.MultiPolygon{sq}, bnd(1, 1, 1, 1), true},
		{"disjoint", orb.MultiPolygon{sq}, bnd(3, 3, 4, 4), false},
		{"box inside the hole", orb.MultiPolygon{holed}, bnd(4.5, 4.5, 5.5, 5.5), false},
		{"box across the hole's edge", orb.MultiPolygon{holed}, bnd(3.5, 4.5, 4.5, 5.5), true},
		{"box in the notch of a U", orb.MultiPolygon{u}, bnd(1.2, 1.5, 1.8, 2.5), false},
		{"box across an arm of a U", orb.MultiPolygon{u}, bnd(0.5, 1.5, 1.5, 2.5), true},
		{"in the bounding box, off a diamond's corner", orb.MultiPolygon{diamond}, bnd(0, 0, 0.4, 0.4), false},
		{"across a diamond's edge (unclosed ring)", orb.MultiPolygon{diamond}, bnd(0, 0, 0.6, 0.6), true},
		{"second part of a multipolygon", orb.MultiPolygon{sq, {box(5, 5, 6, 6)}}, bnd(5.5, 5.5, 7, 7), true},
		{"between two parts", orb.MultiPolygon{sq, {box(5, 5, 6, 6)}}, bnd(3, 3, 4, 4), false},
		{"empty", nil, bnd(-1, -1, 1, 1), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := geo.IntersectsBound(tc.mp, tc.b); got != tc.want {
				t.Errorf("IntersectsBound = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRFC7946Winding checks that exterior rings come out counter-clockwise
// and holes clockwise whichever way they were written, that a well-wound
// polygon is unchanged, and that the input is never modified.
func TestRFC7946Winding(t *testing.T) {
	ccw := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	cw := orb.Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}
	rev := func(r orb.Ring) orb.Ring { r = slices.Clone(r); r.Reverse(); return r }
	for _, tc := range []struct {
		name string
		in   orb.Geometry
	}{
		{"wound", orb.Polygon{ccw, cw}},
		{"exterior clockwise", orb.Polygon{rev(ccw), cw}},
		{"hole counter-clockwise", orb.Polygon{ccw, rev(cw)}},
		{"both reversed", orb.Polygon{rev(ccw), rev(cw)}},
		{"multipolygon", orb.MultiPolygon{{rev(ccw)}, {ccw, rev(cw)}}},
	} {
		before := orb.Clone(tc.in)
		out := geo.RFC7946Winding(tc.in)
		if !orb.Equal(tc.in, before) {
			t.Errorf("%s: the input was changed", tc.name)
		}
		var polys orb.MultiPolygon
		switch g := out.(type) {
		case orb.Polygon:
			polys = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			polys = g
		}
		for _, p := range polys {
			for i, r := range p {
				want := orb.CW
				if i == 0 {
					want = orb.CCW
				}
				if r.Orientation() != want {
					t.Errorf("%s: ring %d is %v, want %v", tc.name, i, r.Orientation(), want)
				}
			}
		}
	}
	if p := (orb.Point{1, 2}); geo.RFC7946Winding(p) != p {
		t.Error("a point is not returned as it is")
	}
	if got := geo.RFC7946Winding(orb.Polygon{ccw, cw}); !orb.Equal(got, orb.Polygon{ccw, cw}) {
		t.Errorf("a well-wound polygon changed: %v", got)
	}
}
