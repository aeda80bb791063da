package importer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// interchangeMergeKm is how far apart the toll-gate rows of one interchange
// (entry and exit, one per direction) may lie and still be merged into one
// node. Same-named interchanges further apart are distinct.
const interchangeMergeKm = 3

// interchanges reads the toll stations of the conceded motorway network,
// keeps the interchange ones (typeGare = Ech) and merges the rows of one
// interchange (same name once the gate words are stripped, within
// interchangeMergeKm) into one node at their mean position. Coordinates are read
// from lon/lat when present, else converted from Lambert-93 x/y (the
// official DGITM file has only those, with a decimal comma).
func (b *builder) interchanges() error {
	file, err := glob(b.dir, "transport/gares_peage*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return err
	}
	if err := t.need("route", "nomGare", "typeGare"); err != nil {
		return err
	}
	wgs := t.has("lon") && t.has("lat")
	if !wgs {
		if err := t.need("x", "y"); err != nil {
			return err
		}
	}
	type gate struct {
		name, route string
		p           orb.Point
	}
	l := b.layer("motorway_interchanges", file)
	byName := map[string][]gate{}
	var names []string
	err = t.each(func(r row) error {
		l.Read++
		if r.Get("typeGare") != "Ech" {
			l.skip("barrier toll on the main carriageway (typeGare " + r.Get("typeGare") + "), not an interchange")
			return nil
		}
		var p orb.Point
		var err error
		if wgs {
			p, err = r.LonLat("lon", "lat")
		} else {
			var x, y float64
			if x, err = r.Float("x"); err == nil {
				if y, err = r.Float("y"); err == nil {
					p, err = r.checkPoint("x/y", geo.Lambert93ToWGS84(x, y))
				}
			}
		}
		if err != nil {
			return err
		}
		name := interchangeName(r.Get("nomGare"))
		if name == "" {
			return r.fail("nomGare", "%q names no interchange", r.Get("nomGare"))
		}
		if _, ok := byName[name]; !ok {
			names = append(names, name)
		}
		byName[name] = append(byName[name], gate{name, r.Get("route"), p})
		return nil
	})
	if err != nil {
		return err
	}
	ids := map[string]int{}
	for _, name := range names {
		// Single-linkage clusters of the gates that share a name.
		var clusters [][]gate
		for _, g := range byName[name] {
			var into []int
			for ci, c := range clusters {
				for _, o := range c {
					if geo.DistanceKm(g.p, o.p) <= interchangeMergeKm {
						into = append(into, ci)
						break
					}
				}
			}
			if len(into) == 0 {
				clusters = append(clusters, []gate{g})
				continue
			}
			merged := append(clusters[into[0]], g)
			for k := len(into) - 1; k >= 1; k-- {
				merged = append(merged, clusters[into[k]]...)
				clusters = append(clusters[:into[k]], clusters[into[k]+1:]...)
			}
			clusters[into[0]] = merged
		}
		for _, c := range clusters {
			var sum orb.Point
			routes := map[string]bool{}
			for _, g := range c {
				sum[0] += g.p[0]
				sum[1] += g.p[1]
				if m := motorwayName(g.route); m != "" {
					routes[m] = true
				}
			}
			n := data.Node{Name: name, Point: orb.Point{sum[0] / float64(len(c)), sum[1] / float64(len(c))}, Merged: len(c)}
			n.Class = joinSorted(routes)
			base := "ech-" + slug(name)
			ids[base]++
			n.ID = base
			if ids[base] > 1 {
				n.ID = fmt.Sprintf("%s-%d", base, ids[base])
			}
			b.cat.Interchanges = append(b.cat.Interchanges, n)
			l.Kept++
			if len(c) > 1 {
				l.skipN(fmt.Sprintf("merged into the same interchange (gates within %d km sharing a name)", interchangeMergeKm), len(c)-1)
			}
		}
	}
	sortNodes(b.cat.Interchanges)
	b.done(l)
	b.source("motorway_interchanges", l)
	return nil
}

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

// airports reads the OurAirports records (medium and large airports).
func (b *builder) airports() error {
	file, err := glob(b.dir, "transport/airports_*.json")
	if err != nil {
		return err
	}
	var list []struct {
		Ident        string `json:"ident"`
		IATA         string `json:"iata_code"`
		Type         string `json:"type"`
		Name         string `json:"name"`
		Lat          string `json:"latitude_deg"`
		Lon          string `json:"longitude_deg"`
		Municipality string `json:"municipality"`
	}
	if err := readJSON(b.dir, file, &list); err != nil {
		return err
	}
	l := b.layer("airports", file)
	for i, a := range list {
		l.Read++
		lon, err1 := strconv.ParseFloat(a.Lon, 64)
		lat, err2 := strconv.ParseFloat(a.Lat, 64)
		p := orb.Point{lon, lat}
		if err1 != nil || err2 != nil || checkLonLat(p) != nil {
			return &RowError{File: file, Field: fmt.Sprintf("[%d].longitude_deg/latitude_deg", i), Err: fmt.Errorf("%q, %q is not a WGS84 position", a.Lon, a.Lat)}
		}
		if a.Type != "large_airport" && a.Type != "medium_airport" {
			l.skip("not a medium or large airport")
			continue
		}
		name := a.Name
		if a.IATA != "" {
			name += " (" + a.IATA + ")"
		}
		b.cat.Airports = append(b.cat.Airports, data.Node{ID: a.Ident, Name: name, Class: a.Type, Point: p})
		l.Kept++
	}
	sortNodes(b.cat.Airports)
	b.done(l)
	b.source("airports", l)
	return nil
}

// seaports reads the French rows of the World Port Index.
func (b *builder) seaports() error {
	file, err := glob(b.dir, "transport/ports_*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need("World Port Index Number", "Main Port Name", "UN/LOCODE", "Harbor Size", "Latitude", "Longitude"); err != nil {
		return err
	}
	l := b.layer("seaports", file)
	err = t.each(func(r row) error {
		l.Read++
		p, err := r.LonLat("Longitude", "Latitude")
		if err != nil {
			return err
		}
		// UN/LOCODE is shared by the basins of one port (Dunkerque East and
		// West): the WPI number is the record's id.
		num := r.Get("World Port Index Number")
		if num == "" {
			return r.fail("World Port Index Number", "is empty")
		}
		class := r.Get("Harbor Size")
		if lc := strings.ReplaceAll(r.Get("UN/LOCODE"), " ", ""); lc != "" {
			class += ", " + lc
		}
		b.cat.Seaports = append(b.cat.Seaports, data.Node{ID: "WPI" + num, Name: r.Get("Main Port Name"), Class: class, Point: p})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sortNodes(b.cat.Seaports)
	for i := 1; i < len(b.cat.Seaports); i++ {
		if b.cat.Seaports[i].ID == b.cat.Seaports[i-1].ID {
			return &RowError{File: file, Field: "World Port Index Number", Err: fmt.Errorf("%q appears twice", b.cat.Seaports[i].ID)}
		}
	}
	b.done(l)
	b.source("seaports", l)
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
