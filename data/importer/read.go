package importer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// RowError is a malformed input row that the importer cannot explain: it
// stops the import, naming the file and the line.
type RowError struct {
	File  string // path relative to the import folder
	Line  int    // 1-based line in the file, 0 when unknown
	Field string // column or property, "" when the whole row is at fault
	Err   error
}

func (e *RowError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", loc, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// table is a delimited text file read whole: a header and rows, each row
// with the line it started on.
type table struct {
	file   string
	header map[string]int
	names  []string
	rows   [][]string
	lines  []int
}

// row is one record of a table.
type row struct {
	t    *table
	i    int
	rec  []string
	Line int
}

// readTable reads a CSV file with the given separator (0 to detect ";" or ","
// from the header line). A BOM is dropped, every row must have as many
// fields as the header, and quotes must be balanced.
func readTable(dir, rel string, sep rune) (*table, error) {
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	return parseTable(rel, b, sep)
}

func parseTable(name string, b []byte, sep rune) (*table, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if sep == 0 {
		first, _, _ := bytes.Cut(b, []byte("\n"))
		sep = ','
		if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			sep = ';'
		}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = sep
	head, err := r.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	t := &table{file: name, header: map[string]int{}, names: head}
	for i, h := range head {
		h = strings.TrimSpace(h)
		if _, dup := t.header[h]; !dup {
			t.header[h] = i
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line := pe.Line
		if pe.StartLine > 0 && errors.Is(pe.Err, csv.ErrFieldCount) {
			line = pe.StartLine
		}
		return &RowError{File: name, Line: line, Err: pe.Err}
	}
	return &RowError{File: name, Err: err}
}

// need checks that the table has the columns.
func (t *table) need(cols ...string) error {
	var missing []string
	for _, c := range cols {
		if _, ok := t.header[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return &RowError{File: t.file, Line: 1, Err: fmt.Errorf("missing columns %q (header is %q)", missing, t.names)}
	}
	return nil
}

// has reports whether the table has a column.
func (t *table) has(col string) bool { _, ok := t.header[col]; return ok }

// first returns the first of the candidate column names that the table has.
func (t *table) first(cands ...string) string {
	for _, c := range cands {
		if t.has(c) {
			return c
		}
	}
	return ""
}

func (t *table) each(fn func(r row) error) error {
	for i, rec := range t.rows {
		if err := fn(row{t: t, i: i, rec: rec, Line: t.lines[i]}); err != nil {
			return err
		}
	}
	return nil
}

// Get returns the trimmed value of a column, "" when the table lacks it.
func (r row) Get(col string) string {
	i, ok := r.t.header[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// fail builds the RowError for a field of this row.
func (r row) fail(field string, format string, args ...any) error {
	return &RowError{File: r.t.file, Line: r.Line, Field: field, Err: fmt.Errorf(format, args...)}
}

// Float parses a number; a decimal comma is accepted. Empty is an error.
func (r row) Float(col string) (float64, error) {
	v := r.Get(col)
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, r.fail(col, "%q is not a number", v)
	}
	return f, nil
}

// Int parses an integer; empty is an error.
func (r row) Int(col string) (int, error) {
	v := r.Get(col)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, r.fail(col, "%q is not an integer", v)
	}
	return n, nil
}

// LonLat parses a coordinate pair from two columns and checks its range.
func (r row) LonLat(lonCol, latCol string) (orb.Point, error) {
	lon, err := r.Float(lonCol)
	if err != nil {
		return orb.Point{}, err
	}
	lat, err := r.Float(latCol)
	if err != nil {
		return orb.Point{}, err
	}
	return r.checkPoint(lonCol+"/"+latCol, orb.Point{lon, lat})
}

func (r row) checkPoint(field string, p orb.Point) (orb.Point, error) {
	if err := checkLonLat(p); err != nil {
		return p, r.fail(field, "%v", err)
	}
	return p, nil
}

func checkLonLat(p orb.Point) error {
	if !(p[0] >= -180 && p[0] <= 180) {
		return fmt.Errorf("longitude %v is outside [-180, 180]", p[0])
	}
	if !(p[1] >= -90 && p[1] <= 90) {
		return fmt.Errorf("latitude %v is outside [-90, 90]", p[1])
	}
	return nil
}

// readJSON decodes a JSON file into v, naming the line of a syntax error.
func readJSON(dir, rel string, v any) error {
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return fmt.Errorf("importer: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return jsonError(rel, b, err)
	}
	return nil
}

// readGeoJSON reads a GeoJSON FeatureCollection.
func readGeoJSON(dir, rel string) (*geojson.FeatureCollection, error) {
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	// Decode once with encoding/json to locate syntax errors by line.
	if !json.Valid(b) {
		var v any
		return nil, jsonError(rel, b, json.Unmarshal(b, &v))
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, &RowError{File: rel, Err: err}
	}
	return fc, nil
}

func jsonError(name string, b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	// Offset counts the bytes read including the offending one, so the
	// line is that of byte off-1 (a newline inside a string is on its line).
	line := 0
	if off > 0 && off <= int64(len(b)) {
		line = 1 + bytes.Count(b[:off-1], []byte("\n"))
	}
	return &RowError{File: name, Line: line, Err: err}
}

// prop reads a GeoJSON property as a string, whether it was written as a
// string or a number (some ANCT files write INSEE codes as integers).
func prop(f *geojson.Feature, key string) string {
	switch v := f.Properties[key].(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// glob returns the single file matching pattern under dir, relative to dir,
// preferring the lexically last when several match (newest vintage first
// in our naming).
func glob(dir string, patterns ...string) (string, error) {
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(dir, p))
		if err != nil {
			return "", fmt.Errorf("importer: %w", err)
		}
		if len(m) > 0 {
			sort.Strings(m)
			rel, err := filepath.Rel(dir, m[len(m)-1])
			if err != nil {
				return "", fmt.Errorf("importer: %w", err)
			}
			return rel, nil
		}
	}
	return "", fmt.Errorf("importer: no file matches %q in %s", patterns, dir)
}
