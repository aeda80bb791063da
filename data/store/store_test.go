package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/store"
	"sitematch/data/store/storetest"
)

// reference is the suite's catalogue reference, built once per binary.
func reference(tb testing.TB) *store.Reference { return storetest.Reference(tb) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// openStore opens a new store in a temporary folder.
func openStore(tb testing.TB) (*store.SQLite, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "registry.gpkg")
	c := &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(path, &store.Options{Reference: reference(tb), Now: c.now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, path
}

// fosZone is the suite's polygon zone with every field set.
func fosZone() store.Site { return storetest.FosZone() }

// TestOpenReadOnly opens registries read-only: a missing file is
// fs.ErrNotExist and stays missing, an empty file or another database is
// refused and left as it is; a registry reads the same as through Open,
// sees a writer's commits, and refuses writes without changing.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.gpkg")
	if _, err := store.OpenReadOnly(missing, &store.Options{Reference: reference(t)}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", missing)
	}
	empty := filepath.Join(dir, "empty.gpkg")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := store.OpenReadOnly(empty, &store.Options{Reference: reference(t)}); err == nil || !strings.Contains(err.Error(), "not a sitematch registry") {
		t.Errorf("empty file: %v", err)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file changed: %v", err)
	}

	st, path := openStore(t)
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	ro, err := store.OpenReadOnly(path, &store.Options{Reference: reference(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, s := range []*store.SQLite{st, ro} {
		if page, err := s.List(ctx, store.Query{}); err != nil || page.Matched != 36 {
			t.Errorf("List: %d sites, %v", page.Matched, err)
		}
	}
	rev, _ := st.Revision(ctx)
	if got, err := ro.Revision(ctx); err != nil || got != rev {
		t.Errorf("Revision %s, %v; the writer's %s", got, err, rev)
	}
	sum, _ := st.Checksum(ctx)
	z, _ := ro.Get(ctx, "zone:fos-caban")
	if _, err := ro.Create(ctx, "bob", store.Site{ID: "zone:ro", Kind: data.KindZone, Name: "x", Point: orb.Point{4.85, 43.44}}); err == nil {
		t.Error("a read-only store created a site")
	}
	if _, err := ro.Patch(ctx, "bob", z.ID, z.ETag(), store.Patch{Fields: []string{"note"}, Values: store.Site{Note: "n"}}); err == nil {
		t.Error("a read-only store patched a site")
	}
	if got, _ := st.Checksum(ctx); got != sum {
		t.Error("the registry changed through a read-only store")
	}
	// The writer's next commit is visible to the reader.
	if _, err := st.Patch(ctx, "alice", z.ID, z.ETag(), store.Patch{Fields: []string{"note"}, Values: store.Site{Note: "vu"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := ro.Get(ctx, z.ID); err != nil || got.Note != "vu" || got.Version != 2 {
		t.Errorf("after the writer's patch the reader gets %+v, %v", got, err)
	}
	if got, _ := ro.Revision(ctx); got == rev {
		t.Error("the reader's revision did not follow the writer")
	}
}

// TestOpenMustExist: with MustExist, Open refuses a missing file (and
// leaves it missing) and an empty one (and leaves it empty), and opens an
// existing registry for writing.
func TestOpenMustExist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opt := &store.Options{Reference: reference(t), MustExist: true}
	missing := filepath.Join(dir, "typo.gpkg")
	if _, err := store.Open(missing, opt); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v, want fs.ErrNotExist naming the file", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Open with MustExist created %v", entries)
	}
	empty := filepath.Join(dir, "empty.gpkg")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(empty, opt); err == nil || !strings.Contains(err.Error(), "not a sitematch registry") {
		t.Errorf("empty file: %v", err)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file changed: %v", err)
	}
	_, path := openStore(t)
	st, err := store.Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Errorf("writing an existing registry opened with MustExist: %v", err)
	}
}
