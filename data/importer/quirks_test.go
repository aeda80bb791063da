package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"sitematch/data"
	"sitematch/data/importer/importertest"
	"sitematch/geo"
)

// TestLambert93ToWGS84 checks the conversion against the lon/lat pairs the
// toll-station file carries beside its Lambert-93 x/y (every row), and
// against the projection's origin.
func TestLambert93ToWGS84(t *testing.T) {
	t.Run("origin", func(t *testing.T) {
		// Lambert-93 puts 3° E, 46.5° N at (700000, 6600000).
		p := geo.Lambert93ToWGS84(700000, 6600000)
		if math.Abs(p[0]-3) > 1e-9 || math.Abs(p[1]-46.5) > 1e-9 {
			t.Errorf("Lambert93ToWGS84(700000, 6600000) = %v, want [3 46.5]", p)
		}
	})
	t.Run("toll stations", func(t *testing.T) {
		raw := importertest.Raw(t)
		tb, err := readTable(raw, "transport/gares_peage_rrn_concede_2024_with_wgs84.csv", ';')
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = tb.each(func(r row) error {
			x, err := r.Float("x")
			if err != nil {
				return err
			}
			y, err := r.Float("y")
			if err != nil {
				return err
			}
			want, err := r.LonLat("lon", "lat")
			if err != nil {
				return err
			}
			got := geo.Lambert93ToWGS84(x, y)
			if math.Abs(got[0]-want[0]) > 1e-6 || math.Abs(got[1]-want[1]) > 1e-6 {
				t.Errorf("line %d: Lambert93ToWGS84(%v, %v) = %.7f, want %v", r.Line, x, y, got, want)
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 1000 {
			t.Errorf("checked %d rows, want the whole file (1,266)", n)
		}
	})
}

func TestInterchangeName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Abbeville-Est Sortie", "Abbeville-Est"},
		{"Bonneville Est Entrée", "Bonneville Est"},
		{"Audomarois A Entree Sens 1", "Audomarois A"},
		{"Beauvais-Centre Entree 2", "Beauvais-Centre"},
		{"Gace 2", "Gace"},
		{"Cluses Aval S1", "Cluses Aval"},
		{"Thenon Est S", "Thenon Est"},
		{"Lestelle St Martory E", "Lestelle St Martory"},
		{"Dozule Echangeur Sortie", "Dozule"},
		{"Saint Isidore Ech Ouest Sortie", "Saint Isidore Ech Ouest"}, // only trailing gate words go
		{"La Boisse - Montluel", "La Boisse - Montluel"},
		{"  Forges  ", "Forges"},
		{"Sortie", "Sortie"}, // a name is never stripped to nothing
		{"", ""},
	}
	for _, tc := range cases {
		if got := interchangeName(tc.in); got != tc.want {
			t.Errorf("interchangeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMotorwayName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"A0014", "A14"},
		{"A0007", "A7"},
		{"A0650", "A650"},
		{"80A901625CD", "A16"}, // ramp: département 80, A9, motorway 016
		{"01A903905CD", "A39"},
		{"61A902815CD", "A28"},
		{"A0000", ""},
		{"N0012", ""},
		{"ABC", ""},
		{"80B901625CD", ""},
		{"A", ""},
		{"", ""},
	}
	for _, tc := range cases {
		if got := motorwayName(tc.in); got != tc.want {
			t.Errorf("motorwayName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlug(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Abbeville-Est", "abbeville-est"},
		{"Saint Étienne-au-Temple", "saint-etienne-au-temple"},
		{"La Boisse - Montluel", "la-boisse-montluel"},
		{"Charmont-s/Barbuise", "charmont-s-barbuise"},
		{"  Forges ", "forges"},
	}
	for _, tc := range cases {
		if got := slug(tc.in); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCartofrichesPoint checks the R-vector regex "c(lon, lat)": it takes
// two comma-separated tokens and leaves their parsing as numbers to the
// importer.
func TestCartofrichesPoint(t *testing.T) {
	cases := []struct {
		in       string
		lon, lat string // "" when the text must not match
	}{
		{"c(5.51706696897107, 45.8807218999131)", "5.51706696897107", "45.8807218999131"},
		{"c(5.5,45.8)", "5.5", "45.8"},
		{"c( -1.5 , 47.2 )", "-1.5", "47.2"},
		{"c(-61.7, 16.0)", "-61.7", "16.0"},
		{"c(foo, 45)", "foo", "45"},
		{"c(1, 2, 3)", "", ""},
		{"c(1 2)", "", ""},
		{"c(1, )", "", ""},
		{"5.5, 45.8", "", ""},
		{"POINT(5.5 45.8)", "", ""},
		{"c(5.5, 45.8) trailing", "", ""},
		{"NA", "", ""},
	}
	for _, tc := range cases {
		m := rPoint.FindStringSubmatch(tc.in)
		switch {
		case tc.lon == "" && m != nil:
			t.Errorf("%q matches %q, want no match", tc.in, m[1:])
		case tc.lon != "" && m == nil:
			t.Errorf("%q does not match, want %q, %q", tc.in, tc.lon, tc.lat)
		case m != nil && (m[1] != tc.lon || m[2] != tc.lat):
			t.Errorf("%q gives %q, %q, want %q, %q", tc.in, m[1], m[2], tc.lon, tc.lat)
		}
	}
}

func TestRowErrorMessage(t *testing.T) {
	cause := errors.New("boom")
	cases := []struct {
		err  *RowError
		want string
	}{
		{&RowError{File: "admin/communes.csv", Line: 12, Field: "lat", Err: cause}, "admin/communes.csv:12: lat: boom"},
		{&RowError{File: "admin/communes.csv", Line: 12, Err: cause}, "admin/communes.csv:12: boom"},
		{&RowError{File: "programmes/acv.geojson", Field: "features[3].geometry", Err: cause}, "programmes/acv.geojson: features[3].geometry: boom"},
		{&RowError{File: "transport/airports.json", Err: cause}, "transport/airports.json: boom"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
		wrapped := fmt.Errorf("import: %w", tc.err)
		if !errors.Is(wrapped, cause) {
			t.Errorf("%q does not unwrap to its cause", tc.want)
		}
		var re *RowError
		if !errors.As(wrapped, &re) || re != tc.err {
			t.Errorf("%q: errors.As finds no *RowError", tc.want)
		}
	}
}

func TestParseTable(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		sep    rune
		header []string
		rows   [][]string
		lines  []int
		err    string // RowError message, "" for none
		cause  error
	}{
		{
			name:   "BOM and semicolons detected",
			in:     "\xef\xbb\xbfNom_Gare;Position géographique\nAbancourt;49.6852237, 1.7743058\n",
			header: []string{"Nom_Gare", "Position géographique"},
			rows:   [][]string{{"Abancourt", "49.6852237, 1.7743058"}},
			lines:  []int{2},
		},
		{
			name:   "commas detected",
			in:     "insee_com,lat,lng\n01001,46.15,4.92\n01002,46.0,5.4\n",
			header: []string{"insee_com", "lat", "lng"},
			rows:   [][]string{{"01001", "46.15", "4.92"}, {"01002", "46.0", "5.4"}},
			lines:  []int{2, 3},
		},
		{
			name:   "detection reads the header only",
			in:     "a;b\n\"1,2,3\";4\n",
			header: []string{"a", "b"},
			rows:   [][]string{{"1,2,3", "4"}},
			lines:  []int{2},
		},
		{
			name:   "explicit separator",
			in:     "a;b,c\n1;2,3\n",
			sep:    ',',
			header: []string{"a;b", "c"},
			rows:   [][]string{{"1;2", "3"}},
			lines:  []int{2},
		},
		{
			name:   "quoted newline keeps line numbers",
			in:     "a,b\n\"x\ny\",2\n3,4\n",
			header: []string{"a", "b"},
			rows:   [][]string{{"x\ny", "2"}, {"3", "4"}},
			lines:  []int{2, 4},
		},
		{
			name:  "truncated line",
			in:    "a,b,c\n1,2,3\n4,5\n6,7,8\n",
			err:   "t.csv:3: wrong number of fields",
			cause: csv.ErrFieldCount,
		},
		{
			name:  "truncated line after a quoted newline",
			in:    "a,b\n\"x\ny\",2\n3\n",
			err:   "t.csv:4: wrong number of fields",
			cause: csv.ErrFieldCount,
		},
		{
			name:  "bare quote",
			in:    "a,b\n1,2\n3,x\"y\n",
			err:   "t.csv:3: bare \" in non-quoted-field",
			cause: csv.ErrBareQuote,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := parseTable("t.csv", []byte(tc.in), tc.sep)
			if tc.err != "" {
				var re *RowError
				if !errors.As(err, &re) || err.Error() != tc.err || !errors.Is(err, tc.cause) {
					t.Fatalf("parseTable error = %v, want RowError %q wrapping %v", err, tc.err, tc.cause)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tb.names, tc.header) {
				t.Errorf("header = %q, want %q", tb.names, tc.header)
			}
			if !slices.EqualFunc(tb.rows, tc.rows, slices.Equal) {
				t.Errorf("rows = %q, want %q", tb.rows, tc.rows)
			}
			if !slices.Equal(tb.lines, tc.lines) {
				t.Errorf("lines = %v, want %v", tb.lines, tc.lines)
			}
			for _, h := range tc.header {
				if !tb.has(h) {
					t.Errorf("has(%q) = false", h)
				}
			}
		})
	}
}

// TestNeed checks that a missing column is reported on line 1 with the
// header found.
func TestNeed(t *testing.T) {
	tb, err := parseTable("transport/gares.csv", []byte("route;nom;typeGare\nA0014;X;Ech\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	err = tb.need("route", "nomGare", "typeGare")
	want := `transport/gares.csv:1: missing columns ["nomGare"] (header is ["route" "nom" "typeGare"])`
	if err == nil || err.Error() != want {
		t.Errorf("need = %v, want %s", err, want)
	}
	if err := tb.need("route", "typeGare"); err != nil {
		t.Errorf("need(present columns) = %v", err)
	}
}

// TestMergeRelabelled checks that a site listed by two programmes in the
// same commune, with a shared identifying word, is kept once (the later
// programme's row), and that distinct sites of one commune are not merged.
func TestMergeRelabelled(t *testing.T) {
	f2030 := "France 2030 - sites clés en main (1re vague, 16-17 avril 2024)"
	old := "Sites industriels clés en main (dispositif 2020-2021, 12 puis 78 puis ~127 sites)"
	sites := []data.Site{
		{ID: "turnkey:NOR-4", Name: "Ancien site Renault CKD", Commune: "76319", Programme: f2030},
		{ID: "turnkey:OLD-04", Name: "Plateforme ex-Renault CKD (Haropa Port de Rouen)", Commune: "76319", Programme: old, Source: "gazette"},
		{ID: "turnkey:NOR-2", Name: "MTV (ex-Cipha)", Commune: "76533", Programme: f2030},
		{ID: "turnkey:NOR-6", Name: "Site industriel Ouest A29", Commune: "76533", Programme: f2030},
		{ID: "turnkey:OLD-99", Name: "Parc d'activités du Moulin", Commune: "76533", Programme: old},
	}
	l := &LayerReport{Kept: len(sites)}
	got := mergeRelabelled(sites, l)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	want := []string{"turnkey:NOR-4", "turnkey:NOR-2", "turnkey:NOR-6", "turnkey:OLD-99"}
	if !slices.Equal(ids, want) {
		t.Fatalf("kept %v, want %v", ids, want)
	}
	if !strings.Contains(got[0].Note, "OLD-04") || !strings.Contains(got[0].Note, "gazette") {
		t.Errorf("the kept row's note %q does not name the merged row and its source", got[0].Note)
	}
	if l.Kept != 4 || l.Skipped["same site listed again in an earlier programme (merged)"] != 1 || len(l.Notes) != 1 {
		t.Errorf("report: kept %d, skipped %v, notes %v", l.Kept, l.Skipped, l.Notes)
	}
}
