package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"sitematch/data"
	"sitematch/matching"
)

// MatchRequest is the body of POST /v1/match.
type MatchRequest struct {
	Project    matching.Project
	Limit      int
	Robustness bool
	Seed       uint64
	Draws      int
	// MaxPerCommune bounds the results per commune (0: the default).
	MaxPerCommune int
}

// node walks a decoded JSON object, reading fields by name and recording a
// field error, with its path, for every wrong type and every unknown field.
type node struct {
	path string
	m    map[string]any
	used map[string]bool
	errs *matching.ValidationError
}

func newNode(path string, v any, errs *matching.ValidationError) (node, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		errs.Add(path, "must be an object, got %s", jsonType(v))
		return node{}, false
	}
	return node{path: path, m: m, used: map[string]bool{}, errs: errs}, true
}

func (n node) at(key string) string {
	if n.path == "" {
		return key
	}
	return n.path + "." + key
}

func (n node) get(key string) (any, bool) {
	n.used[key] = true
	v, ok := n.m[key]
	if ok && v == nil {
		return nil, false // null is the same as absent
	}
	return v, ok
}

// done reports the fields the schema does not know, in sorted order.
func (n node) done() {
	var unknown []string
	for k := range n.m {
		if !n.used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		n.errs.Add(n.at(k), "unknown field")
	}
}

func (n node) str(key string) string {
	v, ok := n.get(key)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		n.errs.Add(n.at(key), "must be a string, got %s", jsonType(v))
	}
	return s
}

func (n node) boolean(key string) bool {
	v, ok := n.get(key)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		n.errs.Add(n.at(key), "must be true or false, got %s", jsonType(v))
	}
	return b
}

func number(errs *matching.ValidationError, path string, v any) (float64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		errs.Add(path, "must be a number, got %s", jsonType(v))
		return 0, false
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || math.IsInf(f, 0) {
		errs.Add(path, "number %s is out of range", num)
		return 0, false
	}
	return f, true
}

func (n node) num(key string) *float64 {
	v, ok := n.get(key)
	if !ok {
		return nil
	}
	f, ok := number(n.errs, n.at(key), v)
	if !ok {
		return nil
	}
	return &f
}

func (n node) integer(key string, lo, hi int64) *int64 {
	f := n.num(key)
	if f == nil {
		return nil
	}
	if *f != math.Trunc(*f) {
		n.errs.Add(n.at(key), "must be a whole number")
		return nil
	}
	if *f < float64(lo) || *f > float64(hi) {
		n.errs.Add(n.at(key), "must be between %d and %d", lo, hi)
		return nil
	}
	i := int64(*f)
	return &i
}

func (n node) strs(key string) []string {
	v, ok := n.get(key)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		n.errs.Add(n.at(key), "must be an array of strings, got %s", jsonType(v))
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, x := range arr {
		s, isStr := x.(string)
		if !isStr {
			n.errs.Add(fmt.Sprintf("%s[%d]", n.at(key), i), "must be a string, got %s", jsonType(x))
			continue
		}
		out = append(out, s)
	}
	return out
}

func (n node) numMap(key string) map[string]float64 {
	v, ok := n.get(key)
	if !ok {
		return nil
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		n.errs.Add(n.at(key), "must be an object of numbers, got %s", jsonType(v))
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, x := range m {
		if f, ok := number(n.errs, n.at(key)+"."+k, x); ok {
			out[k] = f
		}
	}
	return out
}

func (n node) object(key string) (node, bool) {
	v, ok := n.get(key)
	if !ok {
		return node{}, false
	}
	return newNode(n.at(key), v, n.errs)
}

func (n node) array(key string) []any {
	v, ok := n.get(key)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		n.errs.Add(n.at(key), "must be an array, got %s", jsonType(v))
		return nil
	}
	return arr
}

// MaxPartnersDecoded bounds the partners read from a request before
// validation, so that a huge array is refused cheaply.
const maxArray = matching.MaxPartners + 1

// decodeJSON parses a JSON document, keeping numbers exact, and refuses
// trailing data. Syntax errors name their line and column.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the body is empty")
		}
		return nil, syntaxError(body, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("the body holds more than one JSON value")
	}
	return v, nil
}

func syntaxError(body []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(body[:se.Offset], []byte("\n"))
		col := int(se.Offset) - bytes.LastIndexByte(body[:se.Offset], '\n') - 1
		return fmt.Errorf("malformed JSON at line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("malformed JSON: unexpected end of input")
	}
	return fmt.Errorf("malformed JSON: %v", err)
}

// ErrMalformed is wrapped by errors for bodies that are not JSON.
var ErrMalformed = errors.New("malformed request body")

// DecodeProject reads a project document (the JSON of docs/CONTRACT.md, "A
// project"). Type errors and unknown fields come back as a
// *matching.ValidationError with paths under prefix; a body that is not JSON
// wraps ErrMalformed. Values are checked later, by matching.Validate.
func DecodeProject(body []byte, prefix string) (matching.Project, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return matching.Project{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var errs matching.ValidationError
	p := projectFrom(v, prefix, &errs)
	return p, errs.Err()
}

// ValidateDecoded completes a decoding's field errors (err, from
// DecodeProject or DecodeMatchRequest) with those matching.Validate finds in
// the part of the project that did decode, so that a request with a wrong
// type in one field and a wrong value in another hears about both at once.
// A field at or under a path the decoding reported, or above it, is left
// out: a value that failed to decode looks missing to Validate. An err that
// is not a *matching.ValidationError (a malformed body) is returned as is.
func ValidateDecoded(err error, p matching.Project, cat *data.Catalogue, prefix string) error {
	var out matching.ValidationError
	if err != nil {
		var dec *matching.ValidationError
		if !errors.As(err, &dec) {
			return err
		}
		out.Fields = append(out.Fields, dec.Fields...)
	}
	var ve *matching.ValidationError
	if errors.As(matching.Validate(CanonicalProject(p, cat), cat, prefix), &ve) {
		decoded := len(out.Fields)
		for _, f := range ve.Fields {
			related := false
			for _, d := range out.Fields[:decoded] {
				related = related || under(f.Field, d.Field) || under(d.Field, f.Field)
			}
			if !related {
				out.Fields = append(out.Fields, f)
			}
		}
	}
	return out.Err()
}

// under reports whether the field path a is b or lies under it.
func under(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(a, b+"[")
}

// DecodeMatchRequest reads the body of POST /v1/match:
// {"project": {…}, "limit": 20, "robustness": true, "seed": 1, "draws": 1000}.
func DecodeMatchRequest(body []byte) (MatchRequest, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return MatchRequest{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var errs matching.ValidationError
	req, ok := matchRequestFrom(v, &errs)
	if !ok {
		return req, errs.Err()
	}
	return req, errs.Err()
}

func matchRequestFrom(v any, errs *matching.ValidationError) (MatchRequest, bool) {
	var req MatchRequest
	n, ok := newNode("", v, errs)
	if !ok {
		return req, false
	}
	pv, has := n.get("project")
	if !has {
		errs.Add("project", "is required")
	} else {
		req.Project = projectFrom(pv, "project", errs)
	}
	if l := n.integer("limit", 1, matching.MaxLimit); l != nil {
		req.Limit = int(*l)
	}
	req.Robustness = n.boolean("robustness")
	if s := n.integer("seed", 0, 1<<53); s != nil {
		req.Seed = uint64(*s)
	}
	if d := n.integer("draws", 1, matching.MaxDraws); d != nil {
		req.Draws = int(*d)
	}
	if m := n.integer("max_per_commune", 1, matching.MaxLimit); m != nil {
		req.MaxPerCommune = int(*m)
	}
	n.done()
	return req, true
}

func projectFrom(v any, path string, errs *matching.ValidationError) matching.Project {
	var p matching.Project
	n, ok := newNode(path, v, errs)
	if !ok {
		return p
	}
	p.Name = n.str("name")
	p.Sector = n.str("sector")
	if j := n.integer("jobs", 1, 100_000); j != nil {
		jobs := int(*j)
		p.Jobs = &jobs
	}
	p.LandHa = n.num("land_ha")
	p.Trades = n.strs("trades")
	p.Suppliers = partnersFrom(n, "suppliers")
	p.Customers = partnersFrom(n, "customers")
	if s, ok := n.object("supply_chain"); ok {
		p.Supply.NearKm = s.num("near_km")
		p.Supply.FarKm = s.num("far_km")
		p.Supply.Mode = s.str("mode")
		s.done()
	}
	p.Transport = n.numMap("transport")
	if c, ok := n.object("constraints"); ok {
		p.Constraints.Regions = c.strs("regions")
		p.Constraints.Departements = c.strs("departements")
		p.Constraints.Kinds = c.strs("kinds")
		p.Constraints.MaxKm = c.numMap("max_km")
		p.Constraints.RequireKnownArea = c.boolean("require_known_area")
		p.Constraints.AllowOtherLandmass = c.boolean("allow_other_landmass")
		p.Constraints.IncludeUnverified = c.boolean("include_unverified")
		p.Constraints.IncludeNonIndustrial = c.boolean("include_non_industrial")
		p.Constraints.IncludeCommitted = c.boolean("include_committed")
		p.Constraints.VetoBelow = c.num("veto_below")
		c.done()
	}
	p.Weights = n.numMap("weights")
	p.Seveso = n.str("seveso")
	p.NeededBy = n.str("needed_by")
	n.done()
	return p
}

func partnersFrom(n node, key string) []matching.Partner {
	arr := n.array(key)
	if len(arr) > maxArray {
		n.errs.Add(n.at(key), "must hold at most %d partners", matching.MaxPartners)
		return nil
	}
	var out []matching.Partner
	for i, x := range arr {
		pn, ok := newNode(fmt.Sprintf("%s[%d]", n.at(key), i), x, n.errs)
		if !ok {
			continue
		}
		p := matching.Partner{Name: pn.str("name"), Commune: pn.str("commune"), Lon: pn.num("lon"), Lat: pn.num("lat"), Weight: pn.num("weight")}
		pn.done()
		out = append(out, p)
	}
	if out == nil && arr != nil {
		out = []matching.Partner{}
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
