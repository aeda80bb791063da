package api

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/api/web"
	"sitematch/matching"
)

// OGC API Features, Part 1 (Core, GeoJSON, OpenAPI 3.0). Every document is
// JSON; links are absolute, built from Config.BaseURL or from the request.

// Limits of /collections/{id}/items.
const (
	defaultItemsLimit = 100
	maxItemsLimit     = 10000
	maxItemsOffset    = 1 << 30
)

// crs84 is the storage CRS: WGS84 longitude, latitude (see servedCRS for
// the others).
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

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

// baseURL is the public URL of the server, without a trailing slash. From
// a trusted proxy, X-Forwarded-Proto and X-Forwarded-Host count; from any
// other client they are ignored.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	req := c.Request()
	scheme, host := "http", req.Host
	if req.TLS != nil {
		scheme = "https"
	}
	if s.fromTrustedProxy(req) {
		if p := req.Header.Get(echo.HeaderXForwardedProto); p == "http" || p == "https" {
			scheme = p
		}
		if h := req.Header.Get("X-Forwarded-Host"); validHost(h) {
			host = h
		}
	}
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

func (s *Server) fromTrustedProxy(req *http.Request) bool {
	if len(s.proxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range s.proxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// validHost accepts a host[:port] made of the characters hosts use.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]_", r)) {
			return false
		}
	}
	return true
}

// checkFormat accepts no f parameter or one of the JSON formats.
func checkFormat(c echo.Context, formats ...string) error {
	f := c.QueryParam("f")
	if f == "" || slices.Contains(formats, f) {
		return nil
	}
	var ve matching.ValidationError
	ve.Add("f", "unsupported format %q (supported: %s)", f, strings.Join(formats, ", "))
	return &paramError{&ve}
}

// landing answers GET /: the web map's page for a browser (an Accept
// header that prefers HTML and no f parameter), else the OGC API landing
// page, which ?f=json and Accept: application/json always get.
func (s *Server) landing(c echo.Context) error {
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	if c.QueryParam("f") == "" && web.PrefersHTML(c.Request().Header.Get(echo.HeaderAccept)) {
		return web.ServeIndex(c)
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	base := s.baseURL(c)
	return writeJSON(c, http.StatusOK, mimeJSON, map[string]any{
		"title": "sitematch",
		"description": "Candidate industrial locations in France (turnkey sites, zones, brownfields, towns) and the reference " +
			"layers that score them, as OGC API Features; the matching API is under /v1.",
		"links": []Link{
			{base + "/", "self", mimeJSON, "This document"},
			{base + "/api", "service-desc", mimeOpenAPI, "The API definition (OpenAPI 3.0)"},
			{base + "/conformance", "conformance", mimeJSON, "OGC API conformance classes implemented by this server"},
			{base + "/collections", "data", mimeJSON, "The catalogue's collections"},
			{base + "/v1/meta", "describedby", mimeJSON, "Data version, layer counts, sources and coverage gaps"},
			{base + "/v1/profiles", "related", mimeJSON, "Sector profiles and trade families"},
		},
	})
}

// conformance answers GET /conformance.
func (s *Server) conformance(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, map[string]any{"conformsTo": slices.Concat(ConformanceClasses, TilesConformance)})
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

func (s *Server) collectionJSON(base string, col *collection) CollectionJSON {
	href := base + "/collections/" + url.PathEscape(col.ID)
	out := CollectionJSON{ID: col.ID, Title: col.Title, Description: col.Description + " Source: " + col.Source + ".",
		ItemType: "feature", CRS: crsURIs(), StorageCRS: crs84, NumberOfItems: len(col.ids), AttributionSrc: col.Source,
		Links: []Link{
			{href, "self", mimeJSON, "This collection"},
			{href + "/items", "items", mimeGeoJSON, "The collection's features"},
			{href + "/schema", "describedBy", mimeSchemaJSON, "JSON Schema of the collection's features"},
			{href + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", mimeSchemaJSON,
				"The properties filter, sortby and properties may name"},
			// The relation GDAL 3.6 looks for (before Part 3 named it).
			{href + "/queryables", "queryables", mimeJSON, "The queryables (for GDAL before 3.7)"},
			{href + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", mimeJSON, "The collection's vector tilesets"},
		}}
	if ext := col.extent(); ext != nil {
		out.Extent = &struct {
			Spatial struct {
				BBox [][]float64 `json:"bbox"`
				CRS  string      `json:"crs"`
			} `json:"spatial"`
		}{}
		out.Extent.Spatial.BBox = [][]float64{ext}
		out.Extent.Spatial.CRS = crs84
	}
	return out
}

// listCollections answers GET /collections.
func (s *Server) listCollections(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	base := s.baseURL(c)
	out := struct {
		Links       []Link           `json:"links"`
		Collections []CollectionJSON `json:"collections"`
	}{Links: []Link{{base + "/collections", "self", mimeJSON, "The catalogue's collections"}}}
	for _, col := range s.colls.Load().list {
		out.Collections = append(out.Collections, s.collectionJSON(base, col))
	}
	return writeJSON(c, http.StatusOK, mimeJSON, out)
}

func (s *Server) collectionParam(c echo.Context) (*collection, error) {
	id := pathParam(c, "collectionId")
	col, ok := s.colls.Load().get(id)
	if !ok {
		return nil, &NotFoundError{Param: "collectionId", What: "collection", Value: id}
	}
	return col, nil
}

// describeCollection answers GET /collections/{collectionId}.
func (s *Server) describeCollection(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, s.collectionJSON(s.baseURL(c), col))
}

// collectionSchema answers GET /collections/{collectionId}/schema: the
// JSON Schema of the collection's features, which the collection links
// with rel "describedBy". GDAL's OAPIF driver reads it to type its fields
// (it otherwise guesses them from the first page of items, reading a
// property that page holds as null as a string and a number that page
// holds as a whole number as an integer, truncating later decimals); link
// relation types compare case-insensitively (RFC 8288), and GDAL 3.6
// looks for "describedBy" spelled so. Properties are typed by
// propertySchemas; every property may be null when unknown.
func (s *Server) collectionSchema(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	href := s.baseURL(c) + "/collections/" + url.PathEscape(col.ID)
	return writeJSON(c, http.StatusOK, mimeSchemaJSON, map[string]any{
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
			"properties": map[string]any{"type": "object", "properties": col.propertySchemas(), "additionalProperties": false},
		},
	})
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
	case crs2154:
		if minLon > maxLon || minLat > maxLat {
			return nil, "a minimum coordinate is larger than its maximum"
		}
		return &orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}, ""
	case crs4326:
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
	if crs.uri == crs4326 {
		return &orb.Bound{Min: orb.Point{minLat, minLon}, Max: orb.Point{maxLat, maxLon}}, ""
	}
	return &orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}, ""
}

// items answers GET /collections/{collectionId}/items: the features in
// the bbox that the filter matches, in sortby order, with the properties
// asked for, in the crs asked for (Content-Crs names it).
func (s *Server) items(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	q, err := parseItemsQuery(c.QueryParams(), col)
	if err != nil {
		return err
	}
	idx := q.selectFrom(col)
	lo := min(q.offset, len(idx))
	hi := min(lo+q.limit, len(idx))
	fc := geojson.NewFeatureCollection()
	for _, i := range idx[lo:hi] {
		f := col.feature(i)
		f.Properties = selectProperties(f.Properties, q.properties)
		fc.Append(q.crs.project(f))
	}
	base := s.baseURL(c)
	links := []Link{
		{q.pageURL(base, col.ID, q.offset), "self", mimeGeoJSON, "This page"},
		{base + "/collections/" + url.PathEscape(col.ID), "collection", mimeJSON, "The collection"},
	}
	if hi < len(idx) {
		links = append(links, Link{q.pageURL(base, col.ID, hi), "next", mimeGeoJSON, "Next page"})
	}
	if q.offset > 0 {
		links = append(links, Link{q.pageURL(base, col.ID, max(0, q.offset-q.limit)), "prev", mimeGeoJSON, "Previous page"})
	}
	fc.ExtraMembers = geojson.Properties{
		"numberMatched":  len(idx),
		"numberReturned": hi - lo,
		"timeStamp":      time.Now().UTC().Format(time.RFC3339),
		"links":          links,
	}
	c.Response().Header().Set("Content-Crs", "<"+q.crs.uri+">")
	return writeJSON(c, http.StatusOK, mimeGeoJSON, fc)
}

// queryables answers GET /collections/{collectionId}/queryables.
func (s *Server) queryables(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	href := s.baseURL(c) + "/collections/" + url.PathEscape(col.ID)
	// application/schema+json (Part 3), or application/json for a client
	// that asks for it and not for a schema (GDAL 3.6 refuses any other
	// Content-Type).
	ctype := mimeSchemaJSON
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	if a := c.Request().Header.Get(echo.HeaderAccept); strings.Contains(a, mimeJSON) && !strings.Contains(a, mimeSchemaJSON) {
		ctype = mimeJSON
	}
	return writeJSON(c, http.StatusOK, ctype, queryablesDoc(href, col))
}

// feature answers GET /collections/{collectionId}/items/{featureId}.
func (s *Server) feature(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := checkFormat(c, "json", "geojson"); err != nil {
		return err
	}
	crs := &servedCRS[0]
	if v := c.QueryParam("crs"); v != "" {
		var ok bool
		if crs, ok = lookupCRS(v); !ok {
			var ve matching.ValidationError
			ve.Add("crs", "unsupported CRS %q (supported: %s)", v, strings.Join(crsURIs(), ", "))
			return &paramError{&ve}
		}
	}
	fid := pathParam(c, "featureId")
	i, ok := col.lookup(fid)
	if !ok {
		return &NotFoundError{Param: "featureId", What: "feature", Value: fid}
	}
	f := crs.project(col.feature(i))
	c.Response().Header().Set("Content-Crs", "<"+crs.uri+">")
	base := s.baseURL(c)
	href := base + "/collections/" + url.PathEscape(col.ID)
	f.ExtraMembers = geojson.Properties{"links": []Link{
		{href + "/items/" + url.PathEscape(fid), "self", mimeGeoJSON, "This feature"},
		{href, "collection", mimeJSON, "The collection"},
	}}
	return writeJSON(c, http.StatusOK, mimeGeoJSON, f)
}
