package store

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// bruteSelfIntersection is the O(n²) check: every pair of edges.
func bruteSelfIntersection(poly orb.Polygon) bool {
	segs := ringSegments(poly)
	for i := range segs {
		for j := i + 1; j < len(segs); j++ {
			if edgesCross(&segs[i], &segs[j]) {
				return true
			}
		}
	}
	return false
}

// randomRing is a closed ring of n vertices of one of several shapes:
// random points (most cross), a star (simple), a perturbed star (some
// cross), or points on a coarse grid (touching vertices, collinear and
// vertical edges).
func randomRing(rng *rand.Rand, n int, cx, cy, r float64) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	kind := rng.IntN(4)
	for i := range n {
		var p orb.Point
		switch kind {
		case 0:
			p = orb.Point{cx + r*(2*rng.Float64()-1), cy + r*(2*rng.Float64()-1)}
		case 1, 2:
			a := 2 * math.Pi * float64(i) / float64(n)
			rr := r * (0.3 + 0.7*rng.Float64())
			if kind == 2 && rng.IntN(8) == 0 {
				a += rng.NormFloat64() * 0.5
			}
			p = orb.Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)}
		default:
			p = orb.Point{cx + r*float64(rng.IntN(5)-2)/2, cy + r*float64(rng.IntN(5)-2)/2}
		}
		ring = append(ring, p)
	}
	return append(ring, ring[0])
}

// TestSelfIntersectionMatchesBruteForce: on random polygons of one to three
// rings (holes that may cross or touch the shell), the sweep finds a
// crossing exactly when the brute-force check does.
func TestSelfIntersectionMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 6))
	found := [2]int{}
	for iter := range 20000 {
		var poly orb.Polygon
		rings := 1 + rng.IntN(3)
		for k := range rings {
			r := 1.0
			if k > 0 {
				r = 0.2 + rng.Float64()*0.8
			}
			poly = append(poly, randomRing(rng, 3+rng.IntN(12), rng.Float64()*0.5*float64(k), 0, r))
		}
		_, _, got := selfIntersection(poly)
		want := bruteSelfIntersection(poly)
		if got != want {
			t.Fatalf("polygon %d: sweep %v, brute force %v: %v", iter, got, want, poly)
		}
		if got {
			found[1]++
		} else {
			found[0]++
		}
	}
	if found[0] < 1000 || found[1] < 1000 {
		t.Errorf("too few of one kind: %d simple, %d crossing", found[0], found[1])
	}
}

// TestSelfIntersectionLarge: a simple 5,000-vertex ring passes, and
// the same ring with one vertex moved across it fails, as brute force says.
func TestSelfIntersectionLarge(t *testing.T) {
	const n = 5000
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		r := 0.01 * (1 + 0.3*math.Sin(7*a))
		ring = append(ring, orb.Point{1 + r*math.Cos(a), 49 + r*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	if _, _, bad := selfIntersection(orb.Polygon{ring}); bad || bruteSelfIntersection(orb.Polygon{ring}) {
		t.Fatal("a simple ring reported crossing")
	}
	ring[n/2] = orb.Point{1.02, 49}
	if _, _, bad := selfIntersection(orb.Polygon{ring}); !bad || !bruteSelfIntersection(orb.Polygon{ring}) {
		t.Fatal("a crossing ring passed")
	}
}

func BenchmarkSelfIntersection(b *testing.B) {
	const n = 5000
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		ring = append(ring, orb.Point{1 + 0.01*math.Cos(a), 49 + 0.01*math.Sin(a)})
	}
	poly := orb.Polygon{append(ring, ring[0])}
	b.Run("sweep", func(b *testing.B) {
		for b.Loop() {
			selfIntersection(poly)
		}
	})
	b.Run("brute", func(b *testing.B) {
		for b.Loop() {
			bruteSelfIntersection(poly)
		}
	})
}
