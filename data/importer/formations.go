package importer

import (
	"fmt"
	"os"
	"path/filepath"

	"sitematch/data"
	"sitematch/data/reader"
)

// courseOffer is what the constat de rentrée says a lycée teaches: pupils
// per trade family, for every UAI of the constat (a UAI whose courses map
// to no family has an empty map).
type courseOffer struct {
	files  []string
	pupils map[string]map[string]int // UAI → family → pupils
	rows   int                       // constat rows read
	mapped int                       // rows whose course maps to a trade family
}

// readCourseOffer joins the constat de rentrée (UAI × MEF STAT 11, pupils)
// through the BCN nomenclatures (nMef: MEF_STAT_11 → FORMATION_DIPLOME;
// nFormationDiplome: → GROUPE_SPECIALITE, the NSF group) to the trade
// families of data.NSFGroups. A course whose MEF or diploma the BCN does
// not know, or whose NSF group the mapping lacks, stops the import: the
// mapping must cover every group.
func readCourseOffer(dir string) (*courseOffer, error) {
	cfile, err := glob(dir, "training/formations/constat_*.csv")
	if err != nil {
		return nil, err
	}
	mfile, err := glob(dir, "training/formations/nMef.csv")
	if err != nil {
		return nil, err
	}
	dfile, err := glob(dir, "training/formations/nFormationDiplome_.csv")
	if err != nil {
		return nil, err
	}
	mef, err := readUnquoted(dir, mfile, ';')
	if err != nil {
		return nil, err
	}
	if err := mef.need("MEF_STAT_11", "FORMATION_DIPLOME"); err != nil {
		return nil, err
	}
	diplomaOf := map[string]string{}
	if err := mef.each(func(r row) error {
		if k := r.Get("MEF_STAT_11"); k != "" {
			if _, dup := diplomaOf[k]; !dup { // the first MEF of a STAT 11 code names its diploma
				diplomaOf[k] = r.Get("FORMATION_DIPLOME")
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	dip, err := readUnquoted(dir, dfile, ';')
	if err != nil {
		return nil, err
	}
	if err := dip.need("FORMATION_DIPLOME", "GROUPE_SPECIALITE"); err != nil {
		return nil, err
	}
	groupOf := map[string]string{}
	if err := dip.each(func(r row) error {
		groupOf[r.Get("FORMATION_DIPLOME")] = r.Get("GROUPE_SPECIALITE")
		return nil
	}); err != nil {
		return nil, err
	}
	con, err := readTable(dir, cfile, ';')
	if err != nil {
		return nil, err
	}
	const uaiCol, mefCol, pupilsCol = "UAI", "Mef Bcp 11", "Nombre d'élèves : Total"
	if err := con.need(uaiCol, mefCol, pupilsCol); err != nil {
		return nil, err
	}
	out := &courseOffer{files: []string{cfile, mfile, dfile}, pupils: map[string]map[string]int{}}
	err = con.each(func(r row) error {
		out.rows++
		uai := r.Get(uaiCol)
		if uai == "" {
			return r.fail(uaiCol, "is empty")
		}
		n, err := r.Int(pupilsCol)
		if err != nil {
			return err
		}
		if out.pupils[uai] == nil {
			out.pupils[uai] = map[string]int{}
		}
		d, ok := diplomaOf[r.Get(mefCol)]
		if !ok {
			return r.fail(mefCol, "MEF %q is not in %s", r.Get(mefCol), mfile)
		}
		g, ok := groupOf[d]
		if !ok {
			return r.fail(mefCol, "diploma %q (MEF %s) is not in %s", d, r.Get(mefCol), dfile)
		}
		grp, ok := data.NSFGroupByCode(g)
		if !ok {
			return r.fail(mefCol, "NSF group %q of diploma %s is not in data.NSFGroups", g, d)
		}
		if grp.Family != "" && n > 0 {
			out.pupils[uai][grp.Family] += n
			out.mapped++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// trades returns a lycée's trade families in the order of
// data.TradeFamilies, with the pupils of each, and whether the constat
// lists the lycée at all.
func (o *courseOffer) trades(uai string) (fams []string, pupils []int, listed bool) {
	m, listed := o.pupils[uai]
	for _, f := range data.TradeFamilies {
		if n := m[f.ID]; n > 0 {
			fams = append(fams, f.ID)
			pupils = append(pupils, n)
		}
	}
	return fams, pupils, listed
}

func (o *courseOffer) note(placed, withTrades int) string {
	return fmt.Sprintf("constat de rentrée 2020: %d rows, %d UAI, %d rows in a mapped trade family; %d of its UAI are lycées of the IPS file, %d of them with course-offer trades",
		o.rows, len(o.pupils), o.mapped, placed, withTrades)
}

// readUnquoted reads a delimited file that does not quote its fields (see
// reader.ReadUnquoted), as the BCN nomenclature exports.
func readUnquoted(dir, rel string, sep rune) (*table, error) {
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	recs, err := reader.ReadUnquoted(rel, b, sep)
	if err != nil {
		return nil, rowError(err)
	}
	t := &table{file: rel, header: map[string]int{}, names: recs.Header, rows: recs.Rows, lines: recs.Lines}
	for i, h := range recs.Header {
		if _, dup := t.header[h]; !dup {
			t.header[h] = i
		}
	}
	return t, nil
}
