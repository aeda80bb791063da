package cql2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ParseJSON parses a CQL2 JSON filter ({"op": "and", "args": [...]}).
// Errors name the JSON pointer of the offending member.
func ParseJSON(b []byte, o Options) (Expr, error) {
	if len(b) > MaxLength {
		return nil, &Error{"/", fmt.Sprintf("the filter is %d bytes long, more than %d", len(b), MaxLength)}
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, &Error{"/", "not JSON: " + err.Error()}
	}
	if d.More() {
		return nil, &Error{"/", "text after the JSON value"}
	}
	p := &jsonParser{o: o}
	return p.expr(v, "", 0)
}

type jsonParser struct {
	o     Options
	nodes int
}

func (p *jsonParser) expr(v any, at string, depth int) (Expr, error) {
	p.nodes++
	if p.nodes > MaxNodes {
		return nil, &Error{ptr(at), fmt.Sprintf("the filter has more than %d terms", MaxNodes)}
	}
	if depth > MaxDepth {
		return nil, &Error{ptr(at), fmt.Sprintf("the filter nests more than %d levels", MaxDepth)}
	}
	if b, ok := v.(bool); ok {
		return boolLit(b), nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{ptr(at), "expected an object {\"op\": ..., \"args\": [...]} or a boolean"}
	}
	op, _ := m["op"].(string)
	args, ok := m["args"].([]any)
	if op == "" || !ok {
		return nil, &Error{ptr(at), "expected an object with a string op and an array args"}
	}
	argAt := func(i int) string { return at + "/args/" + strconv.Itoa(i) }
	nargs := func(n int) error {
		if len(args) != n {
			return &Error{ptr(at + "/args"), fmt.Sprintf("%s takes %d arguments, got %d", op, n, len(args))}
		}
		return nil
	}
	switch strings.ToLower(op) {
	case "and", "or":
		if len(args) < 2 {
			return nil, &Error{ptr(at + "/args"), op + " takes at least 2 arguments"}
		}
		var es []Expr
		for i, a := range args {
			e, err := p.expr(a, argAt(i), depth+1)
			if err != nil {
				return nil, err
			}
			es = append(es, e)
		}
		if strings.EqualFold(op, "and") {
			return and(es), nil
		}
		return or(es), nil
	case "not":
		if err := nargs(1); err != nil {
			return nil, err
		}
		e, err := p.expr(args[0], argAt(0), depth+1)
		if err != nil {
			return nil, err
		}
		return not{e}, nil
	case "=", "<>", "<", "<=", ">", ">=":
		if err := nargs(2); err != nil {
			return nil, err
		}
		l, r, err := p.pair(args, at)
		if err != nil {
			return nil, err
		}
		return compare{op, l, r}, nil
	case "like":
		if err := nargs(2); err != nil {
			return nil, err
		}
		l, err := p.scalar(args[0], argAt(0))
		if err != nil {
			return nil, err
		}
		s, ok := args[1].(string)
		if !ok {
			return nil, &Error{ptr(argAt(1)), "like takes a string pattern"}
		}
		if err := p.o.want(l, String, "like"); err != nil {
			return nil, err
		}
		return like{l, []rune(s)}, nil
	case "between":
		if err := nargs(3); err != nil {
			return nil, err
		}
		var ops [3]Operand
		for i := range ops {
			x, err := p.scalar(args[i], argAt(i))
			if err != nil {
				return nil, err
			}
			ops[i] = x
		}
		for _, x := range ops[1:] {
			if err := p.o.sameType(ops[0], x); err != nil {
				return nil, err
			}
		}
		return between{ops[0], ops[1], ops[2]}, nil
	case "in":
		if err := nargs(2); err != nil {
			return nil, err
		}
		l, err := p.scalar(args[0], argAt(0))
		if err != nil {
			return nil, err
		}
		items, ok := args[1].([]any)
		if !ok {
			return nil, &Error{ptr(argAt(1)), "in takes an array of values"}
		}
		var list []any
		for i, it := range items {
			p.nodes++
			if p.nodes > MaxNodes {
				return nil, &Error{ptr(argAt(1)), fmt.Sprintf("the filter has more than %d terms", MaxNodes)}
			}
			x, err := p.scalar(it, argAt(1)+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			if x.Property != "" {
				return nil, &Error{x.pos, "in takes a list of literals"}
			}
			if err := p.o.sameType(l, x); err != nil {
				return nil, err
			}
			list = append(list, x.Value)
		}
		return in{l, list}, nil
	case "isnull":
		if err := nargs(1); err != nil {
			return nil, err
		}
		x, err := p.scalar(args[0], argAt(0))
		if err != nil {
			return nil, err
		}
		return isNull{x}, nil
	case "s_intersects":
		if err := nargs(2); err != nil {
			return nil, err
		}
		if pm, ok := args[0].(map[string]any); !ok || pm["property"] != p.o.Geometry {
			return nil, &Error{ptr(argAt(0)), fmt.Sprintf("s_intersects takes {\"property\": %q} first", p.o.Geometry)}
		}
		g, err := p.geometry(args[1], argAt(1))
		if err != nil {
			return nil, err
		}
		return intersects{g}, nil
	}
	return nil, &Error{ptr(at + "/op"), fmt.Sprintf("unsupported operator %q", op)}
}

func ptr(at string) string {
	if at == "" {
		return "/"
	}
	return at
}

func (p *jsonParser) pair(args []any, at string) (Operand, Operand, error) {
	l, err := p.scalar(args[0], at+"/args/0")
	if err != nil {
		return l, l, err
	}
	r, err := p.scalar(args[1], at+"/args/1")
	if err != nil {
		return l, r, err
	}
	return l, r, p.o.sameType(l, r)
}

func (p *jsonParser) scalar(v any, at string) (Operand, error) {
	switch x := v.(type) {
	case string:
		return Operand{Value: x, pos: at}, nil
	case bool:
		return Operand{Value: x, pos: at}, nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return Operand{}, &Error{at, fmt.Sprintf("%s is not a finite number", x)}
		}
		return Operand{Value: f, pos: at}, nil
	case map[string]any:
		if name, ok := x["property"].(string); ok && len(x) == 1 {
			return p.o.property(name, at)
		}
	}
	return Operand{}, &Error{at, "expected {\"property\": name}, a string, a number or a boolean"}
}

// geometry reads a GeoJSON Point, Polygon or MultiPolygon, or {"bbox":
// [w, s, e, n]}.
func (p *jsonParser) geometry(v any, at string) (orb.Geometry, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{at, "expected a GeoJSON geometry or {\"bbox\": [...]}"}
	}
	if b, ok := m["bbox"].([]any); ok {
		v, err := p.numbers(b, at+"/bbox")
		if err != nil {
			return nil, err
		}
		if len(v) != 4 {
			return nil, &Error{at + "/bbox", fmt.Sprintf("bbox takes 4 numbers, got %d", len(v))}
		}
		return p.o.envelope(v[0], v[1], v[2], v[3], at+"/bbox")
	}
	c, _ := m["coordinates"].([]any)
	cat := at + "/coordinates"
	switch m["type"] {
	case "Point":
		return p.position(c, cat)
	case "Polygon":
		return p.polygon(c, cat)
	case "MultiPolygon":
		var mp orb.MultiPolygon
		for i, x := range c {
			xs, _ := x.([]any)
			poly, err := p.polygon(xs, cat+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			mp = append(mp, poly)
		}
		if len(mp) == 0 {
			return nil, &Error{cat, "a MultiPolygon needs a polygon"}
		}
		return mp, nil
	}
	return nil, &Error{at + "/type", "expected a Point, Polygon or MultiPolygon"}
}

func (p *jsonParser) polygon(c []any, at string) (orb.Polygon, error) {
	var poly orb.Polygon
	for i, r := range c {
		rs, _ := r.([]any)
		var ring orb.Ring
		rat := at + "/" + strconv.Itoa(i)
		for j, x := range rs {
			pt, err := p.position(x, rat+"/"+strconv.Itoa(j))
			if err != nil {
				return nil, err
			}
			ring = append(ring, pt)
		}
		if err := checkRing(ring, rat); err != nil {
			return nil, err
		}
		poly = append(poly, ring)
	}
	if len(poly) == 0 {
		return nil, &Error{at, "a Polygon needs a ring"}
	}
	return poly, nil
}

func (p *jsonParser) position(v any, at string) (orb.Point, error) {
	p.nodes++
	if p.nodes > MaxNodes {
		return orb.Point{}, &Error{at, fmt.Sprintf("the filter has more than %d terms", MaxNodes)}
	}
	a, _ := v.([]any)
	xy, err := p.numbers(a, at)
	if err != nil {
		return orb.Point{}, err
	}
	if len(xy) < 2 || len(xy) > 3 {
		return orb.Point{}, &Error{at, "a position takes 2 numbers (or 3, with a height)"}
	}
	return p.o.place(xy[0], xy[1]), nil
}

func (p *jsonParser) numbers(a []any, at string) ([]float64, error) {
	out := make([]float64, 0, len(a))
	for i, x := range a {
		n, ok := x.(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			return nil, &Error{at + "/" + strconv.Itoa(i), "expected a finite number"}
		}
		out = append(out, f)
	}
	return out, nil
}
