package main

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"sitematch/data/store"
)

// defaultDB is the registry file the commands use without --db, as
// `sitematch serve`.
const defaultDB = "sitematch.gpkg"

func runKeys(e env, args []string) int {
	usage := func() int {
		fmt.Fprintln(e.stderr, "Usage: sitematch keys create --db PATH --name NAME --role admin|region-editor|reader [--region CODE]")
		fmt.Fprintln(e.stderr, "       sitematch keys list --db PATH")
		fmt.Fprintln(e.stderr, "       sitematch keys revoke --db PATH NAME")
		return exitUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "create":
		return runKeysCreate(e, args[1:])
	case "list":
		return runKeysList(e, args[1:])
	case "revoke":
		return runKeysRevoke(e, args[1:])
	case "-h", "--help", "help":
		usage()
		return exitOK
	}
	fmt.Fprintf(e.stderr, "sitematch keys: unknown subcommand %q\n", args[0])
	return usage()
}

// openRegistry opens (or creates) the registry file, saying so on stderr
// when it is new.
func openRegistry(e env, cmd, path string) (*store.SQLite, int) {
	_, statErr := os.Stat(path)
	st, err := store.Open(path, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch %s: %v\n", cmd, err)
		return nil, exitError
	}
	if errors.Is(statErr, os.ErrNotExist) {
		fmt.Fprintf(e.stderr, "sitematch %s: created the registry %s (seeded with the snapshot's turnkey sites)\n", cmd, path)
	}
	return st, exitOK
}

// invalidFields prints every field of a *store.ValidationError and
// returns the usage status, or reports another error as a failure.
func invalidFields(e env, cmd string, err error) int {
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(e.stderr, "sitematch %s: %d invalid field(s):\n", cmd, len(ve.Fields))
		for _, f := range ve.Fields {
			fmt.Fprintf(e.stderr, "  %s: %s\n", f.Field, f.Message)
		}
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "sitematch %s: %v\n", cmd, err)
	return exitError
}

func runKeysCreate(e env, args []string) int {
	fs := newFlags(e, "keys create", "--db PATH --name NAME --role admin|region-editor|reader [--region CODE]")
	db := fs.String("db", defaultDB, "registry file (GeoPackage), created if missing")
	name := fs.String("name", "", "key name, recorded in the history of every write made with the key")
	role := fs.String("role", "", "admin (writes everywhere), region-editor (writes the sites of one région) or reader")
	region := fs.String("region", "", "région code of a region editor (e.g. 28 for Normandie)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	st, code := openRegistry(e, "keys create", *db)
	if st == nil {
		return code
	}
	defer st.Close()
	key, k, err := st.CreateKey(e.ctx, *name, *role, *region)
	if err != nil {
		return invalidFields(e, "keys create", err)
	}
	where := ""
	if k.Region != "" {
		rn, _ := st.Reference().RegionName(k.Region)
		where = fmt.Sprintf(", région %s (%s)", k.Region, rn)
	}
	fmt.Fprintf(e.stdout, "created API key %q: %s%s, in %s\n", k.Name, k.Role, where, *db)
	fmt.Fprintln(e.stdout, "Copy it now: it is shown only this once (the registry keeps only its SHA-256).")
	fmt.Fprintln(e.stdout, key)
	return exitOK
}

func runKeysList(e env, args []string) int {
	fs := newFlags(e, "keys list", "--db PATH")
	db := fs.String("db", defaultDB, "registry file (GeoPackage)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	st, code := openRegistry(e, "keys list", *db)
	if st == nil {
		return code
	}
	defer st.Close()
	keys, err := st.Keys(e.ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch keys list: %v\n", err)
		return exitError
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tREGION\tCREATED\tREVOKED")
	for _, k := range keys {
		revoked := "-"
		if !k.RevokedAt.IsZero() {
			revoked = k.RevokedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Role, orDash(k.Region), k.CreatedAt.Format("2006-01-02 15:04"), revoked)
	}
	tw.Flush()
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runKeysRevoke(e env, args []string) int {
	fs := newFlags(e, "keys revoke", "--db PATH NAME")
	db := fs.String("db", defaultDB, "registry file (GeoPackage)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	st, code := openRegistry(e, "keys revoke", *db)
	if st == nil {
		return code
	}
	defer st.Close()
	if err := st.Revoke(e.ctx, fs.Arg(0)); err != nil {
		fmt.Fprintf(e.stderr, "sitematch keys revoke: %v\n", err)
		if errors.Is(err, store.ErrKeyNotFound) {
			return exitUsage
		}
		return exitError
	}
	fmt.Fprintf(e.stdout, "revoked API key %q\n", fs.Arg(0))
	return exitOK
}
