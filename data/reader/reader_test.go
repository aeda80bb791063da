package reader_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data/reader"
)

func TestReadCSV(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want orb.Geometry
		prop string // the NOM property of the first row
	}{
		{"commas, lon/lat", "NOM,lon,lat\nZA du Moulin,1.5,47.2\n", orb.Point{1.5, 47.2}, "ZA du Moulin"},
		{"semicolons, decimal commas, BOM", "\ufeffNOM;longitude;latitude\nZA;1,5;47,2\n", orb.Point{1.5, 47.2}, "ZA"},
		{"Windows-1252", "NOM;x;y\nZone d'activit\xe9s;1.5;47.2\n", orb.Point{1.5, 47.2}, "Zone d'activités"},
		{"WKT column", "NOM,wkt\nZ,\"POLYGON((1 47,1.1 47,1.1 47.1,1 47))\"\n", orb.Polygon{{{1, 47}, {1.1, 47}, {1.1, 47.1}, {1, 47}}}, "Z"},
		{"CNIG geopoint", "NOM,site_geompoint\nZ,\"2.245, 49.9465\"\n", orb.Point{2.245, 49.9465}, "Z"},
		{"tabs", "NOM\tlon\tlat\nZ\t1.5\t47.2\n", orb.Point{1.5, 47.2}, "Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := reader.ReadCSV("f.csv", strings.NewReader(tc.in), reader.CSVOptions{})
			if err != nil {
				t.Fatal(err)
			}
			f := l.Features[0]
			if f.Err != nil || !orb.Equal(f.Geometry, tc.want) || f.Properties["NOM"] != tc.prop || f.Ref != "f.csv:2" {
				t.Errorf("feature %+v", f)
			}
		})
	}
	// Lambert-93 coordinates are recognised and converted.
	l, err := reader.ReadCSV("f.csv", strings.NewReader("NOM;X;Y\nOrigine;700000;6600000\n"), reader.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p := l.Features[0].Geometry.(orb.Point); math.Abs(p[0]-3) > 1e-9 || math.Abs(p[1]-46.5) > 1e-9 {
		t.Errorf("Lambert-93 origin read as %v", p)
	}
	// A bad coordinate is a feature error; a short line a file error.
	l, _ = reader.ReadCSV("f.csv", strings.NewReader("NOM,lon,lat\nA,1.5,47\nB,est,47\n"), reader.CSVOptions{})
	if l.Features[1].Err == nil || !strings.Contains(l.Features[1].Err.Error(), "lon") {
		t.Errorf("bad coordinate: %v", l.Features[1].Err)
	}
	_, err = reader.ReadCSV("f.csv", strings.NewReader("NOM,lon,lat\nA,1.5,47\nB,1\n"), reader.CSVOptions{})
	var re *reader.Error
	if !errors.As(err, &re) || re.Line != 3 || re.File != "f.csv" {
		t.Errorf("short line: %v", err)
	}
}

func TestReadGeoJSON(t *testing.T) {
	in := `{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
 "features": [{"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [700000, 6600000]}, "properties": {"n": 1.5}}]}`
	l, err := reader.ReadGeoJSON("z.geojson", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	f := l.Features[0]
	if p := f.Geometry.(orb.Point); math.Abs(p[0]-3) > 1e-9 || f.Properties["n"] != 1.5 || f.Ref != "z.geojson: features[0]" {
		t.Errorf("feature %+v", f)
	}
	_, err = reader.ReadGeoJSON("z.geojson", strings.NewReader("{\"type\": \"FeatureCollection\",\n\"features\": [\n{\"type\": ]}"))
	var re *reader.Error
	if !errors.As(err, &re) || re.Line != 3 {
		t.Errorf("syntax error: %v", err)
	}
}

// TestReadRecords checks the shared CSV dialect: the line of the record
// at fault, the first of two same-named columns, and Windows-1252 text.
func TestReadRecords(t *testing.T) {
	_, err := reader.ReadRecords("t.csv", []byte("a,b\n\"x\ny\",2\n3\n"), 0)
	var re *reader.Error
	if !errors.As(err, &re) || re.Line != 4 {
		t.Errorf("truncated record after a quoted newline: %v, want line 4", err)
	}
	l, err := reader.ReadCSV("t.csv", strings.NewReader("nom;nom;x\nA;B;1\n"), reader.CSVOptions{})
	if err != nil || l.Features[0].Properties["nom"] != "A" {
		t.Errorf("repeated column: %v, %+v; want the first column's value", err, l)
	}
	recs, err := reader.ReadRecords("t.csv", []byte("nom\nZone d'activit\xe9s\n"), ',')
	if err != nil || recs.Rows[0][0] != "Zone d'activités" || recs.Lines[0] != 2 {
		t.Errorf("Windows-1252: %v, %+v", err, recs)
	}
}

func TestDecodeJSON(t *testing.T) {
	var v []struct{ A int }
	err := reader.DecodeJSON("f.json", []byte("[\n{\"A\": 1},\n{\"A\": \"x\"}\n]"), &v)
	var re *reader.Error
	if !errors.As(err, &re) || re.Line != 3 {
		t.Errorf("DecodeJSON type error = %v, want line 3", err)
	}
}

// TestFromLambert93Lines checks that every geometry type is converted, a
// line's vertices like points.
func TestFromLambert93Lines(t *testing.T) {
	paris := orb.Point{652469, 6862035}
	p := reader.FromLambert93(paris).(orb.Point)
	ls := reader.FromLambert93(orb.LineString{paris, paris}).(orb.LineString)
	mls := reader.FromLambert93(orb.MultiLineString{{paris}}).(orb.MultiLineString)
	if math.Abs(p[0]-2.3522) > 1e-3 || math.Abs(p[1]-48.8566) > 1e-3 || ls[1] != p || mls[0][0] != p {
		t.Errorf("FromLambert93: point %v, line %v, multiline %v", p, ls, mls)
	}
}
