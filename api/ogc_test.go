package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"sitematch/api/features"
)

type linkSet []Link

func (ls linkSet) rel(rel string) (Link, bool) {
	for _, l := range ls {
		if l.Rel == rel {
			return l, true
		}
	}
	return Link{}, false
}

// pathOf strips the scheme and host of an absolute link, for the recorder.
func pathOf(t *testing.T, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil || !u.IsAbs() {
		t.Fatalf("link %q is not absolute", href)
	}
	return u.RequestURI()
}

func TestLandingAndConformance(t *testing.T) {
	h := testServer(t).Handler()
	landing := decodeAs[struct {
		Title string
		Links linkSet
	}](t, get(t, h, "/"), http.StatusOK)
	for rel, typ := range map[string]string{"self": mimeJSON, "service-desc": mimeOpenAPI, "conformance": mimeJSON, "data": mimeJSON} {
		l, ok := landing.Links.rel(rel)
		if !ok || l.Type != typ || !strings.HasPrefix(l.Href, "http://example.com/") {
			t.Errorf("link %s: %+v", rel, l)
		}
	}
	for _, f := range []string{"/?f=json", "/"} {
		rec := do(t, h, request{method: "GET", path: f, header: map[string]string{"Accept": "application/json"}})
		if rec.Code != 200 || rec.Header().Get("Content-Type") != mimeJSON {
			t.Errorf("%s: %d %s", f, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	conf := decodeAs[struct{ ConformsTo []string }](t, get(t, h, "/conformance"), http.StatusOK)
	for _, c := range []string{"core", "geojson", "oas30"} {
		if !slices.Contains(conf.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"+c) {
			t.Errorf("conformance lacks %s: %v", c, conf.ConformsTo)
		}
	}
	rec := get(t, h, "/api")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/vnd.oai.openapi+json;version=3.0" {
		t.Errorf("/api: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc["openapi"] != "3.0.3" {
		t.Errorf("/api is not an OpenAPI 3.0 document: %v", err)
	}
}

func TestBaseURL(t *testing.T) {
	landingSelf := func(s *Server, hdr map[string]string, remote string) string {
		rec := do(t, s.Handler(), request{method: "GET", path: "/", header: hdr, remote: remote})
		var l struct{ Links linkSet }
		_ = json.Unmarshal(rec.Body.Bytes(), &l)
		self, _ := l.Links.rel("self")
		return self.Href
	}
	fwd := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
	plain, _ := newTestServer(t, Config{})
	if got := landingSelf(plain, fwd, "203.0.113.9:5000"); got != "http://example.com/" {
		t.Errorf("forwarding headers from an untrusted client changed the links: %s", got)
	}
	proxied, _ := newTestServer(t, Config{TrustedProxies: []string{"10.0.0.0/8"}})
	if got := landingSelf(proxied, fwd, "10.1.2.3:5000"); got != "https://evil.example/" {
		t.Errorf("trusted proxy's headers ignored: %s", got)
	}
	if got := landingSelf(proxied, fwd, "203.0.113.9:5000"); got != "http://example.com/" {
		t.Errorf("untrusted peer's headers believed: %s", got)
	}
	fixed, _ := newTestServer(t, Config{BaseURL: "https://sitematch.example.fr/"})
	if got := landingSelf(fixed, fwd, "10.1.2.3:5000"); got != "https://sitematch.example.fr/" {
		t.Errorf("BaseURL ignored: %s", got)
	}
}

var collectionIDs = []string{"turnkey", "zones", "brownfields", "towns", "territoires_industrie", "motorway_interchanges",
	"rail_freight", "rail_terminal", "stations", "airports", "airfields", "seaports", "river_port", "training",
	"substations", "seveso", "establishments"}

func TestCollections(t *testing.T) {
	h := testServer(t).Handler()
	cs := decodeAs[struct {
		Links       linkSet
		Collections []features.CollectionJSON
	}](t, get(t, h, "/collections"), http.StatusOK)
	var ids []string
	for _, c := range cs.Collections {
		ids = append(ids, c.ID)
		items, ok := linkSet(c.Links).rel("items")
		if !ok || items.Type != mimeGeoJSON || !strings.HasSuffix(items.Href, "/collections/"+c.ID+"/items") {
			t.Errorf("%s items link %+v", c.ID, items)
		}
		if c.ItemType != "feature" || !slices.Equal(c.CRS, features.CRSURIs()) || c.StorageCRS != features.CRS84 || c.Description == "" || !strings.Contains(c.Description, "Source:") {
			t.Errorf("%s: %+v", c.ID, c)
		}
		if (c.Extent == nil) != (c.NumberOfItems == 0) {
			t.Errorf("%s: extent %v with %d items", c.ID, c.Extent, c.NumberOfItems)
		}
		one := decodeAs[features.CollectionJSON](t, get(t, h, "/collections/"+c.ID), http.StatusOK)
		if one.ID != c.ID || one.NumberOfItems != c.NumberOfItems {
			t.Errorf("/collections/%s: %+v", c.ID, one)
		}
	}
	if !slices.Equal(ids, collectionIDs) {
		t.Errorf("collections %v", ids)
	}
}

type featureCollection struct {
	Type           string
	Features       []feature
	NumberMatched  int
	NumberReturned int
	TimeStamp      string
	Links          linkSet
}

type feature struct {
	Type     string
	ID       string
	Geometry *struct {
		Type        string
		Coordinates []float64
	}
	Properties map[string]any
	BBox       []float64
	Links      linkSet
}

func getItems(t *testing.T, h http.Handler, path string) featureCollection {
	t.Helper()
	rec := get(t, h, path)
	if ct := rec.Header().Get("Content-Type"); ct != mimeGeoJSON {
		t.Fatalf("%s: Content-Type %q (%d)", path, ct, rec.Code)
	}
	return decodeAs[featureCollection](t, rec, http.StatusOK)
}

// TestItemsPaging follows the next links through a whole collection.
func TestItemsPaging(t *testing.T) {
	h := testServer(t).Handler()
	cat := testEngine(t).Catalogue()
	seen := map[string]bool{}
	path, pages := "/collections/brownfields/items?limit=5000", 0
	for path != "" {
		fc := getItems(t, h, path)
		pages++
		if fc.Type != "FeatureCollection" || fc.NumberMatched != len(cat.Brownfields) || fc.NumberReturned != len(fc.Features) || fc.TimeStamp == "" {
			t.Fatalf("page %d: matched %d returned %d of %d", pages, fc.NumberMatched, fc.NumberReturned, len(fc.Features))
		}
		if _, ok := fc.Links.rel("self"); !ok {
			t.Error("no self link")
		}
		if _, ok := fc.Links.rel("prev"); ok != (pages > 1) {
			t.Errorf("page %d: prev link %v", pages, ok)
		}
		for _, f := range fc.Features {
			if seen[f.ID] {
				t.Fatalf("%s twice", f.ID)
			}
			seen[f.ID] = true
			if f.Properties["source"] == "" || f.Properties["id"] != f.ID || f.Geometry == nil || f.Geometry.Type != "Point" {
				t.Fatalf("feature %+v", f)
			}
		}
		next, ok := fc.Links.rel("next")
		path = ""
		if ok {
			path = pathOf(t, next.Href)
		}
	}
	if len(seen) != len(cat.Brownfields) || pages != (len(cat.Brownfields)+4999)/5000 {
		t.Errorf("%d features in %d pages", len(seen), pages)
	}
	// Past the end: an empty page, no next link.
	fc := getItems(t, h, "/collections/turnkey/items?offset=1000")
	if fc.NumberReturned != 0 || fc.Features == nil || fc.NumberMatched != len(cat.Turnkey) {
		t.Errorf("past the end: %+v", fc)
	}
	if _, ok := fc.Links.rel("next"); ok {
		t.Error("next link past the end")
	}
}

// TestItemsBBox checks bbox answers against a brute-force scan.
func TestItemsBBox(t *testing.T) {
	h := testServer(t).Handler()
	cat := testEngine(t).Catalogue()
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 25 {
		lon, lat := -4.5+rng.Float64()*12, 42.5+rng.Float64()*8
		w, hgt := rng.Float64()*2, rng.Float64()*2
		box := [4]float64{lon, lat, lon + w, lat + hgt}
		want := 0
		for _, b := range cat.Brownfields {
			if b.Point[0] >= box[0] && b.Point[0] <= box[2] && b.Point[1] >= box[1] && b.Point[1] <= box[3] {
				want++
			}
		}
		q := fmt.Sprintf("%g,%g,%g,%g", box[0], box[1], box[2], box[3])
		fc := getItems(t, h, "/collections/brownfields/items?limit=10000&bbox="+q)
		if fc.NumberMatched != want || len(fc.Features) != want {
			t.Errorf("box %d %s: matched %d returned %d, brute force %d", i, q, fc.NumberMatched, len(fc.Features), want)
		}
		for _, f := range fc.Features {
			c := f.Geometry.Coordinates
			if c[0] < box[0] || c[0] > box[2] || c[1] < box[1] || c[1] > box[3] {
				t.Errorf("%s at %v outside %s", f.ID, c, q)
			}
		}
	}
	// 6-number boxes are accepted; the next link keeps the box.
	fc := getItems(t, h, "/collections/stations/items?bbox=2,48,0,3,49,100&limit=2")
	next, ok := fc.Links.rel("next")
	if !ok || !strings.Contains(next.Href, "bbox=2%2C48%2C0%2C3%2C49%2C100") {
		t.Errorf("next link %+v", next)
	}
}

func TestFeature(t *testing.T) {
	h := testServer(t).Handler()
	for _, c := range []struct{ coll, id string }{{"turnkey", "turnkey:ARA-1"}, {"training", "0010001W"},
		{"stations", "87271007;87271023;87271031"}, {"territoires_industrie", "ti-0101"}, {"airports", "FMCZ"}} {
		rec := get(t, h, "/collections/"+c.coll+"/items/"+url.PathEscape(c.id))
		f := decodeAs[feature](t, rec, http.StatusOK)
		if rec.Header().Get("Content-Type") != mimeGeoJSON || f.Type != "Feature" || f.ID != c.id || f.Properties["source"] == "" {
			t.Errorf("%s/%s: %+v", c.coll, c.id, f)
		}
		if self, ok := f.Links.rel("self"); !ok || pathOf(t, self.Href) != "/collections/"+c.coll+"/items/"+url.PathEscape(c.id) {
			t.Errorf("self link %+v", self)
		}
	}
}

func TestTerritoires(t *testing.T) {
	h := testServer(t).Handler()
	cat := testEngine(t).Catalogue()
	fc := getItems(t, h, "/collections/territoires_industrie/items?limit=1000")
	if fc.NumberMatched != len(cat.Territoires) {
		t.Errorf("%d territories, want %d", fc.NumberMatched, len(cat.Territoires))
	}
	unplaced := 0
	for _, f := range fc.Features {
		if f.Geometry == nil {
			unplaced++
			continue
		}
		c, b := f.Geometry.Coordinates, f.BBox
		if len(b) != 4 || c[0] < b[0] || c[0] > b[2] || c[1] < b[1] || c[1] > b[3] || f.Properties["epci_count"].(float64) < 1 {
			t.Errorf("%s: point %v outside its bbox %v", f.ID, c, b)
		}
	}
	if unplaced > 2 {
		t.Errorf("%d territories without a point", unplaced)
	}
}

// TestCollectionSchemas validates every feature each collection serves
// (every page of its items, as served) against the collection's schema
// with kin-openapi's OpenAPI 3.0 schema validator (formats asserted), with a registry
// server holding a polygon zone and a corrected brownfield: nullable
// properties, types, formats, enumerations, no property the schema lacks.
// Each collection links its schema.
func TestCollectionSchemas(t *testing.T) {
	r := newRegistry(t)
	r.create("zone:schema", "zone", inNormandie)
	bf := testEngine(t).Catalogue().Brownfields[10]
	if rec := r.send("admin", http.MethodPatch, "/v1/sites/"+bf.ID, `"v0"`, mimeMergePatch, `{"properties": {"power_mw": 3, "seveso": "none"}}`); rec.Code != 200 {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body.String())
	}
	h := r.s.Handler()
	for _, col := range r.s.live.Collections().List() {
		t.Run(col.ID, func(t *testing.T) {
			desc := decodeAs[features.CollectionJSON](t, get(t, h, "/collections/"+col.ID), http.StatusOK)
			l, ok := linkSet(desc.Links).rel("describedBy")
			if !ok || l.Type != mimeSchemaJSON {
				t.Fatalf("no schema link: %+v", desc.Links)
			}
			rec := get(t, h, pathOf(t, l.Href))
			if ct := rec.Header().Get("Content-Type"); ct != mimeSchemaJSON || rec.Code != 200 {
				t.Fatalf("schema Content-Type %q (%d)", ct, rec.Code)
			}
			var sch openapi3.Schema
			if err := json.Unmarshal(rec.Body.Bytes(), &sch); err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(context.Background()); err != nil {
				t.Fatalf("the schema is not a valid OpenAPI 3.0 Schema Object: %v", err)
			}
			n := 0
			for next := "/collections/" + col.ID + "/items?limit=10000"; next != ""; {
				page := get(t, h, next)
				var fc struct {
					Features []json.RawMessage `json:"features"`
					Links    []Link            `json:"links"`
				}
				if err := json.Unmarshal(page.Body.Bytes(), &fc); err != nil || page.Code != 200 {
					t.Fatalf("%s: %d %v", next, page.Code, err)
				}
				for _, raw := range fc.Features {
					var inst any
					if err := json.Unmarshal(raw, &inst); err != nil {
						t.Fatal(err)
					}
					if err := sch.VisitJSON(inst, openapi3.EnableFormatValidation()); err != nil {
						t.Fatalf("feature %d of %s fails its schema: %v\n%.600s", n, col.ID, err, raw)
					}
					n++
				}
				next = ""
				if l, ok := linkSet(fc.Links).rel("next"); ok {
					next = pathOf(t, l.Href)
				}
			}
			if n != col.Len() {
				t.Errorf("validated %d features, the collection has %d", n, col.Len())
			}
		})
	}
	corrected := decodeAs[struct{ Properties map[string]any }](t, get(t, h, "/collections/brownfields/items/"+bf.ID), http.StatusOK)
	if corrected.Properties["power_mw"] != 3.0 || corrected.Properties["seveso"] != "none" {
		t.Errorf("the corrected brownfield: %v", corrected.Properties)
	}
}

// TestNodeLayerProperties checks that a transport collection serves its
// layer's own attributes: toll, TEN-T and road for an interchange, weekly
// trains for a terminal, the record's provenance as source_detail.
func TestNodeLayerProperties(t *testing.T) {
	h := testServer(t).Handler()
	cases := []struct {
		coll, id string
		want     map[string]any
	}{
		{"motorway_interchanges", "ech-ablis", map[string]any{"toll": true, "tent": true, "road": "A11"}},
		{"rail_terminal", "gntc-dourges", map[string]any{"weekly_trains": 161.0, "links": 15.0}},
		{"airfields", "LFMY", map[string]any{"class": "base aérienne", "name": "Base aérienne de Salon-de-Provence (BA 701)"}},
		{"seaports", "WPI35840.0", map[string]any{"name": "port du Havre", "class": "grand port maritime"}},
	}
	for _, c := range cases {
		f := decodeAs[feature](t, get(t, h, "/collections/"+c.coll+"/items/"+url.PathEscape(c.id)), http.StatusOK)
		for k, v := range c.want {
			if f.Properties[k] != v {
				t.Errorf("%s/%s: %s = %v, want %v", c.coll, c.id, k, f.Properties[k], v)
			}
		}
		if s, _ := f.Properties["source_detail"].(string); s == "" {
			t.Errorf("%s/%s has no source_detail", c.coll, c.id)
		}
	}
}
