package matching

import (
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"sitematch/data"
	"sitematch/geo"
)

// TestEnergyMonotone: a closer substation never lowers the energy score,
// nor does a higher voltage (the nearest substation becoming ≥ 225 kV
// makes it the nearest ≥ 225 kV one), nor more remaining capacity.
func TestEnergyMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 11))
	for range 20000 {
		anyKm := rng.Float64() * 80
		hvKm := anyKm + rng.Float64()*100 // the nearest of any voltage is never further
		mw := rng.Float64() * 120
		base := EnergyScore(hvKm, anyKm, true, true, mw, true)
		if base < 0 || base > 1 {
			t.Fatalf("EnergyScore(%v, %v, %v) = %v, outside [0, 1]", hvKm, anyKm, mw, base)
		}
		closer := rng.Float64()
		if s := EnergyScore(hvKm*closer, anyKm*closer, true, true, mw, true); s < base-1e-12 {
			t.Fatalf("closer substations (×%.2f) lower energy: %v < %v", closer, s, base)
		}
		if s := EnergyScore(anyKm, anyKm, true, true, mw, true); s < base-1e-12 {
			t.Fatalf("the nearest substation at 225 kV lowers energy: %v < %v", s, base)
		}
		if s := EnergyScore(hvKm, anyKm, true, true, mw+rng.Float64()*50, true); s < base-1e-12 {
			t.Fatalf("more capacity lowers energy: %v < %v", s, base)
		}
		if s := EnergyScore(hvKm, anyKm, false, true, mw, true); s > base+1e-12 {
			t.Fatalf("no ≥ 225 kV substation scores more than one at %v km", hvKm)
		}
	}
}

// TestEnergyOffMainland: no candidate off the mainland has a substation
// (the RTE file covers the continent only), and every mainland candidate
// has all three, on the mainland.
func TestEnergyOffMainland(t *testing.T) {
	e := SharedEngine(t)
	cat := e.Catalogue()
	for i := range e.Candidates() {
		c := &e.Candidates()[i]
		f := c.Energy
		if c.Landmass != Mainland {
			if f.HV.Index >= 0 || f.Any.Index >= 0 || f.Source.Index >= 0 {
				t.Fatalf("%s on %s has a substation: %+v", c.Site.ID, c.Landmass, f)
			}
			continue
		}
		if f.HV.Index < 0 || f.Any.Index < 0 || f.Source.Index < 0 {
			t.Fatalf("mainland %s lacks a substation: %+v", c.Site.ID, f)
		}
		if f.Any.Km > f.HV.Km+1e-9 || cat.Substations[f.HV.Index].VoltageKV < EnergyHVMinKV || !cat.Substations[f.Source.Index].Capareseau {
			t.Fatalf("%s: inconsistent energy features %+v", c.Site.ID, f)
		}
	}
	// A Réunion electrolyser: energy is not applicable to its sites.
	res, err := e.Match(Project{Name: "Électrolyseur", Sector: "energy", Jobs: intp(40), Suppliers: []Partner{at("97411")}}, Options{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		for _, cr := range r.Criteria {
			if cr.ID == Energy {
				t.Fatalf("%s (%s) scored on energy", r.Candidate.Site.ID, r.Candidate.Landmass)
			}
		}
	}
}

// sevesoLit is the Seveso gate written out: a town; a brownfield whose
// former use is housing, retail, leisure or tourism, a hospital, a school
// or a place of worship; a natural or agricultural PLU zone; a commune of
// 50,000 people or more with no upper-tier establishment within 3 km.
func sevesoLit(s *data.Site, pop int, sevesoKm float64) bool {
	t := strings.ToLower(s.SiteType)
	bad := false
	for _, w := range []string{"habitat", "habitation", "commercial", "loisir", "touristique", "hospitali", "enseignement", "cultuel"} {
		bad = bad || strings.Contains(t, w)
	}
	z := s.ZoneType
	return s.Kind == "town" || (s.Kind == "brownfield" && bad) || z == "N" || z == "Nh" || z == "A" || z == "Ah" ||
		(pop >= 50000 && sevesoKm > 3)
}

// TestSevesoGateByHand: a project declaring a Seveso tier excludes exactly
// the candidates the literal rule names (brute-force distance to every
// establishment), counts them, and never lets one through.
func TestSevesoGateByHand(t *testing.T) {
	e := SharedEngine(t)
	b := newBrute(e.Catalogue())
	// The records the land rules leave out by default are kept, so that
	// the gate sees every mainland candidate, as the literal loop does.
	p := Project{Name: "Chlore-alcali", Sector: "chemistry", Jobs: intp(150), Seveso: SevesoUpper,
		Suppliers:   []Partner{at("13039")},
		Constraints: Constraints{IncludeUnverified: true, IncludeNonIndustrial: true, IncludeCommitted: true}}
	res, err := e.Match(p, Options{Limit: MaxLimit, MaxPerCommune: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	want, bad, byRule := 0, map[string]bool{}, map[string]int{}
	for i := range e.Candidates() {
		c := &e.Candidates()[i]
		if c.Landmass != Mainland { // excluded first, by landmass
			continue
		}
		km := math.Inf(1)
		for j, x := range b.cat.Seveso {
			if b.sevLand[j] == Mainland {
				km = math.Min(km, geo.DistanceKm(c.Site.Point, x.Point))
			}
		}
		if math.Abs(km-c.SevesoKm) > 1e-9 {
			t.Fatalf("%s: nearest Seveso at %v km, brute force %v", c.Site.ID, c.SevesoKm, km)
		}
		if sevesoLit(&c.Site, c.Commune.Population, km) {
			want++
			bad[c.Site.ID] = true
		}
		if r := SevesoRule(&c.Site, c.Commune.Population, km); r != "" {
			byRule[r]++
		}
	}
	if got := res.Excluded[ExclSeveso]; got != want || want == 0 {
		t.Errorf("excluded by the Seveso gate: %d, by hand %d", got, want)
	}
	if !maps.Equal(res.SevesoExcluded, byRule) || len(byRule) != 4 {
		t.Errorf("Seveso exclusions by rule %v, want %v (every rule excluding some site)", res.SevesoExcluded, byRule)
	}
	t.Logf("Seveso gate: %d excluded, by rule %v", want, byRule)
	for _, r := range res.Results {
		if bad[r.Candidate.Site.ID] {
			t.Errorf("%s passed the Seveso gate", r.Candidate.Site.ID)
		}
		for _, tw := range r.Twins {
			if bad[tw] {
				t.Errorf("twin %s passed the Seveso gate", tw)
			}
		}
	}
	// Without the declaration, nothing is excluded for it.
	p.Seveso = ""
	if res, err = e.Match(p, Options{Limit: 1}); err != nil || res.Excluded[ExclSeveso] != 0 {
		t.Errorf("without seveso: %v excluded, err %v", res.Excluded[ExclSeveso], err)
	}
	if err := Validate(Project{Name: "x", Seveso: "haut"}, e.Catalogue(), "project"); err == nil || !strings.Contains(err.Error(), "project.seveso") {
		t.Errorf("seveso %q accepted: %v", "haut", err)
	}
}

func TestTitleFR(t *testing.T) {
	for in, want := range map[string]string{
		"THIERS (BRUAY-SUR-L'ESCAUT)": "Thiers (Bruay-sur-l'Escaut)",
		"LE HAVRE":                    "Le Havre",
		"SAINT-AVOLD":                 "Saint-Avold",
		"JONQUIERES":                  "Jonquieres",
		"VILLENEUVE-LES-MAGUELONE":    "Villeneuve-les-Maguelone",
		"L'ISLE-D'ABEAU":              "L'Isle-d'Abeau",
	} {
		if got := titleFR(in); got != want {
			t.Errorf("titleFR(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNodePhrase: ports and airports are named by their French names, a
// river port keeps its label, an interchange says its road, a terminal its
// weekly trains.
func TestNodePhrase(t *testing.T) {
	mode := func(id string) *Mode {
		for i := range TransportModes {
			if TransportModes[i].ID == id {
				return &TransportModes[i]
			}
		}
		t.Fatalf("no mode %s", id)
		return nil
	}
	for _, tc := range []struct {
		mode string
		n    data.Node
		want string
	}{
		{Port, data.Node{Name: "port du Havre"}, "port du Havre à 12 km"},
		{Airport, data.Node{Name: "Aéroport de Toulouse-Blagnac (TLS)"}, "aéroport de Toulouse-Blagnac (TLS) à 12 km"},
		{RiverPort, data.Node{Name: "Port de Lille"}, "port fluvial à 12 km (Port de Lille)"},
		{Motorway, data.Node{Name: "Abbeville-Est", Road: "A16"}, "échangeur autoroutier à 12 km (Abbeville-Est, A16)"},
		{Motorway, data.Node{Name: "Lannion"}, "échangeur autoroutier à 12 km (Lannion)"},
		{RailTerminal, data.Node{Name: "Dourges", WeeklyTrains: 161}, "chantier de transport combiné à 12 km (Dourges, 161 trains par semaine)"},
		{RailTerminal, data.Node{Name: "Aiton"}, "chantier de transport combiné à 12 km (Aiton, sans train régulier)"},
	} {
		if got := nodePhrase(mode(tc.mode), &tc.n, "à 12 km"); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.mode, got, tc.want)
		}
	}
}
