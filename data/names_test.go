package data_test

import (
	"strings"
	"testing"

	"sitematch/data"
)

func TestRegionCode(t *testing.T) {
	c := loadEmbedded(t)
	cases := []struct{ in, want string }{
		{"28", "28"},
		{"normandie", "28"},
		{"NORMANDIE", "28"},
		{"auvergne-rhone-alpes", "84"},
		{"Auvergne-Rhône-Alpes", "84"},
		{"Grand Est", "44"},
		{"grand-est", "44"},
		{"  Île-de-France ", "11"},
		{"ile de france", "11"},
		{"Provence-Alpes-Côte d'Azur", "93"},
		{"provence alpes cote d azur", "93"},
		{"la reunion", "04"},
		{"01", "01"},
	}
	for _, tc := range cases {
		got, err := c.RegionCode(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("RegionCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "99", "1", "normand", "Bretagne Nord", "28 "} {
		got, err := c.RegionCode(bad)
		if bad == "28 " { // surrounding spaces are ignored
			if err != nil || got != "28" {
				t.Errorf("RegionCode(%q) = %q, %v", bad, got, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("RegionCode(%q) = %q, want an error", bad, got)
			continue
		}
		// The error lists every valid code with its name.
		for _, r := range c.Regions {
			if !strings.Contains(err.Error(), r.Code+" "+r.Name) {
				t.Errorf("RegionCode(%q): the error does not list %s %s: %v", bad, r.Code, r.Name, err)
			}
		}
	}
}

func TestDepartementCode(t *testing.T) {
	c := loadEmbedded(t)
	cases := []struct{ in, want string }{
		{"76", "76"},
		{"seine-maritime", "76"},
		{"Seine Maritime", "76"},
		{"2a", "2A"},
		{"corse-du-sud", "2A"},
		{"Côtes-d'Armor", "22"},
		{"cotes d armor", "22"},
		{"971", "971"},
		{"guadeloupe", "971"},
		{"Territoire de Belfort", "90"},
	}
	for _, tc := range cases {
		got, err := c.DepartementCode(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("DepartementCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := c.DepartementCode("20"); err == nil || !strings.Contains(err.Error(), "2B Haute-Corse") {
		t.Errorf("DepartementCode(20): %v, want an error listing 2B Haute-Corse", err)
	}
}

// TestNamesUnambiguous checks that no two régions and no two départements
// share a folded name, so that every name resolves (a shared one would
// have to be given by its code).
func TestNamesUnambiguous(t *testing.T) {
	c := loadEmbedded(t)
	for _, r := range c.Regions {
		if got, err := c.RegionCode(r.Name); err != nil || got != r.Code {
			t.Errorf("région %s %q resolves to %q, %v", r.Code, r.Name, got, err)
		}
	}
	for _, d := range c.Departements {
		if got, err := c.DepartementCode(d.Name); err != nil || got != d.Code {
			t.Errorf("département %s %q resolves to %q, %v", d.Code, d.Name, got, err)
		}
	}
	// Two entries that fold alike resolve to neither.
	amb := &data.Catalogue{Regions: []data.Region{{Code: "01", Name: "Saint-Denis"}, {Code: "02", Name: "Saint Denis"}}}
	if _, err := amb.RegionCode("saint denis"); err == nil || !strings.Contains(err.Error(), "more than one") {
		t.Errorf("an ambiguous name: %v", err)
	}
}
