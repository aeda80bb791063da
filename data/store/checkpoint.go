package store

import "context"

// checkpoint copies the write-ahead log into the database file and
// empties it (PRAGMA wal_checkpoint(TRUNCATE)), after every committed
// write and once on opening, so that the .gpkg file alone is the whole
// registry whenever no write is in flight: a copy taken while the server
// runs (cp, rsync, a backup) opens in QGIS or GDAL without its -wal file.
// A reader in the middle of a query can keep the checkpoint from
// finishing (SQLite then reports it busy, not as an error); the next
// write's checkpoint completes it. The committed write is durable either
// way (it is in the log), so a checkpoint's failure is not the write's.
func (s *SQLite) checkpoint(ctx context.Context) {
	_, _ = s.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(TRUNCATE)`)
}
