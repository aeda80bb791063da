package main

import (
	"strings"
	"testing"

	"sitematch/data/store/postgis/pgtest"
)

// TestCommandsOnPostGIS runs the registry commands with --db postgres://…
// (and SITEMATCH_DB): read commands refuse a database without a registry
// and create nothing; keys create creates it; registry import writes to
// it; match, shortlist and info read it, and info's data version is the
// one a replica serves; messages never show the password.
func TestCommandsOnPostGIS(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	withPassword := strings.Replace(dsn, "postgres@", "postgres:s3cret-pw@", 1) // trust auth: the password is ignored
	if code, _, errs := runCmd(t, "keys", "list", "--db", withPassword); code != exitError || !strings.Contains(errs, "no sitematch registry") ||
		strings.Contains(errs, "s3cret") {
		t.Errorf("keys list on an empty database: exit %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "match", "--db", dsn, "../../data/examples/chemistry-intermediates-axe-seine.json"); code != exitError ||
		!strings.Contains(errs, "no sitematch registry") {
		t.Errorf("match on an empty database: exit %d %s", code, errs)
	}
	code, out, errs := runCmd(t, "keys", "create", "--db", withPassword, "--name", "ops", "--role", "admin")
	if code != exitOK || !strings.Contains(errs, "created the registry") || strings.Contains(errs+out, "s3cret") {
		t.Fatalf("keys create: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, _ := runCmd(t, "keys", "list", "--db", dsn); code != exitOK || !strings.Contains(out, "ops   admin") {
		t.Errorf("keys list: exit %d\n%s", code, out)
	}
	code, out, errs = runCmd(t, "registry", "import", "--db", dsn, "--format", "cnig",
		"../../docs/examples/cnig/SITE-ECO.csv", "../../docs/examples/cnig/TERRAIN-ECO.csv")
	if code != exitOK || !strings.Contains(out, "1 created") || !strings.Contains(out, "written in one transaction") {
		t.Fatalf("registry import: exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("SITEMATCH_DB", dsn)
	code, out, errs = runCmd(t, "match", "--json", "../../data/examples/chemistry-intermediates-axe-seine.json")
	if code != exitOK || !strings.Contains(errs, "reading the snapshot with the site registry postgres://") {
		t.Errorf("match with SITEMATCH_DB: exit %d\n%s", code, errs)
	}
	code, info, errs := runCmd(t, "info")
	if code != exitOK || !strings.Contains(info, "and of the registry postgres://postgres@") || !strings.Contains(info, ":36") {
		t.Errorf("info: exit %d\n%s\n%s", code, info, errs)
	}
	// match ranked the data info describes: the snapshot with this registry.
	version, _, _ := strings.Cut(strings.TrimPrefix(info, "data version "), "\n")
	if !strings.Contains(out, `"data_version": "`+version+`"`) {
		t.Errorf("match's data_version is not info's %s", version)
	}
	if code, out, errs := runCmd(t, "shortlist", "--region", "28"); code != exitOK || !strings.Contains(out, "Normandie") {
		t.Errorf("shortlist: exit %d\n%s\n%s", code, out, errs)
	}
}
