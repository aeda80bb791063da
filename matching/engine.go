package matching

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Radii of the precomputed features, in kilometres (DESIGN.md).
const (
	LabourRadiusKm   = 30
	TrainingRadiusKm = 45 // the reach of LyceeWeight: a lycée counts less with distance, not at all from here
	ACVRadiusKm      = 20
)

// NodeRef points at the nearest node of a transport layer: Index into the
// layer (-1 when the layer is empty) and the great-circle distance.
type NodeRef struct {
	Index int
	Km    float64
}

// LyceeRef is a vocational lycée near a candidate.
type LyceeRef struct {
	Index int // into Catalogue.Lycees
	Km    float64
}

// Candidate is a site with the features precomputed at load: where it lies
// administratively, its nearest node per transport mode, the labour pool and
// the vocational lycées around it, and the programmes that apply.
type Candidate struct {
	Site       data.Site
	Commune    data.Commune
	Territoire string    // name of its Territoire d'industrie, "" if none
	Landmass   string    // data.LandmassOf(Commune.Dep): every feature below lies on it
	Nearest    []NodeRef // per mode, indexed like TransportModes
	Active     int       // active people aged 15-64 within LabourRadiusKm
	Unemployed int       // unemployed people aged 15-64 within LabourRadiusKm
	Communes   int       // communes counted in the labour pool
	Lycees     []LyceeRef
	ACV        int            // index into Catalogue.Towns of the nearest ACV town within ACVRadiusKm, -1 if none
	ACVKm      float64        // its distance
	Energy     EnergyFeatures // nearest substations (energy.go), none off the mainland
	SevesoKm   float64        // to the nearest Seveso upper-tier establishment on the landmass, +Inf when none

	unit      geo.Unit
	tradeMask uint64 // trade families taught within TrainingRadiusKm
	// Precomputed for the ranking pass: the labour pool and the competing
	// hires (LabourPool, LabourCompeting), the lycées' total weight
	// (LyceeWeight) and, per trade family, T_f = Σ wᵢ·LyceeFamilyShare.
	labourPool, labourCompeting float64
	lyceeWeight                 float64
	territory                   float64 // TerritoryScore, static
	tradeWeight                 []float64
	shape                       *geo.Shape // the site's outline, nil for a point site (update.go)
	// Land (land.go): the area distribution an unknown area is read from
	// (index into Engine.landDist, -1 for none), and a town's plots
	// within TownReachKm, largest first, their distances, and the
	// largest's area.
	landGroup int
	// index is the candidate's index in Engine.cands, pointID the
	// index of the first candidate at its coordinates and communeID a
	// number per commune (indexPoints): the diversity rule's keys.
	index, pointID, communeID int32
	townPlots                 []int
	townPlotKm                []float64
	townBestHa                float64
	// nonIndustrial is NonIndustrial(&Site) and believedHa, believed
	// PlausibleArea(&Site), computed once (land.go).
	nonIndustrial bool
	believedHa    float64
	believed      bool
	// Packed for the exclusion checks of the ranking pass, which read
	// them for every candidate (land.go, availability.go): town,
	// unverified, committed; the earliest and latest year of the stated
	// availability, 0 when none.
	isTown, unverified, committed bool
	availLo, availHi              int
	// ecoRows are the ecosystem presence rows of the candidate's cell,
	// per band of EcoBands (ecogrid.go).
	ecoRows [][]float32
	// prep is what the explanations read of the candidate that depends
	// on the site alone, prepared once (sitePrep, explain.go) and shared
	// by the engines WithSites derives.
	prep *sitePrep
}

// Engine scores projects against a catalogue. It is immutable once built and
// safe for concurrent use.
type Engine struct {
	cat   *data.Catalogue
	cands []Candidate
	byID  map[string]int
	nodes [][]data.Node  // per mode, indexed like TransportModes
	trade map[string]int // trade family id → bit
	// lyceeFamilies is, per lycée of the catalogue, the bits (trade) of
	// the families it teaches.
	lyceeFamilies []uint64
	// familyShare is, per trade family, what a lycée of unknown trades
	// counts for it (familyShares, LyceeFamilyShare).
	familyShare []float64
	ix          *layerIndexes // kept for incremental updates (update.go)
	// samePoint lists, per coordinates shared by several candidates,
	// their indexes (diversity.go).
	samePoint map[orb.Point][]int
	communes  int       // distinct communes among the candidates (communeID)
	rules     sync.Pool // *diverseRule scratch, reused across queries
	eco       *ecoIndex // the establishment layers of the ecosystem criterion
	ecoRefs   ecoRefs   // its references over the candidates
	// landDist are the distributions of the known areas per kind and
	// site type (land.go).
	landDist []areaDist
	// prune are the leaves the pruned ranking bounds (prune.go).
	prune *pruneIndex
}

// layerIndexes are the reference layers' indexes the features are computed
// from, and the texts the explanations take from those layers. They never
// change once built, so engines derived by WithSites share them.
type layerIndexes struct {
	nodes    []landIndex // per mode
	communes landIndex
	lycees   landIndex
	acv      landIndex
	all      *unitIndex // every commune, to place a point on a landmass
	tiName   map[string]string
	energy   *energyIndex
	seveso   landIndex // Seveso upper-tier establishments (seveso.go)
	// phrases are, per mode and node, the node's name in the transport
	// sentence (nodeText); lyceeNames, per lycée, its shortName;
	// substationNames, per substation, its titleFR name (energy.go).
	phrases         [][]nodeText
	lyceeNames      []string
	substationNames []string
}

// NewEngine indexes the catalogue's layers and precomputes every
// candidate's features, using every CPU.
func NewEngine(cat *data.Catalogue) (*Engine, error) {
	e := &Engine{cat: cat, trade: map[string]int{}}
	if len(data.TradeFamilies) > 64 {
		return nil, fmt.Errorf("matching: %d trade families do not fit a 64-bit mask", len(data.TradeFamilies))
	}
	for i, f := range data.TradeFamilies {
		e.trade[f.ID] = i
	}
	e.familyShare = familyShares(cat.Lycees)
	e.lyceeFamilies = e.familiesOf(cat.Lycees)
	all := newUnitIndex(cat.Communes, func(c data.Commune) orb.Point { return c.Point })
	communes := newLandIndex(cat.Communes, func(c data.Commune) orb.Point { return c.Point },
		func(c data.Commune) string { return data.LandmassOf(c.Dep) })
	// A record placed at a commune is on its commune's landmass; a node
	// without one, on the landmass of the nearest commune within
	// NodeLandmassKm, or on none.
	landOf := func(commune string, p orb.Point) string {
		if c, ok := cat.Commune(commune); ok {
			return data.LandmassOf(c.Dep)
		}
		return pointLandmass(cat, all, p)
	}
	e.nodes = make([][]data.Node, len(TransportModes))
	nodeIx := make([]landIndex, len(TransportModes))
	for m := range TransportModes {
		e.nodes[m] = TransportModes[m].Layer(cat)
		nodeIx[m] = newLandIndex(e.nodes[m], func(n data.Node) orb.Point { return n.Point },
			func(n data.Node) string { return landOf(n.Commune, n.Point) })
	}
	lycees := newLandIndex(cat.Lycees, func(l data.Lycee) orb.Point { return l.Point },
		func(l data.Lycee) string { return landOf(l.Commune, l.Point) })
	acv := newLandIndex(cat.Towns, func(t data.Site) orb.Point { return t.Point }, func(t data.Site) string {
		if t.Programme != data.ProgrammeACV {
			return ""
		}
		return landOf(t.Commune, t.Point)
	})
	tiName := map[string]string{}
	for _, t := range cat.Territoires {
		tiName[t.ID] = t.Name
	}

	sites := cat.Sites()
	e.cands = make([]Candidate, len(sites))
	e.byID = make(map[string]int, len(sites))
	for i, s := range sites {
		if _, dup := e.byID[s.ID]; dup {
			return nil, fmt.Errorf("matching: duplicate site id %q", s.ID)
		}
		e.byID[s.ID] = i
		com, ok := cat.Commune(s.Commune)
		if !ok {
			return nil, fmt.Errorf("matching: site %q: unknown commune %q", s.ID, s.Commune)
		}
		e.cands[i] = newCandidate(s, com, tiName)
	}
	e.eco = newEcoIndex(cat, landOf, e.cands)
	e.ix = &layerIndexes{nodes: nodeIx, communes: communes, lycees: lycees, acv: acv, all: all, tiName: tiName}
	e.ix.energy = newEnergyIndex(cat, all)
	e.ix.seveso = newLandIndex(cat.Seveso, func(x data.Establishment) orb.Point { return x.Point },
		func(x data.Establishment) string { return landOf(x.Commune, x.Point) })
	e.ix.phrases = make([][]nodeText, len(TransportModes))
	for m := range TransportModes {
		e.ix.phrases[m] = nodeTexts(&TransportModes[m], e.nodes[m])
	}
	e.ix.lyceeNames = lyceeNames(cat.Lycees)
	e.ix.substationNames = substationNames(cat.Substations)

	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(e.cands); i += workers {
				e.features(&e.cands[i])
			}
		}()
	}
	wg.Wait()
	e.buildEcoRefs()
	e.indexPoints()
	e.buildLand()
	e.buildPrune()
	return e, nil
}

func indexOf[T any](items []T, point func(T) orb.Point) *geo.Index[int] {
	ix := new(geo.Index[int])
	for i, it := range items {
		ix.Insert(point(it), i)
	}
	return ix
}

// unitIndex is a point index with the unit vector of every point, so that
// radius queries filter the R-tree's box hits by chord, without
// trigonometry.
type unitIndex struct {
	ix    *geo.Index[int]
	units []geo.Unit
}

func newUnitIndex[T any](items []T, point func(T) orb.Point) *unitIndex {
	u := &unitIndex{ix: indexOf(items, point), units: make([]geo.Unit, len(items))}
	for i, it := range items {
		u.units[i] = geo.ToUnit(point(it))
	}
	return u
}

// landIndex is a point index per landmass; the unit vectors are shared
// and indexed like the layer.
type landIndex map[string]*unitIndex

// newLandIndex indexes the items by landmass, leaving out those land says
// are on none ("").
func newLandIndex[T any](items []T, point func(T) orb.Point, land func(T) string) landIndex {
	units := make([]geo.Unit, len(items))
	out := landIndex{}
	for i, it := range items {
		units[i] = geo.ToUnit(point(it))
		lm := land(it)
		if lm == "" {
			continue
		}
		u := out[lm]
		if u == nil {
			u = &unitIndex{ix: new(geo.Index[int]), units: units}
			out[lm] = u
		}
		u.ix.Insert(point(it), i)
	}
	return out
}

// pointLandmass is the landmass of the commune nearest to p within
// NodeLandmassKm, "" when there is none (a point at sea).
func pointLandmass(cat *data.Catalogue, all *unitIndex, p orb.Point) string {
	if i, _, ok := all.nearest(p, geo.ToUnit(p), 16, NodeLandmassKm); ok {
		return data.LandmassOf(cat.Communes[i].Dep)
	}
	return ""
}

// within calls fn with the index and squared chord of every point within km
// of p (unit vector pu), in no particular order.
func (u *unitIndex) within(p orb.Point, pu geo.Unit, km float64, fn func(i int, c2 float64)) {
	if u == nil {
		return
	}
	limit := chord2Of(km)
	u.ix.InBound(geo.BoundAround(p, km), func(h geo.Hit[int]) bool {
		if c2 := chord2(pu, u.units[h.Value]); c2 <= limit {
			fn(h.Value, c2)
		}
		return true
	})
}

// nearest returns the point nearest to p (unit vector pu), no further than
// maxKm, ties going to the lowest index. It searches the box around p of
// radius r, starting at startKm and doubling: once the best hit lies within
// r it is the nearest overall, since every point within r is in the box.
// Box searches with chord comparisons cost less than a best-first
// traversal with haversine bounds, which matters for 24k candidates × 6
// layers at load.
func (u *unitIndex) nearest(p orb.Point, pu geo.Unit, startKm, maxKm float64) (int, float64, bool) {
	if u == nil || u.ix.Len() == 0 {
		return -1, 0, false
	}
	for r := math.Min(startKm, maxKm); ; r = math.Min(2*r, maxKm) {
		best, bestC2 := -1, math.Inf(1)
		u.ix.InBound(geo.BoundAround(p, r), func(h geo.Hit[int]) bool {
			c2 := chord2(pu, u.units[h.Value])
			if c2 < bestC2 || (c2 == bestC2 && h.Value < best) {
				best, bestC2 = h.Value, c2
			}
			return true
		})
		if best >= 0 {
			if km := arcKm(bestC2); km <= r {
				return best, km, true
			}
		}
		if r >= maxKm || r > 2*math.Pi*geo.EarthRadiusKm {
			if best >= 0 && arcKm(bestC2) <= maxKm {
				return best, arcKm(bestC2), true
			}
			return -1, 0, false
		}
	}
}

// features fills in a candidate's precomputed features.
func (e *Engine) features(c *Candidate) {
	defer e.summarise(c)
	c.ecoRows = e.eco.rowsOf(c)
	c.Energy = e.ix.energy.features(c.Landmass, c.Site.Point, c.unit)
	_, c.SevesoKm = e.sevesoNearest(c)
	if c.shape != nil {
		e.shapeFeatures(c)
		return
	}
	lm := c.Landmass
	communes, lycees, acv := e.ix.communes[lm], e.ix.lycees[lm], e.ix.acv[lm]
	p := c.Site.Point
	c.Nearest = make([]NodeRef, len(e.ix.nodes))
	for m, byLand := range e.ix.nodes {
		ix := byLand[lm]
		c.Nearest[m] = NodeRef{Index: -1}
		if i, km, ok := ix.nearest(p, c.unit, 16, math.Inf(1)); ok {
			c.Nearest[m] = NodeRef{Index: i, Km: km}
		}
	}
	communes.within(p, c.unit, LabourRadiusKm, func(i int, _ float64) {
		cm := &e.cat.Communes[i]
		c.Active += cm.Active
		c.Unemployed += cm.Unemployed
		c.Communes++
	})
	lycees.within(p, c.unit, TrainingRadiusKm, func(i int, c2 float64) {
		c.Lycees = append(c.Lycees, LyceeRef{Index: i, Km: arcKm(c2)})
		for _, t := range e.cat.Lycees[i].Trades {
			c.tradeMask |= 1 << e.trade[t]
		}
	})
	slices.SortFunc(c.Lycees, func(a, b LyceeRef) int {
		if a.Km != b.Km {
			if a.Km < b.Km {
				return -1
			}
			return 1
		}
		return a.Index - b.Index
	})
	c.ACV = -1
	if i, km, ok := acv.nearest(p, c.unit, ACVRadiusKm, ACVRadiusKm); ok {
		c.ACV, c.ACVKm = i, km
	}
}

// summarise precomputes what the ranking pass reads from a candidate's
// features, and the explanations' parts that depend on them alone.
func (e *Engine) summarise(c *Candidate) {
	c.labourPool, c.labourCompeting = LabourPool(c.Active, c.Unemployed), LabourCompeting(c.Active, c.Unemployed)
	c.territory = TerritoryScore(c)
	c.tradeWeight = make([]float64, len(data.TradeFamilies))
	for _, l := range c.Lycees {
		w := LyceeWeight(l.Km)
		c.lyceeWeight += w
		ly := &e.cat.Lycees[l.Index]
		if ly.TradesSource == data.TradesByCourses {
			// LyceeFamilyShare is 0 for every family the course offer
			// lacks: only the taught ones add.
			for _, t := range ly.Trades {
				c.tradeWeight[e.trade[t]] += w * LyceeFamilyShare(ly, t, 0)
			}
			continue
		}
		for f, fam := range data.TradeFamilies {
			c.tradeWeight[f] += w * LyceeFamilyShare(ly, fam.ID, e.familyShare[f])
		}
	}
	c.prep = e.prepare(c)
}

// Catalogue returns the catalogue the engine scores.
func (e *Engine) Catalogue() *data.Catalogue { return e.cat }

// Candidates returns every candidate, in catalogue order. The slice is
// shared: do not modify it.
func (e *Engine) Candidates() []Candidate { return e.cands }

// Candidate returns the candidate with the site id.
func (e *Engine) Candidate(id string) (*Candidate, bool) {
	i, ok := e.byID[id]
	if !ok {
		return nil, false
	}
	return &e.cands[i], true
}

// Node returns the node a NodeRef of mode m (an index into TransportModes)
// points at.
func (e *Engine) Node(mode int, r NodeRef) (data.Node, bool) {
	if r.Index < 0 {
		return data.Node{}, false
	}
	return e.nodes[mode][r.Index], true
}

// Lycee returns a lycée of the catalogue.
func (e *Engine) Lycee(r LyceeRef) data.Lycee { return e.cat.Lycees[r.Index] }

// familiesOf gives each lycée's trade family bits.
func (e *Engine) familiesOf(lycees []data.Lycee) []uint64 {
	out := make([]uint64, len(lycees))
	for i := range lycees {
		for _, t := range lycees[i].Trades {
			out[i] |= 1 << e.trade[t]
		}
	}
	return out
}

// TradesNear reports which of the trade families are taught within
// TrainingRadiusKm of the candidate.
func (e *Engine) TradesNear(c *Candidate, trades []string) (found, missing []string) {
	for _, t := range trades {
		if c.tradeMask&(1<<e.trade[t]) != 0 {
			found = append(found, t)
		} else {
			missing = append(missing, t)
		}
	}
	return found, missing
}
