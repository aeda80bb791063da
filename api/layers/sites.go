package layers

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/api/features"
	"sitematch/data"
	"sitematch/data/store"
)

// siteLayer is a layer of the site registry (turnkey, zones,
// brownfields): the engine's sites, sorted by id, each with its real
// geometry (its outline when it has one, else its point) and, when the
// registry holds a record of the site, the record's properties (see
// siteProps).
type siteLayer struct {
	cat     *data.Catalogue
	sites   []data.Site
	records map[string]*store.Site // the registry's records by id
	source  string
}

func (l *siteLayer) Len() int                       { return len(l.sites) }
func (l *siteLayer) FeatureID(i int) string         { return l.sites[i].ID }
func (l *siteLayer) Point(i int) (orb.Point, bool)  { return l.sites[i].Point, true }
func (l *siteLayer) Outline(i int) orb.MultiPolygon { return l.sites[i].Outline }
func (l *siteLayer) BBox(int) geojson.BBox          { return nil }
func (l *siteLayer) Properties(i int) geojson.Properties {
	return siteProps(l.cat, &l.sites[i], l.records[l.sites[i].ID], l.source)
}

// siteProps are the properties of a registry layer's feature: those of
// the engine's site (kind, name, commune, area_ha, status, programme,
// placement, note, source_detail: the site's own source) and of its
// commune (commune_name, departement, region, epci, territoire_industrie),
// with source the layer's "publisher (vintage)". A site the registry holds
// (a turnkey site, a zone, a corrected brownfield) has every property of
// its record besides, as GET /v1/sites/{id} gives it, unknown ones null:
// zoning, icpe, seveso, power_mw, rail_siding, water, available_from,
// price_eur_m2, contact, verified_on, version, … (area_ha is then the
// record's total area; available_ha the area still for sale, which the
// engine ranks). source stays the layer's; the record's is source_detail.
func siteProps(cat *data.Catalogue, s *data.Site, rec *store.Site, source string) geojson.Properties {
	p := geojson.Properties{"id": s.ID, "kind": s.Kind, "name": s.Name, "commune": s.Commune,
		"area_ha": nil, "status": s.Status, "programme": s.Programme, "placement": s.Placement,
		"source": source, "source_detail": s.Source, "note": s.Note}
	if s.AreaKnown {
		p["area_ha"] = s.AreaHa
	}
	if rec != nil {
		for _, name := range store.Fields() {
			p[name] = nil
		}
		for name, v := range rec.Properties() {
			p[name] = v
		}
		p["source"], p["source_detail"] = source, rec.Source
	}
	// Facts of the snapshot the registry does not hold (data.Site.WithSnapshotFacts).
	for k, v := range siteFacts(s) {
		p[k] = v
	}
	if cm, ok := cat.Commune(s.Commune); ok {
		p["commune_name"] = cm.Name
		p["departement"] = cm.Dep
		p["region"] = cm.Reg
		p["epci"] = cm.EPCI
		p["territoire_industrie"] = cm.TI
	}
	return p
}

// siteFacts are a site's snapshot facts as properties: the brownfield
// attributes and the turnkey availability (as the source states it) and
// commitment, null when unknown.
func siteFacts(s *data.Site) geojson.Properties {
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	return geojson.Properties{"site_type": str(s.SiteType), "zone_type": str(s.ZoneType), "activity": str(s.Activity),
		"owner": str(s.Owner), "pollution": str(s.Pollution), "unverified": s.Unverified,
		"availability": str(s.AvailableFrom), "committed_to": str(s.CommittedTo)}
}

// siteSchemas are the schemas of the properties siteProps gives: its own
// (area_ha a number, the others strings) and the registry's
// (store.Schema: types, formats, enumerations, read-only bookkeeping).
func siteSchemas() map[string]any {
	out := map[string]any{"area_ha": features.Nullable("area_ha", map[string]any{"type": "number"}),
		"unverified": features.Nullable("unverified", map[string]any{"type": "boolean"})}
	for _, k := range []string{"id", "kind", "name", "commune", "status", "programme", "placement", "source", "source_detail", "note",
		"commune_name", "departement", "region", "epci", "territoire_industrie",
		"site_type", "zone_type", "activity", "owner", "pollution", "availability", "committed_to"} {
		out[k] = features.Nullable(k, map[string]any{"type": "string"})
	}
	for _, f := range store.Schema() {
		if f.Name == "source" {
			continue // the layer's, a string; the record's is source_detail
		}
		p := map[string]any{"type": f.Type}
		if f.Format != "" {
			p["format"] = f.Format
		}
		if len(f.Enum) > 0 {
			p["enum"] = f.Enum
		}
		if f.ReadOnly {
			p["readOnly"] = true
		}
		out[f.Name] = features.Nullable(f.Name, p)
	}
	return out
}
