// Command export writes what the peer benchmarks (bench/peers/run.sh)
// load: for one match request, every eligible candidate of the embedded
// catalogue with the project-dependent part of its score that does not
// involve the partners, precomputed by the engine (the sum of the other
// criteria's contributions and the supply chain's normalised weight), and
// the project's partners with their weights and the supply-chain decay
// band. The peers then do what dominates a match, the supply-chain term
// over every candidate × partner, the weighted total and the top k, in
// SQL. It is a benchmark tool, not part of the engine.
//
//	go run ./bench/peers/export REQUEST.json OUTDIR
//
// writes OUTDIR/candidates.csv (id, lon, lat, fixed, supply_weight),
// OUTDIR/partners.csv (lon, lat, weight), OUTDIR/params.csv (near_km,
// far_km, limit) and OUTDIR/expected.csv (sitematch's top k: rank, id,
// score), so that the script can check the peers rank the same sites.
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"sitematch/api"
	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/matching"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: export REQUEST.json OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(reqPath, out string) error {
	body, err := os.ReadFile(reqPath)
	if err != nil {
		return err
	}
	req, err := api.DecodeMatchRequest(body)
	if err != nil {
		return err
	}
	cat, err := data.LoadEmbedded()
	if err != nil {
		return err
	}
	eng, err := matching.NewEngine(cat)
	if err != nil {
		return err
	}
	p := wire.CanonicalProject(req.Project, cat)
	r := matching.Resolve(p)
	limit := req.Limit
	if limit == 0 {
		limit = matching.DefaultLimit
	}
	// The engine's own answer, for the check; MaxLimit per commune so the
	// peers' plain top k (no diversity rule) is comparable.
	res, err := eng.Match(p, matching.Options{Limit: limit, MaxPerCommune: matching.MaxLimit})
	if err != nil {
		return err
	}
	var cands [][]string
	ids := make([]string, 0, matching.MaxCompare)
	flush := func() error {
		if len(ids) < matching.MinCompare {
			ids = append(ids, ids[0]) // a lone last site, compared with itself
		}
		cmp, err := eng.Compare(p, ids)
		if err != nil {
			return err
		}
		for i, s := range cmp.Sites {
			if s.ExcludedBy != "" || (i > 0 && s.Candidate.Site.ID == cmp.Sites[0].Candidate.Site.ID) {
				continue
			}
			var fixed, ws float64
			for _, c := range s.Criteria {
				if c.ID == matching.SupplyChain {
					ws = c.Weight
					continue
				}
				fixed += c.Contribution
			}
			pt := s.Candidate.Site.Point
			cands = append(cands, []string{s.Candidate.Site.ID, f(pt[0]), f(pt[1]), f(fixed), f(ws)})
		}
		ids = ids[:0]
		return nil
	}
	for _, c := range eng.Candidates() {
		ids = append(ids, c.Site.ID)
		if len(ids) == matching.MaxCompare {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(ids) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	var partners [][]string
	for _, x := range append(append([]matching.Partner{}, r.Suppliers...), r.Customers...) {
		lon, lat := 0.0, 0.0
		if x.Commune != "" {
			c, _ := cat.Commune(x.Commune)
			lon, lat = c.Point[0], c.Point[1]
		} else {
			lon, lat = *x.Lon, *x.Lat
		}
		w := 1.0
		if x.Weight != nil {
			w = *x.Weight
		}
		partners = append(partners, []string{f(lon), f(lat), f(w)})
	}
	var expected [][]string
	for _, x := range res.Results {
		expected = append(expected, []string{strconv.Itoa(x.Rank), x.Candidate.Site.ID, f(x.Score)})
	}
	files := map[string]struct {
		header []string
		rows   [][]string
	}{
		"candidates.csv": {[]string{"id", "lon", "lat", "fixed", "supply_weight"}, cands},
		"partners.csv":   {[]string{"lon", "lat", "weight"}, partners},
		"params.csv":     {[]string{"near_km", "far_km", "limit"}, [][]string{{f(*r.Supply.NearKm), f(*r.Supply.FarKm), strconv.Itoa(limit)}}},
		"expected.csv":   {[]string{"rank", "id", "score"}, expected},
	}
	for name, c := range files {
		if err := writeCSV(filepath.Join(out, name), c.header, c.rows); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "export: %d eligible candidates of %d, %d partners, band %g-%g km\n",
		len(cands), len(eng.Candidates()), len(partners), *r.Supply.NearKm, *r.Supply.FarKm)
	return nil
}

func f(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func writeCSV(path string, header []string, rows [][]string) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(fh)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	if err := w.Error(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
