package matching

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"

	"sitematch/data"
)

// Exclusion counts without a pass over every candidate (issue 12). A match
// reports how many candidates each hard constraint excluded, under the
// first one they break (query.excluded), and how many are eligible, even
// when the pruned ranking scores a tenth of them. At build the candidates'
// constraint inputs are kept as bitsets (a bit per candidate: one per kind,
// région, département, landmass and flag) and as lists sorted by the
// quantities a constraint compares (a brownfield's area, a handover year,
// the distance to each mode's nearest node); a query ORs the bitsets of
// each constraint into the set of the candidates it excludes, in
// query.excluded's order, and counts each reason's new members 64 at a
// time. The cost is the catalogue's size over 64 per constraint the
// project sets, plus the candidates a sorted list excludes.

// bitset holds a bit per candidate.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int)      { b[i>>6] |= 1 << (i & 63) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }
func (b bitset) unset(i int)    { b[i>>6] &^= 1 << (i & 63) }

// or sets in b the bits of c (of the same length).
func (b bitset) or(c bitset) {
	for w := range b {
		b[w] |= c[w]
	}
}

// count is the number of bits set.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// codeSet is a set of interned codes (régions, départements, landmasses),
// a bit each, what a node of the pruning tree holds: codes from 127 up
// share the last bit, so that a set may say a code is in it when it is
// not (a node is then visited for nothing), never the reverse.
type codeSet [2]uint64

func (s *codeSet) add(k int) {
	k = min(k, 127)
	s[k>>6] |= 1 << (k & 63)
}

// union is s ∪ t.
func (s codeSet) union(t codeSet) codeSet { return codeSet{s[0] | t[0], s[1] | t[1]} }

// meets reports whether s and t share a code.
func (s codeSet) meets(t codeSet) bool { return s[0]&t[0] != 0 || s[1]&t[1] != 0 }

// codes interns the values of one attribute (a candidate's région, …) and
// keeps, per value, the bitset of the candidates that have it.
type codes struct {
	ids  map[string]int
	sets []bitset
}

func (c *codes) intern(v string, i, n int) int {
	k, ok := c.ids[v]
	if !ok {
		if c.ids == nil {
			c.ids = map[string]int{}
		}
		k = len(c.sets)
		c.ids[v] = k
		c.sets = append(c.sets, newBitset(n))
	}
	c.sets[k].set(i)
	return k
}

// allowed is the codeSet of the values of set the catalogue has.
func (c *codes) allowed(set map[string]bool) codeSet {
	var out codeSet
	for v := range set {
		if k, ok := c.ids[v]; ok {
			out.add(k)
		}
	}
	return out
}

// notIn sets in f the candidates whose value is not in set.
func (c *codes) notIn(f bitset, set map[string]bool) {
	for v, k := range c.ids {
		if !set[v] {
			for w, x := range c.sets[k] {
				f[w] |= x
			}
		}
	}
}

// ranked is a list of candidates sorted by a value, ascending. A list
// read from below (below) keeps a bitset of each of its first k·stride
// candidates (prefix), one read from above (above) of its last ones
// (suffix): a query ORs the largest that fits and sets the few left one
// by one, so that its cost is bounded by the catalogue's size over 64
// plus stride, whatever the threshold. The stride is rankStride, or more
// for a list so long that rankBitsets would not cover it, so that the
// bitsets' memory stays rankBitsets catalogues' bits per end.
type ranked struct {
	idx            []int32
	val            []float64
	stride         int
	prefix, suffix []bitset
}

// rankStride is the least step between two of a ranked list's bitsets,
// rankBitsets the most bitsets a list keeps per end.
const (
	rankStride  = 1024
	rankBitsets = 32
)

// Which ends of a ranked list are read, for newRanked.
const (
	fromBelow = 1 << iota
	fromAbove
)

// newRanked sorts the candidates idx by val, with the bitsets (over n
// candidates) of the ends read.
func newRanked(n int, idx []int32, val func(int32) float64, ends int) ranked {
	type pair struct {
		v float64
		i int32
	}
	ps := make([]pair, len(idx))
	for k, i := range idx {
		ps[k] = pair{val(i), i}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Or(cmp.Compare(a.v, b.v), cmp.Compare(a.i, b.i)) })
	r := ranked{idx: idx, val: make([]float64, len(ps)), stride: max(rankStride, (len(idx)+rankBitsets-1)/rankBitsets)}
	for k, p := range ps {
		r.idx[k], r.val[k] = p.i, p.v
	}
	// grow adds to bs the bitset of the last one plus the candidates run.
	grow := func(bs []bitset, run []int32) []bitset {
		b := newBitset(n)
		if len(bs) > 0 {
			copy(b, bs[len(bs)-1])
		}
		for _, i := range run {
			b.set(int(i))
		}
		return append(bs, b)
	}
	for st, j := r.stride, 1; j*st <= len(idx); j++ {
		if ends&fromBelow != 0 {
			r.prefix = grow(r.prefix, r.idx[(j-1)*st:j*st])
		}
		if ends&fromAbove != 0 {
			r.suffix = grow(r.suffix, r.idx[len(idx)-j*st:len(idx)-(j-1)*st])
		}
	}
	return r
}

// below sets in f the candidates whose value is < x.
func (r *ranked) below(f bitset, x float64) {
	k, _ := slices.BinarySearch(r.val, x) // the first at or above x
	from := 0
	if j := min(k/r.stride, len(r.prefix)); j > 0 {
		f.or(r.prefix[j-1])
		from = j * r.stride
	}
	for _, i := range r.idx[from:k] {
		f.set(int(i))
	}
}

// above sets in f the candidates whose value is > x.
func (r *ranked) above(f bitset, x float64) {
	k := sort.Search(len(r.val), func(k int) bool { return r.val[k] > x }) // the first above x
	to := len(r.val)
	if j := min((to-k)/r.stride, len(r.suffix)); j > 0 {
		f.or(r.suffix[j-1])
		to -= j * r.stride
	}
	for _, i := range r.idx[k:to] {
		f.set(int(i))
	}
}

// exclIndex holds the candidates' hard-constraint inputs as bitsets and
// sorted lists. exclude must give every candidate the reason
// query.excluded gives (TestPackedExclusions).
type exclIndex struct {
	n                 int
	kinds             []bitset // per data.Kinds entry, then any other kind
	regs, deps, lands codes
	// the candidates with each flag
	nonIndustrial, unverified, committed, seveso bitset
	unknownArea                                  bitset   // not a town, no believed area
	noTownPlot                                   bitset   // towns without a known plot
	believedHa                                   ranked   // not towns, believed area
	townBestHa                                   ranked   // towns with a plot, best plot
	availLo                                      ranked   // earliest handover year, when stated
	missing                                      []bitset // per mode: no node
	nearKm                                       []ranked // per mode: the nearest node's km
}

// buildExcl indexes the candidates' hard-constraint inputs.
func (e *Engine) buildExcl() *exclIndex {
	n := len(e.cands)
	x := &exclIndex{n: n, kinds: make([]bitset, len(data.Kinds)+1), nonIndustrial: newBitset(n), unverified: newBitset(n),
		committed: newBitset(n), seveso: newBitset(n), unknownArea: newBitset(n), noTownPlot: newBitset(n),
		missing: make([]bitset, len(TransportModes)), nearKm: make([]ranked, len(TransportModes))}
	for k := range x.kinds {
		x.kinds[k] = newBitset(n)
	}
	var believed, towns, avail []int32
	near := make([][]int32, len(TransportModes))
	for m := range x.missing {
		x.missing[m] = newBitset(n)
	}
	for i := range e.cands {
		c := &e.cands[i]
		x.kinds[kindIndex(c.Site.Kind)].set(i)
		x.regs.intern(c.Commune.Reg, i, n)
		x.deps.intern(c.Commune.Dep, i, n)
		x.lands.intern(c.Landmass, i, n)
		for _, f := range []struct {
			on  bool
			set bitset
		}{{c.nonIndustrial, x.nonIndustrial}, {c.unverified, x.unverified}, {c.committed, x.committed},
			{SevesoRule(&c.Site, c.Commune.Population, c.SevesoKm) != "", x.seveso},
			{!c.isTown && !c.believed, x.unknownArea}, {c.isTown && len(c.townPlots) == 0, x.noTownPlot}} {
			if f.on {
				f.set.set(i)
			}
		}
		switch {
		case c.isTown && len(c.townPlots) > 0:
			towns = append(towns, int32(i))
		case !c.isTown && c.believed:
			believed = append(believed, int32(i))
		}
		if c.availLo > 0 {
			avail = append(avail, int32(i))
		}
		for m, r := range c.Nearest {
			if r.Index < 0 {
				x.missing[m].set(i)
			} else {
				near[m] = append(near[m], int32(i))
			}
		}
	}
	x.believedHa = newRanked(n, believed, func(i int32) float64 { return e.cands[i].believedHa }, fromBelow)
	x.townBestHa = newRanked(n, towns, func(i int32) float64 { return e.cands[i].townBestHa }, fromBelow)
	x.availLo = newRanked(n, avail, func(i int32) float64 { return float64(e.cands[i].availLo) }, fromAbove)
	for m := range near {
		x.nearKm[m] = newRanked(n, near[m], func(i int32) float64 { return e.cands[i].Nearest[m].Km }, fromAbove)
	}
	return x
}

// kindIndex is a kind's index in data.Kinds, len(data.Kinds) for another.
func kindIndex(kind string) int {
	if i := slices.Index(data.Kinds, kind); i >= 0 {
		return i
	}
	return len(data.Kinds)
}

// exclusions is what a query's hard constraints do to the catalogue.
type exclusions struct {
	out    bitset         // the candidates some constraint excludes
	counts map[string]int // by first reason
	seveso map[string]int // the Seveso gate's exclusions by rule, nil without project.seveso
	n      int            // candidates
}

// exclude computes which candidates the query's hard constraints exclude
// and how many under each first reason, as query.excluded would one by
// one.
func (e *Engine) exclude(q *query) *exclusions {
	x := e.prune.ex
	out, f := newBitset(x.n), newBitset(x.n)
	ex := &exclusions{out: out, counts: make(map[string]int, len(ExclusionReasons)), n: x.n}
	// step ORs into f the candidates the constraint excludes (fill sets
	// them, or says there are none), then counts those not yet excluded.
	step := func(reason string, fill func(f bitset) bool) {
		clear(f)
		if !fill(f) {
			return
		}
		n := 0
		for w := range out {
			nw := f[w] &^ out[w]
			n += bits.OnesCount64(nw)
			if reason == ExclSeveso {
				for nw != 0 {
					i := w<<6 + bits.TrailingZeros64(nw)
					nw &= nw - 1
					if ex.seveso == nil {
						ex.seveso = map[string]int{}
					}
					c := &e.cands[i]
					ex.seveso[SevesoRule(&c.Site, c.Commune.Population, c.SevesoKm)]++
				}
			}
			out[w] |= f[w]
		}
		ex.counts[reason] += n
	}
	cs := &q.p.Constraints
	step(ExclKind, func(f bitset) bool {
		if q.kinds == nil {
			return false
		}
		for k, s := range x.kinds {
			if k == len(data.Kinds) || !q.kinds[data.Kinds[k]] {
				f.or(s)
			}
		}
		return true
	})
	step(ExclRegion, func(f bitset) bool {
		if q.regions == nil {
			return false
		}
		x.regs.notIn(f, q.regions)
		return true
	})
	step(ExclDepartement, func(f bitset) bool {
		if q.deps == nil {
			return false
		}
		x.deps.notIn(f, q.deps)
		return true
	})
	step(ExclLandmass, func(f bitset) bool {
		if q.landmass == "" {
			return false
		}
		x.lands.notIn(f, map[string]bool{q.landmass: true})
		return true
	})
	step(ExclSiteType, func(f bitset) bool {
		if cs.IncludeNonIndustrial {
			return false
		}
		f.or(x.nonIndustrial)
		return true
	})
	step(ExclUnverified, func(f bitset) bool {
		if cs.IncludeUnverified {
			return false
		}
		f.or(x.unverified)
		return true
	})
	step(ExclLand, func(f bitset) bool {
		if cs.RequireKnownArea {
			f.or(x.noTownPlot)
			f.or(x.unknownArea)
			x.townBestHa.below(f, q.landHa)
		}
		if q.landHa > 0 {
			x.believedHa.below(f, q.landHa)
		}
		return cs.RequireKnownArea || q.landHa > 0
	})
	step(ExclCommitted, func(f bitset) bool {
		if cs.IncludeCommitted {
			return false
		}
		f.or(x.committed)
		return true
	})
	step(ExclNeededBy, func(f bitset) bool {
		if q.neededBy <= 0 {
			return false
		}
		// availLo·12 > neededBy ⇔ availLo > neededBy/12 (integers).
		x.availLo.above(f, float64(q.neededBy/12))
		return true
	})
	step(ExclMaxKm, func(f bitset) bool {
		any := false
		for m, max := range q.maxKm {
			if max > 0 {
				any = true
				f.or(x.missing[m])
				x.nearKm[m].above(f, max)
			}
		}
		return any
	})
	step(ExclSeveso, func(f bitset) bool {
		if q.p.Seveso == "" {
			return false
		}
		f.or(x.seveso)
		return true
	})
	return ex
}

// eligible is how many candidates no constraint excludes.
func (ex *exclusions) eligible() int { return ex.n - ex.out.count() }

// record adds the counts to res.
func (ex *exclusions) record(res *Result) {
	for r, n := range ex.counts {
		res.Excluded[r] += n
	}
	for r, n := range ex.seveso {
		if res.SevesoExcluded == nil {
			res.SevesoExcluded = map[string]int{}
		}
		res.SevesoExcluded[r] += n
	}
	res.Eligible += ex.eligible()
}
