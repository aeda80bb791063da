package matching

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Ecosystem is the criterion of a project that gives its NAF code: how much
// of what its industry buys is produced near the site (docs/DESIGN.md,
// "Scoring model").
const Ecosystem = "ecosystem"

// Ecosystem model constants.
const (
	// EcoReferenceQuantile: a site is fully supplied in a branch when its
	// distance-weighted count of the branch's IREP establishments reaches
	// that of the candidate site at this quantile of the catalogue's sites
	// counting establishments, for the project's decay (at least one
	// establishment). With Urssaf jobs the reference is that count times
	// the branch's salaried jobs per IREP establishment in the départements
	// the jobs layer covers.
	EcoReferenceQuantile = 0.9
	// ecoCacheBands bounds the presence tables an engine keeps: above
	// len(EcoBands()), so that none of the fixed bands is ever evicted.
	ecoCacheBands = 12
	// EcoNearest is how many nearest supplier establishments the detail
	// lists; EcoTopBranches how many supplier branches.
	EcoNearest     = 5
	EcoTopBranches = 5
)

// Ecosystem data sources, EcosystemDetail.Source.
const (
	EcoSourceEstablishments = "establishments" // IREP large establishments
	EcoSourceJobs           = "jobs"           // Urssaf salaried jobs by commune × APE
)

// nafPattern is a NAF rév. 2 code at the division level or finer: "30",
// "30.3", "30.30", "30.30Z" (the dot may be left out).
var nafPattern = regexp.MustCompile(`^(\d{2})(?:\.?(\d)(?:(\d)([A-Z])?)?)?$`)

// NormalizeNAF checks a NAF rév. 2 code (division or finer) against the
// input-output table's bridge and returns it in the "30.30Z" form with its
// A38 branch.
func NormalizeNAF(code string, io *data.IOTable) (naf, branch string, err error) {
	m := nafPattern.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(code)))
	if m == nil {
		return "", "", fmt.Errorf("must be a NAF rév. 2 code, division or finer (e.g. 30 or 30.30Z), got %q", code)
	}
	br, ok := io.BranchOfNAF(m[1])
	if !ok {
		return "", "", fmt.Errorf("unknown NAF division %q", m[1])
	}
	naf = m[1]
	if m[2] != "" {
		naf += "." + m[2] + m[3] + m[4]
	}
	return naf, br, nil
}

// observableBranch reports whether the establishment layers see a
// supplier branch: the IREP register holds industry, energy, water and
// waste (NAF sections B to E), not services, trade or construction.
func observableBranch(code string) bool {
	return code == "BZ" || code == "DZ" || code == "EZ" || (len(code) == 2 && code[0] == 'C')
}

// ecoSupplier is one supplier branch of a project's branch.
type ecoSupplier struct {
	branch string
	share  float64 // in the buyer's intermediate consumption
	own    bool    // the buyer's own branch: counted at the project's NAF group (or division)
	col    int     // the branch's presence column; unused for the own branch
}

// ecoQuery is the ecosystem input of a query: the project's branch and
// the supplier branches the layers observe.
type ecoQuery struct {
	naf, division, branch string
	own                   string // the own branch's key: "g:303" or "d:30" (ownKey)
	suppliers             []ecoSupplier
	observed, total       float64    // Σ shares observed; Σ all shares
	band                  supplyBand // the ecosystem band: EcoBand of the project's supply decay
	table                 *ecoTable
	ownCol                *ecoColumn
}

// EcoBand returns the decay (near, far) the ecosystem criterion uses for a
// project's supply-chain decay: the nearest, by |Δnear| + |Δfar| (ties:
// the first), of the fixed set of the sector profiles' decays and the
// default one (EcoBands). A project that overrides supply_chain.near_km
// or far_km therefore reuses one of at most len(EcoBands) presence
// tables instead of creating one per decay: the criterion's cost is
// bounded by that set, whatever the requests.
func EcoBand(near, far float64) (float64, float64) {
	best, bestD := EcoBands()[0], math.Inf(1)
	for _, b := range EcoBands() {
		if d := math.Abs(b[0]-near) + math.Abs(b[1]-far); d < bestD {
			best, bestD = b, d
		}
	}
	return best[0], best[1]
}

// EcoBands is the fixed set of decays the ecosystem criterion computes
// presence for: the default supply decay, then each profile's, without
// repeats.
func EcoBands() [][2]float64 {
	out := [][2]float64{{SupplyNearKm, SupplyFarKm}}
	for _, p := range Profiles {
		if b := [2]float64{p.SupplyNearKm, p.SupplyFarKm}; !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// ecoIndex holds the establishment layers for the criterion: per record
// its A38 branch's presence column, and the records of each NAF division
// and group (for a project's own branch).
type ecoIndex struct {
	branchCol  map[string]int // A38 code → presence column
	facilities landIndex
	facCol     []int
	facLand    []string
	facUnit    []geo.Unit
	facCovered []bool     // the establishment lies in a département the jobs layer covers
	jobs       *unitIndex // communes with Urssaf jobs
	jobRows    [][]int    // per commune of the jobs index: indexes into Catalogue.Jobs
	jobCol     []int      // per Catalogue.Jobs row
	jobUnit    []geo.Unit
	byKey      map[string][]int // "d:30", "g:303" → facilities
	jobsByKey  map[string][]int // → Catalogue.Jobs rows
	covered    map[string]bool  // départements of the jobs layer
	// Salaried jobs per IREP establishment in the covered départements,
	// per branch column and per division or group key, and over all
	// branches: they convert jobs into establishment equivalents.
	jobsPerEst    []float64
	jobsPerEstKey map[string]float64
	jobsPerEstAll float64

	mu     sync.Mutex
	tables map[[2]float64]*ecoTable // per decay (near, far), for the engine's candidates
	order  [][2]float64
}

func newEcoIndex(cat *data.Catalogue, landOf func(string, orb.Point) string) *ecoIndex {
	x := &ecoIndex{branchCol: map[string]int{}, byKey: map[string][]int{}, jobsByKey: map[string][]int{},
		covered: map[string]bool{}, tables: map[[2]float64]*ecoTable{}}
	for i, b := range cat.IO.Branches {
		x.branchCol[b.Code] = i
	}
	x.facilities = newLandIndex(cat.Facilities, func(f data.Facility) orb.Point { return f.Point },
		func(f data.Facility) string { return landOf(f.Commune, f.Point) })
	for i, f := range cat.Facilities {
		x.facCol = append(x.facCol, x.branchCol[f.Branch])
		x.facLand = append(x.facLand, landOf(f.Commune, f.Point))
		x.facUnit = append(x.facUnit, geo.ToUnit(f.Point))
		x.facCovered = append(x.facCovered, false)
		for _, k := range []string{"d:" + f.NAF[:2], groupKey(f.NAF)} {
			x.byKey[k] = append(x.byKey[k], i)
		}
	}
	at := map[string]int{}
	var pts []orb.Point
	for i, j := range cat.Jobs {
		cm, _ := cat.Commune(j.Commune)
		x.jobCol = append(x.jobCol, x.branchCol[j.Branch])
		x.jobUnit = append(x.jobUnit, geo.ToUnit(cm.Point))
		for _, k := range []string{"d:" + j.APE[:2], groupKey(j.APE)} {
			x.jobsByKey[k] = append(x.jobsByKey[k], i)
		}
		k, ok := at[j.Commune]
		if !ok {
			k = len(pts)
			at[j.Commune] = k
			pts = append(pts, cm.Point)
			x.jobRows = append(x.jobRows, nil)
			x.covered[cm.Dep] = true
		}
		x.jobRows[k] = append(x.jobRows[k], i)
	}
	x.jobs = newUnitIndex(pts, func(p orb.Point) orb.Point { return p })
	for i, f := range cat.Facilities {
		cm, _ := cat.Commune(f.Commune)
		x.facCovered[i] = x.covered[cm.Dep]
	}
	x.ratios(cat)
	return x
}

// ratios computes the jobs per IREP establishment of the covered
// départements, by branch and by key; a branch or key without an IREP
// establishment there takes the ratio over all branches.
func (x *ecoIndex) ratios(cat *data.Catalogue) {
	jobs, est := make([]float64, len(x.branchCol)), make([]float64, len(x.branchCol))
	jobsKey, estKey := map[string]float64{}, map[string]float64{}
	var allJobs, allEst float64
	for _, j := range cat.Jobs {
		jobs[x.branchCol[j.Branch]] += float64(j.Jobs)
		allJobs += float64(j.Jobs)
		for _, k := range []string{"d:" + j.APE[:2], groupKey(j.APE)} {
			jobsKey[k] += float64(j.Jobs)
		}
	}
	for _, f := range cat.Facilities {
		if cm, ok := cat.Commune(f.Commune); !ok || !x.covered[cm.Dep] {
			continue
		}
		est[x.branchCol[f.Branch]]++
		allEst++
		for _, k := range []string{"d:" + f.NAF[:2], groupKey(f.NAF)} {
			estKey[k]++
		}
	}
	x.jobsPerEstAll = allJobs / max(1, allEst)
	ratio := func(j, e float64) float64 {
		if e == 0 {
			return x.jobsPerEstAll
		}
		return j / e
	}
	x.jobsPerEst = make([]float64, len(x.branchCol))
	for k := range jobs {
		x.jobsPerEst[k] = ratio(jobs[k], est[k])
	}
	x.jobsPerEstKey = map[string]float64{}
	for k, j := range jobsKey {
		x.jobsPerEstKey[k] = ratio(j, estKey[k])
	}
}

// jobsRatio is the jobs per establishment of a division or group key.
func (x *ecoIndex) jobsRatio(key string) float64 {
	if r, ok := x.jobsPerEstKey[key]; ok {
		return r
	}
	return x.jobsPerEstAll
}

// compileEco builds the ecosystem input of a project with a NAF code.
func (e *Engine) compileEco(p *Project, b *supplyBand) *ecoQuery {
	naf, branch, err := NormalizeNAF(p.NAF, &e.cat.IO)
	if err != nil {
		return nil
	}
	near, far := EcoBand(b.near, b.far)
	q := &ecoQuery{naf: naf, division: naf[:2], branch: branch, own: ownKey(naf), band: newSupplyBand(near, far)}
	for _, c := range e.cat.IO.Suppliers(branch) {
		q.total += c.Share
		if !observableBranch(c.Supplier) || c.Share <= 0 {
			continue
		}
		q.suppliers = append(q.suppliers, ecoSupplier{branch: c.Supplier, share: c.Share, own: c.Supplier == branch,
			col: e.eco.branchCol[c.Supplier]})
		q.observed += c.Share
	}
	q.table = e.ecoTableFor(&q.band)
	q.ownCol = e.ecoColumnFor(q.table, q.own)
	return q
}

// ecoTable is the presence of every A38 branch around the candidates of
// an engine for one decay, each candidate's row computed the first time it
// is read, and the reference presence per branch and source (0:
// establishments, 1: jobs); own holds the columns of NAF divisions and
// groups, computed when a project first asks for one.
type ecoTable struct {
	e    *Engine
	band supplyBand
	nb   int
	pres []float64   // candidate i, branch column k at i*nb+k, once rowOnce[i] has run
	once []sync.Once // per candidate
	jobs []bool      // the candidate counts Urssaf jobs
	refs [2][]float64
	own  map[string]*ecoColumn
}

// row returns the branch presences around candidate i.
func (t *ecoTable) row(i int) []float64 {
	t.once[i].Do(func() {
		r, _ := t.e.ecoPresence(&t.band, &t.e.cands[i], nil)
		copy(t.pres[i*t.nb:(i+1)*t.nb], r)
	})
	return t.pres[i*t.nb : (i+1)*t.nb]
}

// ecoColumn is the presence of one NAF division or group around the
// candidates, computed per candidate the first time it is read, with its
// references.
type ecoColumn struct {
	t    *ecoTable
	key  string
	pres []float64
	once []sync.Once
	refs [2]float64
}

func (c *ecoColumn) at(i int) float64 {
	c.once[i].Do(func() {
		c.pres[i] = c.t.e.ownPresence(&c.t.band, &c.t.e.cands[i], c.key, c.t.jobs[i], nil)
	})
	return c.pres[i]
}

// EcoReferenceSample: the references are computed over every
// EcoReferenceSample-th candidate (in catalogue order) counting
// establishments, a systematic sample that keeps the first request for a
// band to a tenth of a full pass.
const EcoReferenceSample = 10

// sample returns the candidate indexes the references are computed over.
func (t *ecoTable) sample() []int {
	var out []int
	for i := 0; i < len(t.jobs); i += EcoReferenceSample {
		if !t.jobs[i] {
			out = append(out, i)
		}
	}
	return out
}

// quantileRef returns the EcoReferenceQuantile of the values (at least 1).
func quantileRef(vals []float64) float64 {
	if len(vals) == 0 {
		return 1
	}
	slices.Sort(vals)
	return max(1, vals[int(EcoReferenceQuantile*float64(len(vals)-1))])
}

// parallel calls fn for every index of idx, on every CPU.
func parallel(idx []int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(idx); k += workers {
				fn(idx[k])
			}
		}()
	}
	wg.Wait()
}

// ecoTableFor returns the engine's presence table for a decay, with its
// references (computed over the sample the first time); the engine keeps
// the last ecoCacheBands decays. The references for jobs are those for
// establishments times the jobs per establishment of the covered
// départements (jobsPerEst), so that a score from jobs reads on the same
// scale as one from establishments.
func (e *Engine) ecoTableFor(b *supplyBand) *ecoTable {
	x := e.eco
	key := [2]float64{b.near, b.far}
	x.mu.Lock()
	defer x.mu.Unlock()
	if t, ok := x.tables[key]; ok {
		return t
	}
	n := len(x.branchCol)
	t := &ecoTable{e: e, band: *b, nb: n, pres: make([]float64, n*len(e.cands)), once: make([]sync.Once, len(e.cands)),
		jobs: make([]bool, len(e.cands)), own: map[string]*ecoColumn{}}
	for i := range e.cands {
		t.jobs[i] = x.covered[e.cands[i].Commune.Dep]
	}
	sample := t.sample()
	parallel(sample, func(i int) { t.row(i) })
	t.refs[0], t.refs[1] = make([]float64, n), make([]float64, n)
	for k := range n {
		vals := make([]float64, len(sample))
		for j, i := range sample {
			vals[j] = t.pres[i*n+k]
		}
		t.refs[0][k] = quantileRef(vals)
		t.refs[1][k] = max(1, t.refs[0][k]*x.jobsPerEst[k])
	}
	if len(x.order) == ecoCacheBands {
		delete(x.tables, x.order[0])
		x.order = x.order[1:]
	}
	x.tables[key] = t
	x.order = append(x.order, key)
	return t
}

// ecoColumnFor returns the presence column of a NAF division or group in
// a table, with its references computed over the sample the first time.
func (e *Engine) ecoColumnFor(t *ecoTable, key string) *ecoColumn {
	e.eco.mu.Lock()
	defer e.eco.mu.Unlock()
	if c, ok := t.own[key]; ok {
		return c
	}
	col := &ecoColumn{t: t, key: key, pres: make([]float64, len(e.cands)), once: make([]sync.Once, len(e.cands))}
	sample := t.sample()
	parallel(sample, func(i int) { col.at(i) })
	vals := make([]float64, len(sample))
	for j, i := range sample {
		vals[j] = col.pres[i]
	}
	col.refs[0] = quantileRef(vals)
	col.refs[1] = max(1, col.refs[0]*e.eco.jobsRatio(key))
	t.own[key] = col
	return col
}

// ecoPresence returns the distance-weighted presence of every A38 branch
// around the candidate, and the source it counted: salaried jobs when the
// Urssaf layer covers the site's département (the jobs of the covered
// départements, and beyond them the IREP establishments converted at the
// branch's jobs per establishment, jobsPerEst), else IREP establishments.
// visit, when not nil, is called with every establishment counted.
func (e *Engine) ecoPresence(b *supplyBand, c *Candidate, visit func(i int, km float64)) ([]float64, string) {
	x := e.eco
	pres := make([]float64, len(x.branchCol))
	p := c.Site.Point
	if x.covered[c.Commune.Dep] {
		x.jobs.within(p, c.unit, b.far, func(k int, c2 float64) {
			w := decayC2(b, c2)
			for _, r := range x.jobRows[k] {
				pres[x.jobCol[r]] += w * float64(e.cat.Jobs[r].Jobs)
			}
		})
		x.facilities[c.Landmass].within(p, c.unit, b.far, func(i int, c2 float64) {
			if !x.facCovered[i] {
				pres[x.facCol[i]] += decayC2(b, c2) * x.jobsPerEst[x.facCol[i]]
			}
		})
		return pres, EcoSourceJobs
	}
	x.facilities[c.Landmass].within(p, c.unit, b.far, func(i int, c2 float64) {
		w := decayC2(b, c2)
		pres[x.facCol[i]] += w
		if visit != nil && w > 0 {
			visit(i, arcKm(c2))
		}
	})
	return pres, EcoSourceEstablishments
}

// ownPresence is the distance-weighted presence of one NAF division or
// group (key) around the candidate: when jobs, its salaried jobs in the
// covered départements and its IREP establishments beyond them, converted
// at the key's jobs per establishment; else its IREP establishments on the
// candidate's landmass. visit, when not nil, is called with every
// establishment counted.
func (e *Engine) ownPresence(b *supplyBand, c *Candidate, key string, jobs bool, visit func(i int, km float64)) float64 {
	x := e.eco
	sum := 0.0
	if jobs {
		for _, r := range x.jobsByKey[key] {
			if c2 := chord2(c.unit, x.jobUnit[r]); c2 < b.farC2 {
				sum += decayC2(b, c2) * float64(e.cat.Jobs[r].Jobs)
			}
		}
	}
	ratio := 1.0
	if jobs {
		ratio = x.jobsRatio(key)
	}
	for _, i := range x.byKey[key] {
		if x.facLand[i] != c.Landmass || (jobs && x.facCovered[i]) {
			continue
		}
		if c2 := chord2(c.unit, x.facUnit[i]); c2 < b.farC2 {
			w := decayC2(b, c2)
			sum += w * ratio
			if visit != nil && w > 0 {
				visit(i, arcKm(c2))
			}
		}
	}
	return sum
}

func decayC2(b *supplyBand, c2 float64) float64 {
	switch {
	case c2 <= b.nearC2:
		return 1
	case c2 >= b.farC2:
		return 0
	}
	return geo.Decay(b.arcKm(c2), b.near, b.far)
}

// EcosystemScore is Σ_b s_b·min(1, P_b/R_b) / Σ_b s_b over the observed
// supplier branches b: s_b the share of b in the project branch's
// intermediate consumption, P_b the presence, R_b the reference.
func EcosystemScore(shares, presence, reference []float64) float64 {
	var num, den float64
	for i, s := range shares {
		den += s
		num += s * min(1, presence[i]/reference[i])
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// terms returns, per supplier, its share, presence and reference, given
// the branch presences and the own column's presence at a candidate.
func (q *ecoQuery) terms(branch func(col int) float64, own float64, jobs bool) (shares, pres, refs []float64) {
	m := 0
	if jobs {
		m = 1
	}
	for _, s := range q.suppliers {
		shares = append(shares, s.share)
		if s.own {
			pres, refs = append(pres, own), append(refs, q.ownCol.refs[m])
			continue
		}
		pres, refs = append(pres, branch(s.col)), append(refs, q.table.refs[m][s.col])
	}
	return shares, pres, refs
}

func (e *Engine) ecosystemScore(q *query, c *Candidate) float64 {
	t := q.eco.table
	if i, ok := e.byID[c.Site.ID]; ok && &e.cands[i] == c {
		row := t.row(i)
		return EcosystemScore(q.eco.terms(func(k int) float64 { return row[k] }, q.eco.ownCol.at(i), t.jobs[i]))
	}
	row, src := e.ecoPresence(&q.eco.band, c, nil)
	jobs := src == EcoSourceJobs
	return EcosystemScore(q.eco.terms(func(k int) float64 { return row[k] }, e.ownPresence(&q.eco.band, c, q.eco.own, jobs, nil), jobs))
}

// EcoBranch is one supplier branch of an ecosystem detail.
type EcoBranch struct {
	Branch    string
	Label     string  // French
	Share     float64 // in the project branch's intermediate consumption
	Presence  float64 // distance-weighted establishments or jobs
	Reference float64
	Score     float64 // min(1, Presence/Reference)
	OwnBranch bool    // counted at the project's NAF division only
}

// EcoEstablishment is an IREP establishment of a supplier branch near the site.
type EcoEstablishment struct {
	ID, Name, NAF, Activity, Branch, Commune string
	Km                                       float64
}

// EcosystemDetail is the numbers behind the ecosystem score.
type EcosystemDetail struct {
	NAF, Branch, BranchLabel string
	Source                   string   // EcoSourceEstablishments or EcoSourceJobs
	Covered                  []string // départements of the Urssaf jobs layer, with Source jobs
	ObservedShare            float64  // share of the branch's intermediate consumption the layer can see (sections B-E)
	NearKm, FarKm            float64
	Branches                 []EcoBranch // the top supplier branches by contribution
	Nearest                  []EcoEstablishment
}

// Criterion returns the criterion a detail belongs to.
func (*EcosystemDetail) Criterion() string { return Ecosystem }

func (e *Engine) explainEcosystem(q *query, c *Candidate) (Detail, string) {
	eq := q.eco
	type near struct {
		i  int
		km float64
	}
	var nearest []near
	visit := func(i int, km float64) { nearest = append(nearest, near{i, km}) }
	counted := map[string]bool{}
	for _, s := range eq.suppliers {
		counted[s.branch] = !s.own
	}
	row, src := e.ecoPresence(&eq.band, c, func(i int, km float64) {
		if counted[e.cat.Facilities[i].Branch] {
			visit(i, km)
		}
	})
	jobs := src == EcoSourceJobs
	own := 0.0
	if slices.ContainsFunc(eq.suppliers, func(s ecoSupplier) bool { return s.own }) {
		own = e.ownPresence(&eq.band, c, eq.own, jobs, func(i int, km float64) {
			if !jobs {
				visit(i, km)
			}
		})
	}
	_, pres, refs := eq.terms(func(k int) float64 { return row[k] }, own, jobs)
	br, _ := e.cat.IO.Branch(eq.branch)
	d := &EcosystemDetail{NAF: eq.naf, Branch: eq.branch, BranchLabel: br.Label, Source: src, NearKm: eq.band.near, FarKm: eq.band.far}
	if jobs {
		d.Covered = e.cat.JobsCoverage()
	}
	if eq.total > 0 {
		d.ObservedShare = round3(eq.observed / eq.total)
	}
	all := make([]EcoBranch, len(eq.suppliers))
	for i, s := range eq.suppliers {
		all[i] = EcoBranch{Branch: s.branch, Label: data.A38Labels[s.branch], Share: round3(s.share), Presence: round1(pres[i]),
			Reference: round1(refs[i]), Score: round3(min(1, pres[i]/refs[i])), OwnBranch: s.own}
	}
	slices.SortStableFunc(all, func(a, b EcoBranch) int {
		ca, cb := a.Share*a.Score, b.Share*b.Score
		switch {
		case ca > cb:
			return -1
		case ca < cb:
			return 1
		}
		return strings.Compare(a.Branch, b.Branch)
	})
	for _, b := range all {
		if len(d.Branches) == EcoTopBranches || b.Score == 0 {
			break
		}
		d.Branches = append(d.Branches, b)
	}
	slices.SortFunc(nearest, func(a, b near) int {
		if a.km != b.km {
			if a.km < b.km {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	for _, n := range nearest[:min(EcoNearest, len(nearest))] {
		f := &e.cat.Facilities[n.i]
		d.Nearest = append(d.Nearest, EcoEstablishment{ID: f.ID, Name: f.Name, NAF: f.NAF, Activity: f.Activity, Branch: f.Branch,
			Commune: f.Commune, Km: round1(n.km)})
	}
	text := ecosystemFR(d, e.ecosystemScore(q, c))
	if eq.band.near != q.band.near || eq.band.far != q.band.far {
		text += fmt.Sprintf(" Distances de l'écosystème : bande précalculée la plus proche (%s–%s km) de celle de la chaîne d'approvisionnement du projet (%s–%s km).",
			fmtFR(eq.band.near), fmtFR(eq.band.far), fmtFR(q.band.near), fmtFR(q.band.far))
	}
	return d, text
}

func ecosystemFR(d *EcosystemDetail, score float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Pour la branche %s (%s, NAF %s), %.0f %% de ses achats de produits industriels, d'énergie et de traitement des déchets "+
		"(%.0f %% de ses consommations intermédiaires, TES INSEE 2018) sont produits à proximité",
		d.Branch, d.BranchLabel, d.NAF, 100*score, 100*d.ObservedShare)
	if len(d.Branches) == 0 {
		b.WriteString(" : aucune branche fournisseuse trouvée dans le rayon")
	} else {
		b.WriteString(" ; branches fournisseuses trouvées : ")
		for i, br := range d.Branches {
			if i > 0 {
				b.WriteString(", ")
			}
			unit := "établissements pondérés"
			if d.Source == EcoSourceJobs {
				unit = "emplois salariés pondérés"
			}
			fmt.Fprintf(&b, "%s %s (%.0f %% des achats, %s %s)", br.Branch, shortLabel(br.Label), 100*br.Share, fmtFR(br.Presence), unit)
		}
	}
	fmt.Fprintf(&b, ", jusqu'à %s km (pleinement jusqu'à %s km)", fmtFR(d.FarKm), fmtFR(d.NearKm))
	if len(d.Nearest) > 0 {
		fmt.Fprintf(&b, " ; le plus proche : %s (%s, %s km)", d.Nearest[0].Name, d.Nearest[0].NAF, fmtFR(d.Nearest[0].Km))
	}
	b.WriteString(". ")
	if d.Source == EcoSourceJobs {
		b.WriteString("Source : effectifs salariés Urssaf par commune × APE (dernière année du fichier) dans les départements que couvre le " +
			"fichier importé (" + strings.Join(d.Covered, ", ") + ") ; au-delà, grands établissements du registre IREP (vers 2015) comptés " +
			"chacun pour les effectifs moyens d'un établissement IREP de sa branche dans ces départements ; la branche propre du projet est " +
			"comptée à son groupe NAF.")
	} else {
		b.WriteString("Source : registre IREP des émissions polluantes (vers 2015) : grands établissements émetteurs seulement, métropole " +
			"seulement, sans les PME ni les services ; la branche propre du projet est comptée à son groupe NAF.")
	}
	return b.String()
}

// shortLabel cuts a branch label at its first comma or semicolon.
func shortLabel(s string) string {
	if i := strings.IndexAny(s, ",;"); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func fmtFR(x float64) string {
	if x >= 10 || x == math.Trunc(x) {
		return numFR(x, 0)
	}
	return numFR(x, 1)
}

// groupKey is the presence column of a NAF code's group (three digits):
// "3030Z" and "30.30Z" → "g:303".
func groupKey(naf string) string {
	digits := strings.ReplaceAll(naf, ".", "")
	if len(digits) < 3 {
		return "d:" + digits
	}
	return "g:" + digits[:3]
}

// ownKey is the key the project's own branch is counted at: its NAF
// group when the code gives one (30.30Z: aircraft and spacecraft, not the
// rest of CL), else its division. An A38 branch groups industries that buy
// little from each other (cars and aircraft are both CL), so the table's
// self-supply is read as purchases from the same trade.
func ownKey(naf string) string {
	if len(strings.ReplaceAll(naf, ".", "")) >= 3 {
		return groupKey(naf)
	}
	return "d:" + naf[:2]
}
