package matching

import (
	"math/rand/v2"
	"testing"
)

// TestRankedEndsEqualScan checks ranked.below and ranked.above, which OR
// a prefix or suffix bitset and set the rest one by one, against a scan
// of every value, for lists shorter and longer than rankStride, with
// repeated values and thresholds on, between and beyond them, and for
// one long enough to take a wider stride.
func TestRankedEndsEqualScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(64, 0))
	for _, size := range []int{0, 1, rankStride - 1, rankStride, rankStride + 1, 3*rankStride + 17, rankBitsets*rankStride + 5000} {
		n := size + rng.IntN(500)
		idx := rng.Perm(n)[:size]
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(rng.IntN(300)) / 4 // repeats
		}
		in := make([]int32, size)
		for k, i := range idx {
			in[k] = int32(i)
		}
		r := newRanked(n, in, func(i int32) float64 { return vals[i] }, fromBelow|fromAbove)
		if len(r.prefix) > rankBitsets || len(r.suffix) > rankBitsets || (size > rankBitsets*rankStride && r.stride == rankStride) {
			t.Fatalf("size %d: stride %d, %d and %d bitsets", size, r.stride, len(r.prefix), len(r.suffix))
		}
		for range 200 {
			x := float64(rng.IntN(320)-10) / 4
			if rng.IntN(2) == 0 {
				x += 0.1
			}
			lo, hi := newBitset(n), newBitset(n)
			r.below(lo, x)
			r.above(hi, x)
			member := map[int]bool{}
			for _, i := range idx {
				member[i] = true
			}
			for i := range n {
				if want := member[i] && vals[i] < x; lo.has(i) != want {
					t.Fatalf("size %d, below(%v): candidate %d (%v) set %v", size, x, i, vals[i], lo.has(i))
				}
				if want := member[i] && vals[i] > x; hi.has(i) != want {
					t.Fatalf("size %d, above(%v): candidate %d (%v) set %v", size, x, i, vals[i], hi.has(i))
				}
			}
		}
	}
}
