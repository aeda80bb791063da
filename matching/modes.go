package matching

import (
	"fmt"
	"strings"

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
	// RailTerminal is a combined rail-road transport terminal (GNTC), where
	// containers and swap bodies change from truck to train: not the same
	// as a rail freight point, which is a station open to freight.
	RailTerminal = "rail_terminal"
	RiverPort    = "river_port"
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
	// Note, when set, adds what the node's record says beyond its name
	// (the road of an interchange, a terminal's weekly trains), French,
	// "" when nothing.
	Note func(n *data.Node) string
}

// Decay is the mode's score for a nearest node km away.
func (m *Mode) Decay(km float64) float64 { return geo.Decay(km, m.NearKm, m.FarKm) }

// TransportModes are the transport modes, in a fixed order. Decay
// distances (DESIGN.md, "Scoring model"):
//   - motorway 5–50 km: a plant's trucks reach the network within minutes;
//     beyond 50 km of secondary roads the site is off the network;
//   - rail terminal 15–80 km: a combined-transport terminal is reached by
//     truck (pre- and post-carriage), economic within about 15 km and no
//     longer beyond about 80 km, where the road leg eats the rail saving;
//   - river port 15–80 km: the same for a barge: bulk and containers come
//     by truck from the port, a short haul only;
//   - airport 30–150 km and seaport 30–250 km: reached occasionally (people,
//     express parts) or by long truck hauls (containers).
var TransportModes = []Mode{
	{ID: Motorway, Label: "échangeur autoroutier", NearKm: 5, FarKm: 50,
		Layer: func(c *data.Catalogue) []data.Node { return c.Interchanges },
		Gap: whenBelow1("échangeurs IGN ROUTE 500 de 2020-2021 (un échangeur ouvert depuis manque), " +
			"qui comptent aussi des carrefours dénivelés de routes qui ne sont pas à 2×2 voies"),
		Note: func(n *data.Node) string { return n.Road }},
	{ID: RailFreight, Label: "point fret ferroviaire", NearKm: 5, FarKm: 50,
		Layer: func(c *data.Catalogue) []data.Node { return c.RailFreight },
		Gap: func(float64) string {
			return "un point fret ferroviaire est une gare ouverte au fret, pas un chantier de transport combiné"
		}},
	{ID: Station, Label: "gare voyageurs", NearKm: 5, FarKm: 40,
		Layer: func(c *data.Catalogue) []data.Node { return c.Stations },
		Gap:   func(float64) string { return "" }},
	{ID: Airport, Label: "aéroport", NearKm: 30, FarKm: 150,
		Layer: func(c *data.Catalogue) []data.Node { return c.Airports },
		Gap:   func(float64) string { return "" }},
	{ID: Port, Label: "port maritime", NearKm: 30, FarKm: 250,
		Layer: func(c *data.Catalogue) []data.Node { return c.Seaports },
		Gap:   func(float64) string { return "" }},
	{ID: RailTerminal, Label: "chantier de transport combiné", NearKm: 15, FarKm: 80,
		Layer: func(c *data.Catalogue) []data.Node { return c.RailTerminals },
		Gap: func(float64) string {
			return "chantiers de transport combiné du GNTC, positions à ±1 km près, trains réguliers du plan de transport de mars 2026"
		},
		Note: railTerminalNote},
	{ID: RiverPort, Label: "port fluvial", NearKm: 15, FarKm: 80,
		Layer: func(c *data.Catalogue) []data.Node { return c.RiverPorts },
		Gap:   whenBelow1("ports fluviaux d'OpenStreetMap (ODbL), liste partielle : un port plus proche peut manquer"),
	},
}

// railTerminalNote says a terminal's scheduled weekly trains.
func railTerminalNote(n *data.Node) string {
	switch n.WeeklyTrains {
	case 0:
		return "sans train régulier"
	case 1:
		return "1 train par semaine"
	}
	return fmt.Sprintf("%d trains par semaine", n.WeeklyTrains)
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

// nodePhrase names a mode's nearest node where it lies: "port du Havre à
// 12 km" when the node's name says what it is (the catalogue's ports and
// airports carry French names; a river port keeps its label, not to be
// read as a seaport), else "échangeur autoroutier à 3 km
// (Abbeville-Est, A16)", with the mode's Note.
func nodePhrase(m *Mode, n *data.Node, where string) string {
	p := newNodeText(m, n)
	return p.before + where + p.after
}

// nodeText is nodePhrase of one node without its where, which depends on
// the site: before + where + after. The engine keeps one per node.
type nodeText struct{ before, after string }

func newNodeText(m *Mode, n *data.Node) nodeText {
	note := ""
	if m.Note != nil {
		note = m.Note(n)
	}
	if m.ID == Port || m.ID == Airport {
		kind, _, _ := strings.Cut(m.Label, " ")
		if name := lowerFirst(n.Name); strings.HasPrefix(name, kind+" ") {
			if note != "" {
				return nodeText{name + " ", " (" + note + ")"}
			}
			return nodeText{name + " ", ""}
		}
	}
	if note != "" {
		return nodeText{m.Label + " ", " (" + n.Name + ", " + note + ")"}
	}
	return nodeText{m.Label + " ", " (" + n.Name + ")"}
}

// nodeTexts are the nodeTexts of a mode's nodes.
func nodeTexts(m *Mode, nodes []data.Node) []nodeText {
	out := make([]nodeText, len(nodes))
	for i := range nodes {
		out[i] = newNodeText(m, &nodes[i])
	}
	return out
}
