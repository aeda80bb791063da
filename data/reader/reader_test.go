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
