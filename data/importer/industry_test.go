package importer

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sitematch/data"
	"sitematch/data/importer/importertest"
)

// TestUrssafFilePrefersTheNationalFile: beside the Seine-Maritime sample, a
// national file is the one read; alone, the sample is.
func TestUrssafFilePrefersTheNationalFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "industry"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, ok := urssafFile(dir); ok {
		t.Fatal("a file found in an empty folder")
	}
	for _, name := range []string{"urssaf_etab-effectifs_commune-x-ape_SAMPLE_seine-maritime.csv", "urssaf_etab-effectifs_commune-x-ape-last.csv"} {
		if err := os.WriteFile(filepath.Join(dir, "industry", name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		got, ok := urssafFile(dir)
		if want := filepath.Join("industry", name); !ok || got != want {
			t.Errorf("picked %q, want %q", got, want)
		}
	}
}

// TestIndustryLayersFromRaw recounts the snapshot's industry layers from
// the raw files with plain loops: the Urssaf sample's 2022 jobs per commune
// × APE, and the IREP rows kept (located, not agricultural).
func TestIndustryLayersFromRaw(t *testing.T) {
	raw := importertest.Raw(t)
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	recs := readRaw(t, filepath.Join(raw, "industry/urssaf_etab-effectifs_commune-x-ape_SAMPLE_seine-maritime.csv"), ';')
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	want := map[string]int{}
	for _, r := range recs[1:] {
		if v := r[col["Effectifs salariés 2022"]]; v != "" {
			n, _ := strconv.ParseFloat(v, 64)
			if n > 0 {
				want[r[col["Code commune"]]+" "+r[col["Code APE"]]] += int(n)
			}
		}
	}
	got := map[string]int{}
	for _, j := range cat.Jobs {
		got[j.Commune+" "+j.APE] += j.Jobs
		if j.Year != 2022 {
			t.Fatalf("year %d", j.Year)
		}
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Errorf("%d commune × APE rows, raw %d", len(got), len(want))
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d jobs, raw %d", k, got[k], n)
		}
	}
	if cov := cat.JobsCoverage(); len(cov) != 1 || cov[0] != "76" {
		t.Errorf("coverage %v", cov)
	}

	irep := readRaw(t, filepath.Join(raw, "industry/irep_etablissements_registre_emissions_polluantes_c2015.csv"), ',')
	ic := map[string]int{}
	for i, h := range irep[0] {
		ic[h] = i
	}
	kept := map[string]string{}
	for _, r := range irep[1:] {
		ape := r[ic["Code_APE"]]
		if r[ic["lon"]] == "" || len(ape) < 2 || ape[:2] <= "03" {
			continue
		}
		if b, ok := cat.IO.BranchOfNAF(ape); ok {
			kept[r[ic["Identifiant"]]] = b
		}
	}
	if len(kept) != len(cat.Facilities) {
		t.Errorf("%d establishments, raw %d located non-agricultural rows with a known division", len(cat.Facilities), len(kept))
	}
	for _, f := range cat.Facilities {
		if kept[f.ID] != f.Branch {
			t.Errorf("%s: branch %q, raw %q", f.ID, f.Branch, kept[f.ID])
		}
	}
}

func readRaw(t *testing.T, path string, sep rune) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = sep, true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
