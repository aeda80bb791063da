package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserNAF drives the project's NAF code in headless Chromium
// against the real server. Before a code is typed the ecosystem criterion
// reads not applicable, with the missing code as its reason. A bad code
// gets the server's error, in French, under the field (a partner's too,
// under its own); a good one shows
// the sector's A38 branch and the main supplier branches GET
// /v1/sectors/{naf} names, and makes ecosystem applicable. The /v1/match
// body then carries naf, the ecosystem slider shows the share the server
// applies, and a site's detail shows the supplier branches, the nearest
// establishments and the source of the server's answer to that body.
func TestBrowserNAF(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t)
	const naf = "30.30Z"
	var sector struct {
		Branch      string `json:"branch"`
		BranchLabel string `json:"branch_label"`
		Suppliers   []struct {
			Branch string `json:"branch"`
		} `json:"suppliers"`
		Profiles []string `json:"profiles"`
	}
	getJSON(t, base+"/v1/sectors/"+naf, &sector)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := &browser{t: t, ctx: newBrowser(t, ctx, chromium), shots: screenshotDir(t)}
	b.watch(base)
	b.do("open the page",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	if !b.evalBool(`document.getElementById('w-ecosystem-box').classList.contains('na')`) ||
		!strings.Contains(b.text(`document.getElementById('w-ecosystem-why').textContent`), "code NAF") {
		t.Errorf("without a NAF code ecosystem must read not applicable for want of the code: %q",
			b.text(`document.getElementById('w-ecosystem-why').textContent`))
	}
	if label := b.text(`document.querySelector('label[for="w-ecosystem"]').textContent`); label == "" || label == "ecosystem" {
		t.Errorf("ecosystem has no French label (%q)", label)
	}

	// typeNAF types a code as a user would: the value, then an input event.
	typeNAF := func(code string) {
		b.t.Helper()
		b.evalBool(fmt.Sprintf(`(() => { const el = document.getElementById('p-naf'); el.value = %q;
			el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`, code))
	}
	typeNAF("3")
	b.waitJS(`!!document.querySelector('.field-error[data-for="project.naf"]')`)
	msg := b.text(`document.querySelector('.field-error[data-for="project.naf"]').textContent`)
	if !strings.Contains(msg, "code NAF") || strings.Contains(msg, "must") {
		t.Errorf("a bad code's error reads %q, want the server's message in French", msg)
	}
	if b.text(`document.getElementById('p-naf').getAttribute('aria-invalid') || ''`) != "true" {
		t.Error("the NAF field is not marked invalid")
	}

	typeNAF(naf)
	b.waitJS(`!!document.querySelector('#p-naf-info .naf-branch')`)
	if b.evalBool(`!!document.querySelector('.field-error[data-for="project.naf"]')`) {
		t.Error("the bad code's error stays after a good code")
	}
	if info := b.text(`document.getElementById('p-naf-info').textContent`); !strings.Contains(info, sector.BranchLabel) || !strings.Contains(info, sector.Branch) {
		t.Errorf("the sector reads %q, want its branch %s %q", info, sector.Branch, sector.BranchLabel)
	}
	var shownSuppliers, wantSuppliers []string
	b.jsonOf(`[...document.querySelectorAll('#p-naf-info .naf-suppliers li')].map((li) => li.dataset.branch)`, &shownSuppliers)
	for _, s := range sector.Suppliers[:min(5, len(sector.Suppliers))] {
		wantSuppliers = append(wantSuppliers, s.Branch)
	}
	if len(wantSuppliers) == 0 || !slices.Equal(shownSuppliers, wantSuppliers) {
		t.Errorf("the page lists supplier branches %v, /v1/sectors %v", shownSuppliers, wantSuppliers)
	}
	if b.evalBool(`document.getElementById('w-ecosystem-box').classList.contains('na')`) {
		t.Error("with a NAF code ecosystem must apply")
	}
	// The profiles naming the division are shown by their French labels.
	var profiles struct {
		Profiles []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
		} `json:"profiles"`
	}
	getJSON(t, base+"/v1/profiles", &profiles)
	shownProfiles := b.text(`document.querySelector('#p-naf-info .naf-profiles')?.textContent || ''`)
	if len(sector.Profiles) == 0 {
		t.Errorf("no profile names 30.30Z's division")
	}
	for _, id := range sector.Profiles {
		for _, p := range profiles.Profiles {
			if p.ID == id && !strings.Contains(shownProfiles, p.Label) {
				t.Errorf("the sector's profiles read %q, without %q", shownProfiles, p.Label)
			}
		}
	}
	b.shot("screenshot-naf.png")

	// A partner's NAF code is sent under its own path: the server's error
	// sits under that partner's field.
	b.do("add a supplier with a bad NAF code", chromedp.Click(chromedp.CSS(`[data-add="suppliers"]`)), chromedp.WaitVisible(chromedp.ID("suppliers-0-naf")))
	b.evalBool(`[['suppliers-0-name', 'Fonderie'], ['suppliers-0-naf', '00']].every(([id, v]) => { const el = document.getElementById(id);
		el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })`)
	b.do("submit the bad partner code", chromedp.Click(chromedp.ID("p-submit")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="project.suppliers[0].naf"]`)))
	if got := b.text(`(() => { const e = document.querySelector('.field-error[data-for="project.suppliers[0].naf"]');
		return e.previousElementSibling.id + ': ' + e.textContent; })()`); got != "suppliers-0-naf: division NAF « 00 » inconnue" {
		t.Errorf("the partner's NAF error reads %q", got)
	}
	b.do("remove the supplier", chromedp.Click(chromedp.CSS(`#p-suppliers [data-remove]`)))
	if n := b.eval(`document.querySelectorAll('#p-suppliers .partner').length`); n != 0 {
		t.Fatalf("%d suppliers left", n)
	}

	b.do("fill in jobs and land",
		chromedp.SetValue(chromedp.ID("p-jobs"), "150"),
		chromedp.SetValue(chromedp.ID("p-land"), "12"),
	)
	b.evalBool(`(document.getElementById('p-land').dispatchEvent(new Event('input', {bubbles: true})), true)`)
	share := b.text(`document.getElementById('w-ecosystem-out').dataset.share`)
	b.evalBool(`(() => { const f = window.fetch; window.__matchBodies = [];
		window.fetch = (u, o) => { if (String(u).endsWith('/v1/match')) window.__matchBodies.push(o.body); return f(u, o); };
		return true; })()`)
	b.do("rank the sites", chromedp.Click(chromedp.ID("p-submit")), chromedp.WaitVisible(chromedp.CSS(`#results-list .card`)))
	body := b.text(`window.__matchBodies[0] || ''`)
	var sent struct {
		Project struct {
			NAF string `json:"naf"`
		} `json:"project"`
	}
	if err := json.Unmarshal([]byte(body), &sent); err != nil || sent.Project.NAF != naf {
		t.Fatalf("the page's /v1/match body %q carries naf %q (%v), want %s", body, sent.Project.NAF, err, naf)
	}

	var res struct {
		Results []struct {
			Criteria map[string]struct {
				Weight  float64 `json:"weight"`
				Explain string  `json:"explain"`
				Detail  struct {
					Source   string `json:"source"`
					Branches []struct {
						Branch string `json:"branch"`
					} `json:"branches"`
					Nearest []struct {
						Name string `json:"name"`
					} `json:"nearest"`
				} `json:"detail"`
			} `json:"criteria"`
		} `json:"results"`
		NotApplicable []string `json:"not_applicable"`
	}
	postJSON(t, base+"/v1/match", body, &res)
	if len(res.Results) == 0 || slices.Contains(res.NotApplicable, "ecosystem") {
		t.Fatalf("the server did not score ecosystem: %d results, not applicable %v", len(res.Results), res.NotApplicable)
	}
	eco, ok := res.Results[0].Criteria["ecosystem"]
	if !ok || len(eco.Detail.Branches) == 0 {
		t.Fatalf("the first result has no ecosystem detail: %+v", res.Results[0].Criteria["ecosystem"])
	}
	if got, err := strconv.ParseFloat(share, 64); err != nil || math.Abs(got-eco.Weight) > 0.001 {
		t.Errorf("the ecosystem slider showed share %q, the server applies %v", share, eco.Weight)
	}

	b.do("open the first site's details",
		chromedp.Click(chromedp.CSS(`#results-list .card:first-child .card-actions [data-open]`)),
		chromedp.WaitVisible(chromedp.ID("detail-title")),
	)
	const crit = `#detail .crit[data-crit="ecosystem"]`
	if got := b.text(`document.querySelector('` + crit + ` .explain')?.textContent || ''`); got != eco.Explain {
		t.Errorf("the detail's ecosystem explanation reads %q, the answer %q", got, eco.Explain)
	}
	var branches, want []string
	b.jsonOf(`[...document.querySelectorAll('`+crit+` .eco-branches tbody tr')].map((tr) => tr.dataset.branch)`, &branches)
	for _, br := range eco.Detail.Branches {
		want = append(want, br.Branch)
	}
	if !slices.Equal(branches, want) {
		t.Errorf("the detail lists supplier branches %v, the answer %v", branches, want)
	}
	text := b.text(`document.querySelector('` + crit + `').textContent`)
	for _, n := range eco.Detail.Nearest {
		if !strings.Contains(text, n.Name) {
			t.Errorf("the detail does not name the nearby establishment %q", n.Name)
		}
	}
	if src := map[string]string{"establishments": "IREP", "jobs": "Urssaf"}[eco.Detail.Source]; src == "" || !strings.Contains(text, src) {
		t.Errorf("the detail does not name the source %q (%q)", eco.Detail.Source, src)
	}
	b.evalBool(`(document.querySelector('` + crit + `').scrollIntoView(), true)`)
	b.shot("screenshot-ecosystem.png")

	// The address holds the code: reopened, the field and its sector come back.
	shared := b.text(`location.href`)
	b.do("reopen the shared address",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(shared),
		chromedp.WaitVisible(chromedp.ID("detail-title")),
	)
	b.waitJS(`!!document.querySelector('#p-naf-info .naf-branch')`)
	if b.value("#p-naf") != naf || b.evalBool(`document.getElementById('w-ecosystem-box').classList.contains('na')`) {
		t.Errorf("the shared address brought back NAF %q (ecosystem applicable: %v)", b.value("#p-naf"),
			!b.evalBool(`document.getElementById('w-ecosystem-box').classList.contains('na')`))
	}
	b.checkClean()
}

// TestBrowserTerritory drives the territory view of "Présélection
// régionale": the field suggests the Territoires d'industrie of the OGC
// collection; an EPCI's and a Territoire d'industrie's supplier base,
// land, labour and transport show as GET /v1/territories/{code} answers
// them, the Urssaf jobs said unknown where the layer does not cover the
// territory; an empty code is refused under the field.
func TestBrowserTerritory(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t)
	type territory struct {
		Name         string `json:"name"`
		Communes     int    `json:"communes"`
		SupplierBase struct {
			Jobs     *int `json:"jobs"`
			Branches []struct {
				Branch string `json:"branch"`
			} `json:"branches"`
		} `json:"supplier_base"`
		Transport map[string]struct {
			Name string `json:"name"`
		} `json:"transport"`
		Gaps []string `json:"gaps"`
	}
	var tis struct {
		Features []struct{} `json:"features"`
	}
	getJSON(t, base+"/collections/territoires_industrie/items?limit=1000&properties=id", &tis)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := &browser{t: t, ctx: newBrowser(t, ctx, chromium), shots: screenshotDir(t)}
	b.watch(base)
	b.do("open the regional view",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/#preselection"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.ID("ter-code")),
	)
	b.do("submit no code", chromedp.Click(chromedp.ID("ter-submit")), chromedp.WaitVisible(chromedp.CSS(`#territory-form .field-error[data-for="code"]`)))
	b.do("focus the field", chromedp.Focus(chromedp.ID("ter-code")))
	b.waitJS(`document.querySelectorAll('#ter-list option').length > 0`)
	if n := b.eval(`document.querySelectorAll('#ter-list option').length`); n != len(tis.Features) || n == 0 {
		t.Errorf("the field suggests %d Territoires d'industrie, the collection holds %d", n, len(tis.Features))
	}

	for _, c := range []struct {
		code      string
		jobsKnown bool
	}{{"200023414", true}, {"ti-2807", false}} {
		var want territory
		getJSON(t, base+"/v1/territories/"+c.code, &want)
		if (want.SupplierBase.Jobs != nil) != c.jobsKnown {
			t.Fatalf("%s: the server's jobs %v, the test expects known = %v", c.code, want.SupplierBase.Jobs, c.jobsKnown)
		}
		b.do("show "+c.code,
			chromedp.SetValue(chromedp.ID("ter-code"), c.code),
			chromedp.Click(chromedp.ID("ter-submit")),
		)
		b.waitJS(fmt.Sprintf(`document.getElementById('ter-title')?.textContent === %q`, want.Name))
		if b.evalBool(`!!document.querySelector('#territory-form .field-error')`) {
			t.Errorf("%s: the empty code's error stays", c.code)
		}
		var rows, wantRows []string
		b.jsonOf(`[...document.querySelectorAll('#ter-out .ter-branches tbody tr')].map((tr) => tr.dataset.branch)`, &rows)
		for _, br := range want.SupplierBase.Branches[:min(10, len(want.SupplierBase.Branches))] {
			wantRows = append(wantRows, br.Branch)
		}
		if len(wantRows) == 0 || !slices.Equal(rows, wantRows) {
			t.Errorf("%s: the view lists branches %v, the server %v", c.code, rows, wantRows)
		}
		text := b.text(`document.getElementById('ter-out').textContent`)
		if unknown := strings.Contains(text, "non connus"); unknown == c.jobsKnown {
			t.Errorf("%s: jobs known %v, but the view says unknown = %v", c.code, c.jobsKnown, unknown)
		}
		for m, node := range want.Transport {
			if !strings.Contains(text, node.Name) {
				t.Errorf("%s: the view does not name the nearest %s, %q", c.code, m, node.Name)
			}
		}
		if n := b.eval(`document.querySelectorAll('#ter-out details li').length`); n < len(want.Gaps) || len(want.Gaps) == 0 {
			t.Errorf("%s: the view lists %d gaps and sources, the server %d gaps", c.code, n, len(want.Gaps))
		}
	}
	b.shot("screenshot-territory.png")
	b.checkClean()
}
