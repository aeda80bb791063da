package data_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// nearest returns the node of ns nearest p on p's landmass, by brute force.
func nearest(ns []data.Node, p orb.Point) (data.Node, float64) {
	var best data.Node
	bestKm := math.Inf(1)
	lm := data.LandmassAt(p)
	for _, n := range ns {
		if data.LandmassAt(n.Point) != lm {
			continue
		}
		if d := geo.DistanceKm(p, n.Point); d < bestKm {
			best, bestKm = n, d
		}
	}
	return best, bestKm
}

// TestInterchangesNearIndustrialBasins checks issue 10's road cases: the
// communes the toll network left 29 to 152 km from a "motorway" have an
// interchange of a motorway or expressway within a few km.
func TestInterchangesNearIndustrialBasins(t *testing.T) {
	c := loadEmbedded(t)
	cases := []struct {
		code, name string
		maxKm      float64
	}{
		{"22278", "Saint-Brieuc", 4}, // N12
		{"56121", "Lorient", 4},      // N165
		{"22113", "Lannion", 4},      // a ROUTE 500 interchange of the D767 towards Guingamp (not a 2×2 road all along)
		{"59350", "Lille", 4},
		{"59183", "Dunkerque", 4},
		{"33281", "Mérignac", 4}, // A630 ring road
		{"68224", "Mulhouse", 4}, // A36
	}
	for _, tc := range cases {
		cm, ok := c.Commune(tc.code)
		if !ok {
			t.Fatalf("commune %s missing", tc.code)
		}
		n, km := nearest(c.Interchanges, cm.Point)
		t.Logf("%s: %s (%s, %s, road %q, toll %t, tent %t) at %.1f km", tc.name, n.Name, n.ID, n.Class, n.Road, n.Toll, n.Major, km)
		if km > tc.maxKm {
			t.Errorf("%s: nearest interchange %s at %.1f km, want within %g km", tc.name, n.Name, km, tc.maxKm)
		}
	}
	tolls, major, roads := 0, 0, 0
	for _, n := range c.Interchanges {
		if n.Toll {
			tolls++
		}
		if n.Major {
			major++
		}
		if n.Road != "" {
			roads++
		}
		if data.LandmassAt(n.Point) != data.LandmassMainland && data.LandmassAt(n.Point) != data.LandmassCorsica {
			t.Errorf("interchange %s lies overseas: ROUTE 500 has no DROM", n.ID)
		}
	}
	// 511 toll interchanges, of which 32 share a ROUTE 500 node.
	if tolls < 450 || major < 1500 || roads < 1500 {
		t.Errorf("%d toll, %d TEN-T, %d with a road: want the toll network, the TEN-T nodes and their roads marked", tolls, major, roads)
	}
}

// TestAirportClassification checks by hand that air bases and general
// aviation are not airports and that the airports with airline service are.
func TestAirportClassification(t *testing.T) {
	c := loadEmbedded(t)
	ids := func(ns []data.Node) map[string]data.Node {
		out := map[string]data.Node{}
		for _, n := range ns {
			out[n.ID] = n
		}
		return out
	}
	airports, airfields := ids(c.Airports), ids(c.Airfields)
	for _, id := range []string{"LFBO", "LFBD", "LFLL", "LFRS", "LFRN", "LFRB", "LFQQ", "LFST", "LFSB", "LFBP", "FMEE", "FMEP", "LFPG", "LFPO", "LFML", "TFFR", "TFFF", "SOCA", "FMCZ"} {
		if _, ok := airports[id]; !ok {
			t.Errorf("%s is not an airport", id)
		}
	}
	// Salon-de-Provence BA 701, Istres, Avord, Saint-Dizier, Mont-de-Marsan,
	// Évreux, Orange, Cazaux: air bases. Le Bourget, Toussus, Cannes-Mandelieu:
	// business and general aviation. Île d'Yeu: corrected.
	bases := []string{"LFMY", "LFMI", "LFOA", "LFSI", "LFBM", "LFOE", "LFMO", "LFBC"}
	for _, id := range append(bases, "LFPB", "LFPN", "LFMD", "LFEY") {
		if _, ok := airports[id]; ok {
			t.Errorf("%s is an airport, want an airfield", id)
		}
		if _, ok := airfields[id]; !ok {
			t.Errorf("%s is not in airfields", id)
		}
	}
	for _, id := range bases {
		if n := airfields[id]; n.Class != "base aérienne" || !strings.HasPrefix(n.Name, "Base aérienne") {
			t.Errorf("%s: class %q, name %q, want an air base", id, n.Class, n.Name)
		}
	}
	want := map[string]string{
		"LFBO": "Aéroport de Toulouse-Blagnac (TLS)",
		"LFOH": "Aéroport du Havre-Octeville (LEH)",
		"LFKJ": "Aéroport d'Ajaccio-Napoléon Bonaparte (AJA)",
		"LFMY": "Base aérienne de Salon-de-Provence (BA 701)",
		"LFSB": "EuroAirport Bâle-Mulhouse-Fribourg (BSL)",
	}
	for id, name := range want {
		n, ok := airports[id]
		if !ok {
			n = airfields[id]
		}
		if n.Name != name {
			t.Errorf("%s is named %q, want %q", id, n.Name, name)
		}
	}
}

// TestSeaportClassification checks that the grands ports maritimes and
// the cargo ports are commercial ports, under French names, and that
// marinas and fishing harbours are not.
func TestSeaportClassification(t *testing.T) {
	c := loadEmbedded(t)
	byName := map[string]data.Node{}
	for _, n := range c.Seaports {
		byName[n.Name] = n
		if n.Class != "grand port maritime" && n.Class != "port de commerce décentralisé" {
			t.Errorf("%s: class %q", n.Name, n.Class)
		}
	}
	gpm := []string{"port de Dunkerque (port Est)", "port du Havre", "port de Rouen", "port de Nantes", "port de Saint-Nazaire",
		"port de La Rochelle (La Pallice)", "port de Bordeaux", "port de Marseille", "port de Fos-sur-Mer",
		"port de Pointe-à-Pitre (Jarry)", "port de Fort-de-France", "port de Dégrad des Cannes", "port Est de La Réunion"}
	for _, name := range gpm {
		if n, ok := byName[name]; !ok || n.Class != "grand port maritime" {
			t.Errorf("%s: %+v, want a grand port maritime", name, n)
		}
	}
	for _, name := range []string{"port de Calais", "port de Boulogne-sur-Mer", "port de Cherbourg", "port de Caen-Ouistreham", "port de Saint-Malo",
		"port de Brest", "port de Lorient", "port de Sète", "port de Port-la-Nouvelle", "port de Bayonne", "port de Toulon", "port de Bastia"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("%s is not a commercial port", name)
		}
	}
	// Tréguier, Nice, Cannes, Saint-Tropez, Antibes, Deauville, Paimpol,
	// Lézardrieux: marinas, fishing or passenger harbours.
	for _, wpi := range []string{"36300.0", "38990.0", "38960.0", "38920.0", "38980.0", "35870.0", "36260.0", "36280.0"} {
		for _, n := range c.Seaports {
			if n.ID == "WPI"+wpi {
				t.Errorf("%s (%s) is a marina or fishing harbour, not a commercial port", n.Name, n.ID)
			}
		}
	}
	// Lannion's nearest commercial port is a cargo port, not Tréguier's marina.
	cm, _ := c.Commune("22113")
	n, km := nearest(c.Seaports, cm.Point)
	t.Logf("Lannion: nearest commercial port %s at %.1f km", n.Name, km)
	if !slices.Contains([]string{"port de Roscoff-Bloscon", "port du Légué (Saint-Brieuc)", "port de Brest"}, n.Name) {
		t.Errorf("Lannion's nearest commercial port is %s at %.1f km", n.Name, km)
	}
}

// TestTerminalsAndRiverPorts checks the two new transport layers.
func TestTerminalsAndRiverPorts(t *testing.T) {
	c := loadEmbedded(t)
	trains := 0
	for _, n := range c.RailTerminals {
		if n.WeeklyTrains > 0 {
			trains++
			if n.Links == 0 || !strings.Contains(n.Class, "trains par semaine") {
				t.Errorf("terminal %s: %d trains but %d links, class %q", n.ID, n.WeeklyTrains, n.Links, n.Class)
			}
		}
		if n.Commune == "" || n.Operator == "" {
			t.Errorf("terminal %s has no commune or operator", n.ID)
		}
	}
	if trains < 50 {
		t.Errorf("%d terminals with scheduled trains, want the 52 of the March 2026 plan", trains)
	}
	names := map[string]bool{}
	for _, n := range c.RiverPorts {
		names[n.Name] = true
	}
	for _, name := range []string{"Port Édouard Herriot (Lyon)", "Port Autonome de Strasbourg", "Port de Gennevilliers (conteneurs)", "Port Industriel Mulhouse-Ottmarsheim"} {
		if !names[name] {
			t.Errorf("river port %q missing", name)
		}
	}
}
