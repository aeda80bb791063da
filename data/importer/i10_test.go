package importer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sitematch/data"
	"sitematch/data/importer/importertest"
)

func TestBrownfieldStatus(t *testing.T) {
	cases := []struct{ export, list, want string }{
		{"friche sans projet", "", "friche sans projet"},                   // only in the export
		{"friche sans projet", "inconnu", "friche sans projet"},            // an unknown newer status erases nothing
		{"friche sans projet", "friche avec projet", "friche avec projet"}, // the newer status wins
		{"friche potentielle", "friche reconvertie", "friche reconvertie"},
		{"friche reconvertie", "friche sans projet", "friche sans projet"},
	}
	for _, tc := range cases {
		if got := brownfieldStatus(tc.export, tc.list); got != tc.want {
			t.Errorf("brownfieldStatus(%q, %q) = %q, want %q", tc.export, tc.list, got, tc.want)
		}
	}
}

func TestOwnerCategory(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"PERSONNE PHYSIQUE"}`, "PERSONNE PHYSIQUE"},
		{`{COMMUNE}`, "COMMUNE"},
		{`{COMMUNE,"PERSONNE PHYSIQUE",COMMUNE}`, "COMMUNE|PERSONNE PHYSIQUE"},
		{`{NA}`, ""},
		{``, ""},
		{`NA`, ""},
	}
	for _, tc := range cases {
		if got := ownerCategory(tc.in); got != tc.want {
			t.Errorf("ownerCategory(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTurnkeyCommitmentAndStatus(t *testing.T) {
	if got := committedTo("Parc d'activités de Mazeran (projet Genvia)", ""); got != "Genvia" {
		t.Errorf("committedTo = %q, want Genvia", got)
	}
	if got := committedTo("Zone X", "Réservé (projet Verkor) depuis 2023"); got != "Verkor" {
		t.Errorf("committedTo from the note = %q, want Verkor", got)
	}
	if got := committedTo("Site industriel Est A29", "a project of 25 ha"); got != "" {
		t.Errorf("committedTo = %q, want none", got)
	}
	cases := []struct{ available, committed, want string }{
		{"2024", "", "disponible"},
		{"2027-2030", "", "en préparation"},
		{"après travaux fin 2025", "", "en préparation"},
		{"", "", ""},
		{"2024", "Genvia", "engagé"},
	}
	for _, tc := range cases {
		if got := turnkeyStatus(tc.available, tc.committed); got != tc.want {
			t.Errorf("turnkeyStatus(%q, %q) = %q, want %q", tc.available, tc.committed, got, tc.want)
		}
	}
}

func TestReadUnquoted(t *testing.T) {
	dir := t.TempDir()
	body := "\xef\xbb\xbfA;B\r\n1;libellé \"CPES\" court\r\n2;\"x\r\n"
	if err := os.WriteFile(filepath.Join(dir, "f.csv"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := readUnquoted(dir, "f.csv", ';')
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.rows) != 2 || tb.rows[0][1] != `libellé "CPES" court` || tb.rows[1][1] != `"x` || tb.lines[1] != 3 {
		t.Errorf("rows %q lines %v", tb.rows, tb.lines)
	}
	if err := os.WriteFile(filepath.Join(dir, "g.csv"), []byte("A;B\n1;2;3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = readUnquoted(dir, "g.csv", ';')
	if re, ok := err.(*RowError); !ok || re.Line != 2 {
		t.Errorf("a line with too many fields: %v, want a RowError at line 2", err)
	}
}

// TestNSFGroupsMatchBCN checks the NSF mapping table against the BCN
// nomenclature: every group of the file is in the table with its label,
// and the table holds nothing else; every family it names exists.
func TestNSFGroupsMatchBCN(t *testing.T) {
	raw := importertest.Raw(t)
	tb, err := readUnquoted(raw, "training/formations/n_groupe_specialite_.csv", ';')
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range tb.rows {
		code, label := rec[tb.header["GROUPE_SPECIALITE"]], rec[tb.header["LIBELLE_LONG"]]
		seen[code] = true
		g, ok := data.NSFGroupByCode(code)
		if !ok {
			t.Errorf("NSF group %s %q is not in data.NSFGroups", code, label)
		} else if g.Label != label {
			t.Errorf("NSF group %s: label %q, the BCN says %q", code, g.Label, label)
		}
	}
	for _, g := range data.NSFGroups {
		if !seen[g.Code] {
			t.Errorf("data.NSFGroups has %s, which the BCN lacks", g.Code)
		}
		if _, ok := data.TradeFamilyByID(g.Family); g.Family != "" && !ok {
			t.Errorf("NSF group %s maps to unknown family %q", g.Code, g.Family)
		}
	}
	for _, want := range []struct{ code, family string }{{"251", "usinage"}, {"254", "chaudronnerie_soudure"},
		{"225", "plasturgie"}, {"222", "chimie"}, {"252", "automobile"}, {"253", "aeronautique"},
		{"255", "electrotechnique"}, {"311", "logistique"}, {"221", "agroalimentaire"}, {"312", ""}} {
		if g, _ := data.NSFGroupByCode(want.code); g.Family != want.family {
			t.Errorf("NSF %s → %q, want %q", want.code, g.Family, want.family)
		}
	}
}

// TestCourseOfferBruteForce recomputes, from the raw constat and BCN files
// with a naive line split, every lycée's pupils per trade family, and
// compares them with the committed snapshot's training layer.
func TestCourseOfferBruteForce(t *testing.T) {
	raw := importertest.Raw(t)
	lines := func(rel string) [][]string {
		b, err := os.ReadFile(filepath.Join(raw, rel))
		if err != nil {
			t.Fatal(err)
		}
		var out [][]string
		for _, l := range strings.Split(strings.TrimPrefix(string(b), "\ufeff"), "\n") {
			if l = strings.TrimRight(l, "\r"); l != "" {
				out = append(out, strings.Split(l, ";"))
			}
		}
		return out
	}
	col := func(rows [][]string, name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q", name)
		return -1
	}
	mef := lines("training/formations/nMef.csv")
	m11, mfd := col(mef, "MEF_STAT_11"), col(mef, "FORMATION_DIPLOME")
	diploma := map[string]string{}
	for _, r := range mef[1:] {
		if _, ok := diploma[r[m11]]; !ok {
			diploma[r[m11]] = r[mfd]
		}
	}
	dip := lines("training/formations/nFormationDiplome_.csv")
	dfd, dgs := col(dip, "FORMATION_DIPLOME"), col(dip, "GROUPE_SPECIALITE")
	group := map[string]string{}
	for _, r := range dip[1:] {
		group[r[dfd]] = r[dgs]
	}
	want := map[string]map[string]int{}
	for _, r := range lines("training/formations/constat_2020.csv")[1:] {
		n, _ := strconv.Atoi(r[3])
		g, _ := data.NSFGroupByCode(group[diploma[r[2]]])
		if want[r[1]] == nil {
			want[r[1]] = map[string]int{}
		}
		if g.Family != "" && n > 0 {
			want[r[1]][g.Family] += n
		}
	}
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range cat.Lycees {
		w, listed := want[l.UAI]
		if listed != (l.TradesSource == data.TradesByCourses) {
			t.Errorf("%s: trades_source %q, listed in the constat %v", l.UAI, l.TradesSource, listed)
			continue
		}
		if !listed {
			continue
		}
		if len(w) != len(l.Trades) {
			t.Errorf("%s: trades %v, the constat gives %v", l.UAI, l.Trades, w)
			continue
		}
		for _, f := range l.Trades {
			if l.PupilsIn(f) != w[f] {
				t.Errorf("%s: %d pupils in %s, the constat gives %d", l.UAI, l.PupilsIn(f), f, w[f])
			}
		}
	}
}
