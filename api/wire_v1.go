package api

import (
	"cmp"
	"maps"
	"slices"

	"github.com/paulmach/orb/geojson"

	"sitematch/data"
	"sitematch/matching"
)

// newCriteriaJSON converts the criteria of one scored site, as a match
// result holds them.
func newCriteriaJSON(crs []matching.CriterionResult) map[string]CriterionJSON {
	out := make(map[string]CriterionJSON, len(crs))
	for _, c := range crs {
		out[c.ID] = CriterionJSON{Score: round(c.Score, 4), Weight: round(c.Weight, 4),
			Contribution: round(c.Contribution, 2), Detail: detailJSON(c.Detail), Explain: c.Explain}
	}
	return out
}

func gapTexts() []string {
	out := make([]string, len(data.Gaps))
	for i, g := range data.Gaps {
		out[i] = g.Text
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ComparedJSON is one site of a comparison.
type ComparedJSON struct {
	Rank       int                      `json:"rank"`
	Site       SiteJSON                 `json:"site"`
	Score      float64                  `json:"score"`
	Criteria   map[string]CriterionJSON `json:"criteria"`
	ExcludedBy *string                  `json:"excluded_by"`
}

// CompareResponse is the answer of POST /v1/compare: the sites in the
// order requested, each with its rank among them, its score and every
// criterion, and the hard constraint it breaks (excluded_by, null when
// none: a comparison scores the named sites even when a match would
// exclude them).
type CompareResponse struct {
	DataVersion   string         `json:"data_version"`
	Project       ProjectJSON    `json:"project"`
	Criteria      []string       `json:"criteria"`
	NotApplicable []string       `json:"not_applicable"`
	Sites         []ComparedJSON `json:"sites"`
	CoverageGaps  []string       `json:"coverage_gaps"`
}

// NewCompareResponse converts a comparison for the wire.
func NewCompareResponse(cmp *matching.Comparison, cat *data.Catalogue) CompareResponse {
	out := CompareResponse{DataVersion: cmp.DataVersion, Project: NewProjectJSON(cmp.Project),
		NotApplicable: nonNil(cmp.NotApplicable), CoverageGaps: gapTexts(), Sites: []ComparedJSON{}, Criteria: []string{}}
	for _, c := range matching.Criteria {
		if !slices.Contains(cmp.NotApplicable, c) {
			out.Criteria = append(out.Criteria, c)
		}
	}
	for _, s := range cmp.Sites {
		cj := ComparedJSON{Rank: s.Rank, Site: NewSiteJSON(s.Candidate, cat), Score: round(s.Score, 2),
			Criteria: newCriteriaJSON(s.Criteria)}
		if s.ExcludedBy != "" {
			ex := s.ExcludedBy
			cj.ExcludedBy = &ex
		}
		out.Sites = append(out.Sites, cj)
	}
	return out
}

// SectorFitJSON is how a pair of sites serves one sector.
type SectorFitJSON struct {
	Sector string  `json:"sector"`
	ScoreA float64 `json:"score_a"`
	ScoreB float64 `json:"score_b"`
	Best   string  `json:"best"`
}

// PairJSON is a pair of sites of a shortlist. A and B are the site ids
// (the shape of `sitematch shortlist --json`); SiteA and SiteB the sites.
type PairJSON struct {
	A       string          `json:"a"`
	B       string          `json:"b"`
	SiteA   SiteJSON        `json:"site_a"`
	SiteB   SiteJSON        `json:"site_b"`
	Value   float64         `json:"value"`
	Backup  float64         `json:"backup"`
	Km      float64         `json:"km"`
	Sectors []SectorFitJSON `json:"sectors"`
	Explain string          `json:"explain"`
}

// RegionRef names a région.
type RegionRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ShortlistResponse is the answer of POST /v1/shortlist: the recommended
// pair (null when no two sites qualify) and the runner-up pairs.
type ShortlistResponse struct {
	DataVersion string     `json:"data_version"`
	Region      RegionRef  `json:"region"`
	Kinds       []string   `json:"kinds"`
	Sectors     []string   `json:"sectors"`
	MinKm       float64    `json:"min_km"`
	Considered  int        `json:"considered"`
	Scored      int        `json:"scored"`
	Best        *PairJSON  `json:"best"`
	RunnersUp   []PairJSON `json:"runners_up"`
	Explain     string     `json:"explain"`
}

// NewShortlistResponse converts a shortlist for the wire.
func NewShortlistResponse(sl *matching.Shortlist, cat *data.Catalogue) ShortlistResponse {
	pair := func(p *matching.Pair) PairJSON {
		out := PairJSON{A: p.A.Site.ID, B: p.B.Site.ID, SiteA: NewSiteJSON(p.A, cat), SiteB: NewSiteJSON(p.B, cat),
			Value: round(p.Value, 2), Backup: round(p.Backup, 2), Km: p.Km, Explain: p.Explain, Sectors: []SectorFitJSON{}}
		for _, f := range p.Sectors {
			out.Sectors = append(out.Sectors, SectorFitJSON{f.Sector, round(f.ScoreA, 2), round(f.ScoreB, 2), f.Best})
		}
		return out
	}
	out := ShortlistResponse{DataVersion: sl.DataVersion, Region: RegionRef{sl.Region.Code, sl.Region.Name},
		Kinds: nonNil(slices.Clone(sl.Kinds)), Sectors: []string{}, MinKm: sl.MinKm, Considered: sl.Considered,
		Scored: sl.Scored, RunnersUp: []PairJSON{}, Explain: sl.Explain}
	for _, p := range sl.Sectors {
		out.Sectors = append(out.Sectors, p.ID)
	}
	if sl.Best != nil {
		b := pair(sl.Best)
		out.Best = &b
	}
	for i := range sl.RunnersUp {
		out.RunnersUp = append(out.RunnersUp, pair(&sl.RunnersUp[i]))
	}
	return out
}

// NodeJSON is the nearest node of a transport layer.
type NodeJSON struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Class string  `json:"class,omitempty"`
	Lon   float64 `json:"lon"`
	Lat   float64 `json:"lat"`
	Km    float64 `json:"km"`
}

// LyceeJSON is a vocational lycée near a site.
type LyceeJSON struct {
	UAI     string   `json:"uai"`
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Sector  string   `json:"sector"`
	Commune string   `json:"commune"`
	Km      float64  `json:"km"`
	Trades  []string `json:"trades"`
}

// SiteFeaturesJSON are the features the engine precomputes for a site.
type SiteFeaturesJSON struct {
	// Transport holds every mode; null when its layer is empty.
	Transport map[string]*NodeJSON `json:"transport"`
	Labour    struct {
		RadiusKm   float64 `json:"radius_km"`
		Active     int     `json:"active"`
		Unemployed int     `json:"unemployed"`
		Communes   int     `json:"communes"`
	} `json:"labour"`
	Training struct {
		RadiusKm float64     `json:"radius_km"`
		Count    int         `json:"count"`
		Trades   []string    `json:"trades"`
		Lycees   []LyceeJSON `json:"lycees"`
	} `json:"training"`
	TerritoireIndustrie *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"territoire_industrie"`
	ACVTown *struct {
		ID      string  `json:"id"`
		Name    string  `json:"name"`
		Commune string  `json:"commune"`
		Km      float64 `json:"km"`
	} `json:"acv_town"`
	ReadySite *string `json:"ready_site"`
	// Energy is the nearest substations and poste source (mainland only).
	Energy EnergyDetailJSON `json:"energy"`
	// FRR is the commune's France ruralités revitalisation class id.
	FRR string `json:"frr"`
}

// SiteResponse is the answer of GET /v1/sites/{id}. Registry is the
// site's record in the registry as a GeoJSON Feature (the body PUT and
// PATCH take, with its version and who wrote it last); null for a town,
// which the registry does not hold.
type SiteResponse struct {
	DataVersion  string           `json:"data_version"`
	Site         SiteJSON         `json:"site"`
	Features     SiteFeaturesJSON `json:"features"`
	CoverageGaps []string         `json:"coverage_gaps"`
	Registry     *geojson.Feature `json:"registry"`
}

// NewSiteResponse converts a candidate and its precomputed features.
func NewSiteResponse(eng *matching.Engine, c *matching.Candidate) SiteResponse {
	cat := eng.Catalogue()
	out := SiteResponse{DataVersion: cat.Version, Site: NewSiteJSON(c, cat), CoverageGaps: gapTexts()}
	f := &out.Features
	f.Transport = map[string]*NodeJSON{}
	for m, mode := range matching.Modes {
		f.Transport[mode] = nil
		if n, ok := eng.Node(m, c.Nearest[m]); ok {
			f.Transport[mode] = &NodeJSON{ID: n.ID, Name: n.Name, Class: n.Class, Lon: n.Point[0], Lat: n.Point[1],
				Km: round(c.Nearest[m].Km, 1)}
		}
	}
	f.Labour.RadiusKm, f.Labour.Active, f.Labour.Unemployed, f.Labour.Communes =
		matching.LabourRadiusKm, c.Active, c.Unemployed, c.Communes
	f.Training.RadiusKm, f.Training.Count = matching.TrainingRadiusKm, len(c.Lycees)
	f.Energy, f.FRR = energyFeaturesJSON(eng, c), c.Commune.FRR
	all := make([]string, len(data.TradeFamilies))
	for i, t := range data.TradeFamilies {
		all[i] = t.ID
	}
	found, _ := eng.TradesNear(c, all)
	f.Training.Trades = nonNil(found)
	f.Training.Lycees = make([]LyceeJSON, len(c.Lycees))
	for i, r := range c.Lycees {
		l := eng.Lycee(r)
		f.Training.Lycees[i] = LyceeJSON{UAI: l.UAI, Name: l.Name, Type: l.Type, Sector: l.Sector, Commune: l.Commune,
			Km: round(r.Km, 1), Trades: nonNil(l.Trades)}
	}
	if c.Commune.TI != "" {
		f.TerritoireIndustrie = &struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}{c.Commune.TI, c.Territoire}
	}
	if c.ACV >= 0 {
		t := cat.Towns[c.ACV]
		f.ACVTown = &struct {
			ID      string  `json:"id"`
			Name    string  `json:"name"`
			Commune string  `json:"commune"`
			Km      float64 `json:"km"`
		}{t.ID, t.Name, t.Commune, round(c.ACVKm, 1)}
	}
	switch {
	case c.Site.Kind == data.KindTurnkey:
		r := "turnkey"
		f.ReadySite = &r
	case c.Site.Kind == data.KindBrownfield && c.Site.Status == matching.StatusNoProjet:
		r := "brownfield_without_project"
		f.ReadySite = &r
	}
	return out
}

// ProfileJSON is a sector profile.
type ProfileJSON struct {
	ID        string             `json:"id"`
	Label     string             `json:"label"`
	Weights   map[string]float64 `json:"weights"`
	Transport map[string]float64 `json:"transport"`
	Trades    []string           `json:"trades"`
	Jobs      int                `json:"jobs"`
	LandHa    float64            `json:"land_ha"`
	// SupplyChain is the profile's supply-chain decay.
	SupplyChain SupplyDecayJSON `json:"supply_chain"`
	Reasoning   string          `json:"reasoning"`
}

// TradeFamilyJSON is a family of industrial trades.
type TradeFamilyJSON struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Keywords []string `json:"keywords"`
}

// ModeJSON is a transport mode and its decay distances.
type ModeJSON struct {
	ID     string  `json:"id"`
	NearKm float64 `json:"near_km"`
	FarKm  float64 `json:"far_km"`
}

// ProfilesResponse is the answer of GET /v1/profiles.
type ProfilesResponse struct {
	Profiles      []ProfileJSON     `json:"profiles"`
	TradeFamilies []TradeFamilyJSON `json:"trade_families"`
	Criteria      []string          `json:"criteria"`
	Modes         []ModeJSON        `json:"modes"`
	Defaults      struct {
		Weights   map[string]float64 `json:"weights"`
		Transport map[string]float64 `json:"transport"`
	} `json:"defaults"`
}

// NewProfilesResponse lists the sector profiles, trade families, criteria
// and transport modes a project may name.
func NewProfilesResponse() ProfilesResponse {
	var out ProfilesResponse
	for _, p := range matching.Profiles {
		out.Profiles = append(out.Profiles, ProfileJSON{ID: p.ID, Label: p.Label, Weights: maps.Clone(p.Weights),
			Transport: maps.Clone(p.Transport), Trades: nonNil(slices.Clone(p.Trades)), Jobs: p.Jobs, LandHa: p.LandHa,
			SupplyChain: SupplyDecayJSON{NearKm: &p.SupplyNearKm, FarKm: &p.SupplyFarKm, Mode: cmp.Or(p.SupplyMode, matching.SupplyModeDecay)}, Reasoning: p.Reasoning})
	}
	for _, t := range data.TradeFamilies {
		out.TradeFamilies = append(out.TradeFamilies, TradeFamilyJSON{ID: t.ID, Label: t.Label, Keywords: slices.Clone(t.Keywords)})
	}
	out.Criteria = slices.Clone(matching.Criteria)
	for _, m := range matching.Modes {
		d := matching.ModeDecay[m]
		out.Modes = append(out.Modes, ModeJSON{m, d[0], d[1]})
	}
	out.Defaults.Weights = maps.Clone(matching.DefaultWeights)
	out.Defaults.Transport = maps.Clone(matching.DefaultTransport)
	return out
}

// SourceJSON is where a layer comes from (the shape of `sitematch info --json`).
type SourceJSON struct {
	Layer     string `json:"layer"`
	Rows      int    `json:"rows"`
	Publisher string `json:"publisher"`
	Licence   string `json:"licence"`
	Vintage   string `json:"vintage"`
	File      string `json:"file"`
	Origin    string `json:"origin"`
	Note      string `json:"note,omitempty"`
}

// GapJSON is a known coverage gap.
type GapJSON struct {
	Layer string `json:"layer"`
	Text  string `json:"text"`
}

// LimitsJSON are the server's request limits.
type LimitsJSON struct {
	MaxBodyBytes      int64   `json:"max_body_bytes"`
	MaxBatchBodyBytes int64   `json:"max_batch_body_bytes"`
	MaxLimit          int     `json:"max_limit"`
	MaxPartners       int     `json:"max_partners"`
	MaxDraws          int     `json:"max_draws"`
	MaxCompare        int     `json:"max_compare"`
	MaxItems          int     `json:"max_items"`
	RequestTimeoutS   float64 `json:"request_timeout_s"`
	RateLimitPerS     float64 `json:"rate_limit_per_s"`
	// The cost budgets of a match (matching.MaxScoringWork,
	// matching.MaxRobustnessWork) and the bounds of an answer.
	MaxScoringWork    int `json:"max_scoring_work"`
	MaxRobustnessWork int `json:"max_robustness_work"`
	MaxPartnerDetail  int `json:"max_partner_detail"`
	MaxErrors         int `json:"max_errors"`
	MaxBadBatchLines  int `json:"max_bad_batch_lines"`
}

// InfoResponse is `sitematch info --json` (docs/CONTRACT.md): the data
// version, the layer counts, the sources and the known coverage gaps.
type InfoResponse struct {
	DataVersion  string         `json:"data_version"`
	Layers       map[string]int `json:"layers"`
	Coverage     CoverageJSON   `json:"coverage"`
	Sources      []SourceJSON   `json:"sources"`
	CoverageGaps []GapJSON      `json:"coverage_gaps"`
}

// CoverageJSON is data.Coverage on the wire: how much of the catalogue
// carries the facts the model reads.
type CoverageJSON struct {
	Brownfields           int            `json:"brownfields"`
	BrownfieldsKnownArea  int            `json:"brownfields_known_area"`
	KnownAreaShare        float64        `json:"brownfields_known_area_share"`
	BrownfieldsUnverified int            `json:"brownfields_unverified"`
	Lycees                int            `json:"lycees"`
	LyceesByCourses       int            `json:"lycees_course_offer_trades"`
	LyceesByName          int            `json:"lycees_name_trades"`
	Communes              int            `json:"communes"`
	FRR                   map[string]int `json:"frr_classes"`
	Substations           int            `json:"substations"`
	SubstationsCapareseau int            `json:"substations_capareseau"`
	SubstationsHV         int            `json:"substations_225kv_or_more"`
}

// NewCoverageJSON converts a catalogue's coverage for the wire.
func NewCoverageJSON(c data.Coverage) CoverageJSON {
	return CoverageJSON{c.Brownfields, c.BrownfieldsKnownArea, round(c.KnownAreaShare(), 4), c.BrownfieldsUnverified,
		c.Lycees, c.LyceesByCourses, c.LyceesByName, c.Communes, c.FRR, c.Substations, c.SubstationsCapareseau, c.SubstationsHV}
}

// NewInfoResponse describes a catalogue.
func NewInfoResponse(cat *data.Catalogue) InfoResponse {
	out := InfoResponse{DataVersion: cat.Version, Layers: cat.Counts(), Coverage: NewCoverageJSON(cat.Coverage()),
		Sources: []SourceJSON{}, CoverageGaps: []GapJSON{}}
	for _, s := range cat.Sources {
		out.Sources = append(out.Sources, SourceJSON{s.Layer, s.Rows, s.Publisher, s.Licence, s.Vintage, s.File, s.Origin, s.Note})
	}
	for _, g := range data.Gaps {
		out.CoverageGaps = append(out.CoverageGaps, GapJSON{g.Layer, g.Text})
	}
	return out
}

// MetaResponse is the answer of GET /v1/meta: `sitematch info --json`
// (InfoResponse, its members first) with the kinds, the number of
// candidates and the server's limits.
type MetaResponse struct {
	InfoResponse
	Kinds      []string   `json:"kinds"`
	Candidates int        `json:"candidates"`
	Limits     LimitsJSON `json:"limits"`
}

// NewMetaResponse describes the catalogue behind an engine.
func NewMetaResponse(eng *matching.Engine, limits LimitsJSON) MetaResponse {
	return MetaResponse{InfoResponse: NewInfoResponse(eng.Catalogue()), Kinds: slices.Clone(data.Kinds),
		Candidates: len(eng.Candidates()), Limits: limits}
}
