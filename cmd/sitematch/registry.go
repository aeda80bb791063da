package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"sitematch/data/reader"
	"sitematch/data/store"
)

func runRegistry(e env, args []string) int {
	usage := func() int {
		fmt.Fprintln(e.stderr, "Usage: sitematch registry import --db PATH [--dry-run] [--format cnig|geojson|csv|gpkg] [--layer L] [--map field=COLUMN,…] [--kind zone] FILE…")
		return exitUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "import":
		return runRegistryImport(e, args[1:])
	case "-h", "--help", "help":
		usage()
		return exitOK
	}
	fmt.Fprintf(e.stderr, "sitematch registry: unknown subcommand %q\n", args[0])
	return usage()
}

func runRegistryImport(e env, args []string) int {
	const cmd = "registry import"
	flags := newFlags(e, cmd, "--db PATH [--dry-run] [--format cnig|geojson|csv|gpkg] [--layer L] [--map field=COLUMN,…] [--kind KIND] FILE…")
	db := dbFlag(flags, "which must exist (keys create or serve creates one)")
	dry := flags.Bool("dry-run", false, "report what would be created, updated, unchanged or invalid, and write nothing")
	format := flags.String("format", "", "cnig (CNIG sites économiques: SITE-ECO and TERRAIN-ECO files, CSV or GeoJSON), geojson, csv or gpkg; default: by extension")
	layer := flags.String("layer", "", "GeoPackage layer (default: the only one)")
	mapping := flags.String("map", "", "field mapping, field=COLUMN separated by commas (e.g. name=NOM_SITE,area_ha=SURF_HA); fields: id, "+strings.Join(store.Fields(), ", "))
	kind := flags.String("kind", "zone", "kind of records that name none: turnkey, zone or brownfield")
	who := flags.String("as", "cli", "name recorded in the history of every change")
	if code, ok := parse(flags, args); !ok {
		return code
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return exitUsage
	}
	m, err := store.ParseMapping(*mapping)
	if err != nil {
		return invalidFields(e, cmd, err)
	}
	items, err := store.ReadImport(flags.Args(), store.ImportSpec{Format: *format, Layer: *layer, Map: m, Kind: *kind})
	if err != nil {
		var (
			re *reader.Error
			pe *fs.PathError
		)
		switch {
		case errors.As(err, &pe): // a missing or unreadable file
			fmt.Fprintf(e.stderr, "sitematch %s: %v\nsitematch %s: nothing written\n", cmd, err, cmd)
			return exitError
		case errors.As(err, &re): // a file that is not what it claims (syntax, columns)
			fmt.Fprintf(e.stderr, "sitematch %s: %v\nsitematch %s: nothing written\n", cmd, err, cmd)
			return exitUsage
		}
		if code := invalidFields(e, cmd, err); code == exitUsage {
			return code
		}
		return exitError
	}
	st, code := openRegistry(e, cmd, *db, false)
	if st == nil {
		return code
	}
	defer st.Close()
	rep, err := st.Import(e.ctx, *who, items, store.ImportOptions{DryRun: *dry})
	if rep != nil {
		rep.Print(e.stdout)
	}
	if err != nil {
		return invalidFields(e, cmd, err)
	}
	return exitOK
}
