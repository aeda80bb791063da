package data_test

import (
	"slices"
	"testing"

	"sitematch/data"
)

// TestTradesFromName reads the trade families from real lycée names of the
// DEPP file (and a few made-up ones for the edge cases).
func TestTradesFromName(t *testing.T) {
	cases := []struct {
		name string
		want []string
	}{
		{"LYCEE POLYVALENT PIERRE MENDES FRANCE LYCEE DES METIERS DE L AERONAUTIQUE", []string{"aeronautique"}},
		{"LYCEE PROFESSIONNEL FREDERIC ESTEVE LYCEE DES METIERS DE L AUTOMOBILE ET DU TRANSPORT", []string{"automobile", "logistique"}},
		{"LYCEE POLYVALENT SAINT EXUPERY LYCEE DES METIERS DE LA PRODUCTIQUE ET DE LA MAINTENANCE AERONAUTIQUE",
			[]string{"industrie", "maintenance", "aeronautique"}},
		{"LYCEE PROFESSIONNEL GABRIEL PERI LYCEE DES METIERS DE LA VENTE ET DE LA MODE", []string{"textile"}},
		{"LYCEE PROFESSIONNEL MARCELLE PARDE LYCEE DES METIERS DU RESEAU TEXTILE MODE CUIR", []string{"textile"}},
		{"LYCEE PROFESSIONNEL DU BATIMENT LYCEE DES METIERS DU BOIS ET DE L HABITAT", []string{"bois", "batiment"}},
		{"LYCEE PROFESSIONNEL ALBERT LONDRES LYCEE DES METIERS DU BOIS DES ENERGIES ET DES SERVICES AUX ORGANISATIONS", []string{"energie", "bois"}},
		{"LYCEE POLYVALENT ARCISSE DE CAUMONT LYCEE DES METIERS DU TRANSPORT ET DE LA LOGISTIQUE", []string{"logistique"}},
		// Accents and apostrophes, as a person would write the name.
		{"Lycée des métiers de l'aéronautique", []string{"aeronautique"}},
		// Words that merely start like a keyword do not count: MODERNE is
		// not MODE, TRANSPORT is not PORT, AUTOMOBILE is not AUTOMATI….
		{"LYCEE DES METIERS DE L HOTELLERIE MODERNE", nil},
		{"LYCEE DES METIERS DU SPORT ET DES TRANSPORTS", []string{"logistique"}},
		{"LYCEE DES METIERS DU PORT ET DE LA MER", []string{"naval"}},
		// Only the part after "métiers" counts, and no "métiers" states no
		// trade at all.
		{"LYCEE PROFESSIONNEL DE L AUTOMOBILE LYCEE DES METIERS DE LA VENTE", nil},
		{"LYCEE TECHNOLOGIQUE PRIVE MODELE ELECTRONIQUE", nil},
		{"LYCEE PROFESSIONNEL CHAUDRONNERIE INDUSTRIELLE", nil},
		{"", nil},
	}
	for _, tc := range cases {
		if got := data.TradesFromName(tc.name); !slices.Equal(got, tc.want) {
			t.Errorf("TradesFromName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTradeFamilies checks that family ids are unique and that every family
// can be found by id.
func TestTradeFamilies(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range data.TradeFamilies {
		if seen[f.ID] {
			t.Errorf("trade family %q listed twice", f.ID)
		}
		seen[f.ID] = true
		if got, ok := data.TradeFamilyByID(f.ID); !ok || got.Label != f.Label {
			t.Errorf("TradeFamilyByID(%q) = %v, %v", f.ID, got, ok)
		}
		if f.Label == "" || len(f.Keywords) == 0 {
			t.Errorf("trade family %q has no label or no keyword", f.ID)
		}
		for _, k := range f.Keywords {
			if data.Fold(k) != " "+k+" " && data.Fold(k) != " "+k {
				t.Errorf("family %q: keyword %q is not folded (upper case, no accents)", f.ID, k)
			}
		}
	}
	if _, ok := data.TradeFamilyByID("nope"); ok {
		t.Error(`TradeFamilyByID("nope") found a family`)
	}
}

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Lycée des métiers de l'aéronautique", " LYCEE DES METIERS DE L AERONAUTIQUE "},
		{"Saint-Étienne-du-Rouvray", " SAINT ETIENNE DU ROUVRAY "},
		{"  Bâtiment --- & Travaux publics!  ", " BATIMENT TRAVAUX PUBLICS "},
		{"Électricité 2024", " ELECTRICITE 2024 "},
		{"ç à ù ï", " C A U I "},
		{"", " "},
		{"--", " "},
	}
	for _, tc := range cases {
		if got := data.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
