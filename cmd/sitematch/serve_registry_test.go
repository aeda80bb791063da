package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sitematch/data"
	"sitematch/data/store"
	"sitematch/data/store/postgis/pgtest"
)

// SIGKILL test parameters: concurrent writers, and how many acknowledged
// writes the test waits for before killing the server.
const (
	killWriters = 8
	killAfter   = 600
)

// createKey runs `sitematch keys create` and returns the key, alone on the
// last line of its standard output.
func createKey(t *testing.T, bin, db, name, role string) string {
	t.Helper()
	out, err := exec.Command(bin, "keys", "create", "--db", db, "--name", name, "--role", role).Output()
	if err != nil {
		t.Fatalf("keys create: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return lines[len(lines)-1]
}

// acks records the writes the server acknowledged: the highest version
// acknowledged per site id.
type acks struct {
	mu       sync.Mutex
	versions map[string]int64
	n        atomic.Int64
}

func (a *acks) add(id string, v int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if v > a.versions[id] {
		a.versions[id] = v
	}
	a.n.Add(1)
}

func etagVersion(t *testing.T, etag string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(strings.TrimPrefix(strings.Trim(etag, `"`), "v"), 10, 64)
	if err != nil {
		t.Errorf("ETag %q: %v", etag, err)
	}
	return v
}

// TestServeSIGKILLKeepsAcknowledgedWrites runs the real server on a
// registry file, streams concurrent creations and patches through HTTP
// from several writers, kills the server with SIGKILL once hundreds of
// writes are acknowledged (with more in flight), restarts it on the same
// file, and checks that every acknowledged write is there, at its version
// or a later one, that no write is half applied (each site is exactly the
// "after" of its last history entry, its versions contiguous), and that
// the file passes SQLite's and the registry's integrity checks.
func TestServeSIGKILLKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	serveSIGKILL(t, filepath.Join(t.TempDir(), "x.gpkg"))
}

// TestServeSIGKILLPostGIS is TestServeSIGKILLKeepsAcknowledgedWrites with
// the registry on PostgreSQL/PostGIS: a replica killed in the middle of
// concurrent writes loses none it acknowledged.
func TestServeSIGKILLPostGIS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	serveSIGKILL(t, pgtest.NewDatabase(t))
}

// serveSIGKILL is the SIGKILL test on the registry db (a file or a DSN).
func serveSIGKILL(t *testing.T, db string) {
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	key := createKey(t, bin, db, "kill-test", store.RoleAdmin)
	// Writers hammer the registry: no write rate limit.
	cmd, base, logs := startServer(t, bin, db, "--write-rate-limit", "0")

	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: killWriters}}
	// send makes one write and returns its status and ETag; an error means
	// no answer (the server is gone).
	send := func(method, path, etag, ctype, body string) (int, string, error) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", ctype)
		if etag != "" {
			req.Header.Set("If-Match", etag)
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			return 0, "", err
		}
		if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
			return res.StatusCode, "", fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
		return res.StatusCode, res.Header.Get("ETag"), nil
	}

	ack := &acks{versions: map[string]int64{}}
	var (
		inFlight atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
		failures = make(chan error, killWriters)
	)
	communes := cat.Communes
	start := time.Now()
	for w := range killWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				c := communes[(w*7919+n*104729)%len(communes)]
				id := fmt.Sprintf("zone:k%d-%d", w, n)
				body := fmt.Sprintf(`{"type": "Feature", "id": %q, "geometry": {"type": "Point", "coordinates": [%g, %g]},
					"properties": {"kind": "zone", "name": "Zone %d-%d de %s", "commune": %q, "area_ha": %d}}`,
					id, c.Point[0]+0.001, c.Point[1], w, n, strings.ReplaceAll(c.Name, `"`, ""), c.Code, 1+n%50)
				inFlight.Add(1)
				code, etag, err := send(http.MethodPost, "/v1/sites", "", "application/geo+json", body)
				inFlight.Add(-1)
				if err != nil {
					if code != 0 { // an answer that is not a success: a bug
						failures <- err
					}
					return
				}
				ack.add(id, etagVersion(t, etag))
				for k := range 2 {
					patch := fmt.Sprintf(`{"properties": {"status": "étape %d", "available_ha": %g}}`, k, float64(k)/2)
					inFlight.Add(1)
					code, etag, err = send(http.MethodPatch, "/v1/sites/"+id, etag, "application/merge-patch+json", patch)
					inFlight.Add(-1)
					if err != nil {
						if code != 0 {
							failures <- err
						}
						return
					}
					ack.add(id, etagVersion(t, etag))
				}
			}
		}()
	}
	deadline := time.Now().Add(3 * time.Minute)
	for ack.n.Load() < killAfter {
		select {
		case err := <-failures:
			t.Fatalf("a write failed before the kill: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged in 3 minutes\n%s", ack.n.Load(), logs)
		}
		time.Sleep(2 * time.Millisecond)
	}
	ackedAtKill, flying := ack.n.Load(), inFlight.Load()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	stop.Store(true)
	wg.Wait()
	_ = cmd.Wait()
	close(failures)
	for err := range failures {
		t.Errorf("a write failed: %v", err)
	}
	total := ack.n.Load()
	t.Logf("SIGKILL after %d acknowledged writes in %s, %d requests in flight; %d acknowledged in all (answers read after the kill included), on %d sites",
		ackedAtKill, elapsed.Round(time.Millisecond), flying, total, len(ack.versions))
	if total < 500 {
		t.Fatalf("only %d acknowledged writes around the kill", total)
	}

	// Restart on the same file: every acknowledged write is served.
	cmd, base, logs = startServer(t, bin, db, "--write-rate-limit", "0")
	type feature struct {
		ID         string         `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	getJSON := func(path string, v any) (int, http.Header) {
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		if res.StatusCode == http.StatusOK {
			if err := json.NewDecoder(res.Body).Decode(v); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		return res.StatusCode, res.Header
	}
	// consistent checks that a site is exactly the after of its last
	// history entry, with contiguous versions, and returns its version.
	consistent := func(id string) int64 {
		var got struct {
			Registry *feature `json:"registry"`
		}
		code, h := getJSON("/v1/sites/"+id, &got)
		if code != http.StatusOK || got.Registry == nil {
			t.Errorf("%s: status %d after the restart", id, code)
			return 0
		}
		v := etagVersion(t, h.Get("ETag"))
		var hist struct {
			Changes []struct {
				Version int64           `json:"version"`
				Verb    string          `json:"verb"`
				Who     string          `json:"who"`
				After   json.RawMessage `json:"after"`
			} `json:"changes"`
		}
		if code, _ := getJSON("/v1/sites/"+id+"/history", &hist); code != http.StatusOK || len(hist.Changes) == 0 {
			t.Errorf("%s: history status %d, %d entries", id, code, len(hist.Changes))
			return v
		}
		for i, c := range hist.Changes {
			if c.Version != int64(i+1) || c.Who != "kill-test" {
				t.Errorf("%s: history entry %d is version %d by %q", id, i, c.Version, c.Who)
			}
		}
		last := hist.Changes[len(hist.Changes)-1]
		var after feature
		_ = json.Unmarshal(last.After, &after)
		if last.Version != v || !reflect.DeepEqual(after, *got.Registry) {
			t.Errorf("%s: half applied: the site is at v%d %v, its last history entry v%d %v", id, v, got.Registry.Properties, last.Version, after.Properties)
		}
		wantStatus := map[int64]any{1: nil, 2: "étape 0", 3: "étape 1"}[v]
		if got.Registry.Properties["status"] != wantStatus {
			t.Errorf("%s: v%d has status %v", id, v, got.Registry.Properties["status"])
		}
		return v
	}
	lost := 0
	for id, want := range ack.versions {
		if v := consistent(id); v < want {
			lost++
			t.Errorf("%s: acknowledged at v%d, found at v%d", id, want, v)
		}
	}
	// Sites committed whose answer never left the server are whole too.
	var zones struct {
		Features []feature `json:"features"`
	}
	getJSON("/collections/zones/items?limit=10000", &zones)
	unacked := 0
	for _, f := range zones.Features {
		if _, ok := ack.versions[f.ID]; !ok {
			unacked++
			consistent(f.ID)
		}
	}
	if len(zones.Features) < len(ack.versions) {
		t.Errorf("the zones collection holds %d sites, %d acknowledged", len(zones.Features), len(ack.versions))
	}
	t.Logf("after the restart: %d of %d acknowledged sites found at their acknowledged version or later (%d lost); "+
		"%d sites committed without an acknowledgement, all whole", len(ack.versions)-lost, len(ack.versions), lost, unacked)

	// Stop the server, then check the file itself.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Errorf("exit status %d after SIGTERM\n%s", ee.ExitCode(), logs)
		}
	}
	st, _, err := openStore(context.Background(), db, &store.Options{Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.(interface{ IntegrityCheck(context.Context) error }).IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	page, err := st.List(context.Background(), store.Query{Kinds: []string{data.KindZone}})
	if err != nil {
		t.Fatal(err)
	}
	if page.Matched != len(zones.Features) {
		t.Errorf("the file holds %d zones, the restarted server served %d", page.Matched, len(zones.Features))
	}
}
