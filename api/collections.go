package api

import (
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
	"sitematch/geo"
	"sitematch/matching"
)

// collection is one layer of the catalogue served as an OGC API Features
// collection: its features in catalogue order (sorted by id), each with a
// point, and an R-tree over the points for bbox queries.
//
// The registry's layers (turnkey, zones, brownfields) follow the engine:
// after each registry write the server derives new collections from the
// new engine's catalogue (withEngine). Their R-tree holds site ids rather
// than positions, so that it is copied (copy-on-write, constant time) and
// changed only at the written sites; positions are found by binary search
// in the sorted ids. The other layers never change: their R-tree holds
// positions and byID maps ids to them.
type collection struct {
	ID, Title, Description string
	Source                 string // "publisher (vintage)" of the layer

	ids      []string
	pts      []orb.Point
	unplaced map[int]bool // features without a geometry (null in GeoJSON)
	props    func(i int) geojson.Properties
	bbox     func(i int) geojson.BBox // nil: the point is the geometry's extent
	byID     map[string]int           // static layers
	ix       *geo.Index[int]          // static layers: positions

	siteIx *geo.Index[string] // registry layers: site ids
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

// siteCollections maps the registry's kinds to their collections.
var siteCollections = map[string]string{data.KindTurnkey: "turnkey", data.KindZone: "zones", data.KindBrownfield: "brownfields"}

// siteLayer returns the catalogue layer of a registry collection.
func siteLayer(cat *data.Catalogue, collectionID string) []data.Site {
	switch collectionID {
	case "turnkey":
		return cat.Turnkey
	case "zones":
		return cat.Zones
	}
	return cat.Brownfields
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
		c.setSites(cat, layer, nil, nil)
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
		"Turnkey industrial sites of the national programme, from the site registry (seeded with the snapshot's, placed at their "+
			"commune's coordinates: placement says so; editors write the others through /v1/sites); "+
			"a partial list of the programme's sites (see coverage_gaps in /v1/meta).", cat.Turnkey)
	sites("zones", "Zones d'activité économique",
		"Equipped industrial and business zones; no national inventory exists, so zones come from the site registry (regional imports and "+
			"editors' writes through /v1/sites; none in the embedded snapshot).",
		cat.Zones)
	sites("brownfields", "Friches (Cartofriches)",
		"Brownfields from Cerema Cartofriches with their status; redeveloped sites left out; corrections written to the site registry replace "+
			"the snapshot's record.", cat.Brownfields)
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
	if c.siteIx == nil {
		c.byID = make(map[string]int, len(c.ids))
		c.ix = new(geo.Index[int])
		for i, id := range c.ids {
			c.byID[id] = i
			if !c.unplaced[i] {
				c.ix.Insert(c.pts[i], i)
			}
		}
	}
	cs.list = append(cs.list, c)
	cs.byID[c.ID] = c
}

// setSites makes c serve a registry layer (sorted by id). With a previous
// collection of the layer, its index is copied and changed only at the
// changed ids; without one, it is built.
func (c *collection) setSites(cat *data.Catalogue, layer []data.Site, prev *collection, changed []string) {
	c.ids = make([]string, len(layer))
	c.pts = make([]orb.Point, len(layer))
	for i := range layer {
		c.ids[i], c.pts[i] = layer[i].ID, layer[i].Point
	}
	if prev == nil {
		c.siteIx = new(geo.Index[string])
		for i := range layer {
			c.siteIx.Insert(c.pts[i], c.ids[i])
		}
	} else {
		c.siteIx = prev.siteIx.Copy()
		for _, id := range changed {
			if i, ok := prev.lookup(id); ok {
				c.siteIx.Delete(prev.pts[i], id)
			}
			if i, ok := c.lookup(id); ok {
				c.siteIx.Insert(c.pts[i], id)
			}
		}
	}
	source := c.Source
	c.props = func(i int) geojson.Properties {
		s := &layer[i]
		p := geojson.Properties{"id": s.ID, "kind": s.Kind, "name": s.Name, "commune": s.Commune,
			"area_ha": nil, "status": s.Status, "programme": s.Programme, "placement": s.Placement,
			"source": source, "source_detail": s.Source, "note": s.Note}
		if s.AreaKnown {
			p["area_ha"] = s.AreaHa
		}
		if cm, ok := cat.Commune(s.Commune); ok {
			p["commune_name"] = cm.Name
			p["departement"] = cm.Dep
			p["region"] = cm.Reg
			p["epci"] = cm.EPCI
			p["territoire_industrie"] = cm.TI
		}
		return p
	}
}

// withEngine returns the collections of a new engine derived from the one
// cs serves, whose registry sites changed at the ids: the collections of
// the layers holding a changed id are derived (see setSites), every other
// collection is shared.
func (cs *collections) withEngine(eng *matching.Engine, changed []string) *collections {
	cat := eng.Catalogue()
	byColl := map[string][]string{}
	for _, id := range changed {
		kind, _, _ := strings.Cut(id, ":")
		if coll, ok := siteCollections[kind]; ok {
			byColl[coll] = append(byColl[coll], id)
		}
	}
	out := &collections{list: make([]*collection, len(cs.list)), byID: make(map[string]*collection, len(cs.list))}
	for i, c := range cs.list {
		if ids, ok := byColl[c.ID]; ok {
			n := &collection{ID: c.ID, Title: c.Title, Description: c.Description, Source: c.Source}
			n.setSites(cat, siteLayer(cat, c.ID), c, ids)
			c = n
		}
		out.list[i] = c
		out.byID[c.ID] = c
	}
	return out
}

// lookup returns the position of a feature id.
func (c *collection) lookup(id string) (int, bool) {
	if c.siteIx != nil {
		return slices.BinarySearch(c.ids, id)
	}
	i, ok := c.byID[id]
	return i, ok
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
	if c.siteIx != nil {
		c.siteIx.InBound(*b, func(h geo.Hit[string]) bool {
			if i, ok := c.lookup(h.Value); ok {
				out = append(out, i)
			}
			return true
		})
	} else {
		c.ix.InBound(*b, func(h geo.Hit[int]) bool {
			out = append(out, h.Value)
			return true
		})
	}
	slices.Sort(out)
	return out
}

// bound is the bounding box of the collection's indexed points, and
// whether there is any.
func (c *collection) bound() (orb.Bound, bool) {
	if c.siteIx != nil {
		return c.siteIx.Bound(), c.siteIx.Len() > 0
	}
	return c.ix.Bound(), c.ix.Len() > 0
}

// extent is the bounding box of the collection's points, nil when empty.
func (c *collection) extent() []float64 {
	b, ok := c.bound()
	if !ok {
		return nil
	}
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
