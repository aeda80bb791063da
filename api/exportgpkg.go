package api

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data/store/gpkg"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// exportLayer is the feature table of a result's GeoPackage.
const exportLayer = "sitematch_results"

// geoPackage is the rows as a GeoPackage 1.3 file: the core tables
// (gpkg.CoreSchema) and one POINT feature table, sitematch_results, in
// EPSG:4326 (longitude, latitude), with the columns of t.columns and its
// extent in gpkg_contents. The file is written in a temporary directory
// (SQLite needs a file) and read back whole; journal_mode stays DELETE, so
// the file is complete once closed.
func (t *exportTable) geoPackage() ([]byte, error) {
	dir, err := os.MkdirTemp("", "sitematch-export-")
	if err != nil {
		return nil, fmt.Errorf("api: GeoPackage export: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "export.gpkg")
	if err := t.writeGeoPackage(path); err != nil {
		return nil, fmt.Errorf("api: GeoPackage export: %w", err)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("api: GeoPackage export: %w", err)
	}
	return body, nil
}

func (t *exportTable) writeGeoPackage(path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(DELETE)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	cols := t.columns()
	ddl := []string{"fid INTEGER PRIMARY KEY AUTOINCREMENT", "geom POINT NOT NULL"}
	names := []string{"geom"}
	for _, c := range cols {
		ddl = append(ddl, `"`+c.Name+`" `+c.Type)
		names = append(names, `"`+c.Name+`"`)
	}
	var b orb.Bound
	for i, r := range t.Rows {
		p := orb.Point{r.Site.Lon, r.Site.Lat}
		if i == 0 {
			b = p.Bound()
		}
		b = b.Extend(p)
	}
	stmts := append(append([]string{}, gpkg.CoreSchema...),
		`CREATE TABLE `+exportLayer+` (`+strings.Join(ddl, ", ")+`)`)
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%.60s: %w", s, err)
		}
	}
	desc := fmt.Sprintf("sitematch %s answer (data %s): one row per site", t.Op, t.DataVersion)
	if len(t.Rows) > 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
			VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)`, exportLayer, exportLayer, desc, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
			VALUES (?, 'features', ?, ?, 4326)`, exportLayer, exportLayer, desc)
	}
	if err != nil {
		return fmt.Errorf("gpkg_contents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)`, exportLayer); err != nil {
		return fmt.Errorf("gpkg_geometry_columns: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO `+exportLayer+` (`+strings.Join(names, ", ")+`) VALUES (?`+
		strings.Repeat(", ?", len(cols))+`)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	args := make([]any, len(cols)+1)
	for i := range t.Rows {
		r := &t.Rows[i]
		g, err := gpkg.Marshal(orb.Point{r.Site.Lon, r.Site.Lat}, 4326)
		if err != nil {
			return err
		}
		args[0] = g
		for j, c := range cols {
			args[j+1] = c.value(r)
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return tx.Commit()
}
