package features

import (
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"sitematch/geo"
)

// crsDef is a CRS the feature server answers in (crs), reads boxes in
// (bbox-crs) and reads filter geometries in (filter-crs). from maps CRS84
// to the CRS's coordinates in the order of its axes; to maps them back.
type crsDef struct {
	uri  string
	from orb.Projection
	to   orb.Projection
}

// CRS4326 is WGS84 with EPSG's axis order, latitude first; CRS2154 is
// Lambert-93 (RGF93, easting then northing, metres), exact for
// metropolitan France; the overseas départements' official CRSs (UTM
// zones on RGAF09, RGFG95, RGR92, RGM04) are not offered: no transverse
// Mercator is implemented.
const (
	CRS4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
	CRS2154 = "http://www.opengis.net/def/crs/EPSG/0/2154"
)

// servedCRS are the CRSs of every collection, CRS84 (the storage CRS)
// first.
var servedCRS = []crsDef{
	{uri: CRS84, from: func(p orb.Point) orb.Point { return p }, to: func(p orb.Point) orb.Point { return p }},
	{uri: CRS4326, from: func(p orb.Point) orb.Point { return orb.Point{p[1], p[0]} }, to: func(p orb.Point) orb.Point { return orb.Point{p[1], p[0]} }},
	{uri: CRS2154, from: func(p orb.Point) orb.Point { x, y := geo.WGS84ToLambert93(p); return orb.Point{x, y} },
		to: func(p orb.Point) orb.Point { return geo.Lambert93ToWGS84(p[0], p[1]) }},
}

// crsURIs lists the served CRSs' URIs.
func CRSURIs() []string {
	out := make([]string, len(servedCRS))
	for i, c := range servedCRS {
		out[i] = c.uri
	}
	return out
}

// lookupCRS finds a CRS by its URI, its safe CURIE ([EPSG:2154]), its
// URN or its EPSG:n code, as clients write them.
func lookupCRS(s string) (*crsDef, bool) {
	k := strings.TrimSpace(s)
	k = strings.TrimSuffix(strings.TrimPrefix(k, "["), "]")
	switch strings.ToUpper(k) {
	case "OGC:CRS84", "CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", strings.ToUpper(CRS84):
		return &servedCRS[0], true
	case "EPSG:4326", "URN:OGC:DEF:CRS:EPSG::4326", strings.ToUpper(CRS4326):
		return &servedCRS[1], true
	case "EPSG:2154", "URN:OGC:DEF:CRS:EPSG::2154", strings.ToUpper(CRS2154):
		return &servedCRS[2], true
	}
	return nil, false
}

func (c *crsDef) identity() bool { return c.uri == CRS84 }

// toCRS84 maps a pair of coordinates of the CRS to CRS84.
func (c *crsDef) toCRS84(x, y float64) orb.Point { return c.to(orb.Point{x, y}) }

// project returns f with its geometry and bbox in the CRS (f itself for
// CRS84). A bbox is recomputed from the projected geometry, or, for a
// feature whose bbox is not its geometry's (a territory's member
// centroids), from the projected corners of its bbox.
func (c *crsDef) project(f *geojson.Feature) *geojson.Feature {
	if c.identity() || f.Geometry == nil {
		return f
	}
	out := *f
	out.Geometry = project.Geometry(orb.Clone(f.Geometry), c.from)
	if f.BBox != nil {
		b := f.BBox.Bound()
		if _, isPoint := f.Geometry.(orb.Point); isPoint {
			nb := orb.Bound{Min: c.from(b.Min), Max: c.from(b.Min)}
			for _, p := range []orb.Point{b.Min, b.Max, {b.Min[0], b.Max[1]}, {b.Max[0], b.Min[1]}} {
				nb = nb.Extend(c.from(p))
			}
			out.BBox = geojson.NewBBox(nb)
		} else {
			out.BBox = geojson.NewBBox(out.Geometry.Bound())
		}
	}
	return &out
}
