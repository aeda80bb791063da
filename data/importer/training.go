package importer

import (
	"fmt"
	"sort"
	"strings"

	"sitematch/data"
)

// lycees reads the lycées (DEPP IPS file, one row per UAI) and the course
// offer (constat de rentrée 2020). It keeps every vocational lycée (LP,
// LPO) and every other lycée (LEGT) that teaches a course of a trade
// family, places each at its commune, and gives each the trade families of
// the courses it teaches, with their pupils. A lycée the constat does not
// list falls back on the families its "lycée des métiers de …" name
// states, and its TradesSource says so.
func (b *builder) lycees() error {
	file, err := glob(b.dir, "training/lycees_*.csv")
	if err != nil {
		return err
	}
	offer, err := readCourseOffer(b.dir)
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return err
	}
	if err := t.need("uai", "nom_de_l_etablissment", "code_insee_de_la_commune", "secteur", "type_de_lycee"); err != nil {
		return err
	}
	l := b.layer("training", append([]string{file}, offer.files...)...)
	seen := map[string]bool{}
	var named, listed, byCourses, byName, legt int
	err = t.each(func(r row) error {
		l.Read++
		uai := r.Get("uai")
		if uai == "" {
			return r.fail("uai", "is empty")
		}
		if seen[uai] {
			l.skip("duplicate UAI")
			return nil
		}
		seen[uai] = true
		typ := r.Get("type_de_lycee")
		name := r.Get("nom_de_l_etablissment")
		trades, pupils, inConstat := offer.trades(uai)
		source := data.TradesByCourses
		if !inConstat {
			trades, pupils, source = data.TradesFromName(name), nil, data.TradesByName
		}
		if len(trades) == 0 {
			source = ""
			if inConstat {
				source = data.TradesByCourses // known: none of its courses is industrial
			}
		}
		vocational := typ == "LP" || typ == "LPO"
		if !vocational && !(inConstat && len(trades) > 0) {
			l.skip("general and technological lycée (LEGT) teaching no course of a trade family")
			return nil
		}
		c, p, ok := b.commune(r.Get("code_insee_de_la_commune"))
		if !ok {
			l.skip("commune not in the commune file (Saint-Martin, 97801, is a collectivité outside the COG communes)")
			return nil
		}
		if strings.Contains(data.Fold(name), " METIERS ") {
			named++
		}
		if inConstat {
			listed++
		}
		switch {
		case source == data.TradesByCourses && len(trades) > 0:
			byCourses++
		case source == data.TradesByName:
			byName++
		}
		if !vocational {
			legt++
		}
		b.cat.Lycees = append(b.cat.Lycees, data.Lycee{UAI: uai, Name: name, Type: typ, Sector: r.Get("secteur"),
			Commune: c.Code, Point: p, Trades: trades, Pupils: pupils, TradesSource: source})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	unplaced := 0
	for uai := range offer.pupils {
		if !seen[uai] {
			unplaced++
		}
	}
	l.Notes = append(l.Notes, fmt.Sprintf("%d UAI of the constat are not in the IPS file (no commune): not placed", unplaced))
	sort.Slice(b.cat.Lycees, func(i, j int) bool { return b.cat.Lycees[i].UAI < b.cat.Lycees[j].UAI })
	l.Notes = append(l.Notes, "placed at their commune's coordinates (their arrondissement's in Paris, Lyon and Marseille)",
		offer.note(listed, byCourses),
		fmt.Sprintf("%d lycées kept: every LP and LPO, and %d LEGT teaching a course of a trade family", l.Kept, legt),
		fmt.Sprintf("%d lycées have course-offer trades; %d lycées absent from the constat have trades read from a \"lycée des métiers\" name (%d kept lycées have such a name)", byCourses, byName, named))
	b.done(l)
	b.source("training", l)
	return nil
}
