package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitematch/data/importer/importertest"
)

// TestImportBrokenFile runs `sitematch import` on a raw folder with a
// truncated line: the command exits 2, names the file and line on stderr,
// and leaves the previous snapshot as it was.
func TestImportBrokenFile(t *testing.T) {
	raw := importertest.Raw(t)
	const file = "admin/communes_datasfun_2024.csv"
	broken := importertest.BrokenCopy(t, raw, file, importertest.EditLine(100, func(_ testing.TB, l string) string {
		return l[:strings.Index(l, ",COM,")]
	}))
	parent := t.TempDir()
	out := filepath.Join(parent, "snapshot")
	importertest.WriteEmbedded(t, out)

	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"import", "--from", broken, "--out", out}, strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage {
		t.Errorf("exit status %d, want %d", code, exitUsage)
	}
	for _, want := range []string{file + ":100:", "wrong number of fields", "unchanged"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stdout.String(), "snapshot written") {
		t.Errorf("stdout claims a snapshot was written:\n%s", stdout.String())
	}
	importertest.SameAsEmbedded(t, out, "\n(a failed import must leave the previous snapshot untouched)")
	importertest.NoTempLeft(t, parent)
}

// TestImportUsage checks the argument errors of `sitematch import`.
func TestImportUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	out := filepath.Join(t.TempDir(), "out")
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no --from", []string{"import"}, exitUsage, "--from is required"},
		{"extra argument", []string{"import", "--from", "x", "y"}, exitUsage, `unexpected argument "y"`},
		{"unknown flag", []string{"import", "--form", "x"}, exitUsage, "flag provided but not defined"},
		{"missing folder", []string{"import", "--from", missing, "--out", out}, exitUsage, "--from " + missing + ": no such folder"},
		{"a file, not a folder", []string{"import", "--from", "import_test.go", "--out", out}, exitUsage, "--from import_test.go: not a folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit status %d, want %d (stderr: %s)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr does not say %q:\n%s", tc.stderr, stderr.String())
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed import created %s", out)
	}
}
