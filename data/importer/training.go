package importer

import (
	"sort"
	"strconv"
	"strings"

	"sitematch/data"
)

// lycees reads the lycées (DEPP IPS file, one row per UAI), keeps the
// vocational ones (LP, LPO), places each at its commune and reads the trade
// families a "lycée des métiers de …" name states.
func (b *builder) lycees() error {
	file, err := glob(b.dir, "training/lycees_*.csv")
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
	l := b.layer("training", file)
	seen := map[string]bool{}
	named := 0
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
		if typ != "LP" && typ != "LPO" {
			l.skip("not vocational (type " + typ + ")")
			return nil
		}
		c, p, ok := b.commune(r.Get("code_insee_de_la_commune"))
		if !ok {
			l.skip("commune not in the commune file (Saint-Martin, 97801, is a collectivité outside the COG communes)")
			return nil
		}
		name := r.Get("nom_de_l_etablissment")
		trades := data.TradesFromName(name)
		if strings.Contains(data.Fold(name), " METIERS ") {
			named++
		}
		b.cat.Lycees = append(b.cat.Lycees, data.Lycee{UAI: uai, Name: name, Type: typ, Sector: r.Get("secteur"),
			Commune: c.Code, Point: p, Trades: trades})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(b.cat.Lycees, func(i, j int) bool { return b.cat.Lycees[i].UAI < b.cat.Lycees[j].UAI })
	withTrades := 0
	for _, ly := range b.cat.Lycees {
		if len(ly.Trades) > 0 {
			withTrades++
		}
	}
	l.Notes = append(l.Notes, "placed at their commune's coordinates (their arrondissement's in Paris, Lyon and Marseille)",
		strconv.Itoa(named)+" vocational lycées are named \"lycée des métiers\", "+strconv.Itoa(withTrades)+" of them with a recognised trade family")
	b.done(l)
	b.source("training", l)
	return nil
}
