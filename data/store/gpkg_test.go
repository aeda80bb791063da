package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sitematch/data/store"
	"sitematch/data/store/storetest"
)

// TestOgrinfoReadsGeoPackage runs GDAL's ogrinfo on a store: it must list
// the sites layer with every site and the history table. It skips when
// ogrinfo is not installed (apt-get install gdal-bin).
func TestOgrinfoReadsGeoPackage(t *testing.T) {
	ogr, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin): GeoPackage conformance not checked")
	}
	ctx := context.Background()
	st, path := openStore(t)
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, err := exec.Command(ogr, "-ro", "-so", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"using driver `GPKG'", "sites", "site_history"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ogrinfo -so does not say %q:\n%s", want, out)
		}
	}
	out, err = exec.Command(ogr, "-ro", "-so", path, "sites").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"Feature Count: 36", "EPSG\",4326", "area_ha: Real", "rail_siding: Integer(Boolean)", "verified_on: Date", "updated_at: DateTime"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ogrinfo sites does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "ERROR") || strings.Contains(string(out), "Warning") {
		t.Errorf("ogrinfo complains:\n%s", out)
	}
	// A polygon reads back as the Polygon written.
	out, err = exec.Command(ogr, "-ro", "-q", path, "-sql", "SELECT geom FROM sites WHERE id = 'zone:fos-caban'").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "POLYGON ((4.8452 43.4401,4.8713 43.4401,4.8713 43.4582,4.8452 43.4582,4.8452 43.4401))") {
		t.Errorf("ogrinfo geometry: %v\n%s", err, out)
	}
}

// TestImportGeoPackage reads the sites layer of one store as an import
// into another: the GeoPackage reader and the writer agree.
func TestImportGeoPackage(t *testing.T) {
	ctx := context.Background()
	src, srcPath := openStore(t)
	if _, err := src.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	src.Close()
	dst, _ := openStore(t)
	items, err := store.ReadImport([]string{srcPath}, store.ImportSpec{Layer: "sites"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dst.Import(ctx, "cli", items, store.ImportOptions{})
	if err != nil {
		t.Fatalf("%v\n%+v", err, rep.Errors)
	}
	// 35 seeded turnkey sites are the same in both; the zone is new.
	if rep.Created != 1 || rep.Unchanged != 35 {
		t.Errorf("report %+v", rep)
	}
	got, _ := dst.Get(ctx, "zone:fos-caban")
	want := fosZone()
	want.Point = got.Point
	storetest.SameContent(t, got, want)
}

// TestCopyWhileOpen copies the registry file alone (not its -wal file)
// while the store is open, after a write, as a backup of a running server
// would: GDAL must open the copy and find the write in it.
func TestCopyWhileOpen(t *testing.T) {
	ogr, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin)")
	}
	ctx := context.Background()
	st, path := openStore(t)
	defer st.Close()
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.gpkg")
	if err := os.WriteFile(cp, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogr, "-ro", "-q", cp, "-sql", "SELECT COUNT(*) AS n FROM sites WHERE id = 'zone:fos-caban'").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "n (Integer) = 1") {
		t.Errorf("the copy taken while the store is open lacks the write: %v\n%s", err, out)
	}
}
