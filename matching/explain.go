package matching

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"sitematch/data"
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
	out := make([]CriterionResult, 0, len(q.active))
	for _, i := range q.active {
		if !b.ok[i] {
			continue
		}
		r := CriterionResult{ID: criteria[i].id, Score: b.s[i]}
		if wsum > 0 {
			r.Weight = q.weights[i] / wsum
		}
		r.Contribution = 100 * r.Weight * r.Score
		r.Detail, r.Explain = criteria[i].explain(e, q, c)
		out = append(out, r)
	}
	return out
}

func (e *Engine) explainSupply(q *query, c *Candidate) (*SupplyChainDetail, string) {
	nearKm, farKm := q.band.near, q.band.far
	d := &SupplyChainDetail{NearKm: nearKm, FarKm: farKm, Mode: SupplyModeDecay, Partners: make([]PartnerDistance, 0, len(q.partners))}
	near, far := 0, 0
	var closest, farthest *PartnerDistance
	for i := range q.partners {
		p := &q.partners[i]
		km, score := c.partnerDistance(p, &q.band)
		d.Partners = append(d.Partners, PartnerDistance{Name: p.Name, Role: p.Role, Commune: p.Commune,
			Km: round1(km), Weight: p.Weight, Score: score})
	}
	for i := range d.Partners {
		p := &d.Partners[i]
		if p.Km <= nearKm {
			near++
		}
		if p.Km >= farKm {
			far++
		}
		if closest == nil || p.Km < closest.Km {
			closest = p
		}
		if farthest == nil || p.Km > farthest.Km {
			farthest = p
		}
	}
	n := len(d.Partners)
	var b strings.Builder
	b.Grow(256)
	write := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	switch {
	case n == 1:
		write("Un seul partenaire, ", partnerLabel(closest), ", ", whereFR(closest.Km, closest.Commune == c.Site.Commune))
	case near == 0:
		write("Aucun des ", strconv.Itoa(n), " partenaires à moins de ", kmFR(nearKm))
	default:
		write(countFR(near, "partenaire", "partenaires"), " sur ", strconv.Itoa(n), " à moins de ", kmFR(nearKm))
	}
	if far > 0 && !q.central {
		write(", ", countFR(far, "partenaire", "partenaires"), " au-delà de ", kmFR(farKm), ", qui comptent pour 0 et abaissent la note")
	}
	if n > 1 {
		write(" ; le plus proche, ", partnerLabel(closest), ", ", whereFR(closest.Km, closest.Commune == c.Site.Commune),
			" ; le plus éloigné, ", partnerLabel(farthest), ", ", whereFR(farthest.Km, farthest.Commune == c.Site.Commune))
	}
	b.WriteString(".")
	if q.central {
		mean := c.meanKm(q.partners)
		d.Mode, d.MeanKm, d.BestMeanKm, d.BestID = SupplyModeCentrality, round1(mean), round1(q.bestMeanKm), q.bestID
		ref := math.Max(q.bestMeanKm, nearKm)
		fmt.Fprintf(&b, " Centralité : distance moyenne aux partenaires, pondérée par leurs poids (les tonnes-kilomètres), de %s ; la plus faible des sites retenus est de %s (%s)",
			kmFR(d.MeanKm), kmFR(d.BestMeanKm), e.siteLabel(q.bestID))
		if q.bestMeanKm < nearKm {
			fmt.Fprintf(&b, ", comptée %s (en dessous, les partenaires sont à côté)", kmFR(nearKm))
		}
		fmt.Fprintf(&b, " ; note 2 − %s / %s = %s : chaque %% de tonnes-kilomètres de plus que l'optimum retire 1 %% de la note, nulle au double.",
			numFR(d.MeanKm, 1), numFR(round1(ref), 1), numFR(math.Round(100*CentralityScore(mean, q.bestMeanKm, nearKm))/100, 2))
	}
	return d, b.String()
}

// siteLabel names a candidate by its name and commune, French.
func (e *Engine) siteLabel(id string) string {
	c, ok := e.Candidate(id)
	if !ok {
		return id
	}
	if c.Site.Kind == data.KindTown {
		return c.Commune.Name
	}
	return fmt.Sprintf("%s, %s", shortName(c.Site.Name), c.Commune.Name)
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

func (e *Engine) explainTransport(q *query, c *Candidate) (*TransportDetail, string) {
	d := &TransportDetail{Modes: make([]ModeDetail, 0, len(q.modes))}
	parts, gaps := make([]string, 0, len(q.modes)), make([]string, 0, len(q.modes))
	for m := range TransportModes {
		mode := &TransportModes[m]
		w := q.importance[m]
		if w <= 0 {
			continue
		}
		md := ModeDetail{Mode: mode.ID, Importance: w, NearKm: mode.NearKm, FarKm: mode.FarKm}
		ok := c.Nearest[m].Index >= 0
		switch {
		case !ok && len(e.nodes[m]) == 0:
			md.Missing = true
			parts = append(parts, mode.Label+" : aucun dans les données")
		case !ok:
			md.Missing = true
			parts = append(parts, mode.Label+" : aucun "+landmassWhere(c.Landmass))
		default:
			n := &e.nodes[m][c.Nearest[m].Index]
			md.ID, md.Name, md.Class = n.ID, n.Name, n.Class
			md.Km = round1(c.Nearest[m].Km)
			md.Score = mode.Decay(c.Nearest[m].Km)
			parts = append(parts, nodePhrase(mode, n, whereFR(md.Km, n.Commune == c.Site.Commune)))
		}
		// The coverage gaps of DESIGN.md that can change the reading of
		// the node found, said where they matter.
		if g := mode.Gap(md.Score); g != "" && !md.Missing {
			gaps = append(gaps, g)
		}
		d.Modes = append(d.Modes, md)
	}
	var b strings.Builder
	b.Grow(96 * (len(parts) + len(gaps)))
	for i, p := range parts {
		if i == 0 {
			p = capitalize(p)
		} else {
			b.WriteString(", ")
		}
		b.WriteString(p)
	}
	b.WriteString(".")
	for i, g := range gaps {
		if i == 0 {
			b.WriteString(" Limites des données : ")
		} else {
			b.WriteString(" ; ")
		}
		b.WriteString(g)
	}
	if len(gaps) > 0 {
		b.WriteString(".")
	}
	return d, b.String()
}

func explainLabour(q *query, c *Candidate) (*LabourDetail, string) {
	employed := max(0, c.Active-c.Unemployed)
	r := labourRatio(c.labourPool, c.labourCompeting, q.jobs)
	d := &LabourDetail{RadiusKm: LabourRadiusKm, Active: c.Active, Unemployed: c.Unemployed, Communes: c.Communes, Jobs: q.jobs,
		Pool: math.Round(c.labourPool), Competing: math.Round(c.labourCompeting), Ratio: math.Round(r*100) / 100}
	var b strings.Builder
	b.Grow(640)
	for _, part := range [...]string{intFR(c.Active), labourActiveFR, countFR(c.Communes, "commune", "communes"), "), dont ", intFR(c.Unemployed),
		labourPoolFR, intFR(employed), " actifs occupés qui changent d'employeur dans l'année, ", intFR(int(d.Pool)),
		" personnes ; les autres employeurs y font ", intFR(int(d.Competing)), " embauches durables dans l'année ; restent ",
		intFR(int(math.Round(math.Max(0, c.labourPool-c.labourCompeting)))), " candidats pour ", countFR(q.jobs, "emploi", "emplois"),
		", soit ", ratioFR(r), " par poste"} {
		b.WriteString(part)
	}
	switch {
	case r >= LabourDeepRatio:
		b.WriteString(labourDeepFR)
	case r >= LabourStaffedRatio:
		b.WriteString(labourStaffedFR)
	case r <= LabourRatioLow:
		b.WriteString(labourLowFR)
	default:
		b.WriteString(labourHardFR)
	}
	return d, b.String()
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

// ratioFR writes candidates per opening: to 0.1 below 10, whole above.
func ratioFR(r float64) string {
	if r < 10 {
		return numFR(math.Round(r*10)/10, 1)
	}
	return intFR(int(math.Round(r)))
}

// plural1 picks the singular for a quantity below 2, as French does
// ("1,5 lycée").
func plural1(x float64, one, many string) string {
	if x < 2 {
		return one
	}
	return many
}

func (e *Engine) explainTerritory(c *Candidate) (*TerritoryDetail, string) {
	d := &TerritoryDetail{TerritoireIndustrie: c.Commune.TI, TerritoireIndustrieName: c.Territoire}
	var b strings.Builder
	b.Grow(320)
	if c.Commune.TI != "" {
		b.WriteString("Dans le Territoire d'industrie « ")
		b.WriteString(c.Territoire)
		b.WriteString(" »")
	} else {
		b.WriteString("Hors Territoire d'industrie")
	}
	d.FRR = c.Commune.FRR
	if f := frrPhrase(c.Commune.FRR); f != "" {
		b.WriteString(" ; ")
		b.WriteString(f)
	}
	b.WriteString(" ; ")
	if c.ACV >= 0 {
		t := e.cat.Towns[c.ACV]
		d.ACVTown, d.ACVKm = t.Name, round1(c.ACVKm)
		for _, p := range [...]string{"ville Action Cœur de Ville (", t.Name, ") ", whereFR(d.ACVKm, t.Commune == c.Site.Commune)} {
			b.WriteString(p)
		}
	} else {
		b.WriteString(territoryNoACVFR)
	}
	switch {
	case c.Site.Kind == data.KindTurnkey:
		d.ReadySite = "turnkey"
		b.WriteString(" ; site clés en main")
	case c.Site.Kind == data.KindBrownfield && c.Site.Status == StatusNoProjet:
		d.ReadySite = "brownfield_without_project"
		b.WriteString(" ; friche sans projet")
	}
	b.WriteString(".")
	return d, b.String()
}

// territoryNoACVFR is the territory sentence's part for a site with no
// Action Cœur de Ville town within ACVRadiusKm.
var territoryNoACVFR = fmt.Sprintf("aucune ville Action Cœur de Ville à moins de %d km", ACVRadiusKm)

// tradeLabels lists trade families by their labels, each in guillemets,
// since a label may hold commas itself (« Chimie, biologie,
// laboratoire »).
func tradeLabels(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		f, _ := data.TradeFamilyByID(id)
		out[i] = "«\u00a0" + f.Label + "\u00a0»"
	}
	return strings.Join(out, ", ")
}

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

// whereFR says where something lies from a site: "dans la commune" when it
// is placed in the site's commune (with the distance from 1 km), "sur le
// site" when it is less than 50 m away, else "à 6,1 km"; never "à 0 km".
func whereFR(km float64, sameCommune bool) string {
	switch {
	case sameCommune && km >= 1:
		return "dans la commune (à " + kmFR(km) + ")"
	case sameCommune:
		return "dans la commune"
	case km < 0.05:
		return "sur le site"
	}
	return "à " + kmFR(km)
}

// kmFR formats a distance the French way: "6,1 km", "171 km".
func kmFR(km float64) string {
	if km < 10 {
		return numFR(km, 1) + " km"
	}
	return numFR(km, 0) + " km"
}

// numFR formats a number with a decimal comma and narrow no-break spaces
// between thousands.
func numFR(x float64, decimals int) string {
	var num, buf [64]byte
	s := strconv.AppendFloat(num[:0], x, 'f', decimals, 64)
	out := buf[:0]
	if len(s) > 0 && s[0] == '-' {
		out, s = append(out, '-'), s[1:]
	}
	intPart, frac := s, []byte(nil)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, "\u202f"...)
		}
		out = append(out, d)
	}
	if len(bytes.Trim(frac, "0")) > 0 {
		out = append(append(out, ','), frac...)
	}
	return string(out)
}

func intFR(n int) string { return numFR(float64(n), 0) }

func countFR(n int, one, many string) string {
	if n == 1 || n == 0 {
		return intFR(n) + " " + one
	}
	return intFR(n) + " " + many
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// lowerFirst lower-cases the first letter of s ("Électrotechnique" →
// "électrotechnique"), rune-aware.
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
