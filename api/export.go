package api

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

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

// exportRow is one site of a result.
type exportRow struct {
	Line       int // batch: the input line
	Pair       int // shortlist: 0 best, 1… runners-up
	Member     string
	Rank       int
	Site       SiteJSON
	Score      *float64
	Criteria   map[string]CriterionJSON
	ExcludedBy *string
	PairValue  *float64
	PairBackup *float64
	PairKm     *float64
	Flags      []FlagJSON
}

// exportTable is the rows of a result and what they say as a whole.
type exportTable struct {
	Op          string // match, compare, shortlist, batch
	DataVersion string
	Rows        []exportRow
	Problems    []int // batch: the lines that have a problem
	Gaps        []string
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

// exportRows decodes a JSON answer of op into its rows.
func exportRows(op string, body []byte) (*exportTable, error) {
	tab := &exportTable{Op: op}
	bad := func(err error) (*exportTable, error) {
		return nil, fmt.Errorf("api: exporting a %s answer: %w", op, err)
	}
	matchRows := func(mr *MatchResponse, line int) {
		tab.DataVersion, tab.Gaps = mr.DataVersion, mr.CoverageGaps
		for _, r := range mr.Results {
			score := r.Score
			tab.Rows = append(tab.Rows, exportRow{Line: line, Rank: r.Rank, Site: r.Site, Score: &score,
				Criteria: r.Criteria, Flags: r.Flags})
		}
	}
	switch op {
	case "match":
		var mr MatchResponse
		if err := json.Unmarshal(body, &mr); err != nil {
			return bad(err)
		}
		matchRows(&mr, 0)
	case "batch":
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, len(body)+1)
		for sc.Scan() {
			var line struct {
				Line   int `json:"line"`
				Status int `json:"status"`
				MatchResponse
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				return bad(err)
			}
			if line.Status != http.StatusOK {
				tab.Problems = append(tab.Problems, line.Line)
				continue
			}
			matchRows(&line.MatchResponse, line.Line)
		}
		if err := sc.Err(); err != nil {
			return bad(err)
		}
	case "compare":
		var cr CompareResponse
		if err := json.Unmarshal(body, &cr); err != nil {
			return bad(err)
		}
		tab.DataVersion, tab.Gaps = cr.DataVersion, cr.CoverageGaps
		for _, s := range cr.Sites {
			score := s.Score
			tab.Rows = append(tab.Rows, exportRow{Rank: s.Rank, Site: s.Site, Score: &score, Criteria: s.Criteria,
				ExcludedBy: s.ExcludedBy})
		}
	case "shortlist":
		var sr ShortlistResponse
		if err := json.Unmarshal(body, &sr); err != nil {
			return bad(err)
		}
		tab.DataVersion = sr.DataVersion
		pairs := sr.RunnersUp
		if sr.Best != nil {
			pairs = append([]PairJSON{*sr.Best}, pairs...)
		}
		for i, p := range pairs {
			n := i
			if sr.Best == nil {
				n++
			}
			v, b, km := p.Value, p.Backup, p.Km
			for _, m := range []struct {
				member string
				site   SiteJSON
			}{{"a", p.SiteA}, {"b", p.SiteB}} {
				tab.Rows = append(tab.Rows, exportRow{Pair: n, Member: m.member, Rank: n + 1, Site: m.site,
					PairValue: &v, PairBackup: &b, PairKm: &km})
			}
		}
	default:
		return bad(fmt.Errorf("unknown operation"))
	}
	return tab, nil
}

// exportColumn is one column of the rows, with its GeoPackage type.
type exportColumn struct {
	Name  string
	Type  string // TEXT, INTEGER, REAL
	value func(r *exportRow) any
}

func fptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// columns are the table's columns (see the package comment above).
func (t *exportTable) columns() []exportColumn {
	var cols []exportColumn
	add := func(name, typ string, v func(r *exportRow) any) {
		cols = append(cols, exportColumn{name, typ, v})
	}
	if t.Op == "batch" {
		add("line", "INTEGER", func(r *exportRow) any { return r.Line })
	}
	if t.Op == "shortlist" {
		add("pair", "INTEGER", func(r *exportRow) any { return r.Pair })
		add("member", "TEXT", func(r *exportRow) any { return r.Member })
	}
	add("rank", "INTEGER", func(r *exportRow) any { return r.Rank })
	add("id", "TEXT", func(r *exportRow) any { return r.Site.ID })
	add("kind", "TEXT", func(r *exportRow) any { return r.Site.Kind })
	add("name", "TEXT", func(r *exportRow) any { return r.Site.Name })
	add("lon", "REAL", func(r *exportRow) any { return r.Site.Lon })
	add("lat", "REAL", func(r *exportRow) any { return r.Site.Lat })
	add("commune_insee", "TEXT", func(r *exportRow) any { return r.Site.Commune.Code })
	add("commune_name", "TEXT", func(r *exportRow) any { return r.Site.Commune.Name })
	add("departement", "TEXT", func(r *exportRow) any { return r.Site.Departement })
	add("region", "TEXT", func(r *exportRow) any { return r.Site.Region })
	add("area_ha", "REAL", func(r *exportRow) any { return fptr(r.Site.AreaHa) })
	if t.Op != "shortlist" {
		add("score", "REAL", func(r *exportRow) any { return fptr(r.Score) })
		for _, id := range matching.Criteria {
			if !slices.ContainsFunc(t.Rows, func(r exportRow) bool { _, ok := r.Criteria[id]; return ok }) {
				continue
			}
			crit := func(f func(CriterionJSON) float64) func(r *exportRow) any {
				return func(r *exportRow) any {
					if c, ok := r.Criteria[id]; ok {
						return f(c)
					}
					return nil
				}
			}
			add(id+"_score", "REAL", crit(func(c CriterionJSON) float64 { return c.Score }))
			add(id+"_weight", "REAL", crit(func(c CriterionJSON) float64 { return c.Weight }))
			add(id+"_contribution", "REAL", crit(func(c CriterionJSON) float64 { return c.Contribution }))
		}
	}
	if t.Op == "compare" {
		add("excluded_by", "TEXT", func(r *exportRow) any {
			if r.ExcludedBy == nil {
				return nil
			}
			return *r.ExcludedBy
		})
	}
	if t.Op == "shortlist" {
		add("pair_value", "REAL", func(r *exportRow) any { return fptr(r.PairValue) })
		add("pair_backup", "REAL", func(r *exportRow) any { return fptr(r.PairBackup) })
		add("pair_km", "REAL", func(r *exportRow) any { return fptr(r.PairKm) })
	}
	if t.Op == "match" || t.Op == "batch" {
		add("flags", "TEXT", func(r *exportRow) any {
			var ids []string
			for _, f := range r.Flags {
				ids = append(ids, f.ID)
			}
			return strOrNil(strings.Join(ids, ","))
		})
	}
	add("source", "TEXT", func(r *exportRow) any { return r.Site.Source })
	return cols
}

// featureCollection is the rows as GeoJSON.
func (t *exportTable) featureCollection() *geojson.FeatureCollection {
	cols := t.columns()
	fc := geojson.NewFeatureCollection()
	for i := range t.Rows {
		r := &t.Rows[i]
		f := geojson.NewFeature(orb.Point{r.Site.Lon, r.Site.Lat})
		f.ID = r.Site.ID
		for _, c := range cols {
			f.Properties[c.Name] = c.value(r)
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"data_version": t.DataVersion, "coverage_gaps": nonNil(t.Gaps)}
	if t.Op == "batch" {
		fc.ExtraMembers["problems"] = nonNil(t.Problems)
	}
	return fc
}

// csv is the rows as CSV (RFC 4180, a header row, "." decimals).
func (t *exportTable) csv() ([]byte, error) {
	cols := t.columns()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Name
	}
	_ = w.Write(head)
	rec := make([]string, len(cols))
	for i := range t.Rows {
		for j, c := range cols {
			switch v := c.value(&t.Rows[i]).(type) {
			case nil:
				rec[j] = ""
			case string:
				rec[j] = v
			case int:
				rec[j] = strconv.Itoa(v)
			case float64:
				rec[j] = strconv.FormatFloat(v, 'f', -1, 64)
			default:
				rec[j] = fmt.Sprint(v)
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("api: writing CSV: %w", err)
	}
	return buf.Bytes(), nil
}
