package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"sitematch/api"
	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

func runMatch(e env, args []string) int {
	fs := newFlags(e, "match", "[--json] [--limit N] [--robustness] [--db PATH] PROJECT.json (- for standard input)")
	asJSON := fs.Bool("json", false, "print the JSON of POST /v1/match (docs/CONTRACT.md), indented: compacted, the API's bytes")
	db := registryFlag(fs)
	limit := fs.Int("limit", matching.DefaultLimit, fmt.Sprintf("number of results (1-%d)", matching.MaxLimit))
	robust := fs.Bool("robustness", false, "perturb the weights (seeded) and report rank stability")
	seed := fs.Uint64("seed", 0, "robustness seed (0: the default seed)")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sitematch match %s\n\nRanks every candidate site for the project: the embedded snapshot's, with the site registry's\n"+
			"when there is one (--db). Flags:\n", "[--json] [--limit N] [--robustness] [--db PATH] PROJECT.json")
		fs.PrintDefaults()
		fmt.Fprintf(e.stderr, "\nSectors: %s\nTrade families: %s\n", strings.Join(profileIDs(), ", "), strings.Join(tradeIDs(), ", "))
	}
	if code, ok := parse(fs, args); !ok {
		return code
	}
	switch fs.NArg() {
	case 0:
		return usageError(e, fs, "match", "give the project's JSON file (or - for standard input); data/examples/ holds one per sector")
	case 1:
	default:
		return usageError(e, fs, "match", fmt.Sprintf("one project file, got %d arguments", fs.NArg()))
	}
	if *limit < 1 || *limit > matching.MaxLimit {
		return usageError(e, fs, "match", fmt.Sprintf("--limit: must be between 1 and %d", matching.MaxLimit))
	}
	body, err := readInput(e, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch match: %v\n", err)
		return exitUsage
	}
	p, err := api.DecodeProject(body, "project")
	if err != nil {
		if errors.Is(err, api.ErrMalformed) {
			return invalid(e, "match", fs.Arg(0), err)
		}
		// Report the values that are wrong along with the types.
		cat, lerr := data.LoadEmbedded()
		if lerr != nil {
			fmt.Fprintf(e.stderr, "sitematch match: %v\n", lerr)
			return exitError
		}
		return invalid(e, "match", fs.Arg(0), api.ValidateDecoded(err, p, cat, "project"))
	}
	eng, err := loadEngine(e, "match", *db)
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch match: %v\n", err)
		return exitError
	}
	res, err := eng.Match(wire.CanonicalProject(p, eng.Catalogue()), matching.Options{Limit: *limit, Robustness: *robust, Seed: *seed})
	if err != nil {
		return invalid(e, "match", fs.Arg(0), err)
	}
	if *asJSON {
		if err := printJSON(e.stdout, wire.NewMatchResponse(res, eng.Catalogue())); err != nil {
			fmt.Fprintf(e.stderr, "sitematch match: %v\n", err)
			return exitError
		}
		return exitOK
	}
	printTable(e.stdout, res)
	return exitOK
}

// invalid prints every invalid field of the input of command cmd ("match")
// read from file, and returns the usage status.
func invalid(e env, cmd, file string, err error) int {
	var ve *matching.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(e.stderr, "sitematch %s: %s: %d invalid field(s):\n", cmd, file, len(ve.Fields))
		for _, f := range ve.Fields {
			fmt.Fprintf(e.stderr, "  %s: %s\n", f.Field, f.Message)
		}
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "sitematch %s: %s: %v\n", cmd, file, err)
	return exitUsage
}

func readInput(e env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	}
	return os.ReadFile(name)
}

// registryFlag defines --db for the commands that rank without writing
// (match, shortlist).
func registryFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "site registry (a GeoPackage file, or a PostgreSQL/PostGIS database: postgres://…) whose sites are ranked with the snapshot's, as serve ranks them; opened "+
		"read-only, never created (default: $SITEMATCH_DB, else ./"+defaultDB+" when it exists, else the snapshot alone)")
}

// registryPath resolves --db as serve's default does, except that nothing
// is created: the flag when given, else SITEMATCH_DB, else defaultDB when
// that file exists; "" means the snapshot alone.
func registryPath(flagValue string, getenv func(string) string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := getenv("SITEMATCH_DB"); v != "" {
		return v, nil
	}
	if _, err := os.Stat(defaultDB); err == nil {
		return defaultDB, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("site registry %s: %w", defaultDB, err)
	}
	return "", nil
}

// loadEngine builds the engine a command ranks with: loadCatalogue's
// catalogue, indexed.
func loadEngine(e env, cmd, flagValue string) (*matching.Engine, error) {
	cat, _, err := loadCatalogue(e, cmd, flagValue)
	if err != nil {
		return nil, err
	}
	return matching.NewEngine(cat)
}

// registryRead is the registry a command read: its file and revision,
// both empty when the snapshot alone is used, and the version of the
// snapshot under it.
type registryRead struct {
	path, revision, snapshot string
}

// loadCatalogue returns the catalogue a command reads: the embedded
// snapshot with the site registry applied (store.Overlay, as serve does,
// so that its data version is the server's for the same file), or the
// snapshot alone when there is no registry (see registryPath). The
// registry is opened read-only: a command that ranks or reports never
// creates, seeds or changes it. It notes on standard error which registry
// it read.
func loadCatalogue(e env, cmd, flagValue string) (*data.Catalogue, registryRead, error) {
	db, err := registryPath(flagValue, os.Getenv)
	if err != nil {
		return nil, registryRead{}, err
	}
	cat, err := data.LoadEmbedded()
	if err != nil {
		return nil, registryRead{}, err
	}
	if db == "" {
		return cat, registryRead{}, nil
	}
	st, err := openStoreReadOnly(e.ctx, db, &store.Options{Catalogue: cat})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, registryRead{}, fmt.Errorf("no site registry at %s: check --db and SITEMATCH_DB (without either, the snapshot alone is used; "+
			"\"sitematch serve --db %s\" or \"sitematch keys create --db %s …\" creates one): %w", db, db, db, err)
	}
	if err != nil {
		return nil, registryRead{}, err
	}
	defer st.Close()
	rev, err := st.Revision(e.ctx)
	if err != nil {
		return nil, registryRead{}, err
	}
	page, err := st.List(e.ctx, store.Query{})
	if err != nil {
		return nil, registryRead{}, err
	}
	over := store.Apply(cat, page.Sites, rev) // as store.Overlay, with the revision shown
	fmt.Fprintf(e.stderr, "sitematch %s: reading the snapshot with the site registry %s (%s)\n", cmd, showDB(db), over.Version)
	return over, registryRead{showDB(db), rev, cat.Version}, nil
}

// printJSON prints v as the API encodes it (HTML characters unescaped),
// but indented for reading: compacted (json.Compact), the output is the
// API's answer byte for byte (TestCLIAgreesWithTheServer).
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

var shortCrit = map[string]string{
	matching.SupplyChain: "supply", matching.Transport: "transp", matching.Labour: "labour",
	matching.Training: "train", matching.Land: "land", matching.Ecosystem: "ecosys", matching.Territory: "territ",
	matching.Energy: "energy", matching.SevesoPlatform: "seveso",
}

// printTable prints the ranking as a table: rank, score, site, commune and
// the criteria scores (0-1), then the exclusions.
func printTable(w io.Writer, res *matching.Result) {
	fmt.Fprintf(w, "%s: %d sites considered, %d eligible", res.Project.Name, res.Considered, res.Eligible)
	var ex []string
	for _, r := range matching.ExclusionReasons {
		if n := res.Excluded[r]; n > 0 {
			ex = append(ex, fmt.Sprintf("%s %d", r, n))
		}
	}
	if len(ex) > 0 {
		fmt.Fprintf(w, " (excluded: %s)", strings.Join(ex, ", "))
	}
	fmt.Fprintln(w)
	if len(res.NotApplicable) > 0 {
		fmt.Fprintf(w, "not applicable: %s\n", strings.Join(res.NotApplicable, ", "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"rank", "score", "id", "site", "commune"}
	for _, c := range matching.Criteria {
		if !contains(res.NotApplicable, c) {
			head = append(head, shortCrit[c])
		}
	}
	if len(res.Results) > 0 && res.Results[0].Robustness != nil {
		head = append(head, "p_top", "ranks")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range res.Results {
		c := r.Candidate
		row := []string{fmt.Sprint(r.Rank), fmt.Sprintf("%.1f", r.Score), c.Site.ID, clip(c.Site.Name, 34),
			clip(c.Commune.Name, 22) + " (" + c.Commune.Dep + ")"}
		scores := map[string]float64{}
		for _, cr := range r.Criteria {
			scores[cr.ID] = cr.Score
		}
		for _, id := range matching.Criteria {
			if contains(res.NotApplicable, id) {
				continue
			}
			if s, ok := scores[id]; ok {
				row = append(row, fmt.Sprintf("%.2f", s))
			} else {
				row = append(row, "-")
			}
		}
		if rb := r.Robustness; rb != nil {
			row = append(row, fmt.Sprintf("%.2f", rb.PTopK), fmt.Sprintf("%d-%d", rb.RankP5, rb.RankP95))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	if len(res.Results) > 0 {
		fmt.Fprintf(w, "\nWhy #1 (%s):\n", res.Results[0].Candidate.Site.ID)
		for _, cr := range res.Results[0].Criteria {
			fmt.Fprintf(w, "  %-12s %.2f × %.2f = %5.1f  %s\n", cr.ID, cr.Score, cr.Weight, cr.Contribution, cr.Explain)
		}
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func profileIDs() []string {
	var out []string
	for _, p := range matching.Profiles {
		out = append(out, p.ID)
	}
	return out
}

func tradeIDs() []string {
	var out []string
	for _, t := range data.TradeFamilies {
		out = append(out, t.ID)
	}
	return out
}
