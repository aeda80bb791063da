// Package synth generates synthetic catalogues for benchmarks at scales the
// real data does not reach: up to millions of candidate sites placed with
// France's density, deterministically per seed. A synthetic catalogue is
// the real one (communes, transport, lycées, towns, turnkey sites) with
// its brownfields replaced by generated ones; it is never served and never
// written to the snapshot.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// JitterKm is the standard deviation, in kilometres, of a synthetic
// site's offset from the place it is drawn around: about the radius of a
// French commune (35,000 communes over 550,000 km²).
const JitterKm = 2.0

// BrownfieldShare is the share of synthetic sites drawn around a real
// brownfield (Cartofriches' density, industrial history); the others are
// drawn around a commune chosen in proportion to its population.
const BrownfieldShare = 0.5

// Catalogue returns a copy of base holding n candidates in all: base's
// turnkey sites, zones and towns, and n minus those synthetic brownfields
// (ids "brownfield:synth-0000001"…, in id order). Each is drawn, with
// probability BrownfieldShare, around one of base's brownfields picked
// uniformly, otherwise around a commune picked in proportion to its
// population, offset by a Gaussian of JitterKm and placed in that
// commune; half have a known area (log-normal, median 2 ha). The same
// base, n and seed give the same catalogue; its Version says how it was
// made. base is not modified.
func Catalogue(base *data.Catalogue, n int, seed uint64) (*data.Catalogue, error) {
	fixed := len(base.Turnkey) + len(base.Zones) + len(base.Towns)
	if n < fixed {
		return nil, fmt.Errorf("synth: %d candidates asked, the catalogue's turnkey sites, zones and towns alone are %d", n, fixed)
	}
	if len(base.Communes) == 0 || len(base.Brownfields) == 0 {
		return nil, fmt.Errorf("synth: the base catalogue has no communes or no brownfields to draw around")
	}
	rng := rand.New(rand.NewPCG(seed, 0x5E7A))
	// Cumulative population, for drawing communes in proportion to it.
	cum := make([]float64, len(base.Communes))
	var sum float64
	for i, c := range base.Communes {
		sum += float64(max(c.Population, 0))
		cum[i] = sum
	}
	out := *base
	out.Version = fmt.Sprintf("%s+synth:n=%d,seed=%d", base.Version, n, seed)
	m := n - fixed
	out.Brownfields = make([]data.Site, m)
	width := len(fmt.Sprint(m))
	for i := range m {
		var commune string
		var at orb.Point
		if rng.Float64() < BrownfieldShare {
			b := &base.Brownfields[rng.IntN(len(base.Brownfields))]
			commune, at = b.Commune, b.Point
		} else {
			k, _ := slices.BinarySearch(cum, rng.Float64()*sum)
			c := &base.Communes[min(k, len(cum)-1)]
			commune, at = c.Code, c.Point
		}
		s := data.Site{ID: fmt.Sprintf("brownfield:synth-%0*d", width, i+1), Kind: data.KindBrownfield,
			Name: fmt.Sprintf("Friche synthétique %d", i+1), Commune: commune, Point: jitter(rng, at),
			Status: "friche sans projet", Source: "synthetic (sitematch/data/synth, seed " + fmt.Sprint(seed) + ")"}
		if rng.IntN(2) == 0 {
			s.AreaKnown, s.AreaHa = true, math.Round(2*math.Exp(rng.NormFloat64())*100)/100
		}
		out.Brownfields[i] = s
	}
	return &out, nil
}

// jitter offsets p by a Gaussian of JitterKm in each direction.
func jitter(rng *rand.Rand, p orb.Point) orb.Point {
	const kmPerDegLat = 111.195
	lat := p[1] + rng.NormFloat64()*JitterKm/kmPerDegLat
	lon := p[0] + rng.NormFloat64()*JitterKm/(kmPerDegLat*math.Max(0.1, math.Cos(p[1]*math.Pi/180)))
	return orb.Point{math.Round(lon*1e6) / 1e6, math.Max(-90, math.Min(90, math.Round(lat*1e6)/1e6))}
}
