package matching_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"sitematch/matching"
)

// TestExplanationsAreValidUTF8 guards the French sentences: labels that
// start with an accented capital (Électrotechnique, Énergie) must be
// lower-cased rune by rune, never byte by byte.
func TestExplanationsAreValidUTF8(t *testing.T) {
	eng := matching.SharedEngine(t)
	jobs := 100
	res, err := eng.Match(matching.Project{Name: "utf8", Sector: "energy", Jobs: &jobs,
		Trades: []string{"electrotechnique", "energie", "aeronautique"}}, matching.Options{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		for _, c := range r.Criteria {
			if !utf8.ValidString(c.Explain) {
				t.Fatalf("%s %s: invalid UTF-8 in %q", r.Candidate.Site.ID, c.ID, c.Explain)
			}
		}
	}
	sl, err := eng.Shortlist(matching.ShortlistRequest{Region: "84", Sectors: []string{"energy", "aeronautics"}})
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(sl.Explain) || !strings.Contains(sl.Explain, "énergie") {
		t.Errorf("shortlist explanation %q: invalid UTF-8 or no lower-cased « énergie »", sl.Explain)
	}
}

// TestExplanationsAFrenchReaderAccepts: over random projects, no
// explanation says "à 0 km" or calls far partners "sans effet" (they lower
// the score), and a trade family whose label holds commas is quoted whole.
func TestExplanationsAFrenchReaderAccepts(t *testing.T) {
	eng := matching.SharedEngine(t)
	g := newGen(t, 8)
	for trial := range 30 {
		p := g.project()
		res := mustMatch(t, eng, p, matching.Options{Limit: 20})
		for _, r := range res.Results {
			for _, c := range r.Criteria {
				for _, bad := range []string{"à 0 km", "à 0,0 km", "sans effet"} {
					if strings.Contains(c.Explain, bad) {
						t.Errorf("trial %d, %s %s: %q in %q", trial, r.Candidate.Site.ID, c.ID, bad, c.Explain)
					}
				}
			}
		}
	}
	// A partner in the site's own commune is "dans la commune".
	res := mustMatch(t, eng, matching.Project{Name: "Chimie", Sector: "chemistry",
		Suppliers: []matching.Partner{{Name: "Raffinerie", Commune: "76305"}, {Commune: "13039"}},
		Trades:    []string{"chimie", "maintenance"}, Constraints: matching.Constraints{Departements: []string{"76"}, Kinds: []string{"turnkey"}}},
		matching.Options{Limit: 20})
	found := false
	for _, r := range res.Results {
		if r.Candidate.Site.Commune != "76305" {
			continue
		}
		for _, c := range r.Criteria {
			switch c.ID {
			case matching.SupplyChain:
				found = true
				if !strings.Contains(c.Explain, "Raffinerie, dans la commune") || !strings.Contains(c.Explain, "abaissent la note") {
					t.Errorf("%s: %q", r.Candidate.Site.ID, c.Explain)
				}
			case matching.Training:
				if !strings.Contains(c.Explain, "«\u00a0Chimie, biologie, laboratoire\u00a0»") {
					t.Errorf("%s: trade label not quoted whole: %q", r.Candidate.Site.ID, c.Explain)
				}
			}
		}
	}
	if !found {
		t.Error("no turnkey site at Gonfreville-l'Orcher (76305) among the results")
	}
}

// TestCentralityExplained: a site scored by centrality states its weighted
// mean partner distance, the best eligible one and the site that has it,
// and the formula with the numbers, and its detail carries them.
func TestCentralityExplained(t *testing.T) {
	eng := matching.SharedEngine(t)
	res := mustMatch(t, eng, matching.Project{Name: "Plateforme", Sector: "logistics",
		Customers: []matching.Partner{{Commune: "75056"}, {Commune: "69123"}, {Commune: "13055"}, {Commune: "33063"}}},
		matching.Options{Limit: 3})
	for _, r := range res.Results {
		for _, c := range r.Criteria {
			if c.ID != matching.SupplyChain {
				continue
			}
			d := c.Detail.(*matching.SupplyChainDetail)
			if d.Mode != matching.SupplyModeCentrality || d.MeanKm < d.BestMeanKm || d.BestID == "" {
				t.Errorf("%s: detail %+v", r.Candidate.Site.ID, d)
			}
			for _, want := range []string{"Centralité", "tonnes-kilomètres", "note 2 − ", "nulle au double"} {
				if !strings.Contains(c.Explain, want) {
					t.Errorf("%s: %q not in %q", r.Candidate.Site.ID, want, c.Explain)
				}
			}
			if strings.Contains(c.Explain, "comptent pour 0") {
				t.Errorf("%s: centrality has no far cutoff, yet %q", r.Candidate.Site.ID, c.Explain)
			}
		}
	}
}
