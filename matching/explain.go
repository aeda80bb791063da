package matching

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// PartnerDistance is one supplier or customer seen from a site.
type PartnerDistance struct {
	Name    string
	Role    string // supplier or customer
	Commune string
	Km      float64 // great-circle, rounded to 0.1
	Weight  float64
	Score   float64 // decay(km, near, far)
}

// SupplyChainDetail holds the numbers behind the supply-chain score.
type SupplyChainDetail struct {
	NearKm, FarKm float64
	Partners      []PartnerDistance
	// Mode is SupplyModeDecay or SupplyModeCentrality; by centrality,
	// MeanKm is the site's weighted mean partner distance and BestMeanKm
	// the least over the eligible sites, that of BestID (to 0.1 km).
	Mode               string
	MeanKm, BestMeanKm float64
	BestID             string
}

// ModeDetail is the nearest node of one transport mode.
type ModeDetail struct {
	Mode       string
	ID, Name   string
	Class      string
	Km         float64 // great-circle, rounded to 0.1
	Score      float64
	Importance float64
	NearKm     float64
	FarKm      float64
	Missing    bool // the layer has no node
}

// TransportDetail holds the numbers behind the transport score, one entry
// per mode with importance > 0, in the order of Modes.
type TransportDetail struct {
	Modes []ModeDetail
}

// LabourDetail holds the numbers behind the labour score.
type LabourDetail struct {
	RadiusKm   float64
	Active     int
	Unemployed int
	Communes   int
	Jobs       int
	Pool       float64 // LabourPool, rounded
	Competing  float64 // LabourCompeting, rounded
	Ratio      float64 // candidates per opening, LabourRatio, to 0.01
}

// LyceeNear is a vocational lycée near a site.
type LyceeNear struct {
	UAI, Name, Commune string
	Km                 float64
	Weight             float64 // LyceeWeight(Km), to 0.001
	Trades             []string
	Pupils             []int // per entry of Trades, nil when the trades come from the name
}

// TrainingDetail holds the numbers behind the training score.
type TrainingDetail struct {
	RadiusKm  float64 // lycées beyond it do not count
	NearKm    float64 // lycées up to it count fully
	Count     int     // lycées within RadiusKm
	Weight    float64 // Σ LyceeWeight, to 0.01
	Needed    int
	Matched   []string         // requested families a lycée within RadiusKm teaches
	Unmatched []string         // requested families none teaches
	Nearest   []LyceeNear      // the three nearest
	Families  []TrainingFamily // per requested family, what counts for it (training.go)
}

// LandDetail holds the numbers behind the land score.
type LandDetail struct {
	AreaHa     *float64 // nil when unknown; a town's largest plot
	RequiredHa float64
	// Flag is "unknown_area", "implausible_area" (a stated area above
	// MaxPlausibleBrownfieldHa, read as unknown), "town" (scored by its
	// plots) or "".
	Flag string
	// PassProbability is, for an unknown area, the share of the known
	// areas of its kind and type at least RequiredHa, out of Sample.
	PassProbability *float64
	Sample          int
	// Plots are a town's known plots at least RequiredHa within
	// TownReachKm, largest first (ten at most, PlotCount in all).
	Plots     []LandPlot
	PlotCount int
}

// LandPlot is a plot within a town's reach.
type LandPlot struct {
	ID     string
	Name   string
	AreaHa float64
	Km     float64
}

// TerritoryDetail says which programmes apply.
type TerritoryDetail struct {
	TerritoireIndustrie     string // id, "" if none
	TerritoireIndustrieName string
	ACVTown                 string // nearest Action Cœur de Ville town within 20 km
	ACVKm                   float64
	ReadySite               string // "turnkey", "brownfield_without_project" or ""
	FRR                     string // the commune's France ruralités revitalisation class (data.FRRClasses)
}

// explain builds the criteria of one result, with detail and sentences.
func (e *Engine) explain(q *query, c *Candidate, b *scored) []CriterionResult {
	var wsum float64
	for _, i := range q.active {
		if b.ok[i] {
			wsum += q.weights[i]
		}
	}
	x := new(explanation)
	x.Grow(explainBytes(q))
	out := x.criteria[:0:len(q.active)]
	var ends [maxCriteria]int
	for _, i := range q.active {
		if !b.ok[i] {
			continue
		}
		r := CriterionResult{ID: criteria[i].id, Score: b.s[i]}
		if wsum > 0 {
			r.Weight = q.weights[i] / wsum
		}
		r.Contribution = 100 * r.Weight * r.Score
		r.Detail = criteria[i].explain(e, q, c, x)
		ends[len(out)] = x.Len()
		out = append(out, r)
	}
	s, from := x.String(), 0
	for k := range out {
		out[k].Explain, from = s[from:ends[k]], ends[k]
	}
	return out
}

// explanation is one result's criteria being explained, in one allocation:
// the sentences, written into one buffer that explain cuts them out of;
// the criteria; and the details of the criteria this package's explain
// functions fill in (the ecosystem, energy and Seveso explainers allocate
// their own).
type explanation struct {
	frText
	criteria  [maxCriteria]CriterionResult
	supply    SupplyChainDetail
	transport TransportDetail
	labour    LabourDetail
	training  TrainingDetail
	territory TerritoryDetail
	land      LandDetail
	// landArea and landPass are what land.AreaHa and PassProbability
	// point to.
	landArea, landPass float64
}

// explainBytes is about the length of a result's sentences: per active
// criterion, a little above its usual length on random projects (the 90th
// percentile of each over 9,779 results), so that the buffer is seldom
// grown and little of it is left empty.
func explainBytes(q *query) int {
	n := 0
	for _, i := range q.active {
		switch criteria[i].id {
		case SupplyChain:
			n += 300
			if q.central {
				n += 350
			}
		case Transport:
			n += 40 + 75*len(q.modes)
		case Training:
			n += 300 + 200*len(q.families)
		case Labour:
			n += 600
		case Ecosystem:
			n += 1500
		case Land:
			n += 230
		case Territory:
			n += 260
		default: // energy, seveso_platform
			n += 300
		}
	}
	return n
}

func (e *Engine) explainSupply(q *query, c *Candidate, t *explanation) *SupplyChainDetail {
	nearKm, farKm := q.band.near, q.band.far
	d := &t.supply
	*d = SupplyChainDetail{NearKm: nearKm, FarKm: farKm, Mode: SupplyModeDecay, Partners: make([]PartnerDistance, len(q.partners))}
	near, far := 0, 0
	var closest, farthest *PartnerDistance
	for i := range q.partners {
		p, pd := &q.partners[i], &d.Partners[i]
		km, score := c.partnerKm(p, &q.band)
		*pd = PartnerDistance{Name: p.Name, Role: p.Role, Commune: p.Commune, Km: km, Weight: p.Weight, Score: score}
		if pd.Km <= nearKm {
			near++
		}
		if pd.Km >= farKm {
			far++
		}
		if closest == nil || pd.Km < closest.Km {
			closest = pd
		}
		if farthest == nil || pd.Km > farthest.Km {
			farthest = pd
		}
	}
	n := len(d.Partners)
	switch {
	case n == 1:
		t.str("Un seul partenaire, ", partnerLabel(closest), ", ")
		t.where(closest.Km, closest.Commune == c.Site.Commune)
	case near == 0:
		t.WriteString("Aucun des ")
		t.itoa(n)
		t.WriteString(" partenaires à moins de ")
		t.km(nearKm)
	default:
		t.count(near, "partenaire", "partenaires")
		t.WriteString(" sur ")
		t.itoa(n)
		t.WriteString(" à moins de ")
		t.km(nearKm)
	}
	if far > 0 && !q.central {
		t.WriteString(", ")
		t.count(far, "partenaire", "partenaires")
		t.WriteString(" au-delà de ")
		t.km(farKm)
		t.WriteString(", qui comptent pour 0 et abaissent la note")
	}
	if n > 1 {
		t.str(" ; le plus proche, ", partnerLabel(closest), ", ")
		t.where(closest.Km, closest.Commune == c.Site.Commune)
		t.str(" ; le plus éloigné, ", partnerLabel(farthest), ", ")
		t.where(farthest.Km, farthest.Commune == c.Site.Commune)
	}
	t.WriteString(".")
	if q.central {
		mean := c.meanKm(q.partners)
		d.Mode, d.MeanKm, d.BestMeanKm, d.BestID = SupplyModeCentrality, round1(mean), round1(q.bestMeanKm), q.bestID
		ref := math.Max(q.bestMeanKm, nearKm)
		t.WriteString(" Centralité : distance moyenne aux partenaires, pondérée par leurs poids (les tonnes-kilomètres), de ")
		t.km(d.MeanKm)
		t.WriteString(" ; la plus faible des sites retenus est de ")
		t.km(d.BestMeanKm)
		t.WriteString(" (")
		e.writeSiteLabel(&t.frText, q.bestID)
		t.WriteString(")")
		if q.bestMeanKm < nearKm {
			t.WriteString(", comptée ")
			t.km(nearKm)
			t.WriteString(" (en dessous, les partenaires sont à côté)")
		}
		t.WriteString(" ; note 2 − ")
		t.num(d.MeanKm, 1)
		t.WriteString(" / ")
		t.num(round1(ref), 1)
		t.WriteString(" = ")
		t.num(math.Round(100*CentralityScore(mean, q.bestMeanKm, nearKm))/100, 2)
		t.WriteString(" : chaque % de tonnes-kilomètres de plus que l'optimum retire 1 % de la note, nulle au double.")
	}
	return d
}

// partnerKm is partnerDistance with the distance rounded to 0.1 km, as the
// detail reports it, round1(km). For a point site the distance comes from
// the squared chord the score reads (round1Chord) rather than a second,
// trigonometric haversine.
func (c *Candidate) partnerKm(p *partner, b *supplyBand) (km, score float64) {
	if c.shape != nil {
		km, score = c.partnerDistance(p, b)
		return round1(km), score
	}
	c2 := chord2(c.unit, p.unit)
	return round1Chord(c.Site.Point, p.Point, c2), b.decayChord(c2)
}

// round1Chord is round1(geo.DistanceKm(a, b)), given the squared chord c2
// between a and b's unit vectors. arcKm(c2) equals geo.DistanceKm to about
// 1e-12 km for arcs below 75° (8,300 km; the asin is well conditioned
// there), so it rounds the same way whenever it lies further than 1e-6 km
// from a half of 0.1 km; haversine decides the rest (a near-tie, a longer
// arc).
func round1Chord(a, b orb.Point, c2 float64) float64 {
	if c2 < round1ChordMax {
		v := 20 * geo.EarthRadiusKm * math.Asin(math.Sqrt(c2)/2) // 10·arcKm(c2)
		n := float64(int64(v))                                   // its floor
		if f := v - n; f < 0.5-1e-5 || f > 0.5+1e-5 {
			if f > 0.5 {
				n++
			}
			return n / 10
		}
	}
	return round1(geo.DistanceKm(a, b))
}

// round1ChordMax is the squared chord of a 75° arc, (2·sin 37.5°)².
var round1ChordMax = math.Pow(2*math.Sin(37.5*math.Pi/180), 2)

// writeSiteLabel names a candidate by its name and commune, French; a
// town by its commune.
func (e *Engine) writeSiteLabel(t *frText, id string) {
	c, ok := e.Candidate(id)
	switch {
	case !ok:
		t.WriteString(id)
	case c.Site.Kind == data.KindTown:
		t.WriteString(c.Commune.Name)
	default:
		t.shortName(c.Site.Name)
		t.str(", ", c.Commune.Name)
	}
}

func partnerLabel(p *PartnerDistance) string {
	if p.Name != "" {
		return p.Name
	}
	if p.Role == "customer" {
		return "un client"
	}
	return "un fournisseur"
}

func (e *Engine) explainTransport(q *query, c *Candidate, t *explanation) *TransportDetail {
	d := &t.transport
	*d = TransportDetail{Modes: make([]ModeDetail, 0, len(q.modes))}
	var gapBuf [8]string
	gaps := gapBuf[:0]
	for m := range TransportModes {
		mode := &TransportModes[m]
		w := q.importance[m]
		if w <= 0 {
			continue
		}
		md := ModeDetail{Mode: mode.ID, Importance: w, NearKm: mode.NearKm, FarKm: mode.FarKm}
		// The first part starts the sentence, capitalised.
		first := len(d.Modes) == 0
		if !first {
			t.WriteString(", ")
		}
		switch ok := c.Nearest[m].Index >= 0; {
		case !ok && len(e.nodes[m]) == 0:
			md.Missing = true
			t.lead(first, mode.Label)
			t.WriteString(" : aucun dans les données")
		case !ok:
			md.Missing = true
			t.lead(first, mode.Label)
			t.str(" : aucun ", landmassWhere(c.Landmass))
		default:
			i := c.Nearest[m].Index
			n, ph := &e.nodes[m][i], &e.ix.phrases[m][i]
			md.ID, md.Name, md.Class = n.ID, n.Name, n.Class
			md.Km = round1(c.Nearest[m].Km)
			md.Score = mode.Decay(c.Nearest[m].Km)
			t.lead(first, ph.before)
			t.where(md.Km, n.Commune == c.Site.Commune)
			t.WriteString(ph.after)
		}
		// The coverage gaps of DESIGN.md that can change the reading of
		// the node found, said where they matter.
		if !md.Missing {
			if g := mode.Gap(md.Score); g != "" {
				gaps = append(gaps, g)
			}
		}
		d.Modes = append(d.Modes, md)
	}
	t.WriteString(".")
	for i, g := range gaps {
		t.str(pick(i == 0, " Limites des données : ", " ; "), g)
	}
	if len(gaps) > 0 {
		t.WriteString(".")
	}
	return d
}

func explainLabour(q *query, c *Candidate, t *explanation) *LabourDetail {
	r := labourRatio(c.labourPool, c.labourCompeting, q.jobs)
	d := &t.labour
	*d = LabourDetail{RadiusKm: LabourRadiusKm, Active: c.Active, Unemployed: c.Unemployed, Communes: c.Communes, Jobs: q.jobs,
		Pool: math.Round(c.labourPool), Competing: math.Round(c.labourCompeting), Ratio: math.Round(r*100) / 100}
	t.WriteString(c.prep.labourStart())
	t.WriteString(" candidats pour ")
	t.count(q.jobs, "emploi", "emplois")
	t.WriteString(", soit ")
	if r < 10 { // candidates per opening: to 0.1 below 10, whole above
		t.num(math.Round(r*10)/10, 1)
	} else {
		t.int(int(math.Round(r)))
	}
	t.WriteString(" par poste")
	switch {
	case r >= LabourDeepRatio:
		t.WriteString(labourDeepFR)
	case r >= LabourStaffedRatio:
		t.WriteString(labourStaffedFR)
	case r <= LabourRatioLow:
		t.WriteString(labourLowFR)
	default:
		t.WriteString(labourHardFR)
	}
	return d
}

// writeLabourStart writes the labour sentence up to its remaining
// candidates, which depends on the site alone: the people, the pool and
// the competing hires.
func writeLabourStart(c *Candidate, t *frText) {
	t.int(c.Active)
	t.WriteString(labourActiveFR)
	t.count(c.Communes, "commune", "communes")
	t.WriteString("), dont ")
	t.int(c.Unemployed)
	t.WriteString(labourPoolFR)
	t.int(max(0, c.Active-c.Unemployed))
	t.WriteString(" actifs occupés qui changent d'employeur dans l'année, ")
	t.int(int(math.Round(c.labourPool)))
	t.WriteString(" personnes ; les autres employeurs y font ")
	t.int(int(math.Round(c.labourCompeting)))
	t.WriteString(" embauches durables dans l'année ; restent ")
	t.int(int(math.Round(math.Max(0, c.labourPool-c.labourCompeting))))
}

// The fixed parts of the labour sentence (explainLabour).
var (
	labourActiveFR  = fmt.Sprintf(" actifs de 15 à 64 ans à moins de %d km (", LabourRadiusKm)
	labourPoolFR    = fmt.Sprintf(" chômeurs. Vivier : les chômeurs et %s %% des ", numFR(100*LabourMobility, 0))
	labourDeepFR    = fmt.Sprintf(" : bassin d'emploi profond (%s par poste ou plus).", intFR(LabourDeepRatio))
	labourStaffedFR = fmt.Sprintf(" : le bassin peut pourvoir les postes (%d par poste suffisent pour une note de %s ; au-delà, la profondeur du bassin n'ajoute que %s jusqu'à %s par poste, le chômage au-delà du besoin du projet n'étant pas un atout).",
		LabourStaffedRatio, numFR(LabourStaffedScore, 2), numFR(1-LabourStaffedScore, 2), intFR(LabourDeepRatio))
	labourLowFR  = fmt.Sprintf(", pas plus de %d : le projet devrait embaucher un candidat disponible sur deux.", LabourRatioLow)
	labourHardFR = fmt.Sprintf(", moins des %d par poste qui permettent de pourvoir les postes par les moyens ordinaires : recrutement difficile.", LabourStaffedRatio)
)

func (e *Engine) explainTerritory(c *Candidate, t *explanation) *TerritoryDetail {
	d := &t.territory
	*d = TerritoryDetail{TerritoireIndustrie: c.Commune.TI, TerritoireIndustrieName: c.Territoire, FRR: c.Commune.FRR}
	if c.ACV >= 0 {
		d.ACVTown, d.ACVKm = e.cat.Towns[c.ACV].Name, round1(c.ACVKm)
	}
	switch {
	case c.Site.Kind == data.KindTurnkey:
		d.ReadySite = "turnkey"
	case c.Site.Kind == data.KindBrownfield && c.Site.Status == StatusNoProjet:
		d.ReadySite = "brownfield_without_project"
	}
	t.WriteString(c.prep.territory())
	return d
}

// writeTerritory writes the territory sentence, which depends on the site
// alone.
func (e *Engine) writeTerritory(c *Candidate, t *frText) {
	if c.Commune.TI != "" {
		t.str("Dans le Territoire d'industrie « ", c.Territoire, " »")
	} else {
		t.WriteString("Hors Territoire d'industrie")
	}
	if f := frrPhrase(c.Commune.FRR); f != "" {
		t.str(" ; ", f)
	}
	t.WriteString(" ; ")
	if c.ACV >= 0 {
		town := &e.cat.Towns[c.ACV]
		t.str("ville Action Cœur de Ville (", town.Name, ") ")
		t.where(round1(c.ACVKm), town.Commune == c.Site.Commune)
	} else {
		t.WriteString(territoryNoACVFR)
	}
	switch {
	case c.Site.Kind == data.KindTurnkey:
		t.WriteString(" ; site clés en main")
	case c.Site.Kind == data.KindBrownfield && c.Site.Status == StatusNoProjet:
		t.WriteString(" ; friche sans projet")
	}
	t.WriteString(".")
}

// sitePrep is what the explanations read of a candidate that depends on
// the site alone, prepared once at build rather than for every result: the
// territory sentence, the labour sentence up to its remaining candidates
// and the training sentence up to the lycées expected (one string cut at
// two offsets); per trade family taught around it, its lycées
// (familiesAround); and the reason a brownfield is non-industrial
// (nonIndustrialReason, "" for most), for the flag and the exclusion. It
// takes about 22 MB for the 26,283 candidates, next to the engine's
// 150 MB; a Candidate holds a pointer to it, so that the ranking pass,
// which reads every candidate, does not scan it.
type sitePrep struct {
	text          string
	a, b          int32
	families      []familyStats
	nonIndustrial string
}

func (p *sitePrep) territory() string     { return p.text[:p.a] }
func (p *sitePrep) labourStart() string   { return p.text[p.a:p.b] }
func (p *sitePrep) trainingStart() string { return p.text[p.b:] }

// prepare computes a candidate's sitePrep from its features.
func (e *Engine) prepare(c *Candidate) *sitePrep {
	var t frText
	t.Grow(1024)
	e.writeTerritory(c, &t)
	a := t.Len()
	writeLabourStart(c, &t)
	b := t.Len()
	e.writeTrainingStart(c, &t)
	return &sitePrep{text: strings.Clone(t.String()), a: int32(a), b: int32(b),
		families: e.familiesAround(c), nonIndustrial: nonIndustrialReason(&c.Site)}
}

// territoryNoACVFR is the territory sentence's part for a site with no
// Action Cœur de Ville town within ACVRadiusKm.
var territoryNoACVFR = fmt.Sprintf("aucune ville Action Cœur de Ville à moins de %d km", ACVRadiusKm)

func dedup(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
