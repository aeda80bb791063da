package layers

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
)

// facilityLayer is the layer of IREP large industrial establishments,
// with their A38 branch.
type facilityLayer struct {
	points
	fac    []data.Facility
	source string
}

func (l *facilityLayer) Len() int                      { return len(l.fac) }
func (l *facilityLayer) FeatureID(i int) string        { return l.fac[i].ID }
func (l *facilityLayer) Point(i int) (orb.Point, bool) { return l.fac[i].Point, true }
func (l *facilityLayer) Properties(i int) geojson.Properties {
	f := &l.fac[i]
	return geojson.Properties{"id": f.ID, "name": f.Name, "siret": f.SIRET, "commune": f.Commune, "naf": f.NAF,
		"activity": f.Activity, "branch": f.Branch, "branch_label": data.A38Labels[f.Branch], "eprtr": f.EPRTR,
		"placement": "commune: nearest commune centre", "source": l.source}
}
