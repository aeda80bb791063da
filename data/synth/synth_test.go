package synth

import (
	"math"
	"slices"
	"testing"

	"sitematch/data"
	"sitematch/geo"
)

func base(t *testing.T) *data.Catalogue {
	t.Helper()
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestCatalogueDeterministic: the same seed gives the same sites, another
// seed others; ids are unique and sorted; the count is what was asked.
func TestCatalogueDeterministic(t *testing.T) {
	b := base(t)
	n := 60_000
	x, err := Catalogue(b, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := Catalogue(b, n, 1)
	z, _ := Catalogue(b, n, 2)
	if got := len(x.Turnkey) + len(x.Zones) + len(x.Towns) + len(x.Brownfields); got != n {
		t.Errorf("%d candidates, want %d", got, n)
	}
	if !slices.EqualFunc(x.Brownfields, y.Brownfields, func(a, b data.Site) bool { return a.ID == b.ID && a.Point == b.Point && a.AreaHa == b.AreaHa }) {
		t.Error("the same seed gave different sites")
	}
	same := 0
	for i := range x.Brownfields {
		if x.Brownfields[i].Point == z.Brownfields[i].Point {
			same++
		}
	}
	if same > n/100 {
		t.Errorf("seeds 1 and 2 share %d of %d points", same, n)
	}
	if !slices.IsSortedFunc(x.Brownfields, func(a, b data.Site) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	}) {
		t.Error("brownfields not sorted by id")
	}
	if len(b.Brownfields) == len(x.Brownfields) && &b.Brownfields[0] == &x.Brownfields[0] {
		t.Error("the base catalogue was modified")
	}
	if _, err := Catalogue(b, 10, 1); err == nil {
		t.Error("fewer candidates than the fixed layers: no error")
	}
}

// TestCatalogueDensity: every site lies near its commune, and the sites
// per région follow the mix of brownfields and population the generator
// draws from (within a point of share at 200,000 sites).
func TestCatalogueDensity(t *testing.T) {
	b := base(t)
	n := 200_000
	x, err := Catalogue(b, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	popReg, bfReg, got := map[string]float64{}, map[string]float64{}, map[string]float64{}
	var pop float64
	for _, c := range b.Communes {
		popReg[c.Reg] += float64(c.Population)
		pop += float64(c.Population)
	}
	reg := func(code string) string {
		c, ok := b.Commune(code)
		if !ok {
			t.Fatalf("unknown commune %q", code)
		}
		return c.Reg
	}
	for _, s := range b.Brownfields {
		bfReg[reg(s.Commune)]++
	}
	far := 0
	for _, s := range x.Brownfields {
		got[reg(s.Commune)]++
		c, _ := b.Commune(s.Commune)
		if geo.DistanceKm(c.Point, s.Point) > 60 {
			far++
		}
	}
	if far > len(x.Brownfields)/100 {
		t.Errorf("%d sites over 60 km from their commune", far)
	}
	m := float64(len(x.Brownfields))
	for r := range popReg {
		want := BrownfieldShare*bfReg[r]/float64(len(b.Brownfields)) + (1-BrownfieldShare)*popReg[r]/pop
		if d := math.Abs(got[r]/m - want); d > 0.01 {
			t.Errorf("région %s: %.3f of the sites, want %.3f", r, got[r]/m, want)
		}
	}
}
