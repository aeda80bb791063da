package wire

import (
	"cmp"
	"maps"
	"slices"

	"sitematch/data"
	"sitematch/matching"
)

// ProfileJSON is a sector profile.
type ProfileJSON struct {
	ID        string             `json:"id"`
	Label     string             `json:"label"`
	Weights   map[string]float64 `json:"weights"`
	Transport map[string]float64 `json:"transport"`
	Trades    []string           `json:"trades"`
	NAF       []string           `json:"naf"`
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

// RequirementJSON is what one criterion needs to apply
// (matching.Requirement): the project's inputs, all needed, and the sites
// it applies to ("mainland"; absent: every site).
type RequirementJSON struct {
	Criterion string   `json:"criterion"`
	Requires  []string `json:"requires"`
	Sites     string   `json:"sites,omitempty"`
}

// ProfilesResponse is the answer of GET /v1/profiles.
type ProfilesResponse struct {
	Profiles      []ProfileJSON     `json:"profiles"`
	TradeFamilies []TradeFamilyJSON `json:"trade_families"`
	Criteria      []string          `json:"criteria"`
	// Requirements says, per criterion in Criteria's order, when it applies.
	Requirements []RequirementJSON `json:"requirements"`
	Modes        []ModeJSON        `json:"modes"`
	Defaults     struct {
		Weights   map[string]float64 `json:"weights"`
		Transport map[string]float64 `json:"transport"`
		// SevesoWeights are the weights a project declared Seveso gets
		// unless its own weights set them.
		SevesoWeights map[string]float64 `json:"seveso_weights"`
		// MaxPerCommune is how many results one commune may hold.
		MaxPerCommune int `json:"max_per_commune"`
	} `json:"defaults"`
}

// NewProfilesResponse lists the sector profiles, trade families, criteria
// and transport modes a project may name.
func NewProfilesResponse() ProfilesResponse {
	var out ProfilesResponse
	for _, p := range matching.Profiles {
		out.Profiles = append(out.Profiles, ProfileJSON{ID: p.ID, Label: p.Label, Weights: maps.Clone(p.Weights),
			Transport: maps.Clone(p.Transport), Trades: NonNil(slices.Clone(p.Trades)), NAF: NonNil(slices.Clone(p.NAF)), Jobs: p.Jobs, LandHa: p.LandHa,
			SupplyChain: SupplyDecayJSON{NearKm: &p.SupplyNearKm, FarKm: &p.SupplyFarKm, Mode: cmp.Or(p.SupplyMode, matching.SupplyModeDecay)}, Reasoning: p.Reasoning})
	}
	for _, t := range data.TradeFamilies {
		out.TradeFamilies = append(out.TradeFamilies, TradeFamilyJSON{ID: t.ID, Label: t.Label, Keywords: slices.Clone(t.Keywords)})
	}
	out.Criteria = slices.Clone(matching.Criteria)
	for _, r := range matching.Requirements() {
		out.Requirements = append(out.Requirements, RequirementJSON{r.ID, r.Requires, r.Sites})
	}
	for _, m := range matching.Modes {
		d := matching.ModeDecay[m]
		out.Modes = append(out.Modes, ModeJSON{m, d[0], d[1]})
	}
	out.Defaults.Weights = maps.Clone(matching.DefaultWeights)
	out.Defaults.Transport = maps.Clone(matching.DefaultTransport)
	out.Defaults.SevesoWeights = map[string]float64{matching.SevesoPlatform: matching.SevesoPlatformWeight}
	out.Defaults.MaxPerCommune = matching.DefaultMaxPerCommune
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
	// MaxDetailedResults: the results of a match carrying details.
	MaxDetailedResults int `json:"max_detailed_results"`
	MaxErrors          int `json:"max_errors"`
	MaxBadBatchLines   int `json:"max_bad_batch_lines"`
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
	return CoverageJSON{c.Brownfields, c.BrownfieldsKnownArea, Round(c.KnownAreaShare(), 4), c.BrownfieldsUnverified,
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
