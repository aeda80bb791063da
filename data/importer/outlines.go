package importer

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// outlineDecimals is the precision kept in display outlines: 1e-4 degree,
// about 10 m, far below the simplification of the source.
const outlineDecimals = 4

// outline reads the simplified région and département outlines of
// metropolitan France (IGN Admin Express via france-geojson) for the web
// map, rounds their coordinates and keeps code and name. The DROM files of
// the raw folder draw the overseas départements as map insets and are left
// out: they would show the DROM at false positions.
func (b *builder) outline(level string) error {
	if b.cat.Outlines == nil {
		b.cat.Outlines = map[string][]byte{}
	}
	file, err := glob(b.dir, "admin/"+level+"-version-simplifiee.geojson")
	if err != nil {
		return err
	}
	fc, err := readGeoJSON(b.dir, file)
	if err != nil {
		return err
	}
	l := b.layer("outlines_"+level, file)
	out := geojson.NewFeatureCollection()
	for i, f := range fc {
		l.Read++
		code, name := prop(f, "code"), prop(f, "nom")
		if code == "" || f.Geometry == nil {
			return &RowError{File: file, Field: fmt.Sprintf("features[%d]", i), Err: fmt.Errorf("needs a code and a geometry")}
		}
		g, err := roundGeometry(f.Geometry)
		if err != nil {
			return &RowError{File: file, Field: fmt.Sprintf("features[%d].geometry", i), Err: err}
		}
		nf := geojson.NewFeature(g)
		nf.ID = code
		nf.Properties = geojson.Properties{"code": code, "name": name}
		out.Append(nf)
		l.Kept++
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("importer: %s: %w", file, err)
	}
	b.cat.Outlines[level] = append(raw, '\n')
	l.Notes = append(l.Notes, "metropolitan France only (the DROM outlines of the raw folder are map insets)")
	b.done(l)
	b.source("outlines_"+level, l)
	return nil
}

// roundGeometry rounds a polygon's coordinates and drops the points that
// rounding makes repeat.
func roundGeometry(g orb.Geometry) (orb.Geometry, error) {
	p := math.Pow(10, outlineDecimals)
	ring := func(r orb.Ring) (orb.Ring, error) {
		var out orb.Ring
		for _, pt := range r {
			if err := checkLonLat(pt); err != nil {
				return nil, err
			}
			q := orb.Point{math.Round(pt[0]*p) / p, math.Round(pt[1]*p) / p}
			if len(out) == 0 || out[len(out)-1] != q {
				out = append(out, q)
			}
		}
		return out, nil
	}
	poly := func(pg orb.Polygon) (orb.Polygon, error) {
		var out orb.Polygon
		for _, r := range pg {
			rr, err := ring(r)
			if err != nil {
				return nil, err
			}
			if len(rr) >= 4 {
				out = append(out, rr)
			}
		}
		return out, nil
	}
	switch g := g.(type) {
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, pg := range g {
			pp, err := poly(pg)
			if err != nil {
				return nil, err
			}
			if len(pp) > 0 {
				out = append(out, pp)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("is %s, want a Polygon or MultiPolygon", g.GeoJSONType())
}
