package matching

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"sitematch/data"
	"sitematch/geo"
)

// Pruned exact top-k (DESIGN.md, "Scale"). At build the candidates are
// split into a k-d tree over their unit vectors (median split along the
// widest axis) down to leaves of at most leafSize; each node keeps what
// bounds its members' scores from above for any project: a ball holding their unit vectors (the supply chain: every
// partner is at least its distance to the ball away, and the decay never
// rises with distance), and, per criterion, the maxima of the features the
// score is monotone in (or the score itself for a criterion that reads the
// candidate alone). A match walks the tree best bound first (a node's
// bound is at least each of its children's) and stops once the best
// unopened bound is below the worst of the pool it keeps: no unvisited candidate can enter the pool, so the pool,
// and hence every result, is that of the full pass.

// leafSize is how many candidates a leaf holds.
const leafSize = 8

// boundSlack is added to every criterion bound: the bounds are computed
// with the scores' own float operations, which round monotonically, and
// the slack absorbs any last-ulp difference between two formulas.
const boundSlack = 1e-12

// leaf summarises the candidates order[lo:hi] of a pruneIndex: a node of
// its tree.
type leaf struct {
	lo, hi int32
	// left and right are the children's indexes in pruneIndex.nodes, -1
	// for a leaf.
	left, right int32
	// center and radius: every member's unit vector is within radius
	// (a chord) of center, which need not be a unit vector.
	center geo.Unit
	radius float64
	shaped bool // a member has an outline: its distances are to the outline
	// Constraint summaries, to skip a leaf every member of which a hard
	// constraint excludes: kinds (bit per data.Kinds), and the distinct
	// landmasses, regions and départements.
	kinds             uint32
	lands, regs, deps codeSet  // interned by exclIndex
	siteMasks         []uint32 // distinct forSite masks (bit i: criterion i applies to the member)
	// nearestKm is, per mode, the least distance to its nearest node
	// (float32 rounded down, +Inf when no member has one).
	nearestKm   [maxModes]float32
	labourSlack float64 // labour: max of pool − competing hires
	lyceeWeight float64 // training: max
	// tradeWeight is, per trade family, the max weight (float32 rounded up).
	tradeWeight [maxFamilies]float32
	// land: the largest plausible known area or town plot, whether a
	// member has an unknown area with no distribution, and the
	// distributions of the members' unknown areas.
	maxArea float64
	noGroup bool
	groups  []int
	// static is, per criterion that reads the candidate alone
	// (criterion.static), the max of its score over the members it
	// applies to.
	static [maxCriteria]float64
	eco    ecoLeaf // the ecosystem bound's maxima (ecosystem.go)
}

// maxModes and maxFamilies bound the transport modes and trade families,
// so that a node holds their summaries inline (a node's bound then reads
// a few cache lines, no slice).
const (
	maxModes    = 8
	maxFamilies = 24
)

// down32 and up32 round to a float32 no greater (no less) than x, so that
// a summary kept in 32 bits still bounds.
func down32(x float64) float32 {
	f := float32(x)
	if float64(f) > x {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func up32(x float64) float32 {
	f := float32(x)
	if float64(f) < x {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// pruneIndex is a tree over an engine's candidates.
type pruneIndex struct {
	order []int32 // candidate indexes, each node's a run of them
	nodes []leaf  // children before their parent
	root  int32   // -1 when the tree holds no candidate
	// frontier are the nodes a walk starts from (frontierDepth).
	frontier []int32
	ex       *exclIndex
	// strict[k] is the tree over the candidates the default constraints
	// keep for a project needing at least strictHa[k] hectares: neither
	// of a non-industrial type, nor unverified, nor committed, nor with a
	// known area under strictHa[k] (nil in a strict tree itself). Most
	// projects keep these defaults, which exclude most brownfields: a
	// strict tree's summaries, and so its bounds, leave those out.
	strict []*pruneIndex
	// mixed holds the candidates at coordinates shared with a candidate
	// of another commune (diverseFloor leaves them out).
	mixed bitset
}

// strictHa are the land needs (ha) a strict tree is built for.
var strictHa = []float64{0, 2, 5, 10, 20, 50}

// buildPrune builds the trees and summarises every node.
func (e *Engine) buildPrune() {
	ex := e.buildExcl()
	all := make([]int32, len(e.cands))
	for i := range all {
		all[i] = int32(i)
	}
	px := e.buildTree(ex, all)
	px.mixed = newBitset(len(e.cands))
	for _, g := range e.samePoint {
		for _, j := range g {
			if e.cands[j].Site.Commune != e.cands[g[0]].Site.Commune {
				for _, j := range g {
					px.mixed.set(j)
				}
				break
			}
		}
	}
	for _, ha := range strictHa {
		var order []int32
		for i := range e.cands {
			if c := &e.cands[i]; !c.nonIndustrial && !c.unverified && !c.committed && !(c.believed && !c.isTown && c.believedHa < ha) {
				order = append(order, int32(i))
			}
		}
		st := e.buildTree(ex, order)
		st.mixed = px.mixed
		px.strict = append(px.strict, st)
	}
	e.prune = px
}

// buildTree builds the tree over the candidates order.
func (e *Engine) buildTree(ex *exclIndex, order []int32) *pruneIndex {
	px := &pruneIndex{order: order, root: -1, ex: ex}
	if len(order) > 0 {
		px.root = e.buildNode(px, 0, len(order))
		px.frontier = px.nodesAt(px.root, frontierDepth, nil)
	}
	return px
}

// frontierDepth is the depth a walk starts from: on the full-France
// project every node above it is opened (none prunes: the bounds of so
// large a node stay above the results'), so bounding them is skipped.
const frontierDepth = 6

// nodesAt appends to out the nodes of n's subtree at depth d below it, and
// its leaves above that depth.
func (px *pruneIndex) nodesAt(n int32, d int, out []int32) []int32 {
	if l := &px.nodes[n]; d > 0 && l.left >= 0 {
		return px.nodesAt(l.right, d-1, px.nodesAt(l.left, d-1, out))
	}
	return append(out, n)
}

// tree is the tree a query walks: under the default constraints, the
// strict one of the largest land need up to the project's (the
// candidates it leaves out are excluded: landExcluded).
func (px *pruneIndex) tree(q *query) *pruneIndex {
	cs := &q.p.Constraints
	if cs.IncludeNonIndustrial || cs.IncludeUnverified || cs.IncludeCommitted {
		return px
	}
	t := px
	for k, ha := range strictHa {
		if k < len(px.strict) && ha <= q.landHa {
			t = px.strict[k]
		}
	}
	return t
}

// buildNode builds the subtree of order[lo:hi] and returns its index.
func (e *Engine) buildNode(px *pruneIndex, lo, hi int) int32 {
	if hi-lo <= leafSize {
		l := e.summariseLeaf(px.ex, px.order, lo, hi)
		l.left, l.right = -1, -1
		px.nodes = append(px.nodes, l)
		return int32(len(px.nodes) - 1)
	}
	run := px.order[lo:hi]
	coord := func(i int32, a int) float64 {
		u := &e.cands[i].unit
		return [3]float64{u.X, u.Y, u.Z}[a]
	}
	mn, mx := [3]float64{}, [3]float64{}
	for a := range 3 {
		mn[a], mx[a] = math.Inf(1), math.Inf(-1)
	}
	for _, i := range run {
		for a := range 3 {
			mn[a], mx[a] = math.Min(mn[a], coord(i, a)), math.Max(mx[a], coord(i, a))
		}
	}
	axis := 0
	for a := 1; a < 3; a++ {
		if mx[a]-mn[a] > mx[axis]-mn[axis] {
			axis = a
		}
	}
	slices.SortFunc(run, func(x, y int32) int {
		if cx, cy := coord(x, axis), coord(y, axis); cx != cy {
			if cx < cy {
				return -1
			}
			return 1
		}
		return int(x - y)
	})
	mid := (lo + hi) / 2
	left, right := e.buildNode(px, lo, mid), e.buildNode(px, mid, hi)
	n := mergeLeaves(&px.nodes[left], &px.nodes[right])
	n.left, n.right = left, right
	px.nodes = append(px.nodes, n)
	return int32(len(px.nodes) - 1)
}

// mergeLeaves summarises two adjacent runs as one: a ball holding both
// balls, and the maxima, minima and unions of their summaries.
func mergeLeaves(a, b *leaf) leaf {
	na, nb := float64(a.hi-a.lo), float64(b.hi-b.lo)
	n := leaf{lo: a.lo, hi: b.hi, shaped: a.shaped || b.shaped, kinds: a.kinds | b.kinds,
		lands: a.lands.union(b.lands), regs: a.regs.union(b.regs), deps: a.deps.union(b.deps),
		labourSlack: math.Max(a.labourSlack, b.labourSlack),
		lyceeWeight: math.Max(a.lyceeWeight, b.lyceeWeight), maxArea: math.Max(a.maxArea, b.maxArea),
		noGroup: a.noGroup || b.noGroup, groups: slices.Clone(a.groups), siteMasks: slices.Clone(a.siteMasks),
	}
	n.center = geo.Unit{X: (a.center.X*na + b.center.X*nb) / (na + nb), Y: (a.center.Y*na + b.center.Y*nb) / (na + nb),
		Z: (a.center.Z*na + b.center.Z*nb) / (na + nb)}
	n.radius = math.Max(math.Sqrt(chord2(n.center, a.center))+a.radius, math.Sqrt(chord2(n.center, b.center))+b.radius)
	n.radius = n.radius*(1+1e-9) + 1e-12
	for _, g := range b.groups {
		if !slices.Contains(n.groups, g) {
			n.groups = append(n.groups, g)
		}
	}
	for _, m := range b.siteMasks {
		if !slices.Contains(n.siteMasks, m) {
			n.siteMasks = append(n.siteMasks, m)
		}
	}
	for m := range n.nearestKm {
		n.nearestKm[m] = min(a.nearestKm[m], b.nearestKm[m])
	}
	for f := range n.tradeWeight {
		n.tradeWeight[f] = max(a.tradeWeight[f], b.tradeWeight[f])
	}
	for k := range n.static {
		n.static[k] = math.Max(a.static[k], b.static[k])
	}
	n.eco = mergeEcoLeaves(&a.eco, &b.eco)
	return n
}

// kindBit is the bit of a kind in leaf.kinds.
func kindBit(kind string) uint32 {
	if i := slices.Index(data.Kinds, kind); i >= 0 && i < 32 {
		return 1 << i
	}
	return 1 << 31 // an unknown kind: a bit no query's mask clears
}

// summariseLeaf builds the leaf of candidates order[lo:hi].
func (e *Engine) summariseLeaf(ex *exclIndex, order []int32, lo, hi int) leaf {
	if len(TransportModes) > maxModes || len(data.TradeFamilies) > maxFamilies {
		panic(fmt.Sprintf("matching: %d transport modes and %d trade families, more than maxModes = %d or maxFamilies = %d",
			len(TransportModes), len(data.TradeFamilies), maxModes, maxFamilies))
	}
	l := leaf{lo: int32(lo), hi: int32(hi)}
	for m := range l.nearestKm {
		l.nearestKm[m] = float32(math.Inf(1))
	}
	members := order[lo:hi]
	for _, i := range members {
		u := e.cands[i].unit
		l.center.X += u.X / float64(len(members))
		l.center.Y += u.Y / float64(len(members))
		l.center.Z += u.Z / float64(len(members))
	}
	for _, i := range members {
		c := &e.cands[i]
		l.radius = math.Max(l.radius, math.Sqrt(chord2(c.unit, l.center)))
		l.shaped = l.shaped || c.shape != nil
		l.kinds |= kindBit(c.Site.Kind)
		l.lands.add(ex.lands.ids[c.Landmass])
		l.regs.add(ex.regs.ids[c.Commune.Reg])
		l.deps.add(ex.deps.ids[c.Commune.Dep])
		var mask uint32
		for k := range criteria {
			cr := &criteria[k]
			if cr.forSite != nil && !cr.forSite(c) {
				continue
			}
			mask |= 1 << k
			if cr.static {
				l.static[k] = math.Max(l.static[k], cr.score(e, nil, c))
			}
		}
		if !slices.Contains(l.siteMasks, mask) {
			l.siteMasks = append(l.siteMasks, mask)
		}
		for m, r := range c.Nearest {
			if r.Index >= 0 {
				l.nearestKm[m] = min(l.nearestKm[m], down32(r.Km))
			}
		}
		l.labourSlack = math.Max(l.labourSlack, c.labourPool-c.labourCompeting)
		l.lyceeWeight = math.Max(l.lyceeWeight, c.lyceeWeight)
		for f, w := range c.tradeWeight {
			l.tradeWeight[f] = max(l.tradeWeight[f], up32(w))
		}
		switch {
		case c.Site.Kind == data.KindTown:
			l.maxArea = math.Max(l.maxArea, c.townBestHa)
		case c.believed:
			l.maxArea = math.Max(l.maxArea, c.believedHa)
		case c.landGroup < 0:
			l.noGroup = true
		case !slices.Contains(l.groups, c.landGroup):
			l.groups = append(l.groups, c.landGroup)
		}
	}
	l.eco = e.ecoSummarise(members)
	// Widen the ball by more than the rounding of the chords above.
	l.radius = l.radius*(1+1e-9) + 1e-12
	return l
}

// supplyBound bounds the supply chain over a leaf: Σ wᵢ·decay(dᵢ) / Σ wᵢ
// with dᵢ the distance from partner i to the leaf's ball. A partner's
// squared chord to the ball's centre is first compared with those of the
// near and far chords widened by the radius: within the first it counts
// 1, beyond the second 0, with no square root.
func supplyBound(_ *Engine, q *query, l *leaf) float64 {
	if l.shaped {
		return 1
	}
	if q.central {
		return centralityBound(q, l)
	}
	b := &q.band
	in, out := b.nearC+l.radius, (b.farCUp+l.radius)*(1+1e-9)
	in2, out2 := in*in, out*out
	var num, den float64
	for i := range q.partners {
		p := &q.partners[i]
		den += p.Weight
		cc2 := chord2(p.unit, l.center)
		switch {
		case cc2 <= in2:
			num += p.Weight
			continue
		case cc2 >= out2:
			continue
		}
		d := math.Sqrt(cc2) - l.radius
		s := 1.0
		if d > 0 {
			// The chord is shorter than its arc: the decay of its
			// length in km is at least the arc's.
			c2 := d * d * (1 - 1e-9)
			switch {
			case c2 <= b.nearC2:
			case c2 >= b.farC2:
				s = 0
			default:
				s = geo.Decay(geo.EarthRadiusKm*d*(1-1e-9), b.near, b.far)
			}
		}
		num += p.Weight * s
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// centralityBound bounds the centrality score over a leaf from the
// lower bound of its members' mean partner distance (centrality.go).
func centralityBound(q *query, l *leaf) float64 {
	return CentralityScore(meanLowerBound(q, l), q.bestMeanKm, q.band.near)
}

// transportBound bounds the transport score from each mode's nearest node
// over the leaf.
func transportBound(_ *Engine, q *query, l *leaf) float64 {
	var num float64
	for _, t := range q.modes {
		if km := float64(l.nearestKm[t.m]); !math.IsInf(km, 1) {
			num += t.weight * geo.Decay(km, t.near, t.far)
		}
	}
	return num / q.modesDen
}

// labourBound: the score rises with pool − competing hires, at most the
// leaf's max.
func labourBound(_ *Engine, q *query, l *leaf) float64 {
	return labourScoreOf(labourRatio(l.labourSlack, 0, q.jobs))
}

// trainingBound: the score rises with every weight.
func trainingBound(_ *Engine, q *query, l *leaf) float64 {
	if len(q.families) == 0 {
		return math.Min(1, l.lyceeWeight/q.need)
	}
	var s float64
	perFamily := q.need / float64(len(q.families))
	for _, f := range q.families {
		s += math.Min(1, float64(l.tradeWeight[f])/perFamily)
	}
	return s / float64(len(q.families))
}

// landBound: a known area or a town's plots score at most
// clamp(area/LandFullHa(need)) of the largest (a town's plot factor is at most
// 1); an unknown area its distribution's expected score, or 0.5.
func landBound(_ *Engine, q *query, l *leaf) float64 {
	b := clamp01(l.maxArea / q.landFull)
	if l.noGroup {
		b = math.Max(b, 0.5)
	}
	for _, g := range l.groups {
		b = math.Max(b, q.landExpect[g])
	}
	return b
}

// criterionBound bounds criterion k's score over a leaf's members it
// applies to: its bound, its static maximum, or 1 when it has neither.
func (e *Engine) criterionBound(q *query, k int, l *leaf) float64 {
	cr := &criteria[k]
	switch {
	case cr.static:
		return l.static[k] + boundSlack
	case cr.bound != nil:
		return cr.bound(e, q, l) + boundSlack
	}
	return 1
}

// leafBound bounds the total of every member of the leaf: the weights are
// normalised over the criteria that apply to a site, so the bound is the
// max over the leaf's distinct sets of them. b receives the criteria's
// bounds.
func (e *Engine) leafBound(q *query, l *leaf, b *[maxCriteria]float64) float64 {
	for _, k := range q.active {
		b[k] = e.criterionBound(q, k, l)
	}
	best := 0.0
	for _, mask := range l.siteMasks {
		var num, den float64
		for _, k := range q.active {
			if mask&(1<<k) != 0 {
				num += q.weights[k] * b[k]
				den += q.weights[k]
			}
		}
		if den > 0 {
			best = math.Max(best, 100*num/den)
		}
	}
	return best*(1+1e-12) + 1e-9
}

// leafExcluded reports whether a hard constraint excludes every member of
// the leaf: none of its kinds (bits of kinds), régions, départements or
// landmasses is allowed (allowed: the query's codes, nil for no
// constraint).
func (q *query) leafExcluded(kinds uint32, allowed *allowedCodes, l *leaf) bool {
	return l.kinds&kinds == 0 || (allowed.byReg && !l.regs.meets(allowed.regs)) ||
		(allowed.byDep && !l.deps.meets(allowed.deps)) || (allowed.byLand && !l.lands.meets(allowed.lands))
}

// allowedCodes are the codes of exclIndex a query allows, when it
// constrains them (by*).
type allowedCodes struct {
	regs, deps, lands    codeSet
	byReg, byDep, byLand bool
}

func (x *exclIndex) allowedCodes(q *query) *allowedCodes {
	a := &allowedCodes{regs: x.regs.allowed(q.regions), deps: x.deps.allowed(q.deps),
		byReg: q.regions != nil, byDep: q.deps != nil, byLand: q.landmass != ""}
	if a.byLand {
		a.lands = x.lands.allowed(map[string]bool{q.landmass: true})
	}
	return a
}

// kindMask is the leaf.kinds bits of the kinds a query allows.
func (q *query) kindMask() uint32 {
	if q.kinds == nil {
		return math.MaxUint32
	}
	var m uint32
	for k := range q.kinds {
		if i := slices.Index(data.Kinds, k); i >= 0 && i < 32 {
			m |= 1 << i
		}
	}
	return m
}

// costliestLast is q.active in the order canBeat scores a candidate:
// the static criteria first (a field read), then the others in the
// table's order, and the supply chain, the costliest score (a distance
// per partner), last.
func costliestLast(q *query) []int {
	out := make([]int, 0, len(q.active))
	for _, static := range []bool{true, false} {
		for _, k := range q.active {
			if criteria[k].static == static && k != supplyIndex {
				out = append(out, k)
			}
		}
	}
	if q.app[supplyIndex] {
		out = append(out, supplyIndex)
	}
	return out
}

// supplyIndex is the supply chain's index in criteria.
var supplyIndex = slices.IndexFunc(criteria[:], func(c criterion) bool { return c.id == SupplyChain })

// canBeat reports whether c's total may reach worst: c is scored one
// criterion at a time, in order (q.active's criteria), with lb (its
// leaf's bounds) for the criteria not yet scored, until that bound of its
// total falls below worst; when it may, s and ok are its scores, as scores
// gives them. The bound is kept as a running sum, widened like
// leafBound's so that its rounding never leaves out a candidate total
// would keep.
func (e *Engine) canBeat(q *query, c *Candidate, order []int, lb *[maxCriteria]float64, worst float64) (s scoreVec, ok okVec, beats bool) {
	var num, den float64
	for _, k := range q.active {
		if cr := &criteria[k]; cr.forSite == nil || cr.forSite(c) {
			s[k], ok[k] = lb[k], true
			num += q.weights[k] * lb[k]
			den += q.weights[k]
		}
	}
	if den == 0 {
		return s, ok, true
	}
	for _, k := range order {
		if !ok[k] {
			continue
		}
		v := criteria[k].score(e, q, c)
		num -= q.weights[k] * (s[k] - v)
		s[k] = v
		if (100*num/den)*(1+1e-12)+1e-9 < worst {
			return s, ok, false
		}
	}
	return s, ok, true
}

// nodeRef is a node of the tree and its bound, in the visiting heap:
// its own (exact), or its parent's until it reaches the top of the heap
// (a parent's bound is at least its children's), so that the nodes the
// walk never reaches are never bounded.
type nodeRef struct {
	bound float64
	node  int32
	exact bool
}

// nodeHeap is a max-heap of nodes by bound.
type nodeHeap []nodeRef

func (h *nodeHeap) push(r nodeRef) {
	*h = append(*h, r)
	x := *h
	for i := len(x) - 1; i > 0; {
		p := (i - 1) / 2
		if x[p].bound >= x[i].bound {
			break
		}
		x[p], x[i] = x[i], x[p]
		i = p
	}
}

func (h *nodeHeap) pop() nodeRef {
	x := *h
	top := x[0]
	n := len(x) - 1
	x[0] = x[n]
	x = x[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && x[c+1].bound > x[c].bound {
			c++
		}
		if x[i].bound >= x[c].bound {
			break
		}
		x[i], x[c] = x[c], x[i]
		i = c
	}
	*h = x
	return top
}

// diverseFloor is a floor under the want-th result a match keeps
// (diversify over every eligible candidate with rule's perCommune), from
// top, candidates scored so far, best first (floorList): the want-th that
// diversify keeps of them, leaving out the mixed candidates, or -Inf when
// it keeps fewer. A candidate whose total
// is below it cannot change the results, and so need not be scored.
//
// Why it is a floor: without the mixed candidates, every site shares
// its coordinates only with sites of its own commune, so diversify keeps
// the best site at each coordinates that its commune's perCommune best
// such leaders admit; a site more (or a better one) raises, or leaves,
// each commune's kept totals, and so the want-th of all: the want-th over
// the items is at most the want-th over every eligible candidate bar the
// mixed ones. Adding a mixed site's coordinates back, their leader either
// enters its commune's kept sites (raising them as above) or is dropped,
// and the sites it hides share its coordinates, so are mixed themselves:
// the want-th does not fall. Candidates left out of items are below
// their worst, or below an earlier floor, hence below this one's final
// value, after the want-th in any order.
//
// Any scored candidates will do, and more of them only raise the floor:
// floorList keeps those the walk scored at or above the floor found so
// far (the others come after the want-th), sorted as they arrive.
func (e *Engine) diverseFloor(top []floorRef, rule *diverseRule, want int, mixed bitset) float64 {
	rule.reset()
	kept := 0
	for _, r := range top {
		// A town with a land-giving plot may be left out by the rule
		// once that plot is scored: counting it could raise the floor
		// above the result, so it is left out of the floor, like the
		// mixed groups, which can only lower it.
		c := &e.cands[r.idx]
		if mixed.has(int(r.idx)) || rule.townPlot(c) >= 0 || !rule.keep(c) {
			continue
		}
		if kept++; kept == want {
			return r.total
		}
	}
	return math.Inf(-1)
}

// floorRef is a scored candidate in a floorList.
type floorRef struct {
	total float64
	idx   int32
}

// floorList holds scored candidates best first (Engine.better's order).
type floorList []floorRef

// add inserts a scored candidate in its place.
func (f *floorList) add(e *Engine, total float64, idx int) {
	at := sort.Search(len(*f), func(k int) bool {
		r := (*f)[k]
		return !e.ahead(r.total, int(r.idx), total, idx)
	})
	*f = slices.Insert(*f, at, floorRef{total: total, idx: int32(idx)})
}

// below drops the candidates under floor (they come after the want-th).
func (f *floorList) below(floor float64) {
	x := *f
	for len(x) > 0 && x[len(x)-1].total < floor {
		x = x[:len(x)-1]
	}
	*f = x
}

// rankPruned returns the best pool eligible candidates, sorted, as rank
// does, or, when it can tell that diversify(·, perCommune, want) keeps the
// same sites from fewer, those fewer (diverseFloor): it walks the tree
// best bound first and scores no leaf whose bound is below the worst of a
// full pool or that floor. The hard constraints are applied to the
// catalogue as a whole (exclude: bitsets), so that res counts the
// exclusions and the eligible as the full pass does; a project with a
// veto takes the full pass, since counting the vetoed needs every score.
func (e *Engine) rankPruned(q *query, res *Result, pool, want, perCommune int) []scored {
	if e.prune == nil || q.veto >= 0 {
		return e.rank(q, res, pool)
	}
	px := e.prune.tree(q)
	ex := e.exclude(q)
	if err := q.cancelled(); err != nil {
		return nil
	}
	if res != nil {
		ex.record(res)
	}
	kinds, allowed := q.kindMask(), px.ex.allowedCodes(q)
	h := &topK{e: e, items: make([]scored, 0, pool+1)}
	open := make(nodeHeap, 0, 64)
	if px.root < 0 {
		return h.items // every candidate is excluded
	}
	for _, f := range px.frontier {
		if n := &px.nodes[f]; !q.leafExcluded(kinds, allowed, n) {
			open.push(nodeRef{bound: math.Inf(1), node: f})
		}
	}
	// worst is what a candidate must reach to matter: the worst of a
	// full pool, or the diverse floor when higher; -Inf until then.
	worst, floor := math.Inf(-1), math.Inf(-1)
	rule := e.newDiverseRule(q, perCommune)
	defer rule.release()
	top := make(floorList, 0, pool)
	seen := 0
	var order []int // the criteria in the order canBeat scores them
	var lb [maxCriteria]float64
	for len(open) > 0 {
		r := open.pop()
		if r.bound < worst {
			break
		}
		n := &px.nodes[r.node]
		bounded := false // lb holds n's criteria's bounds
		if !r.exact {
			r.bound, bounded = e.leafBound(q, n, &lb), true
			if r.bound < worst {
				continue
			}
			if len(open) > 0 && r.bound < open[0].bound {
				open.push(nodeRef{bound: r.bound, node: r.node, exact: true})
				continue
			}
		}
		if n.left >= 0 {
			for _, c := range [2]int32{n.left, n.right} {
				if cn := &px.nodes[c]; !q.leafExcluded(kinds, allowed, cn) {
					open.push(nodeRef{bound: r.bound, node: c})
				}
			}
			continue
		}
		// Once worst is known, a member is scored criterion by
		// criterion, the leaf's bounds standing for the criteria not yet
		// scored, and left as soon as its total cannot reach worst.
		changed := false
		if order == nil {
			order = costliestLast(q)
		}
		for _, i := range px.order[n.lo:n.hi] {
			if seen++; seen%checkEvery == 0 && q.cancelled() != nil {
				return nil
			}
			if ex.out.has(int(i)) {
				continue
			}
			c := &e.cands[i]
			var s scoreVec
			var ok okVec
			if !math.IsInf(worst, -1) {
				if !bounded {
					e.leafBound(q, n, &lb)
					bounded = true
				}
				var beats bool
				if s, ok, beats = e.canBeat(q, c, order, &lb, worst); !beats {
					continue
				}
			} else {
				s, ok = e.scores(q, c)
			}
			t := total(&q.weights, &s, &ok)
			if !h.offer(pool, scored{idx: int(i), total: t, s: s, ok: ok}) {
				continue
			}
			if len(h.items) == pool {
				worst = math.Max(worst, h.items[0].total)
			}
			if t >= floor { // a site below the floor cannot move it
				top.add(e, t, int(i))
				changed = true
			}
		}
		if changed {
			floor = math.Max(floor, e.diverseFloor(top, rule, want, px.mixed))
			top.below(floor)
			worst = math.Max(worst, floor)
		}
	}
	sortScored(e, h.items)
	return h.items
}
