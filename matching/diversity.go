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
	defer d.release()
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
// Its sets are bitsets over the candidates' dense identities (pointID,
// index) and counts per communeID (indexPoints), taken from the engine's
// pool and cleared by what was offered, so that a rule costs little to
// start, apply and reset, whatever the catalogue's size.
type diverseRule struct {
	e          *Engine
	q          *query
	perCommune int
	points     bitset   // coordinates led, by pointID
	kept       bitset   // sites kept, by index
	communes   []uint16 // sites kept per communeID, up to perCommune
	offered    []int32  // the sites offered since the last reset
}

// newDiverseRule returns a rule; release gives it back to the engine.
func (e *Engine) newDiverseRule(q *query, perCommune int) *diverseRule {
	d, _ := e.rules.Get().(*diverseRule)
	if d == nil || len(d.communes) != e.communes || len(d.kept) != len(newBitset(len(e.cands))) {
		d = &diverseRule{points: newBitset(len(e.cands)), kept: newBitset(len(e.cands)), communes: make([]uint16, e.communes)}
	}
	d.e, d.q, d.perCommune = e, q, perCommune
	return d
}

// release resets the rule and gives it back to its engine's pool.
func (d *diverseRule) release() {
	d.reset()
	d.e.rules.Put(d)
}

// townPlot is the index of the plot that gives c, a town, its land
// score, -1 for another site or a town without one (townLandPlot).
func (d *diverseRule) townPlot(c *Candidate) int {
	return d.e.townLandPlot(d.q, c)
}

// keep reports whether c, coming after the sites already offered, is kept.
func (d *diverseRule) keep(c *Candidate) bool {
	if p := d.townPlot(c); p >= 0 && d.kept.has(p) {
		return false // its plot is listed: the town would repeat it
	}
	if d.points.has(int(c.pointID)) {
		return false // a better site at these coordinates leads them
	}
	d.points.set(int(c.pointID))
	d.offered = append(d.offered, c.index)
	if int(d.communes[c.communeID]) >= d.perCommune {
		return false
	}
	d.communes[c.communeID]++
	d.kept.set(int(c.index))
	return true
}

// reset forgets the sites offered.
func (d *diverseRule) reset() {
	for _, i := range d.offered {
		c := &d.e.cands[i]
		d.points.unset(int(c.pointID))
		d.kept.unset(int(i))
		d.communes[c.communeID] = 0
	}
	d.offered = d.offered[:0]
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

// indexPoints indexes the candidates that share their coordinates with
// another (samePoint) and gives every candidate its dense identities:
// its index, the index of the first candidate at its coordinates
// (pointID) and a number per commune (communeID).
func (e *Engine) indexPoints() {
	first := make(map[orb.Point]int32, len(e.cands))
	communes := map[string]int32{}
	all := map[orb.Point][]int{}
	for i := range e.cands {
		c := &e.cands[i]
		p := c.Site.Point
		if _, ok := first[p]; !ok {
			first[p] = int32(i)
		}
		if _, ok := communes[c.Site.Commune]; !ok {
			communes[c.Site.Commune] = int32(len(communes))
		}
		c.index, c.pointID, c.communeID = int32(i), first[p], communes[c.Site.Commune]
		all[p] = append(all[p], i)
	}
	for p, g := range all {
		if len(g) < 2 {
			delete(all, p)
		}
	}
	e.samePoint, e.communes = all, len(communes)
}
