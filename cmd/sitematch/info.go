package main

import (
	"fmt"

	"sitematch/api"
	"sitematch/data"
)

func runInfo(e env, args []string) int {
	fs := newFlags(e, "info", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON (the shape of CONTRACT.md)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "sitematch info: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cat, err := data.LoadEmbedded()
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch info: %v\n", err)
		return exitError
	}
	if *asJSON {
		if err := printJSON(e.stdout, api.NewInfoResponse(cat)); err != nil {
			fmt.Fprintf(e.stderr, "sitematch info: %v\n", err)
			return exitError
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "data version %s\n\n%-24s %8s\n", cat.Version, "layer", "records")
	counts := cat.Counts()
	for _, name := range data.LayerNames {
		fmt.Fprintf(e.stdout, "%-24s %8d\n", name, counts[name])
	}
	cv := cat.Coverage()
	fmt.Fprintln(e.stdout, "\nCoverage:")
	fmt.Fprintf(e.stdout, "  brownfields with a known area   %d of %d (%.1f %%); %d unverified BASIAS/BASOL records\n",
		cv.BrownfieldsKnownArea, cv.Brownfields, 100*cv.KnownAreaShare(), cv.BrownfieldsUnverified)
	fmt.Fprintf(e.stdout, "  lycées with course-offer trades %d of %d; %d with trades from their name only\n",
		cv.LyceesByCourses, cv.Lycees, cv.LyceesByName)
	fmt.Fprintf(e.stdout, "  FRR classification             every commune (%d):", cv.Communes)
	for _, cl := range data.FRRClasses {
		fmt.Fprintf(e.stdout, " %s %d;", cl.Label, cv.FRR[cl.ID])
	}
	fmt.Fprintf(e.stdout, "\n  substations                    %d, %d at 225 kV or more, %d with Caparéseau capacity\n",
		cv.Substations, cv.SubstationsHV, cv.SubstationsCapareseau)
	fmt.Fprintln(e.stdout, "\nSources:")
	for _, s := range cat.Sources {
		fmt.Fprintf(e.stdout, "  %-22s %s — %s, %s\n", s.Layer, s.Publisher, s.Vintage, s.Licence)
	}
	fmt.Fprintln(e.stdout, "\nKnown coverage gaps:")
	for _, g := range data.Gaps {
		fmt.Fprintf(e.stdout, "  %-22s %s\n", g.Layer, g.Text)
	}
	return exitOK
}
