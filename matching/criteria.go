package matching

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Default supply-chain decay distances, in kilometres, for a project that
// names no sector and sets none (DESIGN.md); sector profiles set their own.
const (
	SupplyNearKm = 25
	SupplyFarKm  = 300
)

// Labour model (DESIGN.md, "Labour"). The pool of people a plant can
// hire within LabourRadiusKm is the unemployed plus the share of the
// employed who change employer within a year; the other employers of the
// pool take their own lasting hires from it in the same year. What is
// left, per opening of the project, says whether the area can staff it:
// the score rises steeply up to LabourStaffedRatio candidates per opening
// (the project can be staffed) and only gently beyond (a deeper pool eases
// turnover and growth, but unemployment beyond what the project needs is
// not a reason to go there).
const (
	// LabourMobility is the share of the employed people of a pool who
	// change employer within a year and so can be hired away (an order of
	// magnitude: about one in twenty).
	LabourMobility = 0.05
	// LabourCompetingHires is the lasting hires (growth and replacement
	// of retirements) the other employers of a pool make in a year, per
	// employed person (an order of magnitude: about one in twenty).
	LabourCompetingHires = 0.05
	// LabourRatioLow candidates left per opening or fewer score 0: the
	// project would need one in two of them.
	LabourRatioLow = 2
	// LabourStaffedRatio candidates left per opening score
	// LabourStaffedScore: the project takes one in twenty of the people
	// available to it, which recruiters reach with ordinary means (job
	// fairs, France Travail, agencies) in a year. A 200-job plant in a
	// pool of 45,000 active people at 10 % unemployment (about 100,000
	// inhabitants) is there.
	LabourStaffedRatio = 20
	// LabourStaffedScore is the score of a pool that can staff the
	// project; the remaining 0.1 rewards depth, up to LabourDeepRatio.
	LabourStaffedScore = 0.9
	// LabourDeepRatio candidates left per opening or more score 1: a
	// metropolitan labour market for the project (10,000 per opening is
	// a million for a 100-job plant: the Paris region).
	LabourDeepRatio = 10_000
)

// JobsPerLycee is how many jobs one vocational lycée nearby is expected to
// serve: a project of n jobs wants ⌈n/50⌉ lycées (in weight, LyceeWeight).
const JobsPerLycee = 50

// Territory bonuses.
const (
	TerritoryTI    = 0.4  // in a Territoire d'industrie
	TerritoryFRR   = 0.2  // × FRRScore of the commune's France ruralités revitalisation class (frr.go)
	TerritoryACV   = 0.25 // an Action Cœur de Ville town within 20 km
	TerritorySite  = 0.15 // a turnkey site, or a brownfield without project
	StatusNoProjet = "friche sans projet"
)

// partner is a supplier or customer resolved to a point.
type partner struct {
	Name     string
	Role     string // "supplier" or "customer"
	Commune  string // INSEE code when placed at a commune
	Point    orb.Point
	Weight   float64
	unit     geo.Unit
	explicit bool
	landmass string // "" when at sea
}

// chord2 returns the squared chord between two unit vectors.
func chord2(u, v geo.Unit) float64 {
	dx, dy, dz := u.X-v.X, u.Y-v.Y, u.Z-v.Z
	return dx*dx + dy*dy + dz*dz
}

// arcKm turns a squared chord into a great-circle distance in kilometres,
// the same formula as geo.DistanceKm (θ = 2·asin(c/2)).
func arcKm(c2 float64) float64 {
	return 2 * geo.EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(c2)/2))
}

// bandArcKm is arcKm for a chord of an arc of at most 300 km (x = c/2 <
// 0.0236), by the series of asin up to x⁹: the first term left out,
// 63x¹¹/2816, is below 1e-18 of x, under float64 rounding.
func bandArcKm(c2 float64) float64 {
	x := math.Sqrt(c2) / 2
	x2 := x * x
	return 2 * geo.EarthRadiusKm * x * (1 + x2*(1.0/6+x2*(3.0/40+x2*(15.0/336+x2*(105.0/3456)))))
}

// asinCoef are the coefficients of the series asin x = Σ aₖ·x^(2k+1),
// aₖ = (2k)! / (4ᵏ·(k!)²·(2k+1)).
var asinCoef = func() []float64 {
	a := make([]float64, maxSeriesTerms+1)
	c := 1.0 // (2k)! / (4ᵏ·(k!)²)
	for k := range a {
		if k > 0 {
			c *= float64(2*k-1) / float64(2*k)
		}
		a[k] = c / float64(2*k+1)
	}
	return a
}()

// maxSeriesTerms bounds the asin series; a band whose far end needs more
// terms takes math.Asin.
const maxSeriesTerms = 16

// seriesTerms is how many terms of the asin series give the arc of any
// chord up to that of farKm to float64 rounding: the first term left out,
// aₙ·x^(2n+1), is below 2⁻⁵⁵ of x. 0 when more than maxSeriesTerms would
// be needed.
func seriesTerms(farKm float64) int {
	x := math.Sqrt(chord2Of(math.Min(farKm, math.Pi*geo.EarthRadiusKm))) / 2
	x2, p := x*x, 1.0
	for n := 1; n <= maxSeriesTerms; n++ {
		p *= x2
		if asinCoef[n]*p < 0x1p-55 {
			return n
		}
	}
	return 0
}

// chord2Of is the squared chord of an arc of km kilometres.
func chord2Of(km float64) float64 {
	c := 2 * math.Sin(km/(2*geo.EarthRadiusKm))
	return c * c
}

// supplyBand is a supply-chain decay, decay(d, near, far), compiled for
// the chord-based inner loop: the chord orders distances as the arc does,
// so a partner is compared by chord with the band's ends and the arc is
// taken only inside the band, by as many terms of the asin series as that
// band's far end needs to be exact to float64 rounding.
type supplyBand struct {
	near, far     float64 // kilometres
	nearC2, farC2 float64
	terms         int // asin series terms; 0: math.Asin
	// For the pruning bound (supplyBound): the near chord, and a chord
	// beyond which a chord less a relative 1e-9 is still beyond far.
	nearC, farCUp float64
}

func newSupplyBand(near, far float64) supplyBand {
	b := supplyBand{near: near, far: far, nearC2: chord2Of(near), farC2: chord2Of(far), terms: seriesTerms(far)}
	b.nearC, b.farCUp = math.Sqrt(b.nearC2), math.Sqrt(b.farC2/(1-1e-9))*(1+1e-9)
	return b
}

// defaultBand is the band of a project that names no sector.
var defaultBand = newSupplyBand(SupplyNearKm, SupplyFarKm)

// arcKm is the arc of a chord inside the band.
func (b *supplyBand) arcKm(c2 float64) float64 {
	switch {
	case b.terms == 0:
		return arcKm(c2)
	case b.terms <= 5:
		return bandArcKm(c2)
	}
	x := math.Sqrt(c2) / 2
	x2, s := x*x, 0.0
	for k := b.terms - 1; k >= 0; k-- {
		s = asinCoef[k] + x2*s
	}
	return 2 * geo.EarthRadiusKm * x * s
}

// decayChord is decay(d, near, far) for the arc whose squared chord is
// c2 (chord2 of the two unit vectors).
func (b *supplyBand) decayChord(c2 float64) float64 {
	switch {
	case c2 <= b.nearC2:
		return 1
	case c2 >= b.farC2:
		return 0
	}
	return geo.Decay(b.arcKm(c2), b.near, b.far)
}

// supplyChainScore is Σ wᵢ·decay(dᵢ, near, far) / Σ wᵢ over the partners.
func supplyChainScore(site geo.Unit, ps []partner, b *supplyBand) float64 {
	var num, den float64
	for i := range ps {
		num += ps[i].Weight * b.decayChord(chord2(site, ps[i].unit))
		den += ps[i].Weight
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// CentralityScore is the supply-chain score of a site whose weighted mean
// distance to the partners is meanKm, when the best eligible site's is
// bestKm: clamp(2 − meanKm / max(bestKm, nearKm), 0, 1). Each 1 % of
// extra tonne-km over the optimum costs 1 % of the score, and twice the
// optimum scores 0; a mean within nearKm (the sector's "next door") is as
// good as the optimum, so that partners all in one place do not make a
// site a few kilometres off score 0.
func CentralityScore(meanKm, bestKm, nearKm float64) float64 {
	ref := math.Max(bestKm, nearKm)
	if ref <= 0 {
		if meanKm <= 0 {
			return 1
		}
		return 0
	}
	return clamp01(2 - meanKm/ref)
}

// meanPartnerKm is Σ wᵢ·dᵢ / Σ wᵢ, the weighted mean great-circle
// distance from a unit vector to the partners (0 without weight).
func meanPartnerKm(site geo.Unit, ps []partner) float64 {
	var num, den float64
	for i := range ps {
		num += ps[i].Weight * arcKm(chord2(site, ps[i].unit))
		den += ps[i].Weight
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// TransportScore is Σ mₖ·decay(dₖ, nearₖ, farₖ) / Σ mₖ over the modes with
// importance mₖ > 0, nearest and importance indexed like TransportModes; a
// mode without a node scores 0.
func TransportScore(nearest []NodeRef, importance []float64) float64 {
	var num, den float64
	for m, w := range importance {
		if w <= 0 {
			continue
		}
		den += w
		if nearest[m].Index >= 0 {
			num += w * TransportModes[m].Decay(nearest[m].Km)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// modeTerm is one wanted mode of a query, for the scoring loop.
type modeTerm struct {
	m                 int // index into TransportModes
	weight, near, far float64
}

// transportScore is TransportScore over a query's wanted modes.
func transportScore(nearest []NodeRef, terms []modeTerm, den float64) float64 {
	var num float64
	for _, t := range terms {
		if n := nearest[t.m]; n.Index >= 0 {
			num += t.weight * geo.Decay(n.Km, t.near, t.far)
		}
	}
	return num / den
}

// LabourPool is the people a plant can hire in a pool of active people
// of whom unemployed are unemployed: unemployed + LabourMobility·employed.
func LabourPool(active, unemployed int) float64 {
	return float64(unemployed) + LabourMobility*float64(max(0, active-unemployed))
}

// LabourCompeting is the other employers' lasting hires in the pool in a
// year: LabourCompetingHires·employed.
func LabourCompeting(active, unemployed int) float64 {
	return LabourCompetingHires * float64(max(0, active-unemployed))
}

// LabourRatio is the candidates left per opening of the project: (pool −
// competing hires) / jobs, 0 without jobs. With LabourMobility equal to
// LabourCompetingHires it is the unemployed per opening: the employed who
// move fill the other employers' hires.
func LabourRatio(active, unemployed, jobs int) float64 {
	return labourRatio(LabourPool(active, unemployed), LabourCompeting(active, unemployed), jobs)
}

func labourRatio(pool, competing float64, jobs int) float64 {
	if jobs <= 0 {
		return 0
	}
	return math.Max(0, pool-competing) / float64(jobs)
}

// LabourScore is the labour score of r = LabourRatio, piecewise
// logarithmic and continuous: 0 up to 2 candidates per opening,
// 0.9·ln(r/2)/ln(20/2) up to 20 (the project can be staffed), then
// 0.9 + 0.1·ln(r/20)/ln(10,000/20), 1 from 10,000. More unemployed never
// lowers it, more jobs never raises it.
func LabourScore(active, unemployed, jobs int) float64 {
	if jobs <= 0 {
		return 0
	}
	return labourScoreOf(LabourRatio(active, unemployed, jobs))
}

func labourScoreOf(r float64) float64 {
	switch {
	case r <= LabourRatioLow:
		return 0
	case r < LabourStaffedRatio:
		return LabourStaffedScore * math.Log(r/LabourRatioLow) / lnStaffSpan
	case r < LabourDeepRatio:
		return LabourStaffedScore + (1-LabourStaffedScore)*math.Log(r/LabourStaffedRatio)/lnDeepSpan
	}
	return 1
}

var (
	lnStaffSpan = math.Log(LabourStaffedRatio / LabourRatioLow)
	lnDeepSpan  = math.Log(LabourDeepRatio / LabourStaffedRatio)
)

// Training model (DESIGN.md, "Training"): every vocational lycée within
// TrainingRadiusKm counts with a weight falling with its distance,
// decay(d, TrainingNearKm, TrainingRadiusKm), so that no lycée drops out at
// a cliff; a project wants max(1, ⌈jobs/50⌉) of them in weight.
const (
	// TrainingNearKm: a lycée up to here counts fully (its leavers and
	// apprentices commute); at 30 km it counts half, at TrainingRadiusKm
	// not at all.
	TrainingNearKm = 15
)

// LyceeWeight is decay(km, TrainingNearKm, TrainingRadiusKm).
func LyceeWeight(km float64) float64 { return geo.Decay(km, TrainingNearKm, TrainingRadiusKm) }

// LyceesNeeded is max(1, ⌈jobs/50⌉).
func LyceesNeeded(jobs int) int { return max(1, (jobs+JobsPerLycee-1)/JobsPerLycee) }

// PupilsFullFamily is the pupils of a trade family from which a lycée
// counts fully for it: 50, about the median of the families the constat
// de rentrée counts in a lycée (51; quartiles 29 and 85), two classes of a
// trade. A lycée with fewer counts pupils/50 of itself.
const PupilsFullFamily = 50

// LyceeFamilyShare is how much of itself a lycée counts for a trade family
// (before its distance weight): for a lycée whose trades come from its
// course offer (data.TradesByCourses), min(1, pupils/PupilsFullFamily),
// 0 when it does not teach the family; for one whose trades come from its
// name, 1 for a family it names, else unknown; for one without known
// trades, unknown. An unknown family counts at share, the mean of the
// course-based lycées' shares for it (what a lycée of the constat brings
// to that family on average).
func LyceeFamilyShare(l *data.Lycee, family string, share float64) float64 {
	switch l.TradesSource {
	case data.TradesByCourses:
		return math.Min(1, float64(l.PupilsIn(family))/PupilsFullFamily)
	case data.TradesByName:
		if slices.Contains(l.Trades, family) {
			return 1
		}
	}
	return share
}

// TrainingScore is the training score from the lycées' weights: without
// requested trades, min(1, Σ wᵢ / need); with W requested families, the
// mean over them of min(1, T_f / (need/W)), where T_f = Σ wᵢ·u_if, u_if
// the lycée's LyceeFamilyShare for f, wᵢ = LyceeWeight(dᵢ) and need =
// LyceesNeeded(jobs): the lycées a project wants are shared among its
// trades (a 350-job plant asking for four trades wants 7 lycées' worth of
// leavers in all, not 7 in each). taught holds T_f per requested family. A family no
// lycée nearby teaches lowers the score without multiplying it by 0, and
// every term is continuous in the distances and the pupils (no cliff).
func TrainingScore(weight float64, taught []float64, jobs int) float64 {
	need := float64(LyceesNeeded(jobs))
	if len(taught) == 0 {
		return math.Min(1, weight/need)
	}
	var s float64
	perFamily := need / float64(len(taught))
	for _, t := range taught {
		s += math.Min(1, t/perFamily)
	}
	return s / float64(len(taught))
}

// trainingScore is TrainingScore over a candidate's precomputed weights for
// a query's trade families (indexes into data.TradeFamilies).
func trainingScore(c *Candidate, families []int, need float64) float64 {
	if len(families) == 0 {
		return math.Min(1, c.lyceeWeight/need)
	}
	var s float64
	perFamily := need / float64(len(families))
	for _, f := range families {
		s += math.Min(1, c.tradeWeight[f]/perFamily)
	}
	return s / float64(len(families))
}

// familyShares returns, per trade family, the mean LyceeFamilyShare of the
// lycées whose trades come from their course offer: what a lycée of
// unknown trades counts for the family.
func familyShares(lycees []data.Lycee) []float64 {
	shares := make([]float64, len(data.TradeFamilies))
	n := 0
	for i := range lycees {
		l := &lycees[i]
		if l.TradesSource != data.TradesByCourses {
			continue
		}
		n++
		for f, fam := range data.TradeFamilies {
			shares[f] += LyceeFamilyShare(l, fam.ID, 0)
		}
	}
	for f := range shares {
		if n > 0 {
			shares[f] /= float64(n)
		}
	}
	return shares
}

// Land margin (DESIGN.md, "Land"): the room to extend a plot must leave
// beyond the project's need for a full score. A small plant often doubles
// within ten years, so up to LandSmallHa it wants twice its need; a very
// large project (a gigafactory, an electrolyser park) is planned in phases
// up to its full size and wants a reserve, not a second plant: from
// LandLargeHa, a quarter more. Between, the margin falls linearly with the
// logarithm of the need (0.64 at 30 ha, 0.48 at 50 ha).
const (
	LandSmallHa, LandMarginSmall = 10.0, 1.0
	LandLargeHa, LandMarginLarge = 100.0, 0.25
)

// LandMargin is the margin of a need of needHa: LandMarginSmall up to
// LandSmallHa, LandMarginLarge from LandLargeHa, linear in log(need)
// between.
func LandMargin(needHa float64) float64 {
	switch {
	case needHa <= LandSmallHa:
		return LandMarginSmall
	case needHa >= LandLargeHa:
		return LandMarginLarge
	}
	t := math.Log(needHa/LandSmallHa) / math.Log(LandLargeHa/LandSmallHa)
	return LandMarginSmall + t*(LandMarginLarge-LandMarginSmall)
}

// LandFullHa is the area that scores 1 for a need: need·(1 + LandMargin).
// It rises with the need.
func LandFullHa(needHa float64) float64 { return needHa * (1 + LandMargin(needHa)) }

// LandScore is clamp(area / LandFullHa(need), 0, 1) when the area is known
// (room to extend), 0.5 when it is not.
func LandScore(s *data.Site, needHa float64) float64 {
	if !s.AreaKnown {
		return 0.5
	}
	return clamp01(s.AreaHa / LandFullHa(needHa))
}

// TerritoryScore is 0.4·[in a Territoire d'industrie] + 0.2·FRRScore(the
// commune's FRR class) + 0.25·[an Action Cœur de Ville town within 20 km] +
// 0.15·[a turnkey site, or a brownfield without project].
func TerritoryScore(c *Candidate) float64 {
	s := 0.0
	if c.Commune.TI != "" {
		s += TerritoryTI
	}
	s += TerritoryFRR * FRRScore(c.Commune.FRR)
	if c.ACV >= 0 {
		s += TerritoryACV
	}
	if readySite(&c.Site) {
		s += TerritorySite
	}
	return s
}

func readySite(s *data.Site) bool {
	return s.Kind == data.KindTurnkey || (s.Kind == data.KindBrownfield && s.Status == StatusNoProjet)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }
