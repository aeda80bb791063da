package api

import (
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
)

// addFacilities adds the collection of IREP large industrial
// establishments, with their A38 branch.
func (cs *collections) addFacilities(cat *data.Catalogue, l data.Layer) {
	c := &collection{ID: l.ID, Title: l.Title, Description: l.Description, Source: sourceLabel(cat, l.ID)}
	for _, f := range cat.Facilities {
		c.ids = append(c.ids, f.ID)
		c.pts = append(c.pts, f.Point)
	}
	c.props = func(i int) geojson.Properties {
		f := &cat.Facilities[i]
		return geojson.Properties{"id": f.ID, "name": f.Name, "siret": f.SIRET, "commune": f.Commune, "naf": f.NAF,
			"activity": f.Activity, "branch": f.Branch, "branch_label": data.A38Labels[f.Branch], "eprtr": f.EPRTR,
			"placement": "commune: nearest commune centre", "source": c.Source}
	}
	cs.add(c)
}
