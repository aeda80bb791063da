package data

import (
	"strings"

	"github.com/paulmach/orb"
)

// Landmasses: the pieces of land a road, a labour pool or a lycée radius
// cannot leave. Mainland France, Corsica and each overseas département
// are one each.
//
// A known approximation: a landmass is read from the département, so the
// islands attached to a mainland département (Belle-Île, Ouessant, Yeu,
// Noirmoutier, Ré, Oléron, the Glénan, Porquerolles…) count as mainland,
// and Marie-Galante or Les Saintes count as Guadeloupe.
const (
	LandmassMainland   = "metropole"
	LandmassCorsica    = "corse"
	LandmassGuadeloupe = "guadeloupe"
	LandmassMartinique = "martinique"
	LandmassGuyane     = "guyane"
	LandmassReunion    = "reunion"
	LandmassMayotte    = "mayotte"
)

// Landmasses lists the landmasses, mainland first.
var Landmasses = []string{LandmassMainland, LandmassCorsica, LandmassGuadeloupe, LandmassMartinique,
	LandmassGuyane, LandmassReunion, LandmassMayotte}

// overseas maps an overseas département code to its landmass.
var overseas = map[string]string{
	"971": LandmassGuadeloupe, "972": LandmassMartinique, "973": LandmassGuyane,
	"974": LandmassReunion, "976": LandmassMayotte,
}

// LandmassOf returns the landmass of a département code ("2A", "29",
// "974") or of a commune code (its first two characters, three overseas:
// "2B033", "97411"); "" for a code that names no département of the
// catalogue (Saint-Martin 978, Saint-Barthélemy 977, a malformed code).
func LandmassOf(code string) string {
	code = strings.TrimSpace(code)
	if len(code) >= 3 && strings.HasPrefix(code, "97") {
		return overseas[code[:3]]
	}
	if len(code) < 2 {
		return ""
	}
	dep := code[:2]
	switch {
	case dep == "2A" || dep == "2B" || dep == "20":
		return LandmassCorsica
	case dep[0] >= '0' && dep[0] <= '9' && dep[1] >= '0' && dep[1] <= '9' && dep != "00" && dep != "97" && dep != "98" && dep != "99":
		return LandmassMainland
	}
	return ""
}

// landmassBounds are the boxes that hold each landmass other than the
// mainland, generous by a few kilometres at sea and far from each other.
var landmassBounds = []struct {
	landmass string
	b        orb.Bound
}{
	{LandmassCorsica, orb.Bound{Min: orb.Point{8.4, 41.3}, Max: orb.Point{9.7, 43.1}}},
	{LandmassGuadeloupe, orb.Bound{Min: orb.Point{-61.9, 15.8}, Max: orb.Point{-60.9, 16.6}}},
	{LandmassMartinique, orb.Bound{Min: orb.Point{-61.3, 14.35}, Max: orb.Point{-60.75, 14.9}}},
	{LandmassGuyane, orb.Bound{Min: orb.Point{-54.7, 2.0}, Max: orb.Point{-51.5, 6.0}}},
	{LandmassReunion, orb.Bound{Min: orb.Point{55.1, -21.5}, Max: orb.Point{55.9, -20.8}}},
	{LandmassMayotte, orb.Bound{Min: orb.Point{44.9, -13.1}, Max: orb.Point{45.4, -12.55}}},
}

// mainlandBound holds metropolitan France and its coastal islands.
var mainlandBound = orb.Bound{Min: orb.Point{-5.3, 41.3}, Max: orb.Point{9.7, 51.2}}

// LandmassAt returns the landmass of a WGS84 point, for records that have
// no commune code (airports, ports, interchanges of some sources): a box
// per island landmass, the mainland's box otherwise; "" outside them all
// (Saint-Martin, Saint-Barthélemy, abroad). It agrees with LandmassOf on
// every commune of the catalogue (TestLandmassAtAgreesWithCommunes).
func LandmassAt(p orb.Point) string {
	for _, lb := range landmassBounds {
		if lb.b.Contains(p) {
			return lb.landmass
		}
	}
	if mainlandBound.Contains(p) {
		return LandmassMainland
	}
	return ""
}
