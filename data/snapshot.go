package data

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
)

// column maps one CSV column to a field of T.
type column[T any] struct {
	name string
	get  func(*T) string
	set  func(*T, string) error
	val  func(*T) any // the typed value, for the OGC properties; nil when not needed
}

func strCol[T any](name string, f func(*T) *string) column[T] {
	return column[T]{name,
		func(t *T) string { return *f(t) },
		func(t *T, v string) error { *f(t) = v; return nil },
		func(t *T) any { return *f(t) }}
}

// boolCol stores a boolean as "true" or "false".
func boolCol[T any](name string, f func(*T) *bool) column[T] {
	return column[T]{name,
		func(t *T) string { return strconv.FormatBool(*f(t)) },
		func(t *T, v string) (err error) { *f(t), err = strconv.ParseBool(v); return err },
		func(t *T) any { return *f(t) }}
}

func intCol[T any](name string, f func(*T) *int) column[T] {
	return column[T]{name,
		func(t *T) string { return strconv.Itoa(*f(t)) },
		func(t *T, v string) (err error) { *f(t), err = strconv.Atoi(v); return err },
		func(t *T) any { return *f(t) }}
}

// listCol stores a list of strings joined by ";".
func listCol[T any](name string, f func(*T) *[]string) column[T] {
	return column[T]{name,
		func(t *T) string { return strings.Join(*f(t), ";") },
		func(t *T, v string) error {
			*f(t) = nil
			if v != "" {
				*f(t) = strings.Split(v, ";")
			}
			return nil
		}, nil}
}

// pointCols stores a point as lon and lat columns, rounded to 1e-6 degree
// (about 0.1 m).
func pointCols[T any](f func(*T) *orb.Point) []column[T] {
	return []column[T]{
		{"lon", func(t *T) string { return FormatCoord(f(t)[0]) },
			func(t *T, v string) error { return parseCoord(v, -180, 180, &f(t)[0]) }, nil},
		{"lat", func(t *T) string { return FormatCoord(f(t)[1]) },
			func(t *T, v string) error { return parseCoord(v, -90, 90, &f(t)[1]) }, nil},
	}
}

// FormatCoord formats a coordinate in degrees with at most six decimals.
func FormatCoord(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}

func parseCoord(v string, lo, hi float64, dst *float64) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return err
	}
	if !(f >= lo && f <= hi) {
		return fmt.Errorf("%v is outside [%v, %v]", f, lo, hi)
	}
	*dst = f
	return nil
}

// areaCol stores an optional area in hectares: empty when unknown.
func areaCol() column[Site] {
	return column[Site]{"area_ha",
		func(s *Site) string {
			if !s.AreaKnown {
				return ""
			}
			return strconv.FormatFloat(s.AreaHa, 'f', -1, 64)
		},
		func(s *Site, v string) error {
			if v == "" {
				s.AreaHa, s.AreaKnown = 0, false
				return nil
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || !(f > 0) || math.IsInf(f, 0) {
				return fmt.Errorf("area %q is not a positive number", v)
			}
			s.AreaHa, s.AreaKnown = f, true
			return nil
		}, nil}
}

// table is one snapshot file: how to write it from a catalogue and read it
// back into one.
type table struct {
	file  string
	layer string // sources.csv layer id
	rows  func(*Catalogue) int
	write func(*Catalogue, *csv.Writer) error
	read  func(*Catalogue, *csv.Reader) error
}

func newTable[T any](file, layer string, slice func(*Catalogue) *[]T, cols []column[T], after func(*T)) table {
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	return table{
		file:  file,
		layer: layer,
		rows:  func(c *Catalogue) int { return len(*slice(c)) },
		write: func(c *Catalogue, w *csv.Writer) error {
			if err := w.Write(header); err != nil {
				return err
			}
			rec := make([]string, len(cols))
			for i := range *slice(c) {
				t := &(*slice(c))[i]
				for j, col := range cols {
					rec[j] = col.get(t)
				}
				if err := w.Write(rec); err != nil {
					return err
				}
			}
			return nil
		},
		read: func(c *Catalogue, r *csv.Reader) error {
			got, err := r.Read()
			if err != nil {
				return fmt.Errorf("header: %w", err)
			}
			if !slices.Equal(got, header) {
				return fmt.Errorf("header is %q, want %q", got, header)
			}
			var out []T
			for {
				rec, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return err
				}
				line, _ := r.FieldPos(0)
				var t T
				for j, col := range cols {
					if err := col.set(&t, rec[j]); err != nil {
						return fmt.Errorf("line %d: %s: %w", line, col.name, err)
					}
				}
				if after != nil {
					after(&t)
				}
				out = append(out, t)
			}
			*slice(c) = out
			return nil
		},
	}
}

func siteCols() []column[Site] {
	cols := []column[Site]{
		strCol("id", func(s *Site) *string { return &s.ID }),
		strCol("name", func(s *Site) *string { return &s.Name }),
		strCol("commune", func(s *Site) *string { return &s.Commune }),
	}
	cols = append(cols, pointCols(func(s *Site) *orb.Point { return &s.Point })...)
	return append(cols,
		strCol("placement", func(s *Site) *string { return &s.Placement }),
		areaCol(),
		strCol("status", func(s *Site) *string { return &s.Status }),
		strCol("programme", func(s *Site) *string { return &s.Programme }),
		strCol("source", func(s *Site) *string { return &s.Source }),
		strCol("note", func(s *Site) *string { return &s.Note }),
		strCol("site_type", func(s *Site) *string { return &s.SiteType }),
		strCol("zone_type", func(s *Site) *string { return &s.ZoneType }),
		strCol("activity", func(s *Site) *string { return &s.Activity }),
		strCol("owner", func(s *Site) *string { return &s.Owner }),
		strCol("pollution", func(s *Site) *string { return &s.Pollution }),
		flagCol("unverified", func(s *Site) *bool { return &s.Unverified }),
		strCol("available_from", func(s *Site) *string { return &s.AvailableFrom }),
		strCol("committed_to", func(s *Site) *string { return &s.CommittedTo }),
	)
}

// nodeCols are the columns of every transport layer, then the layer's
// own (extra).
func nodeCols(extra ...column[Node]) []column[Node] {
	cols := []column[Node]{
		strCol("id", func(n *Node) *string { return &n.ID }),
		strCol("name", func(n *Node) *string { return &n.Name }),
		strCol("commune", func(n *Node) *string { return &n.Commune }),
		strCol("class", func(n *Node) *string { return &n.Class }),
		intCol("merged", func(n *Node) *int { return &n.Merged }),
	}
	cols = append(cols, pointCols(func(n *Node) *orb.Point { return &n.Point })...)
	return append(cols, extra...)
}

// Node columns that only some transport layers carry.
var (
	tollCol         = boolCol("toll", func(n *Node) *bool { return &n.Toll })
	majorCol        = boolCol("tent", func(n *Node) *bool { return &n.Major })
	roadCol         = strCol("road", func(n *Node) *string { return &n.Road })
	operatorCol     = strCol("operator", func(n *Node) *string { return &n.Operator })
	weeklyTrainsCol = intCol("weekly_trains", func(n *Node) *int { return &n.WeeklyTrains })
	linksCol        = intCol("links", func(n *Node) *int { return &n.Links })
	nodeSourceCol   = strCol("source", func(n *Node) *string { return &n.Source })
)

func kindSetter(kind string) func(*Site) { return func(s *Site) { s.Kind = kind } }

func communeCols() []column[Commune] {
	commune := []column[Commune]{
		strCol("code", func(c *Commune) *string { return &c.Code }),
		strCol("name", func(c *Commune) *string { return &c.Name }),
		strCol("dep", func(c *Commune) *string { return &c.Dep }),
		strCol("reg", func(c *Commune) *string { return &c.Reg }),
		strCol("epci", func(c *Commune) *string { return &c.EPCI }),
		strCol("ti", func(c *Commune) *string { return &c.TI }),
	}
	commune = append(commune, pointCols(func(c *Commune) *orb.Point { return &c.Point })...)
	return append(commune,
		strCol("placement", func(c *Commune) *string { return &c.Placement }),
		intCol("population", func(c *Commune) *int { return &c.Population }),
		intCol("pop_15_64", func(c *Commune) *int { return &c.Pop1564 }),
		intCol("active_15_64", func(c *Commune) *int { return &c.Active }),
		intCol("unemployed_15_64", func(c *Commune) *int { return &c.Unemployed }),
		strCol("frr", func(c *Commune) *string { return &c.FRR }),
	)
}

func epciCols() []column[EPCI] {
	return append([]column[EPCI]{
		strCol("siren", func(e *EPCI) *string { return &e.SIREN }),
		strCol("name", func(e *EPCI) *string { return &e.Name }),
		strCol("type", func(e *EPCI) *string { return &e.Type }),
	}, pointCols(func(e *EPCI) *orb.Point { return &e.Point })...)
}

func departementCols() []column[Departement] {
	return append([]column[Departement]{
		strCol("code", func(d *Departement) *string { return &d.Code }),
		strCol("name", func(d *Departement) *string { return &d.Name }),
		strCol("region", func(d *Departement) *string { return &d.Region }),
	}, pointCols(func(d *Departement) *orb.Point { return &d.Point })...)
}

func regionCols() []column[Region] {
	return append([]column[Region]{
		strCol("code", func(r *Region) *string { return &r.Code }),
		strCol("name", func(r *Region) *string { return &r.Name }),
	}, pointCols(func(r *Region) *orb.Point { return &r.Point })...)
}

func territoireCols() []column[Territoire] {
	return []column[Territoire]{
		strCol("id", func(t *Territoire) *string { return &t.ID }),
		strCol("name", func(t *Territoire) *string { return &t.Name }),
		listCol("epci", func(t *Territoire) *[]string { return &t.EPCIs }),
	}
}

func lyceeCols() []column[Lycee] {
	lycee := []column[Lycee]{
		strCol("uai", func(l *Lycee) *string { return &l.UAI }),
		strCol("name", func(l *Lycee) *string { return &l.Name }),
		strCol("type", func(l *Lycee) *string { return &l.Type }),
		strCol("sector", func(l *Lycee) *string { return &l.Sector }),
		strCol("commune", func(l *Lycee) *string { return &l.Commune }),
	}
	lycee = append(lycee, pointCols(func(l *Lycee) *orb.Point { return &l.Point })...)
	return append(lycee,
		listCol("trades", func(l *Lycee) *[]string { return &l.Trades }),
		intListCol("pupils", func(l *Lycee) *[]int { return &l.Pupils }),
		strCol("trades_source", func(l *Lycee) *string { return &l.TradesSource }),
	)
}

// tables lists the snapshot's CSV files, in the order of Layers.
func tables() []table {
	var out []table
	for _, l := range layerTable {
		if l.tab != nil {
			out = append(out, *l.tab)
		}
	}
	return out
}

func sourceCols() []column[Source] {
	return []column[Source]{
		strCol("layer", func(s *Source) *string { return &s.Layer }),
		strCol("file", func(s *Source) *string { return &s.File }),
		strCol("publisher", func(s *Source) *string { return &s.Publisher }),
		strCol("licence", func(s *Source) *string { return &s.Licence }),
		strCol("vintage", func(s *Source) *string { return &s.Vintage }),
		strCol("origin", func(s *Source) *string { return &s.Origin }),
		intCol("rows", func(s *Source) *int { return &s.Rows }),
		strCol("note", func(s *Source) *string { return &s.Note }),
	}
}

const sourcesFile = "sources.csv"

func sourcesTable() table {
	return newTable(sourcesFile, "", func(c *Catalogue) *[]Source { return &c.Sources }, sourceCols(), nil)
}

// SourceOf returns the source of a layer.
func (c *Catalogue) SourceOf(layer string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Layer == layer {
			return s, true
		}
	}
	return Source{}, false
}

// WriteSnapshot writes the catalogue's snapshot files (every layer, then
// sources.csv and SOURCES.md) into dir, which must exist. It fills in each
// source's row count. It writes in place: callers that must not leave a half
// snapshot write to a fresh folder and rename it (see package importer).
func WriteSnapshot(dir string, c *Catalogue) error {
	for _, l := range layerTable {
		if l.tab == nil {
			continue
		}
		for i := range c.Sources {
			if c.Sources[i].Layer == l.ID {
				c.Sources[i].Rows = l.Rows(c)
			}
		}
		if err := writeFile(filepath.Join(dir, l.File), func(w *csv.Writer) error { return l.tab.write(c, w) }); err != nil {
			return err
		}
	}
	for _, l := range layerTable {
		if l.Class != ClassOutline {
			continue
		}
		level := strings.TrimPrefix(l.ID, "outlines_")
		if err := os.WriteFile(filepath.Join(dir, l.File), c.Outlines[level], 0o644); err != nil {
			return fmt.Errorf("data: write snapshot: %w", err)
		}
	}
	if err := writeFile(filepath.Join(dir, sourcesFile), func(w *csv.Writer) error { return sourcesTable().write(c, w) }); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "SOURCES.md"), []byte(SourcesMarkdown(c)), 0o644)
}

func writeFile(path string, fill func(*csv.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("data: write snapshot: %w", err)
	}
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	if err := fill(w); err != nil {
		f.Close()
		return fmt.Errorf("data: write %q: %w", path, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("data: write %q: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("data: write %q: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("data: sync %q: %w", path, err)
	}
	return f.Close()
}

// SnapshotFiles lists the files of a snapshot, in the order they are hashed.
func SnapshotFiles() []string {
	var out []string
	for _, l := range layerTable {
		if l.tab != nil {
			out = append(out, l.File)
		}
	}
	for _, l := range layerTable {
		if l.Class == ClassOutline {
			out = append(out, l.File)
		}
	}
	return append(out, sourcesFile, "SOURCES.md")
}

// Load reads a snapshot from fsys (the files at its root), checks every row
// count against sources.csv and the catalogue's referential integrity, and
// computes the data version.
func Load(fsys fs.FS) (*Catalogue, error) {
	c := &Catalogue{Outlines: map[string][]byte{}}
	// Read every file, hashing them in the order of SnapshotFiles, then
	// parse the tables concurrently: each fills its own catalogue field.
	files := map[string][]byte{}
	h := sha256.New()
	for _, name := range SnapshotFiles() {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("data: load snapshot: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
		files[name] = b
	}
	c.Version = "sha256:" + hex.EncodeToString(h.Sum(nil))
	for _, level := range OutlineLevels {
		c.Outlines[level] = files[OutlineFile(level)]
	}
	all := append(tables(), sourcesTable())
	errs := make([]error, len(all))
	var wg sync.WaitGroup
	for i, t := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := csv.NewReader(bytes.NewReader(files[t.file]))
			r.ReuseRecord = true
			if err := t.read(c, r); err != nil {
				errs[i] = fmt.Errorf("data: load %s: %w", t.file, err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	for _, t := range tables() {
		s, ok := c.SourceOf(t.layer)
		if !ok {
			return nil, fmt.Errorf("data: load snapshot: layer %q has no source in %s", t.layer, sourcesFile)
		}
		if s.Rows != t.rows(c) {
			return nil, fmt.Errorf("data: load snapshot: %s has %d rows, %s says %d", t.file, t.rows(c), sourcesFile, s.Rows)
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("data: load snapshot: %w", err)
	}
	return c, nil
}
