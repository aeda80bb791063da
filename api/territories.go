package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"sitematch/api/wire"
	"sitematch/matching"
)

// territory answers GET /v1/territories/{code}: the diagnostic of an EPCI
// (SIREN) or a Territoire d'industrie (id).
func (s *Server) territory(c echo.Context) error {
	eng, code := s.engine(), pathParam(c, "code")
	t, err := eng.TerritoryProfile(code)
	if errors.Is(err, matching.ErrUnknownTerritory) {
		return &NotFoundError{Param: "code", What: "territory (EPCI SIREN or Territoire d'industrie id)", Value: code}
	}
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, wire.NewTerritoryResponse(t, eng.Catalogue()))
}
