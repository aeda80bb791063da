package api

import (
	"context"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitematch/api/features"
)

// TestOgrinfoFilterPushDown checks that GDAL's OAPIF driver sends an
// attribute filter (-where) to the server as CQL2 text, rather than
// reading the whole layer and filtering it itself: the server sees a
// handful of requests (one page of 1,000 features at a time, all with
// filter=), and GDAL gets every brownfield of the département.
func TestOgrinfoFilterPushDown(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin): skipping the GDAL OAPIF test")
	}
	s, logs := newTestServer(t, Config{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	cat := testEngine(t).Catalogue()
	want := 0
	for _, b := range cat.Brownfields {
		if cm, ok := cat.Commune(b.Commune); ok && cm.Dep == "76" {
			want++
		}
	}
	out := ogrinfo(t, "-ro", "-oo", "PAGE_SIZE=1000", "OAPIF:"+ts.URL, "brownfields", "-where", "departement = '76'")
	if got := strings.Count(out, "OGRFeature(brownfields):"); got != want || want == 0 {
		t.Errorf("GDAL read %d brownfields of the 76, want %d", got, want)
	}
	items := accessLogs(t, logs, "/collections/:collectionId/items")
	filtered := 0
	for _, r := range items {
		if strings.Contains(r["uri"].(string), "filter=") {
			filtered++
		}
	}
	// One page of 1,000 per 1,000 features, and GDAL's first probes.
	if pages := want/1000 + 1; len(items) > pages+4 || filtered < pages {
		t.Errorf("GDAL made %d items requests (%d with a filter) for %d features", len(items), filtered, want)
	}
}

// TestOgr2ogrLambert93 reads a page of items in Lambert-93 (crs=EPSG:2154)
// with GDAL, checks its Content-Crs, and has PROJ (through ogr2ogr)
// convert the page's coordinates back to CRS84: they must fall within a
// millimetre of the CRS84 page's, which checks geo/lambert93.go against
// PROJ's own Lambert-93 at every feature.
func TestOgr2ogrLambert93(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr is not installed (apt-get install gdal-bin): skipping")
	}
	s, _ := newTestServer(t, Config{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	page := ts.URL + "/collections/seveso/items?limit=300"
	rec := get(t, s.Handler(), "/collections/seveso/items?limit=300&crs=EPSG:2154")
	if got := rec.Header().Get("Content-Crs"); got != "<"+features.CRS2154+">" {
		t.Fatalf("Content-Crs %q", got)
	}
	xy := func(args ...string) [][2]float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "ogr2ogr", append([]string{"-f", "CSV", "/vsistdout/", "-lco", "GEOMETRY=AS_XY"}, args...)...)
		cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("ogr2ogr %v: %v", args, err)
		}
		var out [][2]float64
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
			f := strings.SplitN(line, ",", 3)
			x, _ := strconv.ParseFloat(f[0], 64)
			y, _ := strconv.ParseFloat(f[1], 64)
			out = append(out, [2]float64{x, y})
		}
		return out
	}
	lonlat := xy(page)
	back := xy(page+"&crs=EPSG:2154", "-s_srs", "EPSG:2154", "-t_srs", "OGC:CRS84")
	if len(lonlat) != len(back) || len(lonlat) < 200 {
		t.Fatalf("%d features in CRS84, %d in Lambert-93", len(lonlat), len(back))
	}
	for i := range lonlat {
		dx := (lonlat[i][0] - back[i][0]) * 111320 * math.Cos(lonlat[i][1]*math.Pi/180)
		dy := (lonlat[i][1] - back[i][1]) * 110540
		if math.Hypot(dx, dy) > 0.001 {
			t.Fatalf("feature %d: %v in CRS84, %v through Lambert-93 and PROJ (%.4f m apart)", i, lonlat[i], back[i], math.Hypot(dx, dy))
		}
	}
}
