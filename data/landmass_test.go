package data_test

import (
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data"
)

func TestLandmassOf(t *testing.T) {
	cases := []struct{ code, want string }{
		{"2A", data.LandmassCorsica}, {"2B", data.LandmassCorsica}, {"2A004", data.LandmassCorsica}, {"2B033", data.LandmassCorsica},
		{"971", data.LandmassGuadeloupe}, {"97101", data.LandmassGuadeloupe},
		{"972", data.LandmassMartinique}, {"973", data.LandmassGuyane}, {"97302", data.LandmassGuyane},
		{"974", data.LandmassReunion}, {"97411", data.LandmassReunion}, {"976", data.LandmassMayotte},
		{"01", data.LandmassMainland}, {"29", data.LandmassMainland}, {"95", data.LandmassMainland}, {"59183", data.LandmassMainland},
		// Islands attached to mainland départements count as mainland
		// (the known approximation): Ouessant, Belle-Île (Le Palais),
		// Île d'Yeu, Île-de-Bréhat.
		{"29155", data.LandmassMainland}, {"56152", data.LandmassMainland}, {"85113", data.LandmassMainland}, {"22016", data.LandmassMainland},
		// Not a département of the catalogue.
		{"975", ""}, {"977", ""}, {"978", ""}, {"97801", ""}, {"", ""}, {"9", ""}, {"AB", ""}, {"00", ""}, {"99", ""},
	}
	for _, tc := range cases {
		if got := data.LandmassOf(tc.code); got != tc.want {
			t.Errorf("LandmassOf(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

// TestLandmassAtAgreesWithCommunes checks LandmassAt against LandmassOf on
// every commune of the catalogue, and that every landmass has communes.
func TestLandmassAtAgreesWithCommunes(t *testing.T) {
	c := loadEmbedded(t)
	per := map[string]int{}
	for _, cm := range c.Communes {
		want := data.LandmassOf(cm.Dep)
		if want == "" {
			t.Errorf("commune %s: département %q has no landmass", cm.Code, cm.Dep)
		}
		if got := data.LandmassAt(cm.Point); got != want {
			t.Errorf("commune %s (%s) at %v: LandmassAt = %q, LandmassOf(%s) = %q", cm.Code, cm.Name, cm.Point, got, cm.Dep, want)
		}
		if data.LandmassOf(cm.Code) != want {
			t.Errorf("commune %s: LandmassOf(code) = %q, of its département %q", cm.Code, data.LandmassOf(cm.Code), want)
		}
		per[want]++
	}
	for _, lm := range data.Landmasses {
		if per[lm] == 0 {
			t.Errorf("landmass %s has no commune", lm)
		}
	}
	if got := data.LandmassAt(orb.Point{-63.08, 18.07}); got != "" {
		t.Errorf("Saint-Martin: LandmassAt = %q, want none", got)
	}
}

// TestNodesOnALandmass checks that every transport node lies on a
// landmass, and on its commune's when it names one.
func TestNodesOnALandmass(t *testing.T) {
	c := loadEmbedded(t)
	for _, l := range data.Layers() {
		if l.Nodes == nil {
			continue
		}
		per := map[string]int{}
		for _, n := range *l.Nodes(c) {
			lm := data.LandmassAt(n.Point)
			if lm == "" {
				t.Errorf("%s %s (%s) at %v lies on no landmass", l.ID, n.ID, n.Name, n.Point)
			}
			if n.Commune != "" && data.LandmassOf(n.Commune) != lm {
				t.Errorf("%s %s at %v: landmass %q, its commune %s's %q", l.ID, n.ID, n.Point, lm, n.Commune, data.LandmassOf(n.Commune))
			}
			per[lm]++
		}
		t.Logf("%s: %v", l.ID, per)
	}
}
