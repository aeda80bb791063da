package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// EarthRadiusKm is the radius of the sphere all distances are measured on:
// the IUGG mean Earth radius, in kilometres.
const EarthRadiusKm = 6371.0088

// rad converts degrees to radians.
const rad = math.Pi / 180

// hav returns the haversine of the central angle between a and b,
// sin²(θ/2), given cosLatA = cos(a's latitude). It lies in [0, 1] and grows
// with distance, so the index can rank by it and convert only what it
// reports. It is the single formula behind DistanceKm and the index, which
// keeps their results bit-identical.
func hav(a, b orb.Point, cosLatA float64) float64 {
	sLat := math.Sin((b[1] - a[1]) * rad / 2)
	sLon := math.Sin((b[0] - a[0]) * rad / 2)
	return sLat*sLat + cosLatA*math.Cos(b[1]*rad)*sLon*sLon
}

// havKm converts a haversine sin²(θ/2) to kilometres.
func havKm(h float64) float64 {
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// DistanceKm returns the great-circle distance in kilometres between a and
// b (lon/lat degrees) by the haversine formula on a sphere of radius
// EarthRadiusKm. It is symmetric and exact up to float rounding, which grows
// to about 1e-8 relative only for nearly antipodal points.
func DistanceKm(a, b orb.Point) float64 {
	return havKm(hav(a, b, math.Cos(a[1]*rad)))
}

// Decay maps a distance d to a score in [0, 1]: 1 at or below near, 0 at or
// beyond far, and linear in between. When far <= near it is a step at near
// (1 up to near, 0 beyond). A NaN distance yields NaN.
func Decay(d, near, far float64) float64 {
	switch {
	case d <= near:
		return 1
	case d >= far:
		return 0
	}
	return (far - d) / (far - near)
}

// Unit is a point as a unit vector from the centre of the sphere (X towards
// lon 0 lat 0, Y towards lon 90, Z towards the North Pole). Precompute it
// once per point with ToUnit when the same points meet many times in a hot
// loop.
type Unit struct{ X, Y, Z float64 }

// ToUnit returns the unit vector of p (lon/lat degrees).
func ToUnit(p orb.Point) Unit {
	sLat, cLat := math.Sincos(p[1] * rad)
	sLon, cLon := math.Sincos(p[0] * rad)
	return Unit{X: cLat * cLon, Y: cLat * sLon, Z: sLat}
}

// DistanceKm returns the great-circle distance in kilometres between u and
// v. The chord c = |u−v| gives sin(θ/2) = c/2, the same quantity haversine
// computes, so the result equals DistanceKm on the original points up to
// float rounding (about 1e-12 km absolute).
func (u Unit) DistanceKm(v Unit) float64 {
	dx, dy, dz := u.X-v.X, u.Y-v.Y, u.Z-v.Z
	return havKm((dx*dx + dy*dy + dz*dz) / 4)
}

// BoundAround returns a lon/lat box that contains every point within km
// kilometres of p (a point exactly km away included). Latitudes extend by
// km/R. Longitudes extend by (km/R)/cos(φmax), φmax being the largest
// |latitude| in the box: the shortest path from p to any point within km
// stays inside the box's latitudes, and along it longitude changes by at
// most ds/(R·cos φmax) per distance ds. When the box would reach a pole the
// whole world is returned; when its longitudes would cross the antimeridian
// (or span 360°) they widen to [-180, 180]. A negative km counts as 0.
func BoundAround(p orb.Point, km float64) orb.Bound {
	const slack = 1 + 1e-9 // absorbs float rounding at the boundary
	dLat := max(km, 0) / EarthRadiusKm / rad * slack
	minLat, maxLat := p[1]-dLat, p[1]+dLat
	if !(minLat > -90 && maxLat < 90) {
		return orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	}
	dLon := dLat / math.Cos(max(-minLat, maxLat)*rad) * slack
	minLon, maxLon := p[0]-dLon, p[0]+dLon
	if minLon < -180 || maxLon > 180 {
		minLon, maxLon = -180, 180
	}
	return orb.Bound{Min: orb.Point{minLon, minLat}, Max: orb.Point{maxLon, maxLat}}
}
