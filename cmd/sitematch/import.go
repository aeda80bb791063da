package main

import (
	"errors"
	"fmt"

	"sitematch/data/importer"
)

func runImport(e env, args []string) int {
	fs := newFlags(e, "import", "--from DIR [--out DIR]")
	from := fs.String("from", "", "folder of upstream files, laid out as shared/data/raw (admin/, programmes/, foncier/, transport/, training/)")
	out := fs.String("out", "data/snapshot", "snapshot folder to replace (atomically) with the new snapshot")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *from == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	rep, err := importer.Run(*from, *out, e.stderr)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch import: %v\nsitematch import: the snapshot in %s is unchanged\n", err, *out)
		var re *importer.RowError
		if errors.As(err, &re) {
			return exitUsage
		}
		return exitError
	}
	rep.Print(e.stdout)
	fmt.Fprintf(e.stdout, "\nsnapshot written to %s\n", *out)
	return exitOK
}
