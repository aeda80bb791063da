package importer

import (
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// gateWords are the trailing words that tell one toll gate of an
// interchange from another: direction, entry or exit, tunnel side.
var gateWords = map[string]bool{"ENTREE": true, "SORTIE": true, "SENS": true, "TUNNEL": true, "ECHANGEUR": true,
	"E": true, "S": true, "E1": true, "E2": true, "S1": true, "S2": true, "1": true, "2": true}

// interchangeName strips the gate words from a toll-station name
// ("Abbeville-Est Sortie", "Audomarois A Entree Sens 1", "Gace 2"), leaving
// the interchange's name.
func interchangeName(s string) string {
	words := strings.Fields(s)
	for len(words) > 1 && gateWords[strings.TrimSpace(data.Fold(words[len(words)-1]))] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// motorwayName reads the motorway from a route code: "A0014" is the A14; a
// ramp code is the département, "A9", the motorway number on three digits
// and the ramp ("61A902815CD" is a ramp of the A28). Anything else is "".
func motorwayName(route string) string {
	num := ""
	switch {
	case len(route) >= 2 && route[0] == 'A':
		num = route[1:]
	case len(route) >= 7 && route[2:4] == "A9":
		num = route[4:7]
	}
	if n, err := strconv.Atoi(strings.TrimLeft(num, "0")); err == nil && n > 0 {
		return "A" + strconv.Itoa(n)
	}
	return ""
}

// railFreight reads SNCF Réseau's list of rail points and keeps those open
// to freight (FRET = O), one node per point and line (a point on two lines
// is two access points).
func (b *builder) railFreight() error {
	file, err := glob(b.dir, "transport/sncf_liste-des-gares*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need("CODE_UIC", "LIBELLE", "FRET", "VOYAGEURS", "CODE_LIGNE", "X_WGS84", "Y_WGS84"); err != nil {
		return err
	}
	l := b.layer("rail_freight", file)
	seen := map[string]bool{}
	err = t.each(func(r row) error {
		l.Read++
		if r.Get("FRET") != "O" {
			l.skip("not open to freight (FRET = N)")
			return nil
		}
		id := r.Get("CODE_UIC") + "-" + r.Get("CODE_LIGNE")
		if seen[id] {
			l.skip("same point and line again")
			return nil
		}
		seen[id] = true
		p, err := r.LonLat("X_WGS84", "Y_WGS84")
		if err != nil {
			return err
		}
		class := "fret"
		if r.Get("VOYAGEURS") == "O" {
			class = "fret et voyageurs"
		}
		b.cat.RailFreight = append(b.cat.RailFreight, data.Node{ID: id, Name: r.Get("LIBELLE"), Class: class + ", ligne " + r.Get("CODE_LIGNE"), Point: p})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sortNodes(b.cat.RailFreight)
	b.done(l)
	b.source("rail_freight", l)
	return nil
}

// stations reads SNCF passenger stations; the position is written "lat, lon".
func (b *builder) stations() error {
	file, err := glob(b.dir, "transport/sncf_gares-de-voyageurs*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return err
	}
	if err := t.need("Nom_Gare", "Segment(s) DRG", "Position géographique", "Code commune", "Code_UIC"); err != nil {
		return err
	}
	l := b.layer("stations", file)
	seen := map[string]bool{}
	err = t.each(func(r row) error {
		l.Read++
		id := r.Get("Code_UIC")
		if id == "" {
			return r.fail("Code_UIC", "is empty")
		}
		if seen[id] {
			l.skip("duplicate Code_UIC")
			return nil
		}
		seen[id] = true
		pos := r.Get("Position géographique")
		la, lo, ok := strings.Cut(pos, ",")
		if !ok {
			return r.fail("Position géographique", "%q is not \"lat, lon\"", pos)
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		if err1 != nil || err2 != nil {
			return r.fail("Position géographique", "%q is not \"lat, lon\"", pos)
		}
		p, err := r.checkPoint("Position géographique", orb.Point{lon, lat})
		if err != nil {
			return err
		}
		b.cat.Stations = append(b.cat.Stations, data.Node{ID: id, Name: r.Get("Nom_Gare"), Commune: r.Get("Code commune"), Class: r.Get("Segment(s) DRG"), Point: p})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sortNodes(b.cat.Stations)
	b.done(l)
	b.source("stations", l)
	return nil
}

func sortNodes(n []data.Node) { sort.Slice(n, func(i, j int) bool { return n[i].ID < n[j].ID }) }

func joinSorted(set map[string]bool) string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// slug returns a lower-case ASCII id fragment of a name.
func slug(s string) string {
	f := strings.ToLower(strings.TrimSpace(data.Fold(s)))
	return strings.ReplaceAll(f, " ", "-")
}
