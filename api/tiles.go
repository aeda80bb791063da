package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sitematch/api/features"
)

// registerTiles adds the routes of the tile server (OGC API Tiles, see
// package features).
func (s *Server) registerTiles(e *echo.Echo, methods []string) {
	e.Match(methods, "/tileMatrixSets", s.tileMatrixSets)
	e.Match(methods, "/tileMatrixSets/:tileMatrixSetId", s.tileMatrixSet)
	e.Match(methods, "/collections/:collectionId/tiles", s.tilesets)
	e.Match(methods, "/collections/:collectionId/tiles/:tileMatrixSetId", s.tileset)
	e.Match(methods, "/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol", s.tile)
}

// tilesets answers GET /collections/{collectionId}/tiles.
func (s *Server) tilesets(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, col.TileSets(s.baseURL(c)))
}

// tileset answers GET /collections/{collectionId}/tiles/WebMercatorQuad.
func (s *Server) tileset(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := features.CheckTileMatrixSet(pathParam(c, "tileMatrixSetId")); err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, col.TileSet(s.baseURL(c)))
}

// tileMatrixSets answers GET /tileMatrixSets.
func (s *Server) tileMatrixSets(c echo.Context) error {
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, features.TileMatrixSets(s.baseURL(c)))
}

// tileMatrixSet answers GET /tileMatrixSets/WebMercatorQuad: its
// definition (OGC 2D Tile Matrix Set 2.0, JSON encoding).
func (s *Server) tileMatrixSet(c echo.Context) error {
	if err := features.CheckTileMatrixSet(pathParam(c, "tileMatrixSetId")); err != nil {
		return err
	}
	if err := checkFormat(c, "json"); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, features.WebMercatorQuad())
}

// tile answers GET /collections/{collectionId}/tiles/WebMercatorQuad/{z}/{y}/{x}.
func (s *Server) tile(c echo.Context) error {
	col, err := s.collectionParam(c)
	if err != nil {
		return err
	}
	if err := features.CheckTileMatrixSet(pathParam(c, "tileMatrixSetId")); err != nil {
		return err
	}
	if err := checkFormat(c, "mvt"); err != nil {
		return err
	}
	body, err := col.Tile(pathParam(c, "tileMatrix"), pathParam(c, "tileRow"), pathParam(c, "tileCol"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=60")
	return writeBody(c, http.StatusOK, mimeMVT, body)
}
