package importer

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// communes reads the communes with coordinates and population (one row per
// commune and postal code: deduplicated on insee_com, commune_type = COM)
// and their EPCI from the COG EPCI composition.
func (b *builder) communes() error {
	file, err := glob(b.dir, "admin/communes_datasfun_*.csv", "admin/communes*.csv")
	if err != nil {
		return err
	}
	epciFile, err := glob(b.dir, "admin/cog_epci_*.json")
	if err != nil {
		return err
	}
	cogFile, err := glob(b.dir, "admin/cog_communes_*.json")
	if err != nil {
		return err
	}
	var cog []struct {
		Code string `json:"code"`
		Nom  string `json:"nom"`
		Type string `json:"type"`
	}
	if err := readJSON(b.dir, cogFile, &cog); err != nil {
		return err
	}
	cogName := map[string]string{}
	for _, c := range cog {
		if c.Type == "commune-actuelle" {
			cogName[c.Code] = c.Nom
		}
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need("insee_com", "insee_reg", "insee_dep", "commune_article", "commune_type", "lat", "lng",
		"population_2021", "pop_15_64_totale_2021", "pop_15_64_chomage_2021", "pop_15_64_active_2021"); err != nil {
		return err
	}
	var epcis []struct {
		Code    string `json:"code"`
		Membres []struct {
			Code string `json:"code"`
		} `json:"membres"`
	}
	if err := readJSON(b.dir, epciFile, &epcis); err != nil {
		return err
	}
	b.epciOf = map[string]string{}
	for _, e := range epcis {
		for _, m := range e.Membres {
			b.epciOf[m.Code] = e.Code
		}
	}

	l := b.layer("communes", file, epciFile, cogFile)
	b.alias, b.armPoint = map[string]string{}, map[string]orb.Point{}
	seen := map[string]bool{}
	arms := map[string][]data.Commune{} // parent → its arrondissements
	var noCoord []string
	err = t.each(func(r row) error {
		l.Read++
		code := r.Get("insee_com")
		if len(code) != 5 {
			return r.fail("insee_com", "%q is not a 5-character INSEE code", code)
		}
		typ := r.Get("commune_type")
		if typ != "COM" {
			// Other files still name delegated communes and municipal
			// arrondissements: remember their parent (and, for
			// arrondissements, their own position and figures).
			parent := r.Get("insee_parente")
			if parent != "" && parent != code && b.alias[code] == "" {
				b.alias[code] = parent
				if typ == "ARM" {
					c, err := communeRow(r, code)
					if err != nil {
						return err
					}
					b.armPoint[code] = c.Point
					arms[parent] = append(arms[parent], c)
				}
			}
			l.skip("delegated commune or municipal arrondissement row (commune_type COMD/ARM)")
			return nil
		}
		if seen[code] {
			l.skip("same commune again under another postal code")
			return nil
		}
		seen[code] = true
		c, err := communeRow(r, code)
		if err != nil {
			return err
		}
		c.EPCI = b.epciOf[code]
		if r.Get("lat") == "" && r.Get("lng") == "" {
			noCoord = append(noCoord, code)
		}
		b.cat.Communes = append(b.cat.Communes, c)
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	// Paris, Lyon and Marseille have no COM row, only their arrondissements:
	// the commune sums their figures and sits at their population-weighted
	// centre.
	for _, parent := range slices.Sorted(maps.Keys(arms)) {
		if seen[parent] {
			continue
		}
		name, ok := cogName[parent]
		if !ok {
			return &RowError{File: file, Field: "insee_parente", Err: fmt.Errorf("arrondissements name parent %q, unknown to %s", parent, cogFile)}
		}
		c := data.Commune{Code: parent, Name: name, EPCI: b.epciOf[parent],
			Placement: "population-weighted centre of its municipal arrondissements"}
		var wx, wy, w float64
		for _, a := range arms[parent] {
			c.Dep, c.Reg = a.Dep, a.Reg
			c.Population += a.Population
			c.Pop1564 += a.Pop1564
			c.Active += a.Active
			c.Unemployed += a.Unemployed
			wt := float64(max(a.Population, 1))
			wx, wy, w = wx+wt*a.Point[0], wy+wt*a.Point[1], w+wt
		}
		c.Point = orb.Point{wx / w, wy / w}
		b.cat.Communes = append(b.cat.Communes, c)
		l.Kept++
		l.Notes = append(l.Notes, fmt.Sprintf("%s (%s) built from its %d arrondissements", name, parent, len(arms[parent])))
	}
	sort.Slice(b.cat.Communes, func(i, j int) bool { return b.cat.Communes[i].Code < b.cat.Communes[j].Code })
	if len(noCoord) > 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("%d communes without coordinates in the source (%v) are placed at their EPCI's centroid (ANCT)", len(noCoord), noCoord))
	}
	b.pendingNoCoord = noCoord
	b.done(l)
	b.source("communes", l)
	return nil
}

// communeRow reads a commune or arrondissement row; a row without
// coordinates gets a zero point, placed later.
func communeRow(r row, code string) (data.Commune, error) {
	c := data.Commune{Code: code, Name: r.Get("commune_article"), Dep: r.Get("insee_dep"), Reg: r.Get("insee_reg")}
	var err error
	if r.Get("lat") != "" || r.Get("lng") != "" {
		if c.Point, err = r.LonLat("lng", "lat"); err != nil {
			return c, err
		}
	}
	for _, f := range []struct {
		col string
		dst *int
	}{{"population_2021", &c.Population}, {"pop_15_64_totale_2021", &c.Pop1564},
		{"pop_15_64_active_2021", &c.Active}, {"pop_15_64_chomage_2021", &c.Unemployed}} {
		if r.Get(f.col) == "" {
			continue // a commune created since the census has no figure: 0
		}
		if *f.dst, err = r.Int(f.col); err != nil {
			return c, err
		}
	}
	return c, nil
}

// epcis reads the EPCI list (COG) and places each EPCI at its ANCT centroid;
// then it places the communes that have no coordinates at their EPCI.
func (b *builder) epcis() error {
	file, err := glob(b.dir, "admin/cog_epci_*.json")
	if err != nil {
		return err
	}
	cfile, err := glob(b.dir, "admin/epci_ept_centroides*.geojson")
	if err != nil {
		return err
	}
	var list []struct {
		Code string `json:"code"`
		Nom  string `json:"nom"`
		Type string `json:"type"`
	}
	if err := readJSON(b.dir, file, &list); err != nil {
		return err
	}
	fc, err := readGeoJSON(b.dir, cfile)
	if err != nil {
		return err
	}
	centre := map[string]orb.Point{}
	for i, f := range fc {
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return &RowError{File: cfile, Field: fmt.Sprintf("features[%d].geometry", i), Err: fmt.Errorf("is %T, want a Point", f.Geometry)}
		}
		if err := checkLonLat(p); err != nil {
			return &RowError{File: cfile, Field: fmt.Sprintf("features[%d].geometry", i), Err: err}
		}
		if prop(f, "type") == "epci" {
			centre[prop(f, "siren_epci")] = p
		}
	}
	l := b.layer("epci", file, cfile)
	for _, e := range list {
		l.Read++
		p, ok := centre[e.Code]
		if !ok {
			l.skip("no centroid in the ANCT file")
			continue
		}
		b.cat.EPCIs = append(b.cat.EPCIs, data.EPCI{SIREN: e.Code, Name: e.Nom, Type: e.Type, Point: p})
		l.Kept++
	}
	sort.Slice(b.cat.EPCIs, func(i, j int) bool { return b.cat.EPCIs[i].SIREN < b.cat.EPCIs[j].SIREN })

	for _, code := range b.pendingNoCoord {
		i := sort.Search(len(b.cat.Communes), func(i int) bool { return b.cat.Communes[i].Code >= code })
		c := &b.cat.Communes[i]
		p, ok := centre[c.EPCI]
		if !ok {
			return fmt.Errorf("importer: commune %s has no coordinates and no EPCI centroid", code)
		}
		c.Point = p
		c.Placement = "EPCI centroid (no coordinates in the commune source)"
	}
	b.done(l)
	b.source("epci", l)
	return nil
}

// departements reads the départements with their centres.
func (b *builder) departements() error {
	dfile, err := glob(b.dir, "admin/departements_centres_*.csv")
	if err != nil {
		return err
	}
	dt, err := readTable(b.dir, dfile, ',')
	if err != nil {
		return err
	}
	if err := dt.need("insee_dep", "insee_reg", "departement", "lng", "lat"); err != nil {
		return err
	}
	l := b.layer("departements", dfile)
	err = dt.each(func(r row) error {
		l.Read++
		p, err := r.LonLat("lng", "lat")
		if err != nil {
			return err
		}
		b.cat.Departements = append(b.cat.Departements, data.Departement{Code: r.Get("insee_dep"), Name: r.Get("departement"), Region: r.Get("insee_reg"), Point: p})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	b.done(l)
	b.source("departements", l)
	return nil
}

// regions reads the régions with their centres.
func (b *builder) regions() error {
	rfile, err := glob(b.dir, "admin/regions_centres_*.csv")
	if err != nil {
		return err
	}
	rt, err := readTable(b.dir, rfile, ',')
	if err != nil {
		return err
	}
	if err := rt.need("insee_reg", "region", "lng", "lat"); err != nil {
		return err
	}
	l := b.layer("regions", rfile)
	err = rt.each(func(r row) error {
		l.Read++
		p, err := r.LonLat("lng", "lat")
		if err != nil {
			return err
		}
		b.cat.Regions = append(b.cat.Regions, data.Region{Code: r.Get("insee_reg"), Name: r.Get("region"), Point: p})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	b.done(l)
	b.source("regions", l)
	return nil
}

var sirenInList = regexp.MustCompile(`\((\d{9})\)`)

// territoires reads the 183 Territoires d'industrie, each a list of member
// EPCI ("EPCI name (SIREN); …"), and marks their member communes.
func (b *builder) territoires() error {
	file, err := glob(b.dir, "programmes/superposeur-anct_*_ti_geom.geojson")
	if err != nil {
		return err
	}
	fc, err := readGeoJSON(b.dir, file)
	if err != nil {
		return err
	}
	l := b.layer("territoires_industrie", file)
	tiOf := map[string]string{}
	unknown := 0
	known := map[string]bool{}
	for _, e := range b.cat.EPCIs {
		known[e.SIREN] = true
	}
	for i, f := range fc {
		l.Read++
		id := prop(f, "id_territoire")
		if id == "" {
			return &RowError{File: file, Field: fmt.Sprintf("features[%d].properties.id_territoire", i), Err: fmt.Errorf("is empty")}
		}
		t := data.Territoire{ID: id, Name: prop(f, "lib_territoire")}
		for _, m := range sirenInList.FindAllStringSubmatch(prop(f, "liste_geo"), -1) {
			t.EPCIs = append(t.EPCIs, m[1])
			if !known[m[1]] {
				unknown++
			}
			tiOf[m[1]] = id
		}
		if len(t.EPCIs) == 0 {
			return &RowError{File: file, Field: fmt.Sprintf("features[%d].properties.liste_geo", i), Err: fmt.Errorf("names no EPCI SIREN")}
		}
		b.cat.Territoires = append(b.cat.Territoires, t)
		l.Kept++
	}
	sort.Slice(b.cat.Territoires, func(i, j int) bool { return b.cat.Territoires[i].ID < b.cat.Territoires[j].ID })
	members := 0
	for i := range b.cat.Communes {
		c := &b.cat.Communes[i]
		if ti, ok := tiOf[c.EPCI]; ok && c.EPCI != "" {
			c.TI = ti
			members++
		}
	}
	l.Notes = append(l.Notes, fmt.Sprintf("%d member communes through their EPCI", members))
	if unknown > 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("%d EPCI memberships name a SIREN absent from the COG EPCI list", unknown))
	}
	b.done(l)
	b.source("territoires_industrie", l)
	return nil
}

// commune resolves an INSEE code to a current commune: a code that lost its
// leading zero is padded, and a delegated commune or a municipal
// arrondissement resolves to its parent. The point is the arrondissement's
// own when the code names one, else the commune's.
func (b *builder) commune(code string) (data.Commune, orb.Point, bool) {
	if len(code) == 4 {
		code = "0" + code
	}
	if c, ok := b.cat.Commune(code); ok {
		return c, c.Point, true
	}
	parent, ok := b.alias[code]
	if !ok {
		return data.Commune{}, orb.Point{}, false
	}
	c, ok := b.cat.Commune(parent)
	if !ok {
		return data.Commune{}, orb.Point{}, false
	}
	if p, ok := b.armPoint[code]; ok {
		return c, p, true
	}
	return c, c.Point, true
}
