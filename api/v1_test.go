package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/matching"
)

// TestMatchContract checks POST /v1/match against docs/CONTRACT.md ("A match
// response"): the fields, the weights that sum to 1, contributions that add
// up to the score, every transport mode with importance > 0 present with
// km rounded to 0.1, ranks in order, ties broken by id, robustness.
func TestMatchContract(t *testing.T) {
	s := testServer(t)
	rec := post(t, s.Handler(), "/v1/match", `{"project": `+picardyProject+`, "limit": 20, "robustness": true}`)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if rec.Header().Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"data_version", "project", "considered", "eligible", "excluded", "not_applicable", "results", "coverage_gaps", "robustness"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("response lacks %q", k)
		}
	}
	res := decodeAs[wire.MatchResponse](t, rec, http.StatusOK)
	if !strings.HasPrefix(res.DataVersion, "sha256:") {
		t.Errorf("data_version %q", res.DataVersion)
	}
	if res.Considered != len(testEngine(t).Candidates()) {
		t.Errorf("considered %d, want every candidate (%d)", res.Considered, len(testEngine(t).Candidates()))
	}
	excl := 0
	for _, r := range matching.ExclusionReasons {
		n, ok := res.Excluded[r]
		if !ok {
			t.Errorf("excluded lacks %q", r)
		}
		excl += n
	}
	if res.Eligible+excl != res.Considered {
		t.Errorf("eligible %d + excluded %d != considered %d", res.Eligible, excl, res.Considered)
	}
	if len(res.Results) != 20 {
		t.Fatalf("%d results, want 20", len(res.Results))
	}
	for i, r := range res.Results {
		if r.Rank != i+1 {
			t.Errorf("result %d has rank %d", i, r.Rank)
		}
		if r.Site.Region != "32" || slices.Contains([]string{"town"}, r.Site.Kind) {
			t.Errorf("result %s breaks a constraint: region %s kind %s", r.Site.ID, r.Site.Region, r.Site.Kind)
		}
		if r.Site.Source == "" {
			t.Errorf("result %s has no source", r.Site.ID)
		}
		if i > 0 {
			prev := res.Results[i-1]
			if prev.Score < r.Score { // equal rounded scores may hide a raw difference: ids need not be ordered
				t.Errorf("results %d and %d out of order", i-1, i)
			}
		}
		var wsum, csum float64
		for id, c := range r.Criteria {
			wsum += c.Weight
			csum += c.Contribution
			if c.Score < 0 || c.Score > 1 || c.Explain == "" {
				t.Errorf("%s %s: score %v explain %q", r.Site.ID, id, c.Score, c.Explain)
			}
		}
		if math.Abs(wsum-1) > 0.001 {
			t.Errorf("%s: weights sum to %v", r.Site.ID, wsum)
		}
		if math.Abs(csum-r.Score) > 0.05 {
			t.Errorf("%s: contributions %v, score %v", r.Site.ID, csum, r.Score)
		}
		if r.Robustness == nil || r.Robustness.PTopK < 0 || r.Robustness.PTopK > 1 || r.Robustness.RankP5 > r.Robustness.RankP95 {
			t.Errorf("%s: robustness %+v", r.Site.ID, r.Robustness)
		}
	}
	// Transport detail: every mode with importance > 0, km to 0.1.
	var first struct {
		Results []struct {
			Criteria map[string]struct {
				Detail map[string]json.RawMessage `json:"detail"`
			} `json:"criteria"`
		} `json:"results"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &first); err != nil {
		t.Fatal(err)
	}
	tr := first.Results[0].Criteria["transport"].Detail
	for mode, imp := range map[string]float64{"motorway": 1, "rail_freight": 0.5, "port": 0.5, "station": 0.5, "airport": 0} {
		raw, ok := tr[mode]
		if ok != (imp > 0) {
			t.Errorf("transport.detail.%s present %v, importance %v", mode, ok, imp)
			continue
		}
		if !ok {
			continue
		}
		var m struct {
			ID, Name string
			Km       float64
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.ID == "" || m.Name == "" || math.Abs(m.Km*10-math.Round(m.Km*10)) > 1e-9 {
			t.Errorf("transport.detail.%s = %+v", mode, m)
		}
	}
	// The same request gives the same bytes.
	again := post(t, s.Handler(), "/v1/match", `{"project": `+picardyProject+`, "limit": 20, "robustness": true}`)
	if again.Body.String() != rec.Body.String() {
		t.Error("the same request gave different bytes")
	}
	// The CLI's JSON is the API's: same conversion from the same result.
	p, err := DecodeProject([]byte(picardyProject), "project")
	if err != nil {
		t.Fatal(err)
	}
	direct, err := testEngine(t).Match(p, matching.Options{Limit: 20, Robustness: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := marshal(wire.NewMatchResponse(direct, testEngine(t).Catalogue()))
	if string(want) != rec.Body.String() {
		t.Error("the API's answer differs from wire.NewMatchResponse on the engine's result")
	}
}

func TestMatchNotApplicable(t *testing.T) {
	s := testServer(t)
	res := decodeAs[wire.MatchResponse](t, post(t, s.Handler(), "/v1/match", `{"project": `+smallProject+`, "limit": 3}`), http.StatusOK)
	if !slices.Contains(res.NotApplicable, "supply_chain") || !slices.Contains(res.NotApplicable, "land") {
		t.Errorf("not_applicable %v, want supply_chain and land", res.NotApplicable)
	}
	for _, r := range res.Results {
		if _, ok := r.Criteria["supply_chain"]; ok {
			t.Errorf("%s scores supply_chain without partners", r.Site.ID)
		}
	}
	if len(res.Results) != 3 || res.Robustness != nil {
		t.Errorf("%d results, robustness %v", len(res.Results), res.Robustness)
	}
}

func TestCompare(t *testing.T) {
	s := testServer(t)
	match := decodeAs[wire.MatchResponse](t, post(t, s.Handler(), "/v1/match", `{"project": `+picardyProject+`, "limit": 3}`), http.StatusOK)
	outside := "turnkey:ARA-1" // Auvergne-Rhône-Alpes: excluded by the project's région constraint
	ids := []string{match.Results[2].Site.ID, outside, match.Results[0].Site.ID}
	rec := post(t, s.Handler(), "/v1/compare", `{"project": `+picardyProject+`, "site_ids": `+mustJSON(t, ids)+`}`)
	res := decodeAs[wire.CompareResponse](t, rec, http.StatusOK)
	if len(res.Sites) != 3 {
		t.Fatalf("%d sites", len(res.Sites))
	}
	for i, id := range ids {
		if res.Sites[i].Site.ID != id {
			t.Errorf("site %d is %s, want %s (the order requested)", i, res.Sites[i].Site.ID, id)
		}
	}
	if res.Sites[2].Rank != 1 || res.Sites[0].Rank != 2 {
		t.Errorf("ranks %d, %d, %d", res.Sites[0].Rank, res.Sites[1].Rank, res.Sites[2].Rank)
	}
	if res.Sites[1].ExcludedBy == nil || *res.Sites[1].ExcludedBy != "region" {
		t.Errorf("excluded_by of %s = %v, want region", outside, res.Sites[1].ExcludedBy)
	}
	if res.Sites[0].ExcludedBy != nil {
		t.Errorf("excluded_by of an eligible site = %q", *res.Sites[0].ExcludedBy)
	}
	if res.Sites[2].Score != match.Results[0].Score {
		t.Errorf("compare score %v, match score %v", res.Sites[2].Score, match.Results[0].Score)
	}
	if !slices.Equal(res.Criteria, []string{"supply_chain", "transport", "labour", "training", "land", "territory"}) {
		t.Errorf("criteria %v", res.Criteria)
	}
	for _, cs := range res.Sites {
		if len(cs.Criteria) != len(res.Criteria) {
			t.Errorf("%s has %d criteria", cs.Site.ID, len(cs.Criteria))
		}
	}
}

func TestShortlist(t *testing.T) {
	s := testServer(t)
	rec := post(t, s.Handler(), "/v1/shortlist", `{"region": "28", "kinds": ["turnkey", "brownfield"], "sectors": ["aeronautics", "chemistry"], "min_km": 30, "runners_up": 3}`)
	res := decodeAs[wire.ShortlistResponse](t, rec, http.StatusOK)
	if res.Region.Code != "28" || res.Region.Name == "" || res.MinKm != 30 {
		t.Errorf("region %+v min_km %v", res.Region, res.MinKm)
	}
	if res.Best == nil {
		t.Fatalf("no pair: %s", res.Explain)
	}
	if len(res.RunnersUp) != 3 {
		t.Errorf("%d runners-up, want 3", len(res.RunnersUp))
	}
	for _, p := range append([]wire.PairJSON{*res.Best}, res.RunnersUp...) {
		if p.Km < 30 || p.SiteA.ID != p.A || p.SiteB.ID != p.B || p.SiteA.Region != "28" || len(p.Sectors) != 2 || p.Explain == "" {
			t.Errorf("pair %+v", p)
		}
		if p.Value < res.RunnersUp[len(res.RunnersUp)-1].Value {
			t.Errorf("pair %s+%s value %v below the last runner-up", p.A, p.B, p.Value)
		}
	}
	if !slices.Equal(res.Sectors, []string{"aeronautics", "chemistry"}) || !slices.Equal(res.Kinds, []string{"turnkey", "brownfield"}) {
		t.Errorf("sectors %v kinds %v", res.Sectors, res.Kinds)
	}
	// Defaults: only the région.
	def := decodeAs[wire.ShortlistResponse](t, post(t, s.Handler(), "/v1/shortlist", `{"region": "32"}`), http.StatusOK)
	if !slices.Equal(def.Sectors, matching.DefaultShortlistSectors) || def.MinKm != matching.DefaultShortlistMinKm || def.RunnersUp == nil {
		t.Errorf("defaults: sectors %v min_km %v runners_up %v", def.Sectors, def.MinKm, def.RunnersUp)
	}
}

// TestShortlistRegionNamesAndNoRunnersUp: the région by name (case,
// accents, hyphens ignored) gives the same pair as its code; runners_up 0
// gives none, its absence the default number.
func TestShortlistRegionNamesAndNoRunnersUp(t *testing.T) {
	s := testServer(t)
	byCode := decodeAs[wire.ShortlistResponse](t, post(t, s.Handler(), "/v1/shortlist", `{"region": "28"}`), http.StatusOK)
	if len(byCode.RunnersUp) != matching.DefaultRunnersUp || byCode.Best == nil {
		t.Fatalf("default: %d runners-up, want %d; best %v", len(byCode.RunnersUp), matching.DefaultRunnersUp, byCode.Best)
	}
	for _, name := range []string{"normandie", "NORMANDIE", " Normandie "} {
		got := decodeAs[wire.ShortlistResponse](t, post(t, s.Handler(), "/v1/shortlist", `{"region": "`+name+`", "runners_up": 0}`), http.StatusOK)
		if got.Region.Code != "28" || got.Best == nil || got.Best.A != byCode.Best.A || got.Best.B != byCode.Best.B {
			t.Errorf("%q: région %+v best %+v, want the pair of 28", name, got.Region, got.Best)
		}
		if got.RunnersUp == nil || len(got.RunnersUp) != 0 {
			t.Errorf("%q with runners_up 0: %v, want []", name, got.RunnersUp)
		}
	}
	ara := decodeAs[wire.ShortlistResponse](t, post(t, s.Handler(), "/v1/shortlist", `{"region": "auvergne-rhone-alpes", "runners_up": 1}`), http.StatusOK)
	if ara.Region.Code != "84" || len(ara.RunnersUp) != 1 {
		t.Errorf("auvergne-rhone-alpes: région %+v, %d runners-up", ara.Region, len(ara.RunnersUp))
	}
	rec := post(t, s.Handler(), "/v1/shortlist", `{"region": "Bretagne Nord", "runners_up": -1}`)
	pb := decodeAs[Problem](t, rec, http.StatusBadRequest)
	fields := map[string]string{}
	for _, e := range pb.Errors {
		fields[e.Field] = e.Message
	}
	if !strings.Contains(fields["region"], "28 Normandie") || !strings.Contains(fields["region"], "44 Grand Est") || fields["runners_up"] == "" {
		t.Errorf("errors %+v: want region listing the codes with their names, and runners_up", pb.Errors)
	}
}

// TestMatchRegionNames: constraints.regions and departements take names;
// the response echoes the codes and ranks as with the codes.
func TestMatchRegionNames(t *testing.T) {
	s := testServer(t)
	byName := decodeAs[wire.MatchResponse](t, post(t, s.Handler(), "/v1/match",
		`{"project": {"name": "x", "constraints": {"regions": ["Normandie"], "departements": ["seine-maritime", "eure"]}}, "limit": 5}`), http.StatusOK)
	byCode := decodeAs[wire.MatchResponse](t, post(t, s.Handler(), "/v1/match",
		`{"project": {"name": "x", "constraints": {"regions": ["28"], "departements": ["76", "27"]}}, "limit": 5}`), http.StatusOK)
	if mustJSON(t, byName) != mustJSON(t, byCode) {
		t.Errorf("names and codes rank differently:\n%s\n%s", mustJSON(t, byName.Project), mustJSON(t, byCode.Project))
	}
	if len(byName.Results) == 0 || byName.Results[0].Site.Region != "28" {
		t.Errorf("results %+v", byName.Results)
	}
	rec := post(t, s.Handler(), "/v1/match", `{"project": {"name": "x", "constraints": {"regions": ["Normandy"]}}}`)
	pb := decodeAs[Problem](t, rec, http.StatusBadRequest)
	if len(pb.Errors) != 1 || pb.Errors[0].Field != "project.constraints.regions[0]" || !strings.Contains(pb.Errors[0].Message, "28 Normandie") {
		t.Errorf("errors %+v", pb.Errors)
	}
}

func TestSite(t *testing.T) {
	s := testServer(t)
	eng := testEngine(t)
	for _, id := range []string{"turnkey:ARA-1", eng.Candidates()[len(eng.Candidates())/2].Site.ID, "town:acv-01053"} {
		rec := get(t, s.Handler(), "/v1/sites/"+id)
		res := decodeAs[wire.SiteResponse](t, rec, http.StatusOK)
		c, _ := eng.Candidate(id)
		if res.Site.ID != id || res.Site.Commune.Code != c.Commune.Code {
			t.Errorf("site %+v", res.Site)
		}
		f := res.Features
		if len(f.Transport) != len(matching.TransportModes) {
			t.Errorf("%s: %d transport modes", id, len(f.Transport))
		}
		for m, mode := range matching.Modes {
			n := f.Transport[mode]
			if n == nil {
				t.Errorf("%s: no %s", id, mode)
				continue
			}
			if want := math.Round(c.Nearest[m].Km*10) / 10; n.Km != want || n.ID == "" {
				t.Errorf("%s %s: %+v, want km %v", id, mode, n, want)
			}
		}
		if f.Labour.RadiusKm != 30 || f.Labour.Active != c.Active || f.Labour.Communes == 0 {
			t.Errorf("%s labour %+v", id, f.Labour)
		}
		if f.Training.Count != len(f.Training.Lycees) || f.Training.Count != len(c.Lycees) {
			t.Errorf("%s training count %d, %d lycées", id, f.Training.Count, len(f.Training.Lycees))
		}
		for i, l := range f.Training.Lycees {
			if l.Km > matching.TrainingRadiusKm || (i > 0 && l.Km < f.Training.Lycees[i-1].Km) || l.Trades == nil {
				t.Errorf("%s lycée %d: %+v", id, i, l)
			}
		}
		if (c.Commune.TI != "") != (f.TerritoireIndustrie != nil) || (c.ACV >= 0) != (f.ACVTown != nil) || f.FRR != c.Commune.FRR {
			t.Errorf("%s programmes: ti %v acv %v frr %q", id, f.TerritoireIndustrie, f.ACVTown, f.FRR)
		}
		// Energy: the nearest substations of the candidate, on the mainland.
		if hv := f.Energy.Substation.HV; hv == nil || f.Energy.Substation.Any == nil || f.Energy.Source == nil ||
			hv.VoltageKV < matching.EnergyHVMinKV || hv.Km != math.Round(c.Energy.HV.Km*10)/10 ||
			f.Energy.Substation.Any.Km > hv.Km || f.Energy.NotApplicable != "" {
			t.Errorf("%s energy %+v", id, f.Energy)
		}
	}
	// Off the mainland, energy features are all null with the reason.
	rec := get(t, s.Handler(), "/v1/sites/brownfield:97407_20188")
	if res := decodeAs[wire.SiteResponse](t, rec, http.StatusOK); res.Features.Energy.Substation.HV != nil ||
		res.Features.Energy.Substation.Any != nil || res.Features.Energy.Source != nil || res.Features.Energy.NotApplicable != matching.EnergyNA {
		t.Errorf("Réunion site energy %+v", res.Features.Energy)
	}
	// Escaped ids work too.
	if rec := get(t, s.Handler(), "/v1/sites/turnkey%3AARA-1"); rec.Code != http.StatusOK {
		t.Errorf("escaped id: %d", rec.Code)
	}
}

func TestProfilesAndMeta(t *testing.T) {
	s := testServer(t)
	pr := decodeAs[wire.ProfilesResponse](t, get(t, s.Handler(), "/v1/profiles"), http.StatusOK)
	if len(pr.Profiles) != len(matching.Profiles) || len(pr.TradeFamilies) != len(data.TradeFamilies) {
		t.Errorf("%d profiles, %d trade families", len(pr.Profiles), len(pr.TradeFamilies))
	}
	for _, p := range pr.Profiles {
		if p.Reasoning == "" || len(p.Weights) < 6 || len(p.Trades) == 0 || len(p.Transport) == 0 || len(p.NAF) == 0 {
			t.Errorf("profile %+v", p)
		}
		for _, tr := range p.Trades {
			if _, ok := data.TradeFamilyByID(tr); !ok {
				t.Errorf("profile %s names unknown trade %q", p.ID, tr)
			}
		}
	}
	if len(pr.Modes) != len(matching.TransportModes) || len(pr.Criteria) != len(matching.Criteria) || len(pr.Defaults.Weights) != len(matching.Criteria) {
		t.Errorf("modes %v criteria %v defaults %v", pr.Modes, pr.Criteria, pr.Defaults)
	}
	// What each criterion needs is published from the table, in its order.
	need := map[string]string{}
	for i, r := range pr.Requirements {
		if i >= len(pr.Criteria) || r.Criterion != pr.Criteria[i] || r.Requires == nil {
			t.Errorf("requirement %d %+v against criteria %v", i, r, pr.Criteria)
		}
		need[r.Criterion] = strings.Join(r.Requires, "+") + "/" + r.Sites
	}
	want := map[string]string{matching.SupplyChain: "partners/", matching.Transport: "transport/", matching.Labour: "jobs/",
		matching.Training: "/", matching.Land: "land_ha/", matching.Ecosystem: "naf/", matching.Territory: "/",
		matching.Energy: "weight/mainland", matching.SevesoPlatform: "seveso+weight/"}
	if !maps.Equal(need, want) {
		t.Errorf("requirements %v, want %v", need, want)
	}
	if pr.Defaults.MaxPerCommune != matching.DefaultMaxPerCommune || pr.Defaults.SevesoWeights[matching.SevesoPlatform] != matching.SevesoPlatformWeight {
		t.Errorf("defaults %+v", pr.Defaults)
	}
	meta := decodeAs[wire.MetaResponse](t, get(t, s.Handler(), "/v1/meta"), http.StatusOK)
	cat := testEngine(t).Catalogue()
	if meta.DataVersion != cat.Version || meta.Layers["brownfields"] != len(cat.Brownfields) || len(meta.Layers) != len(data.LayerNames) {
		t.Errorf("meta %v %v", meta.DataVersion, meta.Layers)
	}
	if len(meta.Sources) != len(cat.Sources) || len(meta.CoverageGaps) != len(data.Gaps) || meta.Candidates != len(testEngine(t).Candidates()) {
		t.Errorf("%d sources, %d gaps, %d candidates", len(meta.Sources), len(meta.CoverageGaps), meta.Candidates)
	}
	if meta.Limits.MaxBodyBytes != 1<<20 || meta.Limits.MaxBatchBodyBytes != 64<<20 {
		t.Errorf("limits %+v", meta.Limits)
	}
}

// batchLines reads an NDJSON answer.
func batchLines(t *testing.T, body string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("answer line is not JSON: %.300s", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func TestBatch(t *testing.T) {
	s := testServer(t)
	long := `{"name": "` + strings.Repeat("x", 1<<20) + `"}`
	in := strings.Join([]string{
		picardyProject[:0] + strings.ReplaceAll(picardyProject, "\n", " "), // 1
		`{"name": "bad", "jobs": "many"}`,                                  // 2: wrong type
		``,                                                                 // 3: blank, skipped
		`{"name": "broken"`,                                                // 4: malformed
		smallProject,                                                       // 5
		long,                                                               // 6: over 1 MiB
		`{"name": "Lyon", "suppliers": [{"commune": "69123"}]}`, // 7
	}, "\n") + "\n"
	rec := do(t, s.Handler(), request{method: http.MethodPost, path: "/v1/batch?limit=2", body: in, ctype: "application/x-ndjson"})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("status %d, Content-Type %q: %.500s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	lines := batchLines(t, rec.Body.String())
	want := []struct {
		line   int
		status int
		field  string
	}{{1, 200, ""}, {2, 400, "project.jobs"}, {4, 400, "body"}, {5, 200, ""}, {6, 413, "body"}, {7, 200, ""}}
	if len(lines) != len(want) {
		t.Fatalf("%d answer lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		l := lines[i]
		if int(l["line"].(float64)) != w.line || int(l["status"].(float64)) != w.status {
			t.Errorf("answer %d: line %v status %v, want %d %d", i, l["line"], l["status"], w.line, w.status)
		}
		if w.status == 200 {
			if rs := l["results"].([]any); len(rs) != 2 {
				t.Errorf("line %d: %d results, want 2 (limit=2)", w.line, len(rs))
			}
			continue
		}
		errs := l["errors"].([]any)
		if len(errs) == 0 || errs[0].(map[string]any)["field"] != w.field || !strings.HasPrefix(l["type"].(string), "/problems/") {
			t.Errorf("line %d: problem %v", w.line, l)
		}
	}
	// A batch line answers exactly what /v1/match answers.
	one := post(t, s.Handler(), "/v1/match", `{"project": `+smallProject+`, "limit": 2}`)
	var m map[string]any
	_ = json.Unmarshal(one.Body.Bytes(), &m)
	m["line"], m["status"] = float64(5), float64(200)
	if mustJSON(t, m) != mustJSON(t, lines[3]) {
		t.Error("batch line 5 differs from POST /v1/match on the same project")
	}
}

func TestBatchManyLinesInOrder(t *testing.T) {
	s := testServer(t)
	var b strings.Builder
	const n = 60
	for i := range n {
		fmt.Fprintf(&b, `{"name": "p%d", "jobs": %d, "suppliers": [{"commune": "%s"}]}`+"\n", i, 10+i, franceCommunes[i%len(franceCommunes)])
	}
	rec := do(t, s.Handler(), request{method: http.MethodPost, path: "/v1/batch?limit=1", body: b.String(), ctype: "application/x-ndjson"})
	lines := batchLines(t, rec.Body.String())
	if len(lines) != n {
		t.Fatalf("%d lines, want %d", len(lines), n)
	}
	for i, l := range lines {
		if int(l["line"].(float64)) != i+1 || l["project"].(map[string]any)["name"] != fmt.Sprintf("p%d", i) {
			t.Fatalf("answer %d is line %v (%v)", i, l["line"], l["project"])
		}
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	h := s.Handler()
	if rec := get(t, h, "/healthz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ok"`) {
		t.Errorf("healthz %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, h, "/readyz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ready"`) {
		t.Errorf("readyz %d %s", rec.Code, rec.Body)
	}
	post(t, h, "/v1/match", `{"project": `+smallProject+`}`)
	post(t, h, "/v1/match", `{"project": {}}`)
	get(t, h, "/v1/sites/turnkey:ARA-1")
	get(t, h, "/nowhere/at/all")
	rec := get(t, h, "/metrics")
	body := rec.Body.String()
	for _, want := range []string{
		`sitematch_http_requests_total{method="POST",route="/v1/match",status="200"} 1`,
		`sitematch_http_requests_total{method="POST",route="/v1/match",status="400"} 1`,
		`sitematch_http_requests_total{method="GET",route="/v1/sites/:id",status="200"} 1`,
		`sitematch_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`sitematch_http_request_duration_seconds_bucket{method="POST",route="/v1/match",status="200",le="+Inf"} 1`,
		`sitematch_match_duration_seconds_count{operation="match"} 1`,
		fmt.Sprintf(`sitematch_candidates_considered_total{operation="match"} %d`, len(testEngine(t).Candidates())),
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	s.draining.Store(true)
	if rec := get(t, h, "/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz while draining: %d", rec.Code)
	}
}

// TestBatchLimits: a batch body over the batch limit ends the stream with
// a 413 problem line after the lines read so far (a chunked body has no
// Content-Length to refuse up front); a declared Content-Length over the
// limit is refused before streaming; a line over the time limit is
// answered 503 in place.
func TestBatchLimits(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxBatchBody: 400, MaxBody: 300})
	line := smallProject + "\n" // 35 bytes
	body := strings.Repeat(line, 20)
	req := httptest.NewRequest(http.MethodPost, "/v1/batch", io.MultiReader(strings.NewReader(body))) // no length: chunked
	req.Header.Set("Content-Type", "application/x-ndjson")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	lines := batchLines(t, rec.Body.String())
	last := lines[len(lines)-1]
	if rec.Code != 200 || last["status"].(float64) != 413 || int(last["line"].(float64)) != len(lines) || len(lines) < 5 {
		t.Errorf("status %d, %d lines, last line %v status %v", rec.Code, len(lines), last["line"], last["status"])
	}
	for _, l := range lines[:len(lines)-1] {
		if l["status"].(float64) != 200 {
			t.Errorf("line %v: %v", l["line"], l["status"])
		}
	}
	rec = do(t, s.Handler(), request{method: "POST", path: "/v1/batch", body: body, ctype: mimeNDJSON})
	if p := decodeAs[Problem](t, rec, 413); p.Errors[0].Field != "body" {
		t.Errorf("problem %+v", p)
	}

	slow, _ := newTestServer(t, Config{RequestTimeout: time.Millisecond})
	rec = do(t, slow.Handler(), request{method: "POST", path: "/v1/batch?robustness=true&draws=500&limit=1000", body: strings.ReplaceAll(franceProject(), "\n", " ") + "\n", ctype: mimeNDJSON})
	lines = batchLines(t, rec.Body.String())
	if len(lines) != 1 || lines[0]["status"].(float64) != 503 || lines[0]["type"] != "/problems/timeout" {
		t.Errorf("timed-out line: %v", lines)
	}
}

func TestHeadAndContentEncoding(t *testing.T) {
	h := testServer(t).Handler()
	for _, path := range []string{"/", "/collections/turnkey/items", "/v1/meta", "/api", "/healthz"} {
		rec := do(t, h, request{method: "HEAD", path: path})
		if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") == "" {
			t.Errorf("HEAD %s: %d, %d bytes, %q", path, rec.Code, rec.Body.Len(), rec.Header().Get("Content-Type"))
		}
	}
	rec := do(t, h, request{method: "POST", path: "/v1/match", body: matchBody(smallProject), header: map[string]string{"Content-Encoding": "gzip"}})
	if p := decodeAs[Problem](t, rec, 415); p.Errors[0].Field != "Content-Encoding" {
		t.Errorf("problem %+v", p)
	}
}
