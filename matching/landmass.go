package matching

// Landmasses. Nearest-node searches, the labour pool, the lycées and the
// Action Cœur de Ville town of a site stay on the site's own landmass: a
// Réunion site has no motorway interchange on its island, not one in the
// Alpes-Maritimes 8,700 km away.
const (
	Mainland = "mainland" // metropolitan France without Corsica
	Corsica  = "corsica"  // départements 2A and 2B
)

// LandmassOf returns the landmass of a département code: Corsica for 2A
// and 2B, the département itself for each overseas département (971
// Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte),
// the mainland for every other. The data package will own this table;
// this function keeps its signature so that it can be replaced there.
func LandmassOf(dep string) string {
	switch dep {
	case "2A", "2B":
		return Corsica
	case "971", "972", "973", "974", "976":
		return dep
	}
	return Mainland
}

// landmassWhere names a landmass for an explanation, after a preposition:
// "aucun sur l'île", "aucun en Guyane".
func landmassWhere(lm string) string {
	switch lm {
	case Mainland:
		return "en France continentale"
	case "973":
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
