package matching

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"sitematch/data"
	"sitematch/geo"
)

// Incremental updates and polygon sites.
//
// A registry write must be visible to the next match without rebuilding
// the engine (about half a second for the whole catalogue). WithSites
// derives a new immutable engine: the reference layers, their indexes and
// the precomputed features of every unchanged candidate are shared, and
// only the changed sites' features are computed. The API keeps the current
// engine behind an atomic.Pointer and swaps it after each write; matches
// running on the old engine finish on it undisturbed.
//
// A site with an outline (data.Site.Outline) measures every distance from
// the outline, not from its point:
//
//   - nearest transport node per mode: the node at the smallest distance
//     from the outline (0 when inside), ties to the lowest index;
//   - labour pool, vocational lycées and the Action Cœur de Ville town:
//     the communes, lycées and towns within the radius of the outline's
//     boundary (or inside it), each lycée reported at its distance from the
//     outline;
//   - supply chain: each partner's decay(distance to the outline, near, far),
//     and the explanation's kilometres the same.
//
// Distances to the outline are exact great-circle ones (geo.Shape). The
// searches are exact too: every point of the outline lies within
// r = Shape.MaxKmFrom(Site.Point) of the site's point, so a node within d
// of the outline lies within d + r of the point, and the index is queried
// with that radius before the outline distances are taken. The shortlist's
// 25 km spacing still compares the sites' points.

// newCandidate returns a candidate with its static fields; features are
// computed by Engine.features.
func newCandidate(s data.Site, com data.Commune, tiName map[string]string) Candidate {
	c := Candidate{Site: s, Commune: com, Territoire: tiName[com.TI], Landmass: data.LandmassOf(com.Dep), unit: geo.ToUnit(s.Point)}
	if len(s.Outline) > 0 {
		if sh := geo.NewShape(s.Outline); !sh.Empty() {
			c.shape = sh
		}
	}
	return c
}

// Outline returns the candidate's outline prepared for distances, nil for
// a point site.
func (c *Candidate) Outline() *geo.Shape { return c.shape }

// shapeFeatures fills in the features of a candidate with an outline.
func (e *Engine) shapeFeatures(c *Candidate) {
	sh, p := c.shape, c.Site.Point
	reach := sh.MaxKmFrom(p)
	// nearestTo returns the point of ix nearest to the outline within
	// maxKm of it, ties to the lowest index, starting from the point
	// nearest to p.
	nearestTo := func(ix *unitIndex, pointOf func(int) data.Node, maxKm float64) (int, float64, bool) {
		i0, _, ok := ix.nearest(p, c.unit, 16, maxKm+reach)
		if !ok {
			return -1, 0, false
		}
		best, bestKm := i0, sh.DistanceKm(pointOf(i0).Point)
		ix.within(p, c.unit, math.Min(bestKm, maxKm)+reach, func(i int, _ float64) {
			if d := sh.DistanceKm(pointOf(i).Point); d < bestKm || (d == bestKm && i < best) {
				best, bestKm = i, d
			}
		})
		if bestKm > maxKm {
			return -1, 0, false
		}
		return best, bestKm, true
	}
	lm := c.Landmass
	c.Nearest = make([]NodeRef, len(e.ix.nodes))
	for m, byLand := range e.ix.nodes {
		ix := byLand[lm]
		c.Nearest[m] = NodeRef{Index: -1}
		layer := e.nodes[m]
		if i, km, ok := nearestTo(ix, func(i int) data.Node { return layer[i] }, math.Inf(1)); ok {
			c.Nearest[m] = NodeRef{Index: i, Km: km}
		}
	}
	e.ix.communes[lm].within(p, c.unit, LabourRadiusKm+reach, func(i int, _ float64) {
		cm := &e.cat.Communes[i]
		if sh.DistanceKm(cm.Point) <= LabourRadiusKm {
			c.Active += cm.Active
			c.Unemployed += cm.Unemployed
			c.Communes++
		}
	})
	e.ix.lycees[lm].within(p, c.unit, TrainingRadiusKm+reach, func(i int, _ float64) {
		l := &e.cat.Lycees[i]
		if d := sh.DistanceKm(l.Point); d <= TrainingRadiusKm {
			c.Lycees = append(c.Lycees, LyceeRef{Index: i, Km: d})
			for _, t := range l.Trades {
				c.tradeMask |= 1 << e.trade[t]
			}
		}
	})
	slices.SortFunc(c.Lycees, func(a, b LyceeRef) int {
		return cmp.Or(cmp.Compare(a.Km, b.Km), a.Index-b.Index)
	})
	c.ACV = -1
	towns := e.cat.Towns
	if i, km, ok := nearestTo(e.ix.acv[lm], func(i int) data.Node { return data.Node{Point: towns[i].Point} }, ACVRadiusKm); ok {
		c.ACV, c.ACVKm = i, km
	}
}

// partnerDistance returns the great-circle distance from the candidate (its
// outline, or its point) to a partner, and the partner's supply-chain decay
// in the band.
func (c *Candidate) partnerDistance(p *partner, b *supplyBand) (km, score float64) {
	if c.shape != nil {
		km = c.shape.DistanceKm(p.Point)
		return km, geo.Decay(km, b.near, b.far)
	}
	return geo.DistanceKm(c.Site.Point, p.Point), b.decayChord(chord2(c.unit, p.unit))
}

// meanKm is meanPartnerKm measured from the candidate's outline when it
// has one.
func (c *Candidate) meanKm(ps []partner) float64 {
	if c.shape == nil {
		return meanPartnerKm(c.unit, ps)
	}
	var num, den float64
	for i := range ps {
		num += ps[i].Weight * c.shape.DistanceKm(ps[i].Point)
		den += ps[i].Weight
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// supplyScore is the candidate's supply-chain score for a query: by
// centrality or by decay.
func (c *Candidate) supplyScore(q *query) float64 {
	if q.central {
		return CentralityScore(c.meanKm(q.partners), q.bestMeanKm, q.band.near)
	}
	return c.supplyChain(q.partners, &q.band)
}

// supplyChain is supplyChainScore measured from the candidate's outline
// when it has one.
func (c *Candidate) supplyChain(ps []partner, b *supplyBand) float64 {
	if c.shape == nil {
		return supplyChainScore(c.unit, ps, b)
	}
	var num, den float64
	for i := range ps {
		_, s := c.partnerDistance(&ps[i], b)
		num += ps[i].Weight * s
		den += ps[i].Weight
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// updatableKinds are the kinds WithSites accepts: the registry's. Towns
// feed the Action Cœur de Ville index and change only with the snapshot.
var updatableKinds = []string{data.KindTurnkey, data.KindZone, data.KindBrownfield}

// WithSites returns a new engine in which the upserts replace the sites of
// the same id (or are added) and the deletes are removed; version, when
// not empty, becomes the new catalogue's data version. The receiver is not
// modified and stays valid. Unchanged candidates keep their precomputed
// features (copied, their slices shared), the reference layers and their
// indexes are shared, and features are computed only for the upserts,
// so an update costs a copy of the candidate slice rather than a rebuild.
// Each upsert must be of kind turnkey, zone or brownfield, name a known
// commune and appear once; a delete must name an existing site and not
// also be upserted.
func (e *Engine) WithSites(upserts []data.Site, deletes []string, version string) (*Engine, error) {
	changed := map[string]int{} // id → index in upserts
	for i, s := range upserts {
		switch {
		case s.ID == "":
			return nil, fmt.Errorf("matching: WithSites: upsert %d has no id", i)
		case !slices.Contains(updatableKinds, s.Kind):
			return nil, fmt.Errorf("matching: WithSites: site %q: kind %q cannot be updated (turnkey, zone or brownfield)", s.ID, s.Kind)
		}
		if _, dup := changed[s.ID]; dup {
			return nil, fmt.Errorf("matching: WithSites: site %q upserted twice", s.ID)
		}
		if _, ok := e.cat.Commune(s.Commune); !ok {
			return nil, fmt.Errorf("matching: WithSites: site %q: unknown commune %q", s.ID, s.Commune)
		}
		if i, ok := e.byID[s.ID]; ok && e.cands[i].Site.Kind != s.Kind {
			return nil, fmt.Errorf("matching: WithSites: site %q: kind %s cannot become %s", s.ID, e.cands[i].Site.Kind, s.Kind)
		}
		changed[s.ID] = i
	}
	deleted := map[string]bool{}
	for _, id := range deletes {
		if _, ok := e.byID[id]; !ok {
			return nil, fmt.Errorf("matching: WithSites: cannot delete unknown site %q", id)
		}
		if _, ok := changed[id]; ok {
			return nil, fmt.Errorf("matching: WithSites: site %q both upserted and deleted", id)
		}
		if k := e.cands[e.byID[id]].Site.Kind; !slices.Contains(updatableKinds, k) {
			return nil, fmt.Errorf("matching: WithSites: site %q: kind %q cannot be deleted", id, k)
		}
		deleted[id] = true
	}

	// The new catalogue shares everything but the three site layers.
	cat := *e.cat
	if version != "" {
		cat.Version = version
	}
	layer := func(old []data.Site, kind string) []data.Site {
		out := make([]data.Site, 0, len(old)+len(upserts))
		seen := map[string]bool{}
		for _, s := range old {
			if deleted[s.ID] {
				continue
			}
			if i, ok := changed[s.ID]; ok {
				s = upserts[i]
				seen[s.ID] = true
			}
			out = append(out, s)
		}
		added := false
		for _, s := range upserts {
			if s.Kind == kind && !seen[s.ID] {
				out = append(out, s)
				added = true
			}
		}
		if added { // replacements and deletions keep the order by id
			slices.SortFunc(out, func(a, b data.Site) int { return cmp.Compare(a.ID, b.ID) })
		}
		return out
	}
	cat.Turnkey = layer(e.cat.Turnkey, data.KindTurnkey)
	cat.Zones = layer(e.cat.Zones, data.KindZone)
	cat.Brownfields = layer(e.cat.Brownfields, data.KindBrownfield)

	n := &Engine{cat: &cat, nodes: e.nodes, trade: e.trade, familyShare: e.familyShare, lyceeFamilies: e.familiesOf(cat.Lycees), ix: e.ix, eco: e.eco}
	// Candidates follow cat.Sites() order, walked layer by layer without
	// building that slice.
	layers := [][]data.Site{cat.Turnkey, cat.Zones, cat.Brownfields, cat.Towns}
	total := 0
	for _, l := range layers {
		total += len(l)
	}
	n.cands = make([]Candidate, total)
	n.byID = make(map[string]int, total)
	i := 0
	for _, l := range layers {
		for k := range l {
			s := &l[k]
			n.byID[s.ID] = i
			if _, ok := changed[s.ID]; ok {
				com, _ := cat.Commune(s.Commune)
				n.cands[i] = newCandidate(*s, com, e.ix.tiName)
				n.features(&n.cands[i])
			} else {
				n.cands[i] = e.cands[e.byID[s.ID]]
			}
			i++
		}
	}
	n.buildEcoRefs()
	n.indexPoints()
	n.buildLand()
	n.buildPrune()
	return n, nil
}
