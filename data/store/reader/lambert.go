package reader

import (
	"math"

	"github.com/paulmach/orb"
)

// Lambert-93 (EPSG:2154): Lambert conformal conic with two standard
// parallels on the GRS80 ellipsoid (RGF93), as IGN defines it.
const (
	l93A    = 6378137.0
	l93F    = 1 / 298.257222101
	l93Lat1 = 49.0
	l93Lat2 = 44.0
	l93Lat0 = 46.5
	l93Lon0 = 3.0
	l93X0   = 700000.0
	l93Y0   = 6600000.0
)

// lcc holds the derived constants of the projection.
type lcc struct{ e, n, aF, rho0 float64 }

func lambert93() lcc {
	e := math.Sqrt(l93F * (2 - l93F))
	rad := math.Pi / 180
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-e*e*s*s) }
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-e*s)/(1+e*s), e/2)
	}
	p1, p2, p0 := l93Lat1*rad, l93Lat2*rad, l93Lat0*rad
	n := (math.Log(m(p1)) - math.Log(m(p2))) / (math.Log(t(p1)) - math.Log(t(p2)))
	aF := l93A * m(p1) / (n * math.Pow(t(p1), n))
	return lcc{e: e, n: n, aF: aF, rho0: aF * math.Pow(t(p0), n)}
}

// Lambert93ToWGS84 converts Lambert-93 metres (x, y) to WGS84 lon/lat
// degrees. The RGF93 datum coincides with WGS84 to within a metre, which
// the conversion neglects.
func Lambert93ToWGS84(x, y float64) orb.Point {
	p := lambert93()
	dx, dy := x-l93X0, p.rho0-(y-l93Y0)
	rho := math.Copysign(math.Hypot(dx, dy), p.n)
	t := math.Pow(rho/p.aF, 1/p.n)
	theta := math.Atan2(dx, dy)
	lon := theta/p.n + l93Lon0*math.Pi/180
	phi := math.Pi/2 - 2*math.Atan(t)
	for range 20 {
		s := p.e * math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-s)/(1+s), p.e/2))
		if math.Abs(next-phi) < 1e-14 {
			phi = next
			break
		}
		phi = next
	}
	return orb.Point{lon * 180 / math.Pi, phi * 180 / math.Pi}
}

// WGS84ToLambert93 converts WGS84 lon/lat degrees to Lambert-93 metres.
func WGS84ToLambert93(pt orb.Point) (x, y float64) {
	p := lambert93()
	rad := math.Pi / 180
	phi := pt[1] * rad
	s := p.e * math.Sin(phi)
	t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-s)/(1+s), p.e/2)
	rho := p.aF * math.Pow(t, p.n)
	theta := p.n * (pt[0] - l93Lon0) * rad
	return l93X0 + rho*math.Sin(theta), l93Y0 + p.rho0 - rho*math.Cos(theta)
}

// FromLambert93 converts every coordinate of a Point, Polygon or
// MultiPolygon from Lambert-93 to WGS84; other geometries are returned
// unchanged.
func FromLambert93(g orb.Geometry) orb.Geometry {
	conv := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i, p := range r {
			out[i] = Lambert93ToWGS84(p[0], p[1])
		}
		return out
	}
	poly := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = conv(r)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return Lambert93ToWGS84(g[0], g[1])
	case orb.Polygon:
		return poly(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = poly(p)
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
