package data

import (
	"fmt"
	"strings"
)

// RegionCode returns the INSEE code of the région that s names: its code
// ("28"), or its name with case, accents, hyphens, apostrophes and spaces
// ignored ("normandie", "auvergne-rhone-alpes", "Grand Est",
// "provence alpes cote d azur"). An unknown value is an error that lists
// every valid code with its name.
func (c *Catalogue) RegionCode(s string) (string, error) {
	codes := make([]string, len(c.Regions))
	names := make([]string, len(c.Regions))
	for i, r := range c.Regions {
		codes[i], names[i] = r.Code, r.Name
	}
	return resolveName("région", s, codes, names)
}

// DepartementCode returns the INSEE code of the département that s names:
// its code ("76", "2A", "2a", "971"), or its name with case, accents,
// hyphens, apostrophes and spaces ignored ("seine-maritime", "Cotes
// d'Armor"). An unknown value is an error that lists every valid code with
// its name.
func (c *Catalogue) DepartementCode(s string) (string, error) {
	codes := make([]string, len(c.Departements))
	names := make([]string, len(c.Departements))
	for i, d := range c.Departements {
		codes[i], names[i] = d.Code, d.Name
	}
	return resolveName("département", s, codes, names)
}

// resolveName finds s among codes (case ignored) or, folded (see Fold),
// among names; what ("région") names the list in the error. A folded name
// that two entries share resolves to neither: the caller must give the
// code.
func resolveName(what, s string, codes, names []string) (string, error) {
	t := strings.TrimSpace(s)
	for _, c := range codes {
		if strings.EqualFold(c, t) {
			return c, nil
		}
	}
	f := Fold(t)
	found := ""
	if strings.TrimSpace(f) != "" {
		for i, n := range names {
			if Fold(n) != f {
				continue
			}
			if found != "" {
				return "", fmt.Errorf("%q names more than one %s (%s and %s): give the code", s, what, found, codes[i])
			}
			found = codes[i]
		}
	}
	if found != "" {
		return found, nil
	}
	valid := make([]string, len(codes))
	for i := range codes {
		valid[i] = codes[i] + " " + names[i]
	}
	return "", fmt.Errorf("unknown %s %q: give an INSEE code or a name (case and accents ignored), one of %s",
		what, s, strings.Join(valid, ", "))
}
