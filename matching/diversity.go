package matching

import "github.com/paulmach/orb"

// Diverse results (DESIGN.md, "Diversity"). A ranking keeps, best first,
// a site unless a better one lies at exactly the same coordinates (it is
// then listed among that result's twins: 1,947 brownfields share their
// coordinates with another, most of them placed at their commune's
// centre) or its commune already holds MaxPerCommune results.

// diversePool is how many of the best eligible sites a match draws its
// diverse results from before falling back to all of them.
func diversePool(want int) int { return 4*want + 50 }

// diversify keeps, in order, the sites of sorted that are the first at
// their coordinates (even when their commune is full, they lead those
// coordinates) and whose commune holds fewer than perCommune kept sites,
// up to want of them.
func (e *Engine) diversify(sorted []scored, perCommune, want int) []scored {
	var out []scored
	d := newDiverseRule(perCommune)
	for _, s := range sorted {
		if len(out) == want {
			break
		}
		if d.keep(&e.cands[s.idx]) {
			out = append(out, s)
		}
	}
	return out
}

// diverseRule is diversify's rule, applied to sites in order, best first.
type diverseRule struct {
	perCommune int
	points     map[orb.Point]bool
	communes   map[string]int
}

func newDiverseRule(perCommune int) *diverseRule {
	return &diverseRule{perCommune: perCommune, points: map[orb.Point]bool{}, communes: map[string]int{}}
}

// keep reports whether c, coming after the sites already offered, is kept.
func (d *diverseRule) keep(c *Candidate) bool {
	if d.points[c.Site.Point] {
		return false // a better site at these coordinates leads them
	}
	d.points[c.Site.Point] = true
	if d.communes[c.Site.Commune] >= d.perCommune {
		return false
	}
	d.communes[c.Site.Commune]++
	return true
}

// reset forgets the sites offered.
func (d *diverseRule) reset() {
	clear(d.points)
	clear(d.communes)
}

// twinsOf returns the ids of the other eligible candidates at exactly the
// coordinates of candidate i, best first (then by id).
func (e *Engine) twinsOf(q *query, i int) []string {
	group := e.samePoint[e.cands[i].Site.Point]
	var twins []scored
	for _, j := range group {
		if j == i {
			continue
		}
		c := &e.cands[j]
		if q.excluded(c) != "" {
			continue
		}
		s, ok := e.scores(q, c)
		if q.veto >= 0 && vetoed(&s, &ok, &q.weights, q.veto) {
			continue
		}
		twins = append(twins, scored{idx: j, total: total(&q.weights, &s, &ok)})
	}
	sortScored(e, twins)
	var ids []string
	for _, t := range twins {
		ids = append(ids, e.cands[t.idx].Site.ID)
	}
	return ids
}

// samePoints indexes the candidates that share their coordinates with
// another.
func samePoints(cands []Candidate) map[orb.Point][]int {
	all := map[orb.Point][]int{}
	for i := range cands {
		p := cands[i].Site.Point
		all[p] = append(all[p], i)
	}
	for p, g := range all {
		if len(g) < 2 {
			delete(all, p)
		}
	}
	return all
}
