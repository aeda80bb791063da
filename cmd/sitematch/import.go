package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"

	"sitematch/data/importer"
)

func runImport(e env, args []string) int {
	fs := newFlags(e, "import", "--from DIR [--out DIR]")
	from := fs.String("from", "", "folder of upstream files, laid out as shared/data/raw (admin/, programmes/, foncier/, transport/, training/)")
	out := fs.String("out", "data/snapshot", "snapshot folder to replace (atomically) with the new snapshot")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, fs, "import", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *from == "" {
		return usageError(e, fs, "import", "--from is required: the folder of upstream files (e.g. ../shared/data/raw)")
	}
	if fi, err := os.Stat(*from); err != nil || !fi.IsDir() {
		what := "no such folder"
		if err == nil {
			what = "not a folder"
		} else if !errors.Is(err, iofs.ErrNotExist) {
			what = err.Error()
		}
		fmt.Fprintf(e.stderr, "sitematch import: --from %s: %s\nsitematch import: the snapshot in %s is unchanged\n", *from, what, *out)
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
