package matching

import (
	"math/rand/v2"
	"testing"

	"sitematch/data"
)

// TestBestMeanEqualsScan: the tree walk of compileCentrality finds the
// same optimum, and the same site, as a scan of every candidate, on seeded
// projects with random partners and hard constraints.
func TestBestMeanEqualsScan(t *testing.T) {
	e := SharedEngine(t)
	cat := e.Catalogue()
	rng := rand.New(rand.NewPCG(RandSeed(t), 31))
	for trial := range 60 {
		p := Project{Name: "Centralité", Sector: "logistics", Jobs: intp(1 + rng.IntN(800))}
		if rng.IntN(2) == 0 {
			p.LandHa = f64p(0.5 + 60*rng.Float64())
		}
		for range 1 + rng.IntN(25) {
			x := Partner{Commune: cat.Communes[rng.IntN(len(cat.Communes))].Code}
			if rng.IntN(2) == 0 {
				x.Weight = f64p(0.1 + 5*rng.Float64())
			}
			p.Customers = append(p.Customers, x)
		}
		switch rng.IntN(4) {
		case 0:
			p.Constraints.Regions = []string{cat.Regions[rng.IntN(len(cat.Regions))].Code}
		case 1:
			p.Constraints.Kinds = []string{data.Kinds[rng.IntN(len(data.Kinds))]}
		case 2:
			p.Constraints.RequireKnownArea = true
		}
		q := e.compile(Resolve(p))
		wantKm, wantID := e.bestMeanScan(q)
		if q.bestMeanKm != wantKm || q.bestID != wantID {
			t.Fatalf("trial %d (%+v): tree walk %v km at %q, scan %v km at %q", trial, p.Constraints, q.bestMeanKm, q.bestID, wantKm, wantID)
		}
	}
}
