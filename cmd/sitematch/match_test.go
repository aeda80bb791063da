package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sitematch/data"
	"sitematch/matching"
)

// exampleFiles returns the example projects shipped in data/examples.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "data", "examples", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no example project in data/examples")
	}
	return files
}

func runMatchCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	code = run(context.Background(), append([]string{"match"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestMatchExamples runs `sitematch match --json` on every example project
// (with --robustness on one) and checks the output against docs/CONTRACT.md's
// shape; together the examples cover every sector profile.
func TestMatchExamples(t *testing.T) {
	sectors := map[string]bool{}
	for _, f := range exampleFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var project struct {
				Sector string `json:"sector"`
			}
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(body, &project); err != nil {
				t.Fatal(err)
			}
			sectors[project.Sector] = true
			args := []string{"--json", f}
			robust := strings.HasPrefix(filepath.Base(f), "logistics") // near ties: worth the draws
			if robust {
				args = append([]string{"--robustness", "--limit", "10"}, args...)
			}
			code, stdout, stderr := runMatchCmd(t, args...)
			if code != exitOK {
				t.Fatalf("exit status %d, stderr:\n%s", code, stderr)
			}
			resp := checkMatchJSON(t, stdout)
			if len(resp.Results) == 0 {
				t.Errorf("no result: an example should find sites")
			}
			for _, r := range resp.Results {
				if (r.Robustness != nil) != robust {
					t.Errorf("rank %d: robustness %+v with --robustness %v", r.Rank, r.Robustness, robust)
				}
			}
			if robust && (len(resp.Results) != 10 || !strings.Contains(stdout, `"weight_spread"`)) {
				t.Errorf("%d results, want 10, and how the draws were made", len(resp.Results))
			}
		})
	}
	for _, p := range matching.Profiles {
		if !sectors[p.ID] {
			t.Errorf("no example project for the %s profile", p.ID)
		}
	}
}

// matchJSON is the docs/CONTRACT.md match response, loosely typed where the
// test inspects the keys.
type matchJSON struct {
	DataVersion string `json:"data_version"`
	Project     struct {
		Name        string             `json:"name"`
		Transport   map[string]float64 `json:"transport"`
		Weights     map[string]float64 `json:"weights"`
		Constraints struct {
			Regions      []string `json:"regions"`
			Departements []string `json:"departements"`
			Kinds        []string `json:"kinds"`
		} `json:"constraints"`
	} `json:"project"`
	Considered    *int           `json:"considered"`
	Eligible      *int           `json:"eligible"`
	Excluded      map[string]int `json:"excluded"`
	NotApplicable []string       `json:"not_applicable"`
	Results       []struct {
		Rank          int                        `json:"rank"`
		Site          map[string]json.RawMessage `json:"site"`
		Score         *float64                   `json:"score"`
		Criteria      map[string]map[string]any  `json:"criteria"`
		NotApplicable []string                   `json:"not_applicable"`
		Robustness    *struct {
			PTopK   *float64 `json:"p_top_k"`
			RankP5  int      `json:"rank_p5"`
			RankP95 int      `json:"rank_p95"`
		} `json:"robustness"`
	} `json:"results"`
}

// checkMatchJSON decodes a match response and checks docs/CONTRACT.md's shape
// and invariants.
func checkMatchJSON(t *testing.T, stdout string) matchJSON {
	t.Helper()
	var resp matchJSON
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&resp); err != nil {
		t.Fatalf("stdout is not a match response: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Errorf("stdout holds more than one JSON value")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"data_version", "project", "considered", "eligible", "excluded", "results", "not_applicable"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in the response", k)
		}
	}
	if !strings.HasPrefix(resp.DataVersion, "sha256:") {
		t.Errorf("data_version %q", resp.DataVersion)
	}
	if resp.Project.Name == "" || len(resp.Project.Weights) != len(matching.Criteria) || len(resp.Project.Transport) != len(matching.Modes) {
		t.Errorf("project %+v: want the name, and every weight and transport importance after profile defaults", resp.Project)
	}
	if resp.Considered == nil || resp.Eligible == nil || *resp.Considered <= 0 {
		t.Fatalf("considered %v, eligible %v", resp.Considered, resp.Eligible)
	}
	sum := *resp.Eligible
	for _, n := range resp.Excluded {
		sum += n
	}
	if sum != *resp.Considered {
		t.Errorf("eligible %d + excluded %v ≠ considered %d", *resp.Eligible, resp.Excluded, *resp.Considered)
	}
	for _, c := range resp.NotApplicable {
		if !slices.Contains(matching.Criteria, c) {
			t.Errorf("not_applicable lists %q", c)
		}
	}
	prev := math.Inf(1)
	for i, r := range resp.Results {
		var id, kind, region, dep string
		json.Unmarshal(r.Site["id"], &id)
		json.Unmarshal(r.Site["kind"], &kind)
		json.Unmarshal(r.Site["region"], &region)
		json.Unmarshal(r.Site["departement"], &dep)
		if r.Rank != i+1 {
			t.Errorf("%s: rank %d at position %d", id, r.Rank, i)
		}
		for _, k := range []string{"id", "kind", "name", "lon", "lat", "commune", "departement", "region", "area_ha", "source"} {
			if _, ok := r.Site[k]; !ok {
				t.Errorf("%s: site has no %q", id, k)
			}
		}
		var commune struct{ Code, Name string }
		if err := json.Unmarshal(r.Site["commune"], &commune); err != nil || commune.Code == "" || commune.Name == "" {
			t.Errorf("%s: commune %s", id, r.Site["commune"])
		}
		if !slices.Contains(data.Kinds, kind) {
			t.Errorf("%s: kind %q", id, kind)
		}
		c := resp.Project.Constraints
		if (len(c.Regions) > 0 && !slices.Contains(c.Regions, region)) || (len(c.Departements) > 0 && !slices.Contains(c.Departements, dep)) ||
			(len(c.Kinds) > 0 && !slices.Contains(c.Kinds, kind)) {
			t.Errorf("%s (%s, région %s, département %s) breaks the constraints %+v", id, kind, region, dep, c)
		}
		if r.Score == nil || *r.Score < 0 || *r.Score > 100 || *r.Score > prev {
			t.Errorf("%s: score %v after %v", id, r.Score, prev)
			continue
		}
		prev = *r.Score
		var contributions float64
		for name, cr := range r.Criteria {
			if !slices.Contains(matching.Criteria, name) || slices.Contains(resp.NotApplicable, name) || slices.Contains(r.NotApplicable, name) {
				t.Errorf("%s: criterion %q should not be there", id, name)
			}
			for _, k := range []string{"score", "weight", "contribution", "detail", "explain"} {
				if _, ok := cr[k]; !ok {
					t.Errorf("%s: %s has no %q", id, name, k)
				}
			}
			s, _ := cr["score"].(float64)
			w, _ := cr["weight"].(float64)
			contrib, _ := cr["contribution"].(float64)
			if s < 0 || s > 1 || w < 0 || w > 1 || math.Abs(contrib-100*w*s) > 0.02 {
				t.Errorf("%s: %s score %v, weight %v, contribution %v", id, name, s, w, contrib)
			}
			if e, _ := cr["explain"].(string); e == "" {
				t.Errorf("%s: %s has no explanation", id, name)
			}
			contributions += contrib
		}
		if math.Abs(contributions-*r.Score) > 0.05 {
			t.Errorf("%s: contributions add up to %v, score %v", id, contributions, *r.Score)
		}
		if n := len(r.Criteria) + len(resp.NotApplicable) + len(r.NotApplicable); n != len(matching.Criteria) {
			t.Errorf("%s: %d criteria, %v not applicable to the project, %v to the site: want all six accounted for",
				id, len(r.Criteria), resp.NotApplicable, r.NotApplicable)
		}
		if tr, ok := r.Criteria[matching.Transport]; ok {
			detail, _ := tr["detail"].(map[string]any)
			for mode, imp := range resp.Project.Transport {
				if _, ok := detail[mode]; (imp > 0) != ok {
					t.Errorf("%s: transport detail %v for mode %s of importance %v", id, detail[mode], mode, imp)
				}
			}
		}
		if rb := r.Robustness; rb != nil {
			if rb.PTopK == nil || *rb.PTopK < 0 || *rb.PTopK > 1 || rb.RankP5 < 1 || rb.RankP5 > rb.RankP95 {
				t.Errorf("%s: robustness %+v", id, rb)
			}
		}
	}
	return resp
}

// TestMatchTable checks the readable table: a header naming rank, score
// and site, then one row per result starting with its rank.
func TestMatchTable(t *testing.T) {
	f := filepath.Join("..", "..", "data", "examples", "agrifood-insect-protein.json")
	code, stdout, stderr := runMatchCmd(t, "--limit", "5", f)
	if code != exitOK {
		t.Fatalf("exit status %d, stderr:\n%s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	head := -1
	for i, l := range lines {
		if fs := strings.Fields(l); len(fs) >= 4 && fs[0] == "rank" && fs[1] == "score" && fs[2] == "id" && fs[3] == "site" {
			head = i
			break
		}
	}
	if head < 0 {
		t.Fatalf("no header line with rank, score, id, site:\n%s", stdout)
	}
	for i := 1; i <= 5; i++ {
		fs := strings.Fields(lines[head+i])
		if len(fs) == 0 || fs[0] != strconv.Itoa(i) {
			t.Errorf("row %d: %q", i, lines[head+i])
		}
	}
	if !strings.Contains(stdout, "Why #1") || !strings.Contains(stdout, "Unité de production de protéines d'insectes") {
		t.Errorf("no explanation of the first result or no project name:\n%s", stdout)
	}
}

// TestMatchFlagsAfterFile: flags may follow the project file, and "--"
// makes what follows positional.
func TestMatchFlagsAfterFile(t *testing.T) {
	f := filepath.Join("..", "..", "data", "examples", "agrifood-insect-protein.json")
	code, stdout, stderr := runMatchCmd(t, f, "--json", "--limit", "3")
	if code != exitOK {
		t.Fatalf("exit status %d, stderr:\n%s", code, stderr)
	}
	var got struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("--json after the file did not give JSON: %v\n%.300s", err, stdout)
	}
	if len(got.Results) != 3 {
		t.Errorf("%d results, want the 3 of --limit 3 given after the file", len(got.Results))
	}
	code, _, stderr = runMatchCmd(t, "--json", "--", f, "--limit")
	if code != exitUsage || !strings.Contains(stderr, "one project file, got 2 arguments") {
		t.Errorf("after --, --limit must be a second file argument: status %d, stderr %q", code, stderr)
	}
}

// TestMatchInvalid: invalid input exits with status 2 and names every bad
// field on standard error.
func TestMatchInvalid(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name   string
		body   string
		fields []string
	}{
		{name: "two bad values", body: `{"name": "x", "land_ha": -5, "suppliers": [{"lon": 2, "lat": 91}]}`,
			fields: []string{"project.land_ha", "project.suppliers[0].lat"}},
		{name: "a bad type and a bad value", body: `{"name": "x", "jobs": "150", "customers": [{"commune": "99999"}], "radius": 3}`,
			fields: []string{"project.jobs", "project.customers[0].commune", "project.radius"}},
		{name: "malformed", body: `{"name": "x",`, fields: []string{"malformed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			if err := os.WriteFile(f, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runMatchCmd(t, "--json", f)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			for _, field := range tc.fields {
				if !strings.Contains(stderr, field) {
					t.Errorf("stderr does not name %s:\n%s", field, stderr)
				}
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		if code, _, _ := runMatchCmd(t, filepath.Join(dir, "none.json")); code != exitUsage {
			t.Errorf("exit status %d, want %d", code, exitUsage)
		}
	})
	t.Run("bad limit", func(t *testing.T) {
		f := filepath.Join("..", "..", "data", "examples", "agrifood-insect-protein.json")
		code, _, stderr := runMatchCmd(t, "--limit", "0", f)
		if code != exitUsage || !strings.Contains(stderr, "limit") {
			t.Errorf("exit status %d, stderr %q", code, stderr)
		}
	})
}
