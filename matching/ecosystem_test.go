package matching

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"slices"

	"sitematch/data"
	"sitematch/geo"
)

const rawIndustry = "../../shared/data/raw/industry"

func readCSV(t *testing.T, name string, sep rune) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(rawIndustry, name))
	if err != nil {
		t.Skipf("raw files not available: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sep
	r.LazyQuotes = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func havKm(lon1, lat1, lon2, lat2 float64) float64 {
	r := math.Pi / 180
	dlat, dlon := (lat2-lat1)*r, (lon2-lon1)*r
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371.0088 * math.Asin(math.Sqrt(a))
}

// TestEcosystemFromRawFiles recomputes the ecosystem presence and score of
// a few real sites from the raw IREP register, input-output table and NAF
// bridge with plain loops, taking the references from the detail (they are
// the 90th percentile over every candidate, checked separately below).
func TestEcosystemFromRawFiles(t *testing.T) {
	e := SharedEngine(t)
	bridge := map[string]string{}
	for _, r := range readCSV(t, "insee_tes/lib_Divisions.csv", ';')[1:] {
		bridge[r[0]] = r[1]
	}
	tei := readCSV(t, "insee_tes/InseeDataTEI_2018.csv", ';')
	irep := readCSV(t, "irep_etablissements_registre_emissions_polluantes_c2015.csv", ',')
	col := map[string]int{}
	for i, h := range irep[0] {
		col[h] = i
	}
	jobs := 150
	for _, naf := range []string{"30.30Z", "20.14Z", "10.51A"} {
		div := naf[:2]
		branch := bridge[div]
		shares := map[string]float64{}
		total := 0.0
		for _, r := range tei[1:] {
			if r[0] != branch {
				continue
			}
			for j, v := range r[1:] {
				s, _ := strconv.ParseFloat(v, 64)
				total += s
				if sup := tei[0][j+1]; s > 0 && observableBranch(sup) {
					shares[sup] = s
				}
			}
		}
		found := 0
		for _, id := range []string{"turnkey:", "brownfield:", "town:"} {
			var c *Candidate
			for i := range e.cands {
				if strings.HasPrefix(e.cands[i].Site.ID, id) && !e.eco.covered[e.cands[i].Commune.Dep] && e.cands[i].Landmass == Mainland {
					c = &e.cands[i]
					break
				}
			}
			if c == nil {
				continue
			}
			p := Resolve(Project{Name: "x", Sector: "aeronautics", NAF: naf, Jobs: &jobs})
			q := e.compile(p)
			det, _ := e.explainEcosystem(q, c)
			d := det.(*EcosystemDetail)
			near, far := *p.Supply.NearKm, *p.Supply.FarKm
			pres := map[string]float64{}
			for _, r := range irep[1:] {
				ape := r[col["Code_APE"]]
				lon, err1 := strconv.ParseFloat(r[col["lon"]], 64)
				lat, err2 := strconv.ParseFloat(r[col["lat"]], 64)
				if err1 != nil || err2 != nil || len(ape) < 2 || ape[:2] <= "03" {
					continue
				}
				b := bridge[ape[:2]]
				if _, ok := shares[b]; !ok || (b == branch && ape[:3] != div+naf[3:4]) {
					continue
				}
				if lat < 41.2 || lat > 51.2 || (lon > 8.5 && lat < 43.1) { // mainland only: the site is not in Corsica
					continue
				}
				pres[b] += decayLit(havKm(c.Site.Point[0], c.Site.Point[1], lon, lat), near, far)
			}
			var num, den float64
			ref := map[string]float64{}
			for _, b := range d.Branches {
				ref[b.Branch] = b.Reference
			}
			for b, s := range shares {
				den += s
				if r, ok := ref[b]; ok {
					num += s * min(1, pres[b]/r)
				}
			}
			for _, b := range d.Branches {
				if math.Abs(b.Presence-pres[b.Branch]) > 0.05+1e-3*pres[b.Branch] {
					t.Errorf("%s %s branch %s: presence %v, plain loops %v", naf, c.Site.ID, b.Branch, b.Presence, pres[b.Branch])
				}
			}
			found++
			got := e.ecosystemScore(q, c)
			// Branches beyond the detail's top 5 contribute what the top 5
			// do not list: the loops' sum over listed branches is a lower bound.
			if got+1e-9 < num/den || math.Abs(d.ObservedShare-round3(den/total)) > 1e-9 {
				t.Errorf("%s %s: score %v below the listed branches' %v, observed %v vs %v", naf, c.Site.ID, got, num/den, d.ObservedShare, den/total)
			}
		}
		if found != 3 {
			t.Fatalf("%s: %d sites recomputed, want 3", naf, found)
		}
	}
}

// TestEcosystemReferenceIsQuantile checks the references are the 90th
// percentile of the sampled candidates' presences, for a branch and an
// own group, and close to that of every candidate.
func TestEcosystemReferenceIsQuantile(t *testing.T) {
	e := SharedEngine(t)
	b := newSupplyBand(50, 400)
	tab := e.ecoTableFor(&b)
	own := e.ecoColumnFor(tab, "g:303")
	k := e.eco.branchCol["CH"]
	sampled := map[int]bool{}
	for _, i := range tab.sample() {
		sampled[i] = true
	}
	if n := len(sampled); n < len(e.cands)/EcoReferenceSample-200 || n > len(e.cands)/EcoReferenceSample+1 {
		t.Errorf("%d sampled candidates for %d", n, len(e.cands))
	}
	for name, tc := range map[string]struct {
		val func(i int) float64
		ref float64
	}{
		"CH":    {func(i int) float64 { return tab.row(i)[k] }, tab.refs[0][k]},
		"g:303": {func(i int) float64 { return own.at(i) }, own.refs[0]},
	} {
		var below, n, belowAll, nAll int
		for i := range e.cands {
			if tab.jobs[i] {
				continue
			}
			nAll++
			v := tc.val(i)
			if v < tc.ref {
				belowAll++
			}
			if sampled[i] {
				n++
				if v < tc.ref {
					below++
				}
			}
		}
		if share := float64(below) / float64(n); share < 0.88 || share > 0.91 {
			t.Errorf("%s: %.3f of the sample below the reference %v, want about %v", name, share, tc.ref, EcoReferenceQuantile)
		}
		if share := float64(belowAll) / float64(nAll); share < 0.85 || share > 0.95 {
			t.Errorf("%s: %.3f of all candidates below the reference %v", name, share, tc.ref)
		}
	}
}

// bruteEcosystem is the ecosystem score by plain loops over the catalogue's
// establishment and jobs layers, for the brute-force oracle; the
// references are the engine's (TestEcosystemReferenceIsQuantile checks
// them). ok is false when the project gives no NAF code.
func bruteEcosystem(cat *data.Catalogue, p Project, band [2]float64, s data.Site) (float64, bool) {
	if p.NAF == "" {
		return 0, false
	}
	e := sharedEng
	digits := strings.ReplaceAll(strings.ToUpper(p.NAF), ".", "")
	branch, _ := cat.IO.BranchOfNAF(digits)
	ownOK := func(naf string) bool {
		if len(digits) >= 3 {
			return naf[:3] == digits[:3]
		}
		return naf[:2] == digits[:2]
	}
	sc, _ := cat.Commune(s.Commune)
	covered := slices.Contains(cat.JobsCoverage(), sc.Dep)
	// The ecosystem decay is the nearest, by |Δnear| + |Δfar| (first on
	// ties), of the default decay and the profiles' decays.
	cands := [][2]float64{{SupplyNearKm, SupplyFarKm}}
	for _, pr := range Profiles {
		cands = append(cands, [2]float64{pr.SupplyNearKm, pr.SupplyFarKm})
	}
	eb, ebD := cands[0], math.Inf(1)
	for _, cb := range cands {
		if d := math.Abs(cb[0]-band[0]) + math.Abs(cb[1]-band[1]); d < ebD {
			eb, ebD = cb, d
		}
	}
	band = eb
	sb := newSupplyBand(band[0], band[1])
	tab := e.ecoTableFor(&sb)
	m := 0
	if covered {
		m = 1
	}
	ownCol := e.ecoColumnFor(tab, ownKey(digits[:2]+"."+digits[2:]))
	var num, den float64
	for _, c := range cat.IO.Cells {
		if c.Buyer != branch || !observableBranch(c.Supplier) || c.Share <= 0 {
			continue
		}
		own := c.Supplier == branch
		pres := 0.0
		// Jobs per IREP establishment of the branch (or own key) in the
		// covered départements, to convert the establishments beyond them.
		ratio := 1.0
		if covered {
			var jobs, est, allJobs, allEst float64
			for _, j := range cat.Jobs {
				allJobs += float64(j.Jobs)
				if j.Branch == c.Supplier && (!own || ownOK(j.APE)) {
					jobs += float64(j.Jobs)
				}
			}
			for _, f := range cat.Facilities {
				if fc, _ := cat.Commune(f.Commune); slices.Contains(cat.JobsCoverage(), fc.Dep) {
					allEst++
					if f.Branch == c.Supplier && (!own || ownOK(f.NAF)) {
						est++
					}
				}
			}
			ratio = allJobs / max(1, allEst)
			if est > 0 {
				ratio = jobs / est
			}
			for _, j := range cat.Jobs {
				if j.Branch == c.Supplier && (!own || ownOK(j.APE)) {
					jc, _ := cat.Commune(j.Commune)
					pres += float64(j.Jobs) * decayLit(geo.DistanceKm(s.Point, jc.Point), band[0], band[1])
				}
			}
		}
		for _, f := range cat.Facilities {
			fc, _ := cat.Commune(f.Commune)
			if covered && slices.Contains(cat.JobsCoverage(), fc.Dep) {
				continue
			}
			if f.Branch == c.Supplier && (!own || ownOK(f.NAF)) && landLit(fc.Dep) == landLit(sc.Dep) {
				pres += ratio * decayLit(geo.DistanceKm(s.Point, f.Point), band[0], band[1])
			}
		}
		ref := tab.refs[m][e.eco.branchCol[c.Supplier]]
		if own {
			ref = ownCol.refs[m]
		}
		num += c.Share * min(1, pres/ref)
		den += c.Share
	}
	if den == 0 {
		return 0, true
	}
	return num / den, true
}

// TestEcosystemAeronautics: sites around Toulouse and Bordeaux score higher
// on ecosystem for an aircraft maker than sites of régions without an
// aerospace base, and the explanation names the supplier branches found.
func TestEcosystemAeronautics(t *testing.T) {
	e := SharedEngine(t)
	jobs := 150
	p := Project{Name: "x", Sector: "aeronautics", NAF: "30.30Z", Jobs: &jobs}
	q := e.compile(Resolve(p))
	mean := func(keep func(c *Candidate) bool) (float64, int) {
		var s float64
		n := 0
		for i := range e.cands {
			if c := &e.cands[i]; keep(c) {
				s += e.ecosystemScore(q, c)
				n++
			}
		}
		return s / float64(max(n, 1)), n
	}
	hub := func(code string) func(c *Candidate) bool {
		cm, _ := e.cat.Commune(code)
		return func(c *Candidate) bool {
			return havKm(c.Site.Point[0], c.Site.Point[1], cm.Point[0], cm.Point[1]) < 40
		}
	}
	region := func(reg string) func(c *Candidate) bool {
		return func(c *Candidate) bool { return c.Commune.Reg == reg }
	}
	toulouse, n1 := mean(hub("31555"))
	bordeaux, n2 := mean(hub("33063"))
	// Bretagne, Corse and Grand Est have no aircraft maker of size. Not
	// Bourgogne-Franche-Comté: its metalworking and machinery base (CH, CK,
	// a third of what the branch buys from industry) outweighs the lack of
	// aircraft plants (its mean is about 0.74, see docs/ranking-review.md).
	for _, reg := range []string{"53", "94", "44"} {
		other, n := mean(region(reg))
		if n == 0 || n1 == 0 || n2 == 0 {
			t.Fatalf("no candidates: %d %d %d", n1, n2, n)
		}
		if !(toulouse > other && bordeaux > other) {
			t.Errorf("région %s: ecosystem %.3f, Toulouse %.3f, Bordeaux %.3f", reg, other, toulouse, bordeaux)
		}
		t.Logf("région %s: %.3f (%d sites); Toulouse %.3f (%d), Bordeaux %.3f (%d)", reg, other, n, toulouse, n1, bordeaux, n2)
	}
	// The aircraft group itself (own branch, counted at NAF group 30.3) is
	// what sets the hubs apart, Bourgogne-Franche-Comté included.
	own := func(keep func(c *Candidate) bool) float64 {
		var s float64
		n := 0
		for i := range e.cands {
			if c := &e.cands[i]; keep(c) {
				d, _ := e.explainEcosystem(q, c)
				for _, b := range d.(*EcosystemDetail).Branches {
					if b.OwnBranch {
						s += b.Score
					}
				}
				n++
			}
		}
		return s / float64(max(n, 1))
	}
	if t1, b1, bfc := own(hub("31555")), own(hub("33063")), own(region("27")); !(t1 > bfc && b1 > bfc) {
		t.Errorf("aircraft-group presence: Toulouse %.3f, Bordeaux %.3f, Bourgogne-Franche-Comté %.3f", t1, b1, bfc)
	}
	for i := range e.cands {
		if c := &e.cands[i]; hub("31555")(c) {
			_, text := e.explainEcosystem(q, c)
			for _, want := range []string{"CL Fabrication de matériels de transport", "CH Métallurgie", "IREP", "vers 2015"} {
				if !strings.Contains(text, want) {
					t.Errorf("explanation lacks %q: %s", want, text)
				}
			}
			break
		}
	}
}

// TestEcosystemJobsSwitch: in the département the Urssaf layer covers
// (Seine-Maritime, from the sample), the criterion counts salaried jobs
// and says so; next door it counts IREP establishments.
func TestEcosystemJobsSwitch(t *testing.T) {
	e := SharedEngine(t)
	if got := e.cat.JobsCoverage(); len(got) != 1 || got[0] != "76" {
		t.Fatalf("jobs coverage %v, want [76]", got)
	}
	jobs := 100
	q := e.compile(Resolve(Project{Name: "x", Sector: "chemistry", NAF: "20.14Z", Jobs: &jobs}))
	seen := map[string]bool{}
	for i := range e.cands {
		c := &e.cands[i]
		if c.Commune.Dep != "76" && c.Commune.Dep != "27" {
			continue
		}
		det, text := e.explainEcosystem(q, c)
		d := det.(*EcosystemDetail)
		want := EcoSourceEstablishments
		if c.Commune.Dep == "76" {
			want = EcoSourceJobs
			if !strings.Contains(text, "effectifs salariés Urssaf") || !strings.Contains(text, "(76)") {
				t.Errorf("%s: explanation does not name the Urssaf source: %s", c.Site.ID, text)
			}
		}
		if d.Source != want {
			t.Errorf("%s (dep %s): source %s, want %s", c.Site.ID, c.Commune.Dep, d.Source, want)
		}
		seen[c.Commune.Dep] = true
	}
	if !seen["76"] || !seen["27"] {
		t.Fatalf("no candidates in 76 or 27: %v", seen)
	}
}

// TestNormalizeNAF: the accepted forms and the named errors.
func TestNormalizeNAF(t *testing.T) {
	io := &SharedEngine(t).cat.IO
	for _, tc := range []struct{ in, naf, branch, err string }{
		{"30.30Z", "30.30Z", "CL", ""}, {"3030z", "30.30Z", "CL", ""}, {"20", "20", "CE", ""}, {"10.5", "10.5", "CA", ""},
		{"3", "", "", "division or finer"}, {"30.30ZZ", "", "", "division or finer"}, {"00", "", "", "unknown NAF division"},
	} {
		naf, br, err := NormalizeNAF(tc.in, io)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) || naf != tc.naf || br != tc.branch {
			t.Errorf("%q: %q %q %v", tc.in, naf, br, err)
		}
	}
	for _, p := range Profiles {
		for _, code := range p.NAF {
			if naf, _, err := NormalizeNAF(code, io); err != nil || naf != code {
				t.Errorf("profile %s: NAF %q: %q %v", p.ID, code, naf, err)
			}
		}
	}
	var ve *ValidationError
	err := Validate(Project{Name: "x", Sector: "aeronautics", NAF: "x1", Suppliers: []Partner{{Commune: "31555", NAF: "99.99Q"}}},
		SharedEngine(t).cat, "project")
	if !asVE(err, &ve) || !hasField(ve, "project.naf") || !hasField(ve, "project.suppliers[0].naf") {
		t.Errorf("want errors on project.naf and project.suppliers[0].naf, got %v", err)
	}
}

func asVE(err error, ve **ValidationError) bool {
	v, ok := err.(*ValidationError)
	*ve = v
	return ok
}

func hasField(ve *ValidationError, f string) bool {
	for _, x := range ve.Fields {
		if x.Field == f {
			return true
		}
	}
	return false
}

// TestEcosystemBandsAreBounded: overriding the supply decay never creates
// an ecosystem band outside the fixed set, and the explanation says which
// band was used.
func TestEcosystemBandsAreBounded(t *testing.T) {
	bands := EcoBands()
	if len(bands) > len(Profiles)+1 || bands[0] != [2]float64{SupplyNearKm, SupplyFarKm} {
		t.Fatalf("EcoBands = %v", bands)
	}
	for _, tc := range []struct{ near, far, wantNear, wantFar float64 }{
		{25, 300, 25, 300},
		{15, 90, 15, 90},
		{16, 95, 15, 90},
		{1, 2, 15, 90},
		{60, 2000, 50, 1000},
		{48, 390, 50, 400},
	} {
		n, f := EcoBand(tc.near, tc.far)
		if n != tc.wantNear || f != tc.wantFar {
			t.Errorf("EcoBand(%v, %v) = %v, %v; want %v, %v", tc.near, tc.far, n, f, tc.wantNear, tc.wantFar)
		}
	}
	e := SharedEngine(t)
	jobs := 150
	for i := range 5 {
		near, far := 10+float64(i), 700+float64(i)
		p := Project{Name: "x", Sector: "aeronautics", NAF: "30.30Z", Jobs: &jobs, Supply: SupplyDecay{NearKm: &near, FarKm: &far}}
		q := e.compile(Resolve(p))
		if !slices.Contains(bands, [2]float64{q.eco.band.near, q.eco.band.far}) {
			t.Fatalf("band %v–%v not in the fixed set", q.eco.band.near, q.eco.band.far)
		}
		if i == 0 {
			_, text := e.explainEcosystem(q, &e.cands[0])
			if !strings.Contains(text, "bande précalculée la plus proche") {
				t.Errorf("explanation does not name the band used: %s", text)
			}
		}
	}
	e.eco.mu.Lock()
	defer e.eco.mu.Unlock()
	for k := range e.eco.tables {
		if !slices.Contains(bands, k) {
			t.Errorf("engine keeps a table for band %v outside the fixed set", k)
		}
	}
}
