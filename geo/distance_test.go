package geo_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"sitematch/geo"
)

var (
	paris     = orb.Point{2.3522, 48.8566}
	lyon      = orb.Point{4.8357, 45.7640}
	marseille = orb.Point{5.3698, 43.2965}
)

func TestDistanceKm(t *testing.T) {
	// Expected values come from the atan2 (Vincenty) form of the
	// great-circle distance on the same sphere, computed independently.
	cases := []struct {
		name string
		a, b orb.Point
		km   float64
	}{
		{name: "paris-lyon", a: paris, b: lyon, km: 391.499472},
		{name: "paris-marseille", a: paris, b: marseille, km: 660.479292},
		{name: "zero", a: lyon, b: lyon, km: 0},
		{name: "one degree of latitude", a: orb.Point{0, 0}, b: orb.Point{0, 1}, km: 111.195080},
		{name: "antipodal on the equator", a: orb.Point{0, 0}, b: orb.Point{180, 0}, km: 20015.114442},
		{name: "pole to pole", a: orb.Point{0, 90}, b: orb.Point{0, -90}, km: 20015.114442},
		{name: "across the antimeridian", a: orb.Point{179.5, -17}, b: orb.Point{-179.5, -17}, km: 106.336269},
		{name: "guadeloupe-reunion", a: orb.Point{-61.5, 16.25}, b: orb.Point{55.5, -21.1}, km: 13397.752194},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := geo.DistanceKm(tc.a, tc.b)
			if math.Abs(got-tc.km) > 1e-6 {
				t.Errorf("DistanceKm = %.9f, want %.6f", got, tc.km)
			}
			if back := geo.DistanceKm(tc.b, tc.a); back != got {
				t.Errorf("not symmetric: %v then %v", got, back)
			}
		})
	}
}

// TestDistanceKmVersusOrb checks the formula against orb's haversine, which
// differs only by its radius (the equatorial one, in metres).
func TestDistanceKmVersusOrb(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 1))
	for range 10000 {
		a, b := randSphere(r), randSphere(r)
		want := orbgeo.DistanceHaversine(a, b) / 1000 * geo.EarthRadiusKm / (orb.EarthRadius / 1000)
		if got := geo.DistanceKm(a, b); !relEq(got, want, 1e-9) {
			t.Fatalf("DistanceKm(%v, %v) = %v, orb scaled = %v", a, b, got, want)
		}
	}
}

func TestDecay(t *testing.T) {
	cases := []struct {
		name         string
		d, near, far float64
		want         float64
	}{
		{name: "zero", d: 0, near: 25, far: 300, want: 1},
		{name: "below near", d: 10, near: 25, far: 300, want: 1},
		{name: "at near", d: 25, near: 25, far: 300, want: 1},
		{name: "midway", d: 162.5, near: 25, far: 300, want: 0.5},
		{name: "a quarter in", d: 93.75, near: 25, far: 300, want: 0.75},
		{name: "at far", d: 300, near: 25, far: 300, want: 0},
		{name: "beyond far", d: 1000, near: 25, far: 300, want: 0},
		{name: "step, at", d: 30, near: 30, far: 30, want: 1},
		{name: "step, beyond", d: 30.0001, near: 30, far: 30, want: 0},
		{name: "reversed is a step at near, below", d: 7, near: 10, far: 5, want: 1},
		{name: "reversed is a step at near, beyond", d: 12, near: 10, far: 5, want: 0},
		{name: "infinite distance", d: math.Inf(1), near: 5, far: 50, want: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := geo.Decay(tc.d, tc.near, tc.far); got != tc.want {
				t.Errorf("Decay(%v, %v, %v) = %v, want %v", tc.d, tc.near, tc.far, got, tc.want)
			}
		})
	}
	if got := geo.Decay(math.NaN(), 5, 50); !math.IsNaN(got) {
		t.Errorf("Decay(NaN) = %v, want NaN", got)
	}
}

// TestUnitDistanceKm checks that the chord form agrees with haversine, on
// pairs anywhere on the sphere and on pairs a few km to a hundred km apart.
func TestUnitDistanceKm(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 2))
	for i := range 20000 {
		a := randSphere(r)
		b := randSphere(r)
		if i%2 == 1 { // a neighbour of a
			b = orb.Point{a[0] + r.Float64() - 0.5, max(-90, min(90, a[1]+r.Float64()-0.5))}
		}
		want := geo.DistanceKm(a, b)
		got := geo.ToUnit(a).DistanceKm(geo.ToUnit(b))
		if !relEq(got, want, 1e-9) {
			t.Fatalf("Unit.DistanceKm(%v, %v) = %v, DistanceKm = %v", a, b, got, want)
		}
	}
	if d := geo.ToUnit(paris).DistanceKm(geo.ToUnit(paris)); d != 0 {
		t.Errorf("zero distance = %v", d)
	}
}

func TestBoundAround(t *testing.T) {
	world := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	cases := []struct {
		name string
		p    orb.Point
		km   float64
		want orb.Bound
	}{
		{name: "north pole inside", p: orb.Point{0, 89.9}, km: 50, want: world},
		{name: "south pole inside", p: orb.Point{10, -89.9}, km: 50, want: world},
		{name: "half the planet", p: paris, km: 10000, want: world},
		{name: "zero radius", p: paris, km: 0, want: orb.Bound{Min: paris, Max: paris}},
		{name: "negative radius", p: paris, km: -3, want: orb.Bound{Min: paris, Max: paris}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := geo.BoundAround(tc.p, tc.km); got != tc.want {
				t.Errorf("BoundAround(%v, %v) = %v, want %v", tc.p, tc.km, got, tc.want)
			}
		})
	}
	t.Run("antimeridian widens to all longitudes", func(t *testing.T) {
		b := geo.BoundAround(orb.Point{179.9, -17}, 100)
		if b.Min[0] != -180 || b.Max[0] != 180 || b.Min[1] > -17.8 || b.Max[1] < -16.2 {
			t.Errorf("got %v", b)
		}
	})
	t.Run("paris 30 km", func(t *testing.T) {
		b := geo.BoundAround(paris, 30)
		dLat := 30 / geo.EarthRadiusKm * 180 / math.Pi
		if !relEq(b.Max[1]-paris[1], dLat, 1e-6) || b.Max[0]-paris[0] < dLat/math.Cos(paris[1]*math.Pi/180) {
			t.Errorf("got %v", b)
		}
	})
	t.Run("contains every point within km", func(t *testing.T) {
		r := rand.New(rand.NewPCG(seed(t), 3))
		for range 50000 {
			p := randSphere(r)
			km := r.Float64() * 3000
			b := geo.BoundAround(p, km)
			// the boundary itself, then inside
			q := destination(p, r.Float64()*360, km)
			if r.IntN(2) == 0 {
				q = destination(p, r.Float64()*360, km*r.Float64())
			}
			if geo.DistanceKm(p, q) <= km && !b.Contains(q) {
				t.Fatalf("BoundAround(%v, %v) = %v misses %v at %v km", p, km, b, q, geo.DistanceKm(p, q))
			}
		}
	})
}

// destination returns the point km away from p on the initial bearing
// (degrees clockwise from north).
func destination(p orb.Point, bearing, km float64) orb.Point {
	const rad = math.Pi / 180
	d := km / geo.EarthRadiusKm
	lat1, lon1, th := p[1]*rad, p[0]*rad, bearing*rad
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(th))
	lon2 := lon1 + math.Atan2(math.Sin(th)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
	lon := math.Mod(lon2/rad+540, 360) - 180
	return orb.Point{lon, lat2 / rad}
}

// randSphere draws a point uniformly on the sphere.
func randSphere(r *rand.Rand) orb.Point {
	return orb.Point{r.Float64()*360 - 180, math.Asin(2*r.Float64()-1) * 180 / math.Pi}
}

func relEq(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*max(math.Abs(a), math.Abs(b)) || a == b
}
