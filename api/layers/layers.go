// Package layers owns what the feature server serves of sitematch's data:
// it turns every catalogue layer of data.Layers, and the site registry's
// records, into the collections of package features (Build), and derives
// them after registry writes (Update).
//
// A layer with sites or nodes (data.Layer's Sites, Nodes) needs no code
// here; the layers of other shapes (lycées, substations, Seveso
// establishments, Territoires d'industrie) have one adapter each.
package layers

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/api/features"
	"sitematch/data"
	"sitematch/data/store"
)

// registryLayers maps the registry's kinds to their collections.
var registryLayers = func() map[string]string {
	out := map[string]string{}
	for _, l := range data.Layers() {
		if l.Registry {
			out[l.Kind] = l.ID
		}
	}
	return out
}()

// Build returns every collection of the catalogue: the candidate layers
// first (the sites a user looks for), then the others in the order of
// data.Layers. records are the registry's records (store.OverlayRecords),
// whose properties the registry's layers (turnkey, zones, brownfields)
// serve.
func Build(cat *data.Catalogue, records []store.Site) *features.Set {
	byID := make(map[string]*store.Site, len(records))
	for i := range records {
		byID[records[i].ID] = &records[i]
	}
	layers := data.Layers()
	slices.SortStableFunc(layers, func(a, b data.Layer) int {
		return cmp.Compare(b2i(a.Class != data.ClassCandidate), b2i(b.Class != data.ClassCandidate))
	})
	var cols []*features.Collection
	for _, l := range layers {
		if l.Title == "" {
			continue
		}
		m := features.Meta{ID: l.ID, Title: l.Title, Description: l.Description, Source: sourceLabel(cat, l.ID)}
		switch {
		case l.Sites != nil:
			sl := &siteLayer{cat: cat, sites: *l.Sites(cat), records: map[string]*store.Site{}, source: m.Source}
			for i := range sl.sites {
				if r, ok := byID[sl.sites[i].ID]; ok {
					sl.records[sl.sites[i].ID] = r
				}
			}
			m.Schema = siteSchemas()
			cols = append(cols, features.NewEditable(m, sl))
		case l.Nodes != nil:
			cols = append(cols, features.New(m, &nodeLayer{l: l, nodes: *l.Nodes(cat), source: m.Source}))
		case l.ID == "territoires_industrie":
			cols = append(cols, features.New(m, newTerritoires(cat, m.Source)))
		case l.ID == "training":
			cols = append(cols, features.New(m, &lyceeLayer{lycees: cat.Lycees, source: m.Source}))
		case l.ID == "substations":
			cols = append(cols, features.New(m, &substationLayer{subs: cat.Substations, source: m.Source}))
		case l.ID == "seveso":
			cols = append(cols, features.New(m, &sevesoLayer{est: cat.Seveso, source: m.Source}))
		case l.ID == "establishments":
			cols = append(cols, features.New(m, &facilityLayer{fac: cat.Facilities, source: m.Source}))
		}
	}
	return features.NewSet(cols...)
}

// Update returns the collections of cat, a catalogue derived from the one
// set serves whose registry sites changed at the ids: the collections of
// the layers holding a changed id are derived (features.Collection.Derive),
// every other collection is shared. records holds the registry's record
// of each changed id, nil for a site without one (deleted, or a
// brownfield whose correction was deleted).
func Update(set *features.Set, cat *data.Catalogue, changed []string, records map[string]*store.Site) *features.Set {
	byColl := map[string][]string{}
	for _, id := range changed {
		kind, _, _ := strings.Cut(id, ":")
		if coll, ok := registryLayers[kind]; ok {
			byColl[coll] = append(byColl[coll], id)
		}
	}
	var repl []*features.Collection
	for _, c := range set.List() {
		ids, ok := byColl[c.ID]
		if !ok {
			continue
		}
		prev := c.Layer().(*siteLayer)
		l, _ := data.LayerByID(c.ID)
		sl := &siteLayer{cat: cat, sites: *l.Sites(cat), records: maps.Clone(prev.records), source: prev.source}
		for _, id := range ids {
			if r := records[id]; r != nil {
				sl.records[id] = r
			} else {
				delete(sl.records, id)
			}
		}
		repl = append(repl, c.Derive(sl, ids))
	}
	return set.With(repl...)
}

// IsRegistry reports whether a collection serves a layer of the site
// registry.
func IsRegistry(collectionID string) bool {
	for _, id := range registryLayers {
		if id == collectionID {
			return true
		}
	}
	return false
}

// sourceLabel is a layer's "publisher (vintage)".
func sourceLabel(cat *data.Catalogue, layer string) string {
	if s, ok := cat.SourceOf(layer); ok {
		return s.Publisher + " (" + s.Vintage + ")"
	}
	return ""
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// points is the part of a Layer every point layer shares: no outline, no
// bbox.
type points struct{}

func (points) Outline(int) orb.MultiPolygon { return nil }
func (points) BBox(int) geojson.BBox        { return nil }

// nodeLayer is a layer of data.Nodes (stations, ports, airports, …).
type nodeLayer struct {
	points
	l      data.Layer
	nodes  []data.Node
	source string
}

func (n *nodeLayer) Len() int                      { return len(n.nodes) }
func (n *nodeLayer) FeatureID(i int) string        { return n.nodes[i].ID }
func (n *nodeLayer) Point(i int) (orb.Point, bool) { return n.nodes[i].Point, true }
func (n *nodeLayer) Properties(i int) geojson.Properties {
	nd := &n.nodes[i]
	p := geojson.Properties{"id": nd.ID, "name": nd.Name, "commune": nd.Commune, "class": nd.Class,
		"merged": nd.Merged, "source": n.source}
	// The layer's own attributes; a record's own provenance is
	// source_detail, as for the registry's sites.
	for k, v := range n.l.NodeProperties(nd) {
		if k == "source" {
			k = "source_detail"
		}
		p[k] = v
	}
	return p
}

// lyceeLayer is the layer of vocational lycées.
type lyceeLayer struct {
	points
	lycees []data.Lycee
	source string
}

func (l *lyceeLayer) Len() int                      { return len(l.lycees) }
func (l *lyceeLayer) FeatureID(i int) string        { return l.lycees[i].UAI }
func (l *lyceeLayer) Point(i int) (orb.Point, bool) { return l.lycees[i].Point, true }
func (l *lyceeLayer) Properties(i int) geojson.Properties {
	ly := &l.lycees[i]
	return geojson.Properties{"id": ly.UAI, "uai": ly.UAI, "name": ly.Name, "type": ly.Type, "sector": ly.Sector,
		"commune": ly.Commune, "trades": nonNil(ly.Trades), "pupils": pupilsOf(ly), "trades_source": ly.TradesSource,
		"placement": "commune coordinates", "source": l.source}
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

// substationLayer is the layer of RTE substations.
type substationLayer struct {
	points
	subs   []data.Substation
	source string
}

func (l *substationLayer) Len() int                      { return len(l.subs) }
func (l *substationLayer) FeatureID(i int) string        { return l.subs[i].ID }
func (l *substationLayer) Point(i int) (orb.Point, bool) { return l.subs[i].Point, true }
func (l *substationLayer) Properties(i int) geojson.Properties {
	s := &l.subs[i]
	p := geojson.Properties{"id": s.ID, "name": s.Name, "voltage_kv": nil, "voltage": s.Voltage, "function": s.Function,
		"state": s.State, "remaining_mw": nil, "transformer_mva": nil, "source": l.source}
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

// sevesoLayer is the layer of Seveso upper-tier establishments.
type sevesoLayer struct {
	points
	est    []data.Establishment
	source string
}

func (l *sevesoLayer) Len() int                      { return len(l.est) }
func (l *sevesoLayer) FeatureID(i int) string        { return l.est[i].ID }
func (l *sevesoLayer) Point(i int) (orb.Point, bool) { return l.est[i].Point, true }
func (l *sevesoLayer) Properties(i int) geojson.Properties {
	e := &l.est[i]
	return geojson.Properties{"id": e.ID, "name": e.Name, "commune": e.Commune, "naf": e.NAF, "activity": e.Activity,
		"seveso": e.Seveso, "regime": e.Regime, "url": e.URL, "source": l.source}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
