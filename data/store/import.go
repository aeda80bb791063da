package store

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ImportItem is one site of an import batch.
type ImportItem struct {
	Ref  string // where it was read: "zones.csv:12", "zones.geojson: features[3]"
	Site Site
	// Fields names the properties (and "geometry") the source gives. A
	// site that exists keeps its other properties; a new one leaves them
	// unset.
	Fields []string
	// UpdateOnly marks an item that only completes an existing site (plot
	// figures from a CNIG terrain file): it is invalid when the site does
	// not exist.
	UpdateOnly bool
	// Err is a reading or mapping problem that makes the item invalid.
	Err error
}

// ImportOptions tune Import.
type ImportOptions struct {
	// DryRun computes the report without writing anything.
	DryRun bool
}

// Import outcomes.
const (
	OutcomeCreated   = "created"
	OutcomeUpdated   = "updated"
	OutcomeUnchanged = "unchanged"
	OutcomeInvalid   = "invalid"
)

// ImportOutcome is what an import did (or would do) with one item.
type ImportOutcome struct {
	Ref     string
	ID      string
	Outcome string   // created, updated, unchanged or invalid
	Changed []string // for an update: the properties that change
}

// ImportReport sums up an import.
type ImportReport struct {
	DryRun                               bool
	Created, Updated, Unchanged, Invalid int
	Items                                []ImportOutcome
	Errors                               []FieldError // every invalid field, Field prefixed with the item's Ref
	Committed                            bool         // the changes were written
}

// Print writes the report for people: the counts, then one line per
// created or updated site, then every error.
func (r *ImportReport) Print(w io.Writer) {
	mode := "import"
	if r.DryRun {
		mode = "dry run"
	}
	fmt.Fprintf(w, "%s: %d created, %d updated, %d unchanged, %d invalid\n", mode, r.Created, r.Updated, r.Unchanged, r.Invalid)
	for _, it := range r.Items {
		switch it.Outcome {
		case OutcomeCreated:
			fmt.Fprintf(w, "  create  %s (%s)\n", it.ID, it.Ref)
		case OutcomeUpdated:
			fmt.Fprintf(w, "  update  %s (%s): %s\n", it.ID, it.Ref, strings.Join(it.Changed, ", "))
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "  invalid %s: %s\n", e.Field, e.Message)
	}
	switch {
	case r.Committed:
		fmt.Fprintln(w, "written in one transaction")
	case r.Invalid > 0:
		fmt.Fprintln(w, "nothing written: fix the invalid records (an import is all or nothing)")
	case r.DryRun:
		fmt.Fprintln(w, "nothing written (dry run)")
	}
}

// errRollback ends an import transaction without writing.
var errRollback = errors.New("store: import rolled back")

func joinRef(ref, field string) string {
	switch {
	case ref == "":
		return field
	case field == "":
		return ref
	}
	return ref + ": " + field
}

// Mapping maps site fields to source columns: field → column.
type Mapping map[string]string

// ParseMapping reads "field=COLUMN,field=COLUMN" (the --map flag). Fields
// are "id" and the names of Fields.
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	var ve ValidationError
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || k == "" || v == "":
			ve.Add("map", "%q is not field=COLUMN", part)
		case k != "id" && k != "geometry" && !slices.Contains(Fields(), k):
			ve.Add("map", "unknown field %q (fields: id, %s)", k, strings.Join(Fields(), ", "))
		default:
			m[k] = v
		}
	}
	return m, ve.Err()
}

// columnFor returns the source column of a field: the mapped one, else a
// column named like the field (case-insensitive), else "".
func (m Mapping) columnFor(field string, columns []string) string {
	if c, ok := m[field]; ok {
		return c
	}
	for _, c := range columns {
		if strings.EqualFold(c, field) {
			return c
		}
	}
	return ""
}

// stringify renders a number read from a file for a text field.
func stringify(v any) any {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return v
}

// setMapped sets a field from a file value, trying the value as text when
// a text field receives a number (a numeric id or INSEE code column).
func setMapped(s *Site, field string, v any) error {
	err := s.SetProperty(field, v)
	if err != nil && stringify(v) != v {
		if err2 := s.SetProperty(field, stringify(v)); err2 == nil {
			return nil
		}
	}
	return err
}
