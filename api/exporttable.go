package api

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/api/wire"
	"sitematch/matching"
)

// The rows of a result in GIS formats and their columns (see export.go).

// exportRow is one site of a result.
type exportRow struct {
	Line       int // batch: the input line
	Pair       int // shortlist: 0 best, 1… runners-up
	Member     string
	Rank       int
	Site       wire.SiteJSON
	Score      *float64
	Criteria   map[string]wire.CriterionJSON
	ExcludedBy *string
	PairValue  *float64
	PairBackup *float64
	PairKm     *float64
	Flags      []wire.FlagJSON
}

// exportTable is the rows of a result and what they say as a whole.
type exportTable struct {
	Op          string // match, compare, shortlist, batch
	DataVersion string
	Rows        []exportRow
	Problems    []int // batch: the lines that have a problem
	Gaps        []string
}

// exportRows decodes a JSON answer of op into its rows.
func exportRows(op string, body []byte) (*exportTable, error) {
	tab := &exportTable{Op: op}
	bad := func(err error) (*exportTable, error) {
		return nil, fmt.Errorf("api: exporting a %s answer: %w", op, err)
	}
	matchRows := func(mr *wire.MatchResponse, line int) {
		tab.DataVersion, tab.Gaps = mr.DataVersion, mr.CoverageGaps
		for _, r := range mr.Results {
			score := r.Score
			tab.Rows = append(tab.Rows, exportRow{Line: line, Rank: r.Rank, Site: r.Site, Score: &score,
				Criteria: r.Criteria, Flags: r.Flags})
		}
	}
	switch op {
	case "match":
		var mr wire.MatchResponse
		if err := json.Unmarshal(body, &mr); err != nil {
			return bad(err)
		}
		matchRows(&mr, 0)
	case "batch":
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, len(body)+1)
		for sc.Scan() {
			var line struct {
				Line   int `json:"line"`
				Status int `json:"status"`
				wire.MatchResponse
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				return bad(err)
			}
			if line.Status != http.StatusOK {
				tab.Problems = append(tab.Problems, line.Line)
				continue
			}
			matchRows(&line.MatchResponse, line.Line)
		}
		if err := sc.Err(); err != nil {
			return bad(err)
		}
	case "compare":
		var cr wire.CompareResponse
		if err := json.Unmarshal(body, &cr); err != nil {
			return bad(err)
		}
		tab.DataVersion, tab.Gaps = cr.DataVersion, cr.CoverageGaps
		for _, s := range cr.Sites {
			score := s.Score
			tab.Rows = append(tab.Rows, exportRow{Rank: s.Rank, Site: s.Site, Score: &score, Criteria: s.Criteria,
				ExcludedBy: s.ExcludedBy})
		}
	case "shortlist":
		var sr wire.ShortlistResponse
		if err := json.Unmarshal(body, &sr); err != nil {
			return bad(err)
		}
		tab.DataVersion = sr.DataVersion
		pairs := sr.RunnersUp
		if sr.Best != nil {
			pairs = append([]wire.PairJSON{*sr.Best}, pairs...)
		}
		for i, p := range pairs {
			n := i
			if sr.Best == nil {
				n++
			}
			v, b, km := p.Value, p.Backup, p.Km
			for _, m := range []struct {
				member string
				site   wire.SiteJSON
			}{{"a", p.SiteA}, {"b", p.SiteB}} {
				tab.Rows = append(tab.Rows, exportRow{Pair: n, Member: m.member, Rank: n + 1, Site: m.site,
					PairValue: &v, PairBackup: &b, PairKm: &km})
			}
		}
	default:
		return bad(fmt.Errorf("unknown operation"))
	}
	return tab, nil
}

// exportColumn is one column of the rows, with its GeoPackage type.
type exportColumn struct {
	Name  string
	Type  string // TEXT, INTEGER, REAL
	value func(r *exportRow) any
}

func fptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// columns are the table's columns (see the package comment above).
func (t *exportTable) columns() []exportColumn {
	var cols []exportColumn
	add := func(name, typ string, v func(r *exportRow) any) {
		cols = append(cols, exportColumn{name, typ, v})
	}
	if t.Op == "batch" {
		add("line", "INTEGER", func(r *exportRow) any { return r.Line })
	}
	if t.Op == "shortlist" {
		add("pair", "INTEGER", func(r *exportRow) any { return r.Pair })
		add("member", "TEXT", func(r *exportRow) any { return r.Member })
	}
	add("rank", "INTEGER", func(r *exportRow) any { return r.Rank })
	add("id", "TEXT", func(r *exportRow) any { return r.Site.ID })
	add("kind", "TEXT", func(r *exportRow) any { return r.Site.Kind })
	add("name", "TEXT", func(r *exportRow) any { return r.Site.Name })
	add("lon", "REAL", func(r *exportRow) any { return r.Site.Lon })
	add("lat", "REAL", func(r *exportRow) any { return r.Site.Lat })
	add("commune_insee", "TEXT", func(r *exportRow) any { return r.Site.Commune.Code })
	add("commune_name", "TEXT", func(r *exportRow) any { return r.Site.Commune.Name })
	add("departement", "TEXT", func(r *exportRow) any { return r.Site.Departement })
	add("region", "TEXT", func(r *exportRow) any { return r.Site.Region })
	add("area_ha", "REAL", func(r *exportRow) any { return fptr(r.Site.AreaHa) })
	if t.Op != "shortlist" {
		add("score", "REAL", func(r *exportRow) any { return fptr(r.Score) })
		for _, id := range matching.Criteria {
			if !slices.ContainsFunc(t.Rows, func(r exportRow) bool { _, ok := r.Criteria[id]; return ok }) {
				continue
			}
			crit := func(f func(wire.CriterionJSON) float64) func(r *exportRow) any {
				return func(r *exportRow) any {
					if c, ok := r.Criteria[id]; ok {
						return f(c)
					}
					return nil
				}
			}
			add(id+"_score", "REAL", crit(func(c wire.CriterionJSON) float64 { return c.Score }))
			add(id+"_weight", "REAL", crit(func(c wire.CriterionJSON) float64 { return c.Weight }))
			add(id+"_contribution", "REAL", crit(func(c wire.CriterionJSON) float64 { return c.Contribution }))
		}
	}
	if t.Op == "compare" {
		add("excluded_by", "TEXT", func(r *exportRow) any {
			if r.ExcludedBy == nil {
				return nil
			}
			return *r.ExcludedBy
		})
	}
	if t.Op == "shortlist" {
		add("pair_value", "REAL", func(r *exportRow) any { return fptr(r.PairValue) })
		add("pair_backup", "REAL", func(r *exportRow) any { return fptr(r.PairBackup) })
		add("pair_km", "REAL", func(r *exportRow) any { return fptr(r.PairKm) })
	}
	if t.Op == "match" || t.Op == "batch" {
		add("flags", "TEXT", func(r *exportRow) any {
			var ids []string
			for _, f := range r.Flags {
				ids = append(ids, f.ID)
			}
			return strOrNil(strings.Join(ids, ","))
		})
	}
	add("source", "TEXT", func(r *exportRow) any { return r.Site.Source })
	return cols
}

// featureCollection is the rows as GeoJSON.
func (t *exportTable) featureCollection() *geojson.FeatureCollection {
	cols := t.columns()
	fc := geojson.NewFeatureCollection()
	for i := range t.Rows {
		r := &t.Rows[i]
		f := geojson.NewFeature(orb.Point{r.Site.Lon, r.Site.Lat})
		f.ID = r.Site.ID
		for _, c := range cols {
			f.Properties[c.Name] = c.value(r)
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"data_version": t.DataVersion, "coverage_gaps": wire.NonNil(t.Gaps)}
	if t.Op == "batch" {
		fc.ExtraMembers["problems"] = wire.NonNil(t.Problems)
	}
	return fc
}

// csv is the rows as CSV (RFC 4180, a header row, "." decimals).
func (t *exportTable) csv() ([]byte, error) {
	cols := t.columns()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Name
	}
	_ = w.Write(head)
	rec := make([]string, len(cols))
	for i := range t.Rows {
		for j, c := range cols {
			switch v := c.value(&t.Rows[i]).(type) {
			case nil:
				rec[j] = ""
			case string:
				rec[j] = v
			case int:
				rec[j] = strconv.Itoa(v)
			case float64:
				rec[j] = strconv.FormatFloat(v, 'f', -1, 64)
			default:
				rec[j] = fmt.Sprint(v)
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("api: writing CSV: %w", err)
	}
	return buf.Bytes(), nil
}
