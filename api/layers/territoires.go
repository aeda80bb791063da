package layers

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
	"sitematch/geo"
)

// territoireLayer is the layer of the Territoires d'industrie. The
// snapshot holds no polygons: each territory is a point, the centroid of
// the member EPCI nearest the mean of the member EPCI centroids (so it
// lies in the territory, where a plain mean could fall between two
// parts), with the bounding box of the member centroids as the feature's
// bbox. A territory with no member centroid has no geometry.
type territoireLayer struct {
	ts       []territoire
	communes map[string]int // communes by territory id
	source   string
}

type territoire struct {
	t      *data.Territoire
	pt     orb.Point
	bound  orb.Bound
	placed bool
}

func newTerritoires(cat *data.Catalogue, source string) *territoireLayer {
	epci := make(map[string]orb.Point, len(cat.EPCIs))
	for _, e := range cat.EPCIs {
		epci[e.SIREN] = e.Point
	}
	l := &territoireLayer{communes: map[string]int{}, source: source}
	for _, cm := range cat.Communes {
		if cm.TI != "" {
			l.communes[cm.TI]++
		}
	}
	for i := range cat.Territoires {
		t := &cat.Territoires[i]
		var pts []orb.Point
		for _, s := range t.EPCIs {
			if p, ok := epci[s]; ok {
				pts = append(pts, p)
			}
		}
		if len(pts) == 0 {
			l.ts = append(l.ts, territoire{t: t}) // no member centroid: no geometry
			continue
		}
		var mean orb.Point
		b := orb.Bound{Min: pts[0], Max: pts[0]}
		for _, p := range pts {
			mean[0] += p[0] / float64(len(pts))
			mean[1] += p[1] / float64(len(pts))
			b = b.Extend(p)
		}
		best, bestKm := pts[0], math.Inf(1)
		for _, p := range pts {
			if d := geo.DistanceKm(mean, p); d < bestKm {
				best, bestKm = p, d
			}
		}
		l.ts = append(l.ts, territoire{t, best, b, true})
	}
	return l
}

func (l *territoireLayer) Len() int                      { return len(l.ts) }
func (l *territoireLayer) FeatureID(i int) string        { return l.ts[i].t.ID }
func (l *territoireLayer) Point(i int) (orb.Point, bool) { return l.ts[i].pt, l.ts[i].placed }
func (l *territoireLayer) Outline(int) orb.MultiPolygon  { return nil }
func (l *territoireLayer) BBox(i int) geojson.BBox {
	if !l.ts[i].placed {
		return nil
	}
	return geojson.NewBBox(l.ts[i].bound)
}

func (l *territoireLayer) Properties(i int) geojson.Properties {
	t := l.ts[i].t
	placement := "centroid of a member EPCI"
	if !l.ts[i].placed {
		placement = "not placed: no member EPCI centroid in the snapshot (an établissement public territorial of the Grand Paris)"
	}
	return geojson.Properties{"id": t.ID, "name": t.Name, "epci": nonNil(slices.Clone(t.EPCIs)),
		"epci_count": len(t.EPCIs), "communes": l.communes[t.ID], "placement": placement, "source": l.source}
}
