package importer

import (
	"sort"
	"strings"

	"sitematch/data"
)

// seveso reads the Géorisques extract of Seveso upper-tier establishments
// with national inspection priority under the IED directive: a partial
// list (the lower tier and the other upper-tier sites are not in it).
func (b *builder) seveso() error {
	file, err := glob(b.dir, "industry/georisques_icpe_seveso_*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need("code_aiot", "nom_ets", "cd_insee", "code_naf", "lib_naf", "lib_regime", "lib_seveso", "url_fiche", "lon", "lat"); err != nil {
		return err
	}
	l := b.layer("seveso", file)
	seen := map[string]bool{}
	err = t.each(func(r row) error {
		l.Read++
		id := r.Get("code_aiot")
		if id == "" {
			return r.fail("code_aiot", "is empty")
		}
		if seen[id] {
			l.skip("duplicate code_aiot")
			return nil
		}
		seen[id] = true
		p, err := r.LonLat("lon", "lat")
		if err != nil {
			return err
		}
		c, _, ok := b.commune(r.Get("cd_insee"))
		if !ok {
			l.skip("commune code unknown to the commune file")
			return nil
		}
		b.cat.Seveso = append(b.cat.Seveso, data.Establishment{ID: id, Name: r.Get("nom_ets"), Commune: c.Code,
			NAF: r.Get("code_naf"), Activity: r.Get("lib_naf"), Seveso: strings.TrimPrefix(strings.ToLower(r.Get("lib_seveso")), "seveso "),
			Regime: strings.ToLower(r.Get("lib_regime")), Point: p, URL: r.Get("url_fiche")})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(b.cat.Seveso, func(i, j int) bool { return b.cat.Seveso[i].ID < b.cat.Seveso[j].ID })
	l.Notes = append(l.Notes, "partial: Seveso upper tier with national inspection priority and IED only; the lower tier and other upper-tier sites are missing")
	b.done(l)
	b.source("seveso", l)
	return nil
}
