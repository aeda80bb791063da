package api

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sitematch/matching"
)

// Results in GIS formats (issue 13): /v1/match, /v1/compare,
// /v1/shortlist and /v1/batch answer, besides their JSON,
//
//   - GeoJSON (Accept: application/geo+json or ?f=geojson): a
//     FeatureCollection with one Point feature per ranked site (lon/lat,
//     RFC 7946) and flat properties, the columns below;
//   - CSV (Accept: text/csv or ?f=csv): one row per site, the same
//     columns, with lon and lat;
//   - GeoPackage (Accept: application/geopackage+sqlite3 or ?f=gpkg): a
//     one-layer GeoPackage 1.3 file, "sitematch_results", of the same rows
//     (see exportgpkg.go).
//
// The columns: line (batch only: the input line), pair and member
// (shortlist only: 0 for the recommended pair, 1… for the runners-up; a or
// b), rank, id, kind, name, lon, lat, commune_insee, commune_name,
// departement, region, area_ha, score, then for each criterion c the
// answer holds, in matching.Criteria order, c_score (0–1), c_weight and
// c_contribution (points of the score); then excluded_by (compare), the
// pair's value, backup and km (shortlist), flags (their ids, comma
// separated), source. The answer's JSON stays the reference: these
// formats are derived from it, so they say the same.
//
// Negotiation: f wins over Accept (f=json, geojson, csv, gpkg; any other
// f is a 400 naming f); an Accept header that allows none of the formats
// (with its q-values) gets 406 naming Accept. A batch's problem lines have
// no rows: their line numbers are in the X-Sitematch-Problem-Lines header
// (and in the GeoJSON's "problems" member).

// Export media types.
const (
	mimeCSV        = "text/csv"
	mimeGeoPackage = "application/geopackage+sqlite3"
)

// exportFormat is one format of a result.
type exportFormat struct {
	f, mime string
}

var exportFormats = []exportFormat{
	{"json", mimeJSON}, {"geojson", mimeGeoJSON}, {"csv", mimeCSV}, {"gpkg", mimeGeoPackage},
}

// NotAcceptableError is an Accept header no format of the answer meets.
type NotAcceptableError struct{ Accept string }

func (e *NotAcceptableError) Error() string {
	var ms []string
	for _, f := range exportFormats {
		ms = append(ms, f.mime)
	}
	return fmt.Sprintf("api: no format of this answer meets Accept: %s (available: %s, or ?f=json, geojson, csv, gpkg)",
		e.Accept, strings.Join(ms, ", "))
}

// negotiate picks the format of a result: from f, else from Accept (the
// first of exportFormats with the highest q the header gives it; JSON when
// absent).
func negotiate(c echo.Context, ndjson bool) (exportFormat, error) {
	base := exportFormat{"json", mimeJSON}
	if ndjson {
		base = exportFormat{"json", mimeNDJSON}
	}
	if f, ok := c.QueryParams()["f"]; ok {
		for _, ef := range exportFormats {
			if len(f) == 1 && f[0] == ef.f {
				if ef.f == "json" {
					return base, nil
				}
				return ef, nil
			}
		}
		var ve matching.ValidationError
		ve.Add("f", "unsupported format %q (supported: json, geojson, csv, gpkg)", strings.Join(f, ","))
		return exportFormat{}, &paramError{&ve}
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	if strings.TrimSpace(accept) == "" {
		return base, nil
	}
	best, bestQ := exportFormat{}, 0.0
	for _, ef := range exportFormats {
		m := ef.mime
		if ef.f == "json" {
			m = base.mime
		}
		q := acceptQ(accept, m)
		if ef.f == "json" && ndjson {
			q = max(q, acceptQ(accept, mimeJSON))
		}
		if q > bestQ {
			best, bestQ = ef, q
		}
	}
	if bestQ == 0 {
		return exportFormat{}, &NotAcceptableError{Accept: accept}
	}
	if best.f == "json" {
		return base, nil
	}
	return best, nil
}

// acceptQ is the q-value an Accept header gives a media type: that of its
// most specific matching range (type/subtype, type/*, */*), 0 when none.
func acceptQ(accept, mt string) float64 {
	typ, _, _ := strings.Cut(mt, "/")
	q, spec := 0.0, -1
	for _, part := range strings.Split(accept, ",") {
		r, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		s := -1
		switch {
		case r == mt:
			s = 2
		case r == typ+"/*":
			s = 1
		case r == "*/*":
			s = 0
		}
		if s < spec || s < 0 {
			continue
		}
		v := 1.0
		if qs, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(qs, 64); err == nil && f >= 0 && f <= 1 {
				v = f
			}
		}
		if s > spec || v > q {
			q, spec = v, s
		}
	}
	return q
}

// exportable wraps a result handler: JSON answers go through as they are;
// the other formats are derived from the JSON answer (rows decodes it).
func (s *Server) exportable(op string, h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
		ef, err := negotiate(c, op == "batch")
		if err != nil {
			return err
		}
		if ef.f == "json" {
			return h(c)
		}
		orig := c.Response()
		rec := &bufferWriter{header: http.Header{}, under: orig}
		c.SetResponse(echo.NewResponse(rec, c.Echo()))
		err = h(c)
		c.SetResponse(orig)
		if err != nil {
			return err
		}
		if rec.status != http.StatusOK {
			return fmt.Errorf("api: %s answered %d", op, rec.status)
		}
		tab, err := exportRows(op, rec.body.Bytes())
		if err != nil {
			return err
		}
		if len(tab.Problems) > 0 {
			var ls []string
			for _, l := range tab.Problems {
				ls = append(ls, strconv.Itoa(l))
			}
			orig.Header().Set("X-Sitematch-Problem-Lines", strings.Join(ls, ","))
		}
		var body []byte
		switch ef.f {
		case "geojson":
			body, err = marshal(tab.featureCollection())
		case "csv":
			body, err = tab.csv()
		case "gpkg":
			body, err = tab.geoPackage()
			orig.Header().Set(echo.HeaderContentDisposition, `attachment; filename="sitematch-`+op+`.gpkg"`)
		}
		if err != nil {
			return err
		}
		if ef.f == "csv" {
			orig.Header().Set(echo.HeaderContentDisposition, `attachment; filename="sitematch-`+op+`.csv"`)
			return writeBody(c, http.StatusOK, mimeCSV+"; charset=utf-8; header=present", body)
		}
		return writeBody(c, http.StatusOK, ef.mime, body)
	}
}

// bufferWriter holds a handler's answer; the streaming methods (flush,
// deadlines, full duplex) go to the real writer through Unwrap.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
	under  http.ResponseWriter
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// Flush does nothing: the answer is sent whole.
func (b *bufferWriter) Flush() {}

// Unwrap gives http.ResponseController the real writer.
func (b *bufferWriter) Unwrap() http.ResponseWriter { return b.under }
