package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"sitematch/api/wire"
	"sitematch/matching"
)

// sector answers GET /v1/sectors/{naf}: a NAF code's A38 branch and its
// main supplier and customer branches.
func (s *Server) sector(c echo.Context) error {
	cat := s.engine().Catalogue()
	p, err := matching.Sector(pathParam(c, "naf"), &cat.IO)
	if err != nil {
		if ve := (*matching.ValidationError)(nil); errors.As(err, &ve) {
			return &paramError{ve}
		}
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, wire.NewSectorResponse(p, cat))
}
