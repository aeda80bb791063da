package wire

import (
	"slices"

	"sitematch/data"
	"sitematch/matching"
)

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
	// cannot have (today energy, off the mainland); those of the whole
	// project are in MatchResponse.NotApplicable.
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
	// DetailedResults is how many results, the first, carry their
	// criteria's detail (MaxDetailedResults at most); the others have
	// detail null.
	DetailedResults int      `json:"detailed_results"`
	CoverageGaps    []string `json:"coverage_gaps"`
}

// MaxDetailedResults is how many results of a match, the best, carry each
// criterion's detail (the numbers behind its explanation: partners,
// nodes, lycées…); the results ranked below keep their scores, weights,
// contributions and French explanations, with detail null, so that an
// answer's size does not grow with limit × detail (a site's detail is one
// POST /v1/compare away). 100 is the most results the web page asks for.
const MaxDetailedResults = 100

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
	for i, rk := range r.Results {
		res := ResultJSON{Rank: rk.Rank, Site: NewSiteJSON(rk.Candidate, cat), Score: Round(rk.Score, 2),
			Criteria: map[string]CriterionJSON{}, Twins: rk.Twins}
		for _, f := range rk.Flags {
			res.Flags = append(res.Flags, FlagJSON{ID: f.ID, Explain: f.Explain})
		}
		detailed := i < MaxDetailedResults
		for _, c := range rk.Criteria {
			cj := CriterionJSON{Score: Round(c.Score, 4), Weight: Round(c.Weight, 4),
				Contribution: Round(c.Contribution, 2), Explain: c.Explain}
			if detailed {
				cj.Detail = detailJSON(c.Detail)
			}
			res.Criteria[c.ID] = cj
		}
		if detailed {
			out.DetailedResults++
		}
		res.NotApplicable = resultNotApplicable(rk.Criteria, r.NotApplicable)
		if rb := rk.Robustness; rb != nil {
			res.Robustness = &RobustnessJSON{PTopK: Round(rb.PTopK, 3), RankP5: rb.RankP5, RankP95: rb.RankP95}
			out.Robustness = &RobustnessInfoJSON{Draws: rb.Draws, Seed: rb.Seed, K: rb.K, WeightSpread: matching.WeightSpread,
				Method: RobustnessMethod}
		}
		out.Results = append(out.Results, res)
	}
	return out
}

// RobustnessMethod says how the robustness draws are made.
const RobustnessMethod = "each criterion weight multiplied by a factor drawn uniformly in [1-spread, 1+spread], seeded; the uncertain inputs drawn too (a site of unknown area drops out of a draw unless its area passes with the probability of its kind and type, an unverified record unless it passes with probability 0.5); the best sites re-ranked per draw"

// resultNotApplicable lists the criteria of the model a result has not
// scored that the project as a whole does not leave out (projectNA), in
// the model's order; nil when none.
func resultNotApplicable(crs []matching.CriterionResult, projectNA []string) []string {
	var out []string
	for _, id := range matching.Criteria {
		if !slices.ContainsFunc(crs, func(c matching.CriterionResult) bool { return c.ID == id }) && !slices.Contains(projectNA, id) {
			out = append(out, id)
		}
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
	matching.Ecosystem:      wireOf(newEcosystemDetailJSON),
}

func wireOf[D matching.Detail, W any](f func(D) W) func(matching.Detail) any {
	return func(d matching.Detail) any { return f(d.(D)) }
}
