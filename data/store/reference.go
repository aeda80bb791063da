package store

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Reference is what validating a site needs from the catalogue: the
// communes (codes, régions, reference points, indexed) and the snapshot's
// brownfields, which registry records of kind brownfield correct. It is
// immutable and safe for concurrent use; build it once per catalogue.
type Reference struct {
	cat         *data.Catalogue
	communes    *geo.Index[int]
	brownfields map[string]int // snapshot brownfield id → index in cat.Brownfields
	regions     map[string]string
}

// NewReference indexes the catalogue's communes and brownfields.
func NewReference(cat *data.Catalogue) *Reference {
	r := &Reference{cat: cat, communes: new(geo.Index[int]),
		brownfields: make(map[string]int, len(cat.Brownfields)), regions: map[string]string{}}
	for i, c := range cat.Communes {
		r.communes.Insert(c.Point, i)
	}
	for i, b := range cat.Brownfields {
		r.brownfields[b.ID] = i
	}
	for _, g := range cat.Regions {
		r.regions[g.Code] = g.Name
	}
	return r
}

// Catalogue returns the catalogue the reference was built from.
func (r *Reference) Catalogue() *data.Catalogue { return r.cat }

// RegionName returns the name of a région code, and whether it exists.
func (r *Reference) RegionName(code string) (string, bool) {
	n, ok := r.regions[code]
	return n, ok
}

// Region returns the région (code) of a validated site: that of its
// commune, which Prepare ties to the site's location. It returns "" for
// an unknown commune.
func (r *Reference) Region(s *Site) string {
	c, ok := r.cat.Commune(s.Commune)
	if !ok {
		return ""
	}
	return c.Reg
}

// RegionAt returns the région of the commune whose reference point is
// nearest to p: the location's région, independent of any commune code a
// caller sends.
func (r *Reference) RegionAt(p orb.Point) string {
	hits := r.communes.Nearest(p, 1, 0)
	if len(hits) == 0 {
		return ""
	}
	return r.cat.Communes[hits[0].Value].Reg
}

// snapshotBrownfield returns the snapshot's record of a brownfield id.
func (r *Reference) snapshotBrownfield(id string) (Site, bool) {
	i, ok := r.brownfields[id]
	if !ok {
		return Site{}, false
	}
	return fromCatalogue(r.cat.Brownfields[i]), true
}

// snapshotSite returns the snapshot's site of an id of a registry layer
// (turnkey or brownfield), for the facts the registry does not hold.
func (r *Reference) snapshotSite(id string) (data.Site, bool) {
	if i, ok := r.brownfields[id]; ok {
		return r.cat.Brownfields[i], true
	}
	for _, l := range data.Layers() {
		if !l.Registry || l.Sites == nil {
			continue
		}
		for _, s := range *l.Sites(r.cat) {
			if s.ID == id {
				return s, true
			}
		}
	}
	return data.Site{}, false
}

var idPattern = regexp.MustCompile(`^(turnkey|zone|brownfield):[A-Za-z0-9][A-Za-z0-9_.\-]*$`)

// Prepare validates a site for writing and normalises it: the point of a
// polygon site is derived from its outline, a missing commune is taken
// from the location (the commune with the nearest reference point). It
// returns a *ValidationError naming every bad field. now bounds the
// verification date.
func (r *Reference) Prepare(s *Site, now time.Time) error {
	var ve ValidationError
	if !slices.Contains(Kinds, s.Kind) {
		ve.Add("properties.kind", "must be one of %s", strings.Join(Kinds, ", "))
	}
	if s.ID != "" {
		switch {
		case !idPattern.MatchString(s.ID) || len(s.ID) > len(s.Kind)+1+maxIDLocalLen:
			ve.Add("id", "must be \"<kind>:<local id>\" with at most %d letters, digits, '_', '.' or '-' after the colon", maxIDLocalLen)
		case !strings.HasPrefix(s.ID, s.Kind+":"):
			ve.Add("id", "must start with %q to match the kind", s.Kind+":")
		}
	}
	if strings.TrimSpace(s.Name) == "" {
		ve.Add("properties.name", "is required")
	}
	geomOK := r.checkGeometry(s, &ve)
	if geomOK {
		r.checkCommune(s, &ve)
	}
	checkNum := func(name string, v *float64, lo, hi float64, strictLo bool) {
		if v == nil {
			return
		}
		if *v < lo || (strictLo && *v == lo) || *v > hi {
			op := "at least"
			if strictLo {
				op = "more than"
			}
			ve.Add("properties."+name, "must be %s %g and at most %g", op, lo, hi)
		}
	}
	checkNum("area_ha", s.AreaHa, 0, MaxAreaHa, true)
	checkNum("available_ha", s.AvailableHa, 0, MaxAreaHa, false)
	checkNum("largest_plot_ha", s.LargestPlotHa, 0, MaxAreaHa, false)
	checkNum("power_mw", s.PowerMW, 0, 10000, false)
	checkNum("water_m3h", s.WaterM3h, 0, 1e6, false)
	checkNum("price_eur_m2", s.PriceEURM2, 0, 100000, false)
	if s.AreaHa != nil && *s.AreaHa > 0 && s.AvailableHa != nil && *s.AvailableHa > *s.AreaHa {
		ve.Add("properties.available_ha", "must not exceed area_ha (%g)", *s.AreaHa)
	}
	if s.AreaHa != nil && *s.AreaHa > 0 && s.LargestPlotHa != nil && *s.LargestPlotHa > *s.AreaHa {
		ve.Add("properties.largest_plot_ha", "must not exceed area_ha (%g)", *s.AreaHa)
	}
	if s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ve.Add("properties.url", "must be an http or https URL")
		}
	}
	if s.VerifiedOn != "" && s.VerifiedOn > now.AddDate(0, 0, 1).Format("2006-01-02") {
		ve.Add("properties.verified_on", "must not be in the future")
	}
	return ve.Err()
}

// ValidateGeometry validates a point or an outline as Prepare does, alone:
// the check a writer can make before it waits for the registry's lock. It
// returns a *ValidationError naming the geometry's fields.
func (r *Reference) ValidateGeometry(p orb.Point, outline orb.MultiPolygon) error {
	var ve ValidationError
	r.checkGeometry(&Site{Point: p, Outline: outline}, &ve)
	return ve.Err()
}

// checkGeometry validates the point or outline and derives the point of
// an outline. It reports whether the geometry is usable.
func (r *Reference) checkGeometry(s *Site, ve *ValidationError) bool {
	if len(s.Outline) == 0 {
		p := s.Point
		if p == (orb.Point{}) {
			ve.Add("geometry", "is required")
			return false
		}
		if !validLonLat(p) {
			ve.Add("geometry.coordinates", "must be [longitude, latitude] in WGS84 degrees, not %v", p)
			return false
		}
		return true
	}
	n, ok := 0, true
	for i, poly := range s.Outline {
		for j, ring := range poly {
			path := fmt.Sprintf("geometry.coordinates[%d]", j)
			if len(s.Outline) > 1 {
				path = fmt.Sprintf("geometry.coordinates[%d][%d]", i, j)
			}
			n += len(ring)
			if msg := checkRing(ring); msg != "" {
				ve.Add(path, "%s", msg)
				ok = false
			}
		}
		if len(poly) == 0 {
			ve.Add("geometry.coordinates", "a polygon needs an exterior ring")
			ok = false
		}
	}
	if n > MaxVertices {
		ve.Add("geometry.coordinates", "has %d vertices; at most %d are accepted", n, MaxVertices)
		return false
	}
	if !ok {
		return false
	}
	for i, poly := range s.Outline {
		if j, k, bad := selfIntersection(poly); bad {
			ve.Add("geometry.coordinates", "polygon %d: the edges of rings %d and %d cross; the outline must be a valid polygon", i, j, k)
			return false
		}
	}
	b := s.Outline.Bound()
	if d := geo.DistanceKm(b.Min, b.Max); d > MaxExtentKm {
		ve.Add("geometry.coordinates", "spans %.0f km; a site's outline must fit in %d km", d, MaxExtentKm)
		return false
	}
	if geo.AreaHa(s.Outline) <= 0 {
		ve.Add("geometry.coordinates", "encloses no area")
		return false
	}
	s.Point = geo.RepresentativePoint(s.Outline)
	return true
}

func validLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// checkRing returns what is wrong with a ring, or "".
func checkRing(ring orb.Ring) string {
	if len(ring) < 4 {
		return "a ring needs at least 4 positions"
	}
	for _, p := range ring {
		if !validLonLat(p) {
			return fmt.Sprintf("position %v is not [longitude, latitude] in WGS84 degrees", p)
		}
	}
	if ring[0] != ring[len(ring)-1] {
		return "a ring must end where it starts"
	}
	distinct := map[orb.Point]bool{}
	for _, p := range ring {
		distinct[p] = true
	}
	if len(distinct) < 3 {
		return "a ring needs at least 3 distinct positions"
	}
	return ""
}

// checkCommune checks the commune code against the location, or derives it.
func (r *Reference) checkCommune(s *Site, ve *ValidationError) {
	hits := r.communes.Nearest(s.Point, communeNearest, 0)
	if len(hits) == 0 {
		ve.Add("geometry", "no commune is known")
		return
	}
	if hits[0].Km > maxCommuneKm {
		ve.Add("geometry.coordinates", "lies %.0f km from the nearest French commune (%s): is it in France, as [longitude, latitude]?",
			hits[0].Km, r.cat.Communes[hits[0].Value].Name)
		return
	}
	if s.Commune == "" {
		s.Commune = r.cat.Communes[hits[0].Value].Code
		return
	}
	c, ok := r.cat.Commune(s.Commune)
	if !ok {
		ve.Add("properties.commune", "unknown INSEE commune code %q", s.Commune)
		return
	}
	for _, h := range hits {
		if r.cat.Communes[h.Value].Code == s.Commune {
			return
		}
	}
	if d := geo.DistanceKm(c.Point, s.Point); d > communeNearKm {
		ve.Add("properties.commune", "%s (%s) lies %.0f km from the site's location; check the code or the coordinates ([longitude, latitude])",
			s.Commune, c.Name, d)
	}
}
