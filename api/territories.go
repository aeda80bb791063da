package api

import (
	"cmp"
	"math"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/geo"
	"sitematch/matching"
)

// Territory diagnostic radii, in kilometres.
const (
	// TerritoryGridKm: substations of 225 kV or more within this distance
	// of one of the territory's commune centres count as its grid offer.
	TerritoryGridKm = 10
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

// NewTerritoryResponse builds the diagnostic of an EPCI (SIREN) or a
// Territoire d'industrie (id).
func NewTerritoryResponse(eng *matching.Engine, code string) (TerritoryResponse, error) {
	cat := eng.Catalogue()
	out := TerritoryResponse{Code: code, Transport: map[string]NearestJSON{}, Sources: map[string]string{}}
	var inTerritory func(c *data.Commune) bool
	if i := slices.IndexFunc(cat.EPCIs, func(e data.EPCI) bool { return e.SIREN == code }); i >= 0 {
		out.Kind, out.Name = "epci", cat.EPCIs[i].Name
		inTerritory = func(c *data.Commune) bool { return c.EPCI == code }
	} else if i := slices.IndexFunc(cat.Territoires, func(t data.Territoire) bool { return t.ID == code }); i >= 0 {
		out.Kind, out.Name = "territoire_industrie", cat.Territoires[i].Name
		inTerritory = func(c *data.Commune) bool { return c.TI == code }
	} else {
		return out, &NotFoundError{Param: "code", What: "territory (EPCI SIREN or Territoire d'industrie id)", Value: code}
	}
	communes := map[string]bool{}
	var points []orb.Point
	landmass := ""
	for i := range cat.Communes {
		c := &cat.Communes[i]
		if !inTerritory(c) {
			continue
		}
		communes[c.Code] = true
		points = append(points, c.Point)
		landmass = data.LandmassOf(c.Dep)
		out.Communes++
		out.Population += c.Population
		out.Labour.Active += c.Active
		out.Labour.Unemployed += c.Unemployed
	}

	// Supplier base.
	byBranch := map[string]*BranchPresenceJSON{}
	branch := func(code string) *BranchPresenceJSON {
		b := byBranch[code]
		if b == nil {
			b = &BranchPresenceJSON{Branch: code, Label: data.A38Labels[code]}
			byBranch[code] = b
		}
		return b
	}
	for _, f := range cat.Facilities {
		if communes[f.Commune] {
			branch(f.Branch).Establishments++
			out.SupplierBase.Establishments++
		}
	}
	covered := map[string]bool{}
	for _, d := range cat.JobsCoverage() {
		covered[d] = true
	}
	allCovered := out.Communes > 0
	for code := range communes {
		c, _ := cat.Commune(code)
		allCovered = allCovered && covered[c.Dep]
	}
	if allCovered {
		total := 0
		for _, j := range cat.Jobs {
			if communes[j.Commune] {
				b := branch(j.Branch)
				if b.Jobs == nil {
					b.Jobs = new(int)
				}
				*b.Jobs += j.Jobs
				total += j.Jobs
				out.SupplierBase.JobsYear = j.Year
			}
		}
		out.SupplierBase.Jobs = &total
		for _, b := range byBranch {
			if b.Jobs == nil {
				b.Jobs = new(int)
			}
		}
	}
	out.SupplierBase.Branches = []BranchPresenceJSON{}
	for _, b := range byBranch {
		out.SupplierBase.Branches = append(out.SupplierBase.Branches, *b)
	}
	jobsOf := func(b BranchPresenceJSON) int {
		if b.Jobs == nil {
			return 0
		}
		return *b.Jobs
	}
	slices.SortFunc(out.SupplierBase.Branches, func(a, b BranchPresenceJSON) int {
		return cmp.Or(cmp.Compare(jobsOf(b), jobsOf(a)), cmp.Compare(b.Establishments, a.Establishments), cmp.Compare(a.Branch, b.Branch))
	})

	// Land offer.
	out.Land.Sites = map[string]int{}
	for _, k := range data.Kinds {
		out.Land.Sites[k] = 0
	}
	for _, c := range eng.Candidates() {
		if !communes[c.Commune.Code] {
			continue
		}
		out.Land.Sites[c.Site.Kind]++
		if c.Site.AreaKnown {
			out.Land.KnownArea++
			out.Land.KnownAreaHa += c.Site.AreaHa
		}
	}
	out.Land.KnownAreaHa = wire.Round(out.Land.KnownAreaHa, 1)

	// Training.
	out.Training.Trades = map[string]int{}
	for _, l := range cat.Lycees {
		if communes[l.Commune] {
			out.Training.Lycees++
			for _, t := range l.Trades {
				out.Training.Trades[t]++
			}
		}
	}

	// Transport: the nearest node of each mode to any commune centre.
	for _, m := range matching.TransportModes {
		best, bestKm := -1, math.Inf(1)
		nodes := m.Layer(cat)
		for i, n := range nodes {
			if lm := nodeLandmass(cat, n); lm != "" && lm != landmass {
				continue
			}
			for _, p := range points {
				if d := geo.DistanceKm(p, n.Point); d < bestKm {
					best, bestKm = i, d
				}
			}
		}
		nj := NearestJSON{}
		if best >= 0 {
			km := wire.Round(bestKm, 1)
			nj = NearestJSON{ID: nodes[best].ID, Name: nodes[best].Name, Km: &km}
		}
		out.Transport[m.ID] = nj
	}

	// Grid.
	out.Grid.WithinKm = TerritoryGridKm
	for _, s := range cat.Substations {
		if s.VoltageKV < 225 {
			continue
		}
		for _, p := range points {
			if geo.DistanceKm(p, s.Point) <= TerritoryGridKm {
				out.Grid.Substations225++
				break
			}
		}
	}
	for _, e := range cat.Seveso {
		if communes[e.Commune] {
			out.Seveso++
		}
	}
	out.Gaps = []string{}
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
	return out, nil
}

// nodeLandmass is the landmass of a node's commune, "" when it names none.
func nodeLandmass(cat *data.Catalogue, n data.Node) string {
	if c, ok := cat.Commune(n.Commune); ok {
		return data.LandmassOf(c.Dep)
	}
	return ""
}

// territory answers GET /v1/territories/{code}.
func (s *Server) territory(c echo.Context) error {
	out, err := NewTerritoryResponse(s.engine(), pathParam(c, "code"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, out)
}
