package features

import (
	"fmt"
	"slices"
	"strings"

	"sitematch/api/cql2"
)

// queryableTypes maps each property of the collection to its CQL2 type,
// from its schema (PropertySchemas).
func (c *Collection) queryableTypes() map[string]cql2.Type {
	out := map[string]cql2.Type{}
	for name, s := range c.PropertySchemas() {
		out[name] = cql2Type(s.(map[string]any))
	}
	return out
}

func cql2Type(s map[string]any) cql2.Type {
	t, _ := s["type"].(string)
	switch t {
	case "string":
		return cql2.String
	case "number", "integer":
		return cql2.Number
	case "boolean":
		return cql2.Boolean
	}
	return cql2.Other
}

// queryablesDoc is the JSON Schema of a collection's queryables (OGC API
// Features Part 3): every property, typed as in the schema, and the
// geometry.
func queryablesDoc(href string, col *Collection) map[string]any {
	props := map[string]any{"geometry": map[string]any{"format": "geometry-any", "x-ogc-role": "primary-geometry",
		"description": "The feature's geometry, for S_INTERSECTS."}}
	for k, v := range col.PropertySchemas() {
		props[k] = jsonSchema2020(v.(map[string]any))
	}
	// GDAL 3.6 reads the list of a draft of Part 3, "queryables": [{"id":
	// name}], beside the schema's properties (an unknown keyword, which
	// JSON Schema ignores).
	var list []map[string]string
	for k := range props {
		if k != "geometry" {
			list = append(list, map[string]string{"id": k, "queryable": k})
		}
	}
	slices.SortFunc(list, func(a, b map[string]string) int { return strings.Compare(a["id"], b["id"]) })
	return map[string]any{
		"queryables":           list,
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  href + "/queryables",
		"type":                 "object",
		"title":                col.Title,
		"description":          fmt.Sprintf("The properties a filter, sortby and properties may name on %s/items.", href),
		"properties":           props,
		"additionalProperties": false,
	}
}
