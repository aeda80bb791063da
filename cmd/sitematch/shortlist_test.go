package main

import (
	"encoding/json"
	"strings"
	"testing"

	"sitematch/matching"
)

// TestShortlistRegionByNameNoRunnersUp: --region takes the name, and
// --runners-up 0 prints the pair alone, in the table and in the JSON;
// the default prints matching.DefaultRunnersUp runner-up pairs.
func TestShortlistRegionByNameNoRunnersUp(t *testing.T) {
	t.Chdir(t.TempDir()) // no ./sitematch.gpkg: the snapshot alone
	t.Setenv("SITEMATCH_DB", "")
	type pairs struct {
		Region struct{ Code string } `json:"region"`
		Best   *struct {
			A string `json:"a"`
			B string `json:"b"`
		} `json:"best"`
		RunnersUp []json.RawMessage `json:"runners_up"`
	}
	shortlist := func(args ...string) pairs {
		t.Helper()
		code, out, errs := runCmd(t, append([]string{"shortlist", "--json"}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
		var p pairs
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	byCode := shortlist("--region", "28")
	if byCode.Best == nil || len(byCode.RunnersUp) != matching.DefaultRunnersUp {
		t.Fatalf("--region 28: best %v, %d runners-up, want %d", byCode.Best, len(byCode.RunnersUp), matching.DefaultRunnersUp)
	}
	for _, name := range []string{"normandie", "Normandie", "NORMANDIE"} {
		got := shortlist("--region", name, "--runners-up", "0")
		if got.Region.Code != "28" || got.Best == nil || *got.Best != *byCode.Best || got.RunnersUp == nil || len(got.RunnersUp) != 0 {
			t.Errorf("--region %s --runners-up 0: région %s best %v runners-up %d", name, got.Region.Code, got.Best, len(got.RunnersUp))
		}
	}
	if got := shortlist("--region", "auvergne-rhone-alpes", "--runners-up", "2"); got.Region.Code != "84" || len(got.RunnersUp) != 2 {
		t.Errorf("auvergne-rhone-alpes: région %s, %d runners-up", got.Region.Code, len(got.RunnersUp))
	}
	code, out, _ := runCmd(t, "shortlist", "--region", "Grand Est", "--runners-up", "0")
	if code != exitOK || strings.Contains(out, "Runner-up") || !strings.Contains(out, "Région Grand Est (44)") {
		t.Errorf("the table with --runners-up 0: exit %d\n%s", code, out)
	}

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--region", "normand"}, []string{"--region: unknown région \"normand\"", "28 Normandie", "84 Auvergne-Rhône-Alpes"}},
		{[]string{"--region", "28", "--runners-up", "-1"}, []string{"--runners-up: must be between 0 (none) and 20"}},
		{[]string{"--region", "28", "--sectors", "aeronautics,steel"}, []string{"--sectors: unknown sector \"steel\""}},
		{[]string{"--region", "28", "--min-km", "0"}, []string{"--min-km: must be a positive number"}},
		{[]string{}, []string{"--region is required"}},
		{[]string{"--region", "28", "extra"}, []string{`unexpected argument "extra"`}},
	} {
		code, _, errs := runCmd(t, append([]string{"shortlist"}, tc.args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr does not say %q:\n%s", tc.args, w, errs)
			}
		}
	}
}
