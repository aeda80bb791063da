package reader

import (
	"github.com/paulmach/orb"

	"sitematch/geo"
)

// FromLambert93 returns a copy of a geometry with every coordinate
// converted from Lambert-93 (EPSG:2154) to WGS84 lon/lat.
func FromLambert93(g orb.Geometry) orb.Geometry {
	pts := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = geo.Lambert93ToWGS84(p[0], p[1])
		}
		return out
	}
	poly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = orb.Ring(pts(r))
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return geo.Lambert93ToWGS84(g[0], g[1])
	case orb.MultiPoint:
		return orb.MultiPoint(pts(g))
	case orb.LineString:
		return orb.LineString(pts(g))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, l := range g {
			out[i] = orb.LineString(pts(l))
		}
		return out
	case orb.Ring:
		return orb.Ring(pts(g))
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = poly(p)
		}
		return out
	case orb.Collection:
		out := make(orb.Collection, len(g))
		for i, x := range g {
			out[i] = FromLambert93(x)
		}
		return out
	}
	return g
}

// looksLambert93 reports whether a coordinate pair is plainly Lambert-93
// metres over metropolitan France rather than degrees.
func looksLambert93(p orb.Point) bool {
	return p[0] > 0 && p[0] < 1.3e6 && p[1] > 6.0e6 && p[1] < 7.2e6
}

// maybeLambert converts a geometry whose first coordinate looks like
// Lambert-93.
func maybeLambert(g orb.Geometry) orb.Geometry {
	if g == nil {
		return nil
	}
	var first orb.Point
	switch g := g.(type) {
	case orb.Point:
		first = g
	case orb.Polygon:
		if len(g) > 0 && len(g[0]) > 0 {
			first = g[0][0]
		}
	case orb.MultiPolygon:
		if len(g) > 0 && len(g[0]) > 0 && len(g[0][0]) > 0 {
			first = g[0][0][0]
		}
	}
	if looksLambert93(first) {
		return FromLambert93(g)
	}
	return g
}
