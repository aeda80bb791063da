package api

import (
	"bytes"
	"context"
	"fmt"
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

	// Every layer's definition: its fields typed by the collection's
	// schema, each once (GDAL adds the first page's fields the schema
	// lacks), without a warning.
	out = ogrinfo(t, "-ro", "-so", "-al", ds)
	layers := strings.Split(out, "\nLayer name: ")[1:]
	if len(layers) != len(collectionIDs) {
		t.Errorf("ogrinfo -al describes %d layers, want %d", len(layers), len(collectionIDs))
	}
	field := regexp.MustCompile(`(?m)^(\w+): (\w+)`)
	for _, l := range layers {
		name, _, _ := strings.Cut(l, "\n")
		seen := map[string]bool{}
		for _, m := range field.FindAllStringSubmatch(l, -1) {
			if seen[m[1]] {
				t.Errorf("layer %s has the field %s twice", name, m[1])
			}
			seen[m[1]] = true
		}
		if !seen["id"] || !seen["source"] {
			t.Errorf("layer %s lacks id or source:\n%s", name, l)
		}
	}
	if !strings.Contains(out, "Layer name: brownfields") || !regexp.MustCompile(`(?s)Layer name: brownfields.*?\narea_ha: Real`).MatchString(out) {
		t.Errorf("brownfields' area_ha is not a Real:\n%s", out)
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

// TestOgrinfoRegistryOutlines reads the registry's collections with GDAL
// once they hold a polygon zone beside point zones and a corrected
// brownfield: no warning, the polygon read as a POLYGON, the registry's
// properties as fields. GDAL's OAPIF driver takes a layer's geometry type
// from its first page of items (and cannot be told otherwise: a schema's
// any-geometry type is replaced by the first page's), so a first page
// holding both points and polygons reads as "Unknown (any)", and a layer
// whose first page holds points only is announced as Point while its
// polygons still arrive as polygons.
func TestOgrinfoRegistryOutlines(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin): skipping the GDAL OAPIF test")
	}
	r := newRegistry(t)
	poly := `{"type": "Feature", "id": "zone:a-poly", "geometry": {"type": "Polygon", "coordinates": [[[1.05, 49.40], [1.15, 49.40],
		[1.15, 49.42], [1.08, 49.42], [1.08, 49.46], [1.05, 49.46], [1.05, 49.40]]]},
		"properties": {"kind": "zone", "name": "ZA en L", "zoning": "UX", "power_mw": 12.5, "rail_siding": true}}`
	if rec := r.send("admin", "POST", "/v1/sites", "", "", poly); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
	}
	r.create("zone:b-point", "zone", inNormandie)
	bf := testEngine(t).Catalogue().Brownfields[300]
	if rec := r.send("admin", "PATCH", "/v1/sites/"+bf.ID, `"v0"`, mimeMergePatch, `{"properties": {"zoning": "UE"}}`); rec.Code != 200 {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body.String())
	}
	ts := httptest.NewServer(r.s.Handler())
	defer ts.Close()
	ds := "OAPIF:" + ts.URL

	out := ogrinfo(t, "-ro", ds, "zones")
	for _, want := range []string{"Geometry: Unknown (any)", "Feature Count: 2", "POLYGON ((1.05 49.4,1.15 49.4,", "POINT (1.0922 49.4418)",
		"zoning (String) = UX", "power_mw (Real) = 12.5", "rail_siding (Integer(Boolean)) = 1", "version (Integer) = 1",
		"created_by (String) = admin"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo zones lacks %q:\n%s", want, out)
		}
	}
	// The fields' types come from the collections' schemas, not from the
	// first page (where power_mw is null in every turnkey site).
	out = ogrinfo(t, "-ro", "-so", ds, "turnkey")
	for _, want := range []string{"zoning: String", "power_mw: Real", "rail_siding: Integer(Boolean)", "verified_on: Date",
		"created_at: DateTime", "version: Integer", "area_ha: Real"} {
		if !strings.Contains(out, want) {
			t.Errorf("turnkey summary lacks %q:\n%s", want, out)
		}
	}
	p := bf.Point
	out = ogrinfo(t, "-ro", ds, "brownfields", "-spat", fmt.Sprint(p[0]-0.001), fmt.Sprint(p[1]-0.001), fmt.Sprint(p[0]+0.001), fmt.Sprint(p[1]+0.001))
	if !strings.Contains(out, "id (String) = "+bf.ID) || !strings.Contains(out, "zoning (String) = UE") {
		t.Errorf("the corrected brownfield:\n%s", out)
	}
}
