package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestBoxHavIsTightLowerBound checks the claim NearestFunc rests on: for
// random queries and lon/lat boxes, boxHav is at most the haversine to any
// point of the box, and (sampling the box's edges) no more than the
// sampling step below the true minimum.
func TestBoxHavIsTightLowerBound(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	span := func(lo, hi, size float64) (float64, float64) {
		a := lo + r.Float64()*(hi-lo)
		b := a + size*r.Float64()
		return a, min(b, hi)
	}
	const edge = 400 // samples per edge
	for i := range 3000 {
		p := orb.Point{r.Float64()*360 - 180, math.Asin(2*r.Float64()-1) / rad}
		if i%3 == 0 { // a query near the box
			p = orb.Point{r.Float64()*20 - 5, r.Float64()*20 + 40}
		}
		size := []float64{0.1, 2, 30, 360}[i%4]
		lo, hi := [2]float64{}, [2]float64{}
		lo[0], hi[0] = span(-180, 180, size)
		lo[1], hi[1] = span(-90, 90, size/2)
		if i%3 == 0 {
			lo, hi = [2]float64{0, 44}, [2]float64{2, 46}
		}
		q := newQuery(p)
		bound := q.boxHav(lo, hi)
		atMost := func(pt orb.Point) float64 {
			h := q.pointHav(pt)
			if bound > h {
				t.Fatalf("query %v box %v %v: bound %g above point %v at %g", p, lo, hi, bound, pt, h)
			}
			return h
		}
		for range 50 {
			atMost(orb.Point{lo[0] + r.Float64()*(hi[0]-lo[0]), lo[1] + r.Float64()*(hi[1]-lo[1])})
		}
		inside := lo[0] <= q.lon && q.lon <= hi[0] && lo[1] <= p[1] && p[1] <= hi[1]
		if inside {
			if bound != 0 {
				t.Fatalf("query %v inside box %v %v: bound %g", p, lo, hi, bound)
			}
			continue
		}
		minH := math.Inf(1)
		for j := range edge + 1 {
			f := float64(j) / edge
			lon, lat := lo[0]+f*(hi[0]-lo[0]), lo[1]+f*(hi[1]-lo[1])
			for _, pt := range []orb.Point{{lo[0], lat}, {hi[0], lat}, {lon, lo[1]}, {lon, hi[1]}} {
				minH = min(minH, atMost(pt))
			}
		}
		step := max(hi[0]-lo[0], hi[1]-lo[1]) * rad * EarthRadiusKm / edge
		if got, want := havKm(bound), havKm(minH); got < want-step-1e-9 {
			t.Fatalf("query %v box %v %v: bound %v km, sampled edges %v km (step %v)", p, lo, hi, got, want, step)
		}
	}
}
