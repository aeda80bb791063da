package matching

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"sitematch/data"
)

// TestLandmassOf is the département → landmass table.
func TestLandmassOf(t *testing.T) {
	for dep, want := range map[string]string{
		"2A": data.LandmassCorsica, "2B": data.LandmassCorsica, "971": data.LandmassGuadeloupe, "972": data.LandmassMartinique,
		"973": data.LandmassGuyane, "974": data.LandmassReunion, "976": data.LandmassMayotte,
		"01": Mainland, "13": Mainland, "75": Mainland, "06": Mainland, "95": Mainland,
	} {
		if got := data.LandmassOf(dep); got != want || got != landLit(dep) {
			t.Errorf("data.LandmassOf(%q) = %q, want %q", dep, got, want)
		}
	}
}

// TestLandmassNearestMatchesBruteForce compares the landmass-restricted
// nearest node of every mode, the labour pool and the lycées with a scan of
// every record on the site's landmass, for every point candidate off the
// mainland (Corsica and every overseas département) and a seeded sample of
// the mainland.
func TestLandmassNearestMatchesBruteForce(t *testing.T) {
	e := SharedEngine(t)
	b := newBrute(e.Catalogue())
	rng := rand.New(rand.NewPCG(RandSeed(t), 11))
	checked := map[string]int{}
	for i := range e.cands {
		c := &e.cands[i]
		if c.shape != nil || (c.Landmass == Mainland && rng.IntN(200) != 0) {
			continue
		}
		checked[c.Landmass]++
		f := b.features(c.Site)
		for m := range litModes {
			got, want := c.Nearest[m], f.nearest[m]
			if got.Index != want.Index || math.Abs(got.Km-want.Km) > 1e-9 {
				t.Errorf("%s (%s): nearest %s = %+v, brute force on its landmass %+v", c.Site.ID, c.Landmass, litModes[m], got, want)
			}
			if got.Index >= 0 && b.landOf[m][got.Index] != c.Landmass {
				t.Errorf("%s (%s): nearest %s is on %q", c.Site.ID, c.Landmass, litModes[m], b.landOf[m][got.Index])
			}
		}
		if c.Active != f.active || c.Communes != f.communes || len(c.Lycees) != f.lycees {
			t.Errorf("%s: pool %d active in %d communes, %d lycées; brute force %d, %d, %d", c.Site.ID,
				c.Active, c.Communes, len(c.Lycees), f.active, f.communes, f.lycees)
		}
	}
	for _, lm := range data.Landmasses {
		if checked[lm] == 0 {
			t.Errorf("no candidate checked on %s", lm)
		}
	}
	t.Logf("candidates checked per landmass: %v", checked)
}

// TestReunionNamesNoNodeOffTheIsland: no feature of a Réunion site lies off
// Réunion, and a mode without a node on the island says so.
func TestReunionNamesNoNodeOffTheIsland(t *testing.T) {
	e := SharedEngine(t)
	b := newBrute(e.Catalogue())
	n := 0
	for i := range e.cands {
		c := &e.cands[i]
		if c.Commune.Dep != "974" {
			continue
		}
		n++
		for m := range TransportModes {
			if r := c.Nearest[m]; r.Index >= 0 && b.landOf[m][r.Index] != data.LandmassReunion {
				t.Errorf("%s: nearest %s %s lies on %q", c.Site.ID, Modes[m], e.nodes[m][r.Index].Name, b.landOf[m][r.Index])
			}
		}
		for _, l := range c.Lycees {
			if ly := e.Lycee(l); !strings.HasPrefix(ly.Commune, "974") {
				t.Errorf("%s: lycée %s in commune %s", c.Site.ID, ly.UAI, ly.Commune)
			}
		}
	}
	if n == 0 {
		t.Fatal("no Réunion candidate")
	}
	jobs := 40
	all := map[string]float64{Motorway: 1, RailFreight: 1, Station: 1, Airport: 1, Port: 1}
	res, err := e.Match(Project{Name: "Conserverie", Jobs: &jobs, Transport: all, Suppliers: []Partner{{Commune: "97411"}}},
		Options{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) == 0 {
		t.Fatal("no result")
	}
	for _, r := range res.Results {
		if r.Candidate.Landmass != data.LandmassReunion {
			t.Errorf("%s on %s for a project whose only partner is in Réunion", r.Candidate.Site.ID, r.Candidate.Landmass)
		}
		for _, cr := range r.Criteria {
			if cr.ID != Transport {
				continue
			}
			for m, md := range cr.Detail.(*TransportDetail).Modes {
				if md.Missing && !strings.Contains(lowerFirst(cr.Explain), TransportModes[m].Label+" : aucun sur l'île") {
					t.Errorf("%s: %s has no node but the explanation does not say so: %s", r.Candidate.Site.ID, md.Mode, cr.Explain)
				}
				if !md.Missing && md.Km > 100 {
					t.Errorf("%s: %s at %v km on an island 70 km across", r.Candidate.Site.ID, md.Mode, md.Km)
				}
			}
		}
	}
}

// TestPartnersOnAnotherLandmassExclude: the sites off the landmass of
// most of the partner weight are excluded, counted, and kept on request.
func TestPartnersOnAnotherLandmassExclude(t *testing.T) {
	e := SharedEngine(t)
	w3 := 3.0
	lon, lat := 55.45, -20.93 // Saint-Denis, La Réunion, by coordinates
	cases := []struct {
		name     string
		partners []Partner
		landmass string // "" when no landmass holds more than half
	}{
		{"Réunion partners", []Partner{{Commune: "97411", Weight: &w3}, {Commune: "13055"}}, data.LandmassReunion},
		{"Réunion by coordinates", []Partner{{Lon: &lon, Lat: &lat}}, data.LandmassReunion},
		{"mainland partners", []Partner{{Commune: "69123"}, {Commune: "97411"}, {Commune: "13055"}}, Mainland},
		{"Corsica", []Partner{{Commune: "2A004"}}, data.LandmassCorsica},
		{"even split", []Partner{{Commune: "97411"}, {Commune: "13055"}}, ""},
		{"at sea", []Partner{{Lon: f64p(-30), Lat: f64p(40)}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Project{Name: "Île", Suppliers: tc.partners}
			res, err := e.Match(p, Options{Limit: MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			off := 0
			for i := range e.cands {
				if tc.landmass != "" && e.cands[i].Landmass != tc.landmass {
					off++
				}
			}
			if res.Excluded[ExclLandmass] != off {
				t.Errorf("excluded[landmass] = %d, want %d", res.Excluded[ExclLandmass], off)
			}
			for _, r := range res.Results {
				if tc.landmass != "" && r.Candidate.Landmass != tc.landmass {
					t.Errorf("%s on %s, partners on %s", r.Candidate.Site.ID, r.Candidate.Landmass, tc.landmass)
				}
			}
			p.Constraints.AllowOtherLandmass = true
			res, err = e.Match(p, Options{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Excluded[ExclLandmass] != 0 || res.Eligible+res.Excluded[ExclUnverified]+res.Excluded[ExclSiteType]+res.Excluded[ExclCommitted] != len(e.cands) {
				t.Errorf("allowed: excluded[landmass] = %d, %d eligible of %d", res.Excluded[ExclLandmass], res.Eligible, len(e.cands))
			}
		})
	}
}
