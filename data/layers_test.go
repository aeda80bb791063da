package data_test

import (
	"slices"
	"strings"
	"testing"

	"sitematch/data"
)

// TestLayerTable checks that each layer is declared once and completely:
// a unique id and file, source metadata, the accessor of its class, and
// that the snapshot files, counts and kinds follow from the table.
func TestLayerTable(t *testing.T) {
	ids, files := map[string]bool{}, map[string]bool{}
	var kinds []string
	for _, l := range data.Layers() {
		if ids[l.ID] || files[l.File] {
			t.Errorf("layer %q: id or file %q declared twice", l.ID, l.File)
		}
		ids[l.ID], files[l.File] = true, true
		if l.File == "" || l.Source.Publisher == "" || l.Source.Licence == "" || l.Source.Vintage == "" || l.Source.Origin == "" {
			t.Errorf("layer %q: incomplete declaration %+v", l.ID, l)
		}
		switch l.Class {
		case data.ClassCandidate:
			if l.Sites == nil || l.Nodes != nil || l.Kind == "" || l.Title == "" || !strings.HasPrefix(l.File, l.ID+".") {
				t.Errorf("candidate layer %q: needs Sites, a kind, a title and its own file", l.ID)
			}
			kinds = append(kinds, l.Kind)
		case data.ClassTransport:
			if l.Nodes == nil || l.Sites != nil || l.Kind != "" || l.Title == "" {
				t.Errorf("transport layer %q: needs Nodes and a title, no kind", l.ID)
			}
		case data.ClassAdmin, data.ClassTraining, data.ClassOutline, data.ClassEnergy, data.ClassRisk, data.ClassReference, data.ClassIndustry:
			if l.Nodes != nil || l.Sites != nil || l.Kind != "" {
				t.Errorf("layer %q of class %s has an accessor or kind", l.ID, l.Class)
			}
		default:
			t.Errorf("layer %q: unknown class %q", l.ID, l.Class)
		}
		if l.RegistryOwned && !l.Registry {
			t.Errorf("layer %q: RegistryOwned without Registry", l.ID)
		}
	}
	if !slices.Equal(kinds, data.Kinds) {
		t.Errorf("Kinds = %v, the table's candidate kinds %v", data.Kinds, kinds)
	}
	for _, k := range data.RegistryKinds {
		l, ok := data.LayerOfKind(k)
		if !ok || !l.Registry {
			t.Errorf("registry kind %q has no registry layer", k)
		}
	}
	snap := data.SnapshotFiles()
	for f := range files {
		if !slices.Contains(snap, f) {
			t.Errorf("layer file %q is not a snapshot file", f)
		}
	}
	if len(snap) != len(files)+2 {
		t.Errorf("snapshot files %v: want the %d layer files, sources.csv and SOURCES.md", snap, len(files))
	}
	c := loadEmbedded(t)
	counts := c.Counts()
	for _, l := range data.Layers() {
		sum := 0
		for _, n := range l.Counts(c) {
			sum += n.N
			if counts[n.Key] != n.N {
				t.Errorf("count %q = %d, layer says %d", n.Key, counts[n.Key], n.N)
			}
		}
		if sum != l.Rows(c) {
			t.Errorf("layer %q: counts add up to %d, rows %d", l.ID, sum, l.Rows(c))
		}
		src, ok := c.SourceOf(l.ID)
		if !ok || src.Publisher != l.Source.Publisher || src.Licence != l.Source.Licence {
			t.Errorf("layer %q: sources.csv says %+v, the table %+v", l.ID, src, l.Source)
		}
	}
}
