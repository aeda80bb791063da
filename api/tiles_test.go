package api

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"sitematch/api/features"
)

// getTile fetches and decodes one vector tile, back to WGS84.
func getTile(t *testing.T, h http.Handler, coll string, tl maptile.Tile) mvt.Layers {
	t.Helper()
	path := "/collections/" + coll + "/tiles/WebMercatorQuad/" + strconv.Itoa(int(tl.Z)) + "/" +
		strconv.Itoa(int(tl.Y)) + "/" + strconv.Itoa(int(tl.X))
	rec := get(t, h, path)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != mimeMVT {
		t.Fatalf("%s: content type %q", path, ct)
	}
	ls, err := mvt.Unmarshal(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("%s: decoding: %v", path, err)
	}
	ls.ProjectToWGS84(tl)
	return ls
}

// tilesCovering lists the tiles of zoom z over b.
func tilesCovering(b orb.Bound, z maptile.Zoom) []maptile.Tile {
	const maxLat = 85.0511287798066 // WebMercatorQuad's latitudes
	b.Min[1], b.Max[1] = max(b.Min[1], -maxLat), min(b.Max[1], maxLat)
	nw, se := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z), maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
	var out []maptile.Tile
	for y := nw.Y; y <= se.Y; y++ {
		for x := nw.X; x <= se.X; x++ {
			out = append(out, maptile.New(x, y, z))
		}
	}
	return out
}

// TestTilesCountEveryFeature: at a clustered zoom, the counts of the tiles
// covering a collection add up to its placed features, for every
// collection (each feature in exactly one tile and cell), and each cell's
// point lies in its tile.
func TestTilesCountEveryFeature(t *testing.T) {
	s := testServer(t)
	h := s.Handler()
	for _, col := range s.live.Collections().List() {
		b, ok := col.Bound()
		if !ok {
			continue
		}
		want := col.Placed()
		for _, z := range []maptile.Zoom{3, 6} {
			got := 0
			for _, tl := range tilesCovering(b, z) {
				ls := getTile(t, h, col.ID, tl)
				if len(ls) > 1 || len(ls) == 1 && ls[0].Name != col.ID {
					t.Fatalf("%s %v: layers %v", col.ID, tl, ls)
				}
				if len(ls) == 0 {
					continue
				}
				tb := tl.Bound(0.01)
				for _, f := range ls[0].Features {
					n, _ := f.Properties["count"].(float64)
					if n < 1 {
						t.Fatalf("%s %v: cell without a count: %v", col.ID, tl, f.Properties)
					}
					if n == 1 && f.Properties["id"] == nil {
						t.Errorf("%s %v: single-feature cell without its id", col.ID, tl)
					}
					if p, ok := f.Geometry.(orb.Point); !ok || !tb.Contains(p) {
						t.Errorf("%s %v: cell point %v outside the tile", col.ID, tl, f.Geometry)
					}
					got += int(n)
				}
			}
			if got != want {
				t.Errorf("%s at zoom %d: tiles count %d features, want %d", col.ID, z, got, want)
			}
		}
	}
}

// TestTilesFeatures: at zoom 12 a tile holds the brownfields themselves,
// the same ones as the items query over the tile's bound, with their
// properties.
func TestTilesFeatures(t *testing.T) {
	s := testServer(t)
	h := s.Handler()
	col, _ := s.live.Collections().Get("brownfields")
	// The tile holding the first brownfield, at zoom 12.
	tl := maptile.At(col.Point(0), 12)
	ls := getTile(t, h, "brownfields", tl)
	if len(ls) != 1 {
		t.Fatalf("layers %v", ls)
	}
	b := tl.Bound(features.TileBufferPx / 256.0)
	want := map[string]bool{}
	for _, i := range col.InBound(&b) {
		want[col.FeatureID(i)] = true
	}
	got := map[string]bool{}
	for _, f := range ls[0].Features {
		id, _ := f.Properties["id"].(string)
		if !want[id] {
			t.Errorf("tile holds %q, not in the items of its bound", id)
		}
		if _, ok := f.Properties["count"]; ok {
			t.Errorf("zoom 12 tile clustered: %v", f.Properties)
		}
		if f.Properties["name"] == nil {
			t.Errorf("%s has no name in the tile", id)
		}
		got[id] = true
	}
	if len(got) != len(want) || !got[col.FeatureID(0)] {
		t.Errorf("tile holds %d brownfields, items %d (first %s: %v)", len(got), len(want), col.FeatureID(0), got[col.FeatureID(0)])
	}
}

// TestTilesMetadata checks the tileset documents and the errors.
func TestTilesMetadata(t *testing.T) {
	h := testServer(t).Handler()
	ts := decodeAs[features.TileSetJSON](t, get(t, h, "/collections/brownfields/tiles/WebMercatorQuad"), http.StatusOK)
	if ts.DataType != "vector" || ts.CRS != features.CRS3857 || len(ts.TileMatrixSetLimits) != features.MaxTileZoom+1 || len(ts.Layers) != 1 {
		t.Errorf("tileset %+v", ts)
	}
	if l := ts.TileMatrixSetLimits[6]; l.MinTileCol > 32 || l.MaxTileCol < 32 || l.MinTileRow > 22 || l.MaxTileRow < 22 {
		t.Errorf("zoom 6 limits %+v do not hold Paris's tile 6/22/32", l)
	}
	var item bool
	for _, l := range ts.Links {
		item = item || l.Rel == "item" && l.Templated && strings.HasSuffix(l.Href, "/{tileMatrix}/{tileRow}/{tileCol}")
	}
	if !item {
		t.Errorf("no templated item link: %+v", ts.Links)
	}
	list := decodeAs[struct{ Tilesets []features.TileSetRef }](t, get(t, h, "/collections/towns/tiles"), http.StatusOK)
	if len(list.Tilesets) != 1 || list.Tilesets[0].TileMatrixSetURI != features.TileMatrixSetURI {
		t.Errorf("tilesets %+v", list)
	}
	tms := decodeAs[features.TileMatrixSetJSON](t, get(t, h, "/tileMatrixSets/WebMercatorQuad"), http.StatusOK)
	if len(tms.TileMatrices) != features.MaxTileZoom+1 || tms.TileMatrices[0].ScaleDenominator < 559082264 ||
		tms.TileMatrices[0].ScaleDenominator > 559082265 || tms.TileMatrices[3].MatrixWidth != 8 {
		t.Errorf("tile matrix set %+v", tms.TileMatrices[:4])
	}
	conf := decodeAs[struct{ ConformsTo []string }](t, get(t, h, "/conformance"), http.StatusOK)
	if !strings.Contains(strings.Join(conf.ConformsTo, " "), "ogcapi-tiles-1/1.0/conf/mvt") {
		t.Errorf("conformance lacks tiles: %v", conf.ConformsTo)
	}
	for path, field := range map[string]string{
		"/collections/brownfields/tiles/WebMercatorQuad/19/0/0":      "tileMatrix",
		"/collections/brownfields/tiles/WebMercatorQuad/x/0/0":       "tileMatrix",
		"/collections/brownfields/tiles/WebMercatorQuad/2/4/0":       "tileRow",
		"/collections/brownfields/tiles/WebMercatorQuad/2/0/-1":      "tileCol",
		"/collections/brownfields/tiles/WebMercatorQuad/2/0/0?f=png": "f",
	} {
		rec := get(t, h, path)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"`+field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", path, rec.Code, rec.Body.String(), field)
		}
	}
	for _, path := range []string{"/collections/nope/tiles", "/collections/towns/tiles/WorldCRS84Quad",
		"/tileMatrixSets/WorldCRS84Quad", "/collections/towns/tiles/WorldCRS84Quad/0/0/0"} {
		if rec := get(t, h, path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, rec.Code)
		}
	}
}

// TestTilesOgrinfo reads a clustered and a full vector tile with GDAL's MVT
// driver.
func TestTilesOgrinfo(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin): skipping the GDAL MVT test")
	}
	s := testServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	col, _ := s.live.Collections().Get("brownfields")
	dir := t.TempDir()
	for _, tl := range []maptile.Tile{maptile.At(orb.Point{2.35, 48.85}, 6), maptile.At(col.Point(0), 12)} {
		rec := get(t, s.Handler(), "/collections/brownfields/tiles/WebMercatorQuad/"+
			strconv.Itoa(int(tl.Z))+"/"+strconv.Itoa(int(tl.Y))+"/"+strconv.Itoa(int(tl.X)))
		// GDAL's MVT driver reads z/x/y from the file's path.
		p := filepath.Join(dir, strconv.Itoa(int(tl.Z)), strconv.Itoa(int(tl.X)), strconv.Itoa(int(tl.Y))+".pbf")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, rec.Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out := ogrinfo(t, "-ro", "-al", "-so", p)
		if !strings.Contains(out, "Layer name: brownfields") || !strings.Contains(out, "Feature Count: ") ||
			strings.Contains(out, "Feature Count: 0\n") {
			t.Errorf("ogrinfo %s:\n%s", p, out)
		}
		if tl.Z < features.ClusterZoom && !strings.Contains(out, "count: ") {
			t.Errorf("zoom %d tile has no count field:\n%s", tl.Z, out)
		}
		if tl.Z >= features.ClusterZoom && !strings.Contains(out, "name: String") {
			t.Errorf("zoom %d tile has no name field:\n%s", tl.Z, out)
		}
	}
}
