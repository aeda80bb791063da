// Package cql2 owns the OGC Common Query Language (CQL2) filters of the
// feature server: it parses CQL2 text and CQL2 JSON into one expression
// tree, checks it against a collection's queryables, and evaluates it on a
// feature's properties and geometry.
//
// The subset is that of the conformance classes Basic CQL2, Advanced
// Comparison Operators and Basic Spatial Functions: comparisons (=, <>, <,
// <=, >, >=), AND, OR, NOT, LIKE (% and _ wildcards, \ escape), IN,
// BETWEEN, IS [NOT] NULL, TRUE/FALSE, and S_INTERSECTS between the
// geometry property and a POINT, POLYGON, MULTIPOLYGON or BBOX (ENVELOPE)
// literal. Comparisons with null are unknown (SQL's three-valued logic): a
// feature matches only when the filter is true. Parsing is bounded
// (MaxLength, MaxDepth, MaxNodes) so that a filter costs at most a few
// microseconds per feature.
package cql2

import (
	"fmt"

	"github.com/paulmach/orb"
)

// Limits of a filter.
const (
	MaxLength = 16 << 10 // characters of a filter
	MaxDepth  = 32       // nesting of expressions
	MaxNodes  = 1024     // expressions, list items and coordinates
)

// Error is a filter that cannot be parsed or checked: Pos is the
// character offset in CQL2 text (0-based), or the JSON pointer of the
// offending member in CQL2 JSON.
type Error struct {
	Pos string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("at %s: %s", e.Pos, e.Msg) }

// Type is the type of a queryable property.
type Type string

// Queryable types.
const (
	String  Type = "string"
	Number  Type = "number" // integers too
	Boolean Type = "boolean"
	Other   Type = "other" // arrays, objects, values of several types: IS NULL only
)

// Expr is a boolean expression.
type Expr interface {
	// eval returns the expression's truth: 1 true, 0 false, -1 unknown.
	eval(f Feature) int
}

// Feature is what a filter reads of a feature.
type Feature struct {
	Props map[string]any
	Geom  orb.Geometry // CRS84; nil for a feature without a geometry
}

// Match reports whether the filter is true for f.
func Match(e Expr, f Feature) bool { return e.eval(f) == 1 }

// Operand is a scalar: a property or a literal.
type Operand struct {
	Property string // "" for a literal
	Value    any    // string, float64 or bool for a literal
	pos      string
}

func (o Operand) get(f Feature) any {
	if o.Property == "" {
		return o.Value
	}
	return normalize(f.Props[o.Property])
}

// normalize maps numbers to float64, so that values compare by type.
func normalize(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float32:
		return float64(n)
	}
	return v
}

type boolLit bool

func (b boolLit) eval(Feature) int { return b2t(bool(b)) }

type and []Expr

func (a and) eval(f Feature) int {
	out := 1
	for _, e := range a {
		switch e.eval(f) {
		case 0:
			return 0
		case -1:
			out = -1
		}
	}
	return out
}

type or []Expr

func (o or) eval(f Feature) int {
	out := 0
	for _, e := range o {
		switch e.eval(f) {
		case 1:
			return 1
		case -1:
			out = -1
		}
	}
	return out
}

type not struct{ e Expr }

func (n not) eval(f Feature) int {
	if t := n.e.eval(f); t >= 0 {
		return 1 - t
	}
	return -1
}

type compare struct {
	op   string
	l, r Operand
}

func (c compare) eval(f Feature) int {
	l, r := c.l.get(f), c.r.get(f)
	n, ok := order(l, r)
	if !ok {
		return -1
	}
	switch c.op {
	case "=":
		return b2t(n == 0)
	case "<>":
		return b2t(n != 0)
	case "<":
		return b2t(n < 0)
	case "<=":
		return b2t(n <= 0)
	case ">":
		return b2t(n > 0)
	}
	return b2t(n >= 0) // ">="
}

// order compares two values of the same type; false for a null or for
// values of different types.
func order(a, b any) (int, bool) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	case float64:
		if y, ok := b.(float64); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	case bool:
		if y, ok := b.(bool); ok {
			if x == y {
				return 0, true
			}
			if !x {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, false
}

type like struct {
	o       Operand
	pattern []rune
}

func (l like) eval(f Feature) int {
	s, ok := l.o.get(f).(string)
	if !ok {
		return -1
	}
	return b2t(likeMatch(l.pattern, []rune(s)))
}

// likeMatch matches s against a LIKE pattern (% any run, _ one character,
// \ escapes the next), iteratively with one backtrack point, so in
// O(len(p)·len(s)).
func likeMatch(p, s []rune) bool {
	pi, si, starP, starS := 0, 0, -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '%':
				starP, starS = pi, si
				pi++
				continue
			case c == '_':
				pi++
				si++
				continue
			case c == '\\' && pi+1 < len(p):
				if p[pi+1] == s[si] {
					pi += 2
					si++
					continue
				}
			case c == s[si]:
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

type in struct {
	o    Operand
	list []any
}

func (x in) eval(f Feature) int {
	v := x.o.get(f)
	for _, w := range x.list {
		if n, ok := order(v, w); !ok {
			return -1
		} else if n == 0 {
			return 1
		}
	}
	return 0
}

type between struct{ o, lo, hi Operand }

func (b between) eval(f Feature) int {
	v := b.o.get(f)
	n1, ok1 := order(v, b.lo.get(f))
	n2, ok2 := order(v, b.hi.get(f))
	if !ok1 || !ok2 {
		return -1
	}
	return b2t(n1 >= 0 && n2 <= 0)
}

type isNull struct{ o Operand }

func (n isNull) eval(f Feature) int { return b2t(n.o.get(f) == nil) }

type intersects struct{ g orb.Geometry }

func (s intersects) eval(f Feature) int {
	if f.Geom == nil {
		return -1
	}
	return b2t(Intersects(f.Geom, s.g))
}

func b2t(b bool) int {
	if b {
		return 1
	}
	return 0
}
