package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Lambert-93 (EPSG:2154): Lambert conformal conic with two standard
// parallels (44° and 49° N, origin 46.5° N 3° E) on the GRS80 ellipsoid
// (RGF93), as IGN defines it. The official French files (toll stations,
// regional zone inventories) often carry only these metres.
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

// lambert93 derives the projection's constants (exact, no rounded table).
var lambert93 = func() lcc {
	e := math.Sqrt(l93F * (2 - l93F))
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-e*e*s*s) }
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-e*s)/(1+e*s), e/2)
	}
	p1, p2, p0 := l93Lat1*rad, l93Lat2*rad, l93Lat0*rad
	n := (math.Log(m(p1)) - math.Log(m(p2))) / (math.Log(t(p1)) - math.Log(t(p2)))
	aF := l93A * m(p1) / (n * math.Pow(t(p1), n))
	return lcc{e: e, n: n, aF: aF, rho0: aF * math.Pow(t(p0), n)}
}()

// Lambert93ToWGS84 converts Lambert-93 metres (x, y) to WGS84 lon/lat
// degrees, iterating the isometric latitude to 1e-14 rad. The RGF93 datum
// coincides with WGS84 to within a few centimetres, which the conversion
// neglects.
func Lambert93ToWGS84(x, y float64) orb.Point {
	p := lambert93
	dx, dy := x-l93X0, p.rho0-(y-l93Y0)
	rho := math.Copysign(math.Hypot(dx, dy), p.n)
	t := math.Pow(rho/p.aF, 1/p.n)
	theta := math.Atan2(dx, dy)
	lon := theta/p.n + l93Lon0*rad
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
	return orb.Point{lon / rad, phi / rad}
}

// WGS84ToLambert93 converts WGS84 lon/lat degrees to Lambert-93 metres.
func WGS84ToLambert93(pt orb.Point) (x, y float64) {
	p := lambert93
	phi := pt[1] * rad
	s := p.e * math.Sin(phi)
	t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-s)/(1+s), p.e/2)
	rho := p.aF * math.Pow(t, p.n)
	theta := p.n * (pt[0] - l93Lon0) * rad
	return l93X0 + rho*math.Sin(theta), l93Y0 + p.rho0 - rho*math.Cos(theta)
}
