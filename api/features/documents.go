// Package features owns the OGC API Features and Tiles documents of the
// catalogue's collections: a collection over a small Layer interface (a
// feature's id, point, outline and properties), its R-tree, its schema and
// queryables, items selected by bbox, CQL2 filter, sortby and paging in
// CRS84, EPSG:4326 or Lambert-93, and its Mapbox Vector Tiles in
// WebMercatorQuad. It knows neither HTTP nor the matching engine: package
// api serves its documents, package layers gives it the catalogue's
// layers.
package features

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// OGC API Features, Part 1 (Core, GeoJSON, OpenAPI 3.0). Every document is
// JSON; links are absolute, built from the base URL the caller gives.

// Media types of the documents and their links.
const (
	MediaJSON       = "application/json"
	MediaGeoJSON    = "application/geo+json"
	MediaSchemaJSON = "application/schema+json"
	MediaMVT        = "application/vnd.mapbox-vector-tile"
)

// Limits of /collections/{id}/items.
const (
	defaultItemsLimit = 100
	// MaxItemsLimit is the largest page of items; a larger limit is capped.
	MaxItemsLimit  = 10000
	maxItemsOffset = 1 << 30
)

// CRS84 is the storage CRS: WGS84 longitude, latitude (see servedCRS for
// the others).
const CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// ConformanceClasses are the OGC conformance classes the server
// implements: Features Part 1 (core, GeoJSON, OpenAPI 3.0), Part 2 (CRS
// by reference), Part 3 (filter, features filter, queryables) with CQL2
// text and JSON (basic CQL2, advanced comparison operators, basic spatial
// functions), sorting and property selection (Features Part 5 drafts).
var ConformanceClasses = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sorting",
	"http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/property-selection",
}

// Link is an OGC API link.
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// CollectionJSON describes a collection.
type CollectionJSON struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
	Extent      *struct {
		Spatial struct {
			BBox [][]float64 `json:"bbox"`
			CRS  string      `json:"crs"`
		} `json:"spatial"`
	} `json:"extent,omitempty"`
	ItemType       string   `json:"itemType"`
	CRS            []string `json:"crs"`
	StorageCRS     string   `json:"storageCrs"`
	NumberOfItems  int      `json:"numberOfItems"`
	AttributionSrc string   `json:"attribution,omitempty"`
}

// Describe is the collection's document, /collections/{collectionId}.
func (col *Collection) Describe(base string) CollectionJSON {
	href := base + "/collections/" + url.PathEscape(col.ID)
	out := CollectionJSON{ID: col.ID, Title: col.Title, Description: col.Description + " Source: " + col.Source + ".",
		ItemType: "feature", CRS: CRSURIs(), StorageCRS: CRS84, NumberOfItems: col.Len(), AttributionSrc: col.Source,
		Links: []Link{
			{href, "self", MediaJSON, "This collection"},
			{href + "/items", "items", MediaGeoJSON, "The collection's features"},
			{href + "/schema", "describedBy", MediaSchemaJSON, "JSON Schema of the collection's features"},
			{href + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", MediaSchemaJSON,
				"The properties filter, sortby and properties may name"},
			// The relation GDAL 3.6 looks for (before Part 3 named it).
			{href + "/queryables", "queryables", MediaJSON, "The queryables (for GDAL before 3.7)"},
			{href + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", MediaJSON, "The collection's vector tilesets"},
		}}
	if ext := col.Extent(); ext != nil {
		out.Extent = &struct {
			Spatial struct {
				BBox [][]float64 `json:"bbox"`
				CRS  string      `json:"crs"`
			} `json:"spatial"`
		}{}
		out.Extent.Spatial.BBox = [][]float64{ext}
		out.Extent.Spatial.CRS = CRS84
	}
	return out
}

// ListDoc is the document of /collections: every collection of the set.
func (s *Set) ListDoc(base string) any {
	out := struct {
		Links       []Link           `json:"links"`
		Collections []CollectionJSON `json:"collections"`
	}{Links: []Link{{base + "/collections", "self", MediaJSON, "The catalogue's collections"}}}
	for _, col := range s.list {
		out.Collections = append(out.Collections, col.Describe(base))
	}
	return out
}

// Collection returns the collection of a collectionId.
func (s *Set) Collection(id string) (*Collection, error) {
	col, ok := s.Get(id)
	if !ok {
		return nil, &NotFoundError{Param: "collectionId", What: "collection", Value: id}
	}
	return col, nil
}

// SchemaDoc is /collections/{collectionId}/schema: the JSON Schema of the
// collection's features, which the collection links with rel
// "describedBy". GDAL's OAPIF driver reads it to type its fields (it
// otherwise guesses them from the first page of items, reading a property
// that page holds as null as a string and a number that page holds as a
// whole number as an integer, truncating later decimals); link relation
// types compare case-insensitively (RFC 8288), and GDAL 3.6 looks for
// "describedBy" spelled so. Properties are typed by PropertySchemas;
// every property may be null when unknown.
func (col *Collection) SchemaDoc(base string) map[string]any {
	href := base + "/collections/" + url.PathEscape(col.ID)
	return map[string]any{
		"title": col.Title,
		"description": "A feature of " + href + "/items as GeoJSON, with the type of each of its properties, as an OpenAPI 3.0 " +
			"Schema Object (the dialect of the API's document at /api): every property but id and source may be null when unknown " +
			"(nullable: true). The queryables (/queryables) give the same types in JSON Schema 2020-12.",
		"type":     "object",
		"required": []string{"type", "geometry", "properties"},
		"properties": map[string]any{
			"type": map[string]any{"type": "string", "enum": []string{"Feature"}},
			"id":   map[string]any{"type": "string"},
			"geometry": map[string]any{"type": "object", "nullable": true, "description": "A GeoJSON Point, or the Polygon or MultiPolygon of a registry site with an outline; " +
				"null for a feature the snapshot cannot place."},
			"bbox":       map[string]any{"type": "array", "items": map[string]any{"type": "number"}},
			"properties": map[string]any{"type": "object", "properties": col.PropertySchemas(), "additionalProperties": false},
		},
	}
}

// parseBBox reads "minLon,minLat,maxLon,maxLat" (or six numbers, with
// heights, which are ignored) in CRS84, or the four corners' coordinates
// in the order of crs's axes (EPSG:4326: minLat,minLon,maxLat,maxLon;
// EPSG:2154: minX,minY,maxX,maxY in metres). It returns a message for a
// bad box. A box whose minimum longitude exceeds its maximum (one crossing
// the antimeridian) is refused: no French site needs it, split the box.
func parseBBox(s string, crs *crsDef) (*orb.Bound, string) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, fmt.Sprintf("must be 4 numbers minLon,minLat,maxLon,maxLat (or 6 with heights), got %d", len(parts))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Sprintf("%q is not a finite number", p)
		}
		v[i] = f
	}
	minLon, minLat, maxLon, maxLat := v[0], v[1], v[2], v[3]
	if len(v) == 6 {
		minLon, minLat, maxLon, maxLat = v[0], v[1], v[3], v[4]
		if v[2] > v[5] {
			return nil, "minimum height is larger than maximum height"
		}
	}
	switch crs.uri {
	case CRS2154:
		if minLon > maxLon || minLat > maxLat {
			return nil, "a minimum coordinate is larger than its maximum"
		}
		return &orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}, ""
	case CRS4326:
		minLon, minLat, maxLon, maxLat = minLat, minLon, maxLat, maxLon
	}
	switch {
	case minLon < -180 || minLon > 180 || maxLon < -180 || maxLon > 180:
		return nil, "longitudes must be between -180 and 180"
	case minLat < -90 || minLat > 90 || maxLat < -90 || maxLat > 90:
		return nil, "latitudes must be between -90 and 90"
	case minLat > maxLat:
		return nil, "minimum latitude is larger than maximum latitude"
	case minLon > maxLon:
		return nil, "minimum longitude is larger than maximum longitude (boxes across the antimeridian are not supported: split the box)"
	}
	if crs.uri == CRS4326 {
		return &orb.Bound{Min: orb.Point{minLat, minLon}, Max: orb.Point{maxLat, maxLon}}, ""
	}
	return &orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}, ""
}

// Items is the page of /collections/{collectionId}/items that the query
// parameters q ask for: the features in the bbox that the filter matches,
// in sortby order, with the properties asked for, in the crs asked for,
// whose URI it returns (for Content-Crs). A wrong parameter is a
// *ParamError naming each.
func (col *Collection) Items(base string, params url.Values) (*geojson.FeatureCollection, string, error) {
	q, err := parseItemsQuery(params, col)
	if err != nil {
		return nil, "", err
	}
	idx := q.selectFrom(col)
	lo := min(q.offset, len(idx))
	hi := min(lo+q.limit, len(idx))
	fc := geojson.NewFeatureCollection()
	for _, i := range idx[lo:hi] {
		f := col.Feature(i)
		f.Properties = selectProperties(f.Properties, q.properties)
		fc.Append(q.crs.project(f))
	}
	links := []Link{
		{q.pageURL(base, col.ID, q.offset), "self", MediaGeoJSON, "This page"},
		{base + "/collections/" + url.PathEscape(col.ID), "collection", MediaJSON, "The collection"},
	}
	if hi < len(idx) {
		links = append(links, Link{q.pageURL(base, col.ID, hi), "next", MediaGeoJSON, "Next page"})
	}
	if q.offset > 0 {
		links = append(links, Link{q.pageURL(base, col.ID, max(0, q.offset-q.limit)), "prev", MediaGeoJSON, "Previous page"})
	}
	fc.ExtraMembers = geojson.Properties{
		"numberMatched":  len(idx),
		"numberReturned": hi - lo,
		"timeStamp":      time.Now().UTC().Format(time.RFC3339),
		"links":          links,
	}
	return fc, q.crs.uri, nil
}

// QueryablesDoc is /collections/{collectionId}/queryables (see
// queryablesDoc).
func (col *Collection) QueryablesDoc(base string) map[string]any {
	return queryablesDoc(base+"/collections/"+url.PathEscape(col.ID), col)
}

// FeatureDoc is /collections/{collectionId}/items/{featureId} in the CRS
// crs ("" for CRS84), whose URI it returns (for Content-Crs).
func (col *Collection) FeatureDoc(base, fid, crs string) (*geojson.Feature, string, error) {
	def := &servedCRS[0]
	if crs != "" {
		var ok bool
		if def, ok = lookupCRS(crs); !ok {
			var ve ParamError
			ve.add("crs", "unsupported CRS %q (supported: %s)", crs, strings.Join(CRSURIs(), ", "))
			return nil, "", &ve
		}
	}
	i, ok := col.Lookup(fid)
	if !ok {
		return nil, "", &NotFoundError{Param: "featureId", What: "feature", Value: fid}
	}
	f := def.project(col.Feature(i))
	href := base + "/collections/" + url.PathEscape(col.ID)
	f.ExtraMembers = geojson.Properties{"links": []Link{
		{href + "/items/" + url.PathEscape(fid), "self", MediaGeoJSON, "This feature"},
		{href, "collection", MediaJSON, "The collection"},
	}}
	return f, def.uri, nil
}
