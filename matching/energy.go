package matching

import (
	"math"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Energy is the grid-connection criterion: how close a site is to the RTE
// transmission network, and how much room the nearest poste source has.
const Energy = "energy"

// Energy decays (DESIGN.md, "Scoring model"). A plant drawing tens of MW
// (gigafactory, electrolyser, arc furnace) connects at 225 or 400 kV: a
// substation within 10 km is an ordinary connection, one beyond 60 km a new
// line of several years and tens of millions of euros. A lighter plant
// connects at 63 or 90 kV: full within 3 km, nothing from 25 km.
const (
	EnergyHVMinKV  = 225
	EnergyHVNearKm = 10
	EnergyHVFarKm  = 60
	EnergyAnyNear  = 3
	EnergyAnyFar   = 25
	// EnergyCapMW is the remaining capacity at which the capacity term is
	// full: Caparéseau's reserved capacity still to allocate, a proxy of
	// grid room (it measures injection, not withdrawal).
	EnergyCapMW = 50
	// Shares of the three terms.
	EnergyWHV, EnergyWAny, EnergyWCap = 0.6, 0.25, 0.15
)

// EnergyNA is why the energy criterion does not apply off the mainland:
// the RTE file covers metropolitan continental France only (Corsica and
// the overseas départements are non-interconnected grids run by EDF SEI
// and EDM, with no open substation list here).
const EnergyNA = "réseau RTE de France continentale seulement : la Corse et les outre-mer sont des zones non interconnectées sans liste de postes dans les données"

// SubstationRef is a substation near a candidate: Index into
// Catalogue.Substations (-1 when none) and the great-circle distance.
type SubstationRef struct {
	Index int
	Km    float64
}

// EnergyFeatures are a candidate's grid features, precomputed at load:
// the nearest substation of EnergyHVMinKV or more, the nearest of any
// voltage and the nearest poste source Caparéseau knows. All are -1 off
// the mainland.
type EnergyFeatures struct {
	HV, Any, Source SubstationRef
}

// energyIndex are the substations in operation on the mainland, with a
// known voltage: all of them, those of EnergyHVMinKV or more, and those
// Caparéseau knows.
type energyIndex struct {
	any, hv, source *unitIndex
}

// usableSubstation reports whether a substation counts: a transformation
// substation (not a tapping point on a line, "piquage", where no plant is
// connected as a rule) in operation, with a voltage in kV (not "hors
// tension", "<45kV" or direct current).
func usableSubstation(s *data.Substation) bool {
	return s.VoltageKV > 0 && s.State == "en exploitation" && s.Function == "transformation"
}

func newEnergyIndex(cat *data.Catalogue, all *unitIndex) *energyIndex {
	pick := func(keep func(*data.Substation) bool) *unitIndex {
		u := &unitIndex{ix: new(geo.Index[int]), units: make([]geo.Unit, len(cat.Substations))}
		for i := range cat.Substations {
			s := &cat.Substations[i]
			u.units[i] = geo.ToUnit(s.Point)
			if usableSubstation(s) && keep(s) && pointLandmass(cat, all, s.Point) == Mainland {
				u.ix.Insert(s.Point, i)
			}
		}
		return u
	}
	return &energyIndex{
		any:    pick(func(*data.Substation) bool { return true }),
		hv:     pick(func(s *data.Substation) bool { return s.VoltageKV >= EnergyHVMinKV }),
		source: pick(func(s *data.Substation) bool { return s.Capareseau }),
	}
}

// energyFeatures computes a candidate's grid features from its point.
func (x *energyIndex) features(landmass string, p orb.Point, pu geo.Unit) EnergyFeatures {
	f := EnergyFeatures{HV: SubstationRef{Index: -1}, Any: SubstationRef{Index: -1}, Source: SubstationRef{Index: -1}}
	if landmass != Mainland {
		return f
	}
	near := func(u *unitIndex) SubstationRef {
		if i, km, ok := u.nearest(p, pu, 16, math.Inf(1)); ok {
			return SubstationRef{Index: i, Km: km}
		}
		return SubstationRef{Index: -1}
	}
	f.HV, f.Any, f.Source = near(x.hv), near(x.any), near(x.source)
	return f
}

// EnergyScore is EnergyWHV·decay(km to the nearest ≥ 225 kV substation,
// 10, 60) + EnergyWAny·decay(km to the nearest substation, 3, 25) +
// EnergyWCap·min(1, remaining MW of the nearest poste source / 50); a
// missing substation scores its term 0.
func EnergyScore(hvKm, anyKm float64, hvOK, anyOK bool, remainingMW float64, sourceOK bool) float64 {
	s := 0.0
	if hvOK {
		s += EnergyWHV * geo.Decay(hvKm, EnergyHVNearKm, EnergyHVFarKm)
	}
	if anyOK {
		s += EnergyWAny * geo.Decay(anyKm, EnergyAnyNear, EnergyAnyFar)
	}
	if sourceOK {
		s += EnergyWCap * clamp01(remainingMW/EnergyCapMW)
	}
	return s
}

func (e *Engine) energyScore(c *Candidate) float64 {
	f := &c.Energy
	mw := 0.0
	if f.Source.Index >= 0 {
		mw = e.cat.Substations[f.Source.Index].RemainingMW
	}
	return EnergyScore(f.HV.Km, f.Any.Km, f.HV.Index >= 0, f.Any.Index >= 0, mw, f.Source.Index >= 0)
}

// SubstationNear is a substation seen from a site.
type SubstationNear struct {
	ID, Name  string
	VoltageKV int
	Km        float64 // great-circle, rounded to 0.1
}

// EnergyDetail holds the numbers behind the energy score.
type EnergyDetail struct {
	HV, Any *SubstationNear // the nearest ≥ 225 kV substation, the nearest of any voltage; nil when none
	// Source is the nearest poste source Caparéseau knows, with its
	// remaining capacity (MW, injection) and transformer power (MVA).
	Source         *SubstationNear
	RemainingMW    float64
	TransformerMVA float64
}

// Criterion returns the criterion a detail belongs to.
func (*EnergyDetail) Criterion() string { return Energy }

// Substation returns a candidate's substation reference as a
// SubstationNear, nil when none.
func (e *Engine) Substation(r SubstationRef) *SubstationNear {
	if r.Index < 0 {
		return nil
	}
	s := &e.cat.Substations[r.Index]
	return &SubstationNear{ID: s.ID, Name: s.Name, VoltageKV: s.VoltageKV, Km: round1(r.Km)}
}

// EnergyDetailOf is a candidate's energy detail.
func (e *Engine) EnergyDetailOf(c *Candidate) *EnergyDetail {
	f := &c.Energy
	d := &EnergyDetail{HV: e.Substation(f.HV), Any: e.Substation(f.Any), Source: e.Substation(f.Source)}
	if f.Source.Index >= 0 {
		s := &e.cat.Substations[f.Source.Index]
		d.RemainingMW, d.TransformerMVA = s.RemainingMW, s.TransformerMVA
	}
	return d
}

func (e *Engine) explainEnergy(c *Candidate, t *explanation) *EnergyDetail {
	d := e.EnergyDetailOf(c)
	f := &c.Energy
	first := true
	// part starts one part of the sentence: capitalised first, after
	// " ; " then.
	part := func(s string) {
		if !first {
			t.WriteString(" ; ")
		}
		t.lead(first, s)
		first = false
	}
	name := func(i int, s *SubstationNear) {
		t.str(e.ix.substationNames[i], " (")
		t.itoa(s.VoltageKV)
		t.WriteString(" kV)")
	}
	if d.HV != nil {
		part("poste ")
		name(f.HV.Index, d.HV)
		t.WriteString(" ")
		t.where(d.HV.Km, false)
	}
	if d.Any != nil && (d.HV == nil || d.Any.ID != d.HV.ID) {
		part("poste le plus proche : poste ")
		name(f.Any.Index, d.Any)
		t.WriteString(" ")
		t.where(d.Any.Km, false)
	}
	if d.Source != nil {
		part("poste source ")
		t.str(e.ix.substationNames[f.Source.Index], " ")
		t.where(d.Source.Km, false)
		t.WriteString(" : ")
		t.num(d.RemainingMW, 1)
		t.WriteString(" MW de capacité réservée restante, ")
		if d.TransformerMVA > 0 {
			t.num(d.TransformerMVA, 0)
			t.WriteString(" MVA de transformation")
		} else {
			t.WriteString("puissance de transformation non renseignée")
		}
		t.WriteString(" (Caparéseau mesure la capacité d'injection, pas de soutirage)")
	}
	t.WriteString(".")
	return d
}

// substationNames gives each substation its titleFR name (layerIndexes).
func substationNames(subs []data.Substation) []string {
	out := make([]string, len(subs))
	for i := range subs {
		out[i] = titleFR(subs[i].Name)
	}
	return out
}

// titleFR writes an upper-case RTE substation name as a French place name
// ("BRUAY-SUR-L'ESCAUT" → "Bruay-sur-l'Escaut", "LE HAVRE (PORT)" →
// "Le Havre (Port)"): each word capitalised, except the articles and
// prepositions inside a hyphenated name; the letter after an apostrophe
// capitalised.
func titleFR(s string) string {
	small := map[string]bool{"sur": true, "sous": true, "en": true, "de": true, "du": true, "des": true, "la": true,
		"le": true, "les": true, "lès": true, "lez": true, "et": true, "aux": true, "au": true, "l": true, "d": true}
	var b strings.Builder
	word := func(w string, afterHyphen bool) string {
		if afterHyphen && small[w] {
			return w
		}
		return capitalize(w)
	}
	var cur strings.Builder
	afterHyphen := false
	flush := func() {
		if cur.Len() > 0 {
			b.WriteString(word(cur.String(), afterHyphen))
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '(', ')', '/', ',':
			flush()
			afterHyphen = false
			b.WriteRune(r)
		case '-':
			flush()
			afterHyphen = true
			b.WriteRune(r)
		case '\'':
			w := cur.String()
			cur.Reset()
			if afterHyphen && small[w] {
				b.WriteString(w)
			} else {
				b.WriteString(capitalize(w))
			}
			b.WriteRune(r)
			afterHyphen = false // the word after an apostrophe is capitalised
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return b.String()
}
