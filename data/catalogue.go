package data

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/geo"
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
	FRR        string // France ruralités revitalisation class id (FRRClasses); FRRNone when the list does not name the commune
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

	// Brownfield attributes (Cartofriches); "" when the source does not know.
	SiteType   string // former use: "friche industrielle", "friche logistique", "mixte" …
	ZoneType   string // urban-planning zone type (PLU): U, AUc, AUs, A, N, Ah, Nh
	Activity   string // former activity (BASIAS/BASOL label)
	Owner      string // owner category (DGFiP), "|" between several
	Pollution  string // soil pollution: "avérée", "supposée", "peu probable", "inexistante"
	Unverified bool   // a BASIAS/BASOL record Cerema has not checked as a brownfield

	// Turnkey attributes.
	AvailableFrom string // when the land can be handed over, as the source states it ("2024", "2027-2030")
	CommittedTo   string // the named project the site is already committed to, "" when none is known
	// Outline is the site's perimeter in WGS84 lon/lat, nil for a point
	// site. When set, Point is a point inside it and the engine measures
	// distances from the outline rather than from Point. Snapshot files
	// carry no outlines: they come from the site registry (data/store).
	Outline orb.MultiPolygon
}

// Geometry returns the site's geometry as GeoJSON and GeoPackage carry it:
// its outline (a Polygon, or a MultiPolygon of several parts) or, for a
// point site, its point. Polygons are wound as RFC 7946 §3.1.6 asks
// (exterior rings counter-clockwise, holes clockwise), whatever the order
// they were written in (geo.RFC7946Winding).
func (s *Site) Geometry() orb.Geometry {
	switch len(s.Outline) {
	case 0:
		return s.Point
	case 1:
		return geo.RFC7946Winding(s.Outline[0])
	}
	return geo.RFC7946Winding(s.Outline)
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

// Lycee is a lycée that trains for industrial trades: every vocational
// lycée (LP or LPO), and the general and technological lycées (LEGT) whose
// courses (BTS, the constat's only courses in an LEGT) cover a trade family. It is
// placed at its commune.
type Lycee struct {
	UAI     string
	Name    string
	Type    string // LP, LPO or LEGT
	Sector  string // public or privé
	Commune string
	Point   orb.Point
	// Trades are the trade family ids the lycée trains for, in the order
	// of TradeFamilies; TradesSource says how they are known.
	Trades []string
	// Pupils counts, per entry of Trades, the pupils of the courses of
	// that family (constat de rentrée); nil when the trades come from the
	// name.
	Pupils       []int
	TradesSource string // TradesByCourses, TradesByName, or "" when no trade is known
}

// How a lycée's trades are known.
const (
	TradesByCourses = "courses" // the courses taught, constat de rentrée 2020 through the BCN and NSF groups
	TradesByName    = "name"    // a "lycée des métiers de …" name, for a lycée absent from the constat
)

// PupilsIn returns the pupils of the lycée's courses of a trade family (0
// when it does not teach it or the count is unknown).
func (l *Lycee) PupilsIn(family string) int {
	for i, t := range l.Trades {
		if t == family && i < len(l.Pupils) {
			return l.Pupils[i]
		}
	}
	return 0
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
	RiverPorts  []Node
	Lycees      []Lycee
	Substations []Substation    // RTE substations, metropolitan France, with Caparéseau capacity
	Seveso      []Establishment // Seveso upper-tier establishments (national priority, IED: partial)
	IO          IOTable         // INSEE input-output table, A38, and the NAF bridge
	// Facilities are the large industrial establishments of the IREP
	// register (about 2015), with their A38 branch.
	Facilities []Facility
	// Jobs are the salaried jobs by commune × APE of the Urssaf file, for
	// the départements it covers (JobsCoverage); empty when the import had
	// no such file.
	Jobs []CommuneJobs
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
	{"training", "les filières des lycées viennent des formations suivies à la rentrée 2020 (constat de rentrée, voie scolaire : ni l'apprentissage en CFA ni les baccalauréats technologiques STI2D et STL n'y figurent, un lycée général et technologique ne compte que pour ses BTS), regroupées par groupe de spécialités NSF ; un groupe compte en entier pour une famille (le groupe 221 inclut la cuisine, le 201 les systèmes numériques) ; les lycées absents du constat gardent les filières lues dans leur nom ; la famille « naval » n'a pas de groupe NSF et ne vient que des noms"},
	{"brownfields", "friches Cartofriches : la surface est celle de l'unité foncière (parcelles du propriétaire), pas toujours celle de la friche ; 54 % des fiches sont des sites BASIAS/BASOL non vérifiés par le Cerema (signalés « non vérifié ») ; les sites présents seulement dans la liste 2025-01 n'ont pas de surface"},
	{"substations", "postes électriques RTE de métropole seulement (aucun outre-mer) ; la capacité Caparéseau est une capacité d'injection réservée aux énergies renouvelables, pas une puissance de soutirage disponible pour un consommateur"},
	{"seveso", "établissements Seveso seuil haut à priorité nationale relevant de la directive IED seulement : le seuil bas et les autres sites seuil haut manquent"},
	{"establishments", "grands établissements industriels du registre IREP (vers 2015) : seulement les émetteurs au-dessus des seuils de déclaration, en métropole ; les PME et les établissements sans rejets notables manquent"},
	{"jobs", "effectifs salariés Urssaf par commune × APE : seulement les départements du fichier importé (l'extrait fourni couvre la Seine-Maritime)"},
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
		if l.Pupils != nil && len(l.Pupils) != len(l.Trades) {
			return fmt.Errorf("data: lycée %q: %d pupil counts for %d trades", l.UAI, len(l.Pupils), len(l.Trades))
		}
		for _, t := range l.Trades {
			// The engine keeps a bit per family: an unknown id would be
			// counted as the first family.
			if _, ok := TradeFamilyByID(t); !ok {
				return fmt.Errorf("data: lycée %q: unknown trade family %q", l.UAI, t)
			}
		}
	}
	for _, e := range c.Seveso {
		if _, ok := c.communeIdx[e.Commune]; !ok {
			return fmt.Errorf("data: Seveso establishment %q: unknown commune %q", e.ID, e.Commune)
		}
	}
	for _, f := range c.Facilities {
		if _, ok := c.communeIdx[f.Commune]; !ok {
			return fmt.Errorf("data: IREP establishment %q: unknown commune %q", f.ID, f.Commune)
		}
	}
	for _, j := range c.Jobs {
		if _, ok := c.communeIdx[j.Commune]; !ok {
			return fmt.Errorf("data: Urssaf jobs %s × %s: unknown commune", j.Commune, j.APE)
		}
	}
	for _, cm := range c.Communes {
		if _, ok := FRRClassByID(cm.FRR); !ok {
			return fmt.Errorf("data: commune %q: unknown FRR class %q", cm.Code, cm.FRR)
		}
	}
	return nil
}

// WithSnapshotFacts returns s with the snapshot-only facts of snap filled
// in where s has none: the brownfield attributes (site type, zone type,
// activity, owner, pollution, unverified flag) and the turnkey
// availability and commitment, which the site registry does not hold. A
// registry record that corrects a snapshot site (same id) keeps them.
func (s Site) WithSnapshotFacts(snap Site) Site {
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&s.SiteType, snap.SiteType)
	fill(&s.ZoneType, snap.ZoneType)
	fill(&s.Activity, snap.Activity)
	fill(&s.Owner, snap.Owner)
	fill(&s.Pollution, snap.Pollution)
	fill(&s.AvailableFrom, snap.AvailableFrom)
	fill(&s.CommittedTo, snap.CommittedTo)
	s.Unverified = s.Unverified || snap.Unverified
	return s
}
