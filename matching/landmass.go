package matching

import "sitematch/data"

// Mainland is the landmass of metropolitan France without Corsica
// (data.LandmassOf gives every site's, node's and partner's landmass).
// Nearest-node searches, the labour pool, the lycées, the Action Cœur de
// Ville town and the substations of a site stay on the site's own
// landmass: a Réunion site has no motorway interchange on its island, not
// one in the Alpes-Maritimes 8,700 km away.
const Mainland = data.LandmassMainland

// landmassWhere names a landmass for an explanation, after a preposition:
// "aucun sur l'île", "aucun en Guyane".
func landmassWhere(lm string) string {
	switch lm {
	case Mainland:
		return "en France continentale"
	case data.LandmassGuyane:
		return "en Guyane"
	}
	return "sur l'île"
}

// NodeLandmassKm is how far from the nearest commune a node without a
// commune may lie and still be placed on that commune's landmass: a node
// further from every commune (Saint-Martin's and Saint-Barthélemy's ports,
// whose communes are not in the catalogue) is on no landmass and never
// anyone's nearest.
const NodeLandmassKm = 50
