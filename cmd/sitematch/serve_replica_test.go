package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sitematch/data/store"
	"sitematch/data/store/postgis/pgtest"
)

// followWithin is how soon a write made through one server must show in
// another's answers (issue 14).
const followWithin = 2 * time.Second

// replica is a running `sitematch serve` under test.
type replica struct {
	t    *testing.T
	base string
	logs *logTail
}

func (r replica) get(path string) (int, string) {
	r.t.Helper()
	res, err := http.Get(r.base + path)
	if err != nil {
		r.t.Fatalf("GET %s%s: %v", r.base, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// match posts a match for zones of Seine-Maritime and returns the answer.
func (r replica) match() (int, string) {
	r.t.Helper()
	res, err := http.Post(r.base+"/v1/match", "application/json", strings.NewReader(
		`{"limit": 1000, "project": {"name": "Réplique", "constraints": {"departements": ["76"], "kinds": ["zone"]}}}`))
	if err != nil {
		r.t.Fatalf("POST %s/v1/match: %v", r.base, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// shows reports whether the server's next match and its zones collection
// both hold the site.
func (r replica) shows(id string) bool {
	r.t.Helper()
	want := fmt.Sprintf(`"id":%q`, id)
	code, m := r.match()
	if code != http.StatusOK || !strings.Contains(m, want) {
		return false
	}
	code, items := r.get("/collections/zones/items?limit=10000")
	return code == http.StatusOK && strings.Contains(items, want)
}

// dataVersion returns /v1/meta's data_version.
func (r replica) dataVersion() string {
	r.t.Helper()
	var meta struct {
		DataVersion string `json:"data_version"`
	}
	_, b := r.get("/v1/meta")
	json.Unmarshal([]byte(b), &meta)
	return meta.DataVersion
}

// readyz returns /readyz's registry report.
func (r replica) readyz() (int, map[string]any) {
	r.t.Helper()
	var body struct {
		Registry map[string]any `json:"registry"`
	}
	code, b := r.get("/readyz")
	json.Unmarshal([]byte(b), &body)
	return code, body.Registry
}

// createZone posts a zone near Rouen through r and returns the status.
func (r replica) createZone(key, id string, lon float64) int {
	r.t.Helper()
	body := fmt.Sprintf(`{"type": "Feature", "id": %q, "geometry": {"type": "Point", "coordinates": [%g, 49.44]},
		"properties": {"kind": "zone", "name": "Zone %s", "area_ha": 12}}`, id, lon, id)
	req, _ := http.NewRequest(http.MethodPost, r.base+"/v1/sites", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/geo+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// createUntilAcknowledged retries a creation until the server acknowledges
// it (201), or finds it made by an attempt whose answer failed (409), for
// at most 30 s: after a database restart a server's first write may meet
// a connection the restart cut, which fails unacknowledged.
func (r replica) createUntilAcknowledged(key, id string, lon float64) time.Time {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code := r.createZone(key, id, lon)
		if code == http.StatusCreated || code == http.StatusConflict {
			return time.Now()
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("creating %s: status %d for 30 s\n%s", id, code, r.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitShows waits until r shows the site, failing after followWithin from
// the acknowledgement at acked.
func (r replica) waitShows(id string, acked time.Time) time.Duration {
	r.t.Helper()
	for !r.shows(id) {
		if time.Since(acked) > followWithin {
			r.t.Fatalf("%s: %s is not in its /v1/match and /collections/zones/items %s after the write\n%s", r.base, id, followWithin, r.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(acked)
}

// waitSameVersion waits until every replica's data_version is the same.
func waitSameVersion(t *testing.T, rs ...replica) string {
	t.Helper()
	deadline := time.Now().Add(followWithin)
	for {
		v := rs[0].dataVersion()
		same := v != ""
		for _, r := range rs[1:] {
			same = same && r.dataVersion() == v
		}
		if same {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("data_version differs between replicas %s after the writes", followWithin)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReplicasFollowWrites runs two `sitematch serve` on one PostGIS
// database: a site written through one shows in the other's next
// /v1/match and /collections/zones/items within 2 s, both end on the same
// data_version; again after a database restart; and while the database is
// down, a replica keeps answering matches from its last state, reports it
// in /readyz and /metrics, and catches up once the database is back.
func TestReplicasFollowWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	cluster := pgtest.NewCluster(t) // its own: this test stops it
	bin := buildBinary(t)
	db := cluster.DSN
	key := createKey(t, bin, db, "replica-test", store.RoleAdmin)
	start := func() replica {
		_, base, logs := startServer(t, bin, db, "--write-rate-limit", "0") // replication under test, not the per-key limit
		return replica{t, base, logs}
	}
	a, b := start(), start()
	if a.shows("zone:replica-1") {
		t.Fatal("a site shows before it is written")
	}
	v0 := waitSameVersion(t, a, b)

	// A write through a shows in b.
	if code := a.createZone(key, "zone:replica-1", 1.09); code != http.StatusCreated {
		t.Fatalf("create through a: %d", code)
	}
	took := b.waitShows("zone:replica-1", time.Now())
	v1 := waitSameVersion(t, a, b)
	if v1 == v0 {
		t.Error("data_version did not change with the write")
	}
	t.Logf("a write through one replica showed in the other's match and collection after %s", took.Round(time.Millisecond))

	// Concurrent writers on both replicas: each ends with every site and
	// the same data_version.
	var wg sync.WaitGroup
	for i, r := range []replica{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 15 {
				if code := r.createZone(key, fmt.Sprintf("zone:c%d-%d", i, k), 1.0+float64(i*15+k)/1000); code != http.StatusCreated {
					t.Errorf("concurrent create %d-%d: %d", i, k, code)
				}
			}
		}()
	}
	wg.Wait()
	missing := func() []string {
		var out []string
		for _, r := range []replica{a, b} {
			_, items := r.get("/collections/zones/items?limit=10000")
			for i := range 4 {
				for k := range 15 {
					if id := fmt.Sprintf("zone:c%d-%d", i, k); !strings.Contains(items, fmt.Sprintf(`"id":%q`, id)) {
						out = append(out, r.base+" "+id)
					}
				}
			}
		}
		return out
	}
	done := time.Now()
	for m := missing(); len(m) > 0; m = missing() {
		if time.Since(done) > followWithin {
			t.Fatalf("%s after 60 concurrent writes through both replicas, missing: %v", followWithin, m)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Both end on the same data_version, the database's: the snapshot's
	// version and the registry's last revision.
	ro, err := openStoreReadOnly(context.Background(), db, &store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := ro.Revision(context.Background())
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := store.DataVersion(ro.Reference().Catalogue().Version, rev)
	for _, r := range []replica{a, b} {
		for v := r.dataVersion(); v != want; v = r.dataVersion() {
			if time.Since(done) > followWithin {
				t.Fatalf("%s: data_version %s, the database's revision %s gives %s", r.base, v, rev, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// And the other way, after a database restart.
	cluster.Restart(t)
	acked := b.createUntilAcknowledged(key, "zone:replica-2", 1.10)
	took = a.waitShows("zone:replica-2", acked)
	waitSameVersion(t, a, b)
	t.Logf("after a database restart: shown after %s", took.Round(time.Millisecond))

	// The database goes down: b keeps answering from its last state and
	// says the registry is unreachable.
	cluster.Down(t)
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, reg := b.readyz()
		if code == http.StatusOK && reg["reachable"] == false {
			if reg["error"] == nil || reg["unreachable_since"] == nil {
				t.Errorf("/readyz registry report %v lacks the error or the time", reg)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still reports %d %v 30 s after the database went down", code, reg)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, m := b.match(); code != http.StatusOK || !strings.Contains(m, `"id":"zone:replica-2"`) {
		t.Errorf("with the database down, match answers %d without the last state's sites", code)
	}
	if code, metrics := b.get("/metrics"); !strings.Contains(metrics, "\nsitematch_registry_reachable 0\n") ||
		strings.Contains(metrics, "\nsitematch_registry_disconnects_total 0\n") {
		t.Errorf("/metrics (%d) does not report the lost registry:\n%s", code, grepLines(metrics, "sitematch_registry"))
	}
	if code := a.createZone(key, "zone:replica-down", 1.11); code != http.StatusServiceUnavailable {
		t.Errorf("a write with the database down answered %d, want 503", code)
	}

	// Back: b reconnects and catches up with a write made through a.
	cluster.Up(t)
	acked = a.createUntilAcknowledged(key, "zone:replica-3", 1.12)
	took = b.waitShows("zone:replica-3", acked)
	waitSameVersion(t, a, b)
	if code, reg := b.readyz(); code != http.StatusOK || reg["reachable"] != true {
		t.Errorf("/readyz after the database came back: %d %v", code, reg)
	}
	if _, metrics := b.get("/metrics"); !strings.Contains(metrics, "\nsitematch_registry_reachable 1\n") {
		t.Errorf("/metrics after the database came back:\n%s", grepLines(metrics, "sitematch_registry"))
	}
	t.Logf("after the database came back: shown after %s", took.Round(time.Millisecond))
}

// TestGeoPackageFollowsAnotherProcess: a server on a GeoPackage file shows
// a site that another process (a registry import) writes to the file
// within 2 s, without a restart.
func TestGeoPackageFollowsAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "r.gpkg")
	key := createKey(t, bin, db, "gpkg-follow", store.RoleAdmin)
	_, base, logs := startServer(t, bin, db)
	a := replica{t, base, logs}
	_, base, logs = startServer(t, bin, db)
	b := replica{t, base, logs}
	if code := a.createZone(key, "zone:gpkg-1", 1.09); code != http.StatusCreated {
		t.Fatalf("create through a: %d", code)
	}
	took := b.waitShows("zone:gpkg-1", time.Now())
	waitSameVersion(t, a, b)
	t.Logf("a write through one server on the file showed in the other's after %s", took.Round(time.Millisecond))
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
