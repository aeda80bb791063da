package store_test

import (
	"context"
	"database/sql"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data/store"
	"sitematch/data/store/gpkg"
)

// rtreeVsTable compares the spatial index with the sites table, row by
// row: the same fids, and each entry's box holding its geometry's bound
// (the R*Tree stores 32-bit floats rounded outward, hence the tolerance).
func rtreeVsTable(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[int64]orb.Bound{}
	rows, err := db.Query(`SELECT fid, geom FROM sites`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var fid int64
		var blob []byte
		if err := rows.Scan(&fid, &blob); err != nil {
			t.Fatal(err)
		}
		g, _, err := gpkg.Unmarshal(blob)
		if err != nil {
			t.Fatal(err)
		}
		want[fid] = g.Bound()
	}
	rows.Close()
	got := map[int64]orb.Bound{}
	rows, err = db.Query(`SELECT id, minx, maxx, miny, maxy FROM rtree_sites_geom`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var fid int64
		var b orb.Bound
		if err := rows.Scan(&fid, &b.Min[0], &b.Max[0], &b.Min[1], &b.Max[1]); err != nil {
			t.Fatal(err)
		}
		got[fid] = b
	}
	rows.Close()
	if len(got) != len(want) {
		t.Errorf("index has %d rows, sites %d", len(got), len(want))
	}
	const eps = 1e-4
	for fid, w := range want {
		g, ok := got[fid]
		if !ok || g.Min[0] > w.Min[0]+eps || g.Min[1] > w.Min[1]+eps || g.Max[0] < w.Max[0]-eps || g.Max[1] < w.Max[1]-eps ||
			w.Min[0]-g.Min[0] > eps || g.Max[0]-w.Max[0] > eps {
			t.Errorf("fid %d: index %v, geometry %v", fid, g, w)
		}
	}
	return len(want)
}

// TestRTreeFollowsWrites: after a create, an update that moves a site, a
// delete and a reopening, the index holds exactly the sites' boxes; GDAL
// sees the spatial index.
func TestRTreeFollowsWrites(t *testing.T) {
	ctx := context.Background()
	st, path := openStore(t)
	z, err := st.Create(ctx, "alice", fosZone())
	if err != nil {
		t.Fatal(err)
	}
	if n := rtreeVsTable(t, path); n != 36 {
		t.Errorf("%d sites after the create, want 36", n)
	}
	moved := z
	moved.Outline = orb.MultiPolygon{{{{5.0, 43.5}, {5.1, 43.5}, {5.1, 43.6}, {5.0, 43.6}, {5.0, 43.5}}}}
	moved.Point = orb.Point{5.05, 43.55}
	if _, err := st.Update(ctx, "alice", z.ID, z.ETag(), moved); err != nil {
		t.Fatal(err)
	}
	rtreeVsTable(t, path)
	seeded, err := st.List(ctx, store.Query{Kinds: []string{"turnkey"}, Limit: 1})
	if err != nil || len(seeded.Sites) != 1 {
		t.Fatal(err, seeded)
	}
	first := seeded.Sites[0]
	if err := st.Delete(ctx, "alice", first.ID, first.ETag()); err != nil {
		t.Fatal(err)
	}
	if n := rtreeVsTable(t, path); n != 35 {
		t.Errorf("%d sites after the delete, want 35", n)
	}
	st.Close()

	ogr, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin)")
	}
	out, err := exec.Command(ogr, "-ro", "-q", path, "-sql", "SELECT HasSpatialIndex('sites', 'geom')").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "HasSpatialIndex (Integer) = 1") {
		t.Errorf("GDAL does not see the spatial index: %v\n%s", err, out)
	}
	// A bbox query through the index finds the moved zone.
	out, err = exec.Command(ogr, "-ro", "-q", "-spat", "5.04", "43.54", "5.06", "43.56", path, "sites").CombinedOutput()
	if err != nil || !strings.Contains(string(out), z.ID) || strings.Contains(string(out), "Warning") {
		t.Errorf("bbox query: %v\n%s", err, out)
	}
}

// TestShapefileExport: the typed layers split the sites by geometry type,
// every site in one of them, and ogr2ogr exports each as a Shapefile.
func TestShapefileExport(t *testing.T) {
	ogr2ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		t.Skip("ogr2ogr is not installed (apt-get install gdal-bin)")
	}
	ctx := context.Background()
	st, path := openStore(t)
	if _, err := st.Create(ctx, "alice", fosZone()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	dir := t.TempDir()
	total := 0
	for layer, want := range map[string]string{"sites_point": "Point", "sites_polygon": "Polygon"} {
		out, err := exec.Command(ogr2ogr, "-f", "ESRI Shapefile", dir+"/"+layer+".shp", path, layer).CombinedOutput()
		if err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", layer, err, out)
		}
		info, err := exec.Command("ogrinfo", "-ro", "-so", "-al", dir+"/"+layer+".shp").CombinedOutput()
		if err != nil || !strings.Contains(string(info), "Geometry: "+want) {
			t.Fatalf("ogrinfo %s: %v\n%s", layer, err, info)
		}
		var n int
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "Feature Count: "); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		if n == 0 {
			t.Errorf("%s exported no feature:\n%s", layer, info)
		}
		total += n
	}
	if total != 36 {
		t.Errorf("the typed layers hold %d sites, the registry 36", total)
	}
}
