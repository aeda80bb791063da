package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sitematch/matching"
)

// Limits of GET /v1/communes.
const (
	defaultCommunes = 10
	maxCommunes     = 50
	maxCommuneQuery = 100
)

// CommuneHit is one commune found by GET /v1/communes.
type CommuneHit struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Departement string  `json:"departement"`
	Region      string  `json:"region"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	Population  int     `json:"population"`
}

// communes answers GET /v1/communes?q=&limit=: communes by name or INSEE
// code, for the web map's autocompletion of suppliers and customers.
func (s *Server) communes(c echo.Context) error {
	var ve matching.ValidationError
	q := strings.TrimSpace(c.QueryParam("q"))
	switch {
	case q == "":
		ve.Add("q", "is required: part of a commune name or the start of an INSEE code")
	case len(q) > maxCommuneQuery:
		ve.Add("q", "must be at most %d characters", maxCommuneQuery)
	}
	limit := defaultCommunes
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxCommunes {
			ve.Add("limit", "must be a whole number between 1 and %d", maxCommunes)
		}
		limit = n
	}
	for k := range c.QueryParams() {
		if k != "q" && k != "limit" {
			ve.Add(k, "unknown query parameter (known: q, limit)")
		}
	}
	if err := ve.Err(); err != nil {
		return &paramError{&ve}
	}
	out := []CommuneHit{}
	for _, cm := range s.engine().Catalogue().SearchCommunes(q, limit) {
		out = append(out, CommuneHit{Code: cm.Code, Name: cm.Name, Departement: cm.Dep, Region: cm.Reg,
			Lon: cm.Point[0], Lat: cm.Point[1], Population: cm.Population})
	}
	return writeJSON(c, http.StatusOK, mimeJSON, out)
}
