package matching

import (
	"math"
	"slices"

	"sitematch/data"
	"sitematch/geo"
)

// Pruned exact top-k (DESIGN.md, "Scale"). At build the candidates are laid
// out in Morton (Z-order) order of their coordinates and cut into leaves of
// leafSize; each leaf keeps what bounds its members' scores from above for
// any project: a ball holding their unit vectors (the supply chain: every
// partner is at least its distance to the ball away, and the decay never
// rises with distance), and, per criterion, the maxima of the features the
// score is monotone in (or the score itself for a criterion that reads the
// candidate alone). A match bounds every leaf's total, visits the leaves
// best bound first and stops once the next bound is below the worst of the
// pool it keeps: no unvisited candidate can enter the pool, so the pool,
// and hence every result, is that of the full pass.

// leafSize is how many candidates a leaf holds.
const leafSize = 64

// boundSlack is added to every criterion bound: the bounds are computed
// with the scores' own float operations, which round monotonically, and
// the slack absorbs any last-ulp difference between two formulas.
const boundSlack = 1e-12

// leaf summarises the candidates order[lo:hi] of a pruneIndex.
type leaf struct {
	lo, hi int32
	// center and radius: every member's unit vector is within radius
	// (a chord) of center, which need not be a unit vector.
	center geo.Unit
	radius float64
	shaped bool // a member has an outline: its distances are to the outline
	// Constraint summaries, to skip a leaf every member of which a hard
	// constraint excludes: kinds (bit per data.Kinds), and the distinct
	// landmasses, regions and départements.
	kinds              uint32
	lands, regs, deps  []string
	siteMasks          []uint32 // distinct forSite masks (bit i: criterion i applies to the member)
	nearestKm          []float64
	pool, minCompeting float64   // labour: max pool, min competing hires
	lyceeWeight        float64   // training: max
	tradeWeight        []float64 // training: max per family
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
}

// pruneIndex is the leaves over an engine's candidates.
type pruneIndex struct {
	order  []int32 // candidate indexes, leaf after leaf
	leaves []leaf
}

// morton interleaves the bits of a point's lon/lat quantised to 2²⁰.
func morton(lon, lat float64) uint64 {
	q := func(x, lo, span float64) uint64 {
		v := (x - lo) / span * (1 << 20)
		return uint64(math.Max(0, math.Min(v, 1<<20-1)))
	}
	x, y := q(lon, -180, 360), q(lat, -90, 180)
	var z uint64
	for b := range 20 {
		z |= (x>>b&1)<<(2*b) | (y>>b&1)<<(2*b+1)
	}
	return z
}

// buildPrune lays the candidates out in leaves and summarises each.
func (e *Engine) buildPrune() {
	n := len(e.cands)
	keys := make([]uint64, n)
	order := make([]int32, n)
	for i := range e.cands {
		p := e.cands[i].Site.Point
		keys[i], order[i] = morton(p[0], p[1]), int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if keys[a] != keys[b] {
			if keys[a] < keys[b] {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	px := &pruneIndex{order: order}
	for lo := 0; lo < n; lo += leafSize {
		px.leaves = append(px.leaves, e.summariseLeaf(order, lo, min(lo+leafSize, n)))
	}
	e.prune = px
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
	l := leaf{lo: int32(lo), hi: int32(hi), minCompeting: math.Inf(1),
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
		l.pool, l.minCompeting = math.Max(l.pool, c.labourPool), math.Min(l.minCompeting, c.labourCompeting)
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

// labourBound: the score rises with the pool and falls with the competing
// hires.
func labourBound(_ *Engine, q *query, l *leaf) float64 {
	return labourScoreOf(labourRatio(l.pool, l.minCompeting, q.jobs))
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
// clamp(area/(2·need)) of the largest (a town's plot factor is at most
// 1); an unknown area its distribution's expected score, or 0.5.
func landBound(_ *Engine, q *query, l *leaf) float64 {
	b := clamp01(l.maxArea / (2 * q.landHa))
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

// leafRef is a leaf and its bound, in the visiting heap.
type leafRef struct {
	bound float64
	leaf  int32
}

// rankPruned returns what rank(q, res, pool) returns, visiting the leaves
// best bound first and scoring none of a leaf whose bound is below the
// worst of a full pool. Every candidate is still checked against the hard
// constraints, so that res counts the exclusions and the eligible as the
// full pass does; a project with a veto takes the full pass, since
// counting the vetoed needs every score.
func (e *Engine) rankPruned(q *query, res *Result, pool int) []scored {
	px := e.prune
	if px == nil || q.veto >= 0 {
		return e.rank(q, res, pool)
	}
	kinds := q.kindMask()
	refs := make([]leafRef, 0, len(px.leaves))
	for i := range px.leaves {
		if l := &px.leaves[i]; !q.leafExcluded(kinds, l) {
			refs = append(refs, leafRef{bound: e.leafBound(q, l), leaf: int32(i)})
		}
	}
	slices.SortFunc(refs, func(a, b leafRef) int {
		switch {
		case a.bound > b.bound:
			return -1
		case a.bound < b.bound:
			return 1
		}
		return int(a.leaf - b.leaf)
	})
	visited := make([]bool, len(px.leaves))
	h := &topK{e: e, items: make([]scored, 0, pool+1)}
	seen := 0
	for _, r := range refs {
		if len(h.items) == pool && r.bound < h.items[0].total {
			break
		}
		visited[r.leaf] = true
		l := &px.leaves[r.leaf]
		for _, i := range px.order[l.lo:l.hi] {
			if seen++; seen%checkEvery == 0 && q.cancelled() != nil {
				return nil
			}
			c := &e.cands[i]
			if r := q.excluded(c); r != "" {
				res.exclude(r, c)
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
		for li := range px.leaves {
			if visited[li] {
				continue
			}
			l := &px.leaves[li]
			for _, i := range px.order[l.lo:l.hi] {
				if seen++; seen%(16*checkEvery) == 0 && q.cancelled() != nil {
					return nil
				}
				c := &e.cands[i]
				if r := q.excluded(c); r != "" {
					res.exclude(r, c)
				} else {
					res.Eligible++
				}
			}
		}
	}
	sortScored(e, h.items)
	return h.items
}

// exclude counts a candidate a hard constraint excluded, when r is not nil.
func (r *Result) exclude(reason string, c *Candidate) {
	if r == nil {
		return
	}
	r.Excluded[reason]++
	if reason == ExclSeveso {
		r.countSeveso(c)
	}
}
