package matching_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"sitematch/matching"
)

// TestExplanationsAreValidUTF8 guards the French sentences: labels that
// start with an accented capital (Électrotechnique, Énergie) must be
// lower-cased rune by rune, never byte by byte.
func TestExplanationsAreValidUTF8(t *testing.T) {
	eng := matching.SharedEngine(t)
	jobs := 100
	res, err := eng.Match(matching.Project{Name: "utf8", Sector: "energy", Jobs: &jobs,
		Trades: []string{"electrotechnique", "energie", "aeronautique"}}, matching.Options{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		for _, c := range r.Criteria {
			if !utf8.ValidString(c.Explain) {
				t.Fatalf("%s %s: invalid UTF-8 in %q", r.Candidate.Site.ID, c.ID, c.Explain)
			}
		}
	}
	sl, err := eng.Shortlist(matching.ShortlistRequest{Region: "84", Sectors: []string{"energy", "aeronautics"}})
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(sl.Explain) || !strings.Contains(sl.Explain, "énergie") {
		t.Errorf("shortlist explanation %q: invalid UTF-8 or no lower-cased « énergie »", sl.Explain)
	}
}
