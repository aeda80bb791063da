package main

import (
	"fmt"
	"strings"

	"sitematch/api"
	"sitematch/matching"
)

func runShortlist(e env, args []string) int {
	fs := newFlags(e, "shortlist", "--region CODE [--kinds turnkey,zone,brownfield] [--sectors aeronautics,chemistry,automotive] [--min-km 25] [--db PATH] [--json]")
	region := fs.String("region", "", "INSEE région code (e.g. 28 for Normandie)")
	kinds := fs.String("kinds", strings.Join(matching.DefaultShortlistKinds, ","), "candidate kinds, comma-separated")
	sectors := fs.String("sectors", strings.Join(matching.DefaultShortlistSectors, ","), "sector profiles, comma-separated")
	minKm := fs.Float64("min-km", matching.DefaultShortlistMinKm, "minimum distance between the two sites, km")
	runners := fs.Int("runners-up", matching.DefaultRunnersUp, "runner-up pairs to show")
	asJSON := fs.Bool("json", false, "print the JSON of POST /v1/shortlist (the API's response)")
	db := registryFlag(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *region == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	eng, err := loadEngine(e, "shortlist", *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch shortlist: %v\n", err)
		return exitError
	}
	sl, err := eng.Shortlist(matching.ShortlistRequest{Region: *region, Kinds: splitList(*kinds), Sectors: splitList(*sectors),
		MinKm: *minKm, RunnersUp: *runners})
	if err != nil {
		return invalid(e, "shortlist", "arguments", err)
	}
	if *asJSON {
		if err := printJSON(e.stdout, api.NewShortlistResponse(sl, eng.Catalogue())); err != nil {
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
