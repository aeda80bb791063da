package matching

import (
	"fmt"
	"regexp"
	"strconv"
)

// Flag is a warning on one result: something the client must check before
// relying on the site, kept rather than excluded because the project asked
// for it or because the doubt is partial.
type Flag struct {
	ID      string // FlagCommitted, FlagAvailability, FlagUnverified, FlagNonIndustrial, FlagImplausibleArea
	Explain string // one French sentence
}

// Flag ids.
const (
	FlagCommitted       = "committed"              // committed to a named project, kept by include_committed
	FlagAvailability    = "availability_uncertain" // may be handed over after needed_by
	FlagUnverified      = "unverified"             // a BASIAS/BASOL record kept by include_unverified
	FlagNonIndustrial   = "non_industrial_type"    // a former use that rules out a plant, kept by include_non_industrial
	FlagImplausibleArea = "implausible_area"       // a stated area read as unknown (MaxPlausibleBrownfieldHa)
)

// UnverifiedPass is the probability the robustness draws give an
// unverified BASIAS/BASOL record of being a usable brownfield: Cerema has
// not checked it, and nothing in the record says which way; one in two
// states that ignorance.
const UnverifiedPass = 0.5

var yearRe = regexp.MustCompile(`\b(19|20)\d{2}\b`)
var neededByRe = regexp.MustCompile(`^(\d{4})(?:-(\d{2}))?$`)

// availabilityYears returns the earliest and latest year a site's stated
// availability ("2024", "2027-2030", "après travaux fin 2025") names; ok
// is false when it names none (unknown, or available now).
func availabilityYears(s string) (lo, hi int, ok bool) {
	for _, m := range yearRe.FindAllString(s, -1) {
		y, _ := strconv.Atoi(m)
		if !ok || y < lo {
			lo = y
		}
		if !ok || y > hi {
			hi = y
		}
		ok = true
	}
	return lo, hi, ok
}

// neededByMonth parses needed_by ("2027" or "2027-06", validated) into a
// month count, year·12 + month − 1; a year alone means its December. 0
// when empty or invalid.
func neededByMonth(s string) int {
	m := neededByRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	mo := 12
	if m[2] != "" {
		mo, _ = strconv.Atoi(m[2])
	}
	return y*12 + mo - 1
}

// validNeededBy checks needed_by: "YYYY" or "YYYY-MM", year 2000 to 2100.
func validNeededBy(s string) error {
	m := neededByRe.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("must be a year and month, YYYY-MM (or a year, YYYY)")
	}
	y, _ := strconv.Atoi(m[1])
	if y < 2000 || y > 2100 {
		return fmt.Errorf("year must be between 2000 and 2100")
	}
	if m[2] != "" {
		if mo, _ := strconv.Atoi(m[2]); mo < 1 || mo > 12 {
			return fmt.Errorf("month must be between 01 and 12")
		}
	}
	return nil
}

// availabilityExcluded returns ExclCommitted for a site committed to a
// named project (unless include_committed), ExclNeededBy for one whose
// earliest stated handover year is after needed_by's, else "". A site
// whose availability is not stated is kept: the source gives it for
// turnkey sites only, and "not stated" mostly means available.
func (q *query) availabilityExcluded(c *Candidate) string {
	if c.committed && !q.p.Constraints.IncludeCommitted {
		return ExclCommitted
	}
	if q.neededBy > 0 && c.availLo > 0 && c.availLo*12 > q.neededBy {
		return ExclNeededBy
	}
	return ""
}

// flagsOf lists the warnings on an eligible candidate. What they read of
// the site was computed at build (buildLand): no regular expression runs
// here.
func (e *Engine) flagsOf(q *query, c *Candidate) []Flag {
	s := &c.Site
	var out []Flag
	if s.CommittedTo != "" {
		out = append(out, Flag{FlagCommitted, "Site déjà réservé au projet " + s.CommittedTo + " : gardé à la demande (include_committed), à confirmer auprès de l'aménageur."})
	}
	// availHi is availabilityYears' latest year, 0 when it names none.
	if q.neededBy > 0 && c.availHi > 0 && c.availHi*12+11 > q.neededBy {
		out = append(out, Flag{FlagAvailability, "Disponibilité annoncée « " + s.AvailableFrom + " » : le terrain peut n'être livré qu'après la date voulue (" + q.p.NeededBy + ")."})
	}
	if s.Unverified {
		out = append(out, Flag{FlagUnverified, "Fiche BASIAS/BASOL que le Cerema n'a pas vérifiée comme friche : le site peut être occupé ou disparu ; gardée à la demande (include_unverified)."})
	}
	if r := c.prep.nonIndustrial; r != "" {
		out = append(out, Flag{FlagNonIndustrial, "Friche peu compatible avec une usine (" + r + ") : gardée à la demande (include_non_industrial)."})
	}
	if ImplausibleArea(s) {
		out = append(out, Flag{FlagImplausibleArea, "Surface déclarée de " + numFR(s.AreaHa, 0) + " ha tenue pour inconnue : au-delà de " + strconv.Itoa(MaxPlausibleBrownfieldHa) + " ha, c'est l'unité foncière du propriétaire, pas la friche."})
	}
	return out
}

// passProbability is the probability, for the robustness draws, that a
// candidate is what its record says: its land large enough (landPass) and,
// for an unverified record, UnverifiedPass.
func (e *Engine) passProbability(q *query, c *Candidate) float64 {
	p := e.landPass(q, c)
	if c.Site.Unverified {
		p *= UnverifiedPass
	}
	return p
}
