package geo_test

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/geo"
)

// benchData loads the communes layer, its index and 1024 query points drawn
// with a fixed seed in the metropolitan box.
func benchData(b *testing.B) ([]orb.Point, *geo.Index[int], []orb.Point) {
	b.Helper()
	pts := loadCommunes(b).pts
	vals := make([]int, len(pts))
	for i := range vals {
		vals[i] = i
	}
	r := rand.New(rand.NewPCG(22, 22))
	qs := make([]orb.Point, 1024)
	for i := range qs {
		qs[i] = randIn(r, regions[0].b)
	}
	return pts, geo.NewIndex(pts, vals), qs
}

var sink int

func BenchmarkBuild(b *testing.B) {
	pts, _, _ := benchData(b)
	vals := make([]int, len(pts))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sink += geo.NewIndex(pts, vals).Len()
	}
}

func benchNearest(b *testing.B, k int) {
	_, ix, qs := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		sink += ix.Nearest(qs[i%len(qs)], k, 0)[0].Value
	}
}

func BenchmarkNearest1(b *testing.B)  { benchNearest(b, 1) }
func BenchmarkNearest10(b *testing.B) { benchNearest(b, 10) }

func BenchmarkWithin30km(b *testing.B) {
	_, ix, qs := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ix.Within(qs[i%len(qs)], 30, func(geo.Hit[int]) bool { sink++; return true })
	}
}

// benchBruteNearest scans every point with DistanceKm, keeping the k
// nearest in a sorted array.
func benchBruteNearest(b *testing.B, k int) {
	pts, _, qs := benchData(b)
	type hit struct {
		i  int
		km float64
	}
	top := make([]hit, 0, k)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p := qs[i%len(qs)]
		top = top[:0]
		for j, q := range pts {
			d := geo.DistanceKm(p, q)
			if len(top) == k && d >= top[k-1].km {
				continue
			}
			if len(top) < k {
				top = append(top, hit{})
			}
			n := len(top) - 1
			for ; n > 0 && top[n-1].km > d; n-- {
				top[n] = top[n-1]
			}
			top[n] = hit{j, d}
		}
		sink += top[0].i
	}
}

func BenchmarkBruteNearest1(b *testing.B)  { benchBruteNearest(b, 1) }
func BenchmarkBruteNearest10(b *testing.B) { benchBruteNearest(b, 10) }

func BenchmarkBruteWithin30km(b *testing.B) {
	pts, _, qs := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p := qs[i%len(qs)]
		for _, q := range pts {
			if geo.DistanceKm(p, q) <= 30 {
				sink++
			}
		}
	}
}
