package data_test

import (
	"math"
	"slices"
	"testing"

	"sitematch/data"
)

// TestBrownfieldAreas checks issue 10's brownfield targets: at least
// 23,000 sites, 90 % of them with a known area, areas in hectares, the
// unverified flag exactly on the unchecked BASIAS/BASOL records.
func TestBrownfieldAreas(t *testing.T) {
	c := loadEmbedded(t)
	cv := c.Coverage()
	if cv.Brownfields < 23_000 || cv.KnownAreaShare() < 0.9 {
		t.Errorf("%d brownfields, %.1f %% with a known area; want 23,000 and 90 %%", cv.Brownfields, 100*cv.KnownAreaShare())
	}
	for _, s := range c.Brownfields {
		if s.AreaKnown && !(s.AreaHa > 0 && s.AreaHa < 10_000) {
			t.Errorf("%s: area %v ha", s.ID, s.AreaHa)
		}
		if s.Unverified != (s.Note == "MTE non vérifié" || s.Note == "MTE non vérifié; only in the 2025-01 list: no area") {
			t.Errorf("%s: unverified %v, nature %q", s.ID, s.Unverified, s.Note)
		}
		switch s.Status {
		case "friche potentielle", "friche sans projet", "friche avec projet":
		case "inconnu": // only sites of the 2025-01 list alone keep an unknown status
			if s.AreaKnown {
				t.Errorf("%s: status inconnu but from the 2024 export", s.ID)
			}
		default:
			t.Errorf("%s: status %q", s.ID, s.Status)
		}
	}
	// NXP at Toulouse, first row of the export: 54,949.22 m².
	i, ok := slices.BinarySearchFunc(c.Brownfields, "brownfield:31555_16063", func(s data.Site, id string) int {
		return cmpString(s.ID, id)
	})
	if !ok {
		t.Fatal("brownfield:31555_16063 (NXP, Toulouse) is missing")
	}
	if s := c.Brownfields[i]; !s.AreaKnown || s.AreaHa != 5.4949 || !s.Unverified || s.ZoneType != "U" || s.Activity == "" {
		t.Errorf("NXP Toulouse: %+v", s)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestTrainingFromCourses checks that trades come from the course offer:
// Bourges teaches metal structures (chaudronnerie) and Vierzon machining,
// with their pupils; every LEGT is there for a course of a trade family.
func TestTrainingFromCourses(t *testing.T) {
	c := loadEmbedded(t)
	by := map[string]data.Lycee{}
	for _, l := range c.Lycees {
		by[l.UAI] = l
		if l.Type == "LEGT" && (l.TradesSource != data.TradesByCourses || len(l.Trades) == 0) {
			t.Errorf("LEGT %s kept without course-offer trades: %v (%q)", l.UAI, l.Trades, l.TradesSource)
		}
		for i := range l.Pupils {
			if l.Pupils[i] <= 0 {
				t.Errorf("%s: %d pupils in %s", l.UAI, l.Pupils[i], l.Trades[i])
			}
		}
	}
	for _, tc := range []struct {
		uai, commune, family string
		min                  int
	}{
		{"0180010N", "18033", "chaudronnerie_soudure", 50}, // Bourges, Jean Mermoz: chaudronnerie industrielle
		{"0180036S", "18279", "usinage", 50},               // Vierzon, Henri Brisson: technicien d'usinage
	} {
		l, ok := by[tc.uai]
		if !ok || l.Commune != tc.commune || l.PupilsIn(tc.family) < tc.min {
			t.Errorf("%s: %+v, want %s with at least %d pupils in %s", tc.uai, l, tc.commune, tc.min, tc.family)
		}
	}
	if cv := c.Coverage(); cv.LyceesByCourses < 1_900 {
		t.Errorf("%d lycées with course-offer trades, want at least 1,900", cv.LyceesByCourses)
	}
}

// TestSubstations checks the RTE layer and its Caparéseau join.
func TestSubstations(t *testing.T) {
	c := loadEmbedded(t)
	cv := c.Coverage()
	if cv.Substations < 5_000 || cv.SubstationsHV < 1_000 || cv.SubstationsCapareseau < 2_900 {
		t.Errorf("coverage %+v", cv)
	}
	kv := map[int]bool{0: true, 45: true, 63: true, 90: true, 150: true, 225: true, 400: true}
	for _, s := range c.Substations {
		if !kv[s.VoltageKV] || (s.VoltageKV == 0) != (s.Voltage != "") {
			t.Errorf("%s: %d kV, label %q", s.ID, s.VoltageKV, s.Voltage)
		}
		if s.Function != "transformation" && s.Function != "piquage" {
			t.Errorf("%s: function %q", s.ID, s.Function)
		}
		if p := s.Point; p[0] < -5.5 || p[0] > 10 || p[1] < 41 || p[1] > 51.5 {
			t.Errorf("%s at %v: not in metropolitan France", s.ID, p)
		}
	}
	i, ok := slices.BinarySearchFunc(c.Substations, "S.GUY", func(s data.Substation, id string) int { return cmpString(s.ID, id) })
	if !ok || c.Substations[i].VoltageKV != 225 {
		t.Errorf("S.GUY (Sauveterre-de-Guyenne, 225 kV) missing or wrong")
	}
}

// TestFRREveryCommune checks that every commune has an FRR class.
func TestFRREveryCommune(t *testing.T) {
	c := loadEmbedded(t)
	cv := c.Coverage()
	n := 0
	for _, v := range cv.FRR {
		n += v
	}
	if n != len(c.Communes) || cv.FRR[data.FRRSocle] < 13_000 || cv.FRR[data.FRRPlus] < 4_000 {
		t.Errorf("FRR classes %v over %d communes", cv.FRR, len(c.Communes))
	}
	for code, want := range map[string]string{"01001": data.FRRNone} {
		if cm, _ := c.Commune(code); cm.FRR != want {
			t.Errorf("commune %s: FRR %q, want %q", code, cm.FRR, want)
		}
	}
}

// TestIOTable checks the input-output table: every buying branch's
// coefficients sum to 1 within rounding (TZ, households as employers,
// buys nothing), CL buys about 38 % from CL, and the NAF bridge.
func TestIOTable(t *testing.T) {
	io := &loadEmbedded(t).IO
	if len(io.Branches) != 37 {
		t.Fatalf("%d branches", len(io.Branches))
	}
	for _, b := range io.Branches {
		sum := 0.0
		for _, cell := range io.Suppliers(b.Code) {
			if cell.Buyer != b.Code || cell.Share <= 0 {
				t.Errorf("%s: cell %+v", b.Code, cell)
			}
			if io.Share(b.Code, cell.Supplier) != cell.Share {
				t.Errorf("Share(%s, %s) disagrees with Suppliers", b.Code, cell.Supplier)
			}
			sum += cell.Share
		}
		want := 1.0
		if b.Code == "TZ" {
			want = 0
		}
		if math.Abs(sum-want) > 1.5e-3 {
			t.Errorf("%s buys %.5f of its intermediate consumption, want %v", b.Code, sum, want)
		}
		if b.Label == "" {
			t.Errorf("%s has no label", b.Code)
		}
	}
	if s := io.Share("CL", "CL"); math.Abs(s-0.3785) > 5e-4 {
		t.Errorf("CL buys %.4f from CL, want about 0.38", s)
	}
	if io.Share("CL", "XX") != 0 || io.Share("TZ", "AZ") != 0 {
		t.Error("Share of an absent cell is not 0")
	}
	for code, want := range map[string]string{"29.10Z": "CL", "2910Z": "CL", "20": "CE", "01.11Z": "AZ", "62": "JC"} {
		if got, ok := io.BranchOfNAF(code); !ok || got != want {
			t.Errorf("BranchOfNAF(%q) = %q, %v; want %s", code, got, ok, want)
		}
	}
	if _, ok := io.BranchOfNAF("9"); ok {
		t.Error("BranchOfNAF accepts a one-digit code")
	}
}

// TestTurnkeyFacts checks the availability and commitment of turnkey sites.
func TestTurnkeyFacts(t *testing.T) {
	c := loadEmbedded(t)
	for _, s := range c.Turnkey {
		switch s.ID {
		case "turnkey:OCC-2":
			if s.CommittedTo != "Genvia" || s.Status != "engagé" || s.AvailableFrom != "2024" {
				t.Errorf("Mazeran: %+v", s)
			}
		case "turnkey:NOR-1":
			if s.AvailableFrom != "2027-2030" || s.Status != "en préparation" || s.CommittedTo != "" {
				t.Errorf("NOR-1: %+v", s)
			}
		}
	}
}

// TestSeveso checks the partial Seveso layer.
func TestSeveso(t *testing.T) {
	c := loadEmbedded(t)
	for _, e := range c.Seveso {
		if _, ok := c.Commune(e.Commune); !ok || e.Seveso != "seuil haut" || e.URL == "" {
			t.Errorf("%+v", e)
		}
	}
}
