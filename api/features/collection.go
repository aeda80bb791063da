package features

import (
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/geo"
)

// Layer is what a collection serves: a fixed list of features, addressed
// by position. A Layer never changes; a changed layer is a new Layer (see
// Collection.Derive).
type Layer interface {
	// Len is the number of features.
	Len() int
	// FeatureID is the id of the i-th feature.
	FeatureID(i int) string
	// Point is where the i-th feature is indexed (inside its outline when
	// it has one); false for a feature without a geometry.
	Point(i int) (orb.Point, bool)
	// Outline is the i-th feature's outline (WGS84, any winding), its
	// geometry when it has one; nil for a feature whose geometry is its
	// point.
	Outline(i int) orb.MultiPolygon
	// BBox is a bounding box served beside a point geometry (the extent
	// of what the point stands for), nil when there is none.
	BBox(i int) geojson.BBox
	// Properties are the i-th feature's properties: id and source set,
	// null for an unknown value.
	Properties(i int) geojson.Properties
}

// Meta describes a collection.
type Meta struct {
	ID, Title, Description string
	Source                 string // "publisher (vintage)" of the layer

	// Schema maps every property of the features to its schema (an
	// OpenAPI 3.0 Schema Object, see Nullable); nil: inferred from the
	// properties' values (see Collection.PropertySchemas).
	Schema map[string]any
}

// Collection is a layer served as an OGC API Features collection: its
// features in layer order, each with a point, and an R-tree over the
// points for bbox queries.
//
// A collection built by NewEditable is derived, after a change of its
// layer, by Derive: its R-tree holds feature ids rather than positions,
// so that it is copied (copy-on-write, constant time) and changed only at
// the changed features; positions are found by binary search in the
// sorted ids. A collection built by New never changes: its R-trees hold
// positions and byID maps ids to them.
//
// A feature with an outline has it as its geometry; the R-tree holds its
// point, so that a change moves one entry; a second R-tree (shapeIx,
// shapes) holds the points of the features that have an outline only. A bbox query
// takes the point features whose point lies in the box from the first,
// and the outlined features whose outline intersects the box
// (geo.IntersectsBound, exact) from the second, searched over the box
// grown by reach: the largest distance, in longitude and in latitude,
// from an outlined feature's point to the edge of its outline's bounding
// box. An outline crossing the box therefore has its point in the grown
// box and is found, even when neither its point nor any vertex lies in
// the box; the growth, at most an outline's extent, costs only a search
// among the outlined features.
type Collection struct {
	Meta
	layer Layer

	ids      []string
	pts      []orb.Point
	unplaced map[int]bool // features without a geometry (null in GeoJSON)
	byID     map[string]int
	ix       *geo.Index[int] // static collections: positions
	shapes   *geo.Index[int] // static collections: the positions of the outlined features, at their points

	siteIx   *geo.Index[string] // editable collections: feature ids, at their points
	shapeIx  *geo.Index[string] // editable collections: the ids of the outlined features, at their points
	outlines map[int]orb.Bound  // the bound of each outline, by position
	reach    orb.Point          // the largest lon and lat distance from a feature's point to its outline's bound

	schemaOnce  sync.Once
	schemaProps map[string]any // see PropertySchemas

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

// New builds the collection of a layer that never changes, and its
// spatial index.
func New(m Meta, l Layer) *Collection {
	c := &Collection{Meta: m}
	c.load(l)
	c.byID = make(map[string]int, len(c.ids))
	c.ix, c.shapes = new(geo.Index[int]), new(geo.Index[int])
	for i, id := range c.ids {
		c.byID[id] = i
		if !c.unplaced[i] {
			c.ix.Insert(c.pts[i], i)
		}
		if _, ok := c.outlines[i]; ok {
			c.shapes.Insert(c.pts[i], i)
		}
	}
	return c
}

// NewEditable builds the collection of a layer whose features are sorted
// by id and which Derive follows when it changes.
func NewEditable(m Meta, l Layer) *Collection {
	c := &Collection{Meta: m}
	c.load(l)
	c.siteIx, c.shapeIx = new(geo.Index[string]), new(geo.Index[string])
	for i := range c.ids {
		c.insert(i)
	}
	return c
}

// Derive returns the collection of l, the layer of c after its features
// changed at the ids changed (added, moved, edited or gone): c's index is
// copied and changed only there. c must come from NewEditable or Derive.
func (c *Collection) Derive(l Layer, changed []string) *Collection {
	n := &Collection{Meta: c.Meta}
	n.load(l)
	n.siteIx, n.shapeIx = c.siteIx.Copy(), c.shapeIx.Copy()
	for _, id := range changed {
		if i, ok := c.Lookup(id); ok {
			n.siteIx.Delete(c.pts[i], id)
			if _, ok := c.outlines[i]; ok {
				n.shapeIx.Delete(c.pts[i], id)
			}
		}
		if i, ok := n.Lookup(id); ok {
			n.insert(i)
		}
	}
	return n
}

// load reads the layer's ids, points and outline bounds.
func (c *Collection) load(l Layer) {
	c.layer = l
	n := l.Len()
	c.ids, c.pts = make([]string, n), make([]orb.Point, n)
	c.outlines = map[int]orb.Bound{}
	for i := range n {
		c.ids[i] = l.FeatureID(i)
		p, ok := l.Point(i)
		c.pts[i] = p
		if !ok {
			if c.unplaced == nil {
				c.unplaced = map[int]bool{}
			}
			c.unplaced[i] = true
			continue
		}
		o := l.Outline(i)
		if len(o) == 0 {
			continue
		}
		b := o.Bound()
		c.outlines[i] = b
		c.reach[0] = max(c.reach[0], p[0]-b.Min[0], b.Max[0]-p[0])
		c.reach[1] = max(c.reach[1], p[1]-b.Min[1], b.Max[1]-p[1])
	}
}

func (c *Collection) insert(i int) {
	if c.unplaced[i] {
		return
	}
	c.siteIx.Insert(c.pts[i], c.ids[i])
	if _, ok := c.outlines[i]; ok {
		c.shapeIx.Insert(c.pts[i], c.ids[i])
	}
}

// Layer returns the layer c serves.
func (c *Collection) Layer() Layer { return c.layer }

// Len is the number of features.
func (c *Collection) Len() int { return len(c.ids) }

// Placed is the number of features with a geometry.
func (c *Collection) Placed() int { return len(c.ids) - len(c.unplaced) }

// FeatureID is the id of the i-th feature.
func (c *Collection) FeatureID(i int) string { return c.ids[i] }

// Point is the i-th feature's indexed point (see Layer.Point).
func (c *Collection) Point(i int) orb.Point { return c.pts[i] }

// Lookup returns the position of a feature id.
func (c *Collection) Lookup(id string) (int, bool) {
	if c.siteIx != nil {
		return slices.BinarySearch(c.ids, id)
	}
	i, ok := c.byID[id]
	return i, ok
}

// Indexed is the number of features in the spatial index.
func (c *Collection) Indexed() int {
	if c.siteIx != nil {
		return c.siteIx.Len()
	}
	return c.ix.Len()
}

// Geometry returns the i-th feature's geometry (CRS84), nil when the
// feature has none: its outline (wound as RFC 7946 asks), else its point.
func (c *Collection) Geometry(i int) orb.Geometry {
	if _, ok := c.outlines[i]; ok {
		o := c.layer.Outline(i)
		if len(o) == 1 {
			return geo.RFC7946Winding(o[0])
		}
		return geo.RFC7946Winding(o)
	}
	if c.unplaced[i] {
		return nil
	}
	return c.pts[i]
}

// Properties are the i-th feature's properties.
func (c *Collection) Properties(i int) geojson.Properties { return c.layer.Properties(i) }

// Feature returns the i-th feature of the collection.
func (c *Collection) Feature(i int) *geojson.Feature {
	f := geojson.NewFeature(c.Geometry(i))
	f.ID = c.ids[i]
	f.Properties = c.layer.Properties(i)
	f.BBox = c.layer.BBox(i)
	if b, ok := c.outlines[i]; ok {
		f.BBox = geojson.NewBBox(b)
	}
	return f
}

// InBound returns the positions of the features inside b (nil: every
// feature), in layer order: an outlined feature when its outline
// intersects b.
func (c *Collection) InBound(b *orb.Bound) []int {
	if b == nil {
		out := make([]int, len(c.ids))
		for i := range out {
			out[i] = i
		}
		return out
	}
	var out []int
	point := func(i int) {
		if _, outline := c.outlines[i]; !outline {
			out = append(out, i)
		}
	}
	grown := orb.Bound{Min: orb.Point{b.Min[0] - c.reach[0], b.Min[1] - c.reach[1]},
		Max: orb.Point{b.Max[0] + c.reach[0], b.Max[1] + c.reach[1]}}
	shape := func(i int) {
		if geo.IntersectsBound(c.layer.Outline(i), *b) {
			out = append(out, i)
		}
	}
	if c.siteIx != nil {
		byID := func(f func(int)) func(geo.Hit[string]) bool {
			return func(h geo.Hit[string]) bool {
				if i, ok := c.Lookup(h.Value); ok {
					f(i)
				}
				return true
			}
		}
		c.siteIx.InBound(*b, byID(point))
		c.shapeIx.InBound(grown, byID(shape))
	} else {
		byPos := func(f func(int)) func(geo.Hit[int]) bool {
			return func(h geo.Hit[int]) bool { f(h.Value); return true }
		}
		c.ix.InBound(*b, byPos(point))
		c.shapes.InBound(grown, byPos(shape))
	}
	slices.Sort(out)
	return out
}

// Bound is the bounding box of the collection's indexed points and of its
// outlines, and whether there is any.
func (c *Collection) Bound() (orb.Bound, bool) {
	if c.siteIx != nil {
		b := c.siteIx.Bound()
		for _, ob := range c.outlines {
			b = b.Union(ob)
		}
		return b, c.siteIx.Len() > 0
	}
	b := c.ix.Bound()
	for _, ob := range c.outlines {
		b = b.Union(ob)
	}
	return b, c.ix.Len() > 0
}

// Extent is the bounding box of the collection's geometries and feature
// bboxes, nil when empty.
func (c *Collection) Extent() []float64 {
	b, ok := c.Bound()
	if !ok {
		return nil
	}
	for i := range c.ids {
		if bb := c.layer.BBox(i); bb != nil {
			b = b.Union(bb.Bound())
		}
	}
	return []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
}

// hasShapes reports whether some feature has a geometry other than a
// point, or a bbox beside its point.
func (c *Collection) hasShapes() bool {
	if len(c.outlines) > 0 {
		return true
	}
	for i := range c.ids {
		if c.layer.BBox(i) != nil {
			return true
		}
	}
	return false
}

// Set is the served collections, in display order. A Set never changes;
// With derives another.
type Set struct {
	list []*Collection
	byID map[string]*Collection
}

// NewSet returns the set of cols, in that order.
func NewSet(cols ...*Collection) *Set {
	s := &Set{list: cols, byID: make(map[string]*Collection, len(cols))}
	for _, c := range cols {
		s.byID[c.ID] = c
	}
	return s
}

// Get returns the collection of an id.
func (s *Set) Get(id string) (*Collection, bool) {
	c, ok := s.byID[id]
	return c, ok
}

// List returns the collections in display order (the caller must not
// change the slice).
func (s *Set) List() []*Collection { return s.list }

// With returns the set with the collections of repl in place of those of
// the same ids; every other collection is shared.
func (s *Set) With(repl ...*Collection) *Set {
	list := slices.Clone(s.list)
	for _, r := range repl {
		for i, c := range list {
			if c.ID == r.ID {
				list[i] = r
			}
		}
	}
	return NewSet(list...)
}
