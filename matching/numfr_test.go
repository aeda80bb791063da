package matching

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// numFRReference is numFR as first written (strings and a Builder): the
// allocation-light numFR must give the same text for every number.
func numFRReference(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" && strings.Trim(frac, "0") != "" {
		out += "," + frac
	}
	return out
}

// TestNumFRMatchesReferenceHalves: the integer path of appendNumFR must
// round exactly as strconv does, on a million seeded numbers: halves of
// the last decimal and their float neighbours (where a product's rounding
// could tip the result), negatives that round to zero, whole numbers and
// numbers of every magnitude up to 1e17, for 0 to 6 decimals (and one
// beyond, which strconv formats).
func TestNumFRMatchesReferenceHalves(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	check := func(x float64, d int) {
		t.Helper()
		if got, want := numFR(x, d), numFRReference(x, d); got != want {
			t.Fatalf("numFR(%v, %d) = %q, want %q", x, d, got, want)
		}
	}
	for i := range 1_000_000 {
		d := i % 8
		scale := math.Pow(10, float64(min(d, 6)))
		var x float64
		switch i / 8 % 5 {
		case 0: // a half of the last decimal
			x = (float64(rng.IntN(1_000_000)) + 0.5) / scale
		case 1: // its neighbours
			x = (float64(rng.IntN(1_000_000)) + 0.5) / scale
			x = math.Nextafter(x, math.Inf(int(2*rng.IntN(2))-1))
		case 2: // any magnitude
			x = math.Pow(10, rng.Float64()*19-2)
		case 3: // a whole count of the last decimal
			x = float64(rng.IntN(1<<40)) / scale
		case 4: // small, rounding to zero or one unit
			x = rng.Float64() * 2 / scale
		}
		if rng.IntN(2) == 0 {
			x = -x
		}
		check(x, d)
	}
}

func TestNumFRMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	xs := []float64{0, math.Copysign(0, -1), 0.04, -0.04, 0.05, 1, 9.95, 10, 999, 1000, 1234567.891, -1234567.891, 1e21, math.NaN(), math.Inf(1), math.Inf(-1)}
	for range 20000 {
		x := math.Pow(10, rng.Float64()*9-2) * float64(1-2*rng.IntN(2))
		xs = append(xs, x, math.Round(x), math.Round(x*10)/10)
	}
	for _, x := range xs {
		for d := range 4 {
			if got, want := numFR(x, d), numFRReference(x, d); got != want {
				t.Fatalf("numFR(%v, %d) = %q, want %q", x, d, got, want)
			}
		}
	}
}
