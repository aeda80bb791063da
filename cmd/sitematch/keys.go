package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"text/tabwriter"

	"sitematch/data"
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

// openRegistry opens the registry --db names for writing: a GeoPackage
// file, or a PostgreSQL/PostGIS database (postgres://…). Only create (keys
// create) may create a missing one, and says so on stderr; otherwise a
// missing or empty file, or a database without a registry, is refused
// with a message that names it and the commands that create one.
func openRegistry(e env, cmd, path string, create bool) (registry, int) {
	st, created, err := openStore(e.ctx, path, &store.Options{MustExist: !create})
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "sitematch %s: no site registry at %s: check --db, or create it with "+
			"\"sitematch keys create --db %s …\" or \"sitematch serve --db %s\"\n", cmd, path, path, path)
		return nil, exitError
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch %s: %v\n", cmd, err)
		return nil, exitError
	}
	if created {
		fmt.Fprintf(e.stderr, "sitematch %s: created the registry %s (seeded with the snapshot's turnkey sites)\n", cmd, showDB(path))
	}
	return st, exitOK
}

// dbFlag defines --db for the commands that manage the registry: the
// SITEMATCH_DB environment variable when set, else ./sitematch.gpkg, as
// serve. what says what the command does with the file.
func dbFlag(fs *flag.FlagSet, what string) *string {
	def := defaultDB
	if v := os.Getenv("SITEMATCH_DB"); v != "" {
		def = v
	}
	return fs.String("db", def, "site registry: a GeoPackage file or a PostgreSQL/PostGIS database (postgres://user:password@host/db), "+
		what+" (default: $SITEMATCH_DB, else ./"+defaultDB+")")
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
	db := dbFlag(fs, "created and seeded with the snapshot's turnkey sites if missing")
	name := fs.String("name", "", "key name, recorded in the history of every write made with the key")
	role := fs.String("role", "", "admin (writes everywhere), region-editor (writes the sites of one région) or reader")
	region := fs.String("region", "", "région of a region editor: INSEE code (28) or name (normandie)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, fs, "keys create", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	// Check the arguments before the registry is opened, or created.
	cat, err := data.LoadEmbedded()
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch keys create: %v\n", err)
		return exitError
	}
	if *region != "" {
		if code, err := cat.RegionCode(*region); err == nil {
			*region = code
		}
	}
	if err := store.NewReference(cat).ValidateKey(*name, *role, *region); err != nil {
		var ve *store.ValidationError
		if errors.As(err, &ve) {
			for i := range ve.Fields { // the fields are the flags
				ve.Fields[i].Field = "--" + ve.Fields[i].Field
			}
		}
		return invalidFields(e, "keys create", err)
	}
	st, code := openRegistry(e, "keys create", *db, true)
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
	fmt.Fprintf(e.stdout, "created API key %q: %s%s, in %s\n", k.Name, k.Role, where, showDB(*db))
	fmt.Fprintln(e.stdout, "Copy it now: it is shown only this once (the registry keeps only its SHA-256).")
	fmt.Fprintln(e.stdout, key)
	return exitOK
}

func runKeysList(e env, args []string) int {
	fs := newFlags(e, "keys list", "[--db PATH]")
	db := dbFlag(fs, "which must exist")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(e, fs, "keys list", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	st, code := openRegistry(e, "keys list", *db, false)
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
	fs := newFlags(e, "keys revoke", "[--db PATH] NAME")
	db := dbFlag(fs, "which must exist")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	st, code := openRegistry(e, "keys revoke", *db, false)
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
