package importer

import (
	"strings"
	"testing"
)

func TestFrenchAirportName(t *testing.T) {
	cases := []struct{ ident, name, class, want string }{
		{"LFBO", "Toulouse-Blagnac Airport", "aéroport à vols réguliers", "Aéroport de Toulouse-Blagnac"},
		{"LFOH", "Le Havre-Octeville Airport", "aéroport à vols réguliers", "Aéroport du Havre-Octeville"},
		{"LFKJ", "Ajaccio-Napoléon Bonaparte Airport", "aéroport à vols réguliers", "Aéroport d'Ajaccio-Napoléon Bonaparte"},
		{"LFMY", "Salon-de-Provence (BA 701) Air Base", "base aérienne", "Base aérienne de Salon-de-Provence (BA 701)"},
		{"LFRJ", "Landivisiau Air Base", "base aérienne", "Base aérienne de Landivisiau"},
		{"LFLI", "Annemasse Airfield", "aviation générale ou d'affaires", "Aérodrome d'Annemasse"},
		{"LFLM", "Aérodrome de Mâcon-Charnay", "aviation générale ou d'affaires", "Aérodrome de Mâcon-Charnay"},
		{"TFFR", "Pointe-à-Pitre Le Raizet International  Airport", "aéroport à vols réguliers", "Aéroport de Pointe-à-Pitre-Le Raizet"},
		{"LFRE", "La Baule-Escoublac Airport", "aviation générale ou d'affaires", "Aérodrome de La Baule-Escoublac"},
	}
	for _, tc := range cases {
		if got := frenchAirportName(tc.ident, tc.name, tc.class); got != tc.want {
			t.Errorf("frenchAirportName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAirportClass(t *testing.T) {
	cases := []struct {
		scheduled bool
		typ, name string
		want      string
	}{
		{true, "large_airport", "Toulouse-Blagnac Airport", "aéroport à vols réguliers, grand aéroport"},
		{true, "medium_airport", "Pau Pyrénées Airport", "aéroport à vols réguliers"},
		{false, "medium_airport", "Salon-de-Provence (BA 701) Air Base", "base aérienne"},
		{false, "medium_airport", "Rochefort-Saint-Agnant (BA 721) Airport", "base aérienne"},
		{false, "medium_airport", "Paris-Le Bourget Airport", "aviation générale ou d'affaires"},
	}
	for _, tc := range cases {
		if got := airportClass(tc.scheduled, tc.typ, tc.name); got != tc.want {
			t.Errorf("airportClass(%t, %s, %q) = %q, want %q", tc.scheduled, tc.typ, tc.name, got, tc.want)
		}
	}
}

// TestClassificationTables checks that every entry of the port and
// airport tables is complete and states its basis.
func TestClassificationTables(t *testing.T) {
	for num, e := range seaportTable {
		if !strings.HasSuffix(num, ".0") || e.Name == "" || e.Authority == "" || e.Cargo == "" || seaportStatus[e.Status] == "" {
			t.Errorf("port %s: incomplete entry %+v", num, e)
		}
		if !strings.HasPrefix(e.Name, "port ") {
			t.Errorf("port %s: French name %q should read « port de … »", num, e.Name)
		}
		if _, ok := seaportExcluded[num]; ok {
			t.Errorf("port %s is both listed and excluded", num)
		}
	}
	gpm := map[string]bool{}
	for _, e := range seaportTable {
		if e.Status == statusGPM {
			gpm[e.Authority] = true
		}
	}
	// Dunkerque, Haropa, Nantes-Saint-Nazaire, La Rochelle, Bordeaux,
	// Marseille-Fos, Guadeloupe, Martinique, Guyane, La Réunion.
	if len(gpm) != 10 {
		t.Errorf("%d grands ports maritimes (%v), want the 10 of the Code des transports", len(gpm), gpm)
	}
	for id, o := range airportOverrides {
		if o.Reason == "" || o.Source == "" {
			t.Errorf("airport correction %s states no reason or source", id)
		}
	}
}
