package matching

import (
	"container/heap"
	"math"
)

// compileCentrality finds D*, the least weighted mean partner distance
// over the candidates no hard constraint excludes (the veto aside, which
// reads the scores): the optimum the centrality score is relative to
// (CentralityScore). It walks the pruning tree (prune.go) nearest bound
// first, a node's bound being Σ wᵢ·arc(dᵢ)/Σ wᵢ with dᵢ the chord from
// partner i to the node's ball (0 for a node with outlines, measured from
// their edges), and stops once the nearest unopened bound is beyond the
// best mean found: the answer is that of a scan of every candidate
// (bestMeanScan), ties going to the lowest candidate index.
func (e *Engine) compileCentrality(q *query) {
	q.central = true
	if e.prune == nil {
		q.bestMeanKm, q.bestID = e.bestMeanScan(q)
		return
	}
	px := e.prune.tree(q)
	if px.root < 0 {
		q.bestMeanKm, q.bestID = 0, "" // no eligible site: nothing is scored
		return
	}
	kinds, allowed := q.kindMask(), px.ex.allowedCodes(q)
	best, bestIdx := math.Inf(1), -1
	open := &meanHeap{}
	push := func(n int32) {
		if l := &px.nodes[n]; !q.leafExcluded(kinds, allowed, l) {
			heap.Push(open, meanRef{lb: meanLowerBound(q, l), node: n})
		}
	}
	push(px.root)
	for open.Len() > 0 {
		r := heap.Pop(open).(meanRef)
		if r.lb > best {
			break
		}
		n := &px.nodes[r.node]
		if n.left >= 0 {
			push(n.left)
			push(n.right)
			continue
		}
		for _, i := range px.order[n.lo:n.hi] {
			c := &e.cands[i]
			if q.excluded(c) != "" {
				continue
			}
			if d := c.meanKm(q.partners); d < best || (d == best && int(i) < bestIdx) {
				best, bestIdx = d, int(i)
			}
		}
	}
	if bestIdx < 0 {
		q.bestMeanKm, q.bestID = 0, "" // no eligible site: nothing is scored
		return
	}
	q.bestMeanKm, q.bestID = best, e.cands[bestIdx].Site.ID
}

// bestMeanScan is D* and the site that has it by a scan of every
// candidate (the reference compileCentrality is tested against).
func (e *Engine) bestMeanScan(q *query) (float64, string) {
	best, id := math.Inf(1), ""
	for i := range e.cands {
		c := &e.cands[i]
		if q.excluded(c) != "" {
			continue
		}
		if d := c.meanKm(q.partners); d < best {
			best, id = d, c.Site.ID
		}
	}
	if id == "" {
		return 0, ""
	}
	return best, id
}

// meanLowerBound bounds from below the weighted mean partner distance of
// every member of a node: each partner is at least its distance to the
// node's ball away (shrunk by more than the chords' rounding), and a node
// with outlines is bounded by 0.
func meanLowerBound(q *query, l *leaf) float64 {
	if l.shaped {
		return 0
	}
	var num, den float64
	for i := range q.partners {
		p := &q.partners[i]
		if d := math.Sqrt(chord2(p.unit, l.center)) - l.radius; d > 0 {
			num += p.Weight * arcKm(d*d*(1-1e-9))
		}
		den += p.Weight
	}
	if den == 0 {
		return 0
	}
	return num / den * (1 - 1e-12)
}

// meanRef is a node of the pruning tree with its lower bound of the mean.
type meanRef struct {
	lb   float64
	node int32
}

// meanHeap is a min-heap of meanRef by lower bound.
type meanHeap []meanRef

func (h meanHeap) Len() int           { return len(h) }
func (h meanHeap) Less(i, j int) bool { return h[i].lb < h[j].lb }
func (h meanHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *meanHeap) Push(x any)        { *h = append(*h, x.(meanRef)) }
func (h *meanHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
