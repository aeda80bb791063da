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
	// EcoPlantQuantile: a site is fully supplied in a branch when its
	// presence of the branch reaches this quantile of the presences around
	// the sector's existing plants (the IREP establishments of the
	// project's NAF group): as well supplied as the industry's typical
	// plant. EcoMinPlants is the fewest plants that define it.
	EcoPlantQuantile = 0.5
	EcoMinPlants     = 5
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
	own    bool    // the buyer's own branch: counted at the project's NAF group (or division), as a cluster
	col    int     // the presence column: the branch's, or the own key's
	bcol   int     // the branch's column (for the own branch it bounds its key's, ecosystemBound)
	band   int     // the band its presence is read in: the project's, or EcoClusterBand for the own branch
	ref    [2]float64
}

// ecoQuery is the ecosystem input of a query: the project's branch, the
// supplier branches the layers observe, the band and the references.
type ecoQuery struct {
	naf, division, branch string
	own                   string // the own branch's key: "g:303" or "d:30" (ownKey)
	suppliers             []ecoSupplier
	observed, total       float64    // Σ shares observed; Σ all shares
	band                  supplyBand // the ecosystem band: EcoBand of the project's supply decay
	bandIdx, clusterIdx   int        // the indexes in EcoBands of band and of EcoClusterBand
	// plants are the IREP establishments the references are read at (the
	// project's NAF group, else division, else branch, when they number
	// EcoMinPlants), plantsKey what they are ("g:303", "d:30", "CL"), ""
	// when too few: the references are then the candidates' quantile.
	plants    []int
	plantsKey string
	// ownMult bounds the own key's presence by its branch's, per source:
	// 1 for establishments (a subset), the ratio of the key's jobs per
	// establishment to the branch's for jobs, when above 1.
	ownMult [2]float64
}

// compileEco builds the ecosystem input of a project with a NAF code and
// its references: per supplier branch, the EcoPlantQuantile of its
// presence around the sector's existing plants (the IREP establishments
// of the project's NAF group, else division, else branch), so that a
// site scores 1 when it has as much of the branch nearby as the
// industry's typical plant; with fewer than EcoMinPlants plants, the
// EcoReferenceQuantile over the candidates. The cost is O(plants ×
// suppliers), at most that of one pass over the candidates.
func (e *Engine) compileEco(p *Project, b *supplyBand) *ecoQuery {
	naf, branch, err := NormalizeNAF(p.NAF, &e.cat.IO)
	if err != nil {
		return nil
	}
	x := e.eco
	near, far := EcoBand(b.near, b.far)
	q := &ecoQuery{naf: naf, division: naf[:2], branch: branch, own: ownKey(naf), band: newSupplyBand(near, far),
		bandIdx: slices.Index(x.bands, [2]float64{near, far}), clusterIdx: slices.Index(x.bands, EcoClusterBand),
		ownMult: [2]float64{1, 1}}
	for _, k := range []string{q.own, "d:" + q.division, "b:" + branch} {
		if len(x.byKey[k]) >= EcoMinPlants {
			q.plants, q.plantsKey = x.byKey[k], strings.TrimPrefix(k, "b:")
			break
		}
	}
	for _, c := range e.cat.IO.Suppliers(branch) {
		q.total += c.Share
		if !observableBranch(c.Supplier) || c.Share <= 0 {
			continue
		}
		s := ecoSupplier{branch: c.Supplier, share: c.Share, own: c.Supplier == branch, col: x.obsCol[c.Supplier],
			bcol: x.obsCol[c.Supplier], band: q.bandIdx}
		ratio := x.jobsPerEst[x.branchCol[c.Supplier]]
		if s.own {
			s.band, s.col, ratio = q.clusterIdx, -1, x.jobsRatio(q.own)
			if col, ok := x.keyCol[q.own]; ok {
				s.col = col
			}
			if bj := x.jobsPerEst[x.branchCol[branch]]; bj > 0 {
				q.ownMult[1] = max(1, ratio/bj)
			}
		}
		r := e.ecoReference(q, &s)
		s.ref = [2]float64{r, max(1, r*ratio)}
		q.suppliers = append(q.suppliers, s)
		q.observed += c.Share
	}
	return q
}

// ecoReference is a supplier's reference for establishments: the
// EcoPlantQuantile (at least 1) of its presence around the query's
// plants, else the candidates' EcoReferenceQuantile.
func (e *Engine) ecoReference(q *ecoQuery, s *ecoSupplier) float64 {
	if s.col < 0 {
		return 1
	}
	if q.plants == nil {
		return e.ecoQuantile(s.band, s.col)
	}
	g := e.eco.grids[s.band]
	vals := make([]float32, 0, len(q.plants))
	for _, i := range q.plants {
		if row := g.rowAt(e.cat.Facilities[i].Point, e.eco.facLand[i]); row != nil {
			vals = append(vals, row[s.col])
		}
	}
	if len(vals) == 0 {
		return 1
	}
	return max(1, float64(quantileSelect(vals, int(EcoPlantQuantile*float64(len(vals)-1)))))
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
// repeats, and EcoClusterBand.
func EcoBands() [][2]float64 {
	out := [][2]float64{{SupplyNearKm, SupplyFarKm}}
	for _, p := range Profiles {
		if b := [2]float64{p.SupplyNearKm, p.SupplyFarKm}; !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	if !slices.Contains(out, EcoClusterBand) {
		out = append(out, EcoClusterBand)
	}
	return out
}

// EcoClusterBand is the decay the project's own industry is counted in:
// full up to 15 km, none beyond 90 km (an hour's drive). At A38 the own
// branch's share is what the branch buys from itself; for a NAF group
// those are the parts, sub-assemblies and subcontracting of the same
// trade, which the industry's clusters (Aerospace Valley, the Arve
// valley's bar-turning) supply, and a cluster is a local thing: its
// shared skills and subcontractors are within commuting distance.
var EcoClusterBand = [2]float64{15, 90}

// ecoIndex holds the establishment layers for the criterion: the presence
// columns (the observable A38 branches, then the NAF divisions and groups
// of those branches, for a project's own branch), the Urssaf coverage and
// conversion ratios, the per-band presence grids (ecogrid.go), and the
// establishments themselves for the detail's nearest list.
type ecoIndex struct {
	branchCol map[string]int // A38 code → index into jobsPerEst (every branch)
	obsCol    map[string]int // observable A38 code → presence column
	keyCol    map[string]int // "d:30", "g:303" → presence column
	ncol      int
	bands     [][2]float64 // EcoBands
	grids     []*ecoBandGrid

	facilities landIndex
	facLand    []string
	facUnit    []geo.Unit
	byKey      map[string][]int // "d:30", "g:303", "b:CL" → facilities
	covered    map[string]bool  // départements of the jobs layer
	// Salaried jobs per IREP establishment in the covered départements,
	// per branch (branchCol) and per division or group key, and over all
	// branches: they convert establishments into jobs beyond the covered
	// départements.
	jobsPerEst    []float64
	jobsPerEstKey map[string]float64
	jobsPerEstAll float64
	// derived: the branch and division columns of the establishments
	// source are sums of group columns: (group, branch, division)
	// columns, in the order the groups were first met.
	derived [][3]int
}

// sumOf records that group g adds to the columns of its branch and
// division, once.
func (x *ecoIndex) sumOf(g string, branchCol, divCol int) {
	gc := x.keyCol[g]
	if !slices.ContainsFunc(x.derived, func(d [3]int) bool { return d[0] == gc }) {
		x.derived = append(x.derived, [3]int{gc, branchCol, divCol})
	}
}

// newEcoIndex indexes the establishment and jobs layers and computes the
// presence rows of the candidates' cells for every band.
func newEcoIndex(cat *data.Catalogue, landOf func(string, orb.Point) string, cands []Candidate) *ecoIndex {
	x := &ecoIndex{branchCol: map[string]int{}, obsCol: map[string]int{}, keyCol: map[string]int{}, byKey: map[string][]int{},
		covered: map[string]bool{}, bands: EcoBands()}
	for i, b := range cat.IO.Branches {
		x.branchCol[b.Code] = i
		if observableBranch(b.Code) {
			x.obsCol[b.Code] = x.ncol
			x.ncol++
		}
	}
	keyOf := func(naf string) (string, string) { return "d:" + naf[:2], groupKey(naf) }
	addKey := func(k string) {
		if _, ok := x.keyCol[k]; !ok {
			x.keyCol[k] = x.ncol
			x.ncol++
		}
	}
	x.facilities = newLandIndex(cat.Facilities, func(f data.Facility) orb.Point { return f.Point },
		func(f data.Facility) string { return landOf(f.Commune, f.Point) })
	for i, f := range cat.Facilities {
		x.facLand = append(x.facLand, landOf(f.Commune, f.Point))
		x.facUnit = append(x.facUnit, geo.ToUnit(f.Point))
		d, g := keyOf(f.NAF)
		for _, k := range []string{d, g, "b:" + f.Branch} {
			x.byKey[k] = append(x.byKey[k], i)
		}
		if observableBranch(f.Branch) {
			addKey(d)
			addKey(g)
		}
	}
	for _, j := range cat.Jobs {
		if cm, ok := cat.Commune(j.Commune); ok {
			x.covered[cm.Dep] = true
		}
		if observableBranch(j.Branch) {
			d, g := keyOf(j.APE)
			addKey(d)
			addKey(g)
		}
	}
	x.ratios(cat)

	// The two sources' points: IREP establishments (1 each); Urssaf jobs
	// at their commune, and beyond the covered départements the IREP
	// establishments at their branch's and key's jobs per establishment.
	var est, jobs, plants []ecoPoint
	for i, f := range cat.Facilities {
		if x.facLand[i] != "" {
			plants = append(plants, ecoPoint{p: f.Point, land: x.facLand[i]})
		}
	}
	for i, f := range cat.Facilities {
		col, ok := x.obsCol[f.Branch]
		if !ok || x.facLand[i] == "" {
			continue
		}
		d, g := keyOf(f.NAF)
		// Only the group: its branch and division are sums of groups
		// (ecoBandGrid.derive), a third of the work.
		est = append(est, ecoPoint{p: f.Point, land: x.facLand[i], entries: []ecoEntry{{int32(x.keyCol[g]), 1}}})
		x.sumOf(g, col, x.keyCol[d])
		if cm, _ := cat.Commune(f.Commune); !x.covered[cm.Dep] {
			jobs = append(jobs, ecoPoint{p: f.Point, land: x.facLand[i], entries: []ecoEntry{
				{int32(col), x.jobsPerEst[x.branchCol[f.Branch]]}, {int32(x.keyCol[d]), x.jobsRatio(d)}, {int32(x.keyCol[g]), x.jobsRatio(g)}}})
		}
	}
	for _, j := range cat.Jobs {
		col, ok := x.obsCol[j.Branch]
		cm, found := cat.Commune(j.Commune)
		if !ok || !found {
			continue
		}
		d, g := keyOf(j.APE)
		w := float64(j.Jobs)
		jobs = append(jobs, ecoPoint{p: cm.Point, land: data.LandmassOf(cm.Dep), entries: []ecoEntry{
			{int32(col), w}, {int32(x.keyCol[d]), w}, {int32(x.keyCol[g]), w}}})
	}
	for _, b := range x.bands {
		g := &ecoBandGrid{band: newSupplyBand(b[0], b[1]), side: (b[1] - b[0]) / EcoGridDivisions, ncol: x.ncol, keep: len(x.obsCol),
			derived: x.derived}
		if b == EcoClusterBand {
			g.keep = x.ncol
		}
		g.est, g.jobs = aggregate(est, g.side), aggregate(jobs, g.side)
		g.buildRows(cands, func(c *Candidate) bool { return x.covered[c.Commune.Dep] }, plants)
		x.grids = append(x.grids, g)
	}
	return x
}

// rowsOf returns a candidate's presence rows, one per band.
func (x *ecoIndex) rowsOf(c *Candidate) [][]float32 {
	out := make([][]float32, len(x.grids))
	covered := x.covered[c.Commune.Dep]
	for b, g := range x.grids {
		out[b] = g.rowOf(c, covered)
	}
	return out
}

// ratios computes the jobs per IREP establishment of the covered
// départements, by branch and by key; a branch or key without an IREP
// establishment or a job there takes the ratio over all branches.
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
		if e == 0 || j == 0 { // no establishment or no job to compare: the ratio over all branches
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

// ecoRefs are an engine's references: per band, per source (0:
// establishments, 1: jobs), per observable branch column.
type ecoRefs [][2][]float64

// buildEcoRefs computes the references over the engine's candidates: per
// band and observable branch, the EcoReferenceQuantile of the candidates
// counting establishments (at least 1); for jobs, that times the branch's
// jobs per establishment of the covered départements, so that a score
// from jobs reads on the same scale.
func (e *Engine) buildEcoRefs() {
	x := e.eco
	nobs := len(x.obsCol)
	refs := make(ecoRefs, len(x.grids))
	for b := range refs {
		refs[b] = [2][]float64{make([]float64, nobs), make([]float64, nobs)}
	}
	branchOf := make([]string, nobs)
	for code, k := range x.obsCol {
		branchOf[k] = code
	}
	bands := make([]int, len(x.grids))
	for b := range bands {
		bands[b] = b
	}
	parallel(bands, func(b int) {
		// One pass over the candidates per band gathers every column.
		vals := make([][]float32, nobs)
		for k := range vals {
			vals[k] = make([]float32, 0, len(e.cands))
		}
		for i := range e.cands {
			c := &e.cands[i]
			if x.covered[c.Commune.Dep] {
				continue
			}
			for k, v := range c.ecoRows[b][:nobs] {
				vals[k] = append(vals[k], v)
			}
		}
		for k := range nobs {
			r := quantileOf(vals[k])
			refs[b][0][k] = r
			refs[b][1][k] = max(1, r*x.jobsPerEst[x.branchCol[branchOf[k]]])
		}
	})
	e.ecoRefs = refs
}

// ecoQuantile is the EcoReferenceQuantile (at least 1) of column col in
// band b over the candidates counting establishments.
func (e *Engine) ecoQuantile(b, col int) float64 {
	vals := make([]float32, 0, len(e.cands))
	for i := range e.cands {
		c := &e.cands[i]
		if !e.eco.covered[c.Commune.Dep] {
			vals = append(vals, c.ecoRows[b][col])
		}
	}
	return quantileOf(vals)
}

// quantileOf is the EcoReferenceQuantile of vals (at least 1), as
// quantileRef, reordering vals.
func quantileOf(vals []float32) float64 {
	if len(vals) == 0 {
		return 1
	}
	return max(1, float64(quantileSelect(vals, int(EcoReferenceQuantile*float64(len(vals)-1)))))
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

// ownNearest calls visit with every IREP establishment of a NAF division
// or group (key) on the candidate's landmass within the band.
func (e *Engine) ownNearest(b *supplyBand, c *Candidate, key string, visit func(i int, km float64)) {
	x := e.eco
	for _, i := range x.byKey[key] {
		if x.facLand[i] != c.Landmass {
			continue
		}
		if c2 := chord2(c.unit, x.facUnit[i]); c2 < b.farC2 {
			visit(i, arcKm(c2))
		}
	}
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

// ecoRows returns a candidate's presence rows (per band) and whether it
// counts Urssaf jobs.
func (e *Engine) ecoRows(c *Candidate) ([][]float32, bool) {
	covered := e.eco.covered[c.Commune.Dep]
	if c.ecoRows != nil {
		return c.ecoRows, covered
	}
	return e.eco.rowsOf(c), covered
}

// presence is a supplier's presence in a candidate's rows (0 for an own
// key no establishment has).
func (s *ecoSupplier) presence(rows [][]float32) float64 {
	if s.col < 0 {
		return 0
	}
	return float64(rows[s.band][s.col])
}

// terms returns, per supplier, its share, presence and reference.
func (q *ecoQuery) terms(rows [][]float32, jobs bool) (shares, pres, refs []float64) {
	m := 0
	if jobs {
		m = 1
	}
	for i := range q.suppliers {
		s := &q.suppliers[i]
		shares = append(shares, s.share)
		pres, refs = append(pres, s.presence(rows)), append(refs, s.ref[m])
	}
	return shares, pres, refs
}

// ecosystemScore is EcosystemScore of the candidate's rows, without
// allocating.
func (e *Engine) ecosystemScore(q *query, c *Candidate) float64 {
	eq := q.eco
	rows, jobs := e.ecoRows(c)
	m := 0
	if jobs {
		m = 1
	}
	var num, den float64
	for i := range eq.suppliers {
		s := &eq.suppliers[i]
		den += s.share
		num += s.share * min(1, s.presence(rows)/s.ref[m])
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// ecoLeaf summarises a prune-tree node's candidates for the ecosystem
// bound: per source (0: establishments, 1: jobs), the max over the
// members of each observable branch's presence, at band·branches+column.
type ecoLeaf struct {
	max [2][]float32
}

// ecoSummarise is the ecoLeaf of candidates members.
func (e *Engine) ecoSummarise(members []int32) ecoLeaf {
	x := e.eco
	nobs := len(x.obsCol)
	var l ecoLeaf
	for m := range l.max {
		l.max[m] = make([]float32, len(x.grids)*nobs)
	}
	for _, i := range members {
		c := &e.cands[i]
		m := 0
		if x.covered[c.Commune.Dep] {
			m = 1
		}
		out := l.max[m]
		for b, row := range c.ecoRows {
			for k, v := range row[:nobs] {
				out[b*nobs+k] = max(out[b*nobs+k], v)
			}
		}
	}
	return l
}

// mergeEcoLeaves is the ecoLeaf of two nodes' members.
func mergeEcoLeaves(a, b *ecoLeaf) ecoLeaf {
	var n ecoLeaf
	for m := range n.max {
		n.max[m] = make([]float32, len(a.max[m]))
		for k := range n.max[m] {
			n.max[m][k] = max(a.max[m][k], b.max[m][k])
		}
	}
	return n
}

// ecosystemBound bounds the ecosystem score over a node: each supplier at
// the node's max presence of its branch, per source (an own key's
// establishments are a subset of its branch's, its jobs at most ownMult
// times them), so Σ s_b·min(1, maxP_b/R_b) / Σ s_b is at least every
// member's score.
func ecosystemBound(e *Engine, q *query, l *leaf) float64 {
	eq := q.eco
	nobs := len(e.eco.obsCol)
	var num, den float64
	for i := range eq.suppliers {
		s := &eq.suppliers[i]
		best := 0.0
		for m := range 2 {
			p := float64(l.eco.max[m][s.band*nobs+s.bcol])
			if s.own {
				p *= eq.ownMult[m] * (1 + 1e-6) // float32 sums of a subset may round above the whole's
			}
			best = max(best, min(1, p/s.ref[m]))
		}
		den += s.share
		num += s.share * best
	}
	if den == 0 {
		return 0
	}
	return num / den
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
	// The own branch is counted at Cluster (its NAF group "g:303" or
	// division "d:30") within ClusterNearKm–ClusterFarKm (EcoClusterBand).
	Cluster                     string
	ClusterNearKm, ClusterFarKm float64
	// The references are read around ReferencePlants IREP establishments
	// of ReferenceBasis (the NAF group, division or A38 branch); with
	// none, over the candidate sites (ReferencePlants 0).
	ReferenceBasis  string
	ReferencePlants int
	Branches        []EcoBranch        // the top supplier branches by contribution
	Nearest         []EcoEstablishment // the nearest IREP establishments of the Branches listed
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
	rows, jobs := e.ecoRows(c)
	cluster := newSupplyBand(EcoClusterBand[0], EcoClusterBand[1])
	src := EcoSourceEstablishments
	if jobs {
		src = EcoSourceJobs
	}
	_, pres, refs := eq.terms(rows, jobs)
	br, _ := e.cat.IO.Branch(eq.branch)
	d := &EcosystemDetail{NAF: eq.naf, Branch: eq.branch, BranchLabel: br.Label, Source: src, NearKm: eq.band.near, FarKm: eq.band.far,
		Cluster: eq.own, ClusterNearKm: cluster.near, ClusterFarKm: cluster.far, ReferenceBasis: eq.plantsKey, ReferencePlants: len(eq.plants)}
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
	if !jobs {
		// The nearest establishments of the branches listed, from IREP
		// (with jobs, the counts are by commune, not by establishment); the
		// own branch's are its NAF group's, within the cluster band.
		listed, own := map[string]bool{}, false
		for _, b := range d.Branches {
			listed[b.Branch] = !b.OwnBranch
			own = own || b.OwnBranch
		}
		e.eco.facilities[c.Landmass].within(c.Site.Point, c.unit, eq.band.far, func(i int, c2 float64) {
			if listed[e.cat.Facilities[i].Branch] {
				visit(i, arcKm(c2))
			}
		})
		if own {
			e.ownNearest(&cluster, c, eq.own, visit)
		}
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
	fmt.Fprintf(&b, "La filière elle-même (%s) est comptée comme pôle, jusqu'à %s km (pleinement jusqu'à %s km). ",
		keyFR(d.Cluster), fmtFR(d.ClusterFarKm), fmtFR(d.ClusterNearKm))
	if d.ReferencePlants > 0 {
		of := "du "
		if !strings.Contains(d.ReferenceBasis, ":") {
			of = "de la "
		}
		fmt.Fprintf(&b, "Une branche compte pleinement quand le site en a autant à proximité que l'usine type de la filière "+
			"(médiane autour des %d établissements IREP %s%s). ", d.ReferencePlants, of, keyFR(d.ReferenceBasis))
	} else {
		b.WriteString("Une branche compte pleinement quand le site en a autant à proximité que le dixième des sites candidats les mieux dotés " +
			"(trop peu d'établissements IREP de la filière pour prendre l'usine type comme référence). ")
	}
	if d.Source == EcoSourceJobs {
		b.WriteString("Source : effectifs salariés Urssaf par commune × APE (dernière année du fichier) dans les départements que couvre le " +
			"fichier importé (" + strings.Join(d.Covered, ", ") + ") ; au-delà, grands établissements du registre IREP (vers 2015) comptés " +
			"chacun pour les effectifs moyens d'un établissement IREP de sa branche dans ces départements.")
	} else {
		b.WriteString("Source : registre IREP des émissions polluantes (vers 2015) : grands établissements émetteurs seulement, métropole " +
			"seulement, sans les PME ni les services.")
	}
	return b.String()
}

// keyFR names a cluster or reference key in French: "g:303" → "groupe
// NAF 30.3", "d:30" → "division NAF 30", "CL" → "branche CL".
func keyFR(k string) string {
	switch {
	case strings.HasPrefix(k, "g:") && len(k) == 5:
		return "groupe NAF " + k[2:4] + "." + k[4:]
	case strings.HasPrefix(k, "d:"):
		return "division NAF " + k[2:]
	}
	return "branche " + k
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
