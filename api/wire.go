package api

import (
	"cmp"
	"math"
	"slices"

	"sitematch/data"
	"sitematch/matching"
)

// ProjectJSON is a project on the wire (CONTRACT.md, "A project").
type ProjectJSON struct {
	Name        string             `json:"name"`
	Sector      string             `json:"sector,omitempty"`
	Jobs        *int               `json:"jobs,omitempty"`
	LandHa      *float64           `json:"land_ha,omitempty"`
	Trades      []string           `json:"trades"`
	Suppliers   []PartnerJSON      `json:"suppliers"`
	Customers   []PartnerJSON      `json:"customers"`
	SupplyChain *SupplyDecayJSON   `json:"supply_chain,omitempty"`
	Transport   map[string]float64 `json:"transport"`
	Constraints ConstraintsJSON    `json:"constraints"`
	Weights     map[string]float64 `json:"weights"`
	Seveso      string             `json:"seveso,omitempty"` // "upper" or "lower": the Seveso gate applies
	NeededBy    string             `json:"needed_by,omitempty"`
}

// SupplyDecayJSON is the supply-chain decay on the wire: 1 up to near_km,
// 0 from far_km; mode "decay" (each partner by its distance) or
// "centrality" (the weighted mean distance against the best eligible
// site's).
type SupplyDecayJSON struct {
	NearKm *float64 `json:"near_km,omitempty"`
	FarKm  *float64 `json:"far_km,omitempty"`
	Mode   string   `json:"mode,omitempty"`
}

// PartnerJSON is a supplier or customer on the wire.
type PartnerJSON struct {
	Name    string   `json:"name,omitempty"`
	Commune string   `json:"commune,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
	Lat     *float64 `json:"lat,omitempty"`
	Weight  float64  `json:"weight"`
}

// ConstraintsJSON are the hard constraints on the wire.
type ConstraintsJSON struct {
	Regions          []string           `json:"regions"`
	Departements     []string           `json:"departements"`
	Kinds            []string           `json:"kinds"`
	MaxKm            map[string]float64 `json:"max_km"`
	RequireKnownArea bool               `json:"require_known_area"`
	VetoBelow        *float64           `json:"veto_below,omitempty"`
	// AllowOtherLandmass is echoed always, like require_known_area.
	AllowOtherLandmass bool `json:"allow_other_landmass"`
	// The include_* switches are echoed always: each keeps records the
	// engine leaves out by default, flagged.
	IncludeUnverified    bool `json:"include_unverified"`
	IncludeNonIndustrial bool `json:"include_non_industrial"`
	IncludeCommitted     bool `json:"include_committed"`
}

// NewProjectJSON converts a (resolved) project for the wire.
func NewProjectJSON(p matching.Project) ProjectJSON {
	partners := func(ps []matching.Partner) []PartnerJSON {
		out := make([]PartnerJSON, len(ps))
		for i, x := range ps {
			w := 1.0
			if x.Weight != nil {
				w = *x.Weight
			}
			out[i] = PartnerJSON{Name: x.Name, Commune: x.Commune, Lon: x.Lon, Lat: x.Lat, Weight: w}
		}
		return out
	}
	nz := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	mz := func(m map[string]float64) map[string]float64 {
		if m == nil {
			return map[string]float64{}
		}
		return m
	}
	var supply *SupplyDecayJSON
	if p.Supply.NearKm != nil || p.Supply.FarKm != nil || p.Supply.Mode != "" {
		supply = &SupplyDecayJSON{NearKm: p.Supply.NearKm, FarKm: p.Supply.FarKm, Mode: p.Supply.Mode}
	}
	return ProjectJSON{
		SupplyChain: supply,
		Name:        p.Name, Sector: p.Sector, Jobs: p.Jobs, LandHa: p.LandHa, Trades: nz(p.Trades),
		Suppliers: partners(p.Suppliers), Customers: partners(p.Customers),
		Transport: mz(p.Transport),
		Constraints: ConstraintsJSON{Regions: nz(p.Constraints.Regions), Departements: nz(p.Constraints.Departements),
			Kinds: nz(p.Constraints.Kinds), MaxKm: mz(p.Constraints.MaxKm),
			RequireKnownArea: p.Constraints.RequireKnownArea, VetoBelow: p.Constraints.VetoBelow,
			AllowOtherLandmass: p.Constraints.AllowOtherLandmass,
			IncludeUnverified:  p.Constraints.IncludeUnverified, IncludeNonIndustrial: p.Constraints.IncludeNonIndustrial,
			IncludeCommitted: p.Constraints.IncludeCommitted},
		Weights: mz(p.Weights), Seveso: p.Seveso,
		NeededBy: p.NeededBy,
	}
}

// CommuneRef names a commune.
type CommuneRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// SiteJSON is a candidate site on the wire.
type SiteJSON struct {
	ID                  string     `json:"id"`
	Kind                string     `json:"kind"`
	Name                string     `json:"name"`
	Lon                 float64    `json:"lon"`
	Lat                 float64    `json:"lat"`
	Commune             CommuneRef `json:"commune"`
	Departement         string     `json:"departement"`
	Region              string     `json:"region"`
	EPCI                string     `json:"epci,omitempty"`
	TerritoireIndustrie string     `json:"territoire_industrie,omitempty"`
	AreaHa              *float64   `json:"area_ha"`
	Status              string     `json:"status,omitempty"`
	Programme           string     `json:"programme,omitempty"`
	Placement           string     `json:"placement,omitempty"`
	Source              string     `json:"source"`
	SourceDetail        string     `json:"source_detail,omitempty"`
	Note                string     `json:"note,omitempty"`
	// Brownfield facts (Cartofriches) and turnkey facts, when known.
	SiteType     string `json:"site_type,omitempty"`
	ZoneType     string `json:"zone_type,omitempty"`
	Activity     string `json:"activity,omitempty"`
	Owner        string `json:"owner,omitempty"`
	Pollution    string `json:"pollution,omitempty"`
	Unverified   bool   `json:"unverified,omitempty"`
	Availability string `json:"availability,omitempty"`
	CommittedTo  string `json:"committed_to,omitempty"`
	FRR          string `json:"frr,omitempty"` // the commune's France ruralités revitalisation class
}

// NewSiteJSON converts a candidate's site for the wire; the source names the
// layer's publisher and vintage, source_detail the record's own.
func NewSiteJSON(c *matching.Candidate, cat *data.Catalogue) SiteJSON {
	s := c.Site
	out := SiteJSON{ID: s.ID, Kind: s.Kind, Name: s.Name, Lon: s.Point[0], Lat: s.Point[1],
		Commune: CommuneRef{Code: c.Commune.Code, Name: c.Commune.Name}, Departement: c.Commune.Dep, Region: c.Commune.Reg,
		EPCI: c.Commune.EPCI, TerritoireIndustrie: c.Commune.TI, Status: s.Status, Programme: s.Programme,
		Placement: s.Placement, SourceDetail: s.Source, Note: s.Note,
		SiteType: s.SiteType, ZoneType: s.ZoneType, Activity: s.Activity, Owner: s.Owner, Pollution: s.Pollution,
		Unverified: s.Unverified, Availability: s.AvailableFrom, CommittedTo: s.CommittedTo, FRR: c.Commune.FRR}
	if s.AreaKnown {
		a := s.AreaHa
		out.AreaHa = &a
	}
	if src, ok := cat.SourceOf(layerOfKind(s.Kind)); ok {
		out.Source = src.Publisher + " (" + src.Vintage + ")"
	}
	return out
}

func layerOfKind(kind string) string {
	l, _ := data.LayerOfKind(kind)
	return l.ID
}

// CriterionJSON is one criterion of a result.
type CriterionJSON struct {
	Score        float64 `json:"score"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
	Detail       any     `json:"detail"`
	Explain      string  `json:"explain"`
}

// RobustnessJSON is a result's rank stability.
type RobustnessJSON struct {
	PTopK   float64 `json:"p_top_k"`
	RankP5  int     `json:"rank_p5"`
	RankP95 int     `json:"rank_p95"`
}

// ResultJSON is one ranked site.
type ResultJSON struct {
	Rank     int                      `json:"rank"`
	Site     SiteJSON                 `json:"site"`
	Score    float64                  `json:"score"`
	Criteria map[string]CriterionJSON `json:"criteria"`
	// NotApplicable lists the criteria the project scores but this site
	// cannot have (none today: a town's land comes from its plots); those of the whole project are in
	// MatchResponse.NotApplicable.
	NotApplicable []string        `json:"not_applicable,omitempty"`
	Robustness    *RobustnessJSON `json:"robustness,omitempty"`
	// Twins are the other eligible sites at exactly the same coordinates,
	// merged into this result (ids, best first).
	Twins []string `json:"twins,omitempty"`
	// Flags are the warnings to check before relying on the site.
	Flags []FlagJSON `json:"flags,omitempty"`
}

// FlagJSON is a warning on a result.
type FlagJSON struct {
	ID      string `json:"id"`
	Explain string `json:"explain"`
}

// RobustnessInfoJSON says how the robustness figures were drawn.
type RobustnessInfoJSON struct {
	Draws        int     `json:"draws"`
	Seed         uint64  `json:"seed"`
	K            int     `json:"k"`
	WeightSpread float64 `json:"weight_spread"`
	Method       string  `json:"method"`
}

// MatchResponse is the answer of POST /v1/match and of `sitematch match --json`.
type MatchResponse struct {
	DataVersion string         `json:"data_version"`
	Project     ProjectJSON    `json:"project"`
	Considered  int            `json:"considered"`
	Eligible    int            `json:"eligible"`
	Excluded    map[string]int `json:"excluded"`
	// ExcludedSeveso counts the Seveso gate's exclusions (excluded.seveso)
	// by rule: town, site_type, zone, dense; absent without project.seveso.
	ExcludedSeveso map[string]int      `json:"excluded_seveso,omitempty"`
	NotApplicable  []string            `json:"not_applicable"`
	MaxPerCommune  int                 `json:"max_per_commune"`
	Robustness     *RobustnessInfoJSON `json:"robustness,omitempty"`
	Results        []ResultJSON        `json:"results"`
	CoverageGaps   []string            `json:"coverage_gaps"`
}

// NewMatchResponse converts a match result for the wire.
func NewMatchResponse(r *matching.Result, cat *data.Catalogue) MatchResponse {
	out := MatchResponse{DataVersion: r.DataVersion, Project: NewProjectJSON(r.Project), Considered: r.Considered,
		Eligible: r.Eligible, Excluded: r.Excluded, ExcludedSeveso: r.SevesoExcluded, NotApplicable: r.NotApplicable, MaxPerCommune: r.MaxPerCommune, Results: []ResultJSON{}}
	if out.NotApplicable == nil {
		out.NotApplicable = []string{}
	}
	for _, g := range data.Gaps {
		out.CoverageGaps = append(out.CoverageGaps, g.Text)
	}
	for _, rk := range r.Results {
		res := ResultJSON{Rank: rk.Rank, Site: NewSiteJSON(rk.Candidate, cat), Score: round(rk.Score, 2),
			Criteria: map[string]CriterionJSON{}, Twins: rk.Twins}
		for _, f := range rk.Flags {
			res.Flags = append(res.Flags, FlagJSON{ID: f.ID, Explain: f.Explain})
		}
		for _, c := range rk.Criteria {
			res.Criteria[c.ID] = CriterionJSON{Score: round(c.Score, 4), Weight: round(c.Weight, 4),
				Contribution: round(c.Contribution, 2), Detail: detailJSON(c.Detail), Explain: c.Explain}
		}
		for _, id := range matching.Criteria {
			if _, ok := res.Criteria[id]; !ok && !slices.Contains(r.NotApplicable, id) {
				res.NotApplicable = append(res.NotApplicable, id)
			}
		}
		if rb := rk.Robustness; rb != nil {
			res.Robustness = &RobustnessJSON{PTopK: round(rb.PTopK, 3), RankP5: rb.RankP5, RankP95: rb.RankP95}
			out.Robustness = &RobustnessInfoJSON{Draws: rb.Draws, Seed: rb.Seed, K: rb.K, WeightSpread: matching.WeightSpread,
				Method: "each criterion weight multiplied by a factor drawn uniformly in [1-spread, 1+spread], seeded; the uncertain inputs drawn too (a site of unknown area drops out of a draw unless its area passes with the probability of its kind and type, an unverified record unless it passes with probability 0.5); the best sites re-ranked per draw"}
		}
		out.Results = append(out.Results, res)
	}
	return out
}

// detailJSON converts a criterion's detail for the wire, by the wire
// converter of its criterion (detailWire).
func detailJSON(d matching.Detail) any {
	if d == nil {
		return nil
	}
	return detailWire[d.Criterion()](d)
}

// detailWire holds, per criterion, the converter of its detail to its wire
// type: a criterion added to matching adds its wire type here
// (TestEveryCriterionHasAWireDetail). Wire fields are in alphabetical
// order, as the JSON of a map was.
var detailWire = map[string]func(matching.Detail) any{
	matching.SupplyChain:    wireOf(newSupplyChainDetailJSON),
	matching.Transport:      wireOf(newTransportDetailJSON),
	matching.Labour:         wireOf(newLabourDetailJSON),
	matching.Training:       wireOf(newTrainingDetailJSON),
	matching.Land:           wireOf(newLandDetailJSON),
	matching.Territory:      wireOf(newTerritoryDetailJSON),
	matching.Energy:         wireOf(newEnergyDetailJSON),
	matching.SevesoPlatform: wireOf(newSevesoDetailJSON),
}

func wireOf[D matching.Detail, W any](f func(D) W) func(matching.Detail) any {
	return func(d matching.Detail) any { return f(d.(D)) }
}

// PartnerDistanceJSON is one partner seen from a site.
type PartnerDistanceJSON struct {
	Name    string  `json:"name,omitempty"`
	Role    string  `json:"role"`
	Commune string  `json:"commune,omitempty"`
	Km      float64 `json:"km"`
	Weight  float64 `json:"weight"`
	Score   float64 `json:"score"`
}

// MaxPartnerDetail is how many partners a result lists one by one, the
// nearest; the others are summarised (OtherPartnersJSON), so that an
// answer's size does not grow with limit × partners.
const MaxPartnerDetail = 10

// SupplyChainDetailJSON is the detail of the supply_chain criterion: the
// nearest MaxPartnerDetail partners, nearest first (ties in the project's
// order), and a summary of the others when there are more.
type SupplyChainDetailJSON struct {
	FarKm    float64               `json:"far_km"`
	NearKm   float64               `json:"near_km"`
	Partners []PartnerDistanceJSON `json:"partners"`
	Others   *OtherPartnersJSON    `json:"others,omitempty"`
	Mode     string                `json:"mode"`
	// By centrality: the site's weighted mean partner distance, the least
	// over the eligible sites and the site that has it.
	MeanKm     *float64 `json:"mean_km,omitempty"`
	BestMeanKm *float64 `json:"best_mean_km,omitempty"`
	BestSite   string   `json:"best_site,omitempty"`
}

// OtherPartnersJSON summarises the partners a result does not list: how
// many, their total weight, their weighted mean score and their mean
// distance (km, rounded to 0.1).
type OtherPartnersJSON struct {
	Count  int     `json:"count"`
	Weight float64 `json:"weight"`
	MeanKm float64 `json:"mean_km"`
	Score  float64 `json:"score"`
}

func newSupplyChainDetailJSON(d *matching.SupplyChainDetail) SupplyChainDetailJSON {
	order := make([]int, len(d.Partners))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(d.Partners[a].Km, d.Partners[b].Km) })
	n := min(len(order), MaxPartnerDetail)
	ps := make([]PartnerDistanceJSON, n)
	for i, k := range order[:n] {
		p := &d.Partners[k]
		ps[i] = PartnerDistanceJSON{p.Name, p.Role, p.Commune, p.Km, p.Weight, round(p.Score, 4)}
	}
	out := SupplyChainDetailJSON{FarKm: d.FarKm, NearKm: d.NearKm, Partners: ps, Mode: d.Mode}
	if d.Mode == matching.SupplyModeCentrality {
		out.MeanKm, out.BestMeanKm, out.BestSite = &d.MeanKm, &d.BestMeanKm, d.BestID
	}
	if rest := order[n:]; len(rest) > 0 {
		var km, w, ws float64
		for _, k := range rest {
			p := &d.Partners[k]
			km += p.Km
			w += p.Weight
			ws += p.Weight * p.Score
		}
		o := &OtherPartnersJSON{Count: len(rest), Weight: round(w, 4), MeanKm: round(km/float64(len(rest)), 1)}
		if w > 0 {
			o.Score = round(ws/w, 4)
		}
		out.Others = o
	}
	return out
}

// ModeDetailJSON is the nearest node of one transport mode; km is null
// when the mode has none.
type ModeDetailJSON struct {
	ID         string   `json:"id,omitempty"`
	Name       string   `json:"name,omitempty"`
	Class      string   `json:"class,omitempty"`
	Km         *float64 `json:"km"`
	Score      float64  `json:"score"`
	Importance float64  `json:"importance"`
	NearKm     float64  `json:"near_km"`
	FarKm      float64  `json:"far_km"`
}

// TransportDetailJSON is the detail of the transport criterion, by mode id.
type TransportDetailJSON map[string]ModeDetailJSON

func newTransportDetailJSON(d *matching.TransportDetail) TransportDetailJSON {
	out := TransportDetailJSON{}
	for _, m := range d.Modes {
		md := ModeDetailJSON{ID: m.ID, Name: m.Name, Class: m.Class, Score: round(m.Score, 4), Importance: m.Importance, NearKm: m.NearKm, FarKm: m.FarKm}
		if !m.Missing {
			km := m.Km
			md.Km = &km
		}
		out[m.Mode] = md
	}
	return out
}

// LabourDetailJSON is the detail of the labour criterion: the pool (the
// unemployed and the employed who change employer in a year), the
// competing hires of the other employers, and ratio, the candidates left
// per opening = (pool − competing_hires) / jobs.
type LabourDetailJSON struct {
	Active         int     `json:"active"`
	Communes       int     `json:"communes"`
	CompetingHires float64 `json:"competing_hires"`
	Jobs           int     `json:"jobs"`
	Pool           float64 `json:"pool"`
	RadiusKm       float64 `json:"radius_km"`
	Ratio          float64 `json:"ratio"`
	Unemployed     int     `json:"unemployed"`
}

func newLabourDetailJSON(d *matching.LabourDetail) LabourDetailJSON {
	return LabourDetailJSON{Active: d.Active, Communes: d.Communes, CompetingHires: d.Competing, Jobs: d.Jobs, Pool: d.Pool,
		RadiusKm: d.RadiusKm, Ratio: d.Ratio, Unemployed: d.Unemployed}
}

// LyceeNearJSON is a vocational lycée near a site, in a training detail.
type LyceeNearJSON struct {
	UAI     string   `json:"uai"`
	Name    string   `json:"name"`
	Commune string   `json:"commune"`
	Km      float64  `json:"km"`
	Weight  float64  `json:"weight"`
	Trades  []string `json:"trades"`
	Pupils  []int    `json:"pupils,omitempty"` // per entry of trades; absent when the trades come from the name
}

// TrainingDetailJSON is the detail of the training criterion: the lycées
// within radius_km, each weighing 1 up to near_km and less with distance
// (weight, their sum), for needed lycées.
type TrainingDetailJSON struct {
	Count     int                  `json:"count"`
	Matched   []string             `json:"matched"`
	NearKm    float64              `json:"near_km"`
	Nearest   []LyceeNearJSON      `json:"nearest"`
	Needed    int                  `json:"needed"`
	RadiusKm  float64              `json:"radius_km"`
	Unmatched []string             `json:"unmatched"`
	Weight    float64              `json:"weight"`
	Families  []TrainingFamilyJSON `json:"families"`
}

func newTrainingDetailJSON(d *matching.TrainingDetail) TrainingDetailJSON {
	near := make([]LyceeNearJSON, len(d.Nearest))
	for i, l := range d.Nearest {
		near[i] = LyceeNearJSON{l.UAI, l.Name, l.Commune, l.Km, l.Weight, nonNil(l.Trades), l.Pupils}
	}
	fams := make([]TrainingFamilyJSON, len(d.Families))
	for i, f := range d.Families {
		fams[i] = TrainingFamilyJSON{ID: f.ID, Lycees: f.Lycees, Pupils: f.Pupils, Weight: f.Weight}
		if n := f.Nearest; n != nil {
			ref := &LyceeRefJSON{UAI: n.UAI, Name: n.Name, Km: n.Km}
			for j, t := range n.Trades {
				if t == f.ID && j < len(n.Pupils) {
					ref.Pupils = &n.Pupils[j]
				}
			}
			fams[i].Nearest = ref
		}
	}
	return TrainingDetailJSON{Count: d.Count, Matched: nonNil(d.Matched), NearKm: d.NearKm, Nearest: near, Needed: d.Needed,
		RadiusKm: d.RadiusKm, Unmatched: nonNil(d.Unmatched), Weight: d.Weight, Families: fams}
}

// TrainingFamilyJSON is, for one requested trade family, the lycées within
// radius_km teaching it, their pupils in it, and weight, Σ distance weight ×
// min(1, pupils/50), the lycées it is worth.
type TrainingFamilyJSON struct {
	ID      string        `json:"id"`
	Lycees  int           `json:"lycees"`
	Pupils  int           `json:"pupils"`
	Weight  float64       `json:"weight"`
	Nearest *LyceeRefJSON `json:"nearest"`
}

// LyceeRefJSON names the nearest lycée teaching a family: the lycée itself
// (its trades and pupils) is in the nearest list or in the site's features,
// so a result does not repeat it per family. Pupils are those of the
// family, absent when its trades come from its name.
type LyceeRefJSON struct {
	UAI    string  `json:"uai"`
	Name   string  `json:"name"`
	Km     float64 `json:"km"`
	Pupils *int    `json:"pupils,omitempty"`
}

// LandDetailJSON is the detail of the land criterion; area_ha is null and
// flag "unknown_area" when the area is unknown.
type LandDetailJSON struct {
	AreaHa     *float64 `json:"area_ha"`
	Flag       string   `json:"flag,omitempty"`
	RequiredHa float64  `json:"required_ha"`
	// PassProbability is, for an unknown area, the share of the sample
	// known areas of its kind and type at least required_ha.
	PassProbability *float64 `json:"pass_probability,omitempty"`
	Sample          int      `json:"sample,omitempty"`
	// Plots are a town's known plots of at least required_ha within 10 km
	// (ten at most, plot_count in all); flag "town".
	Plots     []LandPlotJSON `json:"plots,omitempty"`
	PlotCount int            `json:"plot_count,omitempty"`
}

// LandPlotJSON is a plot within a town's reach.
type LandPlotJSON struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	AreaHa float64 `json:"area_ha"`
	Km     float64 `json:"km"`
}

func newLandDetailJSON(d *matching.LandDetail) LandDetailJSON {
	out := LandDetailJSON{AreaHa: d.AreaHa, Flag: d.Flag, RequiredHa: d.RequiredHa, Sample: d.Sample, PlotCount: d.PlotCount}
	if p := d.PassProbability; p != nil {
		r := round(*p, 4)
		out.PassProbability = &r
	}
	for _, p := range d.Plots {
		out.Plots = append(out.Plots, LandPlotJSON{ID: p.ID, Name: p.Name, AreaHa: p.AreaHa, Km: p.Km})
	}
	return out
}

// TerritoryDetailJSON is the detail of the territory criterion; each
// programme is null when it does not apply.
type TerritoryDetailJSON struct {
	ACVTown             *ACVTownJSON `json:"acv_town"`
	ReadySite           *string      `json:"ready_site"`
	TerritoireIndustrie *IDName      `json:"territoire_industrie"`
	FRR                 string       `json:"frr"` // France ruralités revitalisation class id
}

// ACVTownJSON is the nearest Action Cœur de Ville town of a site.
type ACVTownJSON struct {
	Km   float64 `json:"km"`
	Name string  `json:"name"`
}

// IDName is a record named by id and name.
type IDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func newTerritoryDetailJSON(d *matching.TerritoryDetail) TerritoryDetailJSON {
	out := TerritoryDetailJSON{FRR: d.FRR}
	if d.TerritoireIndustrie != "" {
		out.TerritoireIndustrie = &IDName{ID: d.TerritoireIndustrie, Name: d.TerritoireIndustrieName}
	}
	if d.ACVTown != "" {
		out.ACVTown = &ACVTownJSON{Km: d.ACVKm, Name: d.ACVTown}
	}
	if d.ReadySite != "" {
		r := d.ReadySite
		out.ReadySite = &r
	}
	return out
}

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}
