package data

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// Source records where a layer comes from.
type Source struct {
	Layer     string // layer id, as in Catalogue.Counts
	File      string // upstream file(s) the layer was built from
	Publisher string // upstream publisher
	Licence   string
	Vintage   string // the date or edition of the data
	Origin    string // where the file was obtained (repository and commit, package)
	Rows      int    // records in the snapshot
	Note      string // decisions the import took (records placed or left out, and why)
}

// Commune is a current French commune (INSEE COG).
type Commune struct {
	Code       string // INSEE code, 5 characters (2A/2B for Corsica)
	Name       string
	Dep        string // département code
	Reg        string // région code
	EPCI       string // SIREN of the EPCI the commune belongs to, "" if none
	TI         string // Territoire d'industrie id (ti-RRNN), "" if none
	Point      orb.Point
	Placement  string // how Point was obtained: "" for the source coordinates, otherwise a reason
	Population int    // population 2021
	Pop1564    int    // people aged 15-64
	Active     int    // active people aged 15-64
	Unemployed int    // unemployed people aged 15-64
}

// EPCI is an établissement public de coopération intercommunale.
type EPCI struct {
	SIREN string
	Name  string
	Type  string // CC, CA, CU, METRO, MET69
	Point orb.Point
}

// Departement is a French département.
type Departement struct {
	Code   string
	Name   string
	Region string
	Point  orb.Point // geographic centre
}

// Region is a French région.
type Region struct {
	Code  string
	Name  string
	Point orb.Point // geographic centre
}

// Territoire is a Territoire d'industrie of the 2023-2027 phase.
type Territoire struct {
	ID    string // ti-RRNN
	Name  string
	EPCIs []string // SIRENs of the member EPCI
}

// Site kinds: the candidate locations the engine ranks.
const (
	KindTurnkey    = "turnkey"
	KindZone       = "zone"
	KindBrownfield = "brownfield"
	KindTown       = "town"
)

// Site is a candidate location: a turnkey site, an equipped zone, a brownfield
// or a medium-sized town.
type Site struct {
	ID        string // "<kind>:<source id>", unique in the catalogue
	Kind      string
	Name      string
	Commune   string // INSEE code of the commune the site lies in
	Point     orb.Point
	Placement string  // "" when the source gives coordinates, else how Point was derived
	AreaHa    float64 // total area in hectares, meaningful only when AreaKnown
	AreaKnown bool
	Status    string // brownfield status, availability of a turnkey site, programme of a town
	Programme string // programme a turnkey site or town belongs to
	Source    string // the record's own source (URL, producer), beyond its layer's
	Note      string
	// Outline is the site's perimeter in WGS84 lon/lat, nil for a point
	// site. When set, Point is a point inside it and the engine measures
	// distances from the outline rather than from Point. Snapshot files
	// carry no outlines: they come from the site registry (data/store).
	Outline orb.MultiPolygon
}

// Geometry returns the site's geometry as GeoJSON and GeoPackage carry it:
// its outline (a Polygon, or a MultiPolygon of several parts) or, for a
// point site, its point.
func (s *Site) Geometry() orb.Geometry {
	switch len(s.Outline) {
	case 0:
		return s.Point
	case 1:
		return s.Outline[0]
	}
	return s.Outline
}

// Node is a point of a transport network: a motorway or expressway
// interchange, a rail freight point, a combined rail-road terminal, a
// passenger station, an airport or airfield, a seaport or a river port.
type Node struct {
	ID      string
	Name    string
	Commune string // INSEE code when the source gives it
	// Class: station segment A/B/C, airport or airfield class, port
	// status, interchange type, rail line, terminal service.
	Class  string
	Point  orb.Point
	Merged int // source rows merged into this node (interchange gates, toll and ROUTE 500 records)

	// Layer-specific attributes; each layer's snapshot file carries only
	// its own (see Layers).
	Toll         bool   // interchange: a toll interchange of the conceded network
	Major        bool   // interchange: a node of the trans-European (TEN-T) road network, a major axis
	Road         string // interchange: the road when known ("A10", "N165")
	Operator     string // rail terminal, river port: operator(s), "|"-separated
	WeeklyTrains int    // rail terminal: scheduled combined-transport trains a week (both directions)
	Links        int    // rail terminal: scheduled origin-destination links
	Source       string // the record's own provenance, beyond its layer's (source ids, classification rule)
}

// Lycee is a vocational lycée (LP or LPO), placed at its commune.
type Lycee struct {
	UAI     string
	Name    string
	Type    string // LP or LPO
	Sector  string // public or privé
	Commune string
	Point   orb.Point
	Trades  []string // trade family ids read from a "lycée des métiers de …" name
}

// Catalogue is the whole in-memory catalogue. Slices are sorted by id.
type Catalogue struct {
	Version      string // "sha256:<hex>" of the snapshot files
	Sources      []Source
	Communes     []Commune
	EPCIs        []EPCI
	Departements []Departement
	Regions      []Region
	Territoires  []Territoire
	Turnkey      []Site
	Zones        []Site
	Brownfields  []Site
	Towns        []Site // Action Cœur de Ville and Petites villes de demain
	Interchanges []Node // interchanges of motorways and expressways (ROUTE 500 and toll stations, TEN-T marked)
	RailFreight  []Node
	// RailTerminals are combined rail-road transport terminals (GNTC).
	RailTerminals []Node
	Stations      []Node
	Airports      []Node // airports with scheduled commercial service
	// Airfields are the other aerodromes: air bases, general and business
	// aviation, with their class.
	Airfields []Node
	Seaports  []Node // commercial seaports: grands ports maritimes and other ports with cargo facilities
	// RiverPorts are inland freight ports (OpenStreetMap, partial).
	RiverPorts []Node
	Lycees     []Lycee
	// Outlines holds display outlines as GeoJSON FeatureCollections, keyed
	// by OutlineLevels ("regions", "departements"): metropolitan France
	// only, simplified, for the web map; never used for distances.
	Outlines map[string][]byte

	communeIdx map[string]int
}

// OutlineLevels are the keys of Catalogue.Outlines, one per outline layer
// of Layers ("outlines_" + level).
var OutlineLevels = func() []string {
	var out []string
	for _, l := range layerTable {
		if l.Class == ClassOutline {
			out = append(out, strings.TrimPrefix(l.ID, "outlines_"))
		}
	}
	return out
}()

// OutlineFile is the snapshot file of an outline level.
func OutlineFile(level string) string { return "outlines_" + level + ".geojson" }

// Programmes of the towns layer.
const (
	ProgrammeACV = "Action Cœur de Ville"
	ProgrammePVD = "Petites villes de demain"
)

// Commune returns the commune with the INSEE code, if it exists.
func (c *Catalogue) Commune(code string) (Commune, bool) {
	if c.communeIdx == nil {
		c.indexCommunes()
	}
	i, ok := c.communeIdx[code]
	if !ok {
		return Commune{}, false
	}
	return c.Communes[i], true
}

func (c *Catalogue) indexCommunes() {
	c.communeIdx = make(map[string]int, len(c.Communes))
	for i, cm := range c.Communes {
		c.communeIdx[cm.Code] = i
	}
}

// Sites returns every candidate site, kind by kind in the order of Kinds.
func (c *Catalogue) Sites() []Site {
	n := 0
	for _, l := range layerTable {
		if l.Sites != nil {
			n += len(*l.Sites(c))
		}
	}
	out := make([]Site, 0, n)
	for _, l := range layerTable {
		if l.Sites != nil {
			out = append(out, *l.Sites(c)...)
		}
	}
	return out
}

// Counts returns the number of records per layer, keyed as in LayerNames.
func (c *Catalogue) Counts() map[string]int {
	out := map[string]int{}
	for _, l := range layerTable {
		for _, n := range l.Counts(c) {
			out[n.Key] = n.N
		}
	}
	return out
}

// Gap is a known coverage gap of a layer, stated rather than hidden.
type Gap struct {
	Layer string
	Text  string // French, for explanations
}

// Gaps lists the known coverage gaps of the catalogue (DESIGN.md, "Catalogue").
var Gaps = []Gap{
	{"motorway_interchanges", "les échangeurs des autoroutes et voies express viennent d'IGN ROUTE 500 (millésime 2020-2021) et des gares de péage 2024 : un échangeur ouvert depuis 2021 manque, ROUTE 500 compte aussi des échangeurs de routes classées qui ne sont pas à 2×2 voies, et aucun échangeur n'est connu outre-mer"},
	{"turnkey", "35 sites clés en main distincts placés (39 lignes relevées : 2 sans commune, 2 fois le même site labellisé deux fois) sur environ 180, compilés à partir de communiqués publics"},
	{"rail_freight", "les points ferroviaires ouverts au fret ne sont pas des chantiers de transport combiné (ceux-ci sont dans rail_terminal)"},
	{"rail_terminal", "chantiers de transport combiné du GNTC placés à 0,01° près (environ 1 km), trains du plan de transport de mars 2026"},
	{"airports", "aéroports à vols commerciaux réguliers selon OurAirports (scheduled_service) avec deux corrections ; bases aériennes et aviation générale à part (airfields)"},
	{"seaports", "ports de commerce seulement (grands ports maritimes et ports décentralisés à trafic de marchandises) ; Mayotte (Longoni) absent du World Port Index"},
	{"river_port", "ports fluviaux relevés dans OpenStreetMap (33 points), liste partielle : pas la liste complète de VNF"},
	{"training", "les filières des lycées ne sont connues que lorsque leur nom les indique (« lycée des métiers de … »)"},
	{"zones", "aucun inventaire national des zones d'activité : les zones viennent des imports régionaux"},
}

// Validate checks the catalogue's referential integrity: unique ids and known
// communes for every record that names one.
func (c *Catalogue) Validate() error {
	c.indexCommunes()
	seen := map[string]bool{}
	for _, s := range c.Sites() {
		if seen[s.ID] {
			return fmt.Errorf("data: duplicate site id %q", s.ID)
		}
		seen[s.ID] = true
		if _, ok := c.communeIdx[s.Commune]; !ok {
			return fmt.Errorf("data: site %q: unknown commune %q", s.ID, s.Commune)
		}
	}
	for _, l := range c.Lycees {
		if _, ok := c.communeIdx[l.Commune]; !ok {
			return fmt.Errorf("data: lycée %q: unknown commune %q", l.UAI, l.Commune)
		}
	}
	return nil
}
