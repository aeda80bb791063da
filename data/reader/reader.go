package reader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

// Feature is one record read from a file.
type Feature struct {
	Ref        string         // where it was read: "zones.csv:12", "zones.geojson: features[3]"
	ID         any            // the GeoJSON feature id, nil if none
	Properties map[string]any // raw values: strings (CSV), JSON values (GeoJSON), SQLite values (GeoPackage)
	Geometry   orb.Geometry   // WGS84 lon/lat; nil when the record has none
	Err        error          // a problem with this record's geometry, naming the field
}

// Layer is what a file holds: its columns (property names, in file order)
// and its features.
type Layer struct {
	Name     string
	Columns  []string
	Features []Feature
}

// Error is a problem that makes a whole file unreadable (bad syntax, a
// line with the wrong number of fields), naming the file and where.
type Error struct {
	File string
	Line int // 0 when unknown
	Msg  string
	Err  error
}

// Error returns "file:line: message: cause".
func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Err != nil {
		return loc + ": " + e.Msg + ": " + e.Err.Error()
	}
	return loc + ": " + e.Msg
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Format names a file format.
const (
	FormatGeoJSON    = "geojson"
	FormatCSV        = "csv"
	FormatGeoPackage = "gpkg"
)

// FormatOf guesses a file's format from its extension.
func FormatOf(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		return FormatGeoJSON, nil
	case ".csv", ".txt", ".tsv":
		return FormatCSV, nil
	case ".gpkg":
		return FormatGeoPackage, nil
	}
	return "", fmt.Errorf("reader: %s: cannot tell the format from the extension; give it (geojson, csv, gpkg)", path)
}

// ReadFile reads a file in the given format (see FormatOf); layer names
// the GeoPackage layer ("" for the only one).
func ReadFile(path, format, layer string) (*Layer, error) {
	if format == FormatGeoPackage {
		return ReadGeoPackage(path, layer)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reader: %w", err)
	}
	defer f.Close()
	name := path
	switch format {
	case FormatGeoJSON:
		return ReadGeoJSON(name, f)
	case FormatCSV:
		return ReadCSV(name, f, CSVOptions{})
	}
	return nil, fmt.Errorf("reader: %s: unknown format %q", path, format)
}

// ReadGeoJSON reads a FeatureCollection (or a single Feature).
func ReadGeoJSON(name string, r io.Reader) (*Layer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: name, Msg: "read", Err: err}
	}
	var head struct {
		Type string `json:"type"`
		CRS  *struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"crs"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, jsonError(name, b, err)
	}
	lambert := false
	if head.CRS != nil {
		switch n := head.CRS.Properties.Name; {
		case strings.HasSuffix(n, "2154"):
			lambert = true
		case n == "" || strings.HasSuffix(n, "4326") || strings.HasSuffix(n, "CRS84"):
		default:
			return nil, &Error{File: name, Msg: fmt.Sprintf("unsupported crs %q (give WGS84 or Lambert-93, EPSG:2154)", n)}
		}
	}
	raws := head.Features
	switch head.Type {
	case "FeatureCollection":
	case "Feature":
		raws = []json.RawMessage{b}
	default:
		return nil, &Error{File: name, Msg: fmt.Sprintf("a GeoJSON FeatureCollection or Feature is expected, not %q", head.Type)}
	}
	l := &Layer{Name: strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))}
	seen := map[string]bool{}
	for i, raw := range raws {
		ref := fmt.Sprintf("%s: features[%d]", name, i)
		var gf struct {
			ID         any             `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(&gf); err != nil {
			return nil, &Error{File: name, Msg: fmt.Sprintf("features[%d]", i), Err: err}
		}
		f := Feature{Ref: ref, ID: gf.ID, Properties: gf.Properties}
		if f.Properties == nil {
			f.Properties = map[string]any{}
		}
		for k, v := range f.Properties {
			if n, ok := v.(json.Number); ok {
				if x, err := n.Float64(); err == nil {
					f.Properties[k] = x
				}
			}
			if !seen[k] {
				seen[k] = true
				l.Columns = append(l.Columns, k)
			}
		}
		if len(gf.Geometry) > 0 && string(gf.Geometry) != "null" {
			g, err := geojson.UnmarshalGeometry(gf.Geometry)
			if err != nil {
				f.Err = fmt.Errorf("geometry: %w", err)
			} else {
				f.Geometry = g.Geometry()
				if lambert {
					f.Geometry = FromLambert93(f.Geometry)
				}
			}
		}
		l.Features = append(l.Features, f)
	}
	return l, nil
}

// DecodeJSON decodes a JSON document into v; a syntax or type error is an
// *Error naming its line.
func DecodeJSON(name string, b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return jsonError(name, b, err)
	}
	return nil
}

// jsonError turns a JSON syntax or type error into an Error with its line.
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
	return &Error{File: name, Line: line, Msg: "invalid JSON", Err: err}
}

// ParseGeometry reads a geometry written in a text column: GeoJSON (also
// with single quotes, as the CNIG schema's examples have it) or WKT.
func ParseGeometry(s string) (orb.Geometry, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, nil
	case strings.HasPrefix(s, "{"):
		if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
			s = strings.ReplaceAll(s, "'", `"`)
		}
		g, err := geojson.UnmarshalGeometry([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("invalid GeoJSON geometry: %w", err)
		}
		return g.Geometry(), nil
	}
	g, err := wkt.Unmarshal(s)
	if err != nil {
		return nil, fmt.Errorf("neither GeoJSON nor WKT: %w", err)
	}
	return g, nil
}

// ParseGeopoint reads a "lon, lat" pair (the frictionless geopoint default
// format), or "[lon, lat]".
func ParseGeopoint(s string) (orb.Point, error) {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return orb.Point{}, fmt.Errorf("%q is not \"longitude, latitude\"", s)
	}
	var p orb.Point
	for i, v := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return orb.Point{}, fmt.Errorf("%q is not \"longitude, latitude\"", s)
		}
		p[i] = x
	}
	return p, nil
}
