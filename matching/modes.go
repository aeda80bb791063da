package matching

import (
	"sitematch/data"
	"sitematch/geo"
)

// Transport mode ids.
const (
	Motorway    = "motorway"
	RailFreight = "rail_freight"
	Station     = "station"
	Airport     = "airport"
	Port        = "port"
)

// Mode is a transport mode: its id in projects and results, its French
// label, how its score decays with the distance to its nearest node
// (DESIGN.md, "Scoring model"), the catalogue layer of its nodes and the
// coverage gap of that layer that can change a site's reading. A mode's
// index in TransportModes is its index in Candidate.Nearest; adding a mode
// is adding an entry here.
type Mode struct {
	ID     string
	Label  string  // French, as explanations name the nearest node
	NearKm float64 // full score up to this distance
	FarKm  float64 // zero from this distance
	Layer  func(*data.Catalogue) []data.Node
	// Gap returns the layer's coverage gap (French) worth stating for a
	// site whose mode scores score, "" when none.
	Gap func(score float64) string
}

// Decay is the mode's score for a nearest node km away.
func (m *Mode) Decay(km float64) float64 { return geo.Decay(km, m.NearKm, m.FarKm) }

// TransportModes are the transport modes, in a fixed order.
var TransportModes = []Mode{
	{ID: Motorway, Label: "échangeur autoroutier", NearKm: 5, FarKm: 50,
		Layer: func(c *data.Catalogue) []data.Node { return c.Interchanges },
		Gap:   whenBelow1("seul le réseau autoroutier concédé est connu, une voie express gratuite peut être plus proche")},
	{ID: RailFreight, Label: "point fret ferroviaire", NearKm: 5, FarKm: 50,
		Layer: func(c *data.Catalogue) []data.Node { return c.RailFreight },
		Gap: func(float64) string {
			return "un point ouvert au fret n'est pas forcément un chantier de transport combiné"
		}},
	{ID: Station, Label: "gare voyageurs", NearKm: 5, FarKm: 40,
		Layer: func(c *data.Catalogue) []data.Node { return c.Stations },
		Gap:   func(float64) string { return "" }},
	{ID: Airport, Label: "aéroport", NearKm: 30, FarKm: 150,
		Layer: func(c *data.Catalogue) []data.Node { return c.Airports },
		Gap:   func(float64) string { return "" }},
	{ID: Port, Label: "port maritime", NearKm: 30, FarKm: 250,
		Layer: func(c *data.Catalogue) []data.Node { return c.Seaports },
		Gap:   whenBelow1("les ports fluviaux ne sont pas comptés")},
}

func whenBelow1(gap string) func(float64) string {
	return func(score float64) string {
		if score < 1 {
			return gap
		}
		return ""
	}
}

// Modes lists the transport mode ids in the order of TransportModes.
var Modes = func() []string {
	ids := make([]string, len(TransportModes))
	for i, m := range TransportModes {
		ids[i] = m.ID
	}
	return ids
}()

// ModeDecay gives, per mode id, the distances (km) at which its transport
// score starts to fall (near) and reaches zero (far).
var ModeDecay = func() map[string][2]float64 {
	d := make(map[string][2]float64, len(TransportModes))
	for _, m := range TransportModes {
		d[m.ID] = [2]float64{m.NearKm, m.FarKm}
	}
	return d
}()
