package postgis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/store"
	"sitematch/data/store/postgis"
	"sitematch/data/store/postgis/pgtest"
	"sitematch/data/store/storetest"
)

// backend runs the shared suite on a new database per test.
var backend = storetest.Backend{
	New: func(t testing.TB) string { return pgtest.NewDatabase(t) },
	Open: func(dsn string, opt *store.Options) (store.Store, error) {
		return postgis.Open(context.Background(), dsn, opt)
	},
	// Raw is a text dump of the registry's tables.
	Raw: func(t testing.TB, dsn string) []byte {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var out []byte
		for _, table := range []string{"api_keys", "sites", "site_history", "sitematch_meta"} {
			var dump *string
			if err := conn.QueryRow(ctx, `SELECT string_agg(t::text, E'\n') FROM `+table+` t`).Scan(&dump); err != nil {
				t.Fatal(err)
			}
			if dump != nil {
				out = append(out, *dump...)
			}
		}
		return out
	},
}

// TestStore runs the registry's behaviour suite on PostGIS.
func TestStore(t *testing.T) {
	pgtest.DSN(t) // skips once, not in every subtest
	storetest.Run(t, backend)
}

// TestDurabilityChild is the child process of TestSIGKILLKeepsAcknowledgedWrites.
func TestDurabilityChild(t *testing.T) { storetest.DurabilityChild(t, backend) }

// TestSIGKILLKeepsAcknowledgedWrites kills a process writing to PostGIS
// from 8 goroutines after 600 acknowledged writes and checks them all.
func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) {
	pgtest.DSN(t)
	storetest.SIGKILL(t, backend)
}

// TestSchema checks what an operator sees in the database: the migration
// recorded, the geometry column typed geometry(Geometry, 4326) with a GiST
// index that a box query uses, a point and a polygon stored as such, and
// a second Open (a second replica) migrating and seeding nothing again.
func TestSchema(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	ref := storetest.Reference(t)
	st, err := postgis.Open(ctx, dsn, &store.Options{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Create(ctx, "alice", storetest.FosZone()); err != nil {
		t.Fatal(err)
	}
	pool := st.Pool()
	var versions []int
	rows, _ := pool.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil || len(versions) != postgis.SchemaVersion() || versions[len(versions)-1] != postgis.SchemaVersion() {
		t.Errorf("schema_migrations %v, %v; this build is at %d", versions, err, postgis.SchemaVersion())
	}
	var typ string
	var srid int
	if err := pool.QueryRow(ctx, `SELECT type, srid FROM geometry_columns WHERE f_table_name = 'sites' AND f_geometry_column = 'geom'`).Scan(&typ, &srid); err != nil || typ != "GEOMETRY" || srid != 4326 {
		t.Errorf("geometry column %s/%d, %v", typ, srid, err)
	}
	var idx string
	if err := pool.QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE tablename = 'sites' AND indexname = 'sites_geom_gist'`).Scan(&idx); err != nil || !strings.Contains(idx, "USING gist (geom)") {
		t.Errorf("GiST index %q, %v", idx, err)
	}
	counts := map[string]int{}
	rows, _ = pool.Query(ctx, `SELECT GeometryType(geom), count(*) FROM sites GROUP BY 1`)
	for rows.Next() {
		var g string
		var n int
		rows.Scan(&g, &n)
		counts[g] = n
	}
	if counts["POINT"] != 35 || counts["POLYGON"] != 1 {
		t.Errorf("geometry types %v, want 35 points (the seed) and 1 polygon", counts)
	}
	// The planner may choose a sequential scan on 36 rows; with sequential
	// scans off, a box query must be able to use the index.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	tx.Exec(ctx, `SET LOCAL enable_seqscan = off`)
	var plan strings.Builder
	rows, _ = tx.Query(ctx, `EXPLAIN SELECT id FROM sites WHERE geom && ST_MakeEnvelope(4.8, 43.4, 4.9, 43.5, 4326)`)
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan.WriteString(line + "\n")
	}
	if !strings.Contains(plan.String(), "sites_geom_gist") {
		t.Errorf("a box query does not use the GiST index:\n%s", plan.String())
	}
	tx.Rollback(ctx)

	rev, _ := st.Revision(ctx)
	st2, err := postgis.Open(ctx, dsn, &store.Options{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if rev2, _ := st2.Revision(ctx); rev2 != rev {
		t.Errorf("a second Open changed the revision: %s, was %s", rev2, rev)
	}
	if p, _ := st2.List(ctx, store.Query{}); p.Matched != 36 {
		t.Errorf("%d sites after a second Open, want 36 (no second seed)", p.Matched)
	}
}

// TestOpenRefuses checks Open's refusals: a database newer than the
// build, MustExist and OpenReadOnly on a database without a registry
// (changing nothing), and writes through a read-only store.
func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	ref := storetest.Reference(t)
	empty := pgtest.NewDatabase(t)
	for _, open := range []func() (*postgis.Store, error){
		func() (*postgis.Store, error) {
			return postgis.OpenReadOnly(ctx, empty, &store.Options{Reference: ref})
		},
		func() (*postgis.Store, error) {
			return postgis.Open(ctx, empty, &store.Options{Reference: ref, MustExist: true})
		},
	} {
		if _, err := open(); err == nil || !strings.Contains(err.Error(), "no sitematch registry") {
			t.Errorf("opening an empty database: %v", err)
		}
	}
	conn, err := pgx.Connect(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'spatial_ref_sys'`).Scan(&n)
	if n != 0 {
		t.Errorf("refused opens created %d tables", n)
	}

	dsn := pgtest.NewDatabase(t)
	st, err := postgis.Open(ctx, dsn, &store.Options{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ro, err := postgis.OpenReadOnly(ctx, dsn, &store.Options{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	sum, _ := st.Checksum(ctx)
	if _, err := ro.Create(ctx, "bob", storetest.FosZone()); err == nil {
		t.Error("a read-only store created a site")
	}
	if got, _ := st.Checksum(ctx); got != sum {
		t.Error("the registry changed through a read-only store")
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgis.Open(ctx, dsn, &store.Options{Reference: ref}); err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Errorf("a newer schema: %v", err)
	}
	if _, err := postgis.Open(ctx, "postgres://u:secret@127.0.0.1:1/x?connect_timeout=1", &store.Options{Reference: ref}); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("an unreachable database: %v (the password must not show)", err)
	}
}

// TestNotify checks that a committed write announces its revision on the
// channel, and a rolled-back one (a failed import) announces nothing.
func TestNotify(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	st, err := postgis.Open(ctx, dsn, &store.Options{Reference: storetest.Reference(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `LISTEN `+postgis.Channel); err != nil {
		t.Fatal(err)
	}
	bad := storetest.FosZone()
	bad.AreaHa = ptr(-1.0)
	if _, err := st.Import(ctx, "cli", []store.ImportItem{{Ref: "x", Site: storetest.FosZone()}, {Ref: "y", Site: func() store.Site { s := bad; s.ID = "zone:y"; return s }()}}, store.ImportOptions{}); err == nil {
		t.Fatal("an invalid import passed")
	}
	if _, err := st.Create(ctx, "alice", storetest.FosZone()); err != nil {
		t.Fatal(err)
	}
	rev, _ := st.Revision(ctx)
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	n, err := conn.WaitForNotification(wctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Channel != postgis.Channel || n.Payload != rev {
		t.Errorf("notification %q on %s, want the revision %s (the failed import announces nothing)", n.Payload, n.Channel, rev)
	}
	// The seed is 35 entries; the failed import may have used sequence
	// numbers (a rollback leaves a gap), never history rows.
	changes, err := st.Changes(ctx, 35, 0)
	if err != nil || len(changes) != 1 || changes[0].SiteID != "zone:fos-caban" || changes[0].Seq <= 35 {
		t.Errorf("changes after the seed: %+v, %v", changes, err)
	}
	if _, err := st.Get(ctx, "zone:y"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the failed import wrote zone:y: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestDatabaseRestartMidStream restarts PostgreSQL (a fast shutdown: every
// connection cut) while 8 goroutines write, and checks that no write the
// store acknowledged is lost or half-applied: failed writes fail with
// store.ErrUnavailable, and the writers carry on once the server is back.
func TestDatabaseRestartMidStream(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts a PostgreSQL cluster")
	}
	cluster := pgtest.NewCluster(t)
	ctx := context.Background()
	ref := storetest.Reference(t)
	st, err := postgis.Open(ctx, cluster.DSN, &store.Options{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	communes := ref.Catalogue().Communes
	var (
		mu       sync.Mutex
		acked    = map[string]int64{}
		n, fails atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
		others   = make(chan error, 100)
	)
	ack := func(id string, v int64) {
		mu.Lock()
		acked[id] = max(acked[id], v)
		mu.Unlock()
		n.Add(1)
	}
	failed := func(err error) {
		fails.Add(1)
		if !errors.Is(err, store.ErrUnavailable) && !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrExists) {
			select {
			case others <- err:
			default:
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				c := communes[(w*7919+i*104729)%len(communes)]
				s := store.Site{ID: fmt.Sprintf("zone:r%d-%d", w, i), Kind: data.KindZone, Name: "Zone " + c.Name,
					Commune: c.Code, Point: orb.Point{c.Point[0] + 0.001, c.Point[1]}}
				cur, err := st.Create(ctx, "writer", s)
				for err != nil && !stop.Load() {
					failed(err)
					// The outcome may be unknown: read what is there.
					if cur, err = st.Get(ctx, s.ID); errors.Is(err, store.ErrNotFound) {
						cur, err = st.Create(ctx, "writer", s)
					}
				}
				if err != nil {
					return
				}
				ack(cur.ID, cur.Version)
				for k := range 2 {
					next, err := st.Patch(ctx, "writer", cur.ID, cur.ETag(), store.Patch{Fields: []string{"status"}, Values: store.Site{Status: fmt.Sprintf("étape %d", k)}})
					for err != nil && !stop.Load() {
						failed(err)
						if cur, err = st.Get(ctx, s.ID); err == nil {
							next, err = st.Patch(ctx, "writer", cur.ID, cur.ETag(), store.Patch{Fields: []string{"status"}, Values: store.Site{Status: fmt.Sprintf("étape %d", k)}})
						}
					}
					if err != nil {
						return
					}
					ack(next.ID, next.Version)
					cur = next
				}
			}
		}()
	}
	wait := func(target int64) {
		deadline := time.Now().Add(2 * time.Minute)
		for n.Load() < target {
			if time.Now().After(deadline) {
				t.Fatalf("only %d writes acknowledged", n.Load())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	wait(300)
	before := n.Load()
	cluster.Restart(t)
	restartedAt := n.Load()
	wait(restartedAt + 300)
	stop.Store(true)
	wg.Wait()
	close(others)
	for err := range others {
		t.Errorf("a write failed with an error other than unavailable or conflict: %v", err)
	}
	t.Logf("database restarted after %d acknowledged writes (%d by the end of the restart); %d acknowledged in all, %d attempts failed meanwhile",
		before, restartedAt, n.Load(), fails.Load())
	if fails.Load() == 0 {
		t.Error("no write failed: the restart did not happen mid-stream")
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	for id, v := range acked {
		s, err := st.Get(ctx, id)
		if err != nil || s.Version < v {
			t.Fatalf("acknowledged %s v%d: found v%d, %v", id, v, s.Version, err)
		}
		h, err := st.History(ctx, id)
		if err != nil || h[len(h)-1].Version != s.Version {
			t.Fatalf("%s: history %v, %v", id, h, err)
		}
		for i, c := range h {
			if c.Version != int64(i+1) {
				t.Fatalf("%s: versions not contiguous: %d at %d", id, c.Version, i)
			}
		}
	}
}

// TestReplicasStartTogether opens one new database from four goroutines
// at once, as replicas starting together do: the advisory lock lets one
// migrate and seed, the others find the registry made.
func TestReplicasStartTogether(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	ref := storetest.Reference(t)
	var wg sync.WaitGroup
	stores := make([]*postgis.Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = postgis.Open(ctx, dsn, &store.Options{Reference: ref})
		}()
	}
	wg.Wait()
	created := 0
	for i, st := range stores {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		defer st.Close()
		if st.Created() {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d of 4 concurrent opens created the registry, want 1", created)
	}
	var migrations, history int
	stores[0].Pool().QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migrations)
	stores[0].Pool().QueryRow(ctx, `SELECT count(*) FROM site_history`).Scan(&history)
	if migrations != postgis.SchemaVersion() || history != 35 {
		t.Errorf("%d migrations recorded, %d history rows: want %d and the 35 seeded sites once", migrations, history, postgis.SchemaVersion())
	}
}
