// Package geo holds sitematch's spatial primitives: great-circle distances,
// the distance decay used by the criteria, bounds around a point, the
// Lambert-93 projection of official French files, and a
// generic point index over tidwall/rtree with exact nearest-neighbour and
// within-radius queries. It knows nothing of scoring or HTTP.
//
// # Units and conventions
//
// Points are orb.Point values in WGS84 longitude/latitude order, in degrees.
// Distances are great-circle kilometres on a sphere of radius
// [EarthRadiusKm] (6371.0088 km, the IUGG mean radius). orb's
// geo.DistanceHaversine uses the equatorial radius (6378.137 km) and metres,
// so it reads about 0.11 % long; this package does not use it. Import orb's
// geo package, where needed, as orbgeo to avoid the name clash.
//
// # Fast distances
//
// [DistanceKm] is the haversine formula. For hot loops, precompute a [Unit]
// vector per point with [ToUnit]; [Unit.DistanceKm] then costs a few
// multiplications, one square root and one arcsine, and agrees with
// DistanceKm up to float rounding.
//
// # Index
//
// [Index] ranks by the true great-circle distance, not by the squared
// degrees of rtree's stock BoxDist: at French latitudes a degree of
// longitude is only about 0.7 of a degree of latitude, and on the communes
// layer BoxDist picks the wrong nearest point for about 10–14 % of queries
// near a commune and 30 % of queries spread over the metropolitan box (see
// TestNaiveBoxDistMisranks). Scaling longitudes by the query's cos(latitude)
// still errs in about 1 % of the latter. The index's node priority is a
// true lower bound of the distance, so its answers are exact. Its zero
// value is an empty index ready to use. Queries may run concurrently with
// each other; Insert and Delete need exclusive access, and an Index must not
// be copied once used.
//
// # Caveats
//
// Indexed points must have finite coordinates with longitude in
// [-180, 180] and latitude in [-90, 90]. Queries across the antimeridian are
// exact for [Index.Nearest] and [Index.Within]; [Index.InBound] takes the
// box literally and never wraps it.
package geo
