package main

import (
	"fmt"
	"strings"

	"sitematch/api/wire"
	"sitematch/matching"
)

func runShortlist(e env, args []string) int {
	const synopsis = "--region CODE|NAME [--kinds turnkey,zone,brownfield] [--sectors aeronautics,chemistry,automotive] [--min-km 25] [--runners-up 5] [--db PATH] [--json]"
	fs := newFlags(e, "shortlist", synopsis)
	region := fs.String("region", "", "the région: INSEE code (28) or name (normandie, \"Grand Est\", auvergne-rhone-alpes; case and accents ignored)")
	kinds := fs.String("kinds", strings.Join(matching.DefaultShortlistKinds, ","), "candidate kinds, comma-separated")
	sectors := fs.String("sectors", strings.Join(matching.DefaultShortlistSectors, ","), "sector profiles, comma-separated")
	minKm := fs.Float64("min-km", matching.DefaultShortlistMinKm, "minimum distance between the two sites, km")
	runners := fs.Int("runners-up", matching.DefaultRunnersUp, fmt.Sprintf("runner-up pairs to show after the best one, 0 (none) to %d", matching.MaxRunnersUp))
	asJSON := fs.Bool("json", false, "print the JSON of POST /v1/shortlist (the API's response, indented)")
	db := registryFlag(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sitematch shortlist %s\n\n"+
			"The pair of sites of a région, at least --min-km apart, that together best serve the sectors, with the\n"+
			"runner-up pairs. Flags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprintf(e.stderr, "\nSectors: %s\n", strings.Join(profileIDs(), ", "))
	}
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, fs, "shortlist", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *region == "" {
		return usageError(e, fs, "shortlist", "--region is required (an INSEE code such as 28, or a name such as normandie)")
	}
	if *minKm <= 0 || *minKm > 2000 {
		return usageError(e, fs, "shortlist", "--min-km: must be a positive number of kilometres up to 2000")
	}
	eng, err := loadEngine(e, "shortlist", *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch shortlist: %v\n", err)
		return exitError
	}
	sl, err := wire.Shortlist(eng, wire.ShortlistRequest{Region: *region, Kinds: splitList(*kinds), Sectors: splitList(*sectors),
		MinKm: *minKm, RunnersUp: *runners})
	if err != nil {
		return invalidFlags(e, "shortlist", err, map[string]string{"region": "--region", "kinds": "--kinds",
			"sectors": "--sectors", "min_km": "--min-km", "runners_up": "--runners-up"})
	}
	if *asJSON {
		if err := printJSON(e.stdout, wire.NewShortlistResponse(sl, eng.Catalogue())); err != nil {
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
