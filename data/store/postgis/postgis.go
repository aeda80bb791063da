// Package postgis is the site registry on PostgreSQL 15+ with PostGIS 3:
// the same [store.Store] as the GeoPackage file, for deployments where
// several API replicas share one database.
//
// The write logic (versions and ETags, history, validation, imports in
// one transaction, keys kept as SHA-256 hashes) is store.Writer's, shared
// with the GeoPackage store; this package supplies its transactions
// (pgx v5) and the reads. Geometries cross the wire as EWKB (go-geom),
// in a geometry(Geometry, 4326) column restricted to points, polygons and
// multipolygons, with a GiST index that List's box queries use.
//
// The schema is versioned: [Open] applies the pending migrations in one
// transaction under an advisory lock (so replicas starting together
// migrate once) and records each in schema_migrations; a database newer
// than the build is refused. A new database is seeded with the snapshot's
// turnkey sites, as the GeoPackage store is.
//
// Writes are serialised by a transaction-level advisory lock, so history
// sequence numbers commit in order and the revision ("<registry id>:<last
// sequence>") only grows; each committed write sends NOTIFY on [Channel]
// with its revision, which followers (package follow) LISTEN to.
package postgis

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	geom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"

	"sitematch/data"
	"sitematch/data/store"
	"sitematch/data/store/gpkg"
	"sitematch/geo"
)

// Channel is the LISTEN/NOTIFY channel on which every committed write
// announces the registry's new revision.
const Channel = "sitematch_registry"

// Advisory lock keys (pg_advisory_xact_lock): one for migrations, one
// serialising writes.
const (
	lockMigrate int64 = 0x73697465_6d696701 // "sitemig"
	lockWrite   int64 = 0x73697465_77726901 // "sitewri"
)

// IsDSN reports whether a --db value names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a GeoPackage file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Store is the registry in a PostgreSQL/PostGIS database. It is safe for
// concurrent use (a pgx connection pool).
type Store struct {
	pool       *pgxpool.Pool
	ref        *store.Reference
	wr         *store.Writer
	registryID string
	dsn        string
	created    bool // Open created (and seeded) the registry

	listenMu sync.Mutex // one WaitChange at a time
	listener *pgx.Conn  // LISTENing on Channel; nil until WaitChange, or after a failure
}

var _ store.Follower = (*Store)(nil)

// Open connects to the database named by dsn, applies the pending schema
// migrations and, on a new database, seeds the snapshot's turnkey sites.
// With opt.MustExist it changes nothing and refuses a database that holds
// no registry. The postgis extension is created when missing (which needs
// the privilege to; an operator may create it beforehand).
func Open(ctx context.Context, dsn string, opt *store.Options) (*Store, error) {
	return open(ctx, dsn, opt, false)
}

// OpenReadOnly connects for reading only (sitematch match and shortlist):
// every transaction is read-only, nothing is migrated or seeded, and a
// database without a registry of this build's schema is an error.
func OpenReadOnly(ctx context.Context, dsn string, opt *store.Options) (*Store, error) {
	return open(ctx, dsn, opt, true)
}

func open(ctx context.Context, dsn string, opt *store.Options, readOnly bool) (*Store, error) {
	if opt == nil {
		opt = &store.Options{}
	}
	ref := opt.Reference
	if ref == nil {
		cat := opt.Catalogue
		if cat == nil {
			var err error
			if cat, err = data.LoadEmbedded(); err != nil {
				return nil, fmt.Errorf("postgis: open: %w", err)
			}
		}
		ref = store.NewReference(cat)
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgis: open: %w", errInvalidDSN) // err may quote the password
	}
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	// The DSN's own settings win (application_name, pool_max_conns, and
	// libpq's variables: PGPASSWORD, PGSSLMODE, …).
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "sitematch"
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if readOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if !strings.Contains(dsn, "pool_max_conns") && cfg.MaxConns < 8 {
		cfg.MaxConns = 8 // pgxpool's default is the CPU count: 2 here
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgis: open: %w", err)
	}
	s := &Store{pool: pool, ref: ref, dsn: dsn}
	s.wr = &store.Writer{Ref: ref, Now: now, Run: s.run}
	if readOnly || opt.MustExist {
		err = s.check(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err == nil {
		err = pool.QueryRow(ctx, `SELECT value FROM sitematch_meta WHERE key = 'registry_id'`).Scan(&s.registryID)
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgis: open %s: %w", Redact(dsn), err)
	}
	return s, nil
}

// Redact returns a DSN without its password, for messages and logs.
func Redact(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "postgres://(unparsable DSN)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// errInvalidDSN replaces a DSN parse error, whose text may quote the
// password.
var errInvalidDSN = errors.New("invalid PostgreSQL DSN (postgres://user:password@host:port/database?sslmode=…)")

// Close closes the connection pool (and the listening connection, after
// the WaitChange in progress returns).
func (s *Store) Close() error {
	s.pool.Close()
	s.listenMu.Lock()
	defer s.listenMu.Unlock()
	if s.listener != nil {
		s.listener.Close(context.Background())
		s.listener = nil
	}
	return nil
}

// WaitChange returns when a NOTIFY on Channel arrives (a write committed,
// here or on another replica), or after max. It LISTENs on a connection
// of its own, opened on first use and again after a failure, which it
// returns: the follower then catches up by Changes, which sees every write
// committed while no one listened.
func (s *Store) WaitChange(ctx context.Context, max time.Duration) error {
	s.listenMu.Lock()
	defer s.listenMu.Unlock()
	if s.listener == nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		conn, err := pgx.ConnectConfig(cctx, s.pool.Config().ConnConfig.Copy())
		if err != nil {
			return unavailable(fmt.Errorf("store: listen: %w", err))
		}
		if _, err := conn.Exec(cctx, `LISTEN `+Channel); err != nil {
			conn.Close(context.Background())
			return fmt.Errorf("store: listen: %w", err)
		}
		s.listener = conn
		return nil // listening from now: the caller catches up first
	}
	wctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	_, err := s.listener.WaitForNotification(wctx)
	switch {
	case err == nil:
		// Drain what else arrived: one catch-up applies them all.
		for {
			dctx, dcancel := context.WithTimeout(ctx, time.Millisecond)
			_, err := s.listener.WaitForNotification(dctx)
			dcancel()
			if err != nil {
				break
			}
		}
		if s.listener.IsClosed() {
			s.listener = nil
		}
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case wctx.Err() != nil && !s.listener.IsClosed():
		return nil // max elapsed without a notification
	}
	s.listener.Close(context.Background())
	s.listener = nil
	return fmt.Errorf("store: listen: %w", err)
}

// Reference returns the catalogue reference the store validates with.
func (s *Store) Reference() *store.Reference { return s.ref }

// Created reports whether Open created (and seeded) the registry.
func (s *Store) Created() bool { return s.created }

// DSN returns the connection string the store was opened with.
func (s *Store) DSN() string { return s.dsn }

// Pool returns the connection pool, for followers and tests.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// migration is one step of the schema, applied once, in order.
type migration struct {
	version int
	name    string
	stmts   []string
}

// migrations is the schema's history. Append, never edit: a database
// records the versions it has applied.
var migrations = []migration{
	{1, "sites, site_history, api_keys, sitematch_meta", []string{
		`CREATE EXTENSION IF NOT EXISTS postgis`,
		// A function, not a CHECK on GeometryType(geom) = …, which the
		// geometry_columns view would read as the column's only type.
		`CREATE FUNCTION sitematch_geometry_allowed(g geometry) RETURNS boolean
			LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
			RETURN GeometryType(g) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')`,
		`CREATE TABLE sites (
			id text PRIMARY KEY,
			geom geometry(Geometry, 4326) NOT NULL
				CHECK (sitematch_geometry_allowed(geom)),
			kind text NOT NULL CHECK (kind IN ('turnkey', 'zone', 'brownfield')),
			name text NOT NULL,
			commune text NOT NULL,
			region text NOT NULL,
			lon double precision NOT NULL,
			lat double precision NOT NULL,
			area_ha double precision,
			available_ha double precision,
			largest_plot_ha double precision,
			zoning text,
			icpe text CHECK (icpe IN ('none', 'declaration', 'registration', 'authorisation')),
			seveso text CHECK (seveso IN ('none', 'lower_tier', 'upper_tier')),
			power_mw double precision,
			rail_siding boolean,
			water boolean,
			water_m3h double precision,
			available_from date,
			price_eur_m2 double precision,
			contact text,
			url text,
			status text,
			programme text,
			placement text,
			source text,
			verified_on date,
			note text,
			version bigint NOT NULL CHECK (version > 0),
			created_at timestamptz NOT NULL,
			updated_at timestamptz NOT NULL,
			created_by text NOT NULL,
			updated_by text NOT NULL)`,
		`CREATE INDEX sites_geom_gist ON sites USING gist (geom)`,
		`CREATE INDEX sites_kind ON sites (kind)`,
		`CREATE TABLE site_history (
			seq bigserial PRIMARY KEY,
			site_id text NOT NULL,
			version bigint NOT NULL,
			at timestamptz NOT NULL,
			who text NOT NULL,
			verb text NOT NULL CHECK (verb IN ('create', 'update', 'patch', 'delete', 'import', 'seed')),
			changed text[] NOT NULL,
			before json,
			after json,
			UNIQUE (site_id, version))`,
		`CREATE TABLE api_keys (
			name text PRIMARY KEY,
			role text NOT NULL CHECK (role IN ('admin', 'region-editor', 'reader')),
			region text,
			key_sha256 text NOT NULL UNIQUE,
			created_at timestamptz NOT NULL,
			revoked_at timestamptz)`,
		`CREATE TABLE sitematch_meta (key text PRIMARY KEY, value text NOT NULL)`,
	}},
}

// SchemaVersion is the schema version this build reads and writes: the
// last migration's.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate applies the pending migrations and seeds a new registry, in one
// transaction under the migration lock.
func (s *Store) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockMigrate); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY,
			name text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("schema_migrations: %w", err)
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return err
		}
		if have > SchemaVersion() {
			return fmt.Errorf("the database's schema is at version %d, newer than this build's %d: upgrade sitematch", have, SchemaVersion())
		}
		for _, m := range migrations {
			if m.version <= have {
				continue
			}
			for _, q := range m.stmts {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM sitematch_meta WHERE key = 'registry_id'`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		id := make([]byte, 16)
		rand.Read(id)
		now := s.wr.Stamp()
		s.created = true
		if _, err := tx.Exec(ctx, `INSERT INTO sitematch_meta VALUES ('registry_id', $1), ('created_at', $2)`,
			hex.EncodeToString(id), now.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return s.wr.Seed(ctx, &pgTx{tx: tx}, now)
	})
}

// check verifies, changing nothing, that the database holds a registry at
// this build's schema version.
func (s *Store) check(ctx context.Context) error {
	var have int
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
		return errors.New("the database holds no sitematch registry (no schema_migrations table): serve or keys create make one")
	}
	if err != nil {
		return err
	}
	if have != SchemaVersion() {
		return fmt.Errorf("the database's schema is at version %d, this build reads %d", have, SchemaVersion())
	}
	return nil
}

// unavailable wraps err with store.ErrUnavailable when it says that the
// database cannot be reached: no answer from the server (a network or
// connection error, not a PostgreSQL error), or a connection exception
// (class 08), a shutdown or a server not accepting connections (57P01-03).
func unavailable(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" {
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	}
	var ve *store.ValidationError
	if errors.As(err, &ve) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) ||
		errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrPreconditionRequired) ||
		errors.Is(err, store.ErrKeyNotFound) || errors.Is(err, store.ErrUnauthorized) || errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed") {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}

// run runs fn in one write transaction: under the write lock, so that
// history sequence numbers commit in order, and announcing the new
// revision on Channel when fn wrote history (NOTIFY is delivered on
// commit, never for a rollback).
func (s *Store) run(ctx context.Context, fn func(store.Tx) error) error {
	return unavailable(s.runTx(ctx, fn))
}

func (s *Store) runTx(ctx context.Context, fn func(store.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockWrite); err != nil {
		return fmt.Errorf("store: lock: %w", err)
	}
	t := &pgTx{tx: tx}
	if err := fn(t); err != nil {
		return err
	}
	if t.seq > 0 {
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, s.revision(t.seq)); err != nil {
			return fmt.Errorf("store: notify: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		if u := unavailable(err); errors.Is(u, store.ErrUnavailable) {
			return fmt.Errorf("store: commit: %w: %w", store.ErrOutcomeUnknown, u)
		}
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func (s *Store) revision(seq int64) string { return s.registryID + ":" + strconv.FormatInt(seq, 10) }

// siteCols is the column list read for a site.
const siteCols = `ST_AsEWKB(geom), id, kind, name, commune, area_ha, available_ha, largest_plot_ha, zoning, icpe, seveso,
	power_mw, rail_siding, water, water_m3h, available_from::text, price_eur_m2, contact, url, status, programme,
	placement, source, verified_on::text, note, version, created_at, updated_at, created_by, updated_by`

// writeCols are the columns written, in siteArgs order; geom is given as
// EWKB.
const writeCols = `geom, id, kind, name, commune, region, lon, lat, area_ha, available_ha, largest_plot_ha, zoning,
	icpe, seveso, power_mw, rail_siding, water, water_m3h, available_from, price_eur_m2, contact, url, status,
	programme, placement, source, verified_on, note, version, created_at, updated_at, created_by, updated_by`

// writeVals are writeCols' placeholders, with the conversions.
var writeVals = func() string {
	var b strings.Builder
	for i := 1; i <= 33; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		switch i {
		case 1:
			b.WriteString("ST_GeomFromEWKB($1)")
		case 19, 27: // available_from, verified_on
			fmt.Fprintf(&b, "$%d::text::date", i)
		default:
			fmt.Fprintf(&b, "$%d", i)
		}
	}
	return b.String()
}()

func scanSite(row pgx.Row) (store.Site, error) {
	var (
		s                                           store.Site
		blob                                        []byte
		zoning, icpe, seveso, from, contact, url    *string
		status, prog, place, source, verified, note *string
	)
	err := row.Scan(&blob, &s.ID, &s.Kind, &s.Name, &s.Commune, &s.AreaHa, &s.AvailableHa, &s.LargestPlotHa,
		&zoning, &icpe, &seveso, &s.PowerMW, &s.RailSiding, &s.Water, &s.WaterM3h, &from, &s.PriceEURM2,
		&contact, &url, &status, &prog, &place, &source, &verified, &note, &s.Version,
		&s.CreatedAt, &s.UpdatedAt, &s.CreatedBy, &s.UpdatedBy)
	if err != nil {
		return store.Site{}, err
	}
	t, err := ewkb.Unmarshal(blob)
	if err != nil {
		return store.Site{}, fmt.Errorf("site %q: EWKB: %w", s.ID, err)
	}
	if t.SRID() != store.SRSID {
		return store.Site{}, fmt.Errorf("site %q: geometry in SRID %d, want %d", s.ID, t.SRID(), store.SRSID)
	}
	g, err := gpkg.FromGeom(t)
	if err != nil {
		return store.Site{}, fmt.Errorf("site %q: %w", s.ID, err)
	}
	if err := s.SetGeometry(g); err != nil {
		return store.Site{}, fmt.Errorf("site %q: %w", s.ID, err)
	}
	if len(s.Outline) > 0 {
		s.Point = geo.RepresentativePoint(s.Outline)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	s.Zoning, s.ICPE, s.Seveso, s.AvailableFrom, s.Contact, s.URL = str(zoning), str(icpe), str(seveso), str(from), str(contact), str(url)
	s.Status, s.Programme, s.Placement, s.Source, s.VerifiedOn, s.Note = str(status), str(prog), str(place), str(source), str(verified), str(note)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, nil
}

// siteArgs returns the values of writeCols.
func siteArgs(s *store.Site, region string) ([]any, error) {
	t, err := gpkg.ToGeom(s.Geometry())
	if err != nil {
		return nil, fmt.Errorf("site %q: %w", s.ID, err)
	}
	if t, err = geom.SetSRID(t, store.SRSID); err != nil {
		return nil, fmt.Errorf("site %q: %w", s.ID, err)
	}
	blob, err := ewkb.Marshal(t, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("site %q: EWKB: %w", s.ID, err)
	}
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	return []any{blob, s.ID, s.Kind, s.Name, s.Commune, region, s.Point[0], s.Point[1],
		s.AreaHa, s.AvailableHa, s.LargestPlotHa, str(s.Zoning), str(s.ICPE), str(s.Seveso),
		s.PowerMW, s.RailSiding, s.Water, s.WaterM3h, str(s.AvailableFrom), s.PriceEURM2,
		str(s.Contact), str(s.URL), str(s.Status), str(s.Programme), str(s.Placement), str(s.Source),
		str(s.VerifiedOn), str(s.Note), s.Version, s.CreatedAt, s.UpdatedAt, s.CreatedBy, s.UpdatedBy}, nil
}

// querier is what reads run on: the pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func stored(ctx context.Context, q querier, id string) (store.Site, bool, error) {
	s, err := scanSite(q.QueryRow(ctx, `SELECT `+siteCols+` FROM sites WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Site{}, false, nil
	}
	if err != nil {
		return store.Site{}, false, fmt.Errorf("store: read %q: %w", id, err)
	}
	return s, true, nil
}

func lastVersion(ctx context.Context, q querier, id string) (int64, error) {
	var v int64
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM site_history WHERE site_id = $1`, id).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read history of %q: %w", id, err)
	}
	return v, nil
}

// pgTx is a write transaction; seq is the last history entry it wrote.
type pgTx struct {
	tx  pgx.Tx
	seq int64
}

func (t *pgTx) Stored(ctx context.Context, id string) (store.Site, bool, error) {
	return stored(ctx, t.tx, id)
}

func (t *pgTx) LastVersion(ctx context.Context, id string) (int64, error) {
	return lastVersion(ctx, t.tx, id)
}

func (t *pgTx) Put(ctx context.Context, s *store.Site, region string, exists bool) error {
	args, err := siteArgs(s, region)
	if err != nil {
		return err
	}
	if exists {
		_, err = t.tx.Exec(ctx, `UPDATE sites SET (`+writeCols+`) = ROW(`+writeVals+`) WHERE id = $34`, append(args, s.ID)...)
	} else {
		_, err = t.tx.Exec(ctx, `INSERT INTO sites (`+writeCols+`) VALUES (`+writeVals+`)`, args...)
	}
	return err
}

func (t *pgTx) Remove(ctx context.Context, id string) error {
	_, err := t.tx.Exec(ctx, `DELETE FROM sites WHERE id = $1`, id)
	return err
}

func (t *pgTx) Append(ctx context.Context, c store.Change, _ *store.Site) error {
	js := func(j json.RawMessage) *string {
		if j == nil {
			return nil
		}
		v := string(j)
		return &v
	}
	return t.tx.QueryRow(ctx, `INSERT INTO site_history (site_id, version, at, who, verb, changed, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8::text::json) RETURNING seq`,
		c.SiteID, c.Version, c.At, c.Who, c.Verb, c.Changed, js(c.Before), js(c.After)).Scan(&t.seq)
}

func (t *pgTx) KeyState(ctx context.Context, name string) (exists, revoked bool, err error) {
	err = t.tx.QueryRow(ctx, `SELECT revoked_at IS NOT NULL FROM api_keys WHERE name = $1`, name).Scan(&revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	return true, revoked, nil
}

func (t *pgTx) InsertKey(ctx context.Context, k store.Key, hash string) error {
	var reg *string
	if k.Region != "" {
		reg = &k.Region
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO api_keys (name, role, region, key_sha256, created_at) VALUES ($1, $2, $3, $4, $5)`,
		k.Name, k.Role, reg, hash, k.CreatedAt)
	return err
}

func (t *pgTx) RevokeKey(ctx context.Context, name string, at time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE name = $2`, at, name)
	return err
}

// Get returns a site (see store.Store.Get).
func (s *Store) Get(ctx context.Context, id string) (store.Site, error) {
	site, err := s.get(ctx, id)
	return site, unavailable(err)
}

func (s *Store) get(ctx context.Context, id string) (store.Site, error) {
	site, ok, err := stored(ctx, s.pool, id)
	if err != nil || ok {
		return site, err
	}
	snap, ok := s.ref.SnapshotBrownfield(id)
	if !ok {
		return store.Site{}, fmt.Errorf("%w: %q", store.ErrNotFound, id)
	}
	if snap.Version, err = lastVersion(ctx, s.pool, id); err != nil {
		return store.Site{}, err
	}
	return snap, nil
}

// List returns stored sites matching q, ordered by id; a box query uses
// the GiST index (&&: the geometry's box intersects q.BBox).
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	p, err := s.list(ctx, q)
	return p, unavailable(err)
}

func (s *Store) list(ctx context.Context, q store.Query) (store.Page, error) {
	query := `SELECT ` + siteCols + ` FROM sites WHERE true`
	var args []any
	if len(q.Kinds) > 0 {
		args = append(args, q.Kinds)
		query += ` AND kind = ANY($1)`
	}
	if q.BBox != nil {
		n := len(args)
		args = append(args, q.BBox.Min[0], q.BBox.Min[1], q.BBox.Max[0], q.BBox.Max[1])
		query += fmt.Sprintf(` AND geom && ST_MakeEnvelope($%d, $%d, $%d, $%d, 4326)`, n+1, n+2, n+3, n+4)
	}
	rows, err := s.pool.Query(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return store.Page{}, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	var page store.Page
	for rows.Next() {
		site, err := scanSite(rows)
		if err != nil {
			return store.Page{}, fmt.Errorf("store: list: %w", err)
		}
		page.Matched++
		if page.Matched <= q.Offset || (q.Limit > 0 && len(page.Sites) >= q.Limit) {
			continue
		}
		page.Sites = append(page.Sites, site)
	}
	if err := rows.Err(); err != nil {
		return store.Page{}, fmt.Errorf("store: list: %w", err)
	}
	return page, nil
}

// History returns a site's changes, oldest first (see store.Store.History).
func (s *Store) History(ctx context.Context, id string) ([]store.Change, error) {
	out, err := s.changes(ctx, `WHERE site_id = $1`, id)
	if err != nil {
		return nil, unavailable(fmt.Errorf("store: history of %q: %w", id, err))
	}
	if len(out) == 0 {
		if err := s.ref.NoHistory(id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Changes returns the history entries after sequence number seq, in
// order, at most limit (0: all): how a follower catches up.
func (s *Store) Changes(ctx context.Context, seq int64, limit int) ([]store.Change, error) {
	q := `WHERE seq > $1`
	if limit > 0 {
		q += ` ORDER BY seq LIMIT ` + strconv.Itoa(limit)
	}
	out, err := s.changes(ctx, q, seq)
	if err != nil {
		return nil, unavailable(fmt.Errorf("store: changes after %d: %w", seq, err))
	}
	return out, nil
}

func (s *Store) changes(ctx context.Context, where string, arg any) ([]store.Change, error) {
	if !strings.Contains(where, "ORDER BY") {
		where += ` ORDER BY seq`
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, site_id, version, at, who, verb, changed, before::text, after::text
		FROM site_history `+where, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var (
			c             store.Change
			before, after *string
		)
		if err := rows.Scan(&c.Seq, &c.SiteID, &c.Version, &c.At, &c.Who, &c.Verb, &c.Changed, &before, &after); err != nil {
			return nil, err
		}
		c.At = c.At.UTC()
		if c.Changed == nil {
			c.Changed = []string{}
		}
		c.Before, c.After = json.RawMessage("null"), json.RawMessage("null")
		if before != nil {
			c.Before = json.RawMessage(*before)
		}
		if after != nil {
			c.After = json.RawMessage(*after)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Revision returns "<registry id>:<last history sequence number>".
func (s *Store) Revision(ctx context.Context) (string, error) {
	seq, err := s.Seq(ctx)
	if err != nil {
		return "", err
	}
	return s.revision(seq), nil
}

// Seq returns the last committed history sequence number (0: none).
func (s *Store) Seq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM site_history`).Scan(&seq); err != nil {
		return 0, unavailable(fmt.Errorf("store: revision: %w", err))
	}
	return seq, nil
}

// Create adds a site (see store.Store.Create).
func (s *Store) Create(ctx context.Context, who string, site store.Site) (store.Site, error) {
	return s.wr.Create(ctx, who, site)
}

// Update replaces a site (see store.Store.Update).
func (s *Store) Update(ctx context.Context, who, id, expected string, site store.Site) (store.Site, error) {
	return s.wr.Update(ctx, who, id, expected, site)
}

// Patch changes some properties of a site (see store.Store.Patch).
func (s *Store) Patch(ctx context.Context, who, id, expected string, p store.Patch) (store.Site, error) {
	return s.wr.Patch(ctx, who, id, expected, p)
}

// Delete removes a stored site (see store.Store.Delete).
func (s *Store) Delete(ctx context.Context, who, id, expected string) error {
	return s.wr.Delete(ctx, who, id, expected)
}

// Import writes a batch in one transaction, all or nothing (see
// store.Writer.Import).
func (s *Store) Import(ctx context.Context, who string, batch []store.ImportItem, opt store.ImportOptions) (*store.ImportReport, error) {
	return s.wr.Import(ctx, who, batch, opt)
}

// CreateKey creates an API key (see store.Writer.CreateKey).
func (s *Store) CreateKey(ctx context.Context, name, role, region string) (string, store.Key, error) {
	return s.wr.CreateKey(ctx, name, role, region)
}

// Revoke revokes a key by name; revoking a revoked key does nothing.
func (s *Store) Revoke(ctx context.Context, name string) error { return s.wr.Revoke(ctx, name) }

// Authenticate returns the principal of a valid key (see
// store.Store.Authenticate).
func (s *Store) Authenticate(ctx context.Context, key string) (store.Principal, error) {
	hash, ok := store.KeyHash(key)
	if !ok {
		return store.Principal{}, store.ErrUnauthorized
	}
	var (
		p       store.Principal
		region  *string
		revoked bool
	)
	err := s.pool.QueryRow(ctx, `SELECT name, role, region, revoked_at IS NOT NULL FROM api_keys WHERE key_sha256 = $1`,
		hash).Scan(&p.Name, &p.Role, &region, &revoked)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && revoked) {
		return store.Principal{}, store.ErrUnauthorized
	}
	if err != nil {
		return store.Principal{}, unavailable(fmt.Errorf("store: authenticate: %w", err))
	}
	if region != nil {
		p.Region = *region
	}
	return p, nil
}

// Keys lists every key by name.
func (s *Store) Keys(ctx context.Context) ([]store.Key, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, role, region, created_at, revoked_at FROM api_keys ORDER BY name`)
	if err != nil {
		return nil, unavailable(fmt.Errorf("store: list keys: %w", err))
	}
	defer rows.Close()
	var out []store.Key
	for rows.Next() {
		var (
			k       store.Key
			region  *string
			revoked *time.Time
		)
		if err := rows.Scan(&k.Name, &k.Role, &region, &k.CreatedAt, &revoked); err != nil {
			return nil, fmt.Errorf("store: list keys: %w", err)
		}
		if region != nil {
			k.Region = *region
		}
		k.CreatedAt = k.CreatedAt.UTC()
		if revoked != nil {
			k.RevokedAt = revoked.UTC()
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Checksum returns a hash of every row of sites (by id) and site_history
// (by seq): equal checksums mean equal contents.
func (s *Store) Checksum(ctx context.Context) (string, error) {
	var a, b *string
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT md5(string_agg(t::text, E'\n' ORDER BY id)) FROM sites t),
		(SELECT md5(string_agg(h::text, E'\n' ORDER BY seq)) FROM site_history h)`).Scan(&a, &b)
	if err != nil {
		return "", fmt.Errorf("store: checksum: %w", err)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return str(a) + ":" + str(b), nil
}

// IntegrityCheck checks the registry's own invariant: every stored site's
// version has its history row.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var orphans int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM sites s WHERE NOT EXISTS
		(SELECT 1 FROM site_history h WHERE h.site_id = s.id AND h.version = s.version)`).Scan(&orphans); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if orphans > 0 {
		return fmt.Errorf("store: integrity check: %d sites without the history row of their version", orphans)
	}
	return nil
}
