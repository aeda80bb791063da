package main

import (
	"fmt"

	"sitematch/api/wire"
	"sitematch/data"
)

func runInfo(e env, args []string) int {
	fs := newFlags(e, "info", "[--json] [--db PATH]")
	asJSON := fs.Bool("json", false, "print JSON: the members of GET /v1/meta that describe the data, indented")
	db := fs.String("db", "", "site registry (a GeoPackage file, or a PostgreSQL/PostGIS database: postgres://…) to describe with the snapshot, as serve --db would serve them; opened "+
		"read-only, never created (default: $SITEMATCH_DB, else ./"+defaultDB+" when it exists, else the snapshot alone)")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sitematch info [--json] [--db PATH]\n\n"+
			"Describes the data: its version, the layer counts, the sources and the known coverage gaps. The data\n"+
			"version is the snapshot's (a SHA-256 of its files) when no registry is read; with a registry it is\n"+
			"a SHA-256 of the snapshot's version and the registry's revision, the data_version of serve --db PATH. Flags:\n")
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, fs, "info", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	cat, reg, err := loadCatalogue(e, "info", *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch info: %v\n", err)
		return exitError
	}
	if *asJSON {
		if err := printJSON(e.stdout, wire.NewInfoResponse(cat)); err != nil {
			fmt.Fprintf(e.stderr, "sitematch info: %v\n", err)
			return exitError
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "data version %s\n", cat.Version)
	if reg.path != "" {
		fmt.Fprintf(e.stdout, "  = SHA-256 of the snapshot's %s\n    and of the registry %s at revision %s\n", reg.snapshot, reg.path, reg.revision)
	} else {
		fmt.Fprintln(e.stdout, "  = the snapshot's (no site registry read)")
	}
	fmt.Fprintf(e.stdout, "\n%-24s %8s\n", "layer", "records")
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
