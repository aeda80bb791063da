package matching

import "github.com/paulmach/orb"

// Diverse results (DESIGN.md, "Diversity"). A ranking keeps, best first,
// a site unless a better one lies at exactly the same coordinates (it is
// then listed among that result's twins: 1,947 brownfields share their
// coordinates with another, most of them placed at their commune's
// centre) or its commune already holds MaxPerCommune results; and a town
// whose land comes from a plot already listed above it is left out (the
// plot is the location, the town would repeat it), without leading its
// coordinates, so that a brownfield placed at the town's centre can
// still be listed.

// diversePool is how many of the best eligible sites a match draws its
// diverse results from before falling back to all of them.
func diversePool(want int) int { return 4*want + 50 }

// diversify keeps, in order, the sites of sorted that are the first at
// their coordinates (even when their commune is full, they lead those
// coordinates) and whose commune holds fewer than perCommune kept sites,
// up to want of them.
func (e *Engine) diversify(q *query, sorted []scored, perCommune, want int) []scored {
	var out []scored
	d := e.newDiverseRule(q, perCommune)
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
	e          *Engine
	q          *query
	perCommune int
	points     map[orb.Point]bool
	communes   map[string]int
	kept       map[*Candidate]bool
}

func (e *Engine) newDiverseRule(q *query, perCommune int) *diverseRule {
	return &diverseRule{e: e, q: q, perCommune: perCommune, points: map[orb.Point]bool{},
		communes: map[string]int{}, kept: map[*Candidate]bool{}}
}

// townPlot is the plot that gives c, a town, its land score, nil for
// another site or a town without one (townLandPlot).
func (d *diverseRule) townPlot(c *Candidate) *Candidate {
	if p := d.e.townLandPlot(d.q, c); p >= 0 {
		return &d.e.cands[p]
	}
	return nil
}

// keep reports whether c, coming after the sites already offered, is kept.
func (d *diverseRule) keep(c *Candidate) bool {
	if p := d.townPlot(c); p != nil && d.kept[p] {
		return false // its plot is listed: the town would repeat it
	}
	if d.points[c.Site.Point] {
		return false // a better site at these coordinates leads them
	}
	d.points[c.Site.Point] = true
	if d.communes[c.Site.Commune] >= d.perCommune {
		return false
	}
	d.communes[c.Site.Commune]++
	d.kept[c] = true
	return true
}

// reset forgets the sites offered.
func (d *diverseRule) reset() {
	clear(d.points)
	clear(d.communes)
	clear(d.kept)
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
