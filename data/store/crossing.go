package store

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"
)

// segment is one edge of a polygon's rings, for the crossing test.
type segment struct {
	a, b orb.Point // a is the left end: the smaller (x, y)
	ring int
	idx  int // index of the edge in its ring
	n    int // edges in its ring
}

// slope of the segment, +Inf for a vertical one.
func (s *segment) slope() float64 {
	if s.b[0] == s.a[0] {
		return math.Inf(1)
	}
	return (s.b[1] - s.a[1]) / (s.b[0] - s.a[0])
}

// yAt is the segment's y at x (within its x range); for a vertical one, y
// clamped to its y range.
func (s *segment) yAt(x, y float64) float64 {
	if s.b[0] == s.a[0] {
		return math.Max(s.a[1], math.Min(s.b[1], y))
	}
	if x == s.a[0] {
		return s.a[1]
	}
	if x == s.b[0] {
		return s.b[1]
	}
	return s.a[1] + (x-s.a[0])*(s.b[1]-s.a[1])/(s.b[0]-s.a[0])
}

// ringSegments lists the edges of poly's rings, each with its left end
// first, skipping zero-length edges (repeated vertices).
func ringSegments(poly orb.Polygon) []segment {
	var segs []segment
	for r, ring := range poly {
		n := len(ring) - 1
		for i := 0; i < n; i++ {
			a, b := ring[i], ring[i+1]
			if a == b {
				continue
			}
			if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
				a, b = b, a
			}
			segs = append(segs, segment{a: a, b: b, ring: r, idx: i, n: n})
		}
	}
	return segs
}

// selfIntersection reports two rings (possibly the same) of poly whose
// edges cross or touch, other than consecutive edges at their shared
// vertex, in O(n log n) for n edges: the Shamos–Hoey sweep. A vertical
// line sweeps the edges' ends from west to east, keeping the edges it
// cuts ordered from south to north in a balanced tree; the first crossing
// (the westernmost) is between two edges that are neighbours in that order
// just before it, so only neighbours are ever tested: an edge against
// those above and below it when it enters, and those two against each
// other when it leaves.
func selfIntersection(poly orb.Polygon) (int, int, bool) {
	segs := ringSegments(poly)
	type event struct {
		p     orb.Point
		leave bool
		s     int
	}
	events := make([]event, 0, 2*len(segs))
	for i := range segs {
		events = append(events, event{segs[i].a, false, i}, event{segs[i].b, true, i})
	}
	slices.SortFunc(events, func(x, y event) int {
		if c := cmp.Compare(x.p[0], y.p[0]); c != 0 {
			return c
		}
		if c := cmp.Compare(x.p[1], y.p[1]); c != 0 {
			return c
		}
		// At one point, edges enter before others leave, so that edges
		// touching there are in the tree together.
		if x.leave != y.leave {
			if !x.leave {
				return -1
			}
			return 1
		}
		return cmp.Compare(x.s, y.s)
	})
	crosses := func(i, j *tnode) bool {
		if i == nil || j == nil {
			return false
		}
		return edgesCross(&segs[i.s], &segs[j.s])
	}
	pair := func(i, j *tnode) (int, int, bool) {
		a, b := segs[i.s].ring, segs[j.s].ring
		return min(a, b), max(a, b), true
	}
	rng := rand.New(rand.NewPCG(uint64(len(segs)), 1)) // treap priorities
	var tr treap
	nodes := make([]*tnode, len(segs))
	for _, ev := range events {
		if !ev.leave {
			s := &segs[ev.s]
			below := func(t int) bool { // s goes below segment t where s enters
				u := &segs[t]
				ys, yt := s.a[1], u.yAt(s.a[0], s.a[1])
				if ys != yt {
					return ys < yt
				}
				if ms, mt := s.slope(), u.slope(); ms != mt {
					return ms < mt
				}
				return ev.s < t
			}
			n := tr.insert(ev.s, rng.Uint64(), below)
			nodes[ev.s] = n
			if p := n.prev(); crosses(n, p) {
				return pair(n, p)
			}
			if q := n.next(); crosses(n, q) {
				return pair(n, q)
			}
			continue
		}
		n := nodes[ev.s]
		p, q := n.prev(), n.next()
		tr.remove(n)
		if crosses(p, q) {
			return pair(p, q)
		}
	}
	return 0, 0, false
}

// edgesCross reports whether two edges of a polygon's rings share a point
// they should not: any point for two edges that do not follow each other
// in a ring, more than their common vertex for two that do (an edge that
// doubles back along the previous one, a spike).
func edgesCross(s, t *segment) bool {
	if s.ring == t.ring && adjacent(*s, *t) {
		return collinearOverlap(s, t)
	}
	return segmentsIntersect(s.a, s.b, t.a, t.b)
}

// collinearOverlap reports whether two edges that share a vertex lie on one
// line and overlap beyond it.
func collinearOverlap(s, t *segment) bool {
	if orient(s.a, s.b, t.a) != 0 || orient(s.a, s.b, t.b) != 0 {
		return false
	}
	inside := func(p orb.Point, u *segment) bool { return p != u.a && p != u.b && onSegment(u.a, u.b, p) }
	return inside(t.a, s) || inside(t.b, s) || inside(s.a, t) || inside(s.b, t) || (s.a == t.a && s.b == t.b)
}

// adjacent reports whether two edges of one ring follow each other (they
// share a vertex by construction).
func adjacent(s, t segment) bool {
	d := s.idx - t.idx
	return d == 1 || d == -1 || d == s.n-1 || d == 1-s.n
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// segmentsIntersect reports whether segments ab and cd share a point.
func segmentsIntersect(a, b, c, d orb.Point) bool {
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b)) ||
		(d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d))
}

// treap is the sweep's ordered set of edges: a randomised balanced binary
// search tree with parent links, so that a node is removed, and its
// neighbours found, from the node itself in O(log n) expected, without
// comparing keys whose order may have changed since they were inserted.
type treap struct{ root *tnode }

type tnode struct {
	s                   int
	prio                uint64
	left, right, parent *tnode
}

// insert adds s where before(t) turns false going up the order (before(t)
// reports whether s goes before the tree's element t) and returns its node.
func (t *treap) insert(s int, prio uint64, before func(t int) bool) *tnode {
	n := &tnode{s: s, prio: prio}
	if t.root == nil {
		t.root = n
		return n
	}
	cur := t.root
	for {
		if before(cur.s) {
			if cur.left == nil {
				cur.left, n.parent = n, cur
				break
			}
			cur = cur.left
		} else {
			if cur.right == nil {
				cur.right, n.parent = n, cur
				break
			}
			cur = cur.right
		}
	}
	for n.parent != nil && n.parent.prio < n.prio {
		t.rotateUp(n)
	}
	return n
}

// remove takes n out of the tree.
func (t *treap) remove(n *tnode) {
	for n.left != nil || n.right != nil {
		c := n.left
		if c == nil || (n.right != nil && n.right.prio > c.prio) {
			c = n.right
		}
		t.rotateUp(c)
	}
	t.replace(n, nil)
}

// rotateUp moves n above its parent, keeping the order.
func (t *treap) rotateUp(n *tnode) {
	p := n.parent
	if p.left == n {
		p.left = n.right
		if n.right != nil {
			n.right.parent = p
		}
		n.right = p
	} else {
		p.right = n.left
		if n.left != nil {
			n.left.parent = p
		}
		n.left = p
	}
	t.replace(p, n)
	p.parent = n
}

// replace puts m where n hangs in the tree (m may be nil).
func (t *treap) replace(n, m *tnode) {
	g := n.parent
	switch {
	case g == nil:
		t.root = m
	case g.left == n:
		g.left = m
	default:
		g.right = m
	}
	if m != nil {
		m.parent = g
	}
}

// prev is the node before n in the order, nil when none.
func (n *tnode) prev() *tnode {
	if n.left != nil {
		n = n.left
		for n.right != nil {
			n = n.right
		}
		return n
	}
	for n.parent != nil && n.parent.left == n {
		n = n.parent
	}
	return n.parent
}

// next is the node after n in the order, nil when none.
func (n *tnode) next() *tnode {
	if n.right != nil {
		n = n.right
		for n.left != nil {
			n = n.left
		}
		return n
	}
	for n.parent != nil && n.parent.right == n {
		n = n.parent
	}
	return n.parent
}
