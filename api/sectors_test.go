package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"sitematch/api/wire"
	"sitematch/matching"
)

// TestSector: GET /v1/sectors/{naf} gives the branch, its suppliers and
// customers from the table, sorted by share, and a named error for a bad
// code.
func TestSector(t *testing.T) {
	s := testServer(t)
	cat := testEngine(t).Catalogue()
	res := decodeAs[wire.SectorResponse](t, get(t, s.Handler(), "/v1/sectors/30.30Z"), http.StatusOK)
	if res.Branch != "CL" || res.Division != "30" || res.NAF != "30.30Z" || !strings.HasPrefix(res.BranchLabel, "Fabrication de matériels de transport") {
		t.Errorf("branch %+v", res)
	}
	if len(res.Suppliers) == 0 || len(res.Suppliers) > matching.MaxSectorLinks || len(res.Customers) == 0 {
		t.Fatalf("suppliers %d, customers %d", len(res.Suppliers), len(res.Customers))
	}
	for i, b := range res.Suppliers {
		if want := cat.IO.Share("CL", b.Branch); b.Share != wire.Round(want, 4) || b.Label == "" {
			t.Errorf("supplier %s share %v, table %v", b.Branch, b.Share, want)
		}
		if i > 0 && b.Share > res.Suppliers[i-1].Share {
			t.Errorf("suppliers not sorted by share at %d", i)
		}
	}
	for _, b := range res.Customers {
		if want := cat.IO.Share(b.Branch, "CL"); b.Share != wire.Round(want, 4) {
			t.Errorf("customer %s share %v, table %v", b.Branch, b.Share, want)
		}
	}
	if res.Suppliers[0].Branch != "CL" {
		t.Errorf("CL's first supplier is %s, want CL itself (self-supply)", res.Suppliers[0].Branch)
	}
	if len(res.Profiles) == 0 || res.Profiles[0] != "aeronautics" {
		t.Errorf("profiles %v", res.Profiles)
	}
	for path, want := range map[string]string{"/v1/sectors/3": "division or finer", "/v1/sectors/00": "unknown NAF division"} {
		rec := get(t, s.Handler(), path)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), want) || !strings.Contains(rec.Body.String(), `"naf"`) {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// TestTerritory: GET /v1/territories/{code} for an EPCI and a Territoire
// d'industrie, counted from the catalogue's records; unknown codes are 404.
func TestTerritory(t *testing.T) {
	s := testServer(t)
	eng := testEngine(t)
	cat := eng.Catalogue()
	const rouen = "200023414" // Métropole Rouen Normandie: the Urssaf sample covers it
	res := decodeAs[wire.TerritoryResponse](t, get(t, s.Handler(), "/v1/territories/"+rouen), http.StatusOK)
	communes := map[string]bool{}
	active := 0
	for _, c := range cat.Communes {
		if c.EPCI == rouen {
			communes[c.Code] = true
			active += c.Active
		}
	}
	est, jobs := 0, 0
	for _, f := range cat.Facilities {
		if communes[f.Commune] {
			est++
		}
	}
	for _, j := range cat.Jobs {
		if communes[j.Commune] {
			jobs += j.Jobs
		}
	}
	sites := 0
	for _, c := range eng.Candidates() {
		if communes[c.Commune.Code] {
			sites++
		}
	}
	gotSites := 0
	for _, n := range res.Land.Sites {
		gotSites += n
	}
	if res.Kind != "epci" || res.Communes != len(communes) || res.Labour.Active != active || res.SupplierBase.Establishments != est ||
		res.SupplierBase.Jobs == nil || *res.SupplierBase.Jobs != jobs || jobs == 0 || est == 0 || gotSites != sites {
		t.Errorf("Rouen: %+v; want %d communes, %d active, %d establishments, %d jobs, %d sites", res, len(communes), active, est, jobs, sites)
	}
	if res.Transport["motorway"].Km == nil || res.SupplierBase.JobsYear != 2022 {
		t.Errorf("transport %+v, jobs year %d", res.Transport, res.SupplierBase.JobsYear)
	}
	// A territoire d'industrie outside the Urssaf coverage: no jobs.
	ti := ""
	for _, c := range cat.Communes {
		if c.TI != "" && c.Dep == "31" {
			ti = c.TI
			break
		}
	}
	res = decodeAs[wire.TerritoryResponse](t, get(t, s.Handler(), "/v1/territories/"+ti), http.StatusOK)
	if res.Kind != "territoire_industrie" || res.SupplierBase.Jobs != nil || res.Communes == 0 {
		t.Errorf("%s: %+v", ti, res)
	}
	raw, _ := json.Marshal(res)
	if !strings.Contains(string(raw), `"jobs":null`) {
		t.Errorf("jobs should be null outside the Urssaf coverage: %s", raw)
	}
	if rec := get(t, s.Handler(), "/v1/territories/123"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown territory: %d", rec.Code)
	}
}
