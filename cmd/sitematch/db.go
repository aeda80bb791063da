package main

import (
	"context"

	"sitematch/data/store"
	"sitematch/data/store/postgis"
)

// registry is what the commands use of a site registry, whichever
// implementation --db names (api.Registry too).
type registry interface {
	store.Follower
	Reference() *store.Reference
}

// isPostgres reports whether --db names a PostgreSQL/PostGIS database
// (postgres:// or postgresql://) rather than a GeoPackage file.
func isPostgres(db string) bool { return postgis.IsDSN(db) }

// openStore opens the registry --db names for writing: the PostGIS store
// for a postgres:// URL (its schema migrated on open), else the
// GeoPackage file. created reports a registry made (and seeded) by this
// call.
func openStore(ctx context.Context, db string, opt *store.Options) (st registry, created bool, err error) {
	if isPostgres(db) {
		p, err := postgis.Open(ctx, db, opt)
		if err != nil {
			return nil, false, err
		}
		return p, p.Created(), nil
	}
	s, err := store.Open(db, opt)
	if err != nil {
		return nil, false, err
	}
	return s, s.Created(), nil
}

// openStoreReadOnly opens the registry --db names for reading only.
func openStoreReadOnly(ctx context.Context, db string, opt *store.Options) (registry, error) {
	if isPostgres(db) {
		return postgis.OpenReadOnly(ctx, db, opt)
	}
	return store.OpenReadOnly(db, opt)
}

// showDB is --db as logs and messages show it: a DSN without its password.
func showDB(db string) string {
	if isPostgres(db) {
		return postgis.Redact(db)
	}
	return db
}
