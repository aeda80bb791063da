package main

import (
	"encoding/json"
	"fmt"

	"sitematch/data"
)

// infoJSON is the `info --json` shape of CONTRACT.md.
type infoJSON struct {
	DataVersion string         `json:"data_version"`
	Layers      map[string]int `json:"layers"`
	Sources     []sourceJSON   `json:"sources"`
	Gaps        []gapJSON      `json:"coverage_gaps"`
}

type sourceJSON struct {
	Layer     string `json:"layer"`
	Rows      int    `json:"rows"`
	Publisher string `json:"publisher"`
	Licence   string `json:"licence"`
	Vintage   string `json:"vintage"`
	File      string `json:"file"`
	Origin    string `json:"origin"`
	Note      string `json:"note,omitempty"`
}

type gapJSON struct {
	Layer string `json:"layer"`
	Text  string `json:"text"`
}

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
	out := infoJSON{DataVersion: cat.Version, Layers: cat.Counts()}
	for _, s := range cat.Sources {
		out.Sources = append(out.Sources, sourceJSON{s.Layer, s.Rows, s.Publisher, s.Licence, s.Vintage, s.File, s.Origin, s.Note})
	}
	for _, g := range data.Gaps {
		out.Gaps = append(out.Gaps, gapJSON{g.Layer, g.Text})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
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
