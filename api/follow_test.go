package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sitematch/data/store"
)

// TestFollowAppliesOtherWriters runs two servers on one GeoPackage file,
// each through its own store (as two processes would), the second
// following the file: sites the first creates, patches and deletes reach
// the second's matches and collections, both end on the same data
// version, and the follower's own writes are applied once, not again.
func TestFollowAppliesOtherWriters(t *testing.T) {
	a := newRegistry(t)
	b, err := store.Open(a.st.Path(), &store.Options{Reference: refVal})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	from, err := b.Seq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := overlayEngine(b)
	if err != nil {
		t.Fatal(err)
	}
	follower, err := NewServer(Config{Logger: slog.New(slog.DiscardHandler)}, eng, b)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); follower.Follow(ctx, b, from) }()
	defer func() { cancel(); wg.Wait() }()

	shows := func(s *Server, id string) bool {
		rec := do(t, s.Handler(), request{method: http.MethodGet, path: "/collections/zones/items?limit=10000"})
		if !strings.Contains(rec.Body.String(), `"id":"`+id+`"`) {
			return false
		}
		rec = do(t, s.Handler(), request{method: http.MethodPost, path: "/v1/match",
			body: `{"limit": 1000, "project": {"name": "f", "constraints": {"departements": ["76"], "kinds": ["zone"]}}}`})
		return strings.Contains(rec.Body.String(), `"id":"`+id+`"`)
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 5 s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	version := func(s *Server) string { return s.engine().Catalogue().Version }

	id := a.create("zone:follow-1", "zone", [2]float64{1.09, 49.44})
	eventually("the follower shows the created site", func() bool { return shows(follower, id) })
	eventually("same data version", func() bool { return version(follower) == version(a.s) })

	rec := a.send("admin", http.MethodDelete, "/v1/sites/"+id, `"v1"`, "", "")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	eventually("the follower drops the deleted site", func() bool { return !shows(follower, id) })
	eventually("same data version after the delete", func() bool { return version(follower) == version(a.s) })

	// The follower's own write: in its engine at once (its write path),
	// and skipped when Follow reads it back.
	key := a.keys["admin"]
	fr := do(t, follower.Handler(), request{method: http.MethodPost, path: "/v1/sites", ctype: mimeGeoJSON,
		body:   siteBody("zone:follow-own", "zone", "Own", [2]float64{1.1, 49.44}, nil),
		header: map[string]string{"Authorization": "Bearer " + key}})
	if fr.Code != http.StatusCreated {
		t.Fatalf("create through the follower: %d %s", fr.Code, fr.Body)
	}
	if !shows(follower, "zone:follow-own") {
		t.Error("the follower's own write is not in its next answers")
	}
	seq, _ := b.Seq(context.Background())
	eventually("the follower reaches the last sequence number", func() bool { return follower.follow.seq.Load() == seq })
	metrics := do(t, follower.Handler(), request{method: http.MethodGet, path: "/metrics"}).Body.String()
	if !strings.Contains(metrics, "\nsitematch_registry_changes_applied_total 2\n") {
		t.Errorf("the follower applied other than the 2 changes it did not make:\n%s", metrics)
	}
	reg := follower.followReport()
	if reg["reachable"] != true || reg["seq"] != seq {
		t.Errorf("readyz registry report %v", reg)
	}
}
