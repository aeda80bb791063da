// Package wire owns the JSON shapes of sitematch's API (docs/CONTRACT.md):
// each wire type with its one conversion from the domain types of package
// matching (NewMatchResponse, NewSiteJSON, …), and the resolutions every
// caller shares before the engine (CanonicalProject, Shortlist). It knows
// no HTTP: package api serves these shapes, the command line prints them;
// the requests are decoded into the domain types by package api.
package wire

import (
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
