package matching

// Test hooks for the external tests (package matching_test), in the
// export_test.go idiom: the engine built once per test binary, a logged
// seed, and the criterion scores of candidates as the ranking pass computes
// them.

import (
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
}

func (e *Engine) candidateScores(q *query, c *Candidate) CandidateScores {
	s, ok := e.scores(q, c)
	cs := CandidateScores{Candidate: c, Excluded: q.excluded(c), Scores: map[string]float64{}, Total: total(&q.weights, &s, &ok)}
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
