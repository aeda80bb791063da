package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestKeysCreateListRevoke runs the keys commands on a new registry: the
// key is alone on the last line of standard output, the file holds only
// its hash, list shows it, revoke revokes it.
func TestKeysCreateListRevoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reg.gpkg")
	code, out, errs := runCmd(t, "keys", "create", "--db", db, "--name", "normandie-ad", "--role", "region-editor", "--region", "28")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	key := lines[len(lines)-1]
	if !regexp.MustCompile(`^smk_[a-z2-7]{32}$`).MatchString(key) {
		t.Fatalf("last line %q is not a key alone:\n%s", key, out)
	}
	if !strings.Contains(out, "Normandie") || !strings.Contains(errs, "created the registry") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errs)
	}
	b, _ := os.ReadFile(db)
	w, _ := os.ReadFile(db + "-wal")
	if strings.Contains(string(b)+string(w), key) {
		t.Error("the plaintext key is in the registry file")
	}
	code, out, _ = runCmd(t, "keys", "list", "--db", db)
	if code != exitOK || !strings.Contains(out, "normandie-ad  region-editor  28") {
		t.Errorf("list (exit %d):\n%s", code, out)
	}
	if code, out, _ = runCmd(t, "keys", "revoke", "--db", db, "normandie-ad"); code != exitOK || !strings.Contains(out, "revoked") {
		t.Errorf("revoke: exit %d %s", code, out)
	}
	if _, out, _ = runCmd(t, "keys", "list", "--db", db); strings.Contains(out, "region-editor  28      -") {
		t.Errorf("list after revoke:\n%s", out)
	}
	if code, _, errs = runCmd(t, "keys", "revoke", "--db", db, "nobody"); code != exitUsage || !strings.Contains(errs, "not found") {
		t.Errorf("revoke unknown: exit %d %s", code, errs)
	}
}

// TestReadCommandsCreateNothing: keys list, keys revoke and registry
// import refuse a missing registry, naming it, and create no file;
// a usage error exits 2.
func TestReadCommandsCreateNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.gpkg")
	for _, args := range [][]string{
		{"keys", "list", "--db", db},
		{"keys", "revoke", "--db", db, "someone"},
		{"registry", "import", "--db", db, storeTestdata + "zones_lonlat.csv"},
		{"info", "--db", db},
		{"shortlist", "--region", "28", "--db", db},
	} {
		code, _, errs := runCmd(t, args...)
		if code != exitError || !strings.Contains(errs, db) {
			t.Errorf("%v: exit %d, want 1 naming %s:\n%s", args, code, db, errs)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the commands created %v", entries)
	}
	if code, _, errs := runCmd(t, "keys", "list", "--db", db, "extra"); code != exitUsage || !strings.Contains(errs, "unexpected argument") {
		t.Errorf("keys list extra: exit %d %s", code, errs)
	}
}

// TestKeysCreateInvalid checks that bad input exits 2 naming each field.
func TestKeysCreateInvalid(t *testing.T) {
	db := filepath.Join(t.TempDir(), "reg.gpkg")
	cases := []struct {
		args   []string
		fields []string
	}{
		{[]string{"--name", "x", "--role", "region-editor"}, []string{"--region:"}},
		{[]string{"--name", "x", "--role", "region-editor", "--region", "99"}, []string{"--region: unknown région \"99\"", "28 Normandie"}},
		{[]string{"--name", "a b", "--role", "boss", "--region", "28"}, []string{"--name:", "--role:"}},
		{[]string{"--name", "x", "--role", "admin", "--region", "28"}, []string{"--region: only a region editor"}},
	}
	for _, tc := range cases {
		code, out, errs := runCmd(t, append([]string{"keys", "create", "--db", db}, tc.args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		for _, f := range tc.fields {
			if !strings.Contains(errs, f) {
				t.Errorf("%v: stderr does not name %q:\n%s", tc.args, f, errs)
			}
		}
		if strings.Contains(out, "smk_") {
			t.Errorf("%v: a key was printed", tc.args)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("invalid keys create created the registry %s", db)
	}
	if code, _, _ := runCmd(t, "keys"); code != exitUsage {
		t.Errorf("keys without subcommand: exit %d", code)
	}
	// The région by name.
	if code, out, errs := runCmd(t, "keys", "create", "--db", db, "--name", "ad", "--role", "region-editor", "--region", "normandie"); code != exitOK ||
		!strings.Contains(out, "région 28 (Normandie)") {
		t.Errorf("--region normandie: exit %d\n%s%s", code, out, errs)
	}
}
