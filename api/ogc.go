package api

import (
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"sitematch/api/features"
	"sitematch/api/web"
	"sitematch/matching"
)

// OGC API Features, Part 1 (Core, GeoJSON, OpenAPI 3.0). Every document is
// JSON; links are absolute, built from Config.BaseURL or from the request.

// Link is an OGC API link.
type Link = features.Link

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
			{Href: base + "/", Rel: "self", Type: mimeJSON, Title: "This document"},
			{Href: base + "/api", Rel: "service-desc", Type: mimeOpenAPI, Title: "The API definition (OpenAPI 3.0)"},
			{Href: base + "/conformance", Rel: "conformance", Type: mimeJSON, Title: "OGC API conformance classes implemented by this server"},
			{Href: base + "/collections", Rel: "data", Type: mimeJSON, Title: "The catalogue's collections"},
			{Href: base + "/v1/meta", Rel: "describedby", Type: mimeJSON, Title: "Data version, layer counts, sources and coverage gaps"},
			{Href: base + "/v1/profiles", Rel: "related", Type: mimeJSON, Title: "Sector profiles and trade families"},
		},
	})
}

// conformance answers GET /conformance.
func (s *Server) conformance(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, map[string]any{"conformsTo": slices.Concat(features.ConformanceClasses, features.TilesConformance)})
}

// collectionParam returns the collection of the path's collectionId.
func (s *Server) collectionParam(c echo.Context) (*features.Collection, error) {
	return s.live.Collections().Collection(pathParam(c, "collectionId"))
}

// listCollections answers GET /collections.
func (s *Server) listCollections(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, s.live.Collections().ListDoc(s.baseURL(c)))
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
	return writeJSON(c, http.StatusOK, mimeJSON, col.Describe(s.baseURL(c)))
}

// collectionSchema answers GET /collections/{collectionId}/schema (see
// features.Collection.SchemaDoc).
func (s *Server) collectionSchema(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeSchemaJSON, col.SchemaDoc(s.baseURL(c)))
}

// items answers GET /collections/{collectionId}/items (see
// features.Collection.Items); Content-Crs names the CRS of the answer.
func (s *Server) items(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	fc, crs, err := col.Items(s.baseURL(c), c.QueryParams())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Crs", "<"+crs+">")
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
	// application/schema+json (Part 3), or application/json for a client
	// that asks for it and not for a schema (GDAL 3.6 refuses any other
	// Content-Type).
	ctype := mimeSchemaJSON
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	if a := c.Request().Header.Get(echo.HeaderAccept); strings.Contains(a, mimeJSON) && !strings.Contains(a, mimeSchemaJSON) {
		ctype = mimeJSON
	}
	return writeJSON(c, http.StatusOK, ctype, col.QueryablesDoc(s.baseURL(c)))
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
	f, crs, err := col.FeatureDoc(s.baseURL(c), pathParam(c, "featureId"), c.QueryParam("crs"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Crs", "<"+crs+">")
	return writeJSON(c, http.StatusOK, mimeGeoJSON, f)
}
