package importer

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// railTerminals reads GNTC's combined rail-road transport terminals and
// keeps those in France that are operated, with their weekly trains,
// links and operators (the March 2026 train plan). Positions have two
// decimals in the source (about 1 km).
func (b *builder) railTerminals() error {
	file, err := glob(b.dir, "transport/gntc_plateformes_transport_combine*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need("site", "ville", "rue", "cp", "departement", "pays", "exploitant", "groupe", "chantier_tc_sncf_reseau",
		"lat", "lon", "trains_hebdo_total", "nb_liaisons", "operateurs"); err != nil {
		return err
	}
	l := b.layer("rail_terminal", file)
	ids := map[string]int{}
	withTrains := 0
	err = t.each(func(r row) error {
		l.Read++
		if r.Get("pays") != "France" {
			l.skip("terminal abroad (" + r.Get("pays") + ")")
			return nil
		}
		if r.Get("exploitant") == "Non exploitée" {
			l.skip("terminal not operated (exploitant « Non exploitée »)")
			return nil
		}
		p, err := r.LonLat("lon", "lat")
		if err != nil {
			return err
		}
		trains, err := r.Int("trains_hebdo_total")
		if err != nil {
			return err
		}
		links, err := r.Int("nb_liaisons")
		if err != nil {
			return err
		}
		ops := strings.Split(r.Get("operateurs"), "|")
		if r.Get("operateurs") == "" {
			ops = nil
		}
		class := "sans train régulier au plan de transport de mars 2026"
		if trains > 0 {
			withTrains++
			class = fmt.Sprintf("%d trains par semaine, %d liaisons", trains, links)
			if len(ops) > 0 {
				class += ", opérateurs " + strings.Join(ops, ", ")
			}
		}
		base := "gntc-" + idSlug(r.Get("site"))
		ids[base]++
		id := base
		if ids[base] > 1 {
			id = fmt.Sprintf("%s-%d", base, ids[base])
		}
		src := "GNTC platform, " + strings.Join(nonEmpty(r.Get("rue"), strings.TrimSpace(r.Get("cp")+" "+r.Get("ville"))), ", ")
		if g := r.Get("groupe"); g != "" && g != "-" {
			src += "; group " + g
		}
		if r.Get("chantier_tc_sncf_reseau") == "oui" {
			src += "; an SNCF Réseau combined-transport yard"
		}
		n := data.Node{ID: id, Name: r.Get("site"), Class: class, Point: p, Operator: r.Get("exploitant"),
			WeeklyTrains: trains, Links: links, Merged: 1, Source: src}
		n.Commune = b.communeByName(r.Get("ville"), r.Get("departement"), p)
		b.cat.RailTerminals = append(b.cat.RailTerminals, n)
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sortNodes(b.cat.RailTerminals)
	l.Notes = append(l.Notes, fmt.Sprintf("%d of the terminals kept have scheduled trains in the March 2026 plan", withTrains),
		"positions rounded to 0.01 degree in the source (about 1 km); commune from the town name in its département, else the nearest commune")
	b.done(l)
	b.source("rail_terminal", l)
	return nil
}

// riverPorts reads the inland freight ports mapped in OpenStreetMap (a
// partial list), each at its point.
func (b *builder) riverPorts() error {
	file, err := glob(b.dir, "transport/inland_ports*.geojson")
	if err != nil {
		return err
	}
	feats, err := readGeoJSON(b.dir, file)
	if err != nil {
		return err
	}
	l := b.layer("river_port", file)
	ids := map[string]bool{}
	for i, f := range feats {
		l.Read++
		field := fmt.Sprintf("features[%d]", i)
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return &RowError{File: file, Field: field + ".geometry", Err: fmt.Errorf("is %T, want a Point", f.Geometry)}
		}
		if err := checkLonLat(p); err != nil {
			return &RowError{File: file, Field: field + ".geometry", Err: err}
		}
		name, osm := prop(f, "name"), prop(f, "osmId")
		if name == "" {
			return &RowError{File: file, Field: field + ".properties.name", Err: fmt.Errorf("is empty")}
		}
		id, src := "osm-"+osm, "OpenStreetMap id "+osm
		if osm == "" || osm == "0" {
			id, src = "port-"+idSlug(name), "placed by the map's author without an OpenStreetMap id (position to about 0.01 degree)"
		}
		if ids[id] {
			return &RowError{File: file, Field: field + ".properties.osmId", Err: fmt.Errorf("%q appears twice", id)}
		}
		ids[id] = true
		class := "port fluvial"
		if prop(f, "cargo") == "container" {
			class += ", conteneurs"
		}
		n := data.Node{ID: id, Name: name, Class: class, Point: p, Operator: prop(f, "operator"), Source: src, Merged: 1}
		n.Commune, _ = b.nearestCommune(p)
		b.cat.RiverPorts = append(b.cat.RiverPorts, n)
		l.Kept++
	}
	sortNodes(b.cat.RiverPorts)
	l.Notes = append(l.Notes, "a partial list from OpenStreetMap (ODbL), not the whole VNF list; the terminals of one port are separate points; "+
		"maritime estuary ports (Rouen, Nantes, Bordeaux) are in seaports", "commune: the nearest commune")
	b.done(l)
	b.source("river_port", l)
	return nil
}

// communeByName returns the commune of a town name in a département
// (accents, case, hyphens and "St" abbreviations folded), else the nearest
// commune of the département to p, else the nearest commune.
func (b *builder) communeByName(town, dep string, p orb.Point) string {
	want := placeKey(town)
	best, bestKm := "", math.Inf(1)
	for _, c := range b.cat.Communes {
		if c.Dep != dep {
			continue
		}
		if placeKey(c.Name) == want {
			return c.Code
		}
		if d := geo.DistanceKm(p, c.Point); d < bestKm {
			best, bestKm = c.Code, d
		}
	}
	if best == "" {
		best, _ = b.nearestCommune(p)
	}
	return best
}

// nonEmpty returns the non-empty strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// placeKey folds a place name for comparison: "St Priest" and
// "Saint-Priest", "Loon - Plage" and "Loon-Plage" are equal.
func placeKey(s string) string {
	f := strings.ToLower(data.Fold(s))
	f = strings.NewReplacer("-", " ", "'", " ", "’", " ").Replace(f)
	words := strings.Fields(f)
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}

// idSlug returns an id fragment of a name: lower-case ASCII letters and
// digits, other runs of characters as one hyphen.
func idSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(data.Fold(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}
