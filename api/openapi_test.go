package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func openAPIMap(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

// TestOpenAPICoversRoutes checks that the document describes every route
// the server serves, and nothing it does not.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc := openAPIMap(t)
	paths := doc["paths"].(map[string]any)
	param := regexp.MustCompile(`:([A-Za-z]+)`)
	served := map[string]bool{}
	for _, r := range testServer(t).e.Routes() {
		if r.Method == http.MethodHead {
			continue // every GET answers HEAD; the document lists GET
		}
		if strings.HasPrefix(r.Path, "/app") {
			continue // the web map's static files, not part of the API
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		served[key] = true
		item, ok := paths[p].(map[string]any)
		if !ok {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, p)
			continue
		}
		if _, ok := item[strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s: the document lacks the method", r.Method, p)
		}
	}
	for p, item := range paths {
		for m := range item.(map[string]any) {
			if !served[m+" "+p] {
				t.Errorf("the document describes %s %s, which the server does not serve", m, p)
			}
		}
	}
	// Every $ref resolves.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if resolve(doc, r) == nil {
					t.Errorf("$ref %s does not resolve", r)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

func resolve(doc map[string]any, ref string) map[string]any {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	m, _ := cur.(map[string]any)
	return m
}

// validate checks v against an OpenAPI 3.0 schema (the subset the
// document uses: $ref, allOf, anyOf, type, nullable, properties, required,
// additionalProperties, items, enum, minimum, maximum), appending one
// message per violation.
func validate(doc, schema map[string]any, v any, at string, errs *[]string) {
	if r, ok := schema["$ref"].(string); ok {
		validate(doc, resolve(doc, r), v, at, errs)
		return
	}
	if alts, ok := schema["anyOf"].([]any); ok {
		for _, s := range alts {
			var sub []string
			validate(doc, s.(map[string]any), v, at, &sub)
			if len(sub) == 0 {
				return
			}
		}
		*errs = append(*errs, fmt.Sprintf("%s: %v matches none of anyOf", at, v))
		return
	}
	if v == nil {
		if schema["nullable"] != true && schema["type"] != nil {
			*errs = append(*errs, at+": null, schema not nullable")
		}
		return
	}
	if all, ok := schema["allOf"].([]any); ok {
		for _, s := range all {
			validate(doc, s.(map[string]any), v, at, errs)
		}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		*errs = append(*errs, fmt.Sprintf("%s: %v not in enum %v", at, v, enum))
	}
	bad := func(want string) { *errs = append(*errs, fmt.Sprintf("%s: %T, want %s", at, v, want)) }
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("object")
			return
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asSlice(schema["required"]) {
			if _, ok := m[r.(string)]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: lacks required %q", at, r))
			}
		}
		for k, x := range m {
			if ps, ok := props[k].(map[string]any); ok {
				validate(doc, ps, x, at+"."+k, errs)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					*errs = append(*errs, fmt.Sprintf("%s: property %q not in the schema", at, k))
				}
			case map[string]any:
				validate(doc, ap, x, at+"."+k, errs)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("array")
			return
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range a {
				validate(doc, items, x, fmt.Sprintf("%s[%d]", at, i), errs)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			bad("string")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("boolean")
		}
	case "number", "integer":
		f, ok := v.(float64)
		if !ok {
			bad("number")
			return
		}
		if schema["type"] == "integer" && f != math.Trunc(f) {
			bad("integer")
		}
		if lo, ok := schema["minimum"].(float64); ok && (f < lo || (f == lo && schema["exclusiveMinimum"] == true)) {
			*errs = append(*errs, fmt.Sprintf("%s: %v below minimum %v", at, f, lo))
		}
		if hi, ok := schema["maximum"].(float64); ok && f > hi {
			*errs = append(*errs, fmt.Sprintf("%s: %v above maximum %v", at, f, hi))
		}
	}
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// responseSchema finds the documented schema of a response.
func responseSchema(t *testing.T, doc map[string]any, path, method string, status int, ctype string) map[string]any {
	t.Helper()
	item, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := item[method].(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not documented", method, path)
	}
	resp, ok := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if !ok {
		t.Fatalf("%s %s: status %d is not documented", method, path, status)
	}
	if r, ok := resp["$ref"].(string); ok {
		resp = resolve(doc, r)
	}
	content, _ := resp["content"].(map[string]any)
	media, ok := content[ctype].(map[string]any)
	if !ok {
		t.Fatalf("%s %s %d: content type %q is not documented (%v)", method, path, status, ctype, content)
	}
	return media["schema"].(map[string]any)
}

// TestResponsesMatchOpenAPI sends a request to every route and checks the
// response, success or problem, against the schema the document gives.
func TestResponsesMatchOpenAPI(t *testing.T) {
	doc := openAPIMap(t)
	h := testServer(t).Handler()
	cases := []struct {
		route, method string
		req           request
	}{
		{"/", "get", request{method: "GET", path: "/"}},
		{"/conformance", "get", request{method: "GET", path: "/conformance"}},
		{"/collections", "get", request{method: "GET", path: "/collections"}},
		{"/collections/{collectionId}", "get", request{method: "GET", path: "/collections/training"}},
		{"/collections/{collectionId}", "get", request{method: "GET", path: "/collections/nope"}},
		{"/collections/{collectionId}/schema", "get", request{method: "GET", path: "/collections/turnkey/schema"}},
		{"/collections/{collectionId}/schema", "get", request{method: "GET", path: "/collections/training/schema"}},
		{"/collections/{collectionId}/schema", "get", request{method: "GET", path: "/collections/nope/schema"}},
		{"/collections/{collectionId}/items", "get", request{method: "GET", path: "/collections/territoires_industrie/items?limit=500"}},
		{"/collections/{collectionId}/items", "get", request{method: "GET", path: "/collections/training/items?bbox=2,48,3,49"}},
		{"/collections/{collectionId}/items", "get", request{method: "GET", path: "/collections/training/items?bbox=2,48"}},
		{"/collections/{collectionId}/items/{featureId}", "get", request{method: "GET", path: "/collections/towns/items/town:acv-01053"}},
		{"/v1/match", "post", request{method: "POST", path: "/v1/match", body: `{"project": ` + picardyProject + `, "robustness": true, "limit": 5}`}},
		{"/v1/match", "post", request{method: "POST", path: "/v1/match", body: `{"project": ` + franceProject() + `, "limit": 5}`}},
		{"/v1/match", "post", request{method: "POST", path: "/v1/match", body: `{"project": {"name": ""}}`}},
		{"/v1/match", "post", request{method: "POST", path: "/v1/match", body: `{`}},
		{"/v1/match", "post", request{method: "POST", path: "/v1/match", body: `{}`, ctype: "text/plain"}},
		{"/v1/compare", "post", request{method: "POST", path: "/v1/compare", body: `{"project": ` + picardyProject + `, "site_ids": ["turnkey:ARA-1", "town:acv-01053"]}`}},
		{"/v1/shortlist", "post", request{method: "POST", path: "/v1/shortlist", body: `{"region": "84"}`}},
		{"/v1/shortlist", "post", request{method: "POST", path: "/v1/shortlist", body: `{"region": "06", "kinds": ["zone"]}`}},
		{"/v1/sites/{id}", "get", request{method: "GET", path: "/v1/sites/turnkey:ARA-1"}},
		{"/v1/sites/{id}", "get", request{method: "GET", path: "/v1/sites/nope"}},
		{"/v1/profiles", "get", request{method: "GET", path: "/v1/profiles"}},
		{"/v1/meta", "get", request{method: "GET", path: "/v1/meta"}},
		{"/healthz", "get", request{method: "GET", path: "/healthz"}},
		{"/readyz", "get", request{method: "GET", path: "/readyz"}},
	}
	for _, c := range cases {
		t.Run(c.req.method+" "+c.req.path[:min(len(c.req.path), 60)], func(t *testing.T) {
			rec := do(t, h, c.req)
			schema := responseSchema(t, doc, c.route, c.method, rec.Code, rec.Header().Get("Content-Type"))
			checkAgainst(t, doc, schema, rec)
		})
	}
	// Batch lines: each is a BatchLine, and a MatchResponse or a Problem.
	rec := do(t, h, request{method: "POST", path: "/v1/batch?robustness=true&limit=2", ctype: mimeNDJSON,
		body: smallProject + "\n" + `{"name": 3}` + "\n"})
	schema := responseSchema(t, doc, "/v1/batch", "post", rec.Code, rec.Header().Get("Content-Type"))
	for i, line := range batchLines(t, rec.Body.String()) {
		var errs []string
		validate(doc, schema, line, "line", &errs)
		other := "#/components/schemas/MatchResponse"
		if line["status"].(float64) != 200 {
			other = "#/components/schemas/Problem"
		}
		validate(doc, resolve(doc, other), line, "line", &errs)
		if len(errs) > 0 {
			t.Errorf("batch line %d: %s", i+1, strings.Join(errs, "\n"))
		}
	}
	// The request examples satisfy the request schemas.
	for name, body := range map[string]string{"Project": picardyProject, "MatchRequest": `{"project": ` + franceProject() + `, "limit": 3, "robustness": true, "seed": 4, "draws": 50}`,
		"CompareRequest": `{"project": {"name": "x"}, "site_ids": ["a", "b"]}`, "ShortlistRequest": `{"region": "28", "kinds": ["turnkey"], "sectors": ["energy"], "min_km": 40, "runners_up": 2}`} {
		var v any
		_ = json.Unmarshal([]byte(body), &v)
		var errs []string
		validate(doc, resolve(doc, "#/components/schemas/"+name), v, name, &errs)
		if len(errs) > 0 {
			t.Errorf("%s example: %s", name, strings.Join(errs, "\n"))
		}
	}
}

func checkAgainst(t *testing.T, doc, schema map[string]any, rec *httptest.ResponseRecorder) {
	t.Helper()
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	var errs []string
	validate(doc, schema, v, "body", &errs)
	if len(errs) > 0 {
		if len(errs) > 20 {
			errs = errs[:20]
		}
		t.Errorf("status %d: %d violations:\n%s", rec.Code, len(errs), strings.Join(errs, "\n"))
	}
	if rec.Code >= 500 {
		t.Errorf("status %d", rec.Code)
	}
}
