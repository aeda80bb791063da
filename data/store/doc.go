// Package store is sitematch's site registry: the turnkey sites, equipped
// zones and brownfield corrections that regions edit, with their history
// and the API keys allowed to write them.
//
// # Basics
//
// [Store] is the interface the API and the CLI use; [SQLite] implements it
// on one GeoPackage file through the pure-Go driver modernc.org/sqlite
// (builds stay CGO_ENABLED=0), so QGIS and GDAL open the registry as it
// is, and package postgis implements it on PostgreSQL/PostGIS for several
// replicas on one database. The write logic is written once, in [Writer],
// over a backend's small [Tx] interface (versions, ETags, history,
// validation, imports, keys); package storetest is the behaviour suite
// both implementations pass. A [Follower] (both are) lets another process
// apply every committed write in order: [Follower.Changes] by history
// sequence number, [Follower.WaitChange] between. [Open] creates the file the first time and seeds it with the
// embedded snapshot's turnkey sites; brownfields and towns stay in the
// snapshot, and a record of kind brownfield with a snapshot brownfield's
// id corrects it. [OpenReadOnly] opens an existing registry for reading
// only, creating nothing (the match and shortlist commands). [Site.CatalogueSite] turns a record into the catalogue's
// data.Site for the matching engine, and [Overlay] applies the registry to
// a snapshot catalogue ([OverlayRecords] also returns the records, whose
// properties the OGC API collections serve; [Schema] types them).
//
// # Schema
//
// The file is a GeoPackage 1.3 (application_id "GPKG"): gpkg_spatial_ref_sys
// (EPSG:4326 and the two undefined systems), gpkg_contents and
// gpkg_geometry_columns registering the feature table sites (geometry
// column geom, type GEOMETRY: a Point, Polygon or MultiPolygon in WGS84,
// stored as GeoPackage binary: header and ISO WKB) and the attribute table
// site_history. sites has one column per field of [Site] (see [Fields]),
// plus region, lon and lat (the site's location, inside its outline) for
// readers of the file, and version, created_at, updated_at, created_by,
// updated_by. site_history holds one row per write: sequence, site id,
// version, when (UTC), who (the key name), verb, the changed fields, and
// the site before and after as GeoJSON Features; (site_id, version) is
// unique. api_keys holds name, role, région, the SHA-256 of the key (never
// the key), created and revoked dates; sitematch_meta the schema version
// and the registry's random id. No spatial index (gpkg_rtree_index) is
// created: the registry is small and filtered in memory; do not add one
// with GDAL, as its triggers call functions this driver lacks.
//
// # Writes and durability
//
// Every write is one transaction (BEGIN IMMEDIATE on a single writer
// connection) that changes the site and appends its history row; WAL
// mode with synchronous=FULL makes it durable when the call returns, and
// a busy timeout lets other processes (the CLI beside a server) wait their
// turn. Updates, patches and deletes take the version the caller read (its
// ETag, "\"v3\""); a stale one fails with [ErrConflict], no version at all
// with [ErrPreconditionRequired], and [AnyVersion] writes unconditionally.
// Versions never repeat for an id, even across a delete and a re-create.
// Invalid input is a [*ValidationError] naming each field by its path in a
// GeoJSON Feature ("properties.area_ha", "geometry.coordinates[0]").
//
// # Import
//
// [ReadImport] reads files (package reader: GeoJSON, CSV with lon/lat or a
// WKT/GeoJSON geometry column, GeoPackage layers) and maps their columns
// to fields, by name or with a [Mapping] (--map name=NOM_SITE). The CNIG
// "sites économiques" standard (schema v1.0.0) is read with a built-in
// mapping of its SITE-ECO class: site_id → id (prefixed "zone:"), site_nom
// → name, site_comm_insee → commune, site_surf_brute → area_ha,
// site_surf_comm_dispo → available_ha, site_etat → status,
// site_quali_territoire → programme, source_producteur → source,
// site_actu_date → verified_on, site_description → note, site_url → url,
// site_moa_comm (else site_moa_nom) → contact, reseau_fret_ferroviaire →
// rail_siding, reseau_eau_potable → water, site_geomsurf (else
// site_geompoint) → geometry. Its TERRAIN-ECO class (plots) is folded into
// the sites: available_ha and largest_plot_ha from terr_surf_brute of the
// plots whose terr_stade_comm says they are for sale, price_eur_m2 the
// lowest terr_m2_prix among them. Zoning, ICPE, Seveso, power and water
// flow are not in the standard and stay as they are. [SQLite.Import]
// writes a batch in one transaction, all or nothing, and reports what is
// (or, in a dry run, would be) created, updated, unchanged or invalid.
// Fields the source does not give are kept on existing sites.
//
// # Caveats
//
// The commune of a site must be one of the 12 communes whose reference
// point is nearest to its location (or within 20 km of it), which ties the
// site's région (Reference.Region) to where it is, not to a code a caller
// sends; communes have points, not boundaries, so a site right on a
// boundary may need the neighbouring code.
package store
