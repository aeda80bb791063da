// Package pgtest gives tests a fresh PostgreSQL/PostGIS database each,
// on the throwaway cluster that .ci/postgis.sh starts (SITEMATCH_TEST_PG
// names it); without that variable the tests skip, saying so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Env names the test cluster's DSN; CtlEnv the script that starts one.
const (
	Env    = "SITEMATCH_TEST_PG"
	CtlEnv = "SITEMATCH_TEST_PG_CTL"
)

// template is the database new test databases are copied from: empty but
// for the postgis extension, so that each copy takes a fraction of a
// second.
const template = "sitematch_test_template"

var once struct {
	sync.Once
	err error
}

// DSN returns the cluster's DSN, or skips the test when Env is unset.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		tb.Skipf("%s is not set: no PostgreSQL/PostGIS cluster to test on (eval \"$(.ci/postgis.sh start)\" starts one; .ci/run does)", Env)
	}
	return dsn
}

// withDatabase returns dsn pointing at another database.
func withDatabase(tb testing.TB, dsn, db string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + db
	return u.String()
}

// NewDatabase creates an empty database with the postgis extension,
// dropped when the test ends, and returns its DSN.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	dsn := DSN(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to the test cluster (%s): %v", Env, err)
	}
	defer conn.Close(ctx)
	once.Do(func() {
		var n int
		if once.err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, template).Scan(&n); once.err != nil || n > 0 {
			return
		}
		if _, once.err = conn.Exec(ctx, `CREATE DATABASE `+template); once.err != nil {
			if pgCode(once.err) == "42P04" { // duplicate_database: another test binary made it
				once.err = nil
			}
			return
		}
		var tc *pgx.Conn
		if tc, once.err = pgx.Connect(ctx, withDatabase(tb, dsn, template)); once.err != nil {
			return
		}
		defer tc.Close(ctx)
		_, once.err = tc.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS postgis`)
	})
	if once.err != nil {
		tb.Fatalf("template database: %v", once.err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "sitematch_t_" + hex.EncodeToString(b)
	for try := 0; ; try++ {
		_, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template))
		if err == nil {
			break
		}
		// 55006 object_in_use: another test binary is connected to the
		// template, creating its extension; it is done within a second.
		if pgCode(err) != "55006" || try == 50 {
			tb.Fatalf("create test database: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Logf("drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Logf("drop %s: %v", name, err)
		}
	})
	return withDatabase(tb, dsn, name)
}

// Cluster is a PostgreSQL/PostGIS cluster of a test's own, for the tests
// that stop or restart the database (the shared one serves the tests
// running in parallel).
type Cluster struct {
	// DSN names the cluster's database "sitematch" (postgis created).
	DSN string
	ctl string
	dir string
}

// NewCluster starts a cluster of the test's own with the script CtlEnv
// names (.ci/postgis.sh), stopped and removed when the test ends; the test
// skips when Env or CtlEnv is unset.
func NewCluster(tb testing.TB) *Cluster {
	tb.Helper()
	DSN(tb)
	ctl := os.Getenv(CtlEnv)
	if ctl == "" {
		tb.Skipf("%s is not set: no script to start a cluster of the test's own", CtlEnv)
	}
	out, err := exec.Command(ctl, "start").Output()
	if err != nil {
		tb.Fatalf("%s start: %v", ctl, err)
	}
	c := &Cluster{ctl: ctl}
	for _, line := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, "'")
		switch k {
		case Env:
			c.DSN = v
		case "SITEMATCH_PG_DIR":
			c.dir = v
		}
	}
	if c.DSN == "" || c.dir == "" {
		tb.Fatalf("%s start printed no DSN and folder:\n%s", ctl, out)
	}
	tb.Cleanup(func() { c.run(tb, "stop") })
	return c
}

func (c *Cluster) run(tb testing.TB, verb string) {
	tb.Helper()
	cmd := exec.Command(c.ctl, verb)
	cmd.Env = append(os.Environ(), "SITEMATCH_PG_DIR="+c.dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s %s: %v\n%s", c.ctl, verb, err, out)
	}
}

// Restart restarts the cluster: a fast shutdown (every connection is cut),
// then a start on the same port and data.
func (c *Cluster) Restart(tb testing.TB) { c.run(tb, "restart") }

// Down stops the cluster, keeping its data; Up starts it again.
func (c *Cluster) Down(tb testing.TB) { c.run(tb, "down") }

// Up starts the cluster stopped by Down.
func (c *Cluster) Up(tb testing.TB) { c.run(tb, "up") }

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
