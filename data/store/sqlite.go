package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"sitematch/data"
	"sitematch/data/store/gpkg"
	"sitematch/geo"
)

// SRSID is the spatial reference of every stored geometry: WGS 84
// longitude/latitude (EPSG:4326).
const SRSID = 4326

// schemaVersion is the registry's own schema version, in sitematch_meta.
const schemaVersion = "1"

// Options configure Open. A nil *Options means the defaults.
type Options struct {
	// Catalogue validates communes, holds the snapshot's brownfields that
	// records of kind brownfield correct, and seeds a new store with its
	// turnkey sites. Nil: data.LoadEmbedded().
	Catalogue *data.Catalogue
	// Reference built from Catalogue, if the caller has one already.
	Reference *Reference
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// BusyTimeout bounds how long a write waits for another process's
	// write to finish; 0: 10 s.
	BusyTimeout time.Duration
	// MustExist makes Open refuse to create the registry: a missing file
	// is an error wrapping fs.ErrNotExist, and an empty file one saying it
	// is not a registry. The commands that only manage an existing
	// registry (keys list, keys revoke, registry import) set it.
	MustExist bool
}

// SQLite is the embedded Store: one GeoPackage file (SQLite) through the
// pure-Go driver modernc.org/sqlite. It is safe for concurrent use: writes
// go through a single connection, one transaction at a time (BEGIN
// IMMEDIATE), reads through a pool that WAL mode lets run beside them.
type SQLite struct {
	path string
	w    *sql.DB // the one writer connection
	r    *sql.DB // readers
	ref  *Reference
	now  func() time.Time
	wr   *Writer // the write logic, on s.run

	created bool // Open created and seeded the file
}

var (
	_ Store    = (*SQLite)(nil)
	_ Follower = (*SQLite)(nil)
)

// Open opens the registry at path, creating it when the file does not exist
// or is empty: the GeoPackage tables, the registry's tables, and the
// embedded snapshot's turnkey sites (history verb "seed"); nothing else of
// the snapshot is copied (brownfields stay in it, corrected by records of
// the same id). Reopening keeps the data. The database runs in WAL mode
// with synchronous=FULL, so a write is on disk once it returns. With
// Options.MustExist it creates nothing.
func Open(path string, opt *Options) (*SQLite, error) {
	mustExist := opt != nil && opt.MustExist
	if mustExist {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("store: open %q: %w", path, err)
		}
		if fi.Size() == 0 {
			return nil, fmt.Errorf("store: open %q: the file is empty, not a sitematch registry", path)
		}
	}
	s, dsn, err := prepare(path, opt)
	if err != nil {
		return nil, err
	}
	mode := "" // read, write, and create the file when missing
	if mustExist {
		mode = "&mode=rw" // SQLite itself refuses to create it
	}
	if s.w, err = sql.Open("sqlite", dsn(mode)); err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	if err := s.init(); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	if s.r, err = sql.Open("sqlite", dsn("&_query_only=1")); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	s.r.SetMaxOpenConns(4)
	s.checkpoint(context.Background())
	return s, nil
}

// OpenReadOnly opens an existing registry for reading only, for the
// commands that rank or report without writing (sitematch match and
// shortlist): it never creates, seeds or changes the file, and every
// write through it fails. A missing file is an error wrapping
// fs.ErrNotExist; a file that is not a sitematch registry (an empty one
// included) is an error too. A server may write the registry meanwhile
// (WAL mode lets readers run beside the writer); each read sees a
// committed state. SQLite may leave the WAL-mode side files (-wal, -shm)
// beside the database, which a read-only connection cannot remove; the
// next writer does.
func OpenReadOnly(path string, opt *Options) (*SQLite, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	s, dsn, err := prepare(path, opt)
	if err != nil {
		return nil, err
	}
	if s.r, err = sql.Open("sqlite", dsn("&mode=ro&_query_only=1")); err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	s.r.SetMaxOpenConns(4)
	s.w = s.r // writes fail: the connection is read-only
	if err := s.check(context.Background(), s.r); err != nil {
		s.r.Close()
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	return s, nil
}

// prepare returns a store for path without its connections, and the DSN
// of a connection to the file with extra parameters appended.
func prepare(path string, opt *Options) (*SQLite, func(extra string) string, error) {
	if opt == nil {
		opt = &Options{}
	}
	ref := opt.Reference
	if ref == nil {
		cat := opt.Catalogue
		if cat == nil {
			var err error
			if cat, err = data.LoadEmbedded(); err != nil {
				return nil, nil, fmt.Errorf("store: open %q: %w", path, err)
			}
		}
		ref = NewReference(cat)
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	dsn := func(extra string) string {
		u := url.URL{Scheme: "file", OmitHost: true, Path: abs}
		return u.String() + "?_txlock=immediate&_busy_timeout=" + strconv.FormatInt(busy.Milliseconds(), 10) +
			"&_journal_mode=WAL&_synchronous=FULL&_foreign_keys=1" + extra
	}
	s := &SQLite{path: path, ref: ref, now: now}
	s.wr = &Writer{Ref: ref, Now: now, Run: s.run}
	return s, dsn, nil
}

// Close closes the database.
func (s *SQLite) Close() error {
	if s.w == s.r {
		return s.r.Close()
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

// Created reports whether Open created (and seeded) the registry.
func (s *SQLite) Created() bool { return s.created }

// Path returns the file the store was opened from.
func (s *SQLite) Path() string { return s.path }

// Reference returns the catalogue reference the store validates with.
func (s *SQLite) Reference() *Reference { return s.ref }

// schema creates a GeoPackage 1.3 (application_id "GPKG", user_version
// 10300) holding the sites feature table, registered with its geometry
// column, and the registry's tables.
var schema = append(slices.Clone(gpkg.CoreSchema),
	`CREATE TABLE sites (
		fid INTEGER PRIMARY KEY AUTOINCREMENT,
		geom GEOMETRY NOT NULL,
		id TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL CHECK (kind IN ('turnkey', 'zone', 'brownfield')),
		name TEXT NOT NULL,
		commune TEXT NOT NULL,
		region TEXT NOT NULL,
		lon DOUBLE NOT NULL,
		lat DOUBLE NOT NULL,
		area_ha DOUBLE,
		available_ha DOUBLE,
		largest_plot_ha DOUBLE,
		zoning TEXT,
		icpe TEXT CHECK (icpe IN ('none', 'declaration', 'registration', 'authorisation')),
		seveso TEXT CHECK (seveso IN ('none', 'lower_tier', 'upper_tier')),
		power_mw DOUBLE,
		rail_siding BOOLEAN,
		water BOOLEAN,
		water_m3h DOUBLE,
		available_from DATE,
		price_eur_m2 DOUBLE,
		contact TEXT,
		url TEXT,
		status TEXT,
		programme TEXT,
		placement TEXT,
		source TEXT,
		verified_on DATE,
		note TEXT,
		version INTEGER NOT NULL CHECK (version > 0),
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL,
		created_by TEXT NOT NULL,
		updated_by TEXT NOT NULL)`,
	`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
		VALUES ('sites', 'features', 'sites', 'sitematch site registry: turnkey sites, equipped zones and brownfield corrections', 4326)`,
	`INSERT INTO gpkg_geometry_columns VALUES ('sites', 'geom', 'GEOMETRY', 4326, 0, 0)`,
	`CREATE TABLE site_history (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		site_id TEXT NOT NULL,
		version INTEGER NOT NULL,
		at DATETIME NOT NULL,
		who TEXT NOT NULL,
		verb TEXT NOT NULL CHECK (verb IN ('create', 'update', 'patch', 'delete', 'import', 'seed')),
		changed TEXT NOT NULL,
		before TEXT,
		after TEXT,
		UNIQUE (site_id, version))`,
	`INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
		VALUES ('site_history', 'attributes', 'site_history', 'every change to the site registry: who, when, what, before and after (GeoJSON)')`,
	`CREATE TABLE api_keys (
		name TEXT NOT NULL PRIMARY KEY,
		role TEXT NOT NULL CHECK (role IN ('admin', 'region-editor', 'reader')),
		region TEXT,
		key_sha256 TEXT NOT NULL UNIQUE,
		created_at DATETIME NOT NULL,
		revoked_at DATETIME)`,
	`CREATE TABLE sitematch_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)`,
)

// init creates and seeds a new database, or checks an existing one.
func (s *SQLite) init() error {
	ctx := context.Background()
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		if err := s.check(ctx, s.w); err != nil {
			return err
		}
		if err := s.ensureRTree(ctx); err != nil {
			return err
		}
		return s.ensureTypedLayers(ctx)
	}
	s.created = true
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, q := range slices.Concat(schema, rtreeSchema, typedLayerSchema) {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("create schema: %w", err)
			}
		}
		id := make([]byte, 16)
		rand.Read(id)
		now := s.stamp()
		if _, err := tx.ExecContext(ctx, `INSERT INTO sitematch_meta VALUES ('schema', ?), ('registry_id', ?), ('created_at', ?)`,
			schemaVersion, hex.EncodeToString(id), now.Format(timeFormat)); err != nil {
			return err
		}
		return s.wr.Seed(ctx, sqliteTx{tx}, now)
	})
}

// check verifies that db holds a registry of the schema this build reads.
func (s *SQLite) check(ctx context.Context, db *sql.DB) error {
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM sitematch_meta WHERE key = 'schema'`).Scan(&v)
	if err != nil {
		return fmt.Errorf("not a sitematch registry: %w", err)
	}
	if v != schemaVersion {
		return fmt.Errorf("registry schema version %s, this build reads %s", v, schemaVersion)
	}
	return nil
}

// stamp returns the current time as stored: UTC, milliseconds.
func (s *SQLite) stamp() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// write runs fn in one write transaction (BEGIN IMMEDIATE) and commits it.
func (s *SQLite) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.checkpoint(ctx)
	return nil
}

// siteCols is the column list read for a site; dates are concatenated
// with ” so the driver returns them as text.
const siteCols = `geom, id, kind, name, commune, area_ha, available_ha, largest_plot_ha, zoning, icpe, seveso,
	power_mw, rail_siding, water, water_m3h, available_from || '', price_eur_m2, contact, url, status, programme,
	placement, source, verified_on || '', note, version, created_at || '', updated_at || '', created_by, updated_by`

type scanner interface{ Scan(dest ...any) error }

func scanSite(row scanner) (Site, error) {
	var (
		s                                           Site
		blob                                        []byte
		area, avail, plot, power, water3, price     sql.NullFloat64
		zoning, icpe, seveso, from, contact, url    sql.NullString
		status, prog, place, source, verified, note sql.NullString
		rail, water                                 sql.NullBool
		created, updated                            string
	)
	err := row.Scan(&blob, &s.ID, &s.Kind, &s.Name, &s.Commune, &area, &avail, &plot, &zoning, &icpe, &seveso,
		&power, &rail, &water, &water3, &from, &price, &contact, &url, &status, &prog,
		&place, &source, &verified, &note, &s.Version, &created, &updated, &s.CreatedBy, &s.UpdatedBy)
	if err != nil {
		return Site{}, err
	}
	g, srs, err := gpkg.Unmarshal(blob)
	if err != nil {
		return Site{}, fmt.Errorf("site %q: %w", s.ID, err)
	}
	if srs != SRSID {
		return Site{}, fmt.Errorf("site %q: geometry in SRS %d, want %d", s.ID, srs, SRSID)
	}
	if err := s.SetGeometry(g); err != nil {
		return Site{}, fmt.Errorf("site %q: %w", s.ID, err)
	}
	if len(s.Outline) > 0 {
		s.Point = geo.RepresentativePoint(s.Outline)
	}
	fl := func(n sql.NullFloat64) *float64 {
		if !n.Valid {
			return nil
		}
		v := n.Float64
		return &v
	}
	bl := func(n sql.NullBool) *bool {
		if !n.Valid {
			return nil
		}
		v := n.Bool
		return &v
	}
	s.AreaHa, s.AvailableHa, s.LargestPlotHa, s.PowerMW, s.WaterM3h, s.PriceEURM2 =
		fl(area), fl(avail), fl(plot), fl(power), fl(water3), fl(price)
	s.RailSiding, s.Water = bl(rail), bl(water)
	s.Zoning, s.ICPE, s.Seveso, s.AvailableFrom, s.Contact, s.URL = zoning.String, icpe.String, seveso.String, from.String, contact.String, url.String
	s.Status, s.Programme, s.Placement, s.Source, s.VerifiedOn, s.Note = status.String, prog.String, place.String, source.String, verified.String, note.String
	if s.CreatedAt, err = time.Parse(timeFormat, created); err != nil {
		return Site{}, fmt.Errorf("site %q: created_at: %w", s.ID, err)
	}
	if s.UpdatedAt, err = time.Parse(timeFormat, updated); err != nil {
		return Site{}, fmt.Errorf("site %q: updated_at: %w", s.ID, err)
	}
	return s, nil
}

// siteArgs returns the values of the written columns, in writeCols order.
func siteArgs(s *Site, region string) ([]any, error) {
	blob, err := gpkg.Marshal(s.Geometry(), SRSID)
	if err != nil {
		return nil, fmt.Errorf("store: site %q: %w", s.ID, err)
	}
	str := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	num := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	bl := func(v *bool) any {
		if v == nil {
			return nil
		}
		return *v
	}
	return []any{blob, s.ID, s.Kind, s.Name, s.Commune, region, s.Point[0], s.Point[1],
		num(s.AreaHa), num(s.AvailableHa), num(s.LargestPlotHa), str(s.Zoning), str(s.ICPE), str(s.Seveso),
		num(s.PowerMW), bl(s.RailSiding), bl(s.Water), num(s.WaterM3h), str(s.AvailableFrom), num(s.PriceEURM2),
		str(s.Contact), str(s.URL), str(s.Status), str(s.Programme), str(s.Placement), str(s.Source),
		str(s.VerifiedOn), str(s.Note), s.Version, s.CreatedAt.Format(timeFormat), s.UpdatedAt.Format(timeFormat),
		s.CreatedBy, s.UpdatedBy}, nil
}

const writeCols = `geom, id, kind, name, commune, region, lon, lat, area_ha, available_ha, largest_plot_ha, zoning,
	icpe, seveso, power_mw, rail_siding, water, water_m3h, available_from, price_eur_m2, contact, url, status,
	programme, placement, source, verified_on, note, version, created_at, updated_at, created_by, updated_by`

// stored returns the stored record of id, if any, within tx.
func stored(ctx context.Context, tx *sql.Tx, id string) (Site, bool, error) {
	row := tx.QueryRowContext(ctx, `SELECT `+siteCols+` FROM sites WHERE id = ?`, id)
	s, err := scanSite(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, false, nil
	}
	if err != nil {
		return Site{}, false, fmt.Errorf("store: read %q: %w", id, err)
	}
	return s, true, nil
}

// lastVersion returns the highest version in a site's history (0 if none).
func lastVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (int64, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(version) FROM site_history WHERE site_id = ?`, id).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read history of %q: %w", id, err)
	}
	return v.Int64, nil
}

// checkVersion compares an expected ETag with the site's version.
func checkVersion(expected string, s *Site) error {
	expected = strings.TrimSpace(expected)
	switch expected {
	case "":
		return ErrPreconditionRequired
	case AnyVersion:
		return nil
	}
	for _, tag := range strings.Split(expected, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		tag = strings.Trim(tag, `"`)
		if tag == AnyVersion || tag == "v"+strconv.FormatInt(s.Version, 10) {
			return nil
		}
	}
	return fmt.Errorf("%w: %q is at %s, not %s", ErrConflict, s.ID, s.ETag(), expected)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Get returns a site (see Store.Get).
func (s *SQLite) Get(ctx context.Context, id string) (Site, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+siteCols+` FROM sites WHERE id = ?`, id)
	site, err := scanSite(row)
	if err == nil {
		return site, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Site{}, fmt.Errorf("store: read %q: %w", id, err)
	}
	snap, ok := s.ref.snapshotBrownfield(id)
	if !ok {
		return Site{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if snap.Version, err = lastVersion(ctx, s.r, id); err != nil {
		return Site{}, err
	}
	return snap, nil
}

// List returns stored sites matching q, ordered by id.
func (s *SQLite) List(ctx context.Context, q Query) (Page, error) {
	query := `SELECT ` + siteCols + ` FROM sites`
	var args []any
	if len(q.Kinds) > 0 {
		query += ` WHERE kind IN (` + placeholders(len(q.Kinds)) + `)`
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	rows, err := s.r.QueryContext(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return Page{}, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	var page Page
	for rows.Next() {
		site, err := scanSite(rows)
		if err != nil {
			return Page{}, fmt.Errorf("store: list: %w", err)
		}
		if q.BBox != nil && !q.BBox.Intersects(site.Geometry().Bound()) {
			continue
		}
		page.Matched++
		if page.Matched <= q.Offset || (q.Limit > 0 && len(page.Sites) >= q.Limit) {
			continue
		}
		page.Sites = append(page.Sites, site)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("store: list: %w", err)
	}
	return page, nil
}

// History returns a site's changes, oldest first. An id with no history
// is ErrNotFound unless it is a snapshot brownfield (empty history).
func (s *SQLite) History(ctx context.Context, id string) ([]Change, error) {
	out, err := s.changes(ctx, `WHERE site_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("store: history of %q: %w", id, err)
	}
	if len(out) == 0 {
		if err := s.ref.NoHistory(id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Changes returns the history entries after sequence number seq, oldest
// first, at most limit (0: all): how a follower catches up (see Follower).
func (s *SQLite) Changes(ctx context.Context, seq int64, limit int) ([]Change, error) {
	q := `WHERE seq > ? ORDER BY seq`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	out, err := s.changes(ctx, q, seq)
	if err != nil {
		return nil, fmt.Errorf("store: changes after %d: %w", seq, err)
	}
	return out, nil
}

// Seq returns the last committed history sequence number (0: none).
func (s *SQLite) Seq(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT max(seq) FROM site_history`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: revision: %w", err)
	}
	return seq.Int64, nil
}

// PollInterval is how often WaitChange looks at a GeoPackage registry's
// revision: another process's writes reach a follower within it.
const PollInterval = 250 * time.Millisecond

// WaitChange returns after PollInterval (or max, if shorter): a file has
// no notifications, so a follower polls Seq. The error is the context's.
func (s *SQLite) WaitChange(ctx context.Context, max time.Duration) error {
	t := time.NewTimer(min(max, PollInterval))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *SQLite) changes(ctx context.Context, where string, arg any) ([]Change, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, site_id, version, at || '', who, verb, changed, before, after
		FROM site_history `+where, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var (
			c             Change
			at, changed   string
			before, after sql.NullString
		)
		if err := rows.Scan(&c.Seq, &c.SiteID, &c.Version, &at, &c.Who, &c.Verb, &changed, &before, &after); err != nil {
			return nil, err
		}
		if c.At, err = time.Parse(timeFormat, at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(changed), &c.Changed); err != nil {
			return nil, err
		}
		c.Before, c.After = json.RawMessage("null"), json.RawMessage("null")
		if before.Valid {
			c.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			c.After = json.RawMessage(after.String)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Revision returns "<registry id>:<last history sequence number>".
func (s *SQLite) Revision(ctx context.Context) (string, error) {
	var (
		id  string
		seq sql.NullInt64
	)
	if err := s.r.QueryRowContext(ctx, `SELECT (SELECT value FROM sitematch_meta WHERE key = 'registry_id'),
		(SELECT max(seq) FROM site_history)`).Scan(&id, &seq); err != nil {
		return "", fmt.Errorf("store: revision: %w", err)
	}
	return id + ":" + strconv.FormatInt(seq.Int64, 10), nil
}

// newID returns "<kind>:" and 10 random base32 characters.
func newID(kind string) string {
	b := make([]byte, 10)
	rand.Read(b)
	return kind + ":" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
}

// applyFields returns cur with the named fields taken from v.
func applyFields(cur, v Site, names []string) Site {
	next := cur
	next.Outline = slices.Clone(cur.Outline)
	for _, name := range names {
		if name == "geometry" {
			next.Point, next.Outline = v.Point, v.Outline
			continue
		}
		if f, ok := fieldByName(name); ok && !f.book {
			f.set(&next, f.get(&v))
		}
	}
	return next
}

// Checksum returns the SHA-256 of every row of the registry's site and
// history tables, in a fixed order: equal checksums mean equal contents.
func (s *SQLite) Checksum(ctx context.Context) (string, error) {
	return checksum(ctx, s.r)
}

// checksum hashes every row of sites (by id) and site_history (by seq).
func checksum(ctx context.Context, db *sql.DB) (string, error) {
	h := sha256.New()
	for _, q := range []string{`SELECT * FROM sites ORDER BY id`, `SELECT * FROM site_history ORDER BY seq`} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return "", fmt.Errorf("store: checksum: %w", err)
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return "", fmt.Errorf("store: checksum: %w", err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", fmt.Errorf("store: checksum: %w", err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T\x00%v\x00", v, v)
			}
			h.Write([]byte{'\n'})
		}
		if err := rows.Close(); err != nil {
			return "", fmt.Errorf("store: checksum: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// IntegrityCheck runs SQLite's integrity check and the registry's own:
// every stored site's version has its history row.
func (s *SQLite) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := s.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("store: integrity check: %s", res)
	}
	var orphans int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sites s WHERE NOT EXISTS
		(SELECT 1 FROM site_history h WHERE h.site_id = s.id AND h.version = s.version)`).Scan(&orphans); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if orphans > 0 {
		return fmt.Errorf("store: integrity check: %d sites without the history row of their version", orphans)
	}
	return nil
}

// Create adds a site (see Store.Create).
func (s *SQLite) Create(ctx context.Context, who string, site Site) (Site, error) {
	return s.wr.Create(ctx, who, site)
}

// Update replaces a site (see Store.Update).
func (s *SQLite) Update(ctx context.Context, who, id, expected string, site Site) (Site, error) {
	return s.wr.Update(ctx, who, id, expected, site)
}

// Patch changes some properties of a site (see Store.Patch).
func (s *SQLite) Patch(ctx context.Context, who, id, expected string, p Patch) (Site, error) {
	return s.wr.Patch(ctx, who, id, expected, p)
}

// Delete removes a stored site (see Store.Delete).
func (s *SQLite) Delete(ctx context.Context, who, id, expected string) error {
	return s.wr.Delete(ctx, who, id, expected)
}

// Import writes a batch in one transaction, all or nothing (see
// Writer.Import).
func (s *SQLite) Import(ctx context.Context, who string, batch []ImportItem, opt ImportOptions) (*ImportReport, error) {
	return s.wr.Import(ctx, who, batch, opt)
}

// CreateKey creates an API key (see Writer.CreateKey).
func (s *SQLite) CreateKey(ctx context.Context, name, role, region string) (string, Key, error) {
	return s.wr.CreateKey(ctx, name, role, region)
}

// Revoke revokes a key by name; revoking a revoked key does nothing.
func (s *SQLite) Revoke(ctx context.Context, name string) error {
	return s.wr.Revoke(ctx, name)
}

// run runs fn in one write transaction of the writer connection.
func (s *SQLite) run(ctx context.Context, fn func(Tx) error) error {
	return s.write(ctx, func(tx *sql.Tx) error { return fn(sqliteTx{tx}) })
}

// sqliteTx is a write transaction on the GeoPackage file.
type sqliteTx struct{ tx *sql.Tx }

func (t sqliteTx) Stored(ctx context.Context, id string) (Site, bool, error) {
	return stored(ctx, t.tx, id)
}

func (t sqliteTx) LastVersion(ctx context.Context, id string) (int64, error) {
	return lastVersion(ctx, t.tx, id)
}

func (t sqliteTx) Put(ctx context.Context, site *Site, region string, exists bool) error {
	args, err := siteArgs(site, region)
	if err != nil {
		return err
	}
	if exists {
		_, err = t.tx.ExecContext(ctx, `UPDATE sites SET (`+writeCols+`) = (`+placeholders(len(args))+`) WHERE id = ?`,
			append(args, site.ID)...)
	} else {
		_, err = t.tx.ExecContext(ctx, `INSERT INTO sites (`+writeCols+`) VALUES (`+placeholders(len(args))+`)`, args...)
	}
	if err != nil {
		return err
	}
	return indexSite(ctx, t.tx, site.ID, site)
}

func (t sqliteTx) Remove(ctx context.Context, id string) error {
	if err := unindexSite(ctx, t.tx, id); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(ctx, `DELETE FROM sites WHERE id = ?`, id)
	return err
}

// Append inserts the history row and refreshes gpkg_contents: the last
// change, and the extent, which grows with every write and never shrinks
// (GeoPackage readers take it as informative).
func (t sqliteTx) Append(ctx context.Context, c Change, after *Site) error {
	nullJSON := func(j json.RawMessage) any {
		if j == nil {
			return nil
		}
		return string(j)
	}
	at := c.At.Format(timeFormat)
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO site_history (site_id, version, at, who, verb, changed, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.SiteID, c.Version, at, c.Who, c.Verb, ChangedJSON(c),
		nullJSON(c.Before), nullJSON(c.After)); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE gpkg_contents SET last_change = ? WHERE table_name IN ('sites', 'site_history')`,
		at); err != nil {
		return fmt.Errorf("update gpkg_contents: %w", err)
	}
	if after == nil {
		return nil
	}
	bb := after.Geometry().Bound()
	if _, err := t.tx.ExecContext(ctx, `UPDATE gpkg_contents SET
		min_x = min(coalesce(min_x, ?1), ?1), min_y = min(coalesce(min_y, ?2), ?2),
		max_x = max(coalesce(max_x, ?3), ?3), max_y = max(coalesce(max_y, ?4), ?4)
		WHERE table_name = 'sites'`, bb.Min[0], bb.Min[1], bb.Max[0], bb.Max[1]); err != nil {
		return fmt.Errorf("update gpkg_contents: %w", err)
	}
	return nil
}

func (t sqliteTx) KeyState(ctx context.Context, name string) (exists, revoked bool, err error) {
	var at sql.NullString
	err = t.tx.QueryRowContext(ctx, `SELECT revoked_at || '' FROM api_keys WHERE name = ?`, name).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	return true, at.Valid, nil
}

func (t sqliteTx) InsertKey(ctx context.Context, k Key, hash string) error {
	var reg any
	if k.Region != "" {
		reg = k.Region
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO api_keys (name, role, region, key_sha256, created_at) VALUES (?, ?, ?, ?, ?)`,
		k.Name, k.Role, reg, hash, k.CreatedAt.Format(timeFormat))
	return err
}

func (t sqliteTx) RevokeKey(ctx context.Context, name string, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE name = ?`, at.Format(timeFormat), name)
	return err
}
