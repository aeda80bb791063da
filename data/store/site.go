package store

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Site is one registry record: a turnkey site, an equipped zone, or a
// correction to a brownfield of the snapshot (same id). Optional numbers
// and booleans are pointers: nil means unknown. The field names of its
// properties (Fields) are those of the API's GeoJSON Features.
type Site struct {
	ID      string // "<kind>:<local id>"
	Kind    string // data.KindTurnkey, data.KindZone or data.KindBrownfield
	Name    string
	Commune string // INSEE code of the commune the site lies in

	// Point is the site's location. For a polygon site it is derived on
	// every write: a point inside Outline (geo.RepresentativePoint).
	Point orb.Point
	// Outline is the site's perimeter (WGS84), nil for a point site.
	Outline orb.MultiPolygon

	AreaHa        *float64 // total area, hectares
	AvailableHa   *float64 // area still for sale or lease, hectares
	LargestPlotHa *float64 // largest plot available in one piece, hectares
	Zoning        string   // urban-planning zone (PLU), e.g. "UX", "1AUx"
	ICPE          string   // highest ICPE regime accepted: none, declaration, registration, authorisation
	Seveso        string   // Seveso establishments accepted: none, lower_tier, upper_tier
	PowerMW       *float64 // electrical power available, MW
	RailSiding    *bool    // a rail siding (installation terminale embranchée) serves the site
	Water         *bool    // connected to a drinking/industrial water network
	WaterM3h      *float64 // industrial water available, m³ per hour
	AvailableFrom string   // date the land can be handed over, YYYY-MM-DD
	PriceEURM2    *float64 // price, € per m² (excluding tax)
	Contact       string   // who to call: organisation, person, e-mail or phone
	URL           string   // the site's web page
	Status        string   // availability (turnkey, zone) or brownfield status
	Programme     string   // programme or label, e.g. "France 2030 - sites clés en main"
	Placement     string   // "" when the source gives the location, else how it was derived
	Source        string   // who published the record
	VerifiedOn    string   // date the record was last checked, YYYY-MM-DD
	Note          string

	// Bookkeeping, set by the store.
	Version   int64 // 1 on creation, +1 per write; 0 for an uncorrected snapshot brownfield
	CreatedAt time.Time
	UpdatedAt time.Time
	CreatedBy string // key name
	UpdatedBy string
}

// Kinds the registry holds (the candidate layers of data.Layers marked
// Registry).
var Kinds = data.RegistryKinds

// ICPE regimes, from the lightest to the heaviest, and Seveso tiers.
var (
	ICPERegimes = []string{"none", "declaration", "registration", "authorisation"}
	SevesoTiers = []string{"none", "lower_tier", "upper_tier"}
)

// Limits on site values.
const (
	MaxNameLen     = 300
	MaxTextLen     = 2000
	MaxVertices    = 5000   // per site, all rings together
	MaxExtentKm    = 100    // largest dimension of an outline's box
	MaxAreaHa      = 100000 // any area field
	maxIDLocalLen  = 80
	communeNearest = 12 // a site's commune is one of the 12 whose reference point is nearest…
	communeNearKm  = 20 // …or lies within 20 km of it
	maxCommuneKm   = 50 // a location farther from every commune is not in France
)

// ETag returns the site's entity tag for HTTP: the version, quoted
// ("\"v3\""). A stale tag makes a write fail with ErrConflict.
func (s *Site) ETag() string { return `"v` + strconv.FormatInt(s.Version, 10) + `"` }

// Geometry returns the site's geometry: its outline (a Polygon, or a
// MultiPolygon of several parts) or its point.
func (s *Site) Geometry() orb.Geometry {
	d := data.Site{Point: s.Point, Outline: s.Outline}
	return d.Geometry()
}

// Stored reports whether the site is a registry record, rather than a
// brownfield of the snapshot without a correction (which Get returns as
// it is in the snapshot): every record has a creation time.
func (s *Site) Stored() bool { return !s.CreatedAt.IsZero() }

// SetGeometry sets the site's geometry from a Point, Polygon or
// MultiPolygon; any other type is a field error on "geometry".
func (s *Site) SetGeometry(g orb.Geometry) error {
	switch g := g.(type) {
	case orb.Point:
		s.Point, s.Outline = g, nil
	case orb.Polygon:
		s.Outline = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		s.Outline = g
	case nil:
		return fieldErr("geometry", "is required")
	default:
		return fieldErr("geometry", "must be a Point, Polygon or MultiPolygon, not %s", g.GeoJSONType())
	}
	return nil
}

// CatalogueSite converts the record to the catalogue's site, which the
// matching engine ranks. Its area is the area still available when known
// (what a project can buy), else the total area, else the outline's area;
// its point is the site's location (inside the outline for a polygon).
func (s *Site) CatalogueSite() data.Site {
	d := data.Site{
		ID: s.ID, Kind: s.Kind, Name: s.Name, Commune: s.Commune, Point: s.Point,
		Placement: s.Placement, Status: s.Status, Programme: s.Programme, Source: s.Source,
		Note: s.Note, Outline: s.Outline,
	}
	switch {
	case s.AvailableHa != nil && *s.AvailableHa > 0:
		d.AreaHa, d.AreaKnown = *s.AvailableHa, true
	case s.AreaHa != nil && *s.AreaHa > 0:
		d.AreaHa, d.AreaKnown = *s.AreaHa, true
	case len(s.Outline) > 0:
		if a := geo.AreaHa(s.Outline); a > 0 {
			d.AreaHa, d.AreaKnown = math.Round(a*100)/100, true
		}
	}
	return d
}

// fromCatalogue converts a snapshot site (turnkey or brownfield) to a
// registry record.
func fromCatalogue(d data.Site) Site {
	s := Site{ID: d.ID, Kind: d.Kind, Name: d.Name, Commune: d.Commune, Point: d.Point,
		Outline: d.Outline, Placement: d.Placement, Status: d.Status, Programme: d.Programme,
		Source: d.Source, Note: d.Note}
	if d.AreaKnown {
		a := d.AreaHa
		s.AreaHa = &a
	}
	return s
}

// field is one property of a site: its name in Features, how to read it
// as a JSON value (nil when unset), and how to set it from a JSON value or
// a string read from a file (nil or "" clears it).
type field struct {
	name string
	get  func(*Site) any
	set  func(*Site, any) error
	// book marks the bookkeeping properties the store sets itself.
	book bool
	// schema is the field's JSON type, format and allowed values.
	schema FieldSchema
}

// FieldSchema describes a property of a site's Feature for JSON Schemas
// (the OGC API collections'): its JSON type ("string", "number",
// "integer" or "boolean"), its format ("date", "date-time" or ""), the
// values an enumeration allows, and whether the registry sets it itself.
// Every property may also be null (unknown).
type FieldSchema struct {
	Name     string
	Type     string
	Format   string
	Enum     []string
	ReadOnly bool
}

// Schema describes every property of a site's Feature, bookkeeping ones
// included, in Feature order.
func Schema() []FieldSchema {
	fs := fields()
	out := make([]FieldSchema, len(fs))
	for i, f := range fs {
		out[i] = f.schema
		out[i].Name, out[i].ReadOnly = f.name, f.book
		if out[i].Type == "" {
			out[i].Type = "string"
		}
	}
	return out
}

// fields lists a site's properties in Feature order. kind comes first;
// the id and geometry are outside properties.
func fields() []field {
	return []field{
		strField("kind", func(s *Site) *string { return &s.Kind }, 0),
		strField("name", func(s *Site) *string { return &s.Name }, MaxNameLen),
		strField("commune", func(s *Site) *string { return &s.Commune }, 5),
		numField("area_ha", func(s *Site) **float64 { return &s.AreaHa }),
		numField("available_ha", func(s *Site) **float64 { return &s.AvailableHa }),
		numField("largest_plot_ha", func(s *Site) **float64 { return &s.LargestPlotHa }),
		strField("zoning", func(s *Site) *string { return &s.Zoning }, 50),
		enumField("icpe", func(s *Site) *string { return &s.ICPE }, ICPERegimes, map[string]string{
			"non": "none", "aucun": "none", "d": "declaration", "déclaration": "declaration",
			"e": "registration", "enregistrement": "registration", "a": "authorisation",
			"autorisation": "authorisation", "authorization": "authorisation"}),
		enumField("seveso", func(s *Site) *string { return &s.Seveso }, SevesoTiers, map[string]string{
			"non": "none", "no": "none", "seuil bas": "lower_tier", "seuil_bas": "lower_tier", "bas": "lower_tier",
			"seuil haut": "upper_tier", "seuil_haut": "upper_tier", "haut": "upper_tier"}),
		numField("power_mw", func(s *Site) **float64 { return &s.PowerMW }),
		boolField("rail_siding", func(s *Site) **bool { return &s.RailSiding }),
		boolField("water", func(s *Site) **bool { return &s.Water }),
		numField("water_m3h", func(s *Site) **float64 { return &s.WaterM3h }),
		dateField("available_from", func(s *Site) *string { return &s.AvailableFrom }),
		numField("price_eur_m2", func(s *Site) **float64 { return &s.PriceEURM2 }),
		strField("contact", func(s *Site) *string { return &s.Contact }, MaxNameLen),
		strField("url", func(s *Site) *string { return &s.URL }, MaxNameLen),
		strField("status", func(s *Site) *string { return &s.Status }, 100),
		strField("programme", func(s *Site) *string { return &s.Programme }, MaxNameLen),
		strField("placement", func(s *Site) *string { return &s.Placement }, 100),
		strField("source", func(s *Site) *string { return &s.Source }, MaxNameLen*2),
		dateField("verified_on", func(s *Site) *string { return &s.VerifiedOn }),
		strField("note", func(s *Site) *string { return &s.Note }, MaxTextLen),
		{name: "version", book: true, get: func(s *Site) any { return s.Version }, schema: FieldSchema{Type: "integer"}},
		{name: "created_at", book: true, get: func(s *Site) any { return timeValue(s.CreatedAt) }, schema: FieldSchema{Format: "date-time"}},
		{name: "updated_at", book: true, get: func(s *Site) any { return timeValue(s.UpdatedAt) }, schema: FieldSchema{Format: "date-time"}},
		{name: "created_by", book: true, get: func(s *Site) any { return s.CreatedBy }},
		{name: "updated_by", book: true, get: func(s *Site) any { return s.UpdatedBy }},
	}
}

// Fields lists the names of the properties a caller may set, in Feature
// order.
func Fields() []string {
	var out []string
	for _, f := range fields() {
		if !f.book {
			out = append(out, f.name)
		}
	}
	return out
}

func fieldByName(name string) (field, bool) {
	for _, f := range fields() {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeFormat)
}

// timeFormat is how timestamps are stored and shown: UTC, milliseconds,
// as GeoPackage DATETIME columns expect.
const timeFormat = "2006-01-02T15:04:05.000Z"

// Properties returns the site's properties as JSON values, keyed by field
// name, unset ones omitted; bookkeeping ones (version, created_at, …)
// included.
func (s *Site) Properties() map[string]any {
	out := map[string]any{}
	for _, f := range fields() {
		if v := f.get(s); v != nil && v != "" {
			out[f.name] = v
		}
	}
	return out
}

// SetProperty sets one property from a JSON value (string, float64,
// json.Number, bool or nil) or a string read from a file; nil and "" clear
// it. An unknown or read-only name, or a bad value, is a *ValidationError
// naming "properties.<name>".
func (s *Site) SetProperty(name string, v any) error {
	f, ok := fieldByName(name)
	if !ok {
		return fieldErr("properties."+name, "unknown property (known: %s)", strings.Join(Fields(), ", "))
	}
	if f.book {
		return fieldErr("properties."+name, "is set by the registry and cannot be written")
	}
	if err := f.set(s, v); err != nil {
		return fieldErr("properties."+name, "%s", err.Error())
	}
	return nil
}

// SetProperties sets every property of props (see SetProperty), ignoring
// the read-only bookkeeping ones, and reports every bad one at once.
func (s *Site) SetProperties(props map[string]any) error {
	var ve ValidationError
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if f, ok := fieldByName(k); ok && f.book {
			continue
		}
		ve.merge(s.SetProperty(k, props[k]))
	}
	return ve.Err()
}

func strField(name string, f func(*Site) *string, maxLen int) field {
	return field{name: name,
		get: func(s *Site) any { return *f(s) },
		set: func(s *Site, v any) error {
			str, err := toString(v)
			if err != nil {
				return err
			}
			if maxLen > 0 && utf8.RuneCountInString(str) > maxLen {
				return fmt.Errorf("must be at most %d characters", maxLen)
			}
			*f(s) = str
			return nil
		}}
}

func numField(name string, f func(*Site) **float64) field {
	return field{name: name, schema: FieldSchema{Type: "number"},
		get: func(s *Site) any {
			if p := *f(s); p != nil {
				return *p
			}
			return nil
		},
		set: func(s *Site, v any) error {
			n, err := toNumber(v)
			if err != nil {
				return err
			}
			*f(s) = n
			return nil
		}}
}

func boolField(name string, f func(*Site) **bool) field {
	return field{name: name, schema: FieldSchema{Type: "boolean"},
		get: func(s *Site) any {
			if p := *f(s); p != nil {
				return *p
			}
			return nil
		},
		set: func(s *Site, v any) error {
			b, err := toBool(v)
			if err != nil {
				return err
			}
			*f(s) = b
			return nil
		}}
}

func dateField(name string, f func(*Site) *string) field {
	return field{name: name, schema: FieldSchema{Format: "date"},
		get: func(s *Site) any { return *f(s) },
		set: func(s *Site, v any) error {
			str, err := toString(v)
			if err != nil {
				return err
			}
			d, err := parseDate(str)
			if err != nil {
				return err
			}
			*f(s) = d
			return nil
		}}
}

func enumField(name string, f func(*Site) *string, allowed []string, aliases map[string]string) field {
	return field{name: name, schema: FieldSchema{Enum: allowed},
		get: func(s *Site) any { return *f(s) },
		set: func(s *Site, v any) error {
			str, err := toString(v)
			if err != nil {
				return err
			}
			k := strings.ToLower(str)
			if a, ok := aliases[k]; ok {
				k = a
			}
			if str != "" && !slices.Contains(allowed, k) {
				return fmt.Errorf("must be one of %s, not %q", strings.Join(allowed, ", "), str)
			}
			if str == "" {
				k = ""
			}
			*f(s) = k
			return nil
		}}
}

func toString(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(v), nil
	}
	return "", fmt.Errorf("must be a string")
}

func toNumber(v any) (*float64, error) {
	var f float64
	switch v := v.(type) {
	case nil:
		return nil, nil
	case float64:
		f = v
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case json.Number:
		x, err := v.Float64()
		if err != nil {
			return nil, fmt.Errorf("must be a number")
		}
		f = x
	case string:
		str := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(strings.TrimSpace(v))
		if str == "" {
			return nil, nil
		}
		x, err := strconv.ParseFloat(str, 64)
		if err != nil {
			return nil, fmt.Errorf("must be a number, not %q", v)
		}
		f = x
	default:
		return nil, fmt.Errorf("must be a number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("must be a finite number")
	}
	return &f, nil
}

func toBool(v any) (*bool, error) {
	var b bool
	switch v := v.(type) {
	case nil:
		return nil, nil
	case bool:
		b = v
	case float64:
		if v != 0 && v != 1 {
			return nil, fmt.Errorf("must be true or false")
		}
		b = v == 1
	case int64:
		if v != 0 && v != 1 {
			return nil, fmt.Errorf("must be true or false")
		}
		b = v == 1
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "":
			return nil, nil
		case "true", "oui", "yes", "o", "y", "1", "vrai":
			b = true
		case "false", "non", "no", "n", "0", "faux":
			b = false
		default:
			return nil, fmt.Errorf("must be true or false (oui/non), not %q", v)
		}
	default:
		return nil, fmt.Errorf("must be true or false")
	}
	return &b, nil
}

// parseDate accepts YYYY-MM-DD, DD/MM/YYYY and an RFC 3339 timestamp, and
// returns YYYY-MM-DD ("" for "").
func parseDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("must be a date as YYYY-MM-DD, not %q", s)
}

// diffFields returns the names of the properties (and "geometry") that
// differ between a and b, bookkeeping aside.
func diffFields(a, b *Site) []string {
	var out []string
	if !geomEqual(a, b) {
		out = append(out, "geometry")
	}
	for _, f := range fields() {
		if f.book {
			continue
		}
		if !valueEqual(f.get(a), f.get(b)) {
			out = append(out, f.name)
		}
	}
	return out
}

func valueEqual(x, y any) bool {
	if x == "" {
		x = nil
	}
	if y == "" {
		y = nil
	}
	return x == y
}

func geomEqual(a, b *Site) bool {
	if len(a.Outline) != 0 || len(b.Outline) != 0 {
		return orb.Equal(a.Outline, b.Outline)
	}
	return a.Point == b.Point
}
