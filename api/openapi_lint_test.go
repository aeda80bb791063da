package api

import (
	"context"
	"fmt"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIValidates loads the served OpenAPI document with kin-openapi
// and validates it against OpenAPI 3.0 (schemas, references, examples), as
// a lint would: a "nullable" beside an "allOf" without a "type", a broken
// $ref or an example that violates its schema fails it.
func TestOpenAPIValidates(t *testing.T) {
	for name, b := range map[string][]byte{"openapi.json": openAPIDoc, "the served document": servedAPIDoc} {
		doc, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
		if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaFormatValidation()); err != nil {
			t.Fatalf("%s is not valid OpenAPI 3.0: %v", name, err)
		}
	}
}

// TestOpenAPINullableHasType walks the document for a "nullable" without
// a "type" beside it, which OpenAPI 3.0.3 ignores (a nullable reference is
// an anyOf of the reference and {type: object, nullable: true, enum:
// [null]}).
func TestOpenAPINullableHasType(t *testing.T) {
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if v["nullable"] == true && v["type"] == nil {
				t.Errorf("%s: nullable without type", at)
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(openAPIMap(t), "#")
}
