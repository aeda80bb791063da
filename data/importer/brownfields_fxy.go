package importer

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// Brownfield statuses as Cartofriches writes them.
const (
	statusReconverted = "friche reconvertie"
	statusUnknown     = "inconnu"
	natureUnverified  = "MTE non vérifié" // a BASIAS/BASOL record Cerema has not checked
)

// brownfieldStatus is the status of a site listed in the 2024-03-10 export
// and in the 2025-01 status list: the newer list wins, except that its
// "inconnu" does not erase a status the export knows (the 2025-01 list
// writes "inconnu" for 4,172 sites the export calls "friche sans projet").
func brownfieldStatus(export, list2025 string) string {
	if list2025 == "" || list2025 == statusUnknown {
		return export
	}
	return list2025
}

// brownfields reads Cartofriches: the full export of 2024-03-10
// (attributes and areas) reconciled with the 2025-01 status list. A site
// in both takes its status from brownfieldStatus; a site only in the 2025
// list is kept with its status and producer, and an unknown area; a
// reconverted site (by its final status) is no longer a brownfield and is
// left out.
func (b *builder) brownfields() error {
	file, err := glob(b.dir, "foncier/cartofriches_fxy_*.csv")
	if err != nil {
		return err
	}
	listFile, err := glob(b.dir, "foncier/cartofriches_listes_friches*.csv")
	if err != nil {
		return err
	}
	list, err := readStatusList(b.dir, listFile)
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need("site_id", "site_nom", "site_type", "site_statut", "nature", "nom_prodcartofriches",
		"unite_fonciere_surface", "urba_zone_type", "activite_libelle", "l_catpro3txt", "sol_pollution_existe",
		"comm_insee", "lon", "lat"); err != nil {
		return err
	}
	l := b.layer("brownfields", file, listFile)
	seen := map[string]bool{}
	var fromList, changed, kept2025, withArea, over500 int
	err = t.each(func(r row) error {
		l.Read++
		id := r.Get("site_id")
		prefix, _, ok := strings.Cut(id, "_")
		if !ok || len(prefix) != 5 {
			return r.fail("site_id", "%q does not start with an INSEE code and '_'", id)
		}
		if seen[id] {
			l.skip("duplicate site_id")
			return nil
		}
		seen[id] = true
		status := r.Get("site_statut")
		if s, ok := list.get(id); ok {
			fromList++
			if st := brownfieldStatus(status, s.status); st != status {
				changed++
				status = st
			}
		}
		if status == statusReconverted {
			l.skip("reconverted (no longer a brownfield)")
			return nil
		}
		p, err := r.LonLat("lon", "lat")
		if err != nil {
			return err
		}
		code := r.Get("comm_insee")
		if code == "" {
			code = prefix
		}
		c, _, ok := b.commune(code)
		if !ok {
			l.skip("commune code unknown to the commune file")
			return nil
		}
		s := data.Site{ID: data.KindBrownfield + ":" + id, Kind: data.KindBrownfield,
			Name: r.Get("site_nom"), Commune: c.Code, Point: p, Status: status,
			Source: r.Get("nom_prodcartofriches"), Note: r.Get("nature"),
			SiteType: known(r.Get("site_type")), ZoneType: r.Get("urba_zone_type"),
			Activity: r.Get("activite_libelle"), Owner: ownerCategory(r.Get("l_catpro3txt")),
			Pollution:  strings.TrimPrefix(known(r.Get("sol_pollution_existe")), "pollution "),
			Unverified: r.Get("nature") == natureUnverified}
		if s.Name == "" || s.Name == id { // some producers name a site by its id
			s.Name = "Friche à " + c.Name
		}
		if v := r.Get("unite_fonciere_surface"); v != "" {
			m2, err := r.Float("unite_fonciere_surface")
			if err != nil {
				return err
			}
			if m2 <= 0 {
				return r.fail("unite_fonciere_surface", "area %v m² is not positive", m2)
			}
			s.AreaHa, s.AreaKnown = hectares(m2), true
			withArea++
			if s.AreaHa >= 500 {
				over500++
			}
		}
		b.cat.Brownfields = append(b.cat.Brownfields, s)
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	// Sites only in the 2025-01 list.
	for _, id := range list.order {
		if seen[id] {
			continue
		}
		s := list.sites[id]
		l.Read++
		if s.status == statusReconverted {
			l.skip("reconverted (no longer a brownfield)")
			continue
		}
		prefix, _, _ := strings.Cut(id, "_")
		c, _, ok := b.commune(prefix)
		if !ok {
			l.skip("commune code unknown to the commune file")
			continue
		}
		if !s.located {
			l.skip("no coordinates")
			continue
		}
		b.cat.Brownfields = append(b.cat.Brownfields, data.Site{ID: data.KindBrownfield + ":" + id, Kind: data.KindBrownfield,
			Name: "Friche à " + c.Name, Commune: c.Code, Point: s.point, Status: s.status,
			Source: s.producer, Note: s.nature + "; only in the 2025-01 list: no area", Unverified: s.nature == natureUnverified})
		l.Kept++
		kept2025++
	}
	sortSites(b.cat.Brownfields)
	unverified := 0
	for _, s := range b.cat.Brownfields {
		if s.Unverified {
			unverified++
		}
	}
	l.Notes = append(l.Notes,
		fmt.Sprintf("%d sites of the 2024-03-10 export are also in the 2025-01 status list; the newer status wins unless it is \"inconnu\", which changed %d statuses", fromList, changed),
		fmt.Sprintf("%d sites only in the 2025-01 list kept with an unknown area", kept2025),
		fmt.Sprintf("%d of %d kept sites (%.1f %%) have a known area (unite_fonciere_surface, m² → ha); %d have 500 ha or more", withArea, l.Kept, 100*float64(withArea)/float64(l.Kept), over500),
		fmt.Sprintf("%d are BASIAS/BASOL records Cerema has not verified (nature \"MTE non vérifié\"), flagged unverified", unverified))
	b.done(l)
	b.source("brownfields", l)
	return nil
}

// hectares converts square metres to hectares, kept to the square metre.
func hectares(m2 float64) float64 { return math.Round(m2) / 1e4 }

// known returns v, or "" when Cartofriches writes "inconnu".
func known(v string) string {
	if v == statusUnknown {
		return ""
	}
	return v
}

// ownerCategory turns the DGFiP owner categories of a site's parcels, an R
// vector as text ({"PERSONNE PHYSIQUE",COMMUNE}), into a "|"-joined list
// without duplicates.
func ownerCategory(v string) string {
	v = strings.TrimSuffix(strings.TrimPrefix(v, "{"), "}")
	if v == "" || v == "NA" {
		return ""
	}
	var out []string
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(strings.Trim(part, `"`))
		if part != "" && part != "NA" && !contains(out, part) {
			out = append(out, part)
		}
	}
	return strings.Join(out, "|")
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// listSite is a row of the 2025-01 status list.
type listSite struct {
	status, nature, producer string
	point                    orb.Point
	located                  bool
}

// statusList is the 2025-01 status list by site id, with the ids in file
// order.
type statusList struct {
	sites map[string]listSite
	order []string
}

func (s statusList) get(id string) (listSite, bool) { v, ok := s.sites[id]; return v, ok }

// readStatusList reads the 2025-01 Cartofriches list, whose coordinates
// are written as R vectors, "c(lon, lat)".
func readStatusList(dir, file string) (statusList, error) {
	t, err := readTable(dir, file, ';')
	if err != nil {
		return statusList{}, err
	}
	if err := t.need("site_id", "nature", "nom_prodcartofriches", "site_statut", "geom"); err != nil {
		return statusList{}, err
	}
	out := statusList{sites: map[string]listSite{}}
	err = t.each(func(r row) error {
		id := r.Get("site_id")
		if code, _, ok := strings.Cut(id, "_"); !ok || len(code) != 5 {
			return r.fail("site_id", "%q does not start with an INSEE code and '_'", id)
		}
		if _, dup := out.sites[id]; dup {
			return nil
		}
		s := listSite{status: r.Get("site_statut"), nature: r.Get("nature"), producer: r.Get("nom_prodcartofriches")}
		if g := r.Get("geom"); g != "" && g != "NA" {
			m := rPoint.FindStringSubmatch(g)
			if m == nil {
				return r.fail("geom", "%q is not c(lon, lat)", g)
			}
			for i, v := range m[1:] {
				f, err := strconv.ParseFloat(v, 64) // not fmt.Sscanf: it reads "1.5x" as 1.5
				if err != nil {
					return r.fail("geom", "%q is not a number", v)
				}
				s.point[i] = f
			}
			if _, err := r.checkPoint("geom", s.point); err != nil {
				return err
			}
			s.located = true
		}
		out.sites[id] = s
		out.order = append(out.order, id)
		return nil
	})
	return out, err
}
