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
