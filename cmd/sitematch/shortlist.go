package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"sitematch/matching"
)

func runShortlist(e env, args []string) int {
	fs := newFlags(e, "shortlist", "--region CODE [--kinds turnkey,zone,brownfield] [--sectors aeronautics,chemistry,automotive] [--min-km 25] [--json]")
	region := fs.String("region", "", "INSEE région code (e.g. 28 for Normandie)")
	kinds := fs.String("kinds", strings.Join(matching.DefaultShortlistKinds, ","), "candidate kinds, comma-separated")
	sectors := fs.String("sectors", strings.Join(matching.DefaultShortlistSectors, ","), "sector profiles, comma-separated")
	minKm := fs.Float64("min-km", matching.DefaultShortlistMinKm, "minimum distance between the two sites, km")
	runners := fs.Int("runners-up", matching.DefaultRunnersUp, "runner-up pairs to show")
	asJSON := fs.Bool("json", false, "print JSON (the shape of POST /v1/shortlist)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *region == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	eng, _, err := loadEngine()
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch shortlist: %v\n", err)
		return exitError
	}
	sl, err := eng.Shortlist(matching.ShortlistRequest{Region: *region, Kinds: splitList(*kinds), Sectors: splitList(*sectors),
		MinKm: *minKm, RunnersUp: *runners})
	if err != nil {
		return invalid(e, "shortlist", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(shortlistJSON(sl)); err != nil {
			fmt.Fprintf(e.stderr, "sitematch shortlist: %v\n", err)
			return exitError
		}
		return exitOK
	}
	w := e.stdout
	fmt.Fprintf(w, "Région %s (%s): %d sites of kinds %s, %d able to host at least one sector\n\n", sl.Region.Name, sl.Region.Code,
		sl.Considered, strings.Join(sl.Kinds, ", "), sl.Scored)
	if sl.Best == nil {
		fmt.Fprintln(w, sl.Explain)
		return exitOK
	}
	printPair := func(label string, p *matching.Pair) {
		fmt.Fprintf(w, "%s  %.1f  %s [%s] + %s [%s], %.1f km apart\n", label, p.Value, p.A.Site.ID, p.A.Commune.Name, p.B.Site.ID, p.B.Commune.Name, p.Km)
		for _, f := range p.Sectors {
			fmt.Fprintf(w, "       %-12s a %5.1f  b %5.1f  → %s\n", f.Sector, f.ScoreA, f.ScoreB, f.Best)
		}
	}
	printPair("best", sl.Best)
	fmt.Fprintf(w, "\n%s\n", sl.Explain)
	if len(sl.RunnersUp) > 0 {
		fmt.Fprintln(w, "\nRunner-up pairs:")
		for i := range sl.RunnersUp {
			printPair(fmt.Sprintf("#%-3d", i+2), &sl.RunnersUp[i])
		}
	}
	return exitOK
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// shortlistJSON is the JSON of a shortlist, shared in shape with the API's.
func shortlistJSON(sl *matching.Shortlist) any {
	pair := func(p *matching.Pair) map[string]any {
		if p == nil {
			return nil
		}
		var fits []map[string]any
		for _, f := range p.Sectors {
			fits = append(fits, map[string]any{"sector": f.Sector, "score_a": round2(f.ScoreA), "score_b": round2(f.ScoreB), "best": f.Best})
		}
		return map[string]any{"a": p.A.Site.ID, "b": p.B.Site.ID, "value": round2(p.Value), "backup": round2(p.Backup), "km": p.Km, "sectors": fits, "explain": p.Explain}
	}
	var runners []map[string]any
	for i := range sl.RunnersUp {
		runners = append(runners, pair(&sl.RunnersUp[i]))
	}
	var sectors []string
	for _, p := range sl.Sectors {
		sectors = append(sectors, p.ID)
	}
	return map[string]any{"data_version": sl.DataVersion, "region": map[string]string{"code": sl.Region.Code, "name": sl.Region.Name},
		"kinds": sl.Kinds, "sectors": sectors, "min_km": sl.MinKm, "considered": sl.Considered, "scored": sl.Scored,
		"best": pair(sl.Best), "runners_up": runners, "explain": sl.Explain}
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
