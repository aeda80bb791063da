package matching

import (
	"math/rand/v2"
	"slices"
)

// Robustness settings.
const (
	DefaultDraws = 1000
	MaxDraws     = 10000
	// WeightSpread is how far each criterion weight moves in a draw: it is
	// multiplied by a factor drawn uniformly in [1−spread, 1+spread].
	WeightSpread = 0.5
	// DefaultSeed seeds the draws when a request gives none, so the same
	// request always gives the same answer.
	DefaultSeed = 20240416
)

// Robustness says how stable a result's rank is when the weights move.
type Robustness struct {
	PTopK   float64 // share of draws in which the site stays in the top k (k = the limit)
	RankP5  int     // 5th percentile of its rank over the draws
	RankP95 int     // 95th percentile
	K       int
	Draws   int
	Seed    uint64
}

// robustPool is how many of the best eligible sites the draws re-rank: the
// limit and a margin of challengers below it. A site outside the pool is
// assumed not to overtake the pool's members under ±50 % weight moves.
func robustPool(limit int) int { return max(4*limit, 200) }

// robustness re-ranks the pool (sorted best first) under draws perturbed
// weight vectors and reports, for the first k sites, their rank
// distribution.
func (e *Engine) robustness(q *query, pool []scored, k, draws int, seed uint64) []Robustness {
	if seed == 0 {
		seed = DefaultSeed
	}
	n := min(k, len(pool))
	rng := rand.New(rand.NewPCG(seed, 0x51735))
	ranks := make([][]int, n)
	for i := range ranks {
		ranks[i] = make([]int, draws)
	}
	totals := make([]float64, len(pool))
	order := make([]int, len(pool))
	pos := make([]int, len(pool))
	var w [maxCriteria]float64
	// The uncertain inputs are drawn too: a site whose land or record may
	// be wrong (passProbability) drops out of a draw with the complement
	// of that probability.
	pass := make([]float64, len(pool))
	for i := range pool {
		pass[i] = e.passProbability(q, &e.cands[pool[i].idx])
	}
	for d := range draws {
		if q.cancelled() != nil {
			return nil
		}
		for i := range criteria {
			w[i] = q.weights[i] * (1 - WeightSpread + 2*WeightSpread*rng.Float64())
		}
		for i := range pool {
			totals[i] = total(&w, &pool[i].s, &pool[i].ok)
			if pass[i] < 1 && rng.Float64() >= pass[i] {
				totals[i] = -1
			}
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			switch {
			case totals[a] > totals[b]:
				return -1
			case totals[a] < totals[b]:
				return 1
			}
			return a - b // the pool is sorted by base score, then id
		})
		for r, i := range order {
			pos[i] = r + 1
		}
		for i := range n {
			ranks[i][d] = pos[i]
		}
	}
	out := make([]Robustness, n)
	for i, rs := range ranks {
		in := 0
		for _, r := range rs {
			if r <= k {
				in++
			}
		}
		slices.Sort(rs)
		out[i] = Robustness{PTopK: float64(in) / float64(draws), RankP5: percentile(rs, 5), RankP95: percentile(rs, 95),
			K: k, Draws: draws, Seed: seed}
	}
	return out
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []int, p int) int {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted)+99)/100 - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
