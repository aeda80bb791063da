package matching

import (
	"fmt"
	"slices"
)

// Compare limits.
const (
	MinCompare = 2
	MaxCompare = 10
)

// Compared is one site of a comparison: its score and criteria as in a
// match, and the hard constraint it breaks, if any (a comparison scores the
// sites the caller names even when a constraint would exclude them).
type Compared struct {
	Ranked
	ExcludedBy string // "" or one of ExclusionReasons
}

// Comparison scores a project on chosen sites, side by side.
type Comparison struct {
	DataVersion   string
	Project       Project
	NotApplicable []string
	Sites         []Compared // in the order requested; Rank orders them by score, then id
}

// Compare scores the project on 2 to 10 named sites with every criterion.
func (e *Engine) Compare(p Project, ids []string) (*Comparison, error) {
	var ve ValidationError
	r := Resolve(p)
	if err := validate(p, &r, e.cat, "project"); err != nil {
		ve = *err.(*ValidationError)
	}
	if len(ids) < MinCompare || len(ids) > MaxCompare {
		ve.Add("site_ids", "must name between %d and %d sites, got %d", MinCompare, MaxCompare, len(ids))
	}
	seen := map[string]bool{}
	for i, id := range ids {
		switch {
		case seen[id]:
			ve.Add(fmt.Sprintf("site_ids[%d]", i), "site %q is named twice", id)
		case !e.hasSite(id):
			ve.Add(fmt.Sprintf("site_ids[%d]", i), "unknown site %q", id)
		}
		seen[id] = true
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	q := e.compile(r)
	out := &Comparison{DataVersion: e.cat.Version, Project: q.p, NotApplicable: q.notApplicable()}
	all := make([]scored, len(ids))
	for i, id := range ids {
		idx := e.byID[id]
		c := &e.cands[idx]
		s, ok := e.scores(q, c)
		all[i] = scored{idx: idx, total: total(&q.weights, &s, &ok), s: s, ok: ok}
		excl := q.excluded(c)
		if excl == "" && q.veto >= 0 && vetoed(&s, &ok, &q.weights, q.veto) {
			excl = ExclVeto
		}
		out.Sites = append(out.Sites, Compared{
			Ranked:     Ranked{Candidate: c, Score: all[i].total, Criteria: e.explain(q, c, &all[i])},
			ExcludedBy: excl,
		})
	}
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if e.better(&all[a], &all[b]) {
			return -1
		}
		return 1
	})
	for r, i := range order {
		out.Sites[i].Rank = r + 1
	}
	return out, nil
}

func (e *Engine) hasSite(id string) bool { _, ok := e.byID[id]; return ok }
