package matching

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDiverseFloorNeverAboveResult checks the property the pruned walk
// stops on (diverseFloor): from the best candidates of any subset of the
// eligible ones, the floor is never above the total of the want-th
// result the full pass keeps, for several projects, limits and
// max_per_commune; and from every eligible candidate it is that total
// when no mixed candidate, nor a town with a land-giving plot, is among
// the results.
func TestDiverseFloorNeverAboveResult(t *testing.T) {
	e := SharedEngine(t)
	rng := rand.New(rand.NewPCG(1207, 0))
	base := benchProject()
	noTrades := benchProject()
	noTrades.Trades = nil
	central := benchProject()
	central.Supply.Mode = SupplyModeCentrality
	few := benchProject()
	few.Suppliers = few.Suppliers[:2]
	checked := 0
	for _, p := range []Project{base, noTrades, central, few} {
		q := e.compile(Resolve(p))
		all := e.rank(q, nil, len(e.cands)) // every eligible candidate, sorted
		for _, perCommune := range []int{1, 2, 3, MaxLimit} {
			for _, want := range []int{1, 5, 20, 60} {
				full := e.diversify(q, all, perCommune, want)
				if len(full) < want {
					t.Fatalf("only %d diverse results of %d", len(full), want)
				}
				result := full[want-1].total
				rule, scratch := e.newDiverseRule(q, perCommune), []int32(nil)
				mixedIn := false
				for _, s := range full {
					// a town with a land-giving plot is left out of the
					// floor as the mixed groups are
					mixedIn = mixedIn || e.prune.mixed.has(s.idx) || rule.townPlot(&e.cands[s.idx]) != nil
				}
				if f := e.diverseFloor(all, rule, want, e.prune.mixed, math.Inf(-1), &scratch); f > result || (!mixedIn && f != result) {
					t.Fatalf("project %q, want %d, per commune %d: floor over every eligible %v, want-th result %v (mixed among the results: %v)",
						p.Name, want, perCommune, f, result, mixedIn)
				}
				for range 20 {
					// The best pool of a random subset, in heap order.
					keep := rng.Float64()
					var sub []scored
					for _, s := range all {
						if rng.Float64() < keep {
							sub = append(sub, s)
						}
					}
					sub = sub[:min(len(sub), diversePool(want))]
					rng.Shuffle(len(sub), func(i, j int) { sub[i], sub[j] = sub[j], sub[i] })
					if f := e.diverseFloor(sub, rule, want, e.prune.mixed, math.Inf(-1), &scratch); f > result {
						t.Fatalf("project %q, want %d, per commune %d, subset of %d: floor %v above the want-th result %v",
							p.Name, want, perCommune, len(sub), f, result)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d subsets checked", checked)
}
