// Package importertest helps tests of the importer and of the CLI: it finds
// the upstream raw folder (shared/data/raw), makes copies of it with one
// file broken, and compares snapshot folders.
package importertest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sitematch/data"
)

// RawEnv names the environment variable that overrides where the raw folder
// is looked for.
const RawEnv = "SITEMATCH_RAW"

// RawDir returns the upstream raw folder: $SITEMATCH_RAW when set (a
// relative path is taken from the repository root, the folder holding
// go.mod), else shared/data/raw beside the repository root. It returns the
// path it tried and whether a folder is there.
func RawDir() (string, bool) {
	root, rootOK := repoRoot()
	if dir := os.Getenv(RawEnv); dir != "" {
		if !filepath.IsAbs(dir) && rootOK {
			dir = filepath.Join(root, dir)
		}
		return dir, isDir(dir)
	}
	if !rootOK {
		return filepath.Join("..", "shared", "data", "raw"), false
	}
	raw := filepath.Join(filepath.Dir(root), "shared", "data", "raw")
	return raw, isDir(raw)
}

// repoRoot walks up from the working directory (a test's package folder) to
// the folder holding go.mod.
func repoRoot() (string, bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Raw returns the raw folder, or skips the test when it is absent.
func Raw(tb testing.TB) string {
	tb.Helper()
	dir, ok := RawDir()
	if !ok {
		tb.Skipf("shared/data/raw not found: looked at %q (set %s to the raw folder to run this test)", dir, RawEnv)
	}
	return dir
}

// BrokenCopy returns a copy of the raw folder in a temporary directory in
// which the file rel (slash-separated, relative to raw) is replaced by
// edit's result. The other files are symbolic links to the originals, so
// the copy is cheap and the originals stay read-only.
func BrokenCopy(tb testing.TB, raw, rel string, edit func(tb testing.TB, b []byte) []byte) string {
	tb.Helper()
	dst := tb.TempDir()
	found := false
	err := filepath.WalkDir(raw, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, err := filepath.Rel(raw, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, r)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if filepath.ToSlash(r) != rel {
			abs, err := filepath.Abs(p)
			if err != nil {
				return err
			}
			return os.Symlink(abs, target)
		}
		found = true
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, edit(tb, b), 0o644)
	})
	if err != nil {
		tb.Fatalf("copy %s: %v", raw, err)
	}
	if !found {
		tb.Fatalf("copy %s: no file %s to break", raw, rel)
	}
	return dst
}

// EditLine returns an edit that replaces line n (1-based) with f's result.
func EditLine(n int, f func(tb testing.TB, line string) string) func(testing.TB, []byte) []byte {
	return func(tb testing.TB, b []byte) []byte {
		tb.Helper()
		lines := strings.SplitAfter(string(b), "\n")
		if n < 1 || n > len(lines) {
			tb.Fatalf("line %d: the file has %d lines", n, len(lines))
		}
		eol := ""
		if strings.HasSuffix(lines[n-1], "\n") {
			eol = "\n"
		}
		lines[n-1] = f(tb, strings.TrimSuffix(lines[n-1], "\n")) + eol
		return []byte(strings.Join(lines, ""))
	}
}

// SetField returns an edit that sets the column col of the CSV record on
// line n (1-based, a record on one line) to value. sep is the separator.
func SetField(n int, sep rune, col, value string) func(testing.TB, []byte) []byte {
	return func(tb testing.TB, b []byte) []byte {
		tb.Helper()
		head, _, _ := bytes.Cut(b, []byte("\n"))
		header := parseLine(tb, string(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))), sep)
		i := slices.Index(header, col)
		if i < 0 {
			tb.Fatalf("no column %q in %q", col, header)
		}
		return EditLine(n, func(tb testing.TB, line string) string {
			rec := parseLine(tb, line, sep)
			rec[i] = value
			var out strings.Builder
			w := csv.NewWriter(&out)
			w.Comma = sep
			if err := w.Write(rec); err != nil {
				tb.Fatal(err)
			}
			w.Flush()
			return strings.TrimSuffix(out.String(), "\n")
		})(tb, b)
	}
}

func parseLine(tb testing.TB, line string, sep rune) []string {
	tb.Helper()
	r := csv.NewReader(strings.NewReader(line))
	r.Comma = sep
	rec, err := r.Read()
	if err != nil {
		tb.Fatalf("parse %q: %v", line, err)
	}
	return rec
}

// WriteEmbedded copies the embedded (committed) snapshot into dir, which is
// created: a previous snapshot for an import to replace or keep.
func WriteEmbedded(tb testing.TB, dir string) {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for _, name := range data.SnapshotFiles() {
		b, err := fs.ReadFile(data.Embedded(), name)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// SameAsEmbedded fails the test unless the folder dir holds exactly the
// files of the embedded snapshot, byte for byte. hint is appended to the
// failure (how to fix it).
func SameAsEmbedded(tb testing.TB, dir, hint string) {
	tb.Helper()
	want := data.SnapshotFiles()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if extra, missing := diffSets(got, want); len(extra)+len(missing) > 0 {
		tb.Errorf("%s: files %q are extra, %q are missing%s", dir, extra, missing, hint)
	}
	for _, name := range want {
		w, err := fs.ReadFile(data.Embedded(), name)
		if err != nil {
			tb.Fatal(err)
		}
		g, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue // reported above
		}
		if msg := FirstDiff(g, w); msg != "" {
			tb.Errorf("%s differs from the committed data/snapshot/%s: %s%s", filepath.Join(dir, name), name, msg, hint)
		}
	}
}

// FirstDiff describes the first line where got and want differ, "" when
// they are equal.
func FirstDiff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	g, w := strings.SplitAfter(string(got), "\n"), strings.SplitAfter(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("first difference at line %d (%d lines vs %d committed):\n  got:  %q\n  want: %q", i+1, len(g), len(w), gl, wl)
		}
	}
	return "same lines, different bytes"
}

func diffSets(got, want []string) (extra, missing []string) {
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	return extra, missing
}

// NoTempLeft fails the test when the folder dir holds an importer temporary
// folder (.snapshot-new-*).
func NoTempLeft(tb testing.TB, dir string) {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".snapshot-new-") {
			tb.Errorf("temporary folder %s left behind in %s", e.Name(), dir)
		}
	}
}
