package api

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
	"sitematch/geo"
	"sitematch/matching"
)

// collection is one layer of the catalogue served as an OGC API Features
// collection: its features in catalogue order (sorted by id), each with a
// point, and an R-tree over the points for bbox queries.
type collection struct {
	ID, Title, Description string
	Source                 string // "publisher (vintage)" of the layer

	ids      []string
	pts      []orb.Point
	unplaced map[int]bool // features without a geometry (null in GeoJSON)
	props    func(i int) geojson.Properties
	bbox     func(i int) geojson.BBox // nil: the point is the geometry's extent
	byID     map[string]int
	ix       *geo.Index[int]
}

// collections are the served collections, in display order.
type collections struct {
	list []*collection
	byID map[string]*collection
}

func (cs *collections) get(id string) (*collection, bool) {
	c, ok := cs.byID[id]
	return c, ok
}

// newCollections builds every collection and its spatial index.
func newCollections(eng *matching.Engine) *collections {
	cat := eng.Catalogue()
	src := func(layer string) string {
		if s, ok := cat.SourceOf(layer); ok {
			return s.Publisher + " (" + s.Vintage + ")"
		}
		return ""
	}
	cs := &collections{byID: map[string]*collection{}}
	add := cs.add

	sites := func(id, title, desc string, layer []data.Site) {
		c := &collection{ID: id, Title: title, Description: desc, Source: src(id)}
		for _, s := range layer {
			c.ids = append(c.ids, s.ID)
			c.pts = append(c.pts, s.Point)
		}
		c.props = func(i int) geojson.Properties {
			s := &layer[i]
			p := geojson.Properties{"id": s.ID, "kind": s.Kind, "name": s.Name, "commune": s.Commune,
				"area_ha": nil, "status": s.Status, "programme": s.Programme, "placement": s.Placement,
				"source": c.Source, "source_detail": s.Source, "note": s.Note}
			if s.AreaKnown {
				p["area_ha"] = s.AreaHa
			}
			if cand, ok := eng.Candidate(s.ID); ok {
				p["commune_name"] = cand.Commune.Name
				p["departement"] = cand.Commune.Dep
				p["region"] = cand.Commune.Reg
				p["epci"] = cand.Commune.EPCI
				p["territoire_industrie"] = cand.Commune.TI
			}
			return p
		}
		add(c)
	}
	nodes := func(id, title, desc string, layer []data.Node) {
		c := &collection{ID: id, Title: title, Description: desc, Source: src(id)}
		for _, n := range layer {
			c.ids = append(c.ids, n.ID)
			c.pts = append(c.pts, n.Point)
		}
		c.props = func(i int) geojson.Properties {
			n := &layer[i]
			return geojson.Properties{"id": n.ID, "name": n.Name, "commune": n.Commune, "class": n.Class,
				"merged": n.Merged, "source": c.Source}
		}
		add(c)
	}

	sites("turnkey", "Sites industriels clés en main",
		"Turnkey industrial sites of the national programme, placed at their commune's coordinates (placement says so); "+
			"a partial list of the programme's sites (see coverage_gaps in /v1/meta).", cat.Turnkey)
	sites("zones", "Zones d'activité économique",
		"Equipped industrial and business zones; no national inventory exists, so zones come from regional imports (empty in the embedded snapshot).",
		cat.Zones)
	sites("brownfields", "Friches (Cartofriches)",
		"Brownfields from Cerema Cartofriches with their status; redeveloped sites left out.", cat.Brownfields)
	sites("towns", "Villes moyennes et petites villes (Action Cœur de Ville, Petites villes de demain)",
		"Medium-sized towns of Action Cœur de Ville and small towns of Petites villes de demain; programme says which.", cat.Towns)
	cs.addTerritoires(cat, src("territoires_industrie"))
	nodes("motorway_interchanges", "Échangeurs autoroutiers (réseau concédé)",
		"Interchanges of the toll motorway network (gates of one interchange merged); free expressways, the A75 and urban motorways are missing.",
		cat.Interchanges)
	nodes("rail_freight", "Points ferroviaires ouverts au fret",
		"SNCF Réseau points open to freight, one per point and line; not combined-transport terminals.", cat.RailFreight)
	nodes("stations", "Gares de voyageurs", "Passenger stations with their class (A, B, C).", cat.Stations)
	nodes("airports", "Aéroports", "Medium and large airports, overseas included.", cat.Airports)
	nodes("seaports", "Ports maritimes", "Seaports of the World Port Index; river ports are not included.", cat.Seaports)

	lyc := &collection{ID: "training", Title: "Lycées professionnels (LP, LPO)",
		Description: "Vocational lycées, each at its commune's coordinates; trades lists the trade families (GET /v1/profiles) its name states " +
			"(\"lycée des métiers de …\"), empty when the name states none.",
		Source: src("training")}
	for _, l := range cat.Lycees {
		lyc.ids = append(lyc.ids, l.UAI)
		lyc.pts = append(lyc.pts, l.Point)
	}
	lyc.props = func(i int) geojson.Properties {
		l := &cat.Lycees[i]
		return geojson.Properties{"id": l.UAI, "uai": l.UAI, "name": l.Name, "type": l.Type, "sector": l.Sector,
			"commune": l.Commune, "trades": nonNil(l.Trades), "placement": "commune coordinates", "source": lyc.Source}
	}
	add(lyc)
	return cs
}

// add indexes a collection and appends it.
func (cs *collections) add(c *collection) {
	c.byID = make(map[string]int, len(c.ids))
	c.ix = new(geo.Index[int])
	for i, id := range c.ids {
		c.byID[id] = i
		if !c.unplaced[i] {
			c.ix.Insert(c.pts[i], i)
		}
	}
	cs.list = append(cs.list, c)
	cs.byID[c.ID] = c
}

// addTerritoires adds the Territoires d'industrie. The snapshot holds no
// polygons: each territory is a point, the centroid of the member EPCI
// nearest the mean of the member EPCI centroids (so it lies in the
// territory, where a plain mean could fall between two parts), with the
// bounding box of the member centroids as the feature's bbox.
func (cs *collections) addTerritoires(cat *data.Catalogue, source string) {
	epci := make(map[string]orb.Point, len(cat.EPCIs))
	for _, e := range cat.EPCIs {
		epci[e.SIREN] = e.Point
	}
	communes := map[string]int{}
	for _, cm := range cat.Communes {
		if cm.TI != "" {
			communes[cm.TI]++
		}
	}
	type terr struct {
		t      *data.Territoire
		pt     orb.Point
		bound  orb.Bound
		placed bool
	}
	var ts []terr
	for i := range cat.Territoires {
		t := &cat.Territoires[i]
		var pts []orb.Point
		for _, s := range t.EPCIs {
			if p, ok := epci[s]; ok {
				pts = append(pts, p)
			}
		}
		if len(pts) == 0 {
			ts = append(ts, terr{t: t}) // no member centroid: no geometry
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
		ts = append(ts, terr{t, best, b, true})
	}
	c := &collection{ID: "territoires_industrie", Title: "Territoires d'industrie (2023-2027)",
		Description: "Territoires d'industrie as points: the snapshot holds no polygons. Each is placed at the centroid of the member EPCI " +
			"nearest the mean of its member EPCI centroids; the feature's bbox is the bounding box of those centroids, and bbox queries " +
			"match the point. epci lists the member EPCI (SIREN), communes counts their communes. A territory whose members have no " +
			"centroid in the snapshot has a null geometry.",
		Source: source}
	c.unplaced = map[int]bool{}
	for i, t := range ts {
		c.ids = append(c.ids, t.t.ID)
		c.pts = append(c.pts, t.pt)
		if !t.placed {
			c.unplaced[i] = true
		}
	}
	c.props = func(i int) geojson.Properties {
		t := ts[i].t
		placement := "centroid of a member EPCI"
		if c.unplaced[i] {
			placement = "not placed: no member EPCI centroid in the snapshot (an établissement public territorial of the Grand Paris)"
		}
		return geojson.Properties{"id": t.ID, "name": t.Name, "epci": nonNil(slices.Clone(t.EPCIs)),
			"epci_count": len(t.EPCIs), "communes": communes[t.ID], "placement": placement, "source": source}
	}
	c.bbox = func(i int) geojson.BBox {
		if c.unplaced[i] {
			return nil
		}
		return geojson.NewBBox(ts[i].bound)
	}
	cs.add(c)
}

// feature returns the i-th feature of the collection.
func (c *collection) feature(i int) *geojson.Feature {
	var g orb.Geometry
	if !c.unplaced[i] {
		g = c.pts[i]
	}
	f := geojson.NewFeature(g)
	f.ID = c.ids[i]
	f.Properties = c.props(i)
	if c.bbox != nil {
		f.BBox = c.bbox(i)
	}
	return f
}

// matching returns the indexes of the features inside b (nil: every
// feature), in catalogue order.
func (c *collection) matching(b *orb.Bound) []int {
	if b == nil {
		return seq(len(c.ids))
	}
	var out []int
	c.ix.InBound(*b, func(h geo.Hit[int]) bool {
		out = append(out, h.Value)
		return true
	})
	slices.Sort(out)
	return out
}

// extent is the bounding box of the collection's points, nil when empty.
func (c *collection) extent() []float64 {
	if c.ix.Len() == 0 {
		return nil
	}
	b := c.ix.Bound()
	if c.bbox != nil {
		for i := range c.ids {
			if bb := c.bbox(i); bb != nil {
				b = b.Union(bb.Bound())
			}
		}
	}
	return []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
