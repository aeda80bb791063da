package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"sitematch/data/reader"
	"sitematch/data/store"
	"sitematch/geo"
)

func checksum(t *testing.T, st *store.SQLite) string {
	t.Helper()
	sum, err := st.Checksum(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func readImport(t *testing.T, spec store.ImportSpec, files ...string) []store.ImportItem {
	t.Helper()
	for i := range files {
		files[i] = "testdata/" + files[i]
	}
	items, err := store.ReadImport(files, spec)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestImportCNIG imports the CNIG site and plot files: three zones are
// created with the mapped fields and the plot figures, a second import
// changes nothing, and a dry run of a changed file reports the update
// without writing it.
func TestImportCNIG(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	items := readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_site_eco.csv", "cnig_terrain_eco.csv")
	rep, err := st.Import(ctx, "import:hdf", items, store.ImportOptions{})
	if err != nil {
		t.Fatalf("%v\n%+v", err, rep)
	}
	if rep.Created != 3 || rep.Updated != 0 || rep.Invalid != 0 || !rep.Committed {
		t.Fatalf("report %+v", rep)
	}
	bornes, err := st.Get(ctx, "zone:80024_SITE-ECO_00001")
	if err != nil {
		t.Fatal(err)
	}
	// 9.9 ha sold; 3.2 ha available and 2.5 ha being marketed.
	if bornes.Name != "ZAC Les Bornes du Temps" || bornes.Commune != "80024" || *bornes.AreaHa != 37.2 ||
		*bornes.AvailableHa != 5.7 || *bornes.LargestPlotHa != 3.2 || *bornes.PriceEURM2 != 28 ||
		bornes.VerifiedOn != "2024-05-14" || bornes.Contact != "Amiens Développement" || !*bornes.Water ||
		*bornes.RailSiding || bornes.Status != "existant et actif" || len(bornes.Outline) != 1 {
		t.Errorf("Bornes du Temps: %+v", bornes)
	}
	pj, _ := st.Get(ctx, "zone:76476_SITE-ECO_00012")
	if pj.Outline != nil || pj.Point[0] != 0.5751 || pj.Programme != "Site clé en main" || pj.Contact != "Caux Seine agglo" || !*pj.RailSiding {
		t.Errorf("Port-Jérôme: %+v", pj)
	}
	carling, _ := st.Get(ctx, "zone:57606_SITE-ECO_00003")
	if *carling.AvailableHa != 18 || *carling.LargestPlotHa != 18 || *carling.PriceEURM2 != 12 {
		t.Errorf("Carling plots: available %v, largest %v, price %v", *carling.AvailableHa, *carling.LargestPlotHa, *carling.PriceEURM2)
	}
	h, _ := st.History(ctx, carling.ID)
	if len(h) != 1 || h[0].Verb != store.VerbImport || h[0].Who != "import:hdf" {
		t.Errorf("history %+v", h)
	}

	// The same files again: nothing changes.
	sum := checksum(t, st)
	items = readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_site_eco.csv", "cnig_terrain_eco.csv")
	rep, err = st.Import(ctx, "import:hdf", items, store.ImportOptions{})
	if err != nil || rep.Unchanged != 3 || rep.Created+rep.Updated != 0 {
		t.Errorf("re-import: %+v, %v", rep, err)
	}
	if checksum(t, st) != sum {
		t.Error("an import of unchanged records changed the store")
	}

	// Plots alone complete the stored sites; an editor's own fields stay.
	if _, err := st.Patch(ctx, "editor", carling.ID, carling.ETag(), store.Patch{Fields: []string{"power_mw"}, Values: store.Site{PowerMW: ptr(80.0)}}); err != nil {
		t.Fatal(err)
	}
	sum = checksum(t, st)
	items = readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_terrain_eco.csv")
	for i := range items {
		if items[i].Site.ID == carling.ID {
			v := 20.0
			items[i].Site.AvailableHa = &v // as if a plot had been added
		}
	}
	rep, err = st.Import(ctx, "import:hdf", items, store.ImportOptions{DryRun: true})
	if err != nil || rep.Updated != 1 || rep.Unchanged != 1 || rep.Committed {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	for _, it := range rep.Items {
		if it.Outcome == store.OutcomeUpdated && (it.ID != carling.ID || !slices.Equal(it.Changed, []string{"available_ha"})) {
			t.Errorf("dry run item %+v", it)
		}
	}
	if checksum(t, st) != sum {
		t.Error("a dry run changed the store")
	}
	var out strings.Builder
	rep.Print(&out)
	if !strings.Contains(out.String(), "dry run: 0 created, 1 updated, 1 unchanged, 0 invalid") || !strings.Contains(out.String(), "nothing written (dry run)") {
		t.Errorf("report:\n%s", out.String())
	}
	if _, err := st.Import(ctx, "import:hdf", items, store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	carling, _ = st.Get(ctx, carling.ID)
	if *carling.AvailableHa != 20 || *carling.PowerMW != 80 {
		t.Errorf("after the plot import: available %v, power %v", *carling.AvailableHa, *carling.PowerMW)
	}
}

// TestImportGeoJSONAndCSV imports any GeoJSON (properties named like the
// fields) and a CSV with lon/lat columns through a field mapping.
func TestImportGeoJSONAndCSV(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	items := readImport(t, store.ImportSpec{}, "zones.geojson")
	rep, err := st.Import(ctx, "cli", items, store.ImportOptions{})
	if err != nil || rep.Created != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	fos, _ := st.Get(ctx, "zone:fos-caban")
	if fos.ICPE != "authorisation" || fos.Seveso != "upper_tier" || *fos.PowerMW != 120 || *fos.WaterM3h != 500 || len(fos.Outline) != 1 {
		t.Errorf("Fos: %+v", fos)
	}
	vdc, _ := st.Get(ctx, "zone:vallee-chimie-appel-des-30")
	if vdc.ICPE != "registration" || vdc.Seveso != "none" || *vdc.RailSiding || vdc.AvailableFrom != "2025-06-01" {
		t.Errorf("Vallée de la chimie: %+v", vdc)
	}

	m, err := store.ParseMapping("id=IDENT,name=NOM_SITE,commune=INSEE,area_ha=SURF_HA")
	if err != nil {
		t.Fatal(err)
	}
	items = readImport(t, store.ImportSpec{Format: store.FormatCSV, Map: m, Kind: "turnkey"}, "zones_lonlat.csv")
	rep, err = st.Import(ctx, "cli", items, store.ImportOptions{})
	if err != nil || rep.Created != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	dk, err := st.Get(ctx, "turnkey:DK-01")
	if err != nil || *dk.AreaHa != 210.5 || dk.Point[0] != 2.3017 || dk.Commune != "59183" {
		t.Errorf("Dunkerque: %+v %v", dk, err)
	}
	if _, err := store.ParseMapping("surface=SURF,name"); err == nil {
		t.Error("a bad mapping was accepted")
	}
	_, err = store.ReadImport([]string{"testdata/zones_lonlat.csv"}, store.ImportSpec{Map: store.Mapping{"name": "NOM"}})
	if err == nil || !strings.Contains(err.Error(), `no column "NOM"`) {
		t.Errorf("mapping to a missing column: %v", err)
	}
}

// TestImportMalformedChangesNothing imports files with bad records: the
// error names the file and line of each, and the store's checksum (every
// row of sites and site_history) is unchanged.
func TestImportMalformedChangesNothing(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	if _, err := st.Import(ctx, "cli", readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_site_eco.csv"), store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before := checksum(t, st)

	// A bad value on line 3: the good records on lines 2 and 4 are not
	// written either.
	items := readImport(t, store.ImportSpec{Format: store.FormatCNIG}, "cnig_malformed.csv")
	rep, err := st.Import(ctx, "cli", items, store.ImportOptions{})
	var ve *store.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("import of a malformed file: %v", err)
	}
	if rep.Invalid != 1 || rep.Updated != 1 || rep.Created != 1 || rep.Committed {
		t.Errorf("report %+v", rep)
	}
	if len(ve.Fields) != 1 || ve.Fields[0].Field != "testdata/cnig_malformed.csv:3: properties.area_ha" ||
		!strings.Contains(ve.Fields[0].Message, "site_surf_brute") {
		t.Errorf("errors %+v", ve.Fields)
	}
	if checksum(t, st) != before {
		t.Fatal("a failed import changed the store")
	}

	// A truncated line makes the file unreadable: the error names it.
	_, err = store.ReadImport([]string{"testdata/cnig_truncated.csv"}, store.ImportSpec{Format: store.FormatCNIG})
	var re *reader.Error
	if !errors.As(err, &re) || re.Line != 3 || !strings.Contains(err.Error(), "testdata/cnig_truncated.csv:3") {
		t.Errorf("truncated file: %v", err)
	}

	// Duplicate ids in one batch are refused.
	items = readImport(t, store.ImportSpec{}, "zones.geojson", "zones.geojson")
	if _, err := st.Import(ctx, "cli", items, store.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "is also at") {
		t.Errorf("duplicate ids: %v", err)
	}
	if checksum(t, st) != before {
		t.Fatal("a failed import changed the store")
	}
}

func TestLambert93(t *testing.T) {
	// The projection's origin is exact by definition.
	if p := geo.Lambert93ToWGS84(700000, 6600000); abs(p[0]-3) > 1e-9 || abs(p[1]-46.5) > 1e-9 {
		t.Errorf("origin: %v", p)
	}
	for _, p := range [][2]float64{{2.3522, 48.8566}, {-4.4861, 48.3904}, {7.7521, 48.5734}, {9.45, 42.7}} {
		x, y := geo.WGS84ToLambert93(p)
		back := geo.Lambert93ToWGS84(x, y)
		if abs(back[0]-p[0]) > 1e-9 || abs(back[1]-p[1]) > 1e-9 {
			t.Errorf("round trip of %v: %v", p, back)
		}
	}
	// Paris (Notre-Dame) is about (652 000, 6 862 000) in Lambert-93.
	if x, y := geo.WGS84ToLambert93([2]float64{2.3499, 48.8530}); abs(x-652200) > 1000 || abs(y-6861900) > 1000 {
		t.Errorf("Paris: %.0f, %.0f", x, y)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
