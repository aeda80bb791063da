package geo_test

import (
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// snapshotDir holds the embedded snapshot layers; rawCommunes is the
// fallback used until the snapshot exists.
const (
	snapshotDir = "../data/snapshot"
	rawCommunes = "/work/shared/data/raw/admin/communes_datasfun_2024.csv"
)

// layer is a named set of points read from a CSV file.
type layer struct {
	name string
	pts  []orb.Point
}

// loadLayers returns every snapshot CSV with lon and lat columns, else the
// raw communes file, else skips the test.
func loadLayers(tb testing.TB) []layer {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(snapshotDir, "*.csv"))
	var ls []layer
	for _, f := range files {
		if pts := readPoints(tb, f, "lon", "lat"); len(pts) > 0 {
			ls = append(ls, layer{filepath.Base(f), pts})
		}
	}
	if len(ls) == 0 {
		if pts := readPoints(tb, rawCommunes, "lng", "lat"); len(pts) > 0 {
			ls = append(ls, layer{filepath.Base(rawCommunes), pts})
		}
	}
	if len(ls) == 0 {
		tb.Skipf("no point layer in %s nor %s", snapshotDir, rawCommunes)
	}
	return ls
}

// loadCommunes returns the communes layer: the largest snapshot CSV whose
// name mentions communes, else the raw file, else it skips.
func loadCommunes(tb testing.TB) layer {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(snapshotDir, "*commune*.csv"))
	var best layer
	for _, f := range files {
		if pts := readPoints(tb, f, "lon", "lat"); len(pts) > len(best.pts) {
			best = layer{filepath.Base(f), pts}
		}
	}
	if len(best.pts) == 0 {
		best = layer{filepath.Base(rawCommunes), readPoints(tb, rawCommunes, "lng", "lat")}
	}
	if len(best.pts) == 0 {
		tb.Skipf("no communes layer in %s nor %s", snapshotDir, rawCommunes)
	}
	return best
}

// readPoints reads the lon/lat columns of a CSV file, skipping rows whose
// coordinates are empty or invalid. It returns nil if the file is missing
// or lacks the columns.
func readPoints(tb testing.TB, path, lonCol, latCol string) []orb.Point {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil
	}
	lonAt, latAt := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case lonCol:
			lonAt = i
		case latCol:
			latAt = i
		}
	}
	if lonAt < 0 || latAt < 0 {
		return nil
	}
	var pts []orb.Point
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("read %q: %v", path, err)
		}
		if max(lonAt, latAt) >= len(rec) {
			continue
		}
		lon, err1 := strconv.ParseFloat(strings.TrimSpace(rec[lonAt]), 64)
		lat, err2 := strconv.ParseFloat(strings.TrimSpace(rec[latAt]), 64)
		if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			continue
		}
		pts = append(pts, orb.Point{lon, lat})
	}
	return pts
}

// seed returns the test seed: $SEED if set, else a fixed one. It logs it.
func seed(tb testing.TB) uint64 {
	tb.Helper()
	s := uint64(20240611)
	if v := os.Getenv("SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			tb.Fatalf("SEED=%q: %v", v, err)
		}
		s = n
	}
	tb.Logf("SEED=%d", s)
	return s
}

// region is an area queries are drawn from.
type region struct {
	name string
	b    orb.Bound
}

// regions are metropolitan France and boxes around the overseas
// départements and Saint-Pierre-et-Miquelon.
var regions = []region{
	{"metropole", bound(-5.5, 41, 10, 51.5)},
	{"guadeloupe", around(-61.5, 16.2, 1)},
	{"martinique", around(-61, 14.6, 1)},
	{"guyane", bound(-55, 2, -51, 6)},
	{"reunion", around(55.5, -21.1, 1)},
	{"mayotte", around(45.1, -12.8, 1)},
	{"saint-pierre-et-miquelon", around(-56.3, 46.9, 1)},
}

func bound(minLon, minLat, maxLon, maxLat float64) orb.Bound {
	return orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}
}

func around(lon, lat, deg float64) orb.Bound { return bound(lon-deg, lat-deg, lon+deg, lat+deg) }

// randIn draws a point uniformly in lon/lat from b.
func randIn(r *rand.Rand, b orb.Bound) orb.Point {
	return orb.Point{
		b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]),
		b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1]),
	}
}
