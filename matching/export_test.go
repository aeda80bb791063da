package matching

// Test hooks for the external tests (package matching_test), in the
// export_test.go idiom: the engine built once per test binary, a logged
// seed, and the criterion scores of candidates as the ranking pass computes
// them.

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"

	"sitematch/data"
)

var (
	sharedOnce sync.Once
	sharedEng  *Engine
	sharedErr  error
)

// SharedEngine returns an engine over the embedded catalogue, built once
// per test binary (loading and precomputing take about half a second).
func SharedEngine(tb testing.TB) *Engine {
	tb.Helper()
	sharedOnce.Do(func() {
		cat, err := data.LoadEmbedded()
		if err != nil {
			sharedErr = err
			return
		}
		sharedEng, sharedErr = NewEngine(cat)
	})
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return sharedEng
}

// RandSeed returns the seed of a randomised test: $SEED when set, else a
// fixed default, logged so that a failure can be replayed.
func RandSeed(tb testing.TB) uint64 {
	tb.Helper()
	seed := uint64(20240416)
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			tb.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	tb.Logf("SEED=%d", seed)
	return seed
}

// CandidateScores is what the ranking pass computes for one candidate.
type CandidateScores struct {
	Candidate *Candidate
	// Excluded is the first hard constraint, the veto aside, that the
	// candidate breaks; "" if none.
	Excluded string
	// Scores holds the criteria that apply to the candidate.
	Scores map[string]float64
	Total  float64
	// TownPlot is, for a town, the id of the plot that gives it its land
	// score ("" for another site or a town without one).
	TownPlot string
}

func (e *Engine) candidateScores(q *query, c *Candidate) CandidateScores {
	s, ok := e.scores(q, c)
	cs := CandidateScores{Candidate: c, Excluded: q.excluded(c), Scores: map[string]float64{}, Total: total(&q.weights, &s, &ok)}
	if p := e.townLandPlot(q, c); p >= 0 {
		cs.TownPlot = e.cands[p].Site.ID
	}
	for k, id := range Criteria {
		if ok[k] {
			cs.Scores[id] = s[k]
		}
	}
	return cs
}

// ScoreAll validates a project and scores every candidate, excluded or
// not, with the engine's own scoring code, without ranking.
func (e *Engine) ScoreAll(p Project) ([]CandidateScores, error) {
	if err := Validate(p, e.cat, "project"); err != nil {
		return nil, err
	}
	q := e.compile(Resolve(p))
	out := make([]CandidateScores, len(e.cands))
	for i := range e.cands {
		out[i] = e.candidateScores(q, &e.cands[i])
	}
	return out, nil
}

// ScoreOf validates a project and scores the candidate with the site id.
func (e *Engine) ScoreOf(p Project, id string) (CandidateScores, error) {
	if err := Validate(p, e.cat, "project"); err != nil {
		return CandidateScores{}, err
	}
	c, ok := e.Candidate(id)
	if !ok {
		return CandidateScores{}, fmt.Errorf("no site %q", id)
	}
	return e.candidateScores(e.compile(Resolve(p)), c), nil
}

// TownBestHa is the area of a town's largest known plot within
// TownReachKm, 0 when none (land.go).
func TownBestHa(c *Candidate) float64 { return c.townBestHa }

// MatchUnpruned is Match scoring every candidate: the reference the
// pruned ranking must equal (prune.go).
func (e *Engine) MatchUnpruned(p Project, opt Options) (*Result, error) {
	return e.match(context.Background(), p, opt, false)
}

// Order returns the candidate indexes in the pruned ranking's leaf
// order (spatially contiguous runs).
func (e *Engine) Order() []int32 { return e.prune.order }

// TrivialBounds lists the criteria the pruned ranking bounds by 1, having
// neither a bound nor a static score.
func TrivialBounds() []string {
	var out []string
	for _, c := range criteria {
		if c.bound == nil && !c.static {
			out = append(out, c.id)
		}
	}
	return out
}

// CheckLeafBounds summarises the candidates members (indexes into
// Candidates) as one leaf and checks, for the project, that every
// criterion's bound and the leaf's total bound are at least each member's
// score and total, the hard constraints aside; it returns the first
// violation, and how many (member, criterion) pairs it checked.
func (e *Engine) CheckLeafBounds(p Project, members []int32) (int, error) {
	if err := Validate(p, e.cat, "project"); err != nil {
		return 0, err
	}
	q := e.compile(Resolve(p))
	l := e.summariseLeaf(e.prune.ex, members, 0, len(members))
	checked := 0
	var b [maxCriteria]float64
	for _, k := range q.active {
		b[k] = e.criterionBound(q, k, &l)
	}
	var lbs [maxCriteria]float64
	lb := e.leafBound(q, &l, &lbs)
	skip := q.leafExcluded(q.kindMask(), e.prune.ex.allowedCodes(q), &l)
	for _, i := range members {
		c := &e.cands[i]
		if skip && q.excluded(c) == "" {
			return checked, fmt.Errorf("site %s: eligible in a leaf the constraints skip", c.Site.ID)
		}
		s, ok := e.scores(q, c)
		for _, k := range q.active {
			if !ok[k] {
				continue
			}
			checked++
			if s[k] > b[k] {
				return checked, fmt.Errorf("site %s: %s scores %v above its leaf bound %v", c.Site.ID, criteria[k].id, s[k], b[k])
			}
		}
		if t := total(&q.weights, &s, &ok); t > lb {
			return checked, fmt.Errorf("site %s: total %v above its leaf bound %v", c.Site.ID, t, lb)
		}
	}
	return checked, nil
}

// CheckExclusions checks that the pruned ranking's exclusions (exclude,
// over bitsets) exclude exactly the candidates query.excluded excludes and
// count them under the same first reasons, Seveso rules included.
func (e *Engine) CheckExclusions(p Project) error {
	if err := Validate(p, e.cat, "project"); err != nil {
		return err
	}
	q := e.compile(Resolve(p))
	ex := e.exclude(q)
	want, wantSeveso := map[string]int{}, map[string]int{}
	for i := range e.cands {
		r := q.excluded(&e.cands[i])
		if got := ex.out.has(i); got != (r != "") {
			return fmt.Errorf("site %s: excluded %v by the bitsets, query.excluded %q", e.cands[i].Site.ID, got, r)
		}
		if r != "" {
			want[r]++
		}
		if r == ExclSeveso {
			c := &e.cands[i]
			wantSeveso[SevesoRule(&c.Site, c.Commune.Population, c.SevesoKm)]++
		}
	}
	for _, r := range ExclusionReasons {
		if ex.counts[r] != want[r] {
			return fmt.Errorf("%s: %d excluded by the bitsets, %d by query.excluded", r, ex.counts[r], want[r])
		}
	}
	for r, n := range wantSeveso {
		if ex.seveso[r] != n {
			return fmt.Errorf("seveso rule %s: %d by the bitsets, %d by query.excluded", r, ex.seveso[r], n)
		}
	}
	if ex.eligible() != len(e.cands)-sum(want) {
		return fmt.Errorf("eligible %d, want %d", ex.eligible(), len(e.cands)-sum(want))
	}
	return nil
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// LandfillLit and NonIndustrialNameLit are the literal readings of the
// landfill and non-industrial-name rules (criteria_test.go), shared with
// the external tests.
var (
	LandfillLit          = landfillLit
	NonIndustrialNameLit = nonIndustrialNameLit
	// LandLit is the literal landmass of a département (criteria_test.go).
	LandLit = landLit
)
