package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserProjectOptions drives the page's newer project options in
// headless Chromium against the real server. An error on a folded option
// must unfold it and show in French. The weights panel and the
// transport needs must list every criterion and mode of /v1/profiles. A
// Seveso chemistry project that keeps unverified brownfields, needs its
// land by 2030, scores its supply chain by decay and takes at most 3 sites
// per commune must reach /v1/match
// under the contract's names; the page must then show what the server
// answers to that very body: the exclusions by reason in French (the
// Seveso gate's among them, with its rules), every result's flags and
// twins, and, in a site's detail, the energy criterion's explanation and
// numbers. A shared address must bring the options back.
func TestBrowserProjectOptions(t *testing.T) {
	chromium := needChromium(t)
	base := startServer(t)
	var profiles struct {
		Criteria []string `json:"criteria"`
		Modes    []struct {
			ID string `json:"id"`
		} `json:"modes"`
	}
	getJSON(t, base+"/v1/profiles", &profiles)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := &browser{t: t, ctx: newBrowser(t, ctx, chromium), shots: screenshotDir(t)}
	b.watch(base)
	b.do("open the page",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/app/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)

	// The panels follow the server's model, in its order.
	var crits, modes []string
	b.jsonOf(`[...document.querySelectorAll('#p-weights input[type=range]')].map((r) => r.dataset.crit)`, &crits)
	b.jsonOf(`[...document.querySelectorAll('#p-transport input[type=range]')].map((r) => r.dataset.mode)`, &modes)
	if !slices.Equal(crits, profiles.Criteria) {
		t.Errorf("the weights panel lists %v, /v1/profiles %v", crits, profiles.Criteria)
	}
	var wantModes []string
	for _, m := range profiles.Modes {
		wantModes = append(wantModes, m.ID)
	}
	if !slices.Equal(modes, wantModes) {
		t.Errorf("the transport needs list %v, /v1/profiles %v", modes, wantModes)
	}
	for _, c := range []string{"energy", "seveso_platform"} {
		if label := b.text(fmt.Sprintf(`document.querySelector('label[for="w-%s"]').textContent`, c)); label == c || label == "" {
			t.Errorf("criterion %s has no French label (%q)", c, label)
		}
	}
	if !b.evalBool(`document.getElementById('w-seveso_platform-box').classList.contains('na')`) {
		t.Error("seveso_platform must read not applicable before the project declares Seveso")
	}

	b.do("fill in a Seveso chemistry project",
		chromedp.SetValue(chromedp.ID("p-name"), "Chimie Seveso seuil haut"),
		chromedp.SetValue(chromedp.ID("p-land"), "12"),
		chromedp.SetValue(chromedp.ID("p-jobs"), "150"),
	)
	b.selectOption("#p-sector", "chemistry")
	b.do("open the advanced options",
		chromedp.Click(chromedp.CSS(`#p-advanced > summary`)),
		chromedp.WaitVisible(chromedp.ID("p-needed-by")),
		chromedp.SendKeys(chromedp.ID("p-needed-by"), "2030-13"),
		chromedp.Click(chromedp.ID("p-inc-unverified")),
		chromedp.SendKeys(chromedp.ID("p-per-commune"), "3"),
	)
	b.selectOption("#p-seveso", "upper")
	b.selectOption("#p-supply-mode", "decay")
	// A wrong month, the options folded: the API's error unfolds them and
	// sits under the field, in French.
	b.do("submit a wrong month with the options folded",
		chromedp.Click(chromedp.CSS(`#p-advanced > summary`)),
	)
	if b.evalBool(`document.getElementById('p-advanced').open`) {
		t.Fatal("the advanced options did not fold")
	}
	b.do("submit the wrong month",
		chromedp.Click(chromedp.ID("p-submit")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="project.needed_by"]`)),
	)
	if msg := b.text(`document.querySelector('.field-error[data-for="project.needed_by"]').textContent`); msg != "le mois doit être compris entre 01 et 12" {
		t.Errorf("the needed_by error reads %q", msg)
	}
	b.do("correct the month", chromedp.SetValue(chromedp.ID("p-needed-by"), "2030"))
	b.evalBool(`(document.getElementById('p-advanced').scrollIntoView(), true)`)
	b.shot("screenshot-options-form.png")
	if b.evalBool(`document.getElementById('w-seveso_platform-box').classList.contains('na')`) ||
		b.value("#w-seveso_platform") != "5" {
		t.Errorf("declaring Seveso must make seveso_platform apply at the engine's weight 5 (slider %s)", b.value("#w-seveso_platform"))
	}
	b.evalBool(`(() => { const f = window.fetch; window.__matchBodies = [];
		window.fetch = (u, o) => { if (String(u).endsWith('/v1/match')) window.__matchBodies.push(o.body); return f(u, o); };
		return true; })()`)
	b.do("rank the sites", chromedp.Click(chromedp.ID("p-submit")), chromedp.WaitVisible(chromedp.CSS(`#results-list .card`)))

	body := b.text(`window.__matchBodies[0] || ''`)
	var sent struct {
		Project struct {
			Seveso      string             `json:"seveso"`
			NeededBy    string             `json:"needed_by"`
			Weights     map[string]float64 `json:"weights"`
			Constraints map[string]any     `json:"constraints"`
			SupplyChain struct {
				Mode string `json:"mode"`
			} `json:"supply_chain"`
		} `json:"project"`
		MaxPerCommune *int `json:"max_per_commune"`
	}
	if err := json.Unmarshal([]byte(body), &sent); err != nil {
		t.Fatalf("the page's /v1/match body %q: %v", body, err)
	}
	p := sent.Project
	if p.Seveso != "upper" || p.NeededBy != "2030" || p.Constraints["include_unverified"] != true ||
		sent.MaxPerCommune == nil || *sent.MaxPerCommune != 3 || p.SupplyChain.Mode != "decay" {
		t.Errorf("the page sent seveso %q, needed_by %q, constraints %v, max_per_commune %v, supply_chain.mode %q; want upper, 2030, include_unverified true, 3, decay",
			p.Seveso, p.NeededBy, p.Constraints, sent.MaxPerCommune, p.SupplyChain.Mode)
	}
	for _, c := range profiles.Criteria {
		if _, ok := p.Weights[c]; !ok {
			t.Errorf("the page sent no weight for %s: %v", c, p.Weights)
		}
	}

	// What the server answers to that body is what the page must show.
	var res struct {
		Excluded       map[string]int `json:"excluded"`
		ExcludedSeveso map[string]int `json:"excluded_seveso"`
		MaxPerCommune  int            `json:"max_per_commune"`
		Results        []struct {
			Site struct {
				ID string `json:"id"`
			} `json:"site"`
			Criteria map[string]struct {
				Explain string `json:"explain"`
			} `json:"criteria"`
			Flags []struct {
				ID string `json:"id"`
			} `json:"flags"`
			Twins []string `json:"twins"`
		} `json:"results"`
	}
	postJSON(t, base+"/v1/match", body, &res)
	if res.Excluded["seveso"] == 0 || len(res.ExcludedSeveso) == 0 || res.MaxPerCommune != 3 {
		t.Fatalf("the server's answer has no Seveso exclusion or another max_per_commune: %v %v %d", res.Excluded, res.ExcludedSeveso, res.MaxPerCommune)
	}
	var reasons map[string]string
	b.jsonOf(`Object.fromEntries([...document.querySelectorAll('#results-excluded li[data-reason]')].map((li) => [li.dataset.reason, li.firstChild.textContent + li.childNodes[1].textContent]))`, &reasons)
	for k, n := range res.Excluded {
		got, shown := reasons[k]
		if n == 0 {
			if shown {
				t.Errorf("reason %s excluded no site but the page lists it: %q", k, got)
			}
			continue
		}
		if !shown || !strings.HasPrefix(strings.ReplaceAll(got, "\u202f", ""), fmt.Sprint(n)+" ") || strings.Contains(got, k) {
			t.Errorf("reason %s excluded %d sites; the page shows %q (want the count and a French label)", k, n, got)
		}
	}
	if !strings.Contains(reasons["seveso"], "Seveso") {
		t.Errorf("the Seveso exclusion reads %q", reasons["seveso"])
	}
	if n := b.eval(`document.querySelectorAll('#results-excluded [data-seveso-rule]').length`); n != countPositive(res.ExcludedSeveso) {
		t.Errorf("the page lists %d Seveso rules, the answer %v", n, res.ExcludedSeveso)
	}
	if !strings.Contains(b.text(`document.getElementById('results-summary').textContent`), "au plus 3 par commune") {
		t.Error("the summary does not say the results are at most 3 per commune")
	}

	flags, twins := 0, 0
	var flagged, withTwins string
	for _, r := range res.Results {
		flags += len(r.Flags)
		if len(r.Flags) > 0 && flagged == "" {
			flagged = r.Site.ID
		}
		if len(r.Twins) > 0 {
			twins++
		}
		if len(r.Twins) > 0 && withTwins == "" {
			withTwins = r.Site.ID
		}
	}
	if flags == 0 {
		t.Fatal("no result of the answer is flagged: keeping unverified brownfields should flag some")
	}
	if n := b.eval(`document.querySelectorAll('#results-list .card .flag').length`); n != flags {
		t.Errorf("the list shows %d flags, the answer has %d", n, flags)
	}
	if n := b.eval(`document.querySelectorAll('#results-list .card .twins').length`); n != twins {
		t.Errorf("the list shows twins on %d results, the answer on %d", n, twins)
	}
	b.pause(500)
	b.shot("screenshot-options.png")

	// The energy criterion in the first site's detail, and a flagged site's
	// warnings.
	b.do("open the first site's details",
		chromedp.Click(chromedp.CSS(`#results-list .card:first-child .card-actions [data-open]`)),
		chromedp.WaitVisible(chromedp.ID("detail-title")),
	)
	energy, ok := res.Results[0].Criteria["energy"]
	if !ok || energy.Explain == "" {
		t.Fatalf("the first result has no energy explanation: %v", res.Results[0].Criteria)
	}
	if got := b.text(`document.querySelector('#detail .crit[data-crit="energy"] .explain')?.textContent || ''`); got != energy.Explain {
		t.Errorf("the detail's energy explanation reads %q, the answer %q", got, energy.Explain)
	}
	if !strings.Contains(b.text(`document.querySelector('#detail .crit[data-crit="energy"] dl')?.textContent || ''`), "kV") {
		t.Error("the detail's energy numbers do not name a substation's voltage")
	}
	b.evalBool(`(document.querySelector('#detail .crit[data-crit="energy"]').scrollIntoView(), true)`)
	b.shot("screenshot-energy.png")
	b.do("back to the list", chromedp.Click(chromedp.ID("detail-back")), chromedp.WaitVisible(chromedp.ID("results-list")))
	b.do("open a flagged site",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#results-list .card[data-id=%q] .card-actions [data-open]`, flagged))),
		chromedp.WaitVisible(chromedp.ID("detail-title")),
	)
	b.shot("screenshot-flags.png")
	if n := b.eval(`document.querySelectorAll('#detail .flag-detail').length`); n == 0 {
		t.Errorf("the detail of %s shows no warning", flagged)
	}
	if withTwins != "" {
		b.do("back to the list", chromedp.Click(chromedp.ID("detail-back")), chromedp.WaitVisible(chromedp.ID("results-list")))
		b.do("open a site with twins",
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#results-list .card[data-id=%q] .card-actions [data-open]`, withTwins))),
			chromedp.WaitVisible(chromedp.ID("detail-title")),
		)
		if n := b.eval(`document.querySelectorAll('#detail .twins a').length`); n == 0 {
			t.Errorf("the detail of %s lists no twin", withTwins)
		}
	}

	// The address holds the options (and the open site).
	shared := b.text(`location.href`)
	b.do("reopen the shared address",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(shared),
		chromedp.WaitVisible(chromedp.ID("detail-title")),
	)
	if b.value("#p-seveso") != "upper" || b.value("#p-needed-by") != "2030" || b.value("#p-per-commune") != "3" || b.value("#p-supply-mode") != "decay" ||
		!b.evalBool(`document.getElementById('p-inc-unverified').checked && document.getElementById('p-advanced').open`) {
		t.Error("the shared address did not restore the advanced options (or left them folded)")
	}
	b.checkClean()
}

func countPositive(m map[string]int) int {
	n := 0
	for _, v := range m {
		if v > 0 {
			n++
		}
	}
	return n
}

// jsonOf evaluates js in the page and decodes its JSON value into v.
func (b *browser) jsonOf(js string, v any) {
	b.t.Helper()
	if err := json.Unmarshal([]byte(b.text(`JSON.stringify(`+js+`)`)), v); err != nil {
		b.fail(js, err)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func postJSON(t *testing.T, url, body string, v any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s %s: %s", url, body, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
}
