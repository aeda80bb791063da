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

	"sitematch/matching"
)

// The decoder framework of the JSON request bodies: a body is decoded
// once into plain values (decodeJSON, numbers kept as json.Number), then
// walked by node, which records a field error with its path for every
// wrong type and every unknown field.

// node walks a decoded JSON object, reading fields by name and recording a
// field error, with its path, for every wrong type and every unknown field.
// The path is only spelled out for an error.
type node struct {
	base string // the object's path, or its array's when idx >= 0
	idx  int    // the object's index in the array at base, -1 when none
	m    map[string]any
	used map[string]bool
	errs *matching.ValidationError
}

func newNode(path string, v any, errs *matching.ValidationError) (node, bool) {
	return newItemNode(path, -1, v, errs)
}

// newItemNode is newNode for the object at index idx of the array at base
// (idx -1: the object at base).
func newItemNode(base string, idx int, v any, errs *matching.ValidationError) (node, bool) {
	n := node{base: base, idx: idx, errs: errs}
	m, ok := v.(map[string]any)
	if !ok {
		errs.Add(n.path(), "must be an object, got %s", jsonType(v))
		return node{}, false
	}
	n.m, n.used = m, make(map[string]bool, len(m))
	return n, true
}

// path is the object's path.
func (n node) path() string {
	if n.idx < 0 {
		return n.base
	}
	return n.base + "[" + strconv.Itoa(n.idx) + "]"
}

func (n node) at(key string) string {
	if p := n.path(); p != "" {
		return p + "." + key
	}
	return key
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

// number reads a JSON number; msg says what is wrong with v, "" when
// nothing is.
func number(v any) (f float64, msg string) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, "must be a number, got " + jsonType(v)
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, "number " + string(num) + " is out of range"
	}
	return f, ""
}

func (n node) num(key string) *float64 {
	v, ok := n.get(key)
	if !ok {
		return nil
	}
	f, msg := number(v)
	if msg != "" {
		n.errs.Add(n.at(key), "%s", msg)
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
		f, msg := number(x)
		if msg != "" {
			n.errs.Add(n.at(key)+"."+k, "%s", msg)
			continue
		}
		out[k] = f
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
