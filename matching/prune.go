package matching

import (
	"math"
	"slices"

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
const leafSize = 16

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
	lands, regs, deps []string
	siteMasks         []uint32 // distinct forSite masks (bit i: criterion i applies to the member)
	nearestKm         []float64
	labourSlack       float64   // labour: max of pool − competing hires
	lyceeWeight       float64   // training: max
	tradeWeight       []float64 // training: max per family
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

// pruneIndex is the tree over an engine's candidates.
type pruneIndex struct {
	order []int32 // candidate indexes, each node's a run of them
	nodes []leaf  // children before their parent
	root  int32
	ex    *exclIndex
}

// buildPrune builds the tree and summarises every node.
func (e *Engine) buildPrune() {
	px := &pruneIndex{order: make([]int32, len(e.cands)), root: -1}
	for i := range px.order {
		px.order[i] = int32(i)
	}
	if len(e.cands) > 0 {
		px.root = e.buildNode(px, 0, len(e.cands))
	}
	px.ex = e.buildExcl()
	e.prune = px
}

// buildNode builds the subtree of order[lo:hi] and returns its index.
func (e *Engine) buildNode(px *pruneIndex, lo, hi int) int32 {
	if hi-lo <= leafSize {
		l := e.summariseLeaf(px.order, lo, hi)
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
	union := func(xs, ys []string) []string {
		out := slices.Clone(xs)
		for _, y := range ys {
			if !slices.Contains(out, y) {
				out = append(out, y)
			}
		}
		return out
	}
	na, nb := float64(a.hi-a.lo), float64(b.hi-b.lo)
	n := leaf{lo: a.lo, hi: b.hi, shaped: a.shaped || b.shaped, kinds: a.kinds | b.kinds,
		lands: union(a.lands, b.lands), regs: union(a.regs, b.regs), deps: union(a.deps, b.deps),
		labourSlack: math.Max(a.labourSlack, b.labourSlack),
		lyceeWeight: math.Max(a.lyceeWeight, b.lyceeWeight), maxArea: math.Max(a.maxArea, b.maxArea),
		noGroup: a.noGroup || b.noGroup, groups: slices.Clone(a.groups), siteMasks: slices.Clone(a.siteMasks),
		nearestKm: make([]float64, len(a.nearestKm)), tradeWeight: make([]float64, len(a.tradeWeight))}
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
		n.nearestKm[m] = math.Min(a.nearestKm[m], b.nearestKm[m])
	}
	for f := range n.tradeWeight {
		n.tradeWeight[f] = math.Max(a.tradeWeight[f], b.tradeWeight[f])
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
func (e *Engine) summariseLeaf(order []int32, lo, hi int) leaf {
	l := leaf{lo: int32(lo), hi: int32(hi),
		nearestKm: make([]float64, len(TransportModes)), tradeWeight: make([]float64, len(data.TradeFamilies))}
	for m := range l.nearestKm {
		l.nearestKm[m] = math.Inf(1)
	}
	add := func(xs []string, x string) []string {
		if !slices.Contains(xs, x) {
			xs = append(xs, x)
		}
		return xs
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
		l.lands, l.regs, l.deps = add(l.lands, c.Landmass), add(l.regs, c.Commune.Reg), add(l.deps, c.Commune.Dep)
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
				l.nearestKm[m] = math.Min(l.nearestKm[m], r.Km)
			}
		}
		l.labourSlack = math.Max(l.labourSlack, c.labourPool-c.labourCompeting)
		l.lyceeWeight = math.Max(l.lyceeWeight, c.lyceeWeight)
		for f, w := range c.tradeWeight {
			l.tradeWeight[f] = math.Max(l.tradeWeight[f], w)
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
// with dᵢ the distance from partner i to the leaf's ball.
func supplyBound(_ *Engine, q *query, l *leaf) float64 {
	if l.shaped {
		return 1
	}
	if q.central {
		return centralityBound(q, l)
	}
	b := &q.band
	var num, den float64
	for i := range q.partners {
		p := &q.partners[i]
		d := math.Sqrt(chord2(p.unit, l.center)) - l.radius
		s := 1.0
		if d > 0 {
			c2 := d * d * (1 - 1e-9)
			switch {
			case c2 <= b.nearC2:
			case c2 >= b.farC2:
				s = 0
			default:
				s = geo.Decay(b.arcKm(c2), b.near, b.far)
			}
		}
		num += p.Weight * s
		den += p.Weight
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
		if km := l.nearestKm[t.m]; !math.IsInf(km, 1) {
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
		s += math.Min(1, l.tradeWeight[f]/perFamily)
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
// max over the leaf's distinct sets of them.
func (e *Engine) leafBound(q *query, l *leaf) float64 {
	var b [maxCriteria]float64
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
// landmasses is allowed.
func (q *query) leafExcluded(kinds uint32, l *leaf) bool {
	return l.kinds&kinds == 0 || !anyIn(l.regs, q.regions) || !anyIn(l.deps, q.deps) ||
		(q.landmass != "" && !slices.Contains(l.lands, q.landmass))
}

// anyIn reports whether set is nil (no constraint) or holds one of xs.
func anyIn(xs []string, set map[string]bool) bool {
	if set == nil {
		return true
	}
	for _, x := range xs {
		if set[x] {
			return true
		}
	}
	return false
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

// nodeRef is a node of the tree and its bound, in the visiting heap.
type nodeRef struct {
	bound float64
	node  int32
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

// rankPruned returns what rank(q, res, pool) returns, walking the tree
// best bound first and scoring no leaf whose bound is below the worst of
// a full pool. Every candidate is still checked against the hard
// constraints, so that res counts the exclusions and the eligible as the
// full pass does; a project with a veto takes the full pass, since
// counting the vetoed needs every score.
func (e *Engine) rankPruned(q *query, res *Result, pool int) []scored {
	px := e.prune
	if px == nil || px.root < 0 || q.veto >= 0 {
		return e.rank(q, res, pool)
	}
	kinds := q.kindMask()
	eq := px.ex.compile(q)
	counts := exclCounts{res: res}
	defer counts.flush()
	h := &topK{e: e, items: make([]scored, 0, pool+1)}
	done := make([]uint64, (len(e.cands)+63)/64) // bit i: candidate i checked
	open := nodeHeap{}
	if root := &px.nodes[px.root]; !q.leafExcluded(kinds, root) {
		open.push(nodeRef{bound: e.leafBound(q, root), node: px.root})
	}
	seen := 0
	for len(open) > 0 {
		r := open.pop()
		if len(h.items) == pool && r.bound < h.items[0].total {
			break
		}
		n := &px.nodes[r.node]
		if n.left >= 0 {
			for _, c := range [2]int32{n.left, n.right} {
				if cn := &px.nodes[c]; !q.leafExcluded(kinds, cn) {
					open.push(nodeRef{bound: e.leafBound(q, cn), node: c})
				}
			}
			continue
		}
		for _, i := range px.order[n.lo:n.hi] {
			if seen++; seen%checkEvery == 0 && q.cancelled() != nil {
				return nil
			}
			done[i/64] |= 1 << (i % 64)
			c := &e.cands[i]
			if r := px.ex.excluded(q, eq, int(i)); r != "" {
				counts.add(r, c)
				continue
			}
			s, ok := e.scores(q, c)
			if res != nil {
				res.Eligible++
			}
			h.offer(pool, scored{idx: int(i), total: total(&q.weights, &s, &ok), s: s, ok: ok})
		}
	}
	if res != nil {
		// The candidates left unscored are checked in catalogue order,
		// which reads memory in sequence.
		for i := range e.cands {
			if i%checkEvery == 0 && q.cancelled() != nil {
				return nil
			}
			if done[i/64]&(1<<(i%64)) != 0 {
				continue
			}
			if r := px.ex.excluded(q, eq, i); r != "" {
				counts.add(r, &e.cands[i])
			} else {
				res.Eligible++
			}
		}
	}
	sortScored(e, h.items)
	return h.items
}

// exclCounts counts the exclusions by reason in an array, added to
// res.Excluded by flush (a map increment per candidate costs more than
// its check).
type exclCounts struct {
	res *Result
	n   [16]int // by index in ExclusionReasons
}

// add counts a candidate a hard constraint excluded, when res is not nil.
func (x *exclCounts) add(reason string, c *Candidate) {
	if x.res == nil {
		return
	}
	for k, r := range ExclusionReasons {
		if r == reason {
			x.n[k]++
			break
		}
	}
	if reason == ExclSeveso {
		x.res.countSeveso(c)
	}
}

func (x *exclCounts) flush() {
	if x.res == nil {
		return
	}
	for k, r := range ExclusionReasons {
		x.res.Excluded[r] += x.n[k]
	}
}

// exclRec is what the hard constraints read of a candidate, packed so that
// the pruned ranking checks every candidate of a large catalogue reading
// memory in sequence (query.excluded reads several cache lines of a
// Candidate). exclOf must give the reason query.excluded gives.
type exclRec struct {
	kind, land             uint8 // indexes into data.Kinds and pruneIndex.lands
	reg, dep               uint16
	flags                  uint8
	availLo                int16
	believedHa, townBestHa float64
}

// exclRec flags.
const (
	exNonIndustrial = 1 << iota
	exUnverified
	exTown
	exNoTownPlot
	exBelieved
	exCommitted
	exSeveso // SevesoRule breaks a rule: query-independent
)

// exclIndex holds every candidate's exclRec and the codes they use.
type exclIndex struct {
	recs              []exclRec
	nearKm            []float64 // candidate·modes + mode: the Nearest km, -1 when none
	lands, regs, deps []string
}

func intern(codes *[]string, ix map[string]int, s string) int {
	if i, ok := ix[s]; ok {
		return i
	}
	ix[s] = len(*codes)
	*codes = append(*codes, s)
	return ix[s]
}

// buildExcl packs the candidates' exclusion inputs.
func (e *Engine) buildExcl() *exclIndex {
	x := &exclIndex{recs: make([]exclRec, len(e.cands)), nearKm: make([]float64, len(e.cands)*len(TransportModes))}
	li, ri, di := map[string]int{}, map[string]int{}, map[string]int{}
	for i := range e.cands {
		c := &e.cands[i]
		kind := slices.Index(data.Kinds, c.Site.Kind)
		if kind < 0 || kind > 30 {
			kind = 31 // as kindBit
		}
		r := exclRec{kind: uint8(kind), land: uint8(intern(&x.lands, li, c.Landmass)),
			reg: uint16(intern(&x.regs, ri, c.Commune.Reg)), dep: uint16(intern(&x.deps, di, c.Commune.Dep)),
			availLo: int16(c.availLo), believedHa: c.believedHa, townBestHa: c.townBestHa}
		for _, f := range []struct {
			on  bool
			bit uint8
		}{{c.nonIndustrial, exNonIndustrial}, {c.unverified, exUnverified}, {c.isTown, exTown},
			{len(c.townPlots) == 0, exNoTownPlot}, {c.believed, exBelieved}, {c.committed, exCommitted},
			{SevesoRule(&c.Site, c.Commune.Population, c.SevesoKm) != "", exSeveso}} {
			if f.on {
				r.flags |= f.bit
			}
		}
		x.recs[i] = r
		for m := range TransportModes {
			x.nearKm[i*len(TransportModes)+m] = -1
			if c.Nearest[m].Index >= 0 {
				x.nearKm[i*len(TransportModes)+m] = c.Nearest[m].Km
			}
		}
	}
	return x
}

// exclQuery is a query's hard constraints over exclIndex's codes.
type exclQuery struct {
	kinds            uint32
	regs, deps       []bool // nil: no constraint
	land             int    // -1: no constraint
	maxKm            bool
	siteType, unverd bool // the rule applies (not included by the project)
	committed        bool
	seveso           bool
}

func (x *exclIndex) compile(q *query) *exclQuery {
	eq := &exclQuery{kinds: q.kindMask(), land: -1, siteType: !q.p.Constraints.IncludeNonIndustrial,
		unverd: !q.p.Constraints.IncludeUnverified, committed: !q.p.Constraints.IncludeCommitted, seveso: q.p.Seveso != ""}
	set := func(codes []string, m map[string]bool) []bool {
		if m == nil {
			return nil
		}
		ok := make([]bool, len(codes))
		for i, c := range codes {
			ok[i] = m[c]
		}
		return ok
	}
	eq.regs, eq.deps = set(x.regs, q.regions), set(x.deps, q.deps)
	if q.landmass != "" {
		eq.land = len(x.lands) // matches no candidate unless found
		if i := slices.Index(x.lands, q.landmass); i >= 0 {
			eq.land = i
		}
	}
	for _, m := range q.maxKm {
		eq.maxKm = eq.maxKm || m > 0
	}
	return eq
}

// excluded is query.excluded for candidate i.
func (x *exclIndex) excluded(q *query, eq *exclQuery, i int) string {
	r := &x.recs[i]
	switch {
	case eq.kinds&(1<<r.kind) == 0:
		return ExclKind
	case eq.regs != nil && !eq.regs[r.reg]:
		return ExclRegion
	case eq.deps != nil && !eq.deps[r.dep]:
		return ExclDepartement
	case eq.land >= 0 && int(r.land) != eq.land:
		return ExclLandmass
	case eq.siteType && r.flags&exNonIndustrial != 0:
		return ExclSiteType
	case eq.unverd && r.flags&exUnverified != 0:
		return ExclUnverified
	}
	cs := &q.p.Constraints
	if r.flags&exTown != 0 {
		if cs.RequireKnownArea && (r.flags&exNoTownPlot != 0 || r.townBestHa < q.landHa) {
			return ExclLand
		}
	} else if believed := r.flags&exBelieved != 0; (believed && q.landHa > 0 && r.believedHa < q.landHa) || (!believed && cs.RequireKnownArea) {
		return ExclLand
	}
	if eq.committed && r.flags&exCommitted != 0 {
		return ExclCommitted
	}
	if q.neededBy > 0 && r.availLo > 0 && int(r.availLo)*12 > q.neededBy {
		return ExclNeededBy
	}
	if eq.maxKm {
		near := x.nearKm[i*len(TransportModes):]
		for m, max := range q.maxKm {
			if max > 0 && (near[m] < 0 || near[m] > max) {
				return ExclMaxKm
			}
		}
	}
	if eq.seveso && r.flags&exSeveso != 0 {
		return ExclSeveso
	}
	return ""
}
