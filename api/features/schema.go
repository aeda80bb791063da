package features

// PropertySchemas returns the schema (an OpenAPI 3.0 Schema Object) of
// every property of the collection's features: Meta.Schema when given
// (so that a client reads a number as a number even when the first page
// of items holds it null, and an empty layer still has its fields), else
// inferred on first use (a collection never changes; a change derives a
// new one): a property takes the type all its non-null values share
// ("string", "number", "integer", "boolean", "object", or "array" of
// strings; a string when they are all null; none when they are of several
// types). Every property but id and source may be null (unknown):
// nullable (see Nullable).
func (c *Collection) PropertySchemas() map[string]any {
	c.schemaOnce.Do(func() {
		if c.Schema != nil {
			c.schemaProps = c.Schema
			return
		}
		types := map[string]string{}
		for i := range c.ids {
			for k, v := range c.layer.Properties(i) {
				t, seen := types[k]
				vt := schemaType(v)
				switch {
				case !seen || t == "null":
					types[k] = vt
				case vt == "null" || vt == t:
				case t == "integer" && vt == "number":
					types[k] = "number"
				case t != "number" || vt != "integer":
					types[k] = "mixed"
				}
			}
		}
		out := make(map[string]any, len(types))
		for k, t := range types {
			switch t {
			case "null": // never known in this snapshot: a string when it is
				out[k] = Nullable(k, map[string]any{"type": "string"})
			case "mixed":
				out[k] = map[string]any{}
			case "array":
				out[k] = Nullable(k, map[string]any{"type": "array", "items": map[string]any{"type": "string"}})
			case "object":
				out[k] = Nullable(k, map[string]any{"type": "object"})
			default:
				out[k] = Nullable(k, map[string]any{"type": t})
			}
		}
		c.schemaProps = out
	})
	return c.schemaProps
}

// Nullable marks a property's schema as accepting null (OpenAPI 3.0's
// "nullable": true, beside its single "type"), except for id and source,
// which every feature has, and returns it. The feature schema is an
// OpenAPI 3.0 Schema Object, as in the API's document, rather than JSON
// Schema 2020-12's type array [t, "null"]: GDAL's OAPIF driver reads a
// property's "type" only when it is a single string, and would read every
// nullable field as a string. The queryables (JSON Schema 2020-12) use
// the type array (jsonSchema2020).
func Nullable(name string, schema map[string]any) map[string]any {
	if name == "id" || name == "source" {
		return schema
	}
	if _, ok := schema["type"]; ok {
		schema["nullable"] = true
	}
	if e, ok := schema["enum"].([]string); ok {
		vals := make([]any, 0, len(e)+1)
		for _, v := range e {
			vals = append(vals, v)
		}
		schema["enum"] = append(vals, nil) // OpenAPI 3.0.3: a nullable enumeration lists null
	}
	return schema
}

// jsonSchema2020 rewrites a property schema of PropertySchemas in JSON
// Schema 2020-12: nullable becomes a "null" in the type array (and in the
// enumeration).
func jsonSchema2020(schema map[string]any) map[string]any {
	if schema["nullable"] != true {
		return schema
	}
	out := make(map[string]any, len(schema))
	for k, v := range schema {
		out[k] = v
	}
	delete(out, "nullable")
	out["type"] = []string{schema["type"].(string), "null"}
	return out
}

// schemaType is the JSON Schema type of a property value.
func schemaType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int, int64:
		return "integer"
	case float64:
		return "number"
	case []string:
		return "array"
	case map[string]any:
		return "object"
	}
	return "mixed"
}
