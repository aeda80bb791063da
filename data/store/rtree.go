package store

import (
	"context"
	"database/sql"
	"fmt"

	"sitematch/data/store/gpkg"
)

// The GeoPackage R-tree spatial index extension (gpkg_rtree_index, OGC
// 12-128r18 Annex F.3) on sites.geom: a virtual R*Tree table,
// rtree_sites_geom, holding one row per site (its fid and the bounding box
// of its geometry), registered in gpkg_extensions, so that GDAL and QGIS
// answer a bbox query on the file without reading every row
// (ogrinfo -sql "SELECT HasSpatialIndex('sites','geom')" says 1).
//
// The specification keeps the index up to date with triggers that call
// ST_MinX and the like, functions GDAL registers in its SQLite connections
// but the pure-Go driver lacks. The store therefore maintains the rows
// itself, in the write's own transaction (sqliteTx.Put and Remove), so
// that the index never differs from the table; a file of this schema made
// before the index existed gets it, filled from its rows, on its next
// opening for writing (ensureRTree). A tool that edits the file (QGIS,
// ogr2ogr -update) does not see triggers, so it does not update the index:
// the registry is meant to be written through sitematch, and the file
// handed over to be read.
const rtreeTable = "rtree_sites_geom"

// rtreeSchema creates the index and registers it.
var rtreeSchema = []string{
	`CREATE VIRTUAL TABLE ` + rtreeTable + ` USING rtree(id, minx, maxx, miny, maxy)`,
	`CREATE TABLE IF NOT EXISTS gpkg_extensions (
		table_name TEXT,
		column_name TEXT,
		extension_name TEXT NOT NULL,
		definition TEXT NOT NULL,
		scope TEXT NOT NULL,
		CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	`INSERT INTO gpkg_extensions VALUES ('sites', 'geom', 'gpkg_rtree_index',
		'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
}

// execer is a transaction or a database.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// indexSite writes the index row of the site with id, whose geometry
// bound is b, after its row in sites was written.
func indexSite(ctx context.Context, tx execer, id string, site *Site) error {
	b := site.Geometry().Bound()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO `+rtreeTable+` (id, minx, maxx, miny, maxy)
		SELECT fid, ?, ?, ?, ? FROM sites WHERE id = ?`, b.Min[0], b.Max[0], b.Min[1], b.Max[1], id); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	return nil
}

// unindexSite removes the index row of the site with id, before its row
// in sites is deleted.
func unindexSite(ctx context.Context, tx execer, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+rtreeTable+` WHERE id = (SELECT fid FROM sites WHERE id = ?)`, id); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	return nil
}

// ensureRTree creates and fills the index of a registry made without
// one.
func (s *SQLite) ensureRTree(ctx context.Context) error {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = ?`, rtreeTable).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, q := range rtreeSchema {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("create the spatial index: %w", err)
			}
		}
		return fillRTree(ctx, tx)
	})
}

// fillRTree indexes every row of sites.
func fillRTree(ctx context.Context, tx execer) error {
	rows, err := tx.QueryContext(ctx, `SELECT fid, geom FROM sites`)
	if err != nil {
		return err
	}
	type entry struct {
		fid                    int64
		minx, maxx, miny, maxy float64
	}
	var es []entry
	for rows.Next() {
		var (
			fid  int64
			blob []byte
		)
		if err := rows.Scan(&fid, &blob); err != nil {
			rows.Close()
			return err
		}
		g, _, err := gpkg.Unmarshal(blob)
		if err != nil {
			rows.Close()
			return fmt.Errorf("site fid %d: %w", fid, err)
		}
		b := g.Bound()
		es = append(es, entry{fid, b.Min[0], b.Max[0], b.Min[1], b.Max[1]})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range es {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+rtreeTable+` VALUES (?, ?, ?, ?, ?)`, e.fid, e.minx, e.maxx, e.miny, e.maxy); err != nil {
			return fmt.Errorf("spatial index: %w", err)
		}
	}
	return nil
}
