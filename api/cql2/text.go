package cql2

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
)

// Options check and place a filter: the queryables and their types, the
// name of the geometry property (for S_INTERSECTS), and the conversion of
// the geometry literals' coordinates to CRS84 (filter-crs; nil: they are
// CRS84 already).
type Options struct {
	Queryables map[string]Type
	Geometry   string
	ToCRS84    func(x, y float64) orb.Point
}

// ParseText parses a CQL2 text filter.
func ParseText(s string, o Options) (Expr, error) {
	if len(s) > MaxLength {
		return nil, &Error{"0", fmt.Sprintf("the filter is %d characters long, more than %d", len(s), MaxLength)}
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &textParser{toks: toks, o: o, end: len(s)}
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, p.errf("unexpected %q after the end of the expression", p.peek().text)
	}
	return e, nil
}

type tokKind int

const (
	tIdent tokKind = iota
	tString
	tNumber
	tOp
	tPunct
)

type token struct {
	kind tokKind
	text string // an identifier's or keyword's name; a string's value
	pos  int
	num  float64
	quot bool // a "quoted" identifier, never a keyword
}

func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					return nil, &Error{strconv.Itoa(i), "unterminated string"}
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			out = append(out, token{kind: tString, text: b.String(), pos: i})
			i = j + 1
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, &Error{strconv.Itoa(i), "unterminated quoted property name"}
			}
			out = append(out, token{kind: tIdent, text: s[i+1 : i+1+j], pos: i, quot: true})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' || (c == '-' || c == '+') && i+1 < len(s) && (s[i+1] >= '0' && s[i+1] <= '9' || s[i+1] == '.'):
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
				(s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			f, err := strconv.ParseFloat(s[i:j], 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, &Error{strconv.Itoa(i), fmt.Sprintf("%q is not a number", s[i:j])}
			}
			out = append(out, token{kind: tNumber, text: s[i:j], pos: i, num: f})
			i = j
		case c == '_' || c < utf8Self && unicode.IsLetter(rune(c)) || c >= utf8Self:
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == ':' || s[j] >= utf8Self || unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j]))) {
				j++
			}
			out = append(out, token{kind: tIdent, text: s[i:j], pos: i})
			i = j
		case strings.HasPrefix(s[i:], "<>") || strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
			out = append(out, token{kind: tOp, text: s[i : i+2], pos: i})
			i += 2
		case c == '=' || c == '<' || c == '>':
			out = append(out, token{kind: tOp, text: s[i : i+1], pos: i})
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{kind: tPunct, text: s[i : i+1], pos: i})
			i++
		default:
			return nil, &Error{strconv.Itoa(i), fmt.Sprintf("unexpected character %q", c)}
		}
		if len(out) > 4*MaxNodes {
			return nil, &Error{strconv.Itoa(i), fmt.Sprintf("more than %d tokens", 4*MaxNodes)}
		}
	}
	return out, nil
}

const utf8Self = 0x80

type textParser struct {
	toks  []token
	i     int
	o     Options
	end   int
	nodes int
}

func (p *textParser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{kind: tPunct, text: "end of filter", pos: p.end}
}

func (p *textParser) errf(format string, a ...any) error {
	return &Error{strconv.Itoa(p.peek().pos), fmt.Sprintf(format, a...)}
}

// keyword reports whether the next token is the (unquoted) keyword kw,
// consuming it if so.
func (p *textParser) keyword(kw string) bool {
	t := p.peek()
	if p.i < len(p.toks) && t.kind == tIdent && !t.quot && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *textParser) punct(c string) bool {
	t := p.peek()
	if p.i < len(p.toks) && t.kind == tPunct && t.text == c {
		p.i++
		return true
	}
	return false
}

func (p *textParser) expect(c string) error {
	if !p.punct(c) {
		return p.errf("expected %q, got %q", c, p.peek().text)
	}
	return nil
}

func (p *textParser) node() error {
	p.nodes++
	if p.nodes > MaxNodes {
		return p.errf("the filter has more than %d terms", MaxNodes)
	}
	return nil
}

func (p *textParser) expr(depth int) (Expr, error) {
	if depth > MaxDepth {
		return nil, p.errf("the filter nests more than %d levels", MaxDepth)
	}
	var terms or
	for {
		var fs and
		for {
			e, err := p.unary(depth)
			if err != nil {
				return nil, err
			}
			fs = append(fs, e)
			if !p.keyword("AND") {
				break
			}
		}
		if len(fs) == 1 {
			terms = append(terms, fs[0])
		} else {
			terms = append(terms, fs)
		}
		if !p.keyword("OR") {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *textParser) unary(depth int) (Expr, error) {
	if err := p.node(); err != nil {
		return nil, err
	}
	if p.keyword("NOT") {
		if depth+1 > MaxDepth {
			return nil, p.errf("the filter nests more than %d levels", MaxDepth)
		}
		e, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return not{e}, nil
	}
	if p.punct("(") {
		e, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		return e, p.expect(")")
	}
	t := p.peek()
	if t.kind == tIdent && !t.quot {
		switch strings.ToUpper(t.text) {
		case "TRUE", "FALSE":
			// A boolean literal alone, unless compared.
			if n := p.i + 1; n >= len(p.toks) || p.toks[n].kind != tOp {
				p.i++
				return boolLit(strings.EqualFold(t.text, "TRUE")), nil
			}
		case "S_INTERSECTS", "INTERSECTS":
			p.i++
			return p.spatial()
		}
	}
	return p.predicate()
}

func (p *textParser) predicate() (Expr, error) {
	l, err := p.scalar()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tOp {
		p.i++
		r, err := p.scalar()
		if err != nil {
			return nil, err
		}
		if err := p.o.sameType(l, r); err != nil {
			return nil, err
		}
		return compare{t.text, l, r}, nil
	}
	if p.keyword("IS") {
		neg := p.keyword("NOT")
		if !p.keyword("NULL") {
			return nil, p.errf("expected NULL after IS, got %q", p.peek().text)
		}
		var e Expr = isNull{l}
		if neg {
			e = not{e}
		}
		return e, nil
	}
	neg := p.keyword("NOT")
	var e Expr
	switch {
	case p.keyword("LIKE"):
		r, err := p.scalar()
		if err != nil {
			return nil, err
		}
		if r.Property != "" || !isString(r.Value) {
			return nil, &Error{r.pos, "LIKE takes a string pattern"}
		}
		if err := p.o.want(l, String, "LIKE"); err != nil {
			return nil, err
		}
		e = like{l, []rune(r.Value.(string))}
	case p.keyword("BETWEEN"):
		lo, err := p.scalar()
		if err != nil {
			return nil, err
		}
		if !p.keyword("AND") {
			return nil, p.errf("expected AND in BETWEEN, got %q", p.peek().text)
		}
		hi, err := p.scalar()
		if err != nil {
			return nil, err
		}
		for _, x := range []Operand{lo, hi} {
			if err := p.o.sameType(l, x); err != nil {
				return nil, err
			}
		}
		e = between{l, lo, hi}
	case p.keyword("IN"):
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var list []any
		for {
			if err := p.node(); err != nil {
				return nil, err
			}
			v, err := p.scalar()
			if err != nil {
				return nil, err
			}
			if v.Property != "" {
				return nil, &Error{v.pos, "IN takes a list of literals"}
			}
			if err := p.o.sameType(l, v); err != nil {
				return nil, err
			}
			list = append(list, v.Value)
			if !p.punct(",") {
				break
			}
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		e = in{l, list}
	default:
		return nil, p.errf("expected a comparison, LIKE, BETWEEN, IN or IS NULL, got %q", p.peek().text)
	}
	if neg {
		e = not{e}
	}
	return e, nil
}

func isString(v any) bool { _, ok := v.(string); return ok }

// scalar reads a property or a literal.
func (p *textParser) scalar() (Operand, error) {
	t := p.peek()
	pos := strconv.Itoa(t.pos)
	switch t.kind {
	case tString:
		p.i++
		return Operand{Value: t.text, pos: pos}, nil
	case tNumber:
		p.i++
		return Operand{Value: t.num, pos: pos}, nil
	case tIdent:
		p.i++
		if !t.quot {
			switch strings.ToUpper(t.text) {
			case "TRUE":
				return Operand{Value: true, pos: pos}, nil
			case "FALSE":
				return Operand{Value: false, pos: pos}, nil
			}
		}
		return p.o.property(t.text, pos)
	}
	return Operand{}, p.errf("expected a property or a value, got %q", t.text)
}

// spatial reads S_INTERSECTS(geometry, literal) after its name.
func (p *textParser) spatial() (Expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tIdent || t.text != p.o.Geometry {
		return nil, p.errf("S_INTERSECTS takes the geometry property %q first", p.o.Geometry)
	}
	p.i++
	if err := p.expect(","); err != nil {
		return nil, err
	}
	g, err := p.geometry()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return intersects{g}, nil
}

// geometry reads a POINT, POLYGON, MULTIPOLYGON or BBOX/ENVELOPE literal.
func (p *textParser) geometry() (orb.Geometry, error) {
	switch {
	case p.keyword("BBOX"), p.keyword("ENVELOPE"):
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var v []float64
		for {
			n, err := p.number()
			if err != nil {
				return nil, err
			}
			v = append(v, n)
			if !p.punct(",") {
				break
			}
		}
		if len(v) != 4 {
			return nil, p.errf("BBOX takes 4 numbers (west, south, east, north), got %d", len(v))
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return p.o.envelope(v[0], v[1], v[2], v[3], strconv.Itoa(p.peek().pos))
	case p.keyword("POINT"):
		if err := p.expect("("); err != nil {
			return nil, err
		}
		pt, err := p.position()
		if err != nil {
			return nil, err
		}
		return pt, p.expect(")")
	case p.keyword("POLYGON"):
		return p.polygon()
	case p.keyword("MULTIPOLYGON"):
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var mp orb.MultiPolygon
		for {
			poly, err := p.polygon()
			if err != nil {
				return nil, err
			}
			mp = append(mp, poly)
			if !p.punct(",") {
				break
			}
		}
		return mp, p.expect(")")
	}
	return nil, p.errf("expected a geometry (POINT, POLYGON, MULTIPOLYGON, BBOX), got %q", p.peek().text)
}

func (p *textParser) polygon() (orb.Polygon, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var poly orb.Polygon
	for {
		at := strconv.Itoa(p.peek().pos)
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var r orb.Ring
		for {
			pt, err := p.position()
			if err != nil {
				return nil, err
			}
			r = append(r, pt)
			if !p.punct(",") {
				break
			}
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if err := checkRing(r, at); err != nil {
			return nil, err
		}
		poly = append(poly, r)
		if !p.punct(",") {
			break
		}
	}
	return poly, p.expect(")")
}

func checkRing(r orb.Ring, at string) error {
	if len(r) < 4 || r[0] != r[len(r)-1] {
		return &Error{at, "a polygon ring needs at least 4 positions, the last equal to the first"}
	}
	return nil
}

func (p *textParser) position() (orb.Point, error) {
	if err := p.node(); err != nil {
		return orb.Point{}, err
	}
	x, err := p.number()
	if err != nil {
		return orb.Point{}, err
	}
	y, err := p.number()
	if err != nil {
		return orb.Point{}, err
	}
	return p.o.place(x, y), nil
}

func (p *textParser) number() (float64, error) {
	t := p.peek()
	if t.kind != tNumber {
		return 0, p.errf("expected a number, got %q", t.text)
	}
	p.i++
	return t.num, nil
}

// property checks a property name against the queryables.
func (o Options) property(name, pos string) (Operand, error) {
	if _, ok := o.Queryables[name]; !ok {
		return Operand{}, &Error{pos, fmt.Sprintf("unknown property %q (see the collection's queryables)", name)}
	}
	return Operand{Property: name, pos: pos}, nil
}

func (o Options) typeOf(x Operand) Type {
	if x.Property != "" {
		return o.Queryables[x.Property]
	}
	switch x.Value.(type) {
	case string:
		return String
	case float64:
		return Number
	case bool:
		return Boolean
	}
	return Other
}

// sameType refuses to compare values of different types (a number
// property with a string, say), which would never match.
func (o Options) sameType(a, b Operand) error {
	ta, tb := o.typeOf(a), o.typeOf(b)
	if ta == Other || tb == Other {
		bad := a
		if tb == Other {
			bad = b
		}
		return &Error{bad.pos, fmt.Sprintf("property %q can only be tested with IS NULL", bad.Property)}
	}
	if ta != tb {
		return &Error{b.pos, fmt.Sprintf("cannot compare a %s with a %s", ta, tb)}
	}
	return nil
}

func (o Options) want(x Operand, t Type, op string) error {
	if got := o.typeOf(x); got != t {
		return &Error{x.pos, fmt.Sprintf("%s takes a %s, not a %s", op, t, got)}
	}
	return nil
}

func (o Options) place(x, y float64) orb.Point {
	if o.ToCRS84 != nil {
		return o.ToCRS84(x, y)
	}
	return orb.Point{x, y}
}

// envelope is a BBOX literal as a polygon in CRS84 (its corners placed,
// so that a Lambert-93 box becomes the quadrilateral it is).
func (o Options) envelope(w, s, e, n float64, pos string) (orb.Geometry, error) {
	if w > e || s > n {
		return nil, &Error{pos, "BBOX's minimum exceeds its maximum"}
	}
	if o.ToCRS84 == nil {
		return orb.Bound{Min: orb.Point{w, s}, Max: orb.Point{e, n}}, nil
	}
	return orb.Polygon{{o.place(w, s), o.place(e, s), o.place(e, n), o.place(w, n), o.place(w, s)}}, nil
}
