package api

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/data"
	"sitematch/data/store"
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
//
// A registry layer's feature has the site's real geometry (its outline
// when it has one, else its point) and, when the registry holds a record
// of the site, the record's properties (see siteProps). The R-tree holds
// one point per site, the site's location (inside its outline), so that a
// write changes it at one entry; a second R-tree, shapeIx, holds the same
// points of the sites that have an outline only. A bbox query takes the
// point sites whose point lies in the box from the first, and the outline
// sites whose outline intersects the box (geo.IntersectsBound, exact) from
// the second, searched over the box grown by reach: the largest distance,
// in longitude and in latitude, from an outline site's point to the edge
// of its outline's bounding box. An outline crossing the box therefore
// has its point in the grown box and is found, even when neither its point
// nor any vertex lies in the box; the growth, at most an outline's extent
// (store.MaxExtentKm), costs only a search among the outline sites.
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

	siteIx   *geo.Index[string]     // registry layers: site ids, at their points
	shapeIx  *geo.Index[string]     // registry layers: the ids of the sites with an outline, at their points
	sites    []data.Site            // registry layers: the engine's sites (geometry)
	records  map[string]*store.Site // registry layers: the registry's records by id
	outlines map[int]orb.Bound      // registry layers: the bound of each outline, by position
	reach    orb.Point              // registry layers: the largest lon and lat distance from a site's point to its outline's bound

	schemaOnce  sync.Once
	schemaProps map[string]any // see propertySchemas

	selMu    sync.Mutex
	selCache []selection // the last selections (itemsQuery.selectFrom), most recent last
}

// selection is a query's matching features, kept so that the pages of a
// filtered query (GDAL 3.6 reads them 10 at a time) filter the layer
// once rather than once a page.
type selection struct {
	key string
	idx []int
}

// maxSelections is the number of selections a collection keeps.
const maxSelections = 8

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
var siteCollections = func() map[string]string {
	out := map[string]string{}
	for _, l := range data.Layers() {
		if l.Registry {
			out[l.Kind] = l.ID
		}
	}
	return out
}()

// registry reports whether c serves a layer of the site registry.
func (c *collection) registry() bool {
	for _, id := range siteCollections {
		if id == c.ID {
			return true
		}
	}
	return false
}

// siteLayer returns the catalogue layer of a registry collection.
func siteLayer(cat *data.Catalogue, collectionID string) []data.Site {
	l, _ := data.LayerByID(collectionID)
	return *l.Sites(cat)
}

// newCollections builds every collection and its spatial index. records
// are the registry's records (store.OverlayRecords), whose properties the
// registry layers serve.
func newCollections(eng *matching.Engine, records []store.Site) *collections {
	cat := eng.Catalogue()
	src := func(layer string) string { return sourceLabel(cat, layer) }
	byID := make(map[string]*store.Site, len(records))
	for i := range records {
		byID[records[i].ID] = &records[i]
	}
	cs := &collections{byID: map[string]*collection{}}
	add := cs.add

	sites := func(id, title, desc string, layer []data.Site) {
		c := &collection{ID: id, Title: title, Description: desc, Source: src(id), records: map[string]*store.Site{}}
		for i := range layer {
			if r, ok := byID[layer[i].ID]; ok {
				c.records[layer[i].ID] = r
			}
		}
		c.setSites(cat, layer, nil, nil)
		add(c)
	}
	nodes := func(l data.Layer, layer []data.Node) {
		c := &collection{ID: l.ID, Title: l.Title, Description: l.Description, Source: src(l.ID)}
		for _, n := range layer {
			c.ids = append(c.ids, n.ID)
			c.pts = append(c.pts, n.Point)
		}
		c.props = func(i int) geojson.Properties {
			n := &layer[i]
			p := geojson.Properties{"id": n.ID, "name": n.Name, "commune": n.Commune, "class": n.Class,
				"merged": n.Merged, "source": c.Source}
			// The layer's own attributes; a record's own provenance is
			// source_detail, as for the registry's sites.
			for k, v := range l.NodeProperties(n) {
				if k == "source" {
					k = "source_detail"
				}
				p[k] = v
			}
			return p
		}
		add(c)
	}

	// Candidate layers first (the sites a user looks for), then the others
	// in the order of data.Layers.
	layers := data.Layers()
	slices.SortStableFunc(layers, func(a, b data.Layer) int {
		return cmp.Compare(b2i(a.Class != data.ClassCandidate), b2i(b.Class != data.ClassCandidate))
	})
	for _, l := range layers {
		switch {
		case l.Title == "":
		case l.Sites != nil:
			sites(l.ID, l.Title, l.Description, *l.Sites(cat))
		case l.Nodes != nil:
			nodes(l, *l.Nodes(cat))
		case l.ID == "territoires_industrie":
			cs.addTerritoires(cat, l)
		case l.ID == "training":
			cs.addTraining(cat, l)
		case l.ID == "substations":
			cs.addSubstations(cat, l)
		case l.ID == "seveso":
			cs.addSeveso(cat, l)
		case l.ID == "establishments":
			cs.addFacilities(cat, l)
		}
	}
	return cs
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addTraining adds the collection of vocational lycées.
func (cs *collections) addTraining(cat *data.Catalogue, l data.Layer) {
	lyc := &collection{ID: l.ID, Title: l.Title, Description: l.Description, Source: sourceLabel(cat, l.ID)}
	for _, l := range cat.Lycees {
		lyc.ids = append(lyc.ids, l.UAI)
		lyc.pts = append(lyc.pts, l.Point)
	}
	lyc.props = func(i int) geojson.Properties {
		l := &cat.Lycees[i]
		return geojson.Properties{"id": l.UAI, "uai": l.UAI, "name": l.Name, "type": l.Type, "sector": l.Sector,
			"commune": l.Commune, "trades": nonNil(l.Trades), "pupils": pupilsOf(l), "trades_source": l.TradesSource,
			"placement": "commune coordinates", "source": lyc.Source}
	}
	cs.add(lyc)
}

// pupilsOf maps a lycée's trade families to their pupils (null when the
// trades come from its name).
func pupilsOf(l *data.Lycee) any {
	if l.Pupils == nil {
		return nil
	}
	out := make(map[string]any, len(l.Trades))
	for i, t := range l.Trades {
		out[t] = l.Pupils[i]
	}
	return out
}

// addSubstations adds the collection of RTE substations.
func (cs *collections) addSubstations(cat *data.Catalogue, l data.Layer) {
	c := &collection{ID: l.ID, Title: l.Title, Description: l.Description, Source: sourceLabel(cat, l.ID)}
	for _, s := range cat.Substations {
		c.ids = append(c.ids, s.ID)
		c.pts = append(c.pts, s.Point)
	}
	c.props = func(i int) geojson.Properties {
		s := &cat.Substations[i]
		p := geojson.Properties{"id": s.ID, "name": s.Name, "voltage_kv": nil, "voltage": s.Voltage, "function": s.Function,
			"state": s.State, "remaining_mw": nil, "transformer_mva": nil, "source": c.Source}
		if s.VoltageKV > 0 {
			p["voltage_kv"] = s.VoltageKV
		}
		if s.Capareseau {
			p["remaining_mw"] = s.RemainingMW
		}
		if s.TransformerMVA > 0 {
			p["transformer_mva"] = s.TransformerMVA
		}
		return p
	}
	cs.add(c)
}

// addSeveso adds the collection of Seveso upper-tier establishments.
func (cs *collections) addSeveso(cat *data.Catalogue, l data.Layer) {
	c := &collection{ID: l.ID, Title: l.Title, Description: l.Description, Source: sourceLabel(cat, l.ID)}
	for _, e := range cat.Seveso {
		c.ids = append(c.ids, e.ID)
		c.pts = append(c.pts, e.Point)
	}
	c.props = func(i int) geojson.Properties {
		e := &cat.Seveso[i]
		return geojson.Properties{"id": e.ID, "name": e.Name, "commune": e.Commune, "naf": e.NAF, "activity": e.Activity,
			"seveso": e.Seveso, "regime": e.Regime, "url": e.URL, "source": c.Source}
	}
	cs.add(c)
}

// sourceLabel is a layer's "publisher (vintage)".
func sourceLabel(cat *data.Catalogue, layer string) string {
	if s, ok := cat.SourceOf(layer); ok {
		return s.Publisher + " (" + s.Vintage + ")"
	}
	return ""
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

// setSites makes c serve a registry layer (sorted by id), with the
// records already in c.records. With a previous collection of the layer,
// its index is copied and changed only at the changed ids; without one,
// it is built.
func (c *collection) setSites(cat *data.Catalogue, layer []data.Site, prev *collection, changed []string) {
	c.sites = layer
	c.ids = make([]string, len(layer))
	c.pts = make([]orb.Point, len(layer))
	c.outlines = map[int]orb.Bound{}
	c.reach = orb.Point{}
	for i := range layer {
		s := &layer[i]
		c.ids[i], c.pts[i] = s.ID, s.Point
		if len(s.Outline) == 0 {
			continue
		}
		b := s.Outline.Bound()
		c.outlines[i] = b
		c.reach[0] = max(c.reach[0], s.Point[0]-b.Min[0], b.Max[0]-s.Point[0])
		c.reach[1] = max(c.reach[1], s.Point[1]-b.Min[1], b.Max[1]-s.Point[1])
	}
	insert := func(i int) {
		c.siteIx.Insert(c.pts[i], c.ids[i])
		if _, ok := c.outlines[i]; ok {
			c.shapeIx.Insert(c.pts[i], c.ids[i])
		}
	}
	if prev == nil {
		c.siteIx, c.shapeIx = new(geo.Index[string]), new(geo.Index[string])
		for i := range layer {
			insert(i)
		}
	} else {
		c.siteIx, c.shapeIx = prev.siteIx.Copy(), prev.shapeIx.Copy()
		for _, id := range changed {
			if i, ok := prev.lookup(id); ok {
				c.siteIx.Delete(prev.pts[i], id)
				if _, ok := prev.outlines[i]; ok {
					c.shapeIx.Delete(prev.pts[i], id)
				}
			}
			if i, ok := c.lookup(id); ok {
				insert(i)
			}
		}
	}
	source := c.Source
	c.props = func(i int) geojson.Properties {
		return siteProps(cat, &layer[i], c.records[layer[i].ID], source)
	}
}

// siteProps are the properties of a registry layer's feature: those of
// the engine's site (kind, name, commune, area_ha, status, programme,
// placement, note, source_detail: the site's own source) and of its
// commune (commune_name, departement, region, epci, territoire_industrie),
// with source the layer's "publisher (vintage)". A site the registry holds
// (a turnkey site, a zone, a corrected brownfield) has every property of
// its record besides, as GET /v1/sites/{id} gives it, unknown ones null:
// zoning, icpe, seveso, power_mw, rail_siding, water, available_from,
// price_eur_m2, contact, verified_on, version, … (area_ha is then the
// record's total area; available_ha the area still for sale, which the
// engine ranks). source stays the layer's; the record's is source_detail.
func siteProps(cat *data.Catalogue, s *data.Site, rec *store.Site, source string) geojson.Properties {
	p := geojson.Properties{"id": s.ID, "kind": s.Kind, "name": s.Name, "commune": s.Commune,
		"area_ha": nil, "status": s.Status, "programme": s.Programme, "placement": s.Placement,
		"source": source, "source_detail": s.Source, "note": s.Note}
	if s.AreaKnown {
		p["area_ha"] = s.AreaHa
	}
	if rec != nil {
		for _, name := range store.Fields() {
			p[name] = nil
		}
		for name, v := range rec.Properties() {
			p[name] = v
		}
		p["source"], p["source_detail"] = source, rec.Source
	}
	// Facts of the snapshot the registry does not hold (data.Site.WithSnapshotFacts).
	for k, v := range siteFacts(s) {
		p[k] = v
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

// withEngine returns the collections of a new engine derived from the one
// cs serves, whose registry sites changed at the ids: the collections of
// the layers holding a changed id are derived (see setSites), every other
// collection is shared. records holds the registry's record of each
// changed id, nil for a site without one (deleted, or a brownfield whose
// correction was deleted).
func (cs *collections) withEngine(eng *matching.Engine, changed []string, records map[string]*store.Site) *collections {
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
			n := &collection{ID: c.ID, Title: c.Title, Description: c.Description, Source: c.Source, records: maps.Clone(c.records)}
			for _, id := range ids {
				if r := records[id]; r != nil {
					n.records[id] = r
				} else {
					delete(n.records, id)
				}
			}
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
func (cs *collections) addTerritoires(cat *data.Catalogue, l data.Layer) {
	source := sourceLabel(cat, l.ID)
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
	c := &collection{ID: l.ID, Title: l.Title, Description: l.Description,
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

// geometry returns the i-th feature's geometry (CRS84), nil when the
// feature has none: a registry site's outline (wound as RFC 7946 asks),
// else its point.
func (c *collection) geometry(i int) orb.Geometry {
	if _, ok := c.outlines[i]; ok {
		return c.sites[i].Geometry()
	}
	if c.unplaced[i] {
		return nil
	}
	return c.pts[i]
}

// feature returns the i-th feature of the collection.
func (c *collection) feature(i int) *geojson.Feature {
	g := c.geometry(i)
	var bbox geojson.BBox
	if c.bbox != nil {
		bbox = c.bbox(i)
	}
	if b, ok := c.outlines[i]; ok {
		bbox = geojson.NewBBox(b)
	}
	f := geojson.NewFeature(g)
	f.ID = c.ids[i]
	f.Properties = c.props(i)
	f.BBox = bbox
	return f
}

// matching returns the indexes of the features inside b (nil: every
// feature), in catalogue order: for a registry layer, those whose
// geometry intersects b (see collection).
func (c *collection) matching(b *orb.Bound) []int {
	if b == nil {
		return seq(len(c.ids))
	}
	var out []int
	if c.siteIx != nil {
		c.siteIx.InBound(*b, func(h geo.Hit[string]) bool {
			if i, ok := c.lookup(h.Value); ok {
				if _, outline := c.outlines[i]; !outline {
					out = append(out, i)
				}
			}
			return true
		})
		grown := orb.Bound{Min: orb.Point{b.Min[0] - c.reach[0], b.Min[1] - c.reach[1]},
			Max: orb.Point{b.Max[0] + c.reach[0], b.Max[1] + c.reach[1]}}
		c.shapeIx.InBound(grown, func(h geo.Hit[string]) bool {
			if i, ok := c.lookup(h.Value); ok && geo.IntersectsBound(c.sites[i].Outline, *b) {
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

// bound is the bounding box of the collection's indexed points and of its
// outlines, and whether there is any.
func (c *collection) bound() (orb.Bound, bool) {
	if c.siteIx != nil {
		b := c.siteIx.Bound()
		for _, ob := range c.outlines {
			b = b.Union(ob)
		}
		return b, c.siteIx.Len() > 0
	}
	return c.ix.Bound(), c.ix.Len() > 0
}

// extent is the bounding box of the collection's geometries, nil when
// empty.
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

// propertySchemas returns the JSON Schema (2020-12) of every property of
// the collection's features, computed on first use (a collection never
// changes; a registry write derives new ones). The registry's layers
// (turnkey, zones, brownfields) declare theirs (siteSchemas), so that a
// client reads a number as a number even when the first page of items
// holds it null, and an empty layer still has its fields. The other
// layers' properties take the type all their non-null values share
// ("string", "number", "integer", "boolean", "object", or "array" of
// strings; a string when they are all null; none when they are of several
// types). Every property but id and
// source may be null (unknown): nullable (see nullable).
func (c *collection) propertySchemas() map[string]any {
	c.schemaOnce.Do(func() {
		if c.registry() {
			c.schemaProps = siteSchemas()
			return
		}
		types := map[string]string{}
		for i := range c.ids {
			for k, v := range c.props(i) {
				t, seen := types[k]
				vt := schemaType(v)
				switch {
				case !seen || t == "null":
					types[k] = vt
				case vt == "null" || vt == t:
				case t == "integer" && vt == "number":
					types[k] = "number"
				case t != "number" || vt != "integer":
					types[k] = "mixed"
				}
			}
		}
		out := make(map[string]any, len(types))
		for k, t := range types {
			switch t {
			case "null": // never known in this snapshot: a string when it is
				out[k] = nullable(k, map[string]any{"type": "string"})
			case "mixed":
				out[k] = map[string]any{}
			case "array":
				out[k] = nullable(k, map[string]any{"type": "array", "items": map[string]any{"type": "string"}})
			case "object":
				out[k] = nullable(k, map[string]any{"type": "object"})
			default:
				out[k] = nullable(k, map[string]any{"type": t})
			}
		}
		c.schemaProps = out
	})
	return c.schemaProps
}

// nullable marks a property's schema as accepting null (OpenAPI 3.0's
// "nullable": true, beside its single "type"), except for id and source,
// which every feature has. The feature schema is an OpenAPI 3.0 Schema
// Object, as in the API's document, rather than JSON Schema 2020-12's
// type array [t, "null"]: GDAL's OAPIF driver reads a property's "type"
// only when it is a single string, and would read every nullable field as
// a string. The queryables (JSON Schema 2020-12) use the type array
// (jsonSchema2020).
func nullable(name string, schema map[string]any) map[string]any {
	if name == "id" || name == "source" {
		return schema
	}
	if _, ok := schema["type"]; ok {
		schema["nullable"] = true
	}
	if e, ok := schema["enum"].([]string); ok {
		vals := make([]any, 0, len(e)+1)
		for _, v := range e {
			vals = append(vals, v)
		}
		schema["enum"] = append(vals, nil) // OpenAPI 3.0.3: a nullable enumeration lists null
	}
	return schema
}

// jsonSchema2020 rewrites a property schema of propertySchemas in JSON
// Schema 2020-12: nullable becomes a "null" in the type array (and in the
// enumeration).
func jsonSchema2020(schema map[string]any) map[string]any {
	if schema["nullable"] != true {
		return schema
	}
	out := make(map[string]any, len(schema))
	for k, v := range schema {
		out[k] = v
	}
	delete(out, "nullable")
	out["type"] = []string{schema["type"].(string), "null"}
	return out
}

// siteFacts are a site's snapshot facts as properties: the brownfield
// attributes and the turnkey availability (as the source states it) and
// commitment, null when unknown.
func siteFacts(s *data.Site) geojson.Properties {
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	return geojson.Properties{"site_type": str(s.SiteType), "zone_type": str(s.ZoneType), "activity": str(s.Activity),
		"owner": str(s.Owner), "pollution": str(s.Pollution), "unverified": s.Unverified,
		"availability": str(s.AvailableFrom), "committed_to": str(s.CommittedTo)}
}

// siteSchemas are the JSON Schemas of the properties siteProps gives: its
// own (area_ha a number, the others strings) and the registry's
// (store.Schema: types, formats, enumerations, read-only bookkeeping).
func siteSchemas() map[string]any {
	out := map[string]any{"area_ha": nullable("area_ha", map[string]any{"type": "number"}),
		"unverified": nullable("unverified", map[string]any{"type": "boolean"})}
	for _, k := range []string{"id", "kind", "name", "commune", "status", "programme", "placement", "source", "source_detail", "note",
		"commune_name", "departement", "region", "epci", "territoire_industrie",
		"site_type", "zone_type", "activity", "owner", "pollution", "availability", "committed_to"} {
		out[k] = nullable(k, map[string]any{"type": "string"})
	}
	for _, f := range store.Schema() {
		if f.Name == "source" {
			continue // the layer's, a string; the record's is source_detail
		}
		p := map[string]any{"type": f.Type}
		if f.Format != "" {
			p["format"] = f.Format
		}
		if len(f.Enum) > 0 {
			p["enum"] = f.Enum
		}
		if f.ReadOnly {
			p["readOnly"] = true
		}
		out[f.Name] = nullable(f.Name, p)
	}
	return out
}

// schemaType is the JSON Schema type of a property value.
func schemaType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int, int64:
		return "integer"
	case float64:
		return "number"
	case []string:
		return "array"
	case map[string]any:
		return "object"
	}
	return "mixed"
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
