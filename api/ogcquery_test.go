package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/api/features"
	"sitematch/geo"
)

// TestItemsFilter compares filtered, sorted and projected items with a
// brute force over the catalogue.
func TestItemsFilter(t *testing.T) {
	h := testServer(t).Handler()
	cat := testEngine(t).Catalogue()
	items := func(q string) featureCollection {
		return decodeAs[featureCollection](t, get(t, h, "/collections/brownfields/items?"+q), http.StatusOK)
	}
	dep := func(commune string) string { cm, _ := cat.Commune(commune); return cm.Dep }

	// A CQL2 text filter and its CQL2 JSON twin match the brute force.
	want := 0
	for _, b := range cat.Brownfields {
		if dep(b.Commune) == "76" && b.AreaKnown && b.AreaHa > 1 {
			want++
		}
	}
	text := items("limit=10000&filter=" + url.QueryEscape("departement = '76' AND area_ha > 1"))
	js := items("limit=10000&filter-lang=cql2-json&filter=" + url.QueryEscape(`{"op":"and","args":[{"op":"=","args":[{"property":"departement"},"76"]},{"op":">","args":[{"property":"area_ha"},1]}]}`))
	if text.NumberMatched != want || js.NumberMatched != want || want == 0 || len(text.Features) != want {
		t.Errorf("filter matched %d (text), %d (JSON), want %d", text.NumberMatched, js.NumberMatched, want)
	}

	// sortby: descending area, nulls last; properties: only those asked for.
	fc := items("limit=50&sortby=-area_ha&properties=area_ha,name&filter=" + url.QueryEscape("departement IN ('76','27')"))
	for i, f := range fc.Features {
		if len(f.Properties) != 2 {
			t.Fatalf("properties=area_ha,name gave %v", f.Properties)
		}
		if i > 0 {
			a, _ := fc.Features[i-1].Properties["area_ha"].(float64)
			b, ok := f.Properties["area_ha"].(float64)
			if ok && b > a {
				t.Fatalf("sortby=-area_ha: %v after %v", b, a)
			}
		}
	}
	if next, ok := fc.Links.rel("next"); !ok || !strings.Contains(next.Href, "sortby=-area_ha") || !strings.Contains(next.Href, "filter=") {
		t.Errorf("the next link drops the query: %+v", next)
	}

	// limit over the maximum is capped, and the links say so.
	capped := items("limit=20000")
	if capped.NumberReturned != features.MaxItemsLimit {
		t.Errorf("limit=20000 returned %d", capped.NumberReturned)
	}
	if next, _ := capped.Links.rel("next"); !strings.Contains(next.Href, "limit=10000") {
		t.Errorf("next link %s", next.Href)
	}

	// S_INTERSECTS against a box equals bbox.
	box := items("limit=10000&bbox=1,49,1.2,49.5")
	spatial := items("limit=10000&filter=" + url.QueryEscape("S_INTERSECTS(geometry, BBOX(1,49,1.2,49.5))"))
	if box.NumberMatched != spatial.NumberMatched || box.NumberMatched == 0 {
		t.Errorf("bbox %d, S_INTERSECTS %d", box.NumberMatched, spatial.NumberMatched)
	}
}

// TestItemsCRS checks crs (EPSG:4326 latitude first, EPSG:2154 metres),
// Content-Crs and bbox-crs against the CRS84 answers.
func TestItemsCRS(t *testing.T) {
	h := testServer(t).Handler()
	page := func(q string) (featureCollection, string) {
		rec := get(t, h, "/collections/seveso/items?limit=300&"+q)
		return decodeAs[featureCollection](t, rec, http.StatusOK), rec.Header().Get("Content-Crs")
	}
	base, c84 := page("")
	lat, c4326 := page("crs=" + url.QueryEscape(features.CRS4326))
	l93, c2154 := page("crs=EPSG:2154")
	if c84 != "<"+features.CRS84+">" || c4326 != "<"+features.CRS4326+">" || c2154 != "<"+features.CRS2154+">" {
		t.Errorf("Content-Crs %q %q %q", c84, c4326, c2154)
	}
	for i, f := range base.Features {
		p := f.Geometry.Coordinates
		if q := lat.Features[i].Geometry.Coordinates; q[0] != p[1] || q[1] != p[0] {
			t.Fatalf("EPSG:4326 %v for CRS84 %v", q, p)
		}
		x, y := geo.WGS84ToLambert93(orb.Point{p[0], p[1]})
		if q := l93.Features[i].Geometry.Coordinates; q[0] != x || q[1] != y {
			t.Fatalf("EPSG:2154 %v for CRS84 %v", q, p)
		}
	}
	// A Lambert-93 box around Rouen finds what its own test finds.
	x0, y0, x1, y1 := 540000.0, 6900000.0, 590000.0, 6950000.0
	inBox, _ := page("bbox-crs=EPSG:2154&bbox=540000,6900000,590000,6950000")
	var want []string
	for i, f := range l93.Features {
		q := f.Geometry.Coordinates
		if q[0] >= x0 && q[0] <= x1 && q[1] >= y0 && q[1] <= y1 {
			want = append(want, base.Features[i].ID)
		}
	}
	var got []string
	for _, f := range inBox.Features {
		got = append(got, f.ID)
	}
	if !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("Lambert-93 box: %v, want %v", got, want)
	}
	one := decodeAs[feature](t, get(t, h, "/collections/seveso/items/"+url.PathEscape(base.Features[0].ID)+"?crs=EPSG:2154"), http.StatusOK)
	if one.Geometry.Coordinates[0] != l93.Features[0].Geometry.Coordinates[0] {
		t.Errorf("a feature in Lambert-93: %v", one.Geometry.Coordinates)
	}
}

// TestQueryables checks that every collection's queryables are a JSON
// Schema of its properties and the geometry.
func TestQueryables(t *testing.T) {
	h := testServer(t).Handler()
	for _, id := range collectionIDs {
		q := decodeAs[struct {
			Schema     string                    `json:"$schema"`
			Properties map[string]map[string]any `json:"properties"`
		}](t, get(t, h, "/collections/"+id+"/queryables"), http.StatusOK)
		if q.Schema == "" || q.Properties["geometry"]["x-ogc-role"] != "primary-geometry" || q.Properties["id"] == nil {
			t.Errorf("%s queryables: %+v", id, q)
		}
	}
}
