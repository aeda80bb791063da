package wire

import (
	"slices"

	"sitematch/data"
	"sitematch/matching"
)

// newCriteriaJSON converts the criteria of one scored site, as a match
// result holds them.
func newCriteriaJSON(crs []matching.CriterionResult) map[string]CriterionJSON {
	out := make(map[string]CriterionJSON, len(crs))
	for _, c := range crs {
		out[c.ID] = CriterionJSON{Score: Round(c.Score, 4), Weight: Round(c.Weight, 4),
			Contribution: Round(c.Contribution, 2), Detail: detailJSON(c.Detail), Explain: c.Explain}
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

func NonNil[T any](s []T) []T {
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
		NotApplicable: NonNil(cmp.NotApplicable), CoverageGaps: gapTexts(), Sites: []ComparedJSON{}, Criteria: []string{}}
	for _, c := range matching.Criteria {
		if !slices.Contains(cmp.NotApplicable, c) {
			out.Criteria = append(out.Criteria, c)
		}
	}
	for _, s := range cmp.Sites {
		cj := ComparedJSON{Rank: s.Rank, Site: NewSiteJSON(s.Candidate, cat), Score: Round(s.Score, 2),
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
			Value: Round(p.Value, 2), Backup: Round(p.Backup, 2), Km: p.Km, Explain: p.Explain, Sectors: []SectorFitJSON{}}
		for _, f := range p.Sectors {
			out.Sectors = append(out.Sectors, SectorFitJSON{f.Sector, Round(f.ScoreA, 2), Round(f.ScoreB, 2), f.Best})
		}
		return out
	}
	out := ShortlistResponse{DataVersion: sl.DataVersion, Region: RegionRef{sl.Region.Code, sl.Region.Name},
		Kinds: NonNil(slices.Clone(sl.Kinds)), Sectors: []string{}, MinKm: sl.MinKm, Considered: sl.Considered,
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
