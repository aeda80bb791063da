package matching

import (
	"fmt"
	"testing"
)

// TestTownsDoNotRepeatListedPlots: for projects with a land need, no town
// is listed below the plot that gives it its land score, and the rule does
// leave towns out (the Montbéliard and Breton cases that made it).
func TestTownsDoNotRepeatListedPlots(t *testing.T) {
	e := SharedEngine(t)
	cases := []struct {
		region string
		land   float64
	}{{"27", 8}, {"53", 5}, {"84", 3}, {"28", 10}, {"75", 20}, {"44", 2}}
	skipped := 0
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s-%gha", tc.region, tc.land), func(t *testing.T) {
			land, jobs := tc.land, 80
			p := Project{Name: "x", Sector: "metalworking", LandHa: &land, Jobs: &jobs,
				Constraints: Constraints{Regions: []string{tc.region}}}
			res, err := e.Match(p, Options{Limit: 30})
			if err != nil {
				t.Fatal(err)
			}
			q := e.compile(Resolve(p))
			listed := map[int]bool{}
			for _, r := range res.Results {
				i := candIndex(e, r.Candidate)
				if pl := e.townLandPlot(q, r.Candidate); pl >= 0 && listed[pl] {
					t.Errorf("%s listed at #%d after its plot %s", r.Candidate.Site.ID, r.Rank, e.cands[pl].Site.ID)
				}
				listed[i] = true
			}
			// The same ranking without the rule: count the towns it removes.
			best := e.rank(q, nil, res.Eligible)
			for _, s := range best[:min(len(best), 200)] {
				c := &e.cands[s.idx]
				if pl := e.townLandPlot(q, c); pl >= 0 && listed[pl] {
					skipped++
				}
			}
		})
	}
	if skipped == 0 {
		t.Error("no town anywhere repeats a listed plot: the rule is not exercised")
	}
}

// candIndex is the index of c in e.cands.
func candIndex(e *Engine, c *Candidate) int {
	for i := range e.cands {
		if &e.cands[i] == c {
			return i
		}
	}
	return -1
}
