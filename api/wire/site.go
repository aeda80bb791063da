package wire

import (
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
	"sitematch/matching"
)

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
				Km: Round(c.Nearest[m].Km, 1)}
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
	f.Training.Trades = NonNil(found)
	f.Training.Lycees = make([]LyceeJSON, len(c.Lycees))
	for i, r := range c.Lycees {
		l := eng.Lycee(r)
		f.Training.Lycees[i] = LyceeJSON{UAI: l.UAI, Name: l.Name, Type: l.Type, Sector: l.Sector, Commune: l.Commune,
			Km: Round(r.Km, 1), Trades: NonNil(l.Trades)}
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
		}{t.ID, t.Name, t.Commune, Round(c.ACVKm, 1)}
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
