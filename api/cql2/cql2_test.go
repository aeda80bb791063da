package cql2

import (
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

var opts = Options{Queryables: map[string]Type{"departement": String, "area_ha": Number, "name": String,
	"unverified": Boolean, "trades": Other}, Geometry: "geometry"}

var feats = []Feature{
	{Props: map[string]any{"departement": "76", "area_ha": 12.5, "name": "Port de Rouen", "unverified": false}, Geom: orb.Point{1.09, 49.44}},
	{Props: map[string]any{"departement": "14", "area_ha": nil, "name": "Caen 50% zone", "unverified": true}, Geom: orb.Point{-0.37, 49.18}},
	{Props: map[string]any{"departement": "76", "area_ha": 3, "name": "Le Havre", "unverified": nil}, Geom: orb.Polygon{{{0.1, 49.4}, {0.2, 49.4}, {0.2, 49.5}, {0.1, 49.5}, {0.1, 49.4}}}},
	{Props: map[string]any{"departement": nil, "area_ha": 40.0, "name": "Nowhere"}, Geom: nil},
}

// TestFilters evaluates each filter, in text and in JSON, on four
// features and compares the indexes of those matched.
func TestFilters(t *testing.T) {
	for _, tc := range []struct {
		text, json string
		want       string
	}{
		{"departement = '76'", `{"op":"=","args":[{"property":"departement"},"76"]}`, "0,2"},
		{"(departement = '76')", ``, "0,2"},
		{"departement <> '76'", `{"op":"<>","args":[{"property":"departement"},"76"]}`, "1"},
		{"area_ha > 5", `{"op":">","args":[{"property":"area_ha"},5]}`, "0,3"},
		{"area_ha >= 3 AND area_ha <= 12.5", ``, "0,2"},
		{"area_ha BETWEEN 3 AND 12.5", `{"op":"between","args":[{"property":"area_ha"},3,12.5]}`, "0,2"},
		{"area_ha NOT BETWEEN 3 AND 12.5", ``, "3"},
		{"area_ha IS NULL", `{"op":"isNull","args":[{"property":"area_ha"}]}`, "1"},
		{"area_ha IS NOT NULL", `{"op":"not","args":[{"op":"isNull","args":[{"property":"area_ha"}]}]}`, "0,2,3"},
		{"NOT (area_ha > 5)", ``, "2"}, // null stays unknown
		{"departement IN ('14', '75')", `{"op":"in","args":[{"property":"departement"},["14","75"]]}`, "1"},
		{"departement NOT IN ('14')", ``, "0,2"},
		{"name LIKE 'Le %'", `{"op":"like","args":[{"property":"name"},"Le %"]}`, "2"},
		{"name LIKE '%50\\%%'", ``, "1"},
		{"name LIKE 'Caen_50%'", ``, "1"},
		{"name NOT LIKE '%o%'", ``, "2"},
		{"unverified = TRUE", `{"op":"=","args":[{"property":"unverified"},true]}`, "1"},
		{"departement = '76' OR area_ha > 30", `{"op":"or","args":[{"op":"=","args":[{"property":"departement"},"76"]},{"op":">","args":[{"property":"area_ha"},30]}]}`, "0,2,3"},
		{"departement = '76' and not area_ha < 10", ``, "0"},
		{"S_INTERSECTS(geometry, BBOX(0, 49, 1.5, 50))", `{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[0,49,1.5,50]}]}`, "0,2"},
		{"S_INTERSECTS(geometry, ENVELOPE(0.15, 49.45, 0.16, 49.46))", ``, "2"},
		{"S_INTERSECTS(geometry, POLYGON((0.12 49.3, 0.3 49.3, 0.3 49.6, 0.12 49.3)))", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[0.12,49.3],[0.3,49.3],[0.3,49.6],[0.12,49.3]]]}]}`, "2"},
		{"S_INTERSECTS(geometry, POINT(0.15 49.45))", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[0.15,49.45]}]}`, "2"},
		{"TRUE", `true`, "0,1,2,3"},
		{`"departement" = '76'`, ``, "0,2"},
		{"name = 'l''eau'", ``, ""},
	} {
		for lang, src := range map[string]string{"text": tc.text, "json": tc.json} {
			if src == "" {
				continue
			}
			var e Expr
			var err error
			if lang == "text" {
				e, err = ParseText(src, opts)
			} else {
				e, err = ParseJSON([]byte(src), opts)
			}
			if err != nil {
				t.Errorf("%s %s: %v", lang, src, err)
				continue
			}
			var got []string
			for i, f := range feats {
				if Match(e, f) {
					got = append(got, string(rune('0'+i)))
				}
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Errorf("%s %s matched %q, want %q", lang, src, g, tc.want)
			}
		}
	}
}

// TestErrors checks that bad filters are refused with the position of the
// fault.
func TestErrors(t *testing.T) {
	for _, tc := range []struct{ text, pos, msg string }{
		{"departement = ", "14", "expected a property or a value"},
		{"dept = '76'", "0", `unknown property "dept"`},
		{"area_ha = '76'", "10", "cannot compare a number with a string"},
		{"departement LIKE 3", "17", "LIKE takes a string pattern"},
		{"area_ha LIKE 'a%'", "0", "LIKE takes a string"},
		{"departement = '76", "14", "unterminated string"},
		{"departement = '76' AND", "22", "expected a property or a value"},
		{"(departement = '76'", "19", `expected ")"`},
		{"departement = '76' x", "19", "unexpected"},
		{"departement ~ '76'", "12", "unexpected character"},
		{"trades = 'a'", "0", "IS NULL"},
		{"S_INTERSECTS(geom, BBOX(0,0,1,1))", "13", "geometry property"},
		{"S_INTERSECTS(geometry, BBOX(0,0,1))", "33", "4 numbers"},
		{"S_INTERSECTS(geometry, BBOX(1,0,0,1))", "36", "minimum exceeds"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 0 0)))", "31", "at least 4 positions"},
		{strings.Repeat("NOT ", 40) + "TRUE", "132", "nests more than"},
		{strings.Repeat("(", 40) + "TRUE" + strings.Repeat(")", 40), "33", "nests more than"},
		{"departement IN (" + strings.Repeat("'a',", 1100) + "'b')", "", "more than"},
		{strings.Repeat("x", MaxLength+1), "0", "characters long"},
	} {
		_, err := ParseText(tc.text, opts)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%.40s: %v, want an *Error", tc.text, err)
			continue
		}
		if tc.pos != "" && e.Pos != tc.pos || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("%.40s: %v, want at %s %q", tc.text, err, tc.pos, tc.msg)
		}
	}
	for _, tc := range []struct{ json, pos, msg string }{
		{`{"op":"=","args":[{"property":"x"},"76"]}`, "/args/0", "unknown property"},
		{`{"op":"and","args":[true,{"op":"~","args":[]}]}`, "/args/1/op", "unsupported operator"},
		{`{"op":"=","args":[1]}`, "/args", "takes 2 arguments"},
		{`{"op":"=","args":[{"property":"area_ha"},"x"]}`, "/args/1", "cannot compare"},
		{`{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[0,0,"a",1]}]}`, "/args/1/bbox/2", "number"},
		{`{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Line"}]}`, "/args/1/type", "Point, Polygon"},
		{`[1`, "/", "not JSON"},
		{`3`, "/", "expected an object"},
		{`{"op":"and","args":[true,true]} x`, "/", "text after"},
	} {
		_, err := ParseJSON([]byte(tc.json), opts)
		var e *Error
		if !errors.As(err, &e) || e.Pos != tc.pos || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("%s: %v, want at %s %q", tc.json, err, tc.pos, tc.msg)
		}
	}
}

// TestFilterCRS checks that geometry literals are placed in CRS84 by
// ToCRS84: a box given lat/lon (EPSG:4326) finds what the lon/lat box does.
func TestFilterCRS(t *testing.T) {
	o := opts
	o.ToCRS84 = func(x, y float64) orb.Point { return orb.Point{y, x} }
	e, err := ParseText("S_INTERSECTS(geometry, BBOX(49, 0, 50, 1.5))", o)
	if err != nil {
		t.Fatal(err)
	}
	if !Match(e, feats[0]) || Match(e, feats[1]) || !Match(e, feats[2]) {
		t.Error("a lat/lon box did not match as its lon/lat twin")
	}
}

// TestLikeMatch compares likeMatch with a regular-expression-free brute
// force on short strings.
func TestLikeMatch(t *testing.T) {
	var brute func(p, s []rune) bool
	brute = func(p, s []rune) bool {
		if len(p) == 0 {
			return len(s) == 0
		}
		switch {
		case p[0] == '%':
			for i := 0; i <= len(s); i++ {
				if brute(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case p[0] == '\\' && len(p) > 1:
			return len(s) > 0 && s[0] == p[1] && brute(p[2:], s[1:])
		case p[0] == '_':
			return len(s) > 0 && brute(p[1:], s[1:])
		}
		return len(s) > 0 && s[0] == p[0] && brute(p[1:], s[1:])
	}
	alphabet := []rune{'a', 'b', '%', '_'}
	var gen func(n int) [][]rune
	gen = func(n int) [][]rune {
		if n == 0 {
			return [][]rune{{}}
		}
		var out [][]rune
		for _, w := range gen(n - 1) {
			out = append(out, w)
			for _, c := range alphabet {
				out = append(out, append(append([]rune{}, w...), c))
			}
		}
		return out
	}
	pats, strs := gen(4), gen(4)
	for _, p := range pats {
		for _, s := range strs {
			if strings.ContainsAny(string(s), "%_") {
				continue
			}
			if likeMatch(p, s) != brute(p, s) {
				t.Fatalf("LIKE %q on %q: %v, brute force %v", string(p), string(s), likeMatch(p, s), brute(p, s))
			}
		}
	}
}

// FuzzParse checks that no input makes the parsers panic, and that a
// parsed filter evaluates without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"departement = '76'", "NOT (area_ha BETWEEN 1 AND 2) OR name LIKE 'a%'",
		"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))", `{"op":"in","args":[{"property":"name"},["a"]]}`,
		"area_ha IN (1, 2, 3)", "unverified IS NOT NULL", "'", "((("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func() (Expr, error){
			func() (Expr, error) { return ParseText(s, opts) },
			func() (Expr, error) { return ParseJSON([]byte(s), opts) },
		} {
			e, err := parse()
			if err != nil {
				var ce *Error
				if !errors.As(err, &ce) {
					t.Fatalf("%q: error %T is not an *Error", s, err)
				}
				continue
			}
			for _, ft := range feats {
				Match(e, ft)
			}
		}
	})
}
