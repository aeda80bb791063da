package matching

import (
	"fmt"
	"math"
	"strings"

	"sitematch/data"
	"sitematch/geo"
)

// Seveso tiers a project may declare (Project.Seveso).
const (
	SevesoUpper = "upper"
	SevesoLower = "lower"
)

// SevesoPlatform is the criterion that favours, for a project that
// declares a Seveso tier, the sites near an existing Seveso upper-tier
// establishment: an industrial platform already living with the risk
// (risk prevention plan, emergency services, accepted neighbourhood).
const SevesoPlatform = "seveso_platform"

// Seveso gate and platform figures.
const (
	// SevesoDensePop is the commune population from which a site counts as
	// in a dense residential setting: the catalogue has no commune area,
	// so density is read from population.
	SevesoDensePop = 50_000
	// SevesoPlatformKm is how near an existing upper-tier establishment a
	// site in such a commune must be to stay eligible (it is on the
	// platform), and the platform criterion's full-score distance.
	SevesoPlatformKm = 3
	// SevesoPlatformFarKm: nothing from here.
	SevesoPlatformFarKm = 30
	// SevesoPlatformWeight is the platform criterion's weight when a
	// project declares a tier and sets none.
	SevesoPlatformWeight = 5
)

// sevesoIncompatibleTypes are the brownfield former uses a Seveso plant
// cannot take over: housing, retail, leisure and tourism, hospitals,
// schools, places of worship (substrings of Cartofriches' site_type, which
// spells them several ways).
var sevesoIncompatibleTypes = []string{"habitat", "habitation", "commercial", "loisir", "touristique", "hospitali", "enseignement", "cultuel"}

// sevesoIncompatibleZones are the PLU zone types (urba_zone_type) where a
// Seveso plant cannot be built: natural (N, Nh) and agricultural (A, Ah).
var sevesoIncompatibleZones = map[string]bool{"N": true, "Nh": true, "A": true, "Ah": true}

// Seveso gate rules, as SevesoRule names them (Result.SevesoExcluded).
const (
	SevesoRuleTown     = "town"      // a town centre is a residential setting
	SevesoRuleSiteType = "site_type" // a brownfield of housing, retail, leisure, hospital, school or worship
	SevesoRuleZone     = "zone"      // a natural or agricultural PLU zone
	SevesoRuleDense    = "dense"     // a commune of SevesoDensePop people or more, no platform within SevesoPlatformKm
)

// SevesoRule returns the first Seveso gate rule a site breaks, "" when
// nothing in the data rules it out. nearKm is the distance to the nearest
// Seveso upper-tier establishment on the site's landmass (+Inf when none).
func SevesoRule(s *data.Site, population int, nearKm float64) string {
	switch {
	case s.Kind == data.KindTown:
		return SevesoRuleTown
	case s.Kind == data.KindBrownfield && containsAny(strings.ToLower(s.SiteType), sevesoIncompatibleTypes):
		return SevesoRuleSiteType
	case sevesoIncompatibleZones[s.ZoneType]:
		return SevesoRuleZone
	case population >= SevesoDensePop && nearKm > SevesoPlatformKm:
		return SevesoRuleDense
	}
	return ""
}

// SevesoReason says in French why the Seveso gate excludes a site, "" when
// it does not.
func SevesoReason(s *data.Site, population int, nearKm float64) string {
	switch SevesoRule(s, population, nearKm) {
	case SevesoRuleTown:
		return "une ville (centre-bourg) est un cadre résidentiel"
	case SevesoRuleSiteType:
		return fmt.Sprintf("friche d'un type incompatible (%s)", s.SiteType)
	case SevesoRuleZone:
		return fmt.Sprintf("zone %s du PLU (naturelle ou agricole)", s.ZoneType)
	case SevesoRuleDense:
		return fmt.Sprintf("commune de %s habitants sans établissement Seveso à moins de %d km", intFR(population), SevesoPlatformKm)
	}
	return ""
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// sevesoNearest returns the index into Catalogue.Seveso of the nearest
// establishment on the candidate's landmass and its distance, -1 and +Inf
// when none.
func (e *Engine) sevesoNearest(c *Candidate) (int, float64) {
	if i, km, ok := e.ix.seveso[c.Landmass].nearest(c.Site.Point, c.unit, 16, math.Inf(1)); ok {
		return i, km
	}
	return -1, math.Inf(1)
}

// SevesoPlatformScore is decay(km to the nearest Seveso upper-tier
// establishment, 3, 30).
func SevesoPlatformScore(km float64) float64 {
	return geo.Decay(km, SevesoPlatformKm, SevesoPlatformFarKm)
}

// SevesoDetail holds the nearest Seveso upper-tier establishment.
type SevesoDetail struct {
	ID, Name, Commune string
	Km                float64 // rounded to 0.1; 0 and ID "" when none on the landmass
}

// Criterion returns the criterion a detail belongs to.
func (*SevesoDetail) Criterion() string { return SevesoPlatform }

func (e *Engine) explainSeveso(c *Candidate, t *explanation) *SevesoDetail {
	i, km := e.sevesoNearest(c)
	if i < 0 {
		t.str("Aucun établissement Seveso seuil haut ", landmassWhere(c.Landmass), " dans les données.")
		return &SevesoDetail{}
	}
	s := &e.cat.Seveso[i]
	d := &SevesoDetail{ID: s.ID, Name: s.Name, Commune: s.Commune, Km: round1(km)}
	t.str("Établissement Seveso seuil haut le plus proche : ", s.Name, " ")
	t.where(d.Km, s.Commune == c.Site.Commune)
	t.WriteString(" (plateforme qui vit déjà avec le risque). " +
		"Limites des données : liste partielle (priorité nationale, IED) ; le seuil bas, les zones touristiques et les plans de prévention ne sont pas connus.")
	return d
}

// countSeveso counts a candidate the Seveso gate excluded under its rule.
func (r *Result) countSeveso(c *Candidate) {
	if r.SevesoExcluded == nil {
		r.SevesoExcluded = map[string]int{}
	}
	r.SevesoExcluded[SevesoRule(&c.Site, c.Commune.Population, c.SevesoKm)]++
}
