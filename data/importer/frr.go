package importer

import (
	"fmt"
	"strings"

	"sitematch/data"
)

// communesFRR reads the communes, then their FRR classes.
func (b *builder) communesFRR() error {
	if err := b.communes(); err != nil {
		return err
	}
	return b.frr()
}

// frr classifies every commune in the France ruralités revitalisation
// zoning (list of 10 July 2025). A commune the list does not name is
// "non classée", like the list's own "Non classée" rows; the report counts
// them. A code of the list that is a delegated commune or an arrondissement
// classifies its parent commune when the parent has no row of its own.
func (b *builder) frr() error {
	file, err := glob(b.dir, "programmes/frr_communes_classement_*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return err
	}
	const codeCol, classCol = "Code_insee", "Classement FRR et FRR+ au 10 juillet 2025"
	if err := t.need(codeCol, classCol); err != nil {
		return err
	}
	l := b.layer("communes (FRR)", file)
	direct := map[string]string{}
	viaParent := map[string]string{}
	unknown := 0
	err = t.each(func(r row) error {
		l.Read++
		label := r.Get(classCol)
		cls, ok := data.FRRClassByLabel(label)
		if !ok {
			return r.fail(classCol, "%q is not an FRR class (%v)", label, data.FRRClasses)
		}
		code := r.Get(codeCol)
		if _, ok := b.cat.Commune(code); ok {
			direct[code] = cls.ID
			l.Kept++
			return nil
		}
		if c, _, ok := b.commune(code); ok {
			viaParent[c.Code] = cls.ID
			l.Kept++
			return nil
		}
		unknown++
		l.skip("commune code unknown to the commune file (COG 2024)")
		return nil
	})
	if err != nil {
		return err
	}
	counts := map[string]int{}
	absent := 0
	for i := range b.cat.Communes {
		c := &b.cat.Communes[i]
		id, ok := direct[c.Code]
		if !ok {
			id, ok = viaParent[c.Code]
		}
		if !ok {
			id = data.FRRNone
			absent++
		}
		c.FRR = id
		counts[id]++
	}
	l.Notes = append(l.Notes, fmt.Sprintf("%d communes absent from the list are \"non classée\"", absent))
	for _, cls := range data.FRRClasses {
		l.Notes = append(l.Notes, fmt.Sprintf("%s: %d communes", cls.Label, counts[cls.ID]))
	}
	b.done(l)
	// The class is a column of communes.csv: the communes layer's source
	// names the file and the decisions.
	for i := range b.cat.Sources {
		if s := &b.cat.Sources[i]; s.Layer == "communes" {
			s.File += " + " + file
			s.Note += "; FRR: " + strings.Join(l.Notes, "; ")
		}
	}
	return nil
}
