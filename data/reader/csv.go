package reader

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/charmap"
)

// CSVOptions tune ReadCSV; the zero value detects everything.
type CSVOptions struct {
	Comma    rune   // field separator; 0: the most frequent of ';', ',' and tab in the header
	Lon, Lat string // coordinate columns; "": the first of lon/lng/longitude/x and lat/latitude/y
	Geometry string // a column of GeoJSON or WKT geometries; "": geometry, geom, wkt, the_geom, site_geomsurf, terr_geomsurf
	Geopoint string // a column of "lon, lat" pairs; "": site_geompoint, geopoint
}

var (
	lonNames      = []string{"lon", "lng", "long", "longitude", "x", "x_wgs84", "coordonnees_x"}
	latNames      = []string{"lat", "latitude", "y", "y_wgs84", "coordonnees_y"}
	geometryNames = []string{"geometry", "geom", "wkt", "the_geom", "site_geomsurf", "terr_geomsurf"}
	geopointNames = []string{"site_geompoint", "geopoint"}
)

// Records is a delimited text file read whole: its header and its rows,
// each row with the line it starts on (a quoted field may span lines).
type Records struct {
	Header []string // column names, trimmed
	Rows   [][]string
	Lines  []int // 1-based line of each row's first field
}

// ReadRecords reads delimited text whose first line names the columns. A
// byte-order mark is dropped; text that is not valid UTF-8 is read as
// Windows-1252, as French spreadsheets export it. comma is the field
// separator, 0 for the most frequent of ',', ';' and tab in the header
// line. Every row must have as many fields as the header and quotes must
// balance: otherwise the *Error names the line.
func ReadRecords(name string, b []byte, comma rune) (*Records, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		var err error
		if b, err = charmap.Windows1252.NewDecoder().Bytes(b); err != nil {
			return nil, &Error{File: name, Msg: "neither UTF-8 nor Windows-1252", Err: err}
		}
	}
	if comma == 0 {
		head, _, _ := bytes.Cut(b, []byte("\n"))
		comma = ','
		best := bytes.Count(head, []byte(","))
		for _, c := range []rune{';', '\t'} {
			if n := bytes.Count(head, []byte(string(c))); n > best {
				comma, best = c, n
			}
		}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = comma
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	out := &Records{Header: header}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		out.Rows = append(out.Rows, rec)
		out.Lines = append(out.Lines, line)
	}
	return out, nil
}

// ReadCSV reads a CSV file whose first line names the columns (see
// ReadRecords for the dialect). Each row's geometry comes from the first
// non-empty of: the geometry column, the geopoint column, the lon and lat
// columns.
func ReadCSV(name string, r io.Reader, opt CSVOptions) (*Layer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: name, Msg: "read", Err: err}
	}
	recs, err := ReadRecords(name, b, opt.Comma)
	if err != nil {
		return nil, err
	}
	header := recs.Header
	l := &Layer{Name: name, Columns: header}
	find := func(given string, names []string) (int, error) {
		if given != "" {
			i := slices.Index(header, given)
			if i < 0 {
				return -1, &Error{File: name, Line: 1, Msg: fmt.Sprintf("no column %q", given)}
			}
			return i, nil
		}
		for _, n := range names {
			for i, h := range header {
				if strings.EqualFold(h, n) {
					return i, nil
				}
			}
		}
		return -1, nil
	}
	lonI, err := find(opt.Lon, lonNames)
	if err != nil {
		return nil, err
	}
	latI, err := find(opt.Lat, latNames)
	if err != nil {
		return nil, err
	}
	geomI, err := find(opt.Geometry, geometryNames)
	if err != nil {
		return nil, err
	}
	ptI, err := find(opt.Geopoint, geopointNames)
	if err != nil {
		return nil, err
	}
	for ri, rec := range recs.Rows {
		line := recs.Lines[ri]
		f := Feature{Ref: name + ":" + strconv.Itoa(line), Properties: make(map[string]any, len(header))}
		for i, h := range header {
			if _, dup := f.Properties[h]; !dup { // a repeated column name keeps its first column
				f.Properties[h] = rec[i]
			}
		}
		cell := func(i int) string {
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		switch {
		case cell(geomI) != "":
			g, err := ParseGeometry(cell(geomI))
			if err != nil {
				f.Err = fmt.Errorf("%s: %w", header[geomI], err)
			}
			f.Geometry = maybeLambert(g)
		case cell(ptI) != "":
			p, err := ParseGeopoint(cell(ptI))
			if err != nil {
				f.Err = fmt.Errorf("%s: %w", header[ptI], err)
			} else {
				f.Geometry = maybeLambert(p)
			}
		case cell(lonI) != "" || cell(latI) != "":
			var p orb.Point
			for k, i := range []int{lonI, latI} {
				v := strings.ReplaceAll(cell(i), ",", ".")
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					col := "lon"
					if k == 1 {
						col = "lat"
					}
					if i >= 0 {
						col = header[i]
					}
					f.Err = fmt.Errorf("%s: %q is not a number", col, cell(i))
					break
				}
				p[k] = x
			}
			if f.Err == nil {
				f.Geometry = maybeLambert(p)
			}
		}
		l.Features = append(l.Features, f)
	}
	return l, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line := pe.Line
		if pe.StartLine > 0 && errors.Is(pe.Err, csv.ErrFieldCount) {
			line = pe.StartLine // the record's first line, not the one where it ended
		}
		return &Error{File: name, Line: line, Msg: "malformed CSV", Err: pe.Err}
	}
	return &Error{File: name, Msg: "malformed CSV", Err: err}
}
