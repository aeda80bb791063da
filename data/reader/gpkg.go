package reader

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"sitematch/data/store/gpkg"
)

// ReadGeoPackage reads a feature layer of a GeoPackage, read-only: layer
// names it, or "" for the file's only feature layer. Geometries in EPSG:4326
// are taken as they are, in EPSG:2154 (Lambert-93) converted; any other SRS
// is an error.
func ReadGeoPackage(path, layer string) (*Layer, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("reader: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "open", Err: err}
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: abs}
	db, err := sql.Open("sqlite", u.String()+"?mode=ro&_query_only=1")
	if err != nil {
		return nil, &Error{File: path, Msg: "open", Err: err}
	}
	defer db.Close()
	rows, err := db.Query(`SELECT g.table_name, g.column_name, g.srs_id FROM gpkg_geometry_columns g
		JOIN gpkg_contents c ON c.table_name = g.table_name WHERE c.data_type = 'features' ORDER BY g.table_name`)
	if err != nil {
		return nil, &Error{File: path, Msg: "not a GeoPackage (no gpkg_geometry_columns)", Err: err}
	}
	type lyr struct {
		table, column string
		srs           int32
	}
	var layers []lyr
	for rows.Next() {
		var l lyr
		if err := rows.Scan(&l.table, &l.column, &l.srs); err != nil {
			rows.Close()
			return nil, &Error{File: path, Msg: "read layers", Err: err}
		}
		layers = append(layers, l)
	}
	rows.Close()
	var names []string
	var chosen *lyr
	for i := range layers {
		names = append(names, layers[i].table)
		if layers[i].table == layer {
			chosen = &layers[i]
		}
	}
	switch {
	case chosen == nil && layer != "":
		return nil, &Error{File: path, Msg: fmt.Sprintf("no feature layer %q (layers: %s)", layer, strings.Join(names, ", "))}
	case chosen == nil && len(layers) == 1:
		chosen = &layers[0]
	case chosen == nil && len(layers) == 0:
		return nil, &Error{File: path, Msg: "no feature layer"}
	case chosen == nil:
		return nil, &Error{File: path, Msg: fmt.Sprintf("several feature layers (%s): choose one", strings.Join(names, ", "))}
	}
	if chosen.srs != 4326 && chosen.srs != 2154 {
		return nil, &Error{File: path, Msg: fmt.Sprintf("layer %s is in SRS %d: give WGS84 (4326) or Lambert-93 (2154)", chosen.table, chosen.srs)}
	}
	q := `SELECT * FROM "` + strings.ReplaceAll(chosen.table, `"`, `""`) + `"`
	rows, err = db.Query(q)
	if err != nil {
		return nil, &Error{File: path, Msg: "read layer " + chosen.table, Err: err}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, &Error{File: path, Msg: "read layer " + chosen.table, Err: err}
	}
	l := &Layer{Name: chosen.table}
	for _, c := range cols {
		if c != chosen.column {
			l.Columns = append(l.Columns, c)
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, &Error{File: path, Msg: "read layer " + chosen.table, Err: err}
		}
		f := Feature{Ref: fmt.Sprintf("%s: layer %s, row %d", path, chosen.table, n+1), Properties: map[string]any{}}
		for i, c := range cols {
			v := vals[i]
			if c == chosen.column {
				blob, _ := v.([]byte)
				if blob == nil {
					continue
				}
				g, srs, err := gpkg.Unmarshal(blob)
				switch {
				case errors.Is(err, gpkg.ErrUnsupported):
					f.Err = fmt.Errorf("%s: a site is a Point, Polygon or MultiPolygon: %w", c, err)
				case err != nil:
					f.Err = fmt.Errorf("%s: %w", c, err)
				case srs == 2154 || (srs != 4326 && chosen.srs == 2154):
					f.Geometry = FromLambert93(g)
				default:
					f.Geometry = g
				}
				continue
			}
			switch x := v.(type) {
			case []byte:
				v = string(x)
			case time.Time: // the driver parses DATE and DATETIME columns
				if x.Equal(x.Truncate(24 * time.Hour)) {
					v = x.Format("2006-01-02")
				} else {
					v = x.Format(time.RFC3339Nano)
				}
			}
			f.Properties[c] = v
		}
		l.Features = append(l.Features, f)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, &Error{File: path, Msg: "read layer " + chosen.table, Err: err}
	}
	return l, nil
}
