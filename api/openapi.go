package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"sitematch/data"
)

// openAPIDoc is the OpenAPI 3.0 document of every route: the /v1 JSON API
// with its request and response schemas, the OGC API Features routes and
// the operations endpoints. Its servers entry is "/", which clients
// resolve against the document's own URL. TestOpenAPICoversRoutes keeps it
// in step with the router, and TestResponsesMatchOpenAPI checks the
// responses against its schemas.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.0 document of the routes, openapi.json
// (/api serves it with a path per collection besides, servedAPIDoc).
func OpenAPI() []byte { return openAPIDoc }

// servedAPIDoc is openapi.json with, for each collection, its own items
// path (/collections/brownfields/items, …), a copy of the generic
// /collections/{collectionId}/items operation without the collectionId
// parameter, as pygeoapi and ldproxy list them: GDAL's OAPIF driver (3.6)
// looks for the filter-lang parameter, which tells it the server takes
// CQL2 text and so lets it send -where clauses as a filter, only under
// the collection's own path.
var servedAPIDoc = func() []byte {
	b, err := perCollectionPaths(openAPIDoc)
	if err != nil {
		panic(fmt.Sprintf("api: openapi.json: %v", err)) // the embedded document is tested
	}
	return b
}()

func perCollectionPaths(doc []byte) ([]byte, error) {
	var d map[string]json.RawMessage
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	var paths map[string]map[string]any
	if err := json.Unmarshal(d["paths"], &paths); err != nil {
		return nil, err
	}
	generic, ok := paths["/collections/{collectionId}/items"]
	if !ok {
		return nil, fmt.Errorf("no /collections/{collectionId}/items path")
	}
	withoutID := func(v any) []any {
		var out []any
		ps, _ := v.([]any)
		for _, p := range ps {
			if m, ok := p.(map[string]any); ok && m["$ref"] == "#/components/parameters/collectionId" {
				continue
			}
			out = append(out, p)
		}
		return out
	}
	for _, l := range data.Layers() {
		if l.Title == "" {
			continue
		}
		raw, _ := json.Marshal(generic)
		var item map[string]any
		_ = json.Unmarshal(raw, &item)
		item["parameters"] = withoutID(item["parameters"])
		get, _ := item["get"].(map[string]any)
		get["parameters"] = withoutID(get["parameters"])
		get["operationId"] = "getItems_" + l.ID
		get["summary"] = "Features of " + l.ID
		paths["/collections/"+l.ID+"/items"] = item
	}
	b, err := json.Marshal(paths)
	if err != nil {
		return nil, err
	}
	d["paths"] = b
	return json.Marshal(d)
}

// openAPI answers GET /api.
func (s *Server) openAPI(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mimeOpenAPI)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(servedAPIDoc)))
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(servedAPIDoc)
	return err
}
