package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Layers of one geometry type. The sites table holds points (a site known
// by its location) and polygons (a site's outline, Polygon or
// MultiPolygon) in one GEOMETRY column, which a GeoPackage allows but a
// Shapefile, one geometry type per file, does not: ogr2ogr -f "ESRI
// Shapefile" of sites stops at the first polygon. Two views, registered as
// feature layers, split it by type: sites_point (POINT) and sites_polygon
// (MULTIPOLYGON; a Shapefile polygon holds one or several parts), each
// with every column of sites, so that `ogr2ogr -f "ESRI Shapefile" out
// registry.gpkg sites_point` (and sites_polygon) exports a layer whole.
// The store API and the sites table stay as they are; the views follow
// every write by construction.
//
// The type is read from the geometry blob without a spatial function (the
// pure-Go driver has none): the store writes points without an envelope,
// so their WKB starts at byte 9 with its type at byte 10 (1, Point), and
// polygons with a 32-byte envelope, so their WKB type is at byte 42 (3,
// Polygon, or 6, MultiPolygon); gpkg.Marshal writes exactly these headers
// (little-endian).
var typedLayerSchema = []string{
	`CREATE VIEW sites_point AS SELECT * FROM sites WHERE substr(geom, 10, 1) = x'01'`,
	`CREATE VIEW sites_polygon AS SELECT * FROM sites WHERE substr(geom, 4, 1) = x'03' AND substr(geom, 42, 1) IN (x'03', x'06')`,
	`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
		('sites_point', 'features', 'sites_point', 'the sites of the registry known by a point (a view of sites)', 4326),
		('sites_polygon', 'features', 'sites_polygon', 'the sites of the registry with an outline (a view of sites)', 4326)`,
	`INSERT INTO gpkg_geometry_columns VALUES ('sites_point', 'geom', 'POINT', 4326, 0, 0),
		('sites_polygon', 'geom', 'MULTIPOLYGON', 4326, 0, 0)`,
}

// ensureTypedLayers creates the views in a registry made without them.
func (s *SQLite) ensureTypedLayers(ctx context.Context) error {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'sites_point'`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, q := range typedLayerSchema {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("create the typed layers: %w", err)
			}
		}
		return nil
	})
}
