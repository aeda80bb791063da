package wire

import (
	"sitematch/data"
	"sitematch/matching"
)

// TerritoryResponse is the answer of GET /v1/territories/{code}: a
// territory's supplier base by A38 branch next to its land offer, labour,
// training, transport and grid, the start of a "diagnostic sectoriel et
// local". Every figure counts the records of the territory's communes.
type TerritoryResponse struct {
	Kind     string `json:"kind"` // "epci" or "territoire_industrie"
	Code     string `json:"code"`
	Name     string `json:"name"`
	Communes int    `json:"communes"`
	// Population 2021 of its communes.
	Population   int                    `json:"population"`
	SupplierBase SupplierBaseJSON       `json:"supplier_base"`
	Land         TerritoryLandJSON      `json:"land"`
	Labour       TerritoryLabourJSON    `json:"labour"`
	Training     TerritoryTrainingJSON  `json:"training"`
	Transport    map[string]NearestJSON `json:"transport"`
	Grid         TerritoryGridJSON      `json:"grid"`
	Seveso       int                    `json:"seveso"`
	Gaps         []string               `json:"gaps"`
	Sources      map[string]string      `json:"sources"`
}

// SupplierBaseJSON is a territory's industrial fabric by A38 branch: the
// IREP large establishments (about 2015) placed in its communes and, when
// the Urssaf layer covers them, salaried jobs.
type SupplierBaseJSON struct {
	Establishments int                  `json:"establishments"`
	Jobs           *int                 `json:"jobs"` // null when the Urssaf layer does not cover the territory
	JobsYear       int                  `json:"jobs_year,omitempty"`
	Branches       []BranchPresenceJSON `json:"branches"`
}

// BranchPresenceJSON is one A38 branch of a supplier base.
type BranchPresenceJSON struct {
	Branch         string `json:"branch"`
	Label          string `json:"label"`
	Establishments int    `json:"establishments"`
	Jobs           *int   `json:"jobs"`
}

// TerritoryLandJSON is the land offer: candidate sites by kind, and those
// with a known area.
type TerritoryLandJSON struct {
	Sites       map[string]int `json:"sites"`
	KnownArea   int            `json:"known_area"`
	KnownAreaHa float64        `json:"known_area_ha"`
}

// TerritoryLabourJSON sums the territory's communes (census 2021).
type TerritoryLabourJSON struct {
	Active     int `json:"active"`
	Unemployed int `json:"unemployed"`
}

// TerritoryTrainingJSON counts the lycées of the territory and the trade
// families they teach.
type TerritoryTrainingJSON struct {
	Lycees int            `json:"lycees"`
	Trades map[string]int `json:"trades"`
}

// NearestJSON is the nearest node of a transport mode to the territory's
// communes.
type NearestJSON struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	Km   *float64 `json:"km"` // from the nearest commune centre; null when the layer has none on its landmass
}

// TerritoryGridJSON counts the substations near the territory.
type TerritoryGridJSON struct {
	Substations225 int `json:"substations_225kv_or_more"`
	WithinKm       int `json:"within_km"`
}

// NewTerritoryResponse converts a territory's profile for the wire: areas
// and distances rounded to 0.1, the coverage gaps of the layers it reads
// and their sources.
func NewTerritoryResponse(t *matching.TerritoryProfile, cat *data.Catalogue) TerritoryResponse {
	out := TerritoryResponse{Kind: t.Kind, Code: t.Code, Name: t.Name, Communes: t.Communes, Population: t.Population,
		Transport: map[string]NearestJSON{}, Sources: map[string]string{}, Gaps: []string{}}
	sb := &t.Suppliers
	out.SupplierBase = SupplierBaseJSON{Establishments: sb.Establishments, Branches: []BranchPresenceJSON{}}
	if sb.JobsKnown {
		jobs := sb.Jobs
		out.SupplierBase.Jobs, out.SupplierBase.JobsYear = &jobs, sb.JobsYear
	}
	for _, b := range sb.Branches {
		bj := BranchPresenceJSON{Branch: b.Branch, Label: b.Label, Establishments: b.Establishments}
		if sb.JobsKnown {
			jobs := b.Jobs
			bj.Jobs = &jobs
		}
		out.SupplierBase.Branches = append(out.SupplierBase.Branches, bj)
	}
	out.Land = TerritoryLandJSON{Sites: t.Sites, KnownArea: t.KnownArea, KnownAreaHa: Round(t.KnownAreaHa, 1)}
	out.Labour = TerritoryLabourJSON{Active: t.Active, Unemployed: t.Unemployed}
	out.Training = TerritoryTrainingJSON{Lycees: t.Lycees, Trades: t.Trades}
	for mode, n := range t.Nearest {
		nj := NearestJSON{}
		if n.Index >= 0 {
			km := Round(n.Km, 1)
			nj = NearestJSON{ID: n.ID, Name: n.Name, Km: &km}
		}
		out.Transport[mode] = nj
	}
	out.Grid = TerritoryGridJSON{Substations225: t.Substations225, WithinKm: matching.TerritoryGridKm}
	out.Seveso = t.Seveso
	for _, g := range data.Gaps {
		if g.Layer == "establishments" || g.Layer == "jobs" || g.Layer == "zones" || g.Layer == "seveso" {
			out.Gaps = append(out.Gaps, g.Text)
		}
	}
	for _, l := range []string{"establishments", "jobs", "communes", "training", "substations"} {
		if s, ok := cat.SourceOf(l); ok {
			out.Sources[l] = s.Publisher + " (" + s.Vintage + ")"
		}
	}
	return out
}
