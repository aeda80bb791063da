package importer

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// LayerReport counts what the import did with one layer's rows.
type LayerReport struct {
	Layer   string
	Files   []string
	Read    int
	Kept    int
	Skipped map[string]int // reason → rows
	Notes   []string       // explicit decisions worth a line in the report
}

func (l *LayerReport) skip(reason string) { l.skipN(reason, 1) }

func (l *LayerReport) skipN(reason string, n int) {
	if l.Skipped == nil {
		l.Skipped = map[string]int{}
	}
	l.Skipped[reason] += n
}

// Report is the outcome of an import, layer by layer.
type Report struct {
	Layers []*LayerReport
}

// Print writes the report as a table: rows read, kept, skipped with reasons.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%-24s %8s %8s %8s\n", "layer", "read", "kept", "skipped")
	for _, l := range r.Layers {
		n := 0
		for _, v := range l.Skipped {
			n += v
		}
		fmt.Fprintf(w, "%-24s %8d %8d %8d\n", l.Layer, l.Read, l.Kept, n)
		for _, reason := range slices.Sorted(maps.Keys(l.Skipped)) {
			fmt.Fprintf(w, "%-24s %26d  skipped: %s\n", "", l.Skipped[reason], reason)
		}
		for _, note := range l.Notes {
			fmt.Fprintf(w, "%-24s note: %s\n", "", note)
		}
	}
}

// builder carries the state of one import: the input folder, the catalogue
// being built, the report and the progress log.
type builder struct {
	dir string
	cat *data.Catalogue
	rep *Report
	log io.Writer

	epciOf         map[string]string    // commune code → EPCI SIREN
	pendingNoCoord []string             // communes to place once the EPCI centroids are read
	alias          map[string]string    // delegated commune or arrondissement → parent commune
	armPoint       map[string]orb.Point // arrondissement → its own position
}

func (b *builder) layer(name string, files ...string) *LayerReport {
	l := &LayerReport{Layer: name, Files: files}
	b.rep.Layers = append(b.rep.Layers, l)
	return l
}

func (b *builder) done(l *LayerReport) {
	fmt.Fprintf(b.log, "%-22s read %6d  kept %6d  from %s\n", l.Layer, l.Read, l.Kept, strings.Join(l.Files, ", "))
}

func (b *builder) source(layer string, l *LayerReport) {
	dl, _ := data.LayerByID(layer)
	m := dl.Source
	m.Layer = layer
	if l != nil {
		m.File = strings.Join(l.Files, " + ")
		m.Note = strings.Join(l.Notes, "; ")
	}
	b.cat.Sources = append(b.cat.Sources, m)
}

// parsers builds each layer of data.Layers from the upstream files, in
// the order of the table (communes first: the others resolve commune
// codes against them).
var parsers = map[string]func(*builder) error{
	"communes":              (*builder).communesFRR,
	"epci":                  (*builder).epcis,
	"departements":          (*builder).departements,
	"regions":               (*builder).regions,
	"territoires_industrie": (*builder).territoires,
	"turnkey":               (*builder).turnkey,
	"zones":                 (*builder).zones,
	"brownfields":           (*builder).brownfields,
	"towns":                 (*builder).towns,
	"motorway_interchanges": (*builder).interchanges,
	"rail_freight":          (*builder).railFreight,
	"rail_terminal":         (*builder).railTerminals,
	"stations":              (*builder).stations,
	"airports":              (*builder).airports,
	"airfields":             func(*builder) error { return nil }, // built with airports, from the same file
	"seaports":              (*builder).seaports,
	"river_port":            (*builder).riverPorts,
	"training":              (*builder).lycees,
	"substations":           (*builder).substations,
	"seveso":                (*builder).seveso,
	"io_branches":           (*builder).ioBranches,
	"io_table":              (*builder).ioCells,
	"naf_a38":               (*builder).nafDivisions,
	"establishments":        (*builder).facilities,
	"jobs":                  (*builder).jobs,
	"outlines_regions":      func(b *builder) error { return b.outline("regions") },
	"outlines_departements": func(b *builder) error { return b.outline("departements") },
}

// Build reads the upstream files under dir (laid out as shared/data/raw:
// admin/, programmes/, foncier/, transport/, training/) and builds the
// catalogue, printing progress per layer to log. It changes no file.
func Build(dir string, log io.Writer) (*data.Catalogue, *Report, error) {
	if log == nil {
		log = io.Discard
	}
	b := &builder{dir: dir, cat: &data.Catalogue{}, rep: &Report{}, log: log}
	for _, l := range data.Layers() {
		parse, ok := parsers[l.ID]
		if !ok {
			return nil, nil, fmt.Errorf("importer: layer %q has no parser", l.ID)
		}
		if err := parse(b); err != nil {
			return nil, nil, err
		}
	}
	sort.Slice(b.cat.Sources, func(i, j int) bool { return b.cat.Sources[i].Layer < b.cat.Sources[j].Layer })
	if err := b.cat.Validate(); err != nil {
		return nil, nil, fmt.Errorf("importer: %w", err)
	}
	return b.cat, b.rep, nil
}

// Run builds the catalogue from the files under from and replaces the
// snapshot folder out with it. The new snapshot is written to a temporary
// folder beside out and renamed into place only when complete, so a failed
// import leaves the previous snapshot untouched.
func Run(from, out string, log io.Writer) (*Report, error) {
	cat, rep, err := Build(from, log)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".snapshot-new-")
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := data.WriteSnapshot(tmp, cat); err != nil {
		return nil, err
	}
	if _, err := data.Load(os.DirFS(tmp)); err != nil {
		return nil, fmt.Errorf("importer: the new snapshot does not load back: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return nil, fmt.Errorf("importer: move the previous snapshot aside: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out) // put the previous snapshot back
		}
		return nil, fmt.Errorf("importer: install the new snapshot: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return nil, fmt.Errorf("importer: remove the previous snapshot: %w", err)
		}
	}
	return rep, nil
}
