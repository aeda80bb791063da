package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"sitematch/data/store"
)

// TestWriteRateLimit: a key over its write allowance gets a 429 with
// Retry-After and a problem naming Authorization; another key still
// writes.
func TestWriteRateLimit(t *testing.T) {
	s, st := newRegistryServer(t, Config{WriteRateLimit: 0.01, WriteBurst: 2})
	r := &registry{t: t, s: s, st: st, keys: map[string]string{}}
	for _, k := range []struct{ name, role, region string }{{"admin", store.RoleAdmin, ""}, {"normandie", store.RoleRegionEditor, "28"}} {
		key, _, err := st.CreateKey(context.Background(), k.name, k.role, k.region)
		if err != nil {
			t.Fatal(err)
		}
		r.keys[k.name] = key
	}
	for i := range 2 {
		if rec := r.send("admin", "POST", "/v1/sites", "", "", siteBody("", "zone", "ZA "+strconv.Itoa(i), inNormandie, nil)); rec.Code != http.StatusCreated {
			t.Fatalf("write %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	rec := r.send("admin", "POST", "/v1/sites", "", "", siteBody("", "zone", "ZA 3", inNormandie, nil))
	p := decodeAs[Problem](t, rec, http.StatusTooManyRequests)
	if p.Type != "/problems/rate-limited" || len(p.Errors) != 1 || p.Errors[0].Field != "Authorization" {
		t.Errorf("problem %+v", p)
	}
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 50 {
		t.Errorf("Retry-After %q, want the time to the next write (about 100 s at 0.01/s)", rec.Header().Get("Retry-After"))
	}
	if rec := r.send("normandie", "POST", "/v1/sites", "", "", siteBody("", "zone", "ZA N", inNormandie, nil)); rec.Code != http.StatusCreated {
		t.Errorf("another key: %d %s", rec.Code, rec.Body)
	}
}

// TestGeometryValidatedBeforeTheLock: while another write holds the
// registry's lock, a PUT or PATCH with a self-crossing outline is refused
// at once, without waiting for it.
func TestGeometryValidatedBeforeTheLock(t *testing.T) {
	r := newRegistry(t)
	id := r.create("zone:lock-test", "zone", inNormandie)
	bowtie := `{"type": "Polygon", "coordinates": [[[1.09, 49.44], [1.10, 49.45], [1.10, 49.44], [1.09, 49.45], [1.09, 49.44]]]}`
	put := `{"type": "Feature", "geometry": ` + bowtie + `, "properties": {"kind": "zone", "name": "ZA"}}`
	patch := `{"geometry": ` + bowtie + `}`
	// A write that holds the one writer's lock until the test ends.
	held, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go r.s.live.Write(context.Background(), func(context.Context) (string, error) {
		close(held)
		<-release
		return "", errors.New("released")
	})
	<-held
	for _, c := range []struct{ method, ctype, body string }{{"PUT", mimeGeoJSON, put}, {"PATCH", mimeMergePatch, patch}} {
		done := make(chan *httptest.ResponseRecorder, 1)
		go func() { done <- r.send("admin", c.method, "/v1/sites/"+id, `"v1"`, c.ctype, c.body) }()
		select {
		case rec := <-done:
			if p := decodeAs[Problem](t, rec, http.StatusBadRequest); p.Type != "/problems/invalid-site" || p.Errors[0].Field != "geometry.coordinates" {
				t.Errorf("%s: %+v", c.method, p)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s waited for the write lock to validate its geometry", c.method)
		}
	}
}
