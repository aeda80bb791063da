package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sitematch/api/wire"
)

// TestPartnerSummary: a result lists its nearest wire.MaxPartnerDetail partners,
// nearest first, and summarises the others; the listed and the summarised
// add up to the project's partners and their weight.
func TestPartnerSummary(t *testing.T) {
	s := testServer(t)
	var sup []string
	total := 0.0
	for i := range 35 {
		w := float64(1 + i%3)
		total += w
		sup = append(sup, fmt.Sprintf(`{"commune": "%s", "weight": %g}`, franceCommunes[i%len(franceCommunes)], w))
	}
	body := `{"project": {"name": "p", "jobs": 100, "suppliers": [` + strings.Join(sup, ",") + `]}, "limit": 5}`
	res := decodeAs[wire.MatchResponse](t, post(t, s.Handler(), "/v1/match", body), http.StatusOK)
	if len(res.Results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range res.Results {
		raw, err := json.Marshal(r.Criteria["supply_chain"].Detail)
		if err != nil {
			t.Fatal(err)
		}
		var d wire.SupplyChainDetailJSON
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Partners) != wire.MaxPartnerDetail || d.Others == nil || d.Others.Count != 35-wire.MaxPartnerDetail {
			t.Fatalf("%s: %d partners listed, others %+v", r.Site.ID, len(d.Partners), d.Others)
		}
		w := d.Others.Weight
		for i, p := range d.Partners {
			w += p.Weight
			if i > 0 && p.Km < d.Partners[i-1].Km {
				t.Errorf("%s: partners not nearest first: %v after %v", r.Site.ID, p.Km, d.Partners[i-1].Km)
			}
			if p.Km > d.Others.MeanKm+0.05 {
				t.Errorf("%s: listed partner at %v km beyond the others' mean %v", r.Site.ID, p.Km, d.Others.MeanKm)
			}
		}
		if diff := w - total; diff > 1e-6 || diff < -1e-6 {
			t.Errorf("%s: weights add up to %v, want %v", r.Site.ID, w, total)
		}
	}
}

// TestDetailedResults: the first wire.MaxDetailedResults results of a match
// carry every criterion's detail, those below none, with their scores and
// explanations whole; the answer says how many are detailed.
func TestDetailedResults(t *testing.T) {
	s := testServer(t)
	body := `{"project": {"name": "p", "jobs": 100, "land_ha": 5, "suppliers": [{"commune": "76540"}]}, "limit": 150}`
	res := decodeAs[wire.MatchResponse](t, post(t, s.Handler(), "/v1/match", body), http.StatusOK)
	if len(res.Results) != 150 || res.DetailedResults != wire.MaxDetailedResults {
		t.Fatalf("%d results, %d detailed; want 150, %d", len(res.Results), res.DetailedResults, wire.MaxDetailedResults)
	}
	for i, r := range res.Results {
		if len(r.Criteria) < 5 {
			t.Fatalf("result %d: %d criteria", i+1, len(r.Criteria))
		}
		for id, c := range r.Criteria {
			if (c.Detail != nil) != (i < wire.MaxDetailedResults) {
				t.Fatalf("result %d, %s: detail %v, want one only in the first %d", i+1, id, c.Detail, wire.MaxDetailedResults)
			}
			if c.Explain == "" || c.Weight <= 0 {
				t.Errorf("result %d, %s: explain %q, weight %v", i+1, id, c.Explain, c.Weight)
			}
		}
	}
}

// TestErrorsBounded: a body with thousands of bad fields gets the first
// MaxErrors of them and their total count.
func TestErrorsBounded(t *testing.T) {
	s := testServer(t)
	trades := make([]string, 900)
	for i := range trades {
		trades[i] = fmt.Sprintf(`"no-such-trade-%d"`, i)
	}
	var sup []string
	for range 300 {
		sup = append(sup, `{"lon": 500, "lat": 100}`)
	}
	body := `{"project": {"name": "p", "trades": [` + strings.Join(trades, ",") + `], "suppliers": [` + strings.Join(sup, ",") + `]}}`
	rec := post(t, s.Handler(), "/v1/match", body)
	p := decodeAs[Problem](t, rec, http.StatusBadRequest)
	if len(p.Errors) != MaxErrors || p.ErrorCount < 900 {
		t.Errorf("%d errors listed, error_count %d", len(p.Errors), p.ErrorCount)
	}
	if rec.Body.Len() > 64<<10 {
		t.Errorf("problem of %d bytes", rec.Body.Len())
	}
	// A few errors: no count, as before.
	p = decodeAs[Problem](t, post(t, s.Handler(), "/v1/match", `{"project": {"name": "p", "jobs": -1}}`), http.StatusBadRequest)
	if len(p.Errors) != 1 || p.ErrorCount != 0 {
		t.Errorf("one error: %+v", p)
	}
}

// TestBatchStopsAfterBadRun: MaxBadBatchLines bad lines in a row end the
// batch with a batch-stopped line; a good line resets the run.
func TestBatchStopsAfterBadRun(t *testing.T) {
	s := testServer(t)
	good := `{"name": "p", "jobs": 100}`
	var in []string
	for range MaxBadBatchLines - 1 {
		in = append(in, `{}`)
	}
	in = append(in, good) // resets the run
	for range 3 * MaxBadBatchLines {
		in = append(in, `{}`)
	}
	rec := do(t, s.Handler(), request{method: "POST", path: "/v1/batch?limit=1", body: strings.Join(in, "\n") + "\n", ctype: mimeNDJSON})
	lines := batchLines(t, rec.Body.String())
	want := MaxBadBatchLines + MaxBadBatchLines + 1 // the first run, the good line, the second run, the stop line
	if len(lines) != want {
		t.Fatalf("%d answer lines, want %d", len(lines), want)
	}
	last := lines[len(lines)-1]
	if last["type"] != "/problems/batch-stopped" || int(last["line"].(float64)) != 2*MaxBadBatchLines+1 {
		t.Errorf("last line %v", last)
	}
	if lines[MaxBadBatchLines-1]["status"].(float64) != 200 {
		t.Errorf("the good line: %v", lines[MaxBadBatchLines-1]["status"])
	}
}
