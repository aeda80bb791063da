package importer

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data/reader"
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

// table is a delimited text file read whole by package reader: a header
// and rows, each row with the line it started on.
type table struct {
	file   string
	header map[string]int // column → its first index
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

// readTable reads a CSV file with the given separator (0 to detect it from
// the header line); see reader.ReadRecords for the dialect.
func readTable(dir, rel string, sep rune) (*table, error) {
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	return parseTable(rel, b, sep)
}

func parseTable(name string, b []byte, sep rune) (*table, error) {
	recs, err := reader.ReadRecords(name, b, sep)
	if err != nil {
		return nil, rowError(err)
	}
	t := &table{file: name, header: map[string]int{}, names: recs.Header, rows: recs.Rows, lines: recs.Lines}
	for i, h := range recs.Header {
		if _, dup := t.header[h]; !dup {
			t.header[h] = i
		}
	}
	return t, nil
}

// rowError turns a reader error (a file that cannot be read as its format)
// into the RowError that stops the import.
func rowError(err error) error {
	var re *reader.Error
	if !errors.As(err, &re) {
		return err
	}
	cause := re.Err
	if cause == nil {
		cause = errors.New(re.Msg)
	}
	return &RowError{File: re.File, Line: re.Line, Err: cause}
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
	return rowError(reader.DecodeJSON(rel, b, v))
}

// readGeoJSON reads a GeoJSON FeatureCollection (Lambert-93 converted when
// its crs member says EPSG:2154). A feature whose geometry cannot be
// decoded stops the import.
func readGeoJSON(dir, rel string) ([]reader.Feature, error) {
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	l, err := reader.ReadGeoJSON(rel, bytes.NewReader(b))
	if err != nil {
		return nil, rowError(err)
	}
	for i, f := range l.Features {
		if f.Err != nil {
			return nil, &RowError{File: rel, Field: fmt.Sprintf("features[%d]", i), Err: f.Err}
		}
	}
	return l.Features, nil
}

// prop reads a GeoJSON property as a string, whether it was written as a
// string or a number (some ANCT files write INSEE codes as integers).
func prop(f reader.Feature, key string) string {
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
