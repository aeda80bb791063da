package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sitematch/api"
	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

// defaultChromium is Debian's Chromium (package chromium);
// SITEMATCH_CHROMIUM names another binary.
const defaultChromium = "/usr/bin/chromium"

// TestBrowser drives the web app in headless Chromium against sitematch's
// real HTTP server on 127.0.0.1: it fills in a project (a wrong one first,
// to see the API's 400 land next to its field), ranks it, opens a site's
// details, compares three sites, asks for a regional shortlist, shows a
// catalogue layer, reopens a shared address and looks at the page on a
// phone. It saves screenshots in $SITEMATCH_SCREENSHOTS (a relative path is
// taken from the module root: SITEMATCH_SCREENSHOTS=docs writes
// docs/screenshot-results.png) or in a temporary folder, and fails on any
// JavaScript error, console error, CSP violation or request that leaves
// 127.0.0.1.
func TestBrowser(t *testing.T) {
	chromium := needChromium(t)
	shots := screenshotDir(t)
	base := startServer(t)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ctx = newBrowser(t, ctx, chromium)
	b := &browser{t: t, ctx: ctx, shots: shots}
	b.watch(base)

	b.do("open the page at 1280×800",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitReady(chromedp.CSS(`#p-sector option[value="chemistry"]`)),
	)
	if n := b.eval(`document.querySelectorAll('#p-trades input[type=checkbox]').length`); n < 10 {
		t.Fatalf("the trades list has %d checkboxes, want the trade families of /v1/profiles", n)
	}

	// A project the API refuses: the message must sit next to the field.
	b.do("submit a negative land area",
		chromedp.SetValue(chromedp.ID("p-land"), "-5"),
		chromedp.Click(chromedp.ID("p-submit")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="project.land_ha"]`)),
	)
	if !b.evalBool(`document.querySelector('#p-land').nextElementSibling.matches('.field-error[data-for="project.land_ha"]')
		&& document.querySelector('#p-land').getAttribute('aria-invalid') === 'true'
		&& document.activeElement.id === 'p-land'`) {
		t.Fatal("the API's error on project.land_ha is not shown right after the land input, or the input is not marked invalid and focused")
	}
	b.shot("screenshot-error.png")

	// The real project: chemistry, 12 ha, 150 jobs, a supplier found by
	// name, a customer placed on the map, sites (not towns) of known area
	// anywhere in France.
	b.do("fill in the project",
		chromedp.SetValue(chromedp.ID("p-land"), "12"),
		chromedp.SetValue(chromedp.ID("p-jobs"), "150"),
		chromedp.SetValue(chromedp.ID("p-name"), "Usine de chimie biosourcée"),
	)
	b.selectOption("#p-sector", "chemistry")
	if !b.evalBool(`document.querySelector('#p-trades input[value="chimie"]').checked && document.querySelector('#w-transport').value === '25'`) {
		t.Fatal("choosing the chemistry profile did not preset its trades and weights")
	}
	b.do("add a supplier by commune name",
		chromedp.Click(chromedp.CSS(`[data-add="suppliers"]`)),
		chromedp.SendKeys(chromedp.ID("suppliers-0-place"), "Amien"),
		chromedp.WaitVisible(chromedp.CSS(`#p-suppliers [role="option"][data-i="0"]`)),
		chromedp.SendKeys(chromedp.ID("suppliers-0-place"), kb.ArrowDown),
		chromedp.SendKeys(chromedp.ID("suppliers-0-place"), kb.Enter),
	)
	if v := b.value("#suppliers-0-place"); !strings.HasPrefix(v, "Amiens") {
		t.Fatalf("after choosing in the list the supplier's commune reads %q, want Amiens", v)
	}
	b.do("add a customer by clicking the map",
		chromedp.Click(chromedp.CSS(`[data-add="customers"]`)),
		chromedp.Click(chromedp.CSS(`#p-customers .partner [data-pick]`)),
		chromedp.WaitVisible(chromedp.ID("map-hint")),
	)
	x, y := b.mapPoint(49.44, 1.09) // Rouen
	b.do("click Rouen on the map", chromedp.MouseClickXY(x, y), chromedp.WaitNotVisible(chromedp.ID("map-hint")))
	if v := b.value("#customers-0-place"); !strings.HasPrefix(v, "Point") {
		t.Fatalf("after a click on the map the customer's place reads %q, want a point", v)
	}
	b.do("leave towns out, ask for known areas",
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="town"]`)),
		chromedp.Click(chromedp.CSS(`#project-form details.sub > summary`)),
		chromedp.Click(chromedp.ID("p-known-area")),
	)

	b.do("rank the sites",
		chromedp.Click(chromedp.ID("p-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#results-list .card`)),
	)
	if n := b.eval(`document.querySelectorAll('#results-list .card').length`); n < 5 {
		t.Fatalf("%d results listed, want at least 5", n)
	}
	if n := b.eval(`document.querySelectorAll('#results-list .card:first-child .bars li').length`); n < 5 {
		t.Fatalf("the first result has %d criterion bars, want at least 5", n)
	}
	if n := b.eval(`document.querySelectorAll('.leaflet-marker-icon .pin').length`); n < 5 {
		t.Fatalf("%d result markers on the map, want at least 5", n)
	}
	if !b.evalBool(`document.querySelectorAll('.field-error').length === 0`) {
		t.Fatal("field errors are still shown after a successful ranking")
	}
	shared := b.text(`location.href`)
	if !strings.Contains(shared, "#trouver?p=") {
		t.Fatalf("the address %q does not hold the project", shared)
	}
	b.pause(700) // let the map settle on the results
	b.shot("screenshot-results.png")

	// The ranking leaves for a GIS: GeoJSON and CSV downloads of the same
	// sites (the page says how many rows each file holds).
	cards := b.eval(`document.querySelectorAll('#results-list .card').length`)
	for _, f := range []string{"geojson", "csv"} {
		b.do("export the ranking as "+f, chromedp.Click(chromedp.CSS(`[data-export="`+f+`"]`)))
		b.waitJS(`(document.querySelector('#results-export').dataset.exported || '').startsWith('` + f + `:')`)
		if n := b.eval(`Number(document.querySelector('#results-export').dataset.rows)`); n != cards {
			t.Errorf("the %s export holds %d sites, the page lists %d", f, n, cards)
		}
	}

	b.do("open the first site's details",
		chromedp.Click(chromedp.CSS(`#results-list .card:first-child .card-actions [data-open]`)),
		chromedp.WaitVisible(chromedp.ID("detail-title")),
	)
	if n := b.eval(`document.querySelectorAll('#detail .crit .explain').length`); n < 5 {
		t.Fatalf("the detail shows %d explanations, want one per criterion (at least 5)", n)
	}
	if n := b.eval(`document.querySelectorAll('#detail .crit table, #detail .crit dl').length`); n < 5 {
		t.Fatalf("the detail shows %d tables of numbers, want one per criterion", n)
	}
	if !strings.Contains(b.text(`location.hash`), "site=") {
		t.Fatal("the address does not name the open site")
	}
	b.pause(700)
	b.shot("screenshot-detail.png")
	b.do("back to the list", chromedp.Click(chromedp.ID("detail-back")), chromedp.WaitVisible(chromedp.ID("results-list")))

	b.do("compare three sites",
		chromedp.Click(chromedp.CSS(`#results-list .card:nth-child(1) [data-compare]`)),
		chromedp.Click(chromedp.CSS(`#results-list .card:nth-child(2) [data-compare]`)),
		chromedp.Click(chromedp.CSS(`#results-list .card:nth-child(3) [data-compare]`)),
		chromedp.Click(chromedp.ID("tab-comparer")),
		chromedp.WaitVisible(chromedp.ID("view-comparer")),
		chromedp.Click(chromedp.ID("compare-run")),
		chromedp.WaitVisible(chromedp.CSS(`table.compare`)),
	)
	if n := b.eval(`document.querySelectorAll('table.compare > thead > tr > th').length`); n != 4 {
		t.Fatalf("the comparison has %d header cells, want 4 (criterion + 3 sites)", n)
	}
	if n := b.eval(`document.querySelectorAll('table.compare > tbody > tr').length`); n < 6 {
		t.Fatalf("the comparison has %d rows, want the score and every criterion", n)
	}
	b.pause(500)
	b.shot("screenshot-compare.png")

	b.do("ask for a regional shortlist",
		chromedp.Click(chromedp.ID("tab-preselection")),
		chromedp.WaitVisible(chromedp.ID("shortlist-form")),
	)
	b.selectOption("#sl-region", "84")
	b.do("submit the shortlist",
		chromedp.Click(chromedp.ID("sl-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#sl-out .pair`)),
	)
	if n := b.eval(`document.querySelectorAll('#sl-out .runners li').length`); n < 1 {
		t.Fatal("the shortlist shows no runner-up pair")
	}
	if n := b.eval(`document.querySelectorAll('.leaflet-marker-icon .letter-pin').length`); n != 2 {
		t.Fatalf("%d recommended sites on the map, want 2", n)
	}
	b.pause(500)
	b.shot("screenshot-shortlist.png")

	b.do("show the turnkey sites of the catalogue",
		chromedp.Click(chromedp.ID("tab-catalogue")),
		chromedp.Click(chromedp.CSS(`[data-layer="turnkey"]`)),
		chromedp.Click(chromedp.CSS(`[data-layer="airports"]`)),
	)
	b.waitJS(`/^\d/.test(document.querySelector('#cat-count-turnkey').textContent) && /^\d/.test(document.querySelector('#cat-count-airports').textContent)`)
	b.clickFirstFeature()
	b.do("see its properties", chromedp.WaitVisible(chromedp.ID("cat-feature-title")))
	if !strings.Contains(b.text(`document.querySelector('#cat-feature').textContent`), "Source") {
		t.Fatal("the catalogue feature panel does not show its source")
	}
	b.shot("screenshot-catalogue.png")

	// Every brownfield of mainland France at zoom 6, from the tiles
	// (grouped into counted cells): no cap, no département left out.
	b.do("show the brownfields of France at zoom 6",
		chromedp.Click(chromedp.CSS(`[data-layer="turnkey"]`)),
		chromedp.Click(chromedp.CSS(`[data-layer="airports"]`)),
		chromedp.Click(chromedp.CSS(`[data-layer="brownfields"]`)),
		chromedp.Evaluate[chromedp.Void](`void window.__sitematchMap.setView([46.5, 2.5], 6, {animate: false})`),
	)
	b.pause(500)
	b.waitJS(`(() => { const cs = document.querySelectorAll('[data-collection="brownfields"] canvas'); return cs.length > 0 && [...cs].every((c) => c.dataset.loaded); })()`)
	sums := b.brownfieldsByRegion()
	for k, n := range sums {
		if n < 50 {
			t.Errorf("%s: %v brownfields drawn at zoom 6, want every région shown (%v)", k, n, sums)
		}
	}
	if sums["total"] < 20000 {
		t.Errorf("%v brownfields drawn at zoom 6, want the ~24,000 of mainland France", sums["total"])
	}
	t.Logf("brownfields drawn at zoom 6 by région: %v", sums)
	b.shot("screenshot-brownfields-z6.png")

	// The shared address reopens the same ranking in a fresh page.
	b.do("reopen the shared address",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(shared),
		chromedp.WaitVisible(chromedp.CSS(`#results-list .card`)),
	)
	if v := b.value("#p-land"); v != "12" {
		t.Fatalf("the shared address restored land %q, want 12", v)
	}

	// A 375-px phone: no horizontal scrolling, tabs and results reachable.
	b.do("look at it on a phone",
		chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(shared),
		chromedp.WaitVisible(chromedp.CSS(`#results-list .card`)),
	)
	if w := b.eval(`document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("on a 375-px screen the page is %d px wide: it scrolls sideways", w)
	}
	b.pause(500)
	b.shot("screenshot-phone.png")
	b.do("switch to the full-screen map", chromedp.Click(chromedp.ID("map-switch")))
	b.pause(400)
	b.shot("screenshot-phone-map.png")

	b.checkClean()
	t.Logf("screenshots in %s", shots)
}

// startServer starts sitematch's API server on 127.0.0.1 and returns its
// base URL.
func startServer(t *testing.T) string {
	t.Helper()
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatalf("loading the catalogue: %v", err)
	}
	// The site registry lives in the test's temporary folder, as
	// `sitematch serve --db` would keep it.
	st, err := store.Open(filepath.Join(t.TempDir(), "registry.gpkg"), &store.Options{Catalogue: cat})
	if err != nil {
		t.Fatalf("opening the registry: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	over, err := store.Overlay(context.Background(), st, cat)
	if err != nil {
		t.Fatalf("reading the registry: %v", err)
	}
	eng, err := matching.NewEngine(over)
	if err != nil {
		t.Fatalf("building the engine: %v", err)
	}
	srv, err := api.NewServer(api.Config{Addr: "127.0.0.1:0"}, eng, st)
	if err != nil {
		t.Fatalf("api.NewServer: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func newBrowser(t *testing.T, parent context.Context, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "fr-FR"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return ctx
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SITEMATCH_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if !filepath.IsAbs(dir) {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}

// browser runs the steps of the test and collects what the page reports.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string

	mu       sync.Mutex
	problems []string // JavaScript errors, console errors, outside requests
}

// watch records every console error, uncaught exception and CSP violation,
// and every request that does not go to the server under test. The one
// network error the test causes on purpose, the 400 of a bad project, is
// allowed.
func (b *browser) watch(base string) {
	u, _ := url.Parse(base)
	msgs := chromedp.Console(b.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			switch {
			case m.IsException():
				b.problem("uncaught exception: %s", m.String())
			case m.Type == chromedp.ConsoleError && m.Source == "network" && strings.Contains(m.Text, "status of 400"):
				b.t.Logf("expected network error: %s", m.Text)
			case m.Type == chromedp.ConsoleError:
				b.problem("console error (%s) at %s:%d: %s", cmpOr(m.Source, "console"), m.URL, m.Line+1, m.Text)
			case m.Type == chromedp.ConsoleWarning:
				b.t.Logf("console warning: %s", m.Text)
			}
		}
	}()
	reqs := chromedp.Events(b.ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range reqs {
			if err != nil {
				return
			}
			r, perr := url.Parse(ev.Request.URL)
			if perr != nil || (r.Scheme != "data" && r.Scheme != "about" && r.Host != u.Host) {
				b.problem("request outside the server under test: %s", ev.Request.URL)
			}
		}
	}()
}

func (b *browser) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

func (b *browser) checkClean() {
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		b.t.Fatalf("the page reported %d problem(s):\n%s", len(b.problems), strings.Join(b.problems, "\n"))
	}
}

func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(step, err)
	}
}

func (b *browser) fail(step string, err error) {
	b.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (status lines: %s)", err, b.statusLines())
	}
	b.shot("failure.png")
	b.mu.Lock()
	probs := strings.Join(b.problems, "\n")
	b.mu.Unlock()
	b.t.Fatalf("%s: %v\npage problems so far:\n%s", step, err, probs)
}

// statusLines reads the page's status lines, to say why a wait failed.
func (b *browser) statusLines() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.status, .error:not([hidden])')].map(e => e.id + ': ' + e.textContent.trim()).filter(s => !s.endsWith(': ')).join(' | ')`))
	return s
}

func (b *browser) eval(js string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
	if err != nil {
		b.fail(js, err)
	}
	return n
}

func (b *browser) evalBool(js string) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.fail(js, err)
	}
	return v
}

func (b *browser) text(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.fail(js, err)
	}
	return v
}

func (b *browser) value(sel string) string {
	return b.text(fmt.Sprintf(`document.querySelector(%q).value`, sel))
}

// waitJS waits until the expression is true.
func (b *browser) waitJS(js string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !b.evalBool(js) {
		if time.Now().After(deadline) {
			b.fail("waiting for "+js, context.DeadlineExceeded)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// selectOption chooses an option as a user would: the value changes and
// the change event fires.
func (b *browser) selectOption(sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); return s.value; })()`, sel, value)
	if got := b.text(js); got != value {
		b.t.Fatalf("%s has no option %q", sel, value)
	}
}

// mapPoint returns the page coordinates of a place on the map.
func (b *browser) mapPoint(lat, lon float64) (float64, float64) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
		const r = document.querySelector('#map').getBoundingClientRect();
		const p = window.__sitematchMap.latLngToContainerPoint([%f, %f]);
		return [r.left + p.x, r.top + p.y];
	})()`, lat, lon)))
	if err != nil || len(xy) != 2 {
		b.fail("locating a point on the map", fmt.Errorf("%v (%v)", err, xy))
	}
	return xy[0], xy[1]
}

// clickFirstFeature clicks the first single turnkey site the catalogue's
// vector tiles drew (mvt.js keeps each tile's features in tile pixels),
// waiting for the tiles to arrive: the layer's count comes from the items
// route, before its tiles are drawn.
func (b *browser) clickFirstFeature() {
	b.t.Helper()
	var xy []float64
	var err error
	for deadline := time.Now().Add(30 * time.Second); len(xy) != 2 && time.Now().Before(deadline); {
		xy, err = b.findTurnkeyOnMap()
		if err != nil {
			break
		}
		if len(xy) != 2 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err != nil || len(xy) != 2 {
		b.fail("finding a turnkey site on the map", fmt.Errorf("%v (%v)", err, xy))
	}
	b.do("click the turnkey site", chromedp.MouseClickXY(xy[0], xy[1]))
}

// findTurnkeyOnMap returns the page coordinates of a single turnkey site
// drawn inside the map, or none yet.
func (b *browser) findTurnkeyOnMap() ([]float64, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const r = document.querySelector('#map').getBoundingClientRect();
		for (const c of document.querySelectorAll('[data-collection="turnkey"] canvas[data-loaded]')) {
			const cr = c.getBoundingClientRect(), k = cr.width / 256;
			for (const f of c.mvtFeatures || []) {
				if (!String(f.props.id || '').startsWith('turnkey:') || (f.props.count || 1) > 1) continue;
				const x = cr.left + f.px[0][0] * k, y = cr.top + f.px[0][1] * k;
				if (x > r.left + 20 && y > r.top + 20 && x < r.right - 20 && y < r.bottom - 20) return [x, y];
			}
		}
		return [];
	})()`))
}

// brownfieldsByRegion sums the brownfields the vector tiles drew, by
// mainland région box (rough boxes, enough to see every part of France).
func (b *browser) brownfieldsByRegion() map[string]float64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const boxes = {
			"Hauts-de-France": [1.4, 49.1, 4.2, 51.1], "Bretagne": [-5.1, 47.3, -1.1, 48.9],
			"Grand Est": [4.0, 47.5, 8.2, 50.1], "Nouvelle-Aquitaine": [-1.7, 43.0, 1.5, 46.9],
			"Occitanie": [0.0, 42.4, 4.8, 44.8], "Provence-Alpes-Côte d'Azur": [4.8, 43.0, 7.6, 44.9],
			"Auvergne-Rhône-Alpes": [2.5, 44.3, 7.0, 46.5], "Île-de-France": [1.5, 48.2, 3.5, 49.2],
			"Bourgogne-Franche-Comté": [3.0, 46.2, 7.0, 47.9], "Normandie": [-1.9, 48.5, 1.7, 50.0],
			"Pays de la Loire": [-2.5, 46.3, 0.8, 48.5], "Centre-Val de Loire": [0.1, 46.4, 3.0, 48.9],
			"Corse": [8.5, 41.4, 9.6, 43.0],
		};
		const sums = Object.fromEntries(Object.keys(boxes).map((k) => [k, 0]));
		sums.total = 0;
		const tile2lon = (x, z) => x / 2 ** z * 360 - 180;
		const tile2lat = (y, z) => { const n = Math.PI - 2 * Math.PI * y / 2 ** z; return 180 / Math.PI * Math.atan(Math.sinh(n)); };
		for (const c of document.querySelectorAll('[data-collection="brownfields"] canvas[data-loaded]')) {
			const [z, ty, tx] = c.dataset.tile.split('/').map(Number);
			for (const f of c.mvtFeatures || []) {
				const [px, py] = f.px[0], n = f.props.count || 1;
				const lon = tile2lon(tx + px / 256, z), lat = tile2lat(ty + py / 256, z);
				sums.total += n;
				for (const [k, [w, s, e, nn]] of Object.entries(boxes)) if (lon >= w && lon <= e && lat >= s && lat <= nn) sums[k] += n;
			}
		}
		return sums;
	})()`))
	if err != nil {
		b.fail("counting the brownfields drawn", err)
	}
	return out
}

func (b *browser) pause(ms int) { time.Sleep(time.Duration(ms) * time.Millisecond) }

func (b *browser) shot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(b.shots, name), buf, 0o644); err != nil {
		b.t.Errorf("writing %s: %v", name, err)
	}
}

// needChromium skips the test under -short or without Chromium
// ($SITEMATCH_CHROMIUM, defaultChromium) and returns its path.
func needChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the browser tests take seconds to minutes")
	}
	chromium := cmpOr(os.Getenv("SITEMATCH_CHROMIUM"), defaultChromium)
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("no Chromium at %s (apt-get install chromium, or set SITEMATCH_CHROMIUM): %v", chromium, err)
	}
	return chromium
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestBrowserWeightShares checks that the weight sliders show the shares
// the engine applies. On the empty form (no partner, no jobs, no land) it
// reads each criterion's share, then submits the form and posts the very
// body the page sent to /v1/match: each applicable criterion's share must
// be the response's weight, and each criterion the response lists in
// not_applicable must read "non applicable" with its reason. Filling in
// jobs and land must then make labour and land applicable.
func TestBrowserWeightShares(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := &browser{t: t, ctx: newBrowser(t, ctx, chromium), shots: t.TempDir()}
	b.watch(base)
	b.do("open the page",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	type shown struct {
		Share string `json:"share"`
		Text  string `json:"text"`
		Why   string `json:"why"`
		NA    bool   `json:"na"`
	}
	read := func() map[string]shown {
		t.Helper()
		var out map[string]shown
		js := `JSON.stringify(Object.fromEntries([...document.querySelectorAll('#p-weights input[type=range]')].map((r) => {
			const c = r.dataset.crit, o = document.getElementById('w-' + c + '-out'), w = document.getElementById('w-' + c + '-why');
			return [c, {share: o.dataset.share, text: o.textContent, why: w.hidden ? '' : w.textContent,
				na: document.getElementById('w-' + c + '-box').classList.contains('na')}];
		})))`
		if err := json.Unmarshal([]byte(b.text(js)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	empty := read()

	// Keep the body the page posts, then rank the empty form.
	b.evalBool(`(() => { const f = window.fetch; window.__matchBodies = [];
		window.fetch = (u, o) => { if (String(u).endsWith('/v1/match')) window.__matchBodies.push(o.body); return f(u, o); };
		return true; })()`)
	b.do("rank the empty form", chromedp.Click(chromedp.ID("p-submit")), chromedp.WaitVisible(chromedp.CSS(`#results-list .card`)))
	body := b.text(`window.__matchBodies[0] || ''`)
	res, err := http.Post(base+"/v1/match", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct {
		Results []struct {
			Site     struct{ Kind string } `json:"site"`
			Criteria map[string]struct {
				Weight float64 `json:"weight"`
			} `json:"criteria"`
		} `json:"results"`
		NotApplicable []string `json:"not_applicable"`
	}
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode != http.StatusOK || len(m.Results) == 0 {
		t.Fatalf("/v1/match of the page's body %s: %d, %v", body, res.StatusCode, err)
	}
	for c, s := range empty {
		if slices.Contains(m.NotApplicable, c) {
			if !s.NA || s.Text != "non applicable" || !strings.HasPrefix(s.Why, "Non applicable : ") {
				t.Errorf("%s is not applicable for the engine; the form shows %+v", c, s)
			}
			continue
		}
		w, ok := m.Results[0].Criteria[c]
		share, err := strconv.ParseFloat(s.Share, 64)
		if !ok || err != nil || s.NA || math.Abs(share-w.Weight) > 0.001 || !strings.HasPrefix(s.Text, strconv.Itoa(int(math.Round(100*w.Weight)))+" ") {
			t.Errorf("%s: the form shows %+v; the engine applies weight %v", c, s, w.Weight)
		}
	}
	// The figures: no jobs and no land on the empty form.
	for c, want := range map[string]string{"transport": "56", "training": "33", "territory": "11"} {
		if !strings.HasPrefix(empty[c].Text, want+" ") {
			t.Errorf("%s reads %q on the empty form, want %s %%", c, empty[c].Text, want)
		}
	}
	if !empty["labour"].NA || !empty["land"].NA || !empty["supply_chain"].NA {
		t.Errorf("labour, land and supply_chain must read not applicable on the empty form: %+v", empty)
	}

	// As typing would: the value, then an input event.
	b.evalBool(`['p-jobs', 'p-land'].every((id) => { const el = document.getElementById(id); el.value = '12';
		el.dispatchEvent(new Event('input', {bubbles: true})); return true; })`)
	after := read()
	if after["labour"].NA || after["land"].NA || after["labour"].Share == "" || after["land"].Share == "" {
		t.Errorf("with jobs and land, labour and land apply: %+v", after)
	}
	b.checkClean()
}
