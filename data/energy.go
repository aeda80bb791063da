package data

import "github.com/paulmach/orb"

// Substation is a high-voltage substation of the RTE transmission network
// (metropolitan France only), with, when the Caparéseau file knows its
// code, the connection capacity of the poste source it feeds.
type Substation struct {
	ID        string // RTE code ("Code poste"); a code the source lists twice gets "-2"
	Name      string
	VoltageKV int    // highest voltage in kV (45 to 400); 0 when the source gives none
	Voltage   string // the source's voltage label when it is not a number of kV ("HORS TENSION", "<45kV", "COURANT CONTINU")
	Function  string // "transformation" (poste de transformation) or "piquage" (tapping point on a line)
	State     string // "en exploitation" or "accord administratif" (authorised, not yet built)
	Point     orb.Point
	// Caparéseau, joined on the RTE code. Capareseau is false when the
	// poste is not in that file; the figures are then unknown.
	Capareseau bool
	// RemainingMW is the capacity reserved under the regional renewables
	// scheme (S3REnR) still to allocate, MW (INFO_NA). Caparéseau measures
	// capacity to inject power, not to draw it: a proxy for the strength
	// of the grid around a site, not a promise of supply.
	RemainingMW float64
	// TransformerMVA is the installed transformer power of the distribution
	// operator at the poste source, MVA (GRD1_PTRE); 0 when not given.
	TransformerMVA float64
}
