package matching_test

import (
	"reflect"
	"testing"

	"sitematch/matching"
)

// TestEveryCriterionHasABound fails for a criterion the pruned ranking can
// only bound by 1 (no bound, not static): still exact, but it prunes
// nothing once weighted. A new criterion gets a bound in table.go.
func TestEveryCriterionHasABound(t *testing.T) {
	if ids := matching.TrivialBounds(); len(ids) > 0 {
		t.Errorf("criteria without a bound (table.go: bound or static): %v", ids)
	}
}

// TestLeafBoundsNeverBelowScores summarises random sets of candidates as
// leaves (spatial runs of the leaf order, and scattered draws, of every
// size) and checks, on random projects, that no criterion's bound and no
// total bound is below a member's score.
func TestLeafBoundsNeverBelowScores(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 1201)
	order := e.Order()
	n, projects := len(order), 300
	if testing.Short() {
		projects = 60
	}
	checked := 0
	for range projects {
		p := g.project()
		if err := e.CheckExclusions(p); err != nil {
			t.Fatalf("project %+v: %v", p, err)
		}
		for range 8 {
			var members []int32
			size := 1 + g.rng.IntN(300)
			if g.chance(0.7) {
				lo := g.rng.IntN(n)
				members = order[lo:min(n, lo+size)]
			} else {
				for range size {
					members = append(members, order[g.rng.IntN(n)])
				}
			}
			k, err := e.CheckLeafBounds(p, members)
			checked += k
			if err != nil {
				t.Fatalf("project %+v: %v", p, err)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no score checked")
	}
	t.Logf("%d (candidate, criterion) pairs checked", checked)
}

// TestPrunedMatchEqualsFullPass matches seeded random projects (every kind
// of constraint, sectors, trades, partners, weights, limits and
// max_per_commune, robustness at times) with the pruned ranking and with
// the pass that scores every candidate: the results must be identical,
// counts included.
func TestPrunedMatchEqualsFullPass(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 1202)
	n := 1000
	if testing.Short() {
		n = 150
	}
	for i := range n {
		p := g.project()
		opt := matching.Options{Limit: 1 + g.rng.IntN(60)}
		switch r := g.rng.Float64(); {
		case r < 0.05:
			opt.Limit = 200 + g.rng.IntN(801)
		case r < 0.1:
			opt.Robustness, opt.Draws, opt.Seed = true, 20, uint64(i)
		}
		if g.chance(0.3) {
			opt.MaxPerCommune = 1 + g.rng.IntN(4)
		}
		got, err1 := e.Match(p, opt)
		want, err2 := e.MatchUnpruned(p, opt)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("project %d: pruned error %v, full pass error %v", i, err1, err2)
		}
		if err1 != nil {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("project %d (%+v, %+v): pruned and full results differ:\npruned %v\nfull   %v", i, p, opt, ids(got), ids(want))
		}
	}
}

func ids(r *matching.Result) []string {
	var out []string
	for _, x := range r.Results {
		out = append(out, x.Candidate.Site.ID)
	}
	return out
}
