package store_test

import (
	"testing"

	"sitematch/geo"
)

func TestLambert93(t *testing.T) {
	// The projection's origin is exact by definition.
	if p := geo.Lambert93ToWGS84(700000, 6600000); abs(p[0]-3) > 1e-9 || abs(p[1]-46.5) > 1e-9 {
		t.Errorf("origin: %v", p)
	}
	for _, p := range [][2]float64{{2.3522, 48.8566}, {-4.4861, 48.3904}, {7.7521, 48.5734}, {9.45, 42.7}} {
		x, y := geo.WGS84ToLambert93(p)
		back := geo.Lambert93ToWGS84(x, y)
		if abs(back[0]-p[0]) > 1e-9 || abs(back[1]-p[1]) > 1e-9 {
			t.Errorf("round trip of %v: %v", p, back)
		}
	}
	// Paris (Notre-Dame) is about (652 000, 6 862 000) in Lambert-93.
	if x, y := geo.WGS84ToLambert93([2]float64{2.3499, 48.8530}); abs(x-652200) > 1000 || abs(y-6861900) > 1000 {
		t.Errorf("Paris: %.0f, %.0f", x, y)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
