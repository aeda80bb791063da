package wire

import (
	"testing"

	"sitematch/data"
	"sitematch/matching"
)

// TestEveryCriterionHasAWireDetail: every criterion of the engine has a
// wire converter for its detail, and every result's detail is converted
// by its own criterion's, so a new criterion cannot reach the wire as a
// raw Go value.
func TestEveryCriterionHasAWireDetail(t *testing.T) {
	for _, id := range matching.Criteria {
		if detailWire[id] == nil {
			t.Errorf("criterion %s has no wire detail in detailWire", id)
		}
	}
	if len(detailWire) != len(matching.Criteria) {
		t.Errorf("detailWire has %d entries for %d criteria", len(detailWire), len(matching.Criteria))
	}
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := matching.NewEngine(cat)
	if err != nil {
		t.Fatal(err)
	}
	jobs, land := 100, 5.0
	res, err := eng.Match(matching.Project{Name: "wire", NAF: "20.14Z", Jobs: &jobs, LandHa: &land, Seveso: matching.SevesoUpper,
		Weights:   map[string]float64{matching.Energy: 10},
		Suppliers: []matching.Partner{{Commune: "76351"}}}, matching.Options{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range res.Results {
		for _, c := range r.Criteria {
			if c.Detail.Criterion() != c.ID {
				t.Errorf("%s: detail of %s says it belongs to %s", r.Candidate.Site.ID, c.ID, c.Detail.Criterion())
			}
			seen[c.ID] = true
		}
	}
	for _, id := range matching.Criteria {
		if !seen[id] {
			t.Errorf("no result scored %s", id)
		}
	}
}
