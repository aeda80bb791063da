package api

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ogrinfo runs GDAL's ogrinfo and returns its standard output, failing on
// an error or on anything GDAL writes to standard error (warnings).
func ogrinfo(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ogrinfo", args...)
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "GDAL_HTTP_TIMEOUT=60", "CPL_DEBUG=OFF")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s\n%s", strings.Join(args, " "), err, stderr.String(), stdout.String())
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		t.Errorf("ogrinfo %s wrote to stderr:\n%s", strings.Join(args, " "), s)
	}
	return stdout.String()
}

// TestOgrinfo opens the server with GDAL's OGC API Features driver
// (Debian's gdal-bin): it must list every collection, count features, read
// features in a bbox, and read a layer through several pages by following
// the next links, without a warning.
func TestOgrinfo(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin): skipping the GDAL OAPIF test")
	}
	s, logs := newTestServer(t, Config{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	ds := "OAPIF:" + ts.URL

	// The collections.
	out := ogrinfo(t, "-ro", "-so", ds)
	for i, id := range collectionIDs {
		if !regexp.MustCompile(`(?m)^` + strconv.Itoa(i+1) + `: ` + id + ` \(title: `).MatchString(out) {
			t.Errorf("ogrinfo does not list %s:\n%s", id, out)
		}
	}

	// Feature counts come from numberMatched.
	cat := testEngine(t).Catalogue()
	out = ogrinfo(t, "-ro", "-so", ds, "brownfields")
	if !strings.Contains(out, "Feature Count: "+strconv.Itoa(len(cat.Brownfields))) || !strings.Contains(out, "Geometry: Point") {
		t.Errorf("brownfields summary:\n%s", out)
	}

	// Features in a box.
	box := [4]float64{1, 48, 3.5, 51}
	want := 0
	for _, s := range cat.Turnkey {
		if s.Point[0] >= box[0] && s.Point[0] <= box[2] && s.Point[1] >= box[1] && s.Point[1] <= box[3] {
			want++
		}
	}
	out = ogrinfo(t, "-ro", ds, "turnkey", "-spat", "1", "48", "3.5", "51")
	if got := strings.Count(out, "OGRFeature(turnkey):"); got != want || want == 0 {
		t.Errorf("%d turnkey features in the box, want %d:\n%s", got, want, out)
	}
	for _, field := range []string{"source (String) = ", "id (String) = turnkey:", "POINT ("} {
		if !strings.Contains(out, field) {
			t.Errorf("features lack %q", field)
		}
	}

	// A layer over several pages: GDAL follows the next links.
	out = ogrinfo(t, "-ro", "-oo", "PAGE_SIZE=1000", ds, "stations")
	if got := strings.Count(out, "OGRFeature(stations):"); got != len(cat.Stations) {
		t.Errorf("read %d stations through the pages, want %d", got, len(cat.Stations))
	}
	pages := 0
	for _, r := range accessLogs(t, logs, "/collections/:collectionId/items") {
		uri := r["uri"].(string)
		if strings.Contains(uri, "/stations/items") && strings.Contains(uri, "offset=") {
			pages++
		}
		if r["status"].(float64) != 200 {
			t.Errorf("GDAL got %v for %s", r["status"], uri)
		}
	}
	if pages < 2 {
		t.Errorf("GDAL followed %d next links for stations", pages)
	}
	for _, r := range logs.records(t) {
		if st, ok := r["status"].(float64); ok && st != 200 {
			t.Errorf("GDAL's request %v got %v", r["uri"], st)
		}
	}
}
