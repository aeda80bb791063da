package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"sitematch/api"
	"sitematch/data"
	"sitematch/matching"
)

func runMatch(e env, args []string) int {
	fs := newFlags(e, "match", "[--json] [--limit N] [--robustness] PROJECT.json (- for standard input)")
	asJSON := fs.Bool("json", false, "print the JSON of CONTRACT.md (the API's response)")
	limit := fs.Int("limit", matching.DefaultLimit, fmt.Sprintf("number of results (1-%d)", matching.MaxLimit))
	robust := fs.Bool("robustness", false, "perturb the weights (seeded) and report rank stability")
	seed := fs.Uint64("seed", 0, "robustness seed (0: the default seed)")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sitematch match %s\n\nRanks every candidate site for the project. Flags:\n", "[--json] [--limit N] [--robustness] PROJECT.json")
		fs.PrintDefaults()
		fmt.Fprintf(e.stderr, "\nSectors: %s\nTrade families: %s\n", strings.Join(profileIDs(), ", "), strings.Join(tradeIDs(), ", "))
	}
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	body, err := readInput(e, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch match: %v\n", err)
		return exitUsage
	}
	if *limit < 1 || *limit > matching.MaxLimit {
		fmt.Fprintf(e.stderr, "sitematch match: limit: must be between 1 and %d\n", matching.MaxLimit)
		return exitUsage
	}
	p, err := api.DecodeProject(body, "project")
	if err != nil {
		if errors.Is(err, api.ErrMalformed) {
			return invalid(e, fs.Arg(0), err)
		}
		// Report the values that are wrong along with the types.
		cat, lerr := data.LoadEmbedded()
		if lerr != nil {
			fmt.Fprintf(e.stderr, "sitematch match: %v\n", lerr)
			return exitError
		}
		return invalid(e, fs.Arg(0), api.ValidateDecoded(err, p, cat, "project"))
	}
	eng, cat, err := loadEngine()
	if err != nil {
		fmt.Fprintf(e.stderr, "sitematch match: %v\n", err)
		return exitError
	}
	res, err := eng.Match(p, matching.Options{Limit: *limit, Robustness: *robust, Seed: *seed})
	if err != nil {
		return invalid(e, fs.Arg(0), err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(api.NewMatchResponse(res, cat)); err != nil {
			fmt.Fprintf(e.stderr, "sitematch match: %v\n", err)
			return exitError
		}
		return exitOK
	}
	printTable(e.stdout, res)
	return exitOK
}

// invalid prints every invalid field and returns the usage status.
func invalid(e env, file string, err error) int {
	var ve *matching.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(e.stderr, "sitematch match: %s: %d invalid field(s):\n", file, len(ve.Fields))
		for _, f := range ve.Fields {
			fmt.Fprintf(e.stderr, "  %s: %s\n", f.Field, f.Message)
		}
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "sitematch match: %s: %v\n", file, err)
	return exitUsage
}

func readInput(e env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	}
	return os.ReadFile(name)
}

func loadEngine() (*matching.Engine, *data.Catalogue, error) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		return nil, nil, err
	}
	eng, err := matching.NewEngine(cat)
	return eng, cat, err
}

var shortCrit = map[string]string{
	matching.SupplyChain: "supply", matching.Transport: "transp", matching.Labour: "labour",
	matching.Training: "train", matching.Land: "land", matching.Territory: "territ",
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
