package matching

import (
	"math/rand/v2"
	"slices"
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
				rule := e.newDiverseRule(q, perCommune)
				mixedIn := false
				for _, s := range full {
					// a town with a land-giving plot is left out of the
					// floor as the mixed groups are
					mixedIn = mixedIn || e.prune.mixed.has(s.idx) || rule.townPlot(&e.cands[s.idx]) >= 0
				}
				if f := e.diverseFloor(floorOf(e, all), rule, want, e.prune.mixed); f > result || (!mixedIn && f != result) {
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
					if f := e.diverseFloor(floorOf(e, sub), rule, want, e.prune.mixed); f > result {
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

// floorOf is the floorList of items, added in their order.
func floorOf(e *Engine, items []scored) floorList {
	var f floorList
	for _, s := range items {
		f.add(e, s.total, s.idx)
	}
	return f
}

// TestFloorListSorted checks that floorList.add keeps Engine.better's
// order whatever the order of arrival, and below drops exactly the
// candidates under the floor.
func TestFloorListSorted(t *testing.T) {
	e := SharedEngine(t)
	q := e.compile(Resolve(benchProject()))
	all := e.rank(q, nil, 400)
	rng := rand.New(rand.NewPCG(9, 0))
	for range 50 {
		sub := slices.Clone(all[:rng.IntN(len(all))])
		for i := range sub { // ties on the total, ordered by id
			if rng.IntN(4) == 0 && i > 0 {
				sub[i].total = sub[i-1].total
			}
		}
		want := slices.Clone(sub)
		sortScored(e, want)
		rng.Shuffle(len(sub), func(i, j int) { sub[i], sub[j] = sub[j], sub[i] })
		f := floorOf(e, sub)
		if len(f) != len(want) {
			t.Fatalf("%d refs for %d items", len(f), len(want))
		}
		for i := range f {
			if int(f[i].idx) != want[i].idx || f[i].total != want[i].total {
				t.Fatalf("ref %d: %v, want candidate %d at %v", i, f[i], want[i].idx, want[i].total)
			}
		}
		if len(f) == 0 {
			continue
		}
		cut := f[rng.IntN(len(f))].total
		f.below(cut)
		for i, r := range want {
			if in := i < len(f); in != (r.total >= cut) {
				t.Fatalf("below(%v): candidate at %v kept %v", cut, r.total, in)
			}
		}
	}
}
