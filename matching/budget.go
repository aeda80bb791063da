package matching

import (
	"context"
	"fmt"
)

// Cost budgets of one request. The scoring pass costs about one
// supply-chain term per candidate and partner; the robustness costs one
// re-ranking of its pool per draw. A request over either budget is refused
// before any work, naming the field to reduce, so that no single request
// can hold a computation slot for seconds.
const (
	// MaxScoringWork bounds candidates × partners: the whole catalogue
	// (26,283 candidates) with the 1,000 partners a project may name, or a
	// million candidates with 64.
	MaxScoringWork = 64_000_000
	// MaxRobustnessWork bounds the robustness pool (max(4·limit, 200)
	// sites) × draws: 10,000 draws up to limit 50, 500 draws at limit 1,000.
	MaxRobustnessWork = 2_000_000
)

// checkEvery is how many candidates the scoring loop scores between two
// looks at the caller's context: at most a few milliseconds of work with
// 1,000 partners.
const checkEvery = 256

// cancelled returns the query's context error, wrapped, once it has ended.
func (q *query) cancelled() error {
	if q.ctx == nil {
		return nil
	}
	if err := q.ctx.Err(); err != nil {
		return fmt.Errorf("matching: stopped: %w", err)
	}
	return nil
}

// checkBudget refuses a resolved project and options whose work exceeds
// MaxScoringWork or MaxRobustnessWork.
func (e *Engine) checkBudget(p *Project, opt Options) error {
	var ve ValidationError
	partners := len(p.Suppliers) + len(p.Customers)
	if work := len(e.cands) * partners; work > MaxScoringWork {
		field := "project.suppliers"
		if len(p.Suppliers) == 0 {
			field = "project.customers"
		}
		ve.Add(field, "%d partners × %d candidates = %d supply-chain terms, over the budget of %d: name at most %d partners",
			partners, len(e.cands), work, MaxScoringWork, MaxScoringWork/max(1, len(e.cands)))
	}
	if opt.Robustness {
		limit, draws := opt.Limit, opt.Draws
		if limit == 0 {
			limit = DefaultLimit
		}
		if draws == 0 {
			draws = DefaultDraws
		}
		pool := robustPool(limit)
		if work := pool * draws; work > MaxRobustnessWork {
			ve.Add("draws", "%d draws re-ranking %d sites (limit %d) = %d, over the budget of %d: at most %d draws at this limit",
				draws, pool, limit, work, MaxRobustnessWork, MaxRobustnessWork/pool)
		}
	}
	return ve.Err()
}

// ShortlistContext is Shortlist stopping early, with ctx's error wrapped,
// when ctx ends.
func (e *Engine) ShortlistContext(ctx context.Context, req ShortlistRequest) (*Shortlist, error) {
	return e.shortlist(ctx, req)
}
