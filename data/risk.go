package data

import "github.com/paulmach/orb"

// Establishment is an industrial establishment of the Géorisques register
// of classified installations (ICPE): here the Seveso upper-tier sites
// with national inspection priority and under the IED directive (a
// partial list: the lower tier and the other upper-tier sites are not in
// the source).
type Establishment struct {
	ID       string // Géorisques AIOT code
	Name     string
	Commune  string // INSEE code
	NAF      string // NAF code of the operator as Géorisques gives it (often the division only)
	Activity string // NAF label
	Seveso   string // "seuil haut"
	Regime   string // ICPE regime: "autorisation"
	Point    orb.Point
	URL      string // the establishment's Géorisques page
}
