package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// Column aliases for the turnkey list: the hand-compiled partial file in
// shared/data/raw and the national "sites clés en main" CSV (DGE/ANCT) name
// the same facts differently.
var (
	turnkeyID      = []string{"site_id", "id_site", "identifiant", "id"}
	turnkeyName    = []string{"site_name", "nom_site", "nom_du_site", "nom", "libelle"}
	turnkeyCommune = []string{"insee_com", "code_insee", "insee", "code_commune", "commune_insee", "code_insee_commune"}
	turnkeyArea    = []string{"surface_ha", "surface_totale_ha", "superficie_ha", "surface"}
	turnkeyLon     = []string{"longitude", "lon", "lng", "x_wgs84"}
	turnkeyLat     = []string{"latitude", "lat", "y_wgs84"}
)

// turnkey reads the turnkey industrial sites. A site without coordinates is
// placed at its commune's coordinates; a site without a commune code cannot
// be placed and is left out by name, with the source that lacks it.
func (b *builder) turnkey() error {
	file, err := glob(b.dir, "foncier/sites_cles_en_main*.csv", "foncier/liste-sites-cles-en-main*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, 0)
	if err != nil {
		return err
	}
	idc, namec, comc := t.first(turnkeyID...), t.first(turnkeyName...), t.first(turnkeyCommune...)
	if idc == "" || namec == "" || comc == "" {
		return &RowError{File: file, Line: 1, Err: fmt.Errorf("needs an id (%v), a name (%v) and a commune code (%v) column", turnkeyID, turnkeyName, turnkeyCommune)}
	}
	areac, lonc, latc := t.first(turnkeyArea...), t.first(turnkeyLon...), t.first(turnkeyLat...)
	l := b.layer("turnkey", file)
	err = t.each(func(r row) error {
		l.Read++
		id, name, code := r.Get(idc), r.Get(namec), r.Get(comc)
		if id == "" {
			return r.fail(idc, "is empty")
		}
		src := r.Get("source_url")
		if d := r.Get("source_date"); d != "" {
			src += " (" + d + ")"
		}
		if code == "" {
			l.skip("no commune code in the source: location unknown")
			l.Notes = append(l.Notes, fmt.Sprintf("%s %q left out: the source names only département %s (%s), so the site cannot be placed without guessing",
				id, name, r.Get("insee_dep"), src))
			return nil
		}
		c, _, ok := b.commune(code)
		if !ok {
			return r.fail(comc, "commune %q is not in the commune file", code)
		}
		s := data.Site{ID: data.KindTurnkey + ":" + id, Kind: data.KindTurnkey, Name: name, Commune: c.Code,
			Point: c.Point, Placement: "commune coordinates", AvailableFrom: r.Get("disponibilite"),
			CommittedTo: committedTo(name, r.Get("note")),
			Programme:   r.Get("programme"), Source: src, Note: r.Get("note")}
		s.Status = turnkeyStatus(s.AvailableFrom, s.CommittedTo)
		if lonc != "" && latc != "" && r.Get(lonc) != "" {
			if s.Point, err = r.LonLat(lonc, latc); err != nil {
				return err
			}
			s.Placement = ""
		}
		if areac != "" && r.Get(areac) != "" {
			a, err := r.Float(areac)
			if err != nil {
				return err
			}
			if a <= 0 {
				return r.fail(areac, "area %v is not positive", a)
			}
			s.AreaHa, s.AreaKnown = a, true
		}
		b.cat.Turnkey = append(b.cat.Turnkey, s)
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	b.cat.Turnkey = mergeRelabelled(b.cat.Turnkey, l)
	sortSites(b.cat.Turnkey)
	b.done(l)
	b.source("turnkey", l)
	return nil
}

var rProject = regexp.MustCompile(`(?i)\(projets? ([^)]+)\)`)

// committedTo returns the named project a turnkey site is already
// committed to, when its name or note says so ("Parc d'activités de
// Mazeran (projet Genvia)"), else "".
func committedTo(name, note string) string {
	for _, s := range []string{name, note} {
		if m := rProject.FindStringSubmatch(s); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

// turnkeyYear is the year up to which a turnkey site counts as available
// now: the sources date from 2024, and "2024" means ready in 2024.
const turnkeyYear = 2024

// turnkeyStatus derives a turnkey site's status from its availability and
// commitment: "engagé" when it is committed to a named project,
// "disponible" when the source says it is ready by 2024, "en préparation"
// when it gives a later date, "" when it gives none.
func turnkeyStatus(available, committed string) string {
	switch {
	case committed != "":
		return "engagé"
	case available == "":
		return ""
	}
	if y, err := strconv.Atoi(available); err == nil && y <= turnkeyYear {
		return "disponible"
	}
	return "en préparation"
}

// genericWords are the words of site names that do not identify a site.
var genericWords = map[string]bool{"SITE": true, "SITES": true, "PARC": true, "ZONE": true, "ACTIVITE": true,
	"ACTIVITES": true, "INDUSTRIEL": true, "INDUSTRIELLE": true, "INDUSTRIELS": true, "PLATEFORME": true,
	"ANCIEN": true, "ANCIENNE": true, "PORT": true, "HAROPA": true, "ECONOMIQUE": true, "ESPACE": true,
	"POLE": true, "NORD": true, "SUD": true, "EST": true, "OUEST": true, "GRAND": true, "NOUVEAU": true}

// mergeRelabelled merges the rows that list one site twice: a site of an
// earlier programme (the 2020-2021 scheme) labelled again in a later one
// (France 2030) appears under both ids. Two rows are the same site when
// they come from different programmes, lie in the same commune and their
// names share an identifying word ("Ancien site Renault CKD" and
// "Plateforme ex-Renault CKD" at Grand-Couronne). The row of the later
// programme is kept, with its newer figures; the earlier row's id and
// source go into its note, and the report names every merge.
func mergeRelabelled(sites []data.Site, l *LayerReport) []data.Site {
	words := func(s string) map[string]bool {
		out := map[string]bool{}
		for _, w := range strings.Fields(data.Fold(s)) {
			if len(w) >= 4 && !genericWords[w] {
				out[w] = true
			}
		}
		return out
	}
	earlier := func(s data.Site) bool { return strings.Contains(s.Programme, "2020") }
	gone := map[int]bool{}
	for i := range sites {
		for j := range sites {
			a, o := &sites[i], sites[j]
			if i == j || gone[i] || gone[j] || earlier(*a) || !earlier(o) || a.Commune != o.Commune {
				continue
			}
			shared := ""
			wa := words(a.Name)
			for w := range words(o.Name) {
				if wa[w] && (shared == "" || w < shared) {
					shared = w
				}
			}
			if shared == "" {
				continue
			}
			gone[j] = true
			id := strings.TrimPrefix(o.ID, data.KindTurnkey+":")
			a.Note = strings.TrimSpace(a.Note + fmt.Sprintf(" Also listed as %s %q in the earlier scheme (%s).", id, o.Name, o.Source))
			l.skip("same site listed again in an earlier programme (merged)")
			l.Notes = append(l.Notes, fmt.Sprintf("%s merged into %s: same commune %s, names share %q (the site was labelled again)",
				id, strings.TrimPrefix(a.ID, data.KindTurnkey+":"), a.Commune, shared))
			l.Kept--
		}
	}
	out := sites[:0]
	for i, s := range sites {
		if !gone[i] {
			out = append(out, s)
		}
	}
	return out
}

// zones: no national inventory of equipped zones exists; the layer starts
// empty and is filled by regional imports into the site registry.
func (b *builder) zones() error {
	l := b.layer("zones")
	l.Notes = append(l.Notes, "no national inventory: zones come from regional imports")
	b.done(l)
	b.source("zones", l)
	return nil
}

var rPoint = regexp.MustCompile(`^c\(\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)$`)

var codeInList = regexp.MustCompile(`\((\d[0-9AB]\d{3})\)`)

// towns reads the Action Cœur de Ville towns (INSEE codes that lost their
// leading zero, DROM drawn as map insets: every town is placed at its
// commune's real coordinates) and the Petites villes de demain (real
// coordinates; a grouped PVD lists several communes, the first is kept as
// the town's commune).
func (b *builder) towns() error {
	afile, err := glob(b.dir, "programmes/acv_communes*.geojson")
	if err != nil {
		return err
	}
	pfile, err := glob(b.dir, "programmes/superposeur-anct_*_pvd_geom.geojson")
	if err != nil {
		return err
	}
	acv, err := readGeoJSON(b.dir, afile)
	if err != nil {
		return err
	}
	l := b.layer("towns", afile, pfile)
	moved := 0
	for i, f := range acv {
		l.Read++
		code := prop(f, "insee_com")
		c, _, ok := b.commune(code)
		if !ok {
			return &RowError{File: afile, Field: fmt.Sprintf("features[%d].properties.insee_com", i), Err: fmt.Errorf("commune %q is not in the commune file", code)}
		}
		if p, ok := f.Geometry.(orb.Point); ok && (abs(p[0]-c.Point[0]) > 0.1 || abs(p[1]-c.Point[1]) > 0.1) {
			moved++
		}
		// One ACV convention (id_acv) can cover two communes: the town is
		// the commune.
		b.cat.Towns = append(b.cat.Towns, data.Site{ID: data.KindTown + ":acv-" + c.Code, Kind: data.KindTown,
			Name: c.Name, Commune: c.Code, Point: c.Point, Placement: "commune coordinates",
			Programme: data.ProgrammeACV, Status: data.ProgrammeACV, Note: "convention " + prop(f, "id_acv")})
		l.Kept++
	}
	l.Notes = append(l.Notes, fmt.Sprintf("ACV towns placed at their commune's coordinates; %d source points (DROM map insets) were more than 0.1° away", moved))

	pvd, err := readGeoJSON(b.dir, pfile)
	if err != nil {
		return err
	}
	for i, f := range pvd {
		l.Read++
		field := fmt.Sprintf("features[%d]", i)
		m := codeInList.FindAllStringSubmatch(prop(f, "liste_geo"), -1)
		if len(m) == 0 {
			return &RowError{File: pfile, Field: field + ".properties.liste_geo", Err: fmt.Errorf("%q names no INSEE code", prop(f, "liste_geo"))}
		}
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return &RowError{File: pfile, Field: field + ".geometry", Err: fmt.Errorf("is %T, want a Point", f.Geometry)}
		}
		if err := checkLonLat(p); err != nil {
			return &RowError{File: pfile, Field: field + ".geometry", Err: err}
		}
		c, _, ok := b.commune(m[0][1])
		if !ok {
			l.skip("PVD commune not in the commune file")
			continue
		}
		code := c.Code
		s := data.Site{ID: data.KindTown + ":" + prop(f, "id_territoire"), Kind: data.KindTown,
			Name: prop(f, "lib_territoire"), Commune: code, Point: p,
			Programme: data.ProgrammePVD, Status: data.ProgrammePVD}
		if len(m) > 1 {
			s.Note = "grouped PVD: " + prop(f, "liste_geo")
		}
		b.cat.Towns = append(b.cat.Towns, s)
		l.Kept++
	}
	sortSites(b.cat.Towns)
	b.done(l)
	b.source("towns", l)
	return nil
}

func sortSites(s []data.Site) { sort.Slice(s, func(i, j int) bool { return s[i].ID < s[j].ID }) }

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
