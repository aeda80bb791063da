package store

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sitematch/data"
	"sitematch/data/reader"
)

// Import formats: FormatCNIG reads the CNIG "sites économiques" standard;
// the others read any file with the field mapping.
const (
	FormatCNIG       = "cnig"
	FormatGeoJSON    = reader.FormatGeoJSON
	FormatCSV        = reader.FormatCSV
	FormatGeoPackage = reader.FormatGeoPackage
)

// ImportFormats lists the formats ReadImport knows.
var ImportFormats = []string{FormatCNIG, FormatGeoJSON, FormatCSV, FormatGeoPackage}

// ImportSpec says how to read import files.
type ImportSpec struct {
	// Format is one of ImportFormats; "": each file's extension decides
	// (.geojson/.json, .csv, .gpkg). FormatCNIG reads CSV or GeoJSON
	// (by extension) with the CNIG mapping.
	Format string
	// Layer names the GeoPackage layer; "": the only one.
	Layer string
	// Map maps fields to columns; it overrides the CNIG mapping. Without
	// it a column named like a field (case-insensitive) feeds that field.
	Map Mapping
	// Kind is the kind of records that name none (no kind column, no
	// "<kind>:" id prefix); "": zone.
	Kind string
}

// cnigSiteMapping is how the CNIG SITE-ECO class (standard "sites
// économiques", schema v1.0.0) maps to site fields. site_moa_nom stands in
// for site_moa_comm when the latter is empty; the geometry is site_geomsurf
// (GeoJSON in CSV, the feature's geometry in GeoJSON) or else
// site_geompoint ("lon, lat").
var cnigSiteMapping = Mapping{
	"id":           "site_id",
	"name":         "site_nom",
	"commune":      "site_comm_insee",
	"area_ha":      "site_surf_brute",
	"available_ha": "site_surf_comm_dispo",
	"status":       "site_etat",
	"programme":    "site_quali_territoire",
	"source":       "source_producteur",
	"verified_on":  "site_actu_date",
	"note":         "site_description",
	"url":          "site_url",
	"contact":      "site_moa_comm",
	"rail_siding":  "reseau_fret_ferroviaire",
	"water":        "reseau_eau_potable",
}

// ReadImport reads import files into a batch for Import. A file that
// cannot be read at all is an error naming it (and the line when known); a
// record with a bad value becomes an invalid item, so that Import reports
// every bad record at once.
func ReadImport(paths []string, spec ImportSpec) ([]ImportItem, error) {
	if spec.Kind == "" {
		spec.Kind = data.KindZone
	}
	if !slices.Contains(Kinds, spec.Kind) {
		return nil, fieldErr("kind", "must be one of %s", strings.Join(Kinds, ", "))
	}
	if spec.Format != "" && !slices.Contains(ImportFormats, spec.Format) {
		return nil, fieldErr("format", "must be one of %s", strings.Join(ImportFormats, ", "))
	}
	var (
		items []ImportItem
		plots []*reader.Layer
	)
	for _, path := range paths {
		format := spec.Format
		cnig := format == FormatCNIG
		if format == "" || cnig {
			f, err := reader.FormatOf(path)
			if err != nil {
				return nil, err
			}
			format = f
		}
		var (
			l   *reader.Layer
			err error
		)
		if format == FormatCSV && spec.Map["geometry"] != "" {
			l, err = readCSVFile(path, reader.CSVOptions{Geometry: spec.Map["geometry"]})
		} else {
			l, err = reader.ReadFile(path, format, spec.Layer)
		}
		if err != nil {
			return nil, err
		}
		if !cnig {
			got, err := mapLayer(l, spec.Map, spec.Kind, path)
			if err != nil {
				return nil, err
			}
			items = append(items, got...)
			continue
		}
		switch {
		case slices.Contains(l.Columns, "terr_id"):
			plots = append(plots, l)
		case slices.Contains(l.Columns, "site_id") && slices.Contains(l.Columns, "site_nom"):
			m := Mapping{}
			for k, v := range cnigSiteMapping {
				if slices.Contains(l.Columns, v) { // optional columns of the standard may be absent
					m[k] = v
				}
			}
			for k, v := range spec.Map {
				m[k] = v
			}
			got, err := mapLayer(l, m, spec.Kind, path)
			if err != nil {
				return nil, err
			}
			if spec.Map["contact"] == "" && slices.Contains(l.Columns, "site_moa_nom") {
				for i, f := range l.Features {
					if got[i].Site.Contact == "" {
						if v, ok := f.Properties["site_moa_nom"].(string); ok {
							got[i].Site.Contact = strings.TrimSpace(v)
						}
					}
				}
			}
			items = append(items, got...)
		default:
			return nil, fieldErr(filepath.Base(path), "not a CNIG sites économiques file: no site_id and site_nom columns (SITE-ECO) nor terr_id (TERRAIN-ECO)")
		}
	}
	for _, l := range plots {
		items = mergePlots(items, l, spec.Kind)
	}
	return items, nil
}

func readCSVFile(path string, opt reader.CSVOptions) (*reader.Layer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("store: import: %w", err)
	}
	defer f.Close()
	return reader.ReadCSV(path, f, opt)
}

// mapLayer maps a layer's features to import items with m.
func mapLayer(l *reader.Layer, m Mapping, kind, path string) ([]ImportItem, error) {
	var ve ValidationError
	for field, col := range m {
		if field == "geometry" {
			continue
		}
		if !slices.Contains(l.Columns, col) && !(field == "id" && len(l.Features) > 0 && l.Features[0].ID != nil) {
			ve.Add("map", "%s=%s: %s has no column %q", field, col, path, col)
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	kindCol := m.columnFor("kind", l.Columns)
	idCol := m.columnFor("id", l.Columns)
	out := make([]ImportItem, 0, len(l.Features))
	for _, f := range l.Features {
		var (
			s      Site
			fields []string
			fe     ValidationError
		)
		var rawID any = f.ID
		if idCol != "" {
			rawID = f.Properties[idCol]
		}
		id := strings.TrimSpace(fmt.Sprint(stringify(rawID)))
		if rawID == nil {
			id = ""
		}
		s.Kind = kind
		if kindCol != "" {
			if k, _ := f.Properties[kindCol].(string); strings.TrimSpace(k) != "" {
				s.Kind = strings.TrimSpace(k)
			}
		} else if k, _, ok := strings.Cut(id, ":"); ok && slices.Contains(Kinds, k) {
			s.Kind = k
		}
		if id != "" && !strings.HasPrefix(id, s.Kind+":") {
			id = s.Kind + ":" + id
		}
		s.ID = id
		for _, field := range Fields() {
			if field == "kind" {
				continue
			}
			col := m.columnFor(field, l.Columns)
			if col == "" {
				continue
			}
			fields = append(fields, field)
			if err := setMapped(&s, field, f.Properties[col]); err != nil {
				if col != field {
					var e *ValidationError
					if errors.As(err, &e) {
						for i := range e.Fields {
							e.Fields[i].Message = fmt.Sprintf("(column %s) %s", col, e.Fields[i].Message)
						}
					}
				}
				fe.merge(err)
			}
		}
		if f.Err != nil {
			fe.Add("geometry", "%s", f.Err.Error())
		} else if f.Geometry != nil {
			if err := s.SetGeometry(f.Geometry); err != nil {
				fe.merge(err)
			} else {
				fields = append(fields, "geometry")
			}
		}
		out = append(out, ImportItem{Ref: f.Ref, Site: s, Fields: fields, Err: fe.Err()})
	}
	return out, nil
}

// plotSummary aggregates the plots of one CNIG site.
type plotSummary struct {
	ref         string
	n           int
	availableHa float64
	largestHa   float64
	minPrice    float64
	errs        ValidationError
}

// mergePlots folds a CNIG TERRAIN-ECO layer into the batch: per site
// (site_id), available_ha is the sum and largest_plot_ha the largest of
// terr_surf_brute over the plots still for sale (terr_stade_comm says
// available or being marketed, not sold, reserved or finished), and
// price_eur_m2 the lowest terr_m2_prix among them. The figures complete
// the site's item of the same batch, or else the stored site.
func mergePlots(items []ImportItem, l *reader.Layer, kind string) []ImportItem {
	byID := map[string]int{}
	for i, it := range items {
		byID[it.Site.ID] = i
	}
	sums := map[string]*plotSummary{}
	var order []string
	for _, f := range l.Features {
		siteID, _ := stringify(f.Properties["site_id"]).(string)
		siteID = strings.TrimSpace(siteID)
		id := kind + ":" + siteID
		ps, ok := sums[id]
		if !ok {
			ps = &plotSummary{ref: f.Ref}
			sums[id] = ps
			order = append(order, id)
		}
		ps.n++
		if siteID == "" {
			ps.errs.Add(f.Ref+": properties.site_id", "is required")
			continue
		}
		area, err := toNumber(f.Properties["terr_surf_brute"])
		if err != nil || area == nil || *area < 0 {
			ps.errs.Add(f.Ref+": properties.terr_surf_brute", "must be a non-negative number of hectares")
			continue
		}
		stage, _ := f.Properties["terr_stade_comm"].(string)
		if !plotAvailable(stage) {
			continue
		}
		ps.availableHa += *area
		ps.largestHa = math.Max(ps.largestHa, *area)
		if p, err := toNumber(f.Properties["terr_m2_prix"]); err == nil && p != nil && *p > 0 {
			if ps.minPrice == 0 || *p < ps.minPrice {
				ps.minPrice = *p
			}
		}
	}
	for _, id := range order {
		ps := sums[id]
		avail, largest := round2(ps.availableHa), round2(ps.largestHa)
		fields := []string{"available_ha", "largest_plot_ha"}
		if ps.minPrice > 0 {
			fields = append(fields, "price_eur_m2")
		}
		set := func(s *Site) {
			s.AvailableHa, s.LargestPlotHa = &avail, &largest
			if ps.minPrice > 0 {
				p := ps.minPrice
				s.PriceEURM2 = &p
			}
		}
		if i, ok := byID[id]; ok {
			set(&items[i].Site)
			items[i].Fields = append(slices.DeleteFunc(items[i].Fields, func(f string) bool { return slices.Contains(fields, f) }), fields...)
			if err := ps.errs.Err(); err != nil {
				var ve ValidationError
				ve.merge(items[i].Err)
				ve.merge(err)
				items[i].Err = ve.Err()
			}
			continue
		}
		it := ImportItem{Ref: fmt.Sprintf("%s (%d plots)", ps.ref, ps.n), Site: Site{ID: id, Kind: kind}, Fields: fields, UpdateOnly: true}
		set(&it.Site)
		if err := ps.errs.Err(); err != nil {
			it.Err = err
			it.Ref = ""
		}
		items = append(items, it)
	}
	return items
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// plotAvailable reads a CNIG terr_stade_comm value.
func plotAvailable(stage string) bool {
	s := strings.ToLower(strings.NewReplacer("é", "e", "è", "e", "ê", "e", "à", "a", "â", "a", "ç", "c", "ô", "o", "î", "i", "û", "u").Replace(stage))
	for _, no := range []string{"vendu", "reserv", "achev", "cede", "indisponible", "non disponible", "sous option", "sous compromis"} {
		if strings.Contains(s, no) {
			return false
		}
	}
	for _, yes := range []string{"disponible", "commercialis", "en vente", "a vendre", "libre", "a louer"} {
		if strings.Contains(s, yes) {
			return true
		}
	}
	return false
}
