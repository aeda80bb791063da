package api

import (
	_ "embed"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
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

// OpenAPI returns the OpenAPI 3.0 document the server serves at /api.
func OpenAPI() []byte { return openAPIDoc }

// openAPI answers GET /api.
func (s *Server) openAPI(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mimeOpenAPI)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(openAPIDoc)))
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(openAPIDoc)
	return err
}
