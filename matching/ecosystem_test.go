package matching

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"slices"

	"github.com/paulmach/orb"

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

// rawEstablishment is an IREP establishment read from the raw register.
type rawEstablishment struct {
	ape      string
	lon, lat float64
}

// TestEcosystemFromRawFiles recomputes the ecosystem presence of a few real
// sites from the raw IREP register, input-output table and NAF bridge with
// plain loops (the exact sum, every establishment at its own point) and
// checks the engine's grid presence against the stated error bound
// (ecogrid.go): Σ over the establishments either placement can count of
// (δc + δe)/(far − near), δc the site's distance to its cell's centroid
// and δe at most an establishment cell's diagonal; the score against the
// bound that gives through the references (1/R_b-Lipschitz per branch).
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
	var ests []rawEstablishment
	for _, r := range irep[1:] {
		ape := r[col["Code_APE"]]
		lon, err1 := strconv.ParseFloat(r[col["lon"]], 64)
		lat, err2 := strconv.ParseFloat(r[col["lat"]], 64)
		if err1 != nil || err2 != nil || len(ape) < 3 || ape[:2] <= "03" {
			continue
		}
		if lat < 41.2 || lat > 51.2 || (lon > 8.5 && lat < 43.1) { // mainland only: the sites are not in Corsica
			continue
		}
		ests = append(ests, rawEstablishment{ape, lon, lat})
	}
	jobs := 150
	var worst, sumErr float64
	terms := 0
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
		p := Resolve(Project{Name: "x", Sector: "aeronautics", NAF: naf, Jobs: &jobs})
		q := e.compile(p)
		found := 0
		for i := range e.cands {
			c := &e.cands[i]
			if i%1500 != 0 && !(found < 3 && c.Site.Kind != data.KindBrownfield) || e.eco.covered[c.Commune.Dep] || c.Landmass != Mainland {
				continue
			}
			rows, _ := e.ecoRows(c)
			exact, engine := 0.0, e.ecosystemScore(q, c)
			scoreBound, den := 0.0, 0.0
			for k := range q.eco.suppliers {
				s := &q.eco.suppliers[k]
				// The own branch is counted at the NAF group, in the cluster band.
				g := e.eco.grids[s.band]
				near, far := g.band.near, g.band.far
				key := g.candKey(c, false)
				cen := cellCentre(key.x, key.y, g.side)
				dc := havKm(c.Site.Point[0], c.Site.Point[1], cen[0], cen[1])
				pres, bound := 0.0, 0.0
				for _, x := range ests {
					b := bridge[x.ape[:2]]
					if b != s.branch || (s.own && x.ape[:3] != div+naf[3:4]) {
						continue
					}
					d := havKm(c.Site.Point[0], c.Site.Point[1], x.lon, x.lat)
					pres += decayLit(d, near, far)
					cx := g.side * math.Cos(x.lat*math.Pi/180) / 0.6883
					diag := math.Hypot(cx, g.side*111.2/110.57)
					if d < far+dc+diag {
						bound += (dc + diag) / (far - near)
					}
				}
				got := s.presence(rows)
				diff := math.Abs(got - pres)
				if diff > bound+1e-3 {
					t.Errorf("%s %s branch %s: grid presence %v, plain loops %v, beyond the bound %v", naf, c.Site.ID, s.branch, got, pres, bound)
				}
				worst = max(worst, diff/max(1, pres))
				sumErr += diff / max(1, pres)
				terms++
				exact += s.share * min(1, pres/s.ref[0])
				scoreBound += s.share * (bound + 1e-3) / s.ref[0]
				den += s.share
			}
			if math.Abs(exact/den-engine) > scoreBound/den+1e-9 {
				t.Errorf("%s %s: score %v, plain loops %v, beyond the bound %v", naf, c.Site.ID, engine, exact/den, scoreBound/den)
			}
			if len(shares) != len(q.eco.suppliers) || math.Abs(q.eco.observed/q.eco.total-den/total) > 1e-9 {
				t.Errorf("%s: %d observable suppliers, plain loops %d; observed share %v vs %v", naf, len(q.eco.suppliers), len(shares),
					q.eco.observed/q.eco.total, den/total)
			}
			found++
		}
		if found < 10 {
			t.Fatalf("%s: %d sites recomputed, want at least 10", naf, found)
		}
	}
	t.Logf("grid presence against the exact sum over %d (site, branch) terms: mean relative error %.4f, worst %.4f", terms, sumErr/float64(terms), worst)
}

// TestEcosystemReferences checks the references are the median presence
// around the sector's IREP plants (the project's NAF group), read by
// sorting, and, for a group with too few plants, the 90th percentile of
// the candidates.
func TestEcosystemReferences(t *testing.T) {
	e := SharedEngine(t)
	jobs := 150
	q := e.compile(Resolve(Project{Name: "x", Sector: "aeronautics", NAF: "30.30Z", Jobs: &jobs}))
	if q.eco.plantsKey != "g:303" || len(q.eco.plants) < 60 {
		t.Fatalf("plants %s: %d", q.eco.plantsKey, len(q.eco.plants))
	}
	for _, s := range q.eco.suppliers {
		g := e.eco.grids[s.band]
		var vals []float64
		for i := range e.cat.Facilities {
			if f := &e.cat.Facilities[i]; groupKey(f.NAF) == "g:303" {
				vals = append(vals, float64(g.rowAt(f.Point, e.eco.facLand[i])[s.col]))
			}
		}
		slices.Sort(vals)
		want := max(1, vals[int(EcoPlantQuantile*float64(len(vals)-1))])
		if s.ref[0] != want {
			t.Errorf("%s: reference %v, median around the plants %v", s.branch, s.ref[0], want)
		}
		if s.own != (s.band == slices.Index(EcoBands(), EcoClusterBand)) {
			t.Errorf("%s (own %v) read in band %v", s.branch, s.own, EcoBands()[s.band])
		}
	}
	// A NAF code whose group, division and branch have fewer than
	// EcoMinPlants IREP establishments falls back to the candidates.
	// Telecommunications (61, branch JB): one IREP establishment.
	few := "61.10Z"
	if n := len(e.eco.byKey["b:JB"]); n >= EcoMinPlants {
		t.Fatalf("branch JB has %d IREP establishments", n)
	}
	q = e.compile(Resolve(Project{Name: "x", NAF: few, Jobs: &jobs}))
	if q.eco.plants != nil || len(q.eco.suppliers) == 0 {
		t.Fatalf("NAF %s: plants %v, %d suppliers", few, q.eco.plants, len(q.eco.suppliers))
	}
	for _, s := range q.eco.suppliers {
		var vals []float64
		for i := range e.cands {
			if c := &e.cands[i]; !e.eco.covered[c.Commune.Dep] && s.col >= 0 {
				vals = append(vals, float64(c.ecoRows[s.band][s.col]))
			}
		}
		if want := quantileRef(vals); s.ref[0] != want {
			t.Errorf("NAF %s, %s: reference %v, candidates' quantile %v", few, s.branch, s.ref[0], want)
		}
	}
}

// TestQuantileSelect compares quickselect with sorting on random slices
// with repeats.
func TestQuantileSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for n := 1; n < 300; n++ {
		vals := make([]float32, n)
		for i := range vals {
			vals[i] = float32(rng.IntN(1 + n/3))
		}
		sorted := slices.Clone(vals)
		slices.Sort(sorted)
		k := rng.IntN(n)
		if got := quantileSelect(vals, k); got != sorted[k] {
			t.Fatalf("n %d k %d: %v, sorted %v", n, k, got, sorted[k])
		}
	}
}

// bruteEcosystem is the ecosystem score by plain loops over the catalogue,
// following DESIGN.md's grid: the band is the nearest fixed one; the
// site's cell (side (far − near)/EcoGridDivisions, equirectangular at
// 46.5°) is evaluated at its centre; the establishments (or jobs) of its landmass are
// summed per cell at their mean position; presence = Σ cells weight ·
// decay(site cell's centre to centroid), the own branch at its NAF group
// in EcoClusterBand. The references are the engine's
// (TestEcosystemReferences checks them). ok is false when the
// project gives no NAF code.
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
	coverage := cat.JobsCoverage()
	depOf := func(code string) string { c, _ := cat.Commune(code); return c.Dep }
	sc, _ := cat.Commune(s.Commune)
	covered := slices.Contains(coverage, sc.Dep)
	land := landLit(sc.Dep)
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
	cell := func(pt orb.Point, side float64) [2]int {
		return [2]int{int(math.Floor(pt[0] * 111.32 * 0.6883 / side)), int(math.Floor(pt[1] * 110.57 / side))}
	}
	mean := func(pts []orb.Point) orb.Point {
		var lon, lat float64
		for _, q := range pts {
			lon += q[0]
			lat += q[1]
		}
		return orb.Point{lon / float64(len(pts)), lat / float64(len(pts))}
	}
	site := func(side float64) orb.Point {
		x, y := math.Floor(s.Point[0]*111.32*0.6883/side), math.Floor(s.Point[1]*110.57/side)
		return orb.Point{(x + 0.5) * side / (111.32 * 0.6883), (y + 0.5) * side / 110.57}
	}
	// Jobs per IREP establishment of the covered départements.
	ratio := func(match func(naf, br string) bool) float64 {
		var jobs, est, allJobs, allEst float64
		for _, j := range cat.Jobs {
			allJobs += float64(j.Jobs)
			if match(j.APE, j.Branch) {
				jobs += float64(j.Jobs)
			}
		}
		for _, f := range cat.Facilities {
			if slices.Contains(coverage, depOf(f.Commune)) {
				allEst++
				if match(f.NAF, f.Branch) {
					est++
				}
			}
		}
		if est == 0 || jobs == 0 {
			return allJobs / max(1, allEst)
		}
		return jobs / est
	}
	// presence sums the points of one supplier (weight per point) per cell
	// at the cell's mean position, every source point of the landmass
	// placing the cells.
	type pt struct {
		p orb.Point
		w float64
	}
	presence := func(all []orb.Point, mine []pt, near, far float64) float64 {
		side := (far - near) / EcoGridDivisions
		byCell := map[[2]int][]orb.Point{}
		for _, q := range all {
			byCell[cell(q, side)] = append(byCell[cell(q, side)], q)
		}
		w := map[[2]int]float64{}
		for _, q := range mine {
			w[cell(q.p, side)] += q.w
		}
		sum := 0.0
		for k, wk := range w {
			sum += wk * decayLit(geo.DistanceKm(site(side), mean(byCell[k])), near, far)
		}
		return float64(float32(sum))
	}
	// The points of the source: IREP establishments of observable branches
	// on the landmass; with jobs, the Urssaf communes, and the
	// establishments beyond the covered départements.
	var all []orb.Point
	for _, f := range cat.Facilities {
		if observableBranch(f.Branch) && landLit(depOf(f.Commune)) == land && !(covered && slices.Contains(coverage, depOf(f.Commune))) {
			all = append(all, f.Point)
		}
	}
	if covered {
		for _, j := range cat.Jobs {
			if jc, _ := cat.Commune(j.Commune); observableBranch(j.Branch) && landLit(jc.Dep) == land {
				all = append(all, jc.Point)
			}
		}
	}
	m := 0
	if covered {
		m = 1
	}
	refs := map[string]float64{}
	for _, sup := range e.compile(p).eco.suppliers {
		refs[sup.branch] = sup.ref[m]
	}
	var num, den float64
	for _, c := range cat.IO.Cells {
		if c.Buyer != branch || !observableBranch(c.Supplier) || c.Share <= 0 {
			continue
		}
		own := c.Supplier == branch
		match := func(naf, br string) bool { return br == c.Supplier && (!own || ownOK(naf)) }
		var mine []pt
		r := 1.0
		if covered {
			r = ratio(match)
			for _, j := range cat.Jobs {
				if jc, _ := cat.Commune(j.Commune); match(j.APE, j.Branch) && landLit(jc.Dep) == land {
					mine = append(mine, pt{jc.Point, float64(j.Jobs)})
				}
			}
		}
		for _, f := range cat.Facilities {
			if match(f.NAF, f.Branch) && landLit(depOf(f.Commune)) == land && !(covered && slices.Contains(coverage, depOf(f.Commune))) {
				mine = append(mine, pt{f.Point, r})
			}
		}
		// The own branch is the cluster: its NAF group within 15–90 km.
		near, far := eb[0], eb[1]
		if own {
			near, far = EcoClusterBand[0], EcoClusterBand[1]
		}
		pres := presence(all, mine, near, far)
		ref := refs[c.Supplier]
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
	// Régions without an aircraft base of size: Bretagne, Corse, Grand
	// Est, and Bourgogne-Franche-Comté and Centre-Val de Loire, whose
	// metalworking and machinery (CH, CK) once outweighed the lack of
	// aircraft plants when the own branch was read at the sector's 400 km.
	for _, reg := range []string{"53", "94", "44", "27", "24"} {
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
	if len(e.eco.grids) != len(bands) {
		t.Errorf("%d presence grids for %d bands", len(e.eco.grids), len(bands))
	}
}

// TestEcosystemRowsReproducible: a second engine built from the same
// catalogue has bit-identical presence rows and references (the sums run
// in a fixed order), so the same request gives the same bytes.
func TestEcosystemRowsReproducible(t *testing.T) {
	e := SharedEngine(t)
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewEngine(cat)
	if err != nil {
		t.Fatal(err)
	}
	for i := range e.cands {
		a, b := e.cands[i].ecoRows, f.cands[i].ecoRows
		for k := range a {
			if !slices.Equal(a[k], b[k]) {
				t.Fatalf("%s band %v: rows differ between two builds", e.cands[i].Site.ID, EcoBands()[k])
			}
		}
	}
	for b := range e.ecoRefs {
		for m := range 2 {
			if !slices.Equal(e.ecoRefs[b][m], f.ecoRefs[b][m]) {
				t.Fatalf("band %v source %d: references differ", EcoBands()[b], m)
			}
		}
	}
}
