package matching

import (
	"cmp"
	"container/heap"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Limits of a match request.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
	// DefaultMaxPerCommune is how many results one commune may hold: a
	// shortlist of ten sites in one town tells a client nothing.
	DefaultMaxPerCommune = 2
)

// Exclusion reasons, in the order constraints are checked.
const (
	ExclKind        = "kind"
	ExclRegion      = "region"
	ExclDepartement = "departement"
	ExclLandmass    = "landmass"
	ExclSiteType    = "site_type"  // a brownfield whose former use cannot host a plant (land.go)
	ExclUnverified  = "unverified" // a BASIAS/BASOL record Cerema has not verified
	ExclCommitted   = "committed"  // a turnkey site committed to a named project (availability.go)
	ExclNeededBy    = "needed_by"  // available only after the project's needed_by
	ExclLand        = "land"
	ExclMaxKm       = "max_km"
	ExclVeto        = "veto"
	ExclSeveso      = "seveso" // the Seveso gate (seveso.go)
)

// ExclusionReasons lists the exclusion reasons in check order.
var ExclusionReasons = []string{ExclKind, ExclRegion, ExclDepartement, ExclLandmass, ExclSiteType, ExclUnverified, ExclLand,
	ExclCommitted, ExclNeededBy, ExclMaxKm, ExclSeveso, ExclVeto}

// Options tune a match.
type Options struct {
	Limit      int  // results to return, DefaultLimit when 0
	Robustness bool // perturb the weights and report rank stability
	Draws      int  // robustness draws, DefaultDraws when 0
	Seed       uint64
	// MaxPerCommune bounds the results per commune, DefaultMaxPerCommune
	// when 0; MaxLimit lifts the bound.
	MaxPerCommune int
}

// CriterionResult is one criterion's score for one site, with its share of
// the total and what explains it.
type CriterionResult struct {
	ID           string
	Score        float64 // 0-1
	Weight       float64 // normalised: the applicable weights sum to 1
	Contribution float64 // 100·Weight·Score
	Detail       Detail  // *SupplyChainDetail, *TransportDetail, …
	Explain      string  // one French sentence
}

// Ranked is one result of a match.
type Ranked struct {
	Rank       int
	Candidate  *Candidate
	Score      float64 // 0-100
	Criteria   []CriterionResult
	Robustness *Robustness
	// Twins are the other eligible candidates at exactly the same
	// coordinates (site ids, best first), merged into this result.
	Twins []string
	// Flags are the warnings on the site (availability.go).
	Flags []Flag
}

// Result is the outcome of a match.
type Result struct {
	DataVersion   string
	Project       Project // after profile defaults were applied
	Considered    int
	Eligible      int
	Excluded      map[string]int
	NotApplicable []string
	MaxPerCommune int // the bound applied
	// SevesoExcluded counts the Seveso gate's exclusions by rule
	// (SevesoRule), nil when the project declares no tier.
	SevesoExcluded map[string]int
	Results        []Ranked
}

// query is a resolved, validated project compiled for the scoring loop.
type query struct {
	ctx      context.Context // the caller's: the scoring loop stops when it ends
	p        Project         // resolved
	partners []partner
	band     supplyBand // the supply-chain decay
	// central says the supply chain scores by centrality; bestMeanKm is
	// then the least weighted mean partner distance over the eligible
	// candidates (compileCentrality), bestID the candidate that has it.
	central    bool
	bestMeanKm float64
	bestID     string
	importance []float64            // per mode, indexed like TransportModes
	modes      []modeTerm           // the modes of importance > 0
	modesDen   float64              // Σ of their importances
	weights    [maxCriteria]float64 // raw weight per criterion, 0 when not applicable
	app        [maxCriteria]bool    // criterion applies to the project
	active     []int                // indexes of the criteria that apply, in order
	jobs       int
	landHa     float64
	landFull   float64 // LandFullHa(landHa): the area that scores 1
	families   []int   // the requested trade families, indexes into data.TradeFamilies, once each
	need       float64 // LyceesNeeded(jobs)
	kinds      map[string]bool
	regions    map[string]bool
	deps       map[string]bool
	landmass   string    // the landmass of most of the partner weight, "" when none or allowed
	maxKm      []float64 // per mode, 0 when unconstrained
	veto       float64   // -1 when none
	eco        *ecoQuery // the ecosystem input, nil without a NAF code
	// landShare and landExpect are, per Engine.landDist, P(A ≥ landHa)
	// and the expected land score (land.go); nil without land_ha.
	landShare, landExpect []float64
	neededBy              int // year·12 + month−1 of needed_by, 0 when not given (availability.go)
}

// compile turns a validated, resolved project (Resolve) into a query.
func (e *Engine) compile(p Project) *query {
	q := &query{p: p, veto: -1}
	add := func(role string, ps []Partner) {
		for _, x := range ps {
			pt := partner{Name: x.Name, Role: role, Commune: x.Commune, Weight: 1}
			if x.Weight != nil {
				pt.Weight = *x.Weight
			}
			if x.Commune != "" {
				c, _ := e.cat.Commune(x.Commune)
				pt.Point = c.Point
			} else {
				pt.Point, pt.explicit = orb.Point{*x.Lon, *x.Lat}, true
			}
			pt.unit = geo.ToUnit(pt.Point)
			q.partners = append(q.partners, pt)
		}
	}
	add("supplier", p.Suppliers)
	add("customer", p.Customers)
	q.band = defaultBand
	if n, f := *p.Supply.NearKm, *p.Supply.FarKm; n != SupplyNearKm || f != SupplyFarKm {
		q.band = newSupplyBand(n, f)
	}
	if !p.Constraints.AllowOtherLandmass {
		q.landmass = e.partnerLandmass(q.partners)
	}
	q.importance = make([]float64, len(TransportModes))
	q.maxKm = make([]float64, len(TransportModes))
	for m, mode := range TransportModes {
		q.importance[m] = p.Transport[mode.ID]
		q.maxKm[m] = p.Constraints.MaxKm[mode.ID]
		if w := q.importance[m]; w > 0 {
			q.modes = append(q.modes, modeTerm{m: m, weight: w, near: mode.NearKm, far: mode.FarKm})
			q.modesDen += w
		}
	}
	if p.Jobs != nil {
		q.jobs = *p.Jobs
	}
	if p.LandHa != nil {
		q.landHa = *p.LandHa
		q.landFull = LandFullHa(q.landHa)
	}
	e.compileLand(q)
	q.neededBy = neededByMonth(p.NeededBy)
	for _, t := range dedup(p.Trades) {
		q.families = append(q.families, e.trade[t])
	}
	q.need = float64(LyceesNeeded(q.jobs))
	if p.NAF != "" {
		q.eco = e.compileEco(&p, &q.band)
	}
	for i := range criteria {
		if q.app[i] = criteria[i].appliesTo(&p); q.app[i] {
			q.weights[i] = p.Weights[criteria[i].id]
			q.active = append(q.active, i)
		}
	}
	set := func(xs []string) map[string]bool {
		if len(xs) == 0 {
			return nil
		}
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	q.kinds, q.regions, q.deps = set(p.Constraints.Kinds), set(p.Constraints.Regions), set(p.Constraints.Departements)
	if p.Constraints.VetoBelow != nil {
		q.veto = *p.Constraints.VetoBelow
	}
	if p.Supply.Mode == SupplyModeCentrality && len(q.partners) > 0 {
		e.compileCentrality(q)
	}
	return q
}

// partnerLandmass returns the landmass that holds more than half of the
// partners' weight, "" when none does. A partner placed at a commune is on
// its landmass, one at a point on that of the nearest commune within
// NodeLandmassKm (a point at sea is on none, and its weight counts towards
// no landmass).
func (e *Engine) partnerLandmass(ps []partner) string {
	weight := map[string]float64{}
	var sum float64
	for i := range ps {
		p := &ps[i]
		sum += p.Weight
		if c, ok := e.cat.Commune(p.Commune); ok {
			p.landmass = data.LandmassOf(c.Dep)
		} else {
			p.landmass = pointLandmass(e.cat, e.ix.all, p.Point)
		}
		if p.landmass != "" {
			weight[p.landmass] += p.Weight
		}
	}
	for lm, w := range weight {
		if w > sum/2 {
			return lm
		}
	}
	return ""
}

// appliesTo reports whether the resolved project gives the criterion its
// input.
func (c *criterion) appliesTo(p *Project) bool { return c.applies == nil || c.applies(p) }

// notApplicable lists the criteria the project gives no input to.
func (q *query) notApplicable() []string {
	var out []string
	for i := range criteria {
		if !q.app[i] {
			out = append(out, criteria[i].id)
		}
	}
	return out
}

// excluded returns the first hard constraint the candidate breaks, or "".
func (q *query) excluded(c *Candidate) string {
	s := &c.Site
	switch {
	case q.kinds != nil && !q.kinds[s.Kind]:
		return ExclKind
	case q.regions != nil && !q.regions[c.Commune.Reg]:
		return ExclRegion
	case q.deps != nil && !q.deps[c.Commune.Dep]:
		return ExclDepartement
	case q.landmass != "" && c.Landmass != q.landmass:
		return ExclLandmass
	}
	if r := q.landExcluded(c); r != "" {
		return r
	}
	if r := q.availabilityExcluded(c); r != "" {
		return r
	}
	for m, max := range q.maxKm {
		if max > 0 && (c.Nearest[m].Index < 0 || c.Nearest[m].Km > max) {
			return ExclMaxKm
		}
	}
	if q.p.Seveso != "" && SevesoRule(s, c.Commune.Population, c.SevesoKm) != "" {
		return ExclSeveso
	}
	return ""
}

// scoreVec holds a candidate's score per criterion, indexed like criteria;
// okVec says which criteria apply to it.
type (
	scoreVec [maxCriteria]float64
	okVec    [maxCriteria]bool
)

// scores computes the criterion scores of a candidate; ok[i] says whether
// criterion i applies to it (land does not apply to a town).
func (e *Engine) scores(q *query, c *Candidate) (s scoreVec, ok okVec) {
	for _, i := range q.active {
		cr := &criteria[i]
		if cr.forSite == nil || cr.forSite(c) {
			s[i], ok[i] = cr.score(e, q, c), true
		}
	}
	return s, ok
}

// total is 100·Σ W·s / Σ W over the criteria that apply.
func total(weights *[maxCriteria]float64, s *scoreVec, ok *okVec) float64 {
	var num, den float64
	for i := range criteria {
		if ok[i] {
			num += weights[i] * s[i]
			den += weights[i]
		}
	}
	if den == 0 {
		return 0
	}
	return 100 * num / den
}

// scored is a candidate that passed the constraints.
type scored struct {
	idx   int
	total float64
	s     scoreVec
	ok    okVec
}

// better orders results: higher score first, then site id.
func (e *Engine) better(a, b *scored) bool { return e.ahead(a.total, a.idx, b.total, b.idx) }

// ahead is better's order for candidates i and j of totals ti and tj.
func (e *Engine) ahead(ti float64, i int, tj float64, j int) bool {
	if ti != tj {
		return ti > tj
	}
	return e.cands[i].Site.ID < e.cands[j].Site.ID
}

// topK keeps the k best results in a min-heap (the worst kept on top).
type topK struct {
	e     *Engine
	items []scored
}

func (h *topK) Len() int           { return len(h.items) }
func (h *topK) Less(i, j int) bool { return h.e.better(&h.items[j], &h.items[i]) }
func (h *topK) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topK) Push(x any)         { h.items = append(h.items, x.(scored)) }
func (h *topK) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// offer keeps s if it is among the k best so far, and reports whether it
// did.
func (h *topK) offer(k int, s scored) bool {
	if len(h.items) < k {
		// heap.Push would box s in an interface, an allocation per
		// site; Fix at the new last place moves it up the same way.
		h.items = append(h.items, s)
		heap.Fix(h, len(h.items)-1)
		return true
	}
	if h.e.better(&s, &h.items[0]) {
		h.items[0] = s
		heap.Fix(h, 0)
		return true
	}
	return false
}

// Match validates a project, filters every candidate by the hard
// constraints, scores the rest and returns the best ones ranked, each with
// its criteria explained. An invalid project gives a *ValidationError.
func (e *Engine) Match(p Project, opt Options) (*Result, error) {
	return e.MatchContext(context.Background(), p, opt)
}

// MatchContext is Match stopping early, with ctx's error wrapped, when ctx
// ends: the scoring loop looks at it every checkEvery candidates and the
// robustness every draw. A request over the cost budget (Budget) gives a
// *ValidationError naming the field to reduce.
func (e *Engine) MatchContext(ctx context.Context, p Project, opt Options) (*Result, error) {
	return e.match(ctx, p, opt, true)
}

// match is MatchContext; prune says whether the ranking may skip the
// leaves that cannot reach the pool (prune.go) rather than score every
// candidate: both give the same result.
func (e *Engine) match(ctx context.Context, p Project, opt Options, prune bool) (*Result, error) {
	r := Resolve(p)
	if err := validate(p, &r, e.cat, "project"); err != nil {
		return nil, err
	}
	var ve ValidationError
	if opt.Limit < 0 || opt.Limit > MaxLimit {
		ve.Add("limit", "must be between 1 and %d", MaxLimit)
	}
	if opt.Draws < 0 || opt.Draws > MaxDraws {
		ve.Add("draws", "must be between 1 and %d", MaxDraws)
	}
	if opt.MaxPerCommune < 0 || opt.MaxPerCommune > MaxLimit {
		ve.Add("max_per_commune", "must be between 1 and %d", MaxLimit)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if err := e.checkBudget(&r, opt); err != nil {
		return nil, err
	}
	limit := cmp.Or(opt.Limit, DefaultLimit)
	q := e.compile(r)
	q.ctx = ctx
	res := &Result{DataVersion: e.cat.Version, Project: q.p, Considered: len(e.cands), Excluded: map[string]int{},
		NotApplicable: q.notApplicable()}
	for _, r := range ExclusionReasons {
		res.Excluded[r] = 0
	}

	res.MaxPerCommune = cmp.Or(opt.MaxPerCommune, DefaultMaxPerCommune)
	want := limit
	if opt.Robustness {
		want = robustPool(limit)
	}
	// The best eligible sites, sorted, from which the diverse results are
	// drawn: a margin first, every eligible site when the margin falls
	// short (results are then exactly those of the whole sorted list).
	var best []scored
	if prune {
		best = e.rankPruned(q, res, diversePool(want), want, res.MaxPerCommune)
	} else {
		best = e.rank(q, res, diversePool(want))
	}
	leads := e.diversify(q, best, res.MaxPerCommune, want)
	if len(leads) < want && len(best) < res.Eligible {
		best = e.rank(q, nil, res.Eligible)
		leads = e.diversify(q, best, res.MaxPerCommune, want)
	}
	best = leads
	if err := q.cancelled(); err != nil {
		return nil, err
	}
	var robust []Robustness
	if opt.Robustness {
		robust = e.robustness(q, best, limit, cmp.Or(opt.Draws, DefaultDraws), opt.Seed)
		if err := q.cancelled(); err != nil {
			return nil, err
		}
	}
	if len(best) > limit {
		best = best[:limit]
	}
	for r, b := range best {
		if err := q.cancelled(); err != nil {
			return nil, err
		}
		rk := Ranked{Rank: r + 1, Candidate: &e.cands[b.idx], Score: b.total, Criteria: e.explain(q, &e.cands[b.idx], &b),
			Twins: e.twinsOf(q, b.idx), Flags: e.flagsOf(q, &e.cands[b.idx])}
		if robust != nil {
			rk.Robustness = &robust[r]
		}
		res.Results = append(res.Results, rk)
	}
	return res, nil
}

// rank scores every candidate, counts the exclusions and the eligible
// into res (when not nil) and returns the best pool eligible sites, sorted.
func (e *Engine) rank(q *query, res *Result, pool int) []scored {
	h := &topK{e: e, items: make([]scored, 0, pool+1)}
	for i := range e.cands {
		if i%checkEvery == 0 && q.cancelled() != nil {
			return nil
		}
		c := &e.cands[i]
		if r := q.excluded(c); r != "" {
			if res != nil {
				res.Excluded[r]++
				if r == ExclSeveso {
					res.countSeveso(c)
				}
			}
			continue
		}
		s, ok := e.scores(q, c)
		if q.veto >= 0 && vetoed(&s, &ok, &q.weights, q.veto) {
			if res != nil {
				res.Excluded[ExclVeto]++
			}
			continue
		}
		if res != nil {
			res.Eligible++
		}
		h.offer(pool, scored{idx: i, total: total(&q.weights, &s, &ok), s: s, ok: ok})
	}
	sortScored(e, h.items)
	return h.items
}

// sortScored sorts scored candidates best first (score, then site id).
func sortScored(e *Engine, xs []scored) {
	slices.SortFunc(xs, func(a, b scored) int {
		if e.better(&a, &b) {
			return -1
		}
		if e.better(&b, &a) {
			return 1
		}
		return 0
	})
}

// vetoed reports whether an applicable, weighted criterion scores below the floor.
func vetoed(s *scoreVec, ok *okVec, w *[maxCriteria]float64, floor float64) bool {
	for i := range criteria {
		if ok[i] && w[i] > 0 && s[i] < floor {
			return true
		}
	}
	return false
}

// round1 rounds to one decimal, as reported distances are.
func round1(x float64) float64 { return math.Round(x*10) / 10 }
