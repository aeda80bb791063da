package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const storeTestdata = "../../data/store/testdata/"

// TestRegistryImport imports the CNIG fixtures (dry run first), then a
// malformed file, which exits 2 naming the file, line and field, and
// writes nothing.
func TestRegistryImport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reg.gpkg")
	sites, plots := storeTestdata+"cnig_site_eco.csv", storeTestdata+"cnig_terrain_eco.csv"
	// Only serve and keys create create a registry.
	code, out, errs := runCmd(t, "registry", "import", "--db", db, "--dry-run", "--format", "cnig", sites, plots)
	if code != exitError || !strings.Contains(errs, "no site registry at "+db) || !strings.Contains(errs, "keys create") {
		t.Errorf("import into a missing registry: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("registry import created %s", db)
	}
	if code, _, errs := runCmd(t, "keys", "create", "--db", db, "--name", "root", "--role", "admin"); code != exitOK {
		t.Fatalf("keys create: exit %d %s", code, errs)
	}
	code, out, errs = runCmd(t, "registry", "import", "--db", db, "--dry-run", "--format", "cnig", sites, plots)
	if code != exitOK || !strings.Contains(out, "dry run: 3 created, 0 updated, 0 unchanged, 0 invalid") ||
		!strings.Contains(out, "create  zone:80024_SITE-ECO_00001") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "registry", "import", "--db", db, "--format", "cnig", sites, plots)
	if code != exitOK || !strings.Contains(out, "import: 3 created") || !strings.Contains(out, "written in one transaction") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	before, _ := os.ReadFile(db)
	code, out, errs = runCmd(t, "registry", "import", "--db", db, "--format", "cnig", storeTestdata+"cnig_malformed.csv")
	if code != exitUsage || !strings.Contains(errs, "cnig_malformed.csv:3: properties.area_ha: (column site_surf_brute) must be a number") ||
		!strings.Contains(out, "nothing written") {
		t.Errorf("malformed: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = runCmd(t, "registry", "import", "--db", db, "--format", "cnig", storeTestdata+"cnig_truncated.csv")
	if code != exitUsage || !strings.Contains(errs, "cnig_truncated.csv:3: malformed CSV") {
		t.Errorf("truncated: exit %d\n%s", code, errs)
	}
	after, _ := os.ReadFile(db)
	if string(before) != string(after) {
		t.Error("a failed import changed the registry file")
	}
	code, out, errs = runCmd(t, "registry", "import", "--db", db, "--format", "csv", "--kind", "zone",
		"--map", "id=IDENT,name=NOM_SITE,commune=INSEE,area_ha=SURF_HA", storeTestdata+"zones_lonlat.csv")
	if code != exitOK || !strings.Contains(out, "2 created") {
		t.Errorf("csv with a mapping: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs = runCmd(t, "registry", "import", "--db", db, "--map", "surface=X", sites); code != exitUsage || !strings.Contains(errs, "map: unknown field \"surface\"") {
		t.Errorf("bad mapping: exit %d\n%s", code, errs)
	}
	if code, _, _ = runCmd(t, "registry", "import", "--db", db, filepath.Join(t.TempDir(), "missing.csv")); code != exitError {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}

// TestRegistryImportExamples imports the sample files of docs/examples/
// as the README and docs/examples/README.md show, with what they say.
func TestRegistryImportExamples(t *testing.T) {
	const ex = "../../docs/examples/"
	db := filepath.Join(t.TempDir(), "reg.gpkg")
	if code, _, errs := runCmd(t, "keys", "create", "--db", db, "--name", "ad-normandie", "--role", "region-editor", "--region", "28"); code != exitOK {
		t.Fatalf("keys create: exit %d %s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--dry-run", "--format", "cnig", ex + "cnig/SITE-ECO.csv", ex + "cnig/TERRAIN-ECO.csv"},
			[]string{"dry run: 1 created, 0 updated, 0 unchanged, 0 invalid", "create  zone:76319_SITE-ECO_00001"}},
		{[]string{ex + "turnkey-le-havre.geojson"}, []string{"import: 0 created, 0 updated, 3 unchanged, 0 invalid"}},
		{[]string{ex + "brownfields-normandie.csv"}, []string{"import: 0 created, 3 updated, 0 unchanged, 0 invalid",
			"update  brownfield:76005_22562", "area_ha"}},
	} {
		code, out, errs := runCmd(t, append([]string{"registry", "import", "--db", db}, tc.args...)...)
		for _, w := range tc.want {
			if code != exitOK || !strings.Contains(out, w) {
				t.Errorf("%v: exit %d, want %q in:\n%s%s", tc.args, code, w, out, errs)
			}
		}
	}
}
