package matching_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/geo"
	"sitematch/matching"
)

// Property tests: invariants that hold for any valid project, checked on
// seeded random projects over the embedded catalogue. Set SEED to replay
// or vary a run.

// gen draws random valid projects.
type gen struct {
	rng *rand.Rand
	cat *data.Catalogue
}

func newGen(t *testing.T, stream uint64) *gen {
	e := matching.SharedEngine(t)
	return &gen{rng: rand.New(rand.NewPCG(matching.RandSeed(t), stream)), cat: e.Catalogue()}
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) partner() matching.Partner {
	var p matching.Partner
	if g.chance(0.7) {
		p.Commune = g.cat.Communes[g.rng.IntN(len(g.cat.Communes))].Code
	} else { // anywhere in mainland France's box, sea included
		lon, lat := -4.8+13*g.rng.Float64(), 42.3+8.8*g.rng.Float64()
		p.Lon, p.Lat = &lon, &lat
	}
	if g.chance(0.5) {
		w := 0.1 + 5*g.rng.Float64()
		p.Weight = &w
	}
	return p
}

// project draws a valid project: a sector or none, optional jobs, land and
// trades, 0-20 suppliers, 0-5 customers, optional transport importances
// and weights, and random hard constraints.
func (g *gen) project() matching.Project {
	p := matching.Project{Name: "Projet aléatoire"}
	if g.chance(0.5) {
		p.Sector = matching.Profiles[g.rng.IntN(len(matching.Profiles))].ID
	}
	if g.chance(0.7) {
		j := 1 + int(math.Exp(g.rng.Float64()*math.Log(5000)))
		p.Jobs = &j
	}
	if g.chance(0.6) {
		l := 0.5 + 80*g.rng.Float64()
		p.LandHa = &l
	}
	switch r := g.rng.Float64(); {
	case r < 0.2:
		p.Trades = []string{}
	case r < 0.7:
		for range 1 + g.rng.IntN(3) {
			p.Trades = append(p.Trades, data.TradeFamilies[g.rng.IntN(len(data.TradeFamilies))].ID)
		}
	}
	for range g.rng.IntN(21) {
		p.Suppliers = append(p.Suppliers, g.partner())
	}
	for range g.rng.IntN(6) {
		p.Customers = append(p.Customers, g.partner())
	}
	if g.chance(0.5) {
		p.Transport = map[string]float64{}
		for _, m := range matching.Modes {
			if g.chance(0.6) {
				p.Transport[m] = float64(g.rng.IntN(5)) / 4
			}
		}
	}
	if g.chance(0.5) {
		p.Weights = map[string]float64{}
		for _, c := range matching.Criteria {
			if g.chance(0.7) {
				p.Weights[c] = float64(g.rng.IntN(41))
			}
		}
		p.Weights[matching.Territory] += 1 // never all zero
	}
	p.Constraints = g.constraints()
	if g.chance(0.2) {
		p.NeededBy = strconv.Itoa(2024+g.rng.IntN(8)) + "-" + strconv.Itoa(10+g.rng.IntN(3))
	}
	if g.chance(0.2) {
		p.Supply.Mode = []string{matching.SupplyModeDecay, matching.SupplyModeCentrality}[g.rng.IntN(2)]
	}
	return p
}

func (g *gen) constraints() matching.Constraints {
	var c matching.Constraints
	if g.chance(0.25) {
		for range 1 + g.rng.IntN(3) {
			c.Regions = append(c.Regions, g.cat.Regions[g.rng.IntN(len(g.cat.Regions))].Code)
		}
	}
	if g.chance(0.2) {
		for range 1 + g.rng.IntN(5) {
			c.Departements = append(c.Departements, g.cat.Departements[g.rng.IntN(len(g.cat.Departements))].Code)
		}
	}
	if g.chance(0.3) {
		for _, k := range data.Kinds {
			if g.chance(0.5) {
				c.Kinds = append(c.Kinds, k)
			}
		}
	}
	c.RequireKnownArea = g.chance(0.1)
	c.AllowOtherLandmass = g.chance(0.2)
	c.IncludeUnverified = g.chance(0.3)
	c.IncludeNonIndustrial = g.chance(0.3)
	c.IncludeCommitted = g.chance(0.3)
	if g.chance(0.3) {
		c.MaxKm = map[string]float64{}
		for range 1 + g.rng.IntN(2) {
			c.MaxKm[matching.Modes[g.rng.IntN(len(matching.Modes))]] = 5 + 95*g.rng.Float64()
		}
	}
	if g.chance(0.2) {
		v := 0.4 * g.rng.Float64()
		c.VetoBelow = &v
	}
	return c
}

func mustMatch(t *testing.T, e *matching.Engine, p matching.Project, opt matching.Options) *matching.Result {
	t.Helper()
	res, err := e.Match(p, opt)
	if err != nil {
		t.Fatalf("%+v: %v", p, err)
	}
	return res
}

// slerp returns the point a fraction f of the way from a to b along the
// great circle.
func slerp(a, b orb.Point, f float64) orb.Point {
	u, v := geo.ToUnit(a), geo.ToUnit(b)
	dot := max(-1, min(1, u.X*v.X+u.Y*v.Y+u.Z*v.Z))
	theta := math.Acos(dot)
	s := math.Sin(theta)
	ka, kb := math.Sin((1-f)*theta)/s, math.Sin(f*theta)/s
	x, y, z := ka*u.X+kb*v.X, ka*u.Y+kb*v.Y, ka*u.Z+kb*v.Z
	return orb.Point{math.Atan2(y, x) * 180 / math.Pi, math.Atan2(z, math.Hypot(x, y)) * 180 / math.Pi}
}

// TestSupplierCloserNeverLowersScore moves one supplier towards a site in
// steps along the great circle, among up to three fixed customers: the
// site's supply_chain score never drops.
func TestSupplierCloserNeverLowersScore(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 1)
	cands := e.Candidates()
	for trial := range 200 {
		c := &cands[g.rng.IntN(len(cands))]
		mover := g.partner()
		from := orb.Point{}
		if mover.Commune != "" {
			cm, _ := g.cat.Commune(mover.Commune)
			from = cm.Point
		} else {
			from = orb.Point{*mover.Lon, *mover.Lat}
		}
		if d := geo.DistanceKm(from, c.Site.Point); d < 1e-3 || d > 15000 {
			continue // no direction to move in, or nearly antipodal
		}
		p := matching.Project{Name: "Fournisseur qui se rapproche", Weights: map[string]float64{matching.SupplyChain: 1}}
		for range g.rng.IntN(4) {
			p.Customers = append(p.Customers, g.partner())
		}
		// Distances to the site, farthest first: random ones, and both sides
		// of the decay band's edges, where a wrong step would show.
		d0 := geo.DistanceKm(from, c.Site.Point)
		dists := []float64{d0, 0}
		for _, d := range []float64{300.01, 300, 299.99, 162.5, 25.01, 25, 24.99, 10} {
			if d < d0 {
				dists = append(dists, d)
			}
		}
		for range 10 {
			dists = append(dists, d0*g.rng.Float64())
		}
		slices.Sort(dists)
		slices.Reverse(dists)
		prev := -1.0
		for _, d := range dists {
			pt := slerp(from, c.Site.Point, 1-d/d0)
			lon, lat := pt[0], pt[1]
			p.Suppliers = []matching.Partner{{Name: "mobile", Lon: &lon, Lat: &lat, Weight: mover.Weight}}
			cs, err := e.ScoreOf(p, c.Site.ID)
			if err != nil {
				t.Fatal(err)
			}
			s := cs.Scores[matching.SupplyChain]
			if s < prev-1e-12 {
				t.Fatalf("trial %d, %s: supply_chain fell from %.15f to %.15f as the supplier moved to %.3f km",
					trial, c.Site.ID, prev, s, geo.DistanceKm(pt, c.Site.Point))
			}
			prev = s
		}
	}
}

// TestSingleCriterionRanking puts all the weight on one criterion: every
// result scores 100 times that criterion, the results follow it, and no
// eligible site left out of the results scores more on it.
func TestSingleCriterionRanking(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 2)
	for _, crit := range matching.Criteria {
		t.Run(crit, func(t *testing.T) {
			for range 6 {
				p := g.project()
				p.Weights = map[string]float64{}
				for _, c := range matching.Criteria {
					p.Weights[c] = 0
				}
				p.Weights[crit] = 1 + 10*g.rng.Float64()
				switch crit {
				case matching.SupplyChain:
					p.Suppliers = append(p.Suppliers, g.partner())
				case matching.Transport:
					p.Transport = map[string]float64{matching.Motorway: 1, matching.Port: 0.5}
				case matching.Labour:
					jobs := 1 + g.rng.IntN(2000)
					p.Jobs = &jobs
				case matching.Ecosystem:
					prof := matching.Profiles[g.rng.IntN(len(matching.Profiles))]
					p.NAF = prof.NAF[g.rng.IntN(len(prof.NAF))]
				case matching.Land:
					land := 1 + 10*g.rng.Float64()
					p.LandHa = &land
					p.Constraints.Kinds = []string{data.KindTurnkey, data.KindBrownfield, data.KindZone} // land does not apply to towns
				case matching.Energy: // energy applies to mainland sites only
					p.Constraints.Regions, p.Constraints.Departements, p.Constraints.AllowOtherLandmass = nil, []string{"69", "76", "59"}, true
				case matching.SevesoPlatform:
					p.Seveso = matching.SevesoUpper
				}
				limit := 1 + g.rng.IntN(60)
				res := mustMatch(t, e, p, matching.Options{Limit: limit})
				prev := math.Inf(1)
				for _, r := range res.Results {
					s, ok := criterion(r, crit)
					if !ok {
						t.Fatalf("%s: %s not scored", r.Candidate.Site.ID, crit)
					}
					if math.Abs(r.Score-100*s) > 1e-9 {
						t.Errorf("%s: score %v, want 100 × %s %v", r.Candidate.Site.ID, r.Score, crit, s)
					}
					if s > prev {
						t.Errorf("rank %d: %s %v after %v", r.Rank, crit, s, prev)
					}
					prev = s
				}
				if len(res.Results) < limit {
					continue // every eligible site is a result
				}
				all, err := e.ScoreAll(p)
				if err != nil {
					t.Fatal(err)
				}
				// A site left out that scores more must be left out for
				// diversity: its commune is full, or a better site shares
				// its coordinates.
				in, full := map[string]bool{}, map[string]int{}
				for _, r := range res.Results {
					in[r.Candidate.Site.ID] = true
					full[r.Candidate.Site.Commune]++
				}
				bestAt := map[orb.Point]float64{}
				for _, cs := range all {
					if cs.Excluded == "" && !vetoed(p, res, cs) {
						if b, ok := bestAt[cs.Candidate.Site.Point]; !ok || cs.Total > b {
							bestAt[cs.Candidate.Site.Point] = cs.Total
						}
					}
				}
				for _, cs := range all {
					s := cs.Candidate.Site
					diverse := full[s.Commune] >= res.MaxPerCommune || bestAt[s.Point] >= cs.Total && !in[s.ID]
					if cs.Excluded == "" && !vetoed(p, res, cs) && !in[s.ID] && !diverse && cs.Scores[crit] > prev {
						t.Errorf("%s (%s %v) left out, the last result has %v", cs.Candidate.Site.ID, crit, cs.Scores[crit], prev)
					}
				}
			}
		})
	}
}

func criterion(r matching.Ranked, id string) (float64, bool) {
	for _, c := range r.Criteria {
		if c.ID == id {
			return c.Score, true
		}
	}
	return 0, false
}

// vetoed says whether a candidate breaks the project's veto: an applicable
// criterion with a positive weight scores below the floor.
func vetoed(p matching.Project, res *matching.Result, cs matching.CandidateScores) bool {
	if p.Constraints.VetoBelow == nil {
		return false
	}
	for id, s := range cs.Scores {
		if res.Project.Weights[id] > 0 && s < *p.Constraints.VetoBelow {
			return true
		}
	}
	return false
}

// partnerLand returns the landmass that holds more than half of a
// project's partner weight, "" when none does or the project allows other
// landmasses: a partner at a commune is on its département's landmass, one
// at a point on that of the nearest commune within 50 km (scanning every
// commune), on none at sea.
func partnerLand(cat *data.Catalogue, p matching.Project) string {
	if p.Constraints.AllowOtherLandmass {
		return ""
	}
	weight := map[string]float64{}
	sum := 0.0
	for _, x := range append(slices.Clone(p.Suppliers), p.Customers...) {
		w := 1.0
		if x.Weight != nil {
			w = *x.Weight
		}
		sum += w
		lm := ""
		if x.Commune != "" {
			c, _ := cat.Commune(x.Commune)
			lm = matching.LandLit(c.Dep)
		} else {
			pt, best, bestKm := orb.Point{*x.Lon, *x.Lat}, "", math.Inf(1)
			for _, c := range cat.Communes {
				if d := geo.DistanceKm(pt, c.Point); d < bestKm {
					best, bestKm = matching.LandLit(c.Dep), d
				}
			}
			if bestKm <= 50 {
				lm = best
			}
		}
		if lm != "" {
			weight[lm] += w
		}
	}
	for lm, w := range weight {
		if w > sum/2 {
			return lm
		}
	}
	return ""
}

// breaks returns the first hard constraint a candidate breaks, checked
// from the request, the landmass of most of its partner weight
// (partnerLand) and the candidate's own data.
func breaks(p matching.Project, land string, c *matching.Candidate) string {
	cons := p.Constraints
	s := c.Site
	switch {
	case len(cons.Kinds) > 0 && !slices.Contains(cons.Kinds, s.Kind):
		return matching.ExclKind
	case len(cons.Regions) > 0 && !slices.Contains(cons.Regions, c.Commune.Reg):
		return matching.ExclRegion
	case len(cons.Departements) > 0 && !slices.Contains(cons.Departements, c.Commune.Dep):
		return matching.ExclDepartement
	case land != "" && matching.LandLit(c.Commune.Dep) != land:
		return matching.ExclLandmass
	}
	// Land and record (land.go): a brownfield of a former use listed as
	// non-industrial, an unverified record, a known area (at most 300 ha
	// for a brownfield) below the need or an unknown one under
	// require_known_area, a town without a known plot that large.
	typ := strings.TrimPrefix(strings.ReplaceAll(strings.ToLower(s.SiteType), "’", "'"), "friche ")
	nonInd := s.Kind == data.KindBrownfield && slices.Contains([]string{"d'habitat", "d'habitation", "commerciale", "hospitalière",
		"hospitaliere", "loisir tourisme hôtellerie", "loisir tourisme hotellerie", "touristique", "d'équipement public",
		"enseignement", "cultuelle"}, typ) || s.Kind == data.KindBrownfield && (matching.LandfillLit(s) || matching.NonIndustrialNameLit(s))
	known := s.AreaKnown && !(s.Kind == data.KindBrownfield && s.AreaHa > 300)
	need := 0.0
	if p.LandHa != nil {
		need = *p.LandHa
	}
	switch {
	case nonInd && !cons.IncludeNonIndustrial:
		return matching.ExclSiteType
	case s.Unverified && !cons.IncludeUnverified:
		return matching.ExclUnverified
	case s.Kind == data.KindTown:
		if best := matching.TownBestHa(c); cons.RequireKnownArea && (best == 0 || best < need) {
			return matching.ExclLand
		}
	case known && s.AreaHa < need, !known && cons.RequireKnownArea:
		return matching.ExclLand
	}
	if s.CommittedTo != "" && !cons.IncludeCommitted {
		return matching.ExclCommitted
	}
	if p.NeededBy != "" {
		y, _ := strconv.Atoi(p.NeededBy[:4])
		earliest := 0
		for _, f := range strings.FieldsFunc(s.AvailableFrom, func(r rune) bool { return r < '0' || r > '9' }) {
			if v, _ := strconv.Atoi(f); len(f) == 4 && (earliest == 0 || v < earliest) {
				earliest = v
			}
		}
		if earliest > y {
			return matching.ExclNeededBy
		}
	}
	for m, mode := range matching.Modes {
		if max, ok := cons.MaxKm[mode]; ok && (c.Nearest[m].Index < 0 || c.Nearest[m].Km > max) {
			return matching.ExclMaxKm
		}
	}
	return ""
}

// TestHardConstraintsAndCounts checks, on random projects, that no result
// breaks a hard constraint, that the exclusions are counted by reason as an
// independent check finds them, that the results are the best eligible
// sites in order, and that every score adds up.
func TestHardConstraintsAndCounts(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 3)
	n := 60
	if testing.Short() {
		n = 15
	}
	for trial := range n {
		p := g.project()
		limit := 1 + g.rng.IntN(100)
		opt := matching.Options{Limit: limit}
		if g.chance(0.5) {
			opt.MaxPerCommune = 1 + g.rng.IntN(4)
		}
		res := mustMatch(t, e, p, opt)
		all, err := e.ScoreAll(p)
		if err != nil {
			t.Fatal(err)
		}
		excluded := map[string]int{}
		land := partnerLand(e.Catalogue(), p)
		var eligible []matching.CandidateScores
		for _, cs := range all {
			r := breaks(p, land, cs.Candidate)
			if r != cs.Excluded {
				t.Fatalf("trial %d, %s: engine excludes for %q, the constraints say %q", trial, cs.Candidate.Site.ID, cs.Excluded, r)
			}
			if r == "" && vetoed(p, res, cs) {
				r = matching.ExclVeto
			}
			if r != "" {
				excluded[r]++
				continue
			}
			eligible = append(eligible, cs)
		}
		if res.Considered != len(all) || res.Eligible != len(eligible) {
			t.Errorf("trial %d: considered %d, eligible %d; want %d, %d", trial, res.Considered, res.Eligible, len(all), len(eligible))
		}
		for _, r := range matching.ExclusionReasons {
			if res.Excluded[r] != excluded[r] {
				t.Errorf("trial %d: excluded[%s] = %d, want %d", trial, r, res.Excluded[r], excluded[r])
			}
		}
		slices.SortFunc(eligible, func(a, b matching.CandidateScores) int {
			return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Candidate.Site.ID, b.Candidate.Site.ID))
		})
		perCommune := cmp.Or(opt.MaxPerCommune, matching.DefaultMaxPerCommune)
		diverse, twins := diversifyLit(eligible, perCommune)
		if want := min(limit, len(diverse)); len(res.Results) != want {
			t.Fatalf("trial %d: %d results, want %d", trial, len(res.Results), want)
		}
		perCom := map[string]int{}
		for i, r := range res.Results {
			if id := diverse[i].Candidate.Site.ID; r.Candidate.Site.ID != id || r.Score != diverse[i].Total {
				t.Errorf("trial %d, rank %d: %s (%v), want %s (%v)", trial, r.Rank, r.Candidate.Site.ID, r.Score, id, diverse[i].Total)
			}
			if want := twins[r.Candidate.Site.ID]; !slices.Equal(r.Twins, want) {
				t.Errorf("trial %d, %s: twins %v, want %v", trial, r.Candidate.Site.ID, r.Twins, want)
			}
			if perCom[r.Candidate.Site.Commune]++; perCom[r.Candidate.Site.Commune] > perCommune {
				t.Errorf("trial %d: %d results in commune %s, at most %d", trial, perCom[r.Candidate.Site.Commune], r.Candidate.Site.Commune, perCommune)
			}
			if b := breaks(p, land, r.Candidate); b != "" {
				t.Errorf("trial %d: result %s breaks %s", trial, r.Candidate.Site.ID, b)
			}
			if p.Constraints.VetoBelow != nil {
				for _, c := range r.Criteria {
					if c.Weight > 0 && c.Score < *p.Constraints.VetoBelow {
						t.Errorf("trial %d: result %s has %s %v below the veto %v", trial, r.Candidate.Site.ID, c.ID, c.Score, *p.Constraints.VetoBelow)
					}
				}
			}
		}
		checkResult(t, res)
	}
}

// diversifyLit applies the diversity rules to eligible sites sorted best
// first: a site is dropped when a better one lies at exactly its
// coordinates (it becomes that one's twin) or when its commune already
// holds perCommune results. It returns the kept sites in order and, per
// kept site, its twins' ids in order.
func diversifyLit(sorted []matching.CandidateScores, perCommune int) ([]matching.CandidateScores, map[string][]string) {
	var kept []matching.CandidateScores
	lead := map[orb.Point]string{} // the first eligible site at each point
	twins := map[string][]string{}
	communes := map[string]int{}
	listed := map[string]bool{}
	// towns left out for their listed plot, by point: the twins of the
	// site that later leads that point
	before := map[orb.Point][]string{}
	for _, cs := range sorted {
		s := cs.Candidate.Site
		if id, ok := lead[s.Point]; ok {
			twins[id] = append(twins[id], s.ID)
			continue
		}
		if cs.TownPlot != "" && listed[cs.TownPlot] {
			before[s.Point] = append(before[s.Point], s.ID)
			continue
		}
		lead[s.Point] = s.ID
		twins[s.ID] = before[s.Point]
		if communes[s.Commune] >= perCommune {
			continue
		}
		communes[s.Commune]++
		listed[s.ID] = true
		kept = append(kept, cs)
	}
	return kept, twins
}

// checkResult checks what holds for any result: ranks 1..n, sorted by
// score then site id, totals in [0, 100], criterion scores in [0, 1],
// normalised weights that sum to 1, contributions that sum to the score.
func checkResult(t *testing.T, res *matching.Result) {
	t.Helper()
	for i, r := range res.Results {
		id := r.Candidate.Site.ID
		if r.Rank != i+1 {
			t.Errorf("%s: rank %d at position %d", id, r.Rank, i)
		}
		if i > 0 {
			prev := res.Results[i-1]
			if prev.Score < r.Score || (prev.Score == r.Score && prev.Candidate.Site.ID >= id) {
				t.Errorf("rank %d (%s, %v) after %s (%v): not sorted by score, then id", r.Rank, id, r.Score, prev.Candidate.Site.ID, prev.Score)
			}
		}
		if !(r.Score >= 0 && r.Score <= 100) {
			t.Errorf("%s: score %v outside [0, 100]", id, r.Score)
		}
		var wsum, csum float64
		for _, c := range r.Criteria {
			if !(c.Score >= 0 && c.Score <= 1) {
				t.Errorf("%s: %s = %v outside [0, 1]", id, c.ID, c.Score)
			}
			if math.Abs(c.Contribution-100*c.Weight*c.Score) > 1e-9 {
				t.Errorf("%s: %s contribution %v ≠ 100·%v·%v", id, c.ID, c.Contribution, c.Weight, c.Score)
			}
			if slices.Contains(res.NotApplicable, c.ID) {
				t.Errorf("%s: %s scored but listed as not applicable", id, c.ID)
			}
			if c.Explain == "" || c.Detail == nil {
				t.Errorf("%s: %s has no explanation or detail", id, c.ID)
			}
			wsum += c.Weight
			csum += c.Contribution
		}
		if wsum > 0 && math.Abs(wsum-1) > 1e-9 {
			t.Errorf("%s: weights sum to %v", id, wsum)
		}
		if math.Abs(csum-r.Score) > 1e-9 {
			t.Errorf("%s: contributions sum to %v, score %v", id, csum, r.Score)
		}
	}
}

// TestSameRequestSameBytes matches random projects twice, and once more on
// an engine built afresh: the JSON responses are byte-identical, and their
// rounded contributions still add up to the rounded score within 0.05.
func TestSameRequestSameBytes(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 4)
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := matching.NewEngine(cat)
	if err != nil {
		t.Fatal(err)
	}
	for trial := range 25 {
		p := g.project()
		opt := matching.Options{Limit: 1 + g.rng.IntN(50), Robustness: g.chance(0.3), Draws: 100 + g.rng.IntN(400), Seed: g.rng.Uint64N(1000)}
		var out [3][]byte
		for i, eng := range []*matching.Engine{e, e, fresh} {
			res := mustMatch(t, eng, p, opt)
			b, err := json.Marshal(wire.NewMatchResponse(res, eng.Catalogue()))
			if err != nil {
				t.Fatal(err)
			}
			out[i] = b
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Fatalf("trial %d: the same request gave different bytes", trial)
		}
		if !bytes.Equal(out[0], out[2]) {
			t.Fatalf("trial %d: a fresh engine gave different bytes", trial)
		}
		var resp struct {
			Results []struct {
				Score    float64 `json:"score"`
				Criteria map[string]struct {
					Score, Weight, Contribution float64
				} `json:"criteria"`
			} `json:"results"`
		}
		if err := json.Unmarshal(out[0], &resp); err != nil {
			t.Fatal(err)
		}
		for _, r := range resp.Results {
			var sum float64
			for id, c := range r.Criteria {
				sum += c.Contribution
				if math.Abs(c.Contribution-100*c.Weight*c.Score) > 0.02 {
					t.Errorf("trial %d: %s contribution %v, 100·%v·%v", trial, id, c.Contribution, c.Weight, c.Score)
				}
			}
			if math.Abs(sum-r.Score) > 0.05 {
				t.Errorf("trial %d: rounded contributions sum to %v, score %v", trial, sum, r.Score)
			}
		}
	}
}

// TestRobustness checks the robustness figures: reproducible for a seed,
// p_top_k in [0, 1], 1 ≤ rank_p5 ≤ rank_p95, and the draws and k echoed.
func TestRobustness(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 5)
	for trial := range 12 {
		p := g.project()
		opt := matching.Options{Limit: 1 + g.rng.IntN(50), Robustness: true, Draws: 1 + g.rng.IntN(1000), Seed: g.rng.Uint64()}
		a := mustMatch(t, e, p, opt)
		b := mustMatch(t, e, p, opt)
		plain := mustMatch(t, e, p, matching.Options{Limit: opt.Limit})
		if len(a.Results) != len(plain.Results) {
			t.Fatalf("trial %d: %d results with robustness, %d without", trial, len(a.Results), len(plain.Results))
		}
		for i, r := range a.Results {
			rb := r.Robustness
			if rb == nil {
				t.Fatalf("trial %d: %s has no robustness", trial, r.Candidate.Site.ID)
			}
			if !reflect.DeepEqual(rb, b.Results[i].Robustness) {
				t.Errorf("trial %d: same seed, robustness %+v then %+v", trial, rb, b.Results[i].Robustness)
			}
			if r.Candidate != plain.Results[i].Candidate || r.Score != plain.Results[i].Score {
				t.Errorf("trial %d, rank %d: robustness changed the ranking", trial, r.Rank)
			}
			if !(rb.PTopK >= 0 && rb.PTopK <= 1) || rb.RankP5 < 1 || rb.RankP5 > rb.RankP95 {
				t.Errorf("trial %d: %s robustness %+v", trial, r.Candidate.Site.ID, rb)
			}
			if rb.Draws != opt.Draws || rb.K != opt.Limit || rb.Seed != opt.Seed {
				t.Errorf("trial %d: robustness echoes %d draws, k %d, seed %d; want %d, %d, %d",
					trial, rb.Draws, rb.K, rb.Seed, opt.Draws, opt.Limit, opt.Seed)
			}
		}
		checkResult(t, a)
	}
}

// TestRobustnessOfAClearWinner: a site at least as good as every other on
// each weighted criterion stays first in every draw.
func TestRobustnessOfAClearWinner(t *testing.T) {
	e := matching.SharedEngine(t)
	// The former Renault CKD plant at Grand-Couronne (75 ha) with the
	// supplier on site: no turnkey site of 60 ha or more is as close, and
	// none nearby is as large.
	land := 60.0
	p := matching.Project{Name: "Gagnant net", LandHa: &land, Suppliers: []matching.Partner{{Commune: "76319"}},
		Weights:     map[string]float64{matching.SupplyChain: 80, matching.Land: 20, matching.Transport: 0, matching.Labour: 0, matching.Training: 0, matching.Territory: 0},
		Constraints: matching.Constraints{Kinds: []string{data.KindTurnkey}}}
	res := mustMatch(t, e, p, matching.Options{Limit: 1, Robustness: true})
	if len(res.Results) != 1 {
		t.Fatalf("%d results", len(res.Results))
	}
	r := res.Results[0]
	if r.Candidate.Site.ID != "turnkey:NOR-4" || r.Robustness.PTopK != 1 || r.Robustness.RankP95 != 1 {
		t.Errorf("winner %s with %+v, want turnkey:NOR-4 first in every draw", r.Candidate.Site.ID, r.Robustness)
	}
}

// TestDiverseResults: on random projects, no two results share their
// coordinates, no commune holds more than max_per_commune results, and
// every twin lies at its result's coordinates, is eligible and scores no
// more than it.
func TestDiverseResults(t *testing.T) {
	e := matching.SharedEngine(t)
	g := newGen(t, 6)
	for trial := range 25 {
		p := g.project()
		opt := matching.Options{Limit: 1 + g.rng.IntN(80)}
		if g.chance(0.6) {
			opt.MaxPerCommune = 1 + g.rng.IntN(3)
		}
		res := mustMatch(t, e, p, opt)
		if want := cmp.Or(opt.MaxPerCommune, matching.DefaultMaxPerCommune); res.MaxPerCommune != want {
			t.Errorf("trial %d: max_per_commune %d, want %d", trial, res.MaxPerCommune, want)
		}
		points, communes := map[orb.Point]string{}, map[string]int{}
		for _, r := range res.Results {
			s := r.Candidate.Site
			if other, ok := points[s.Point]; ok {
				t.Errorf("trial %d: %s and %s at the same coordinates", trial, other, s.ID)
			}
			points[s.Point] = s.ID
			if communes[s.Commune]++; communes[s.Commune] > res.MaxPerCommune {
				t.Errorf("trial %d: %d results in %s", trial, communes[s.Commune], s.Commune)
			}
			for _, id := range r.Twins {
				cs, err := e.ScoreOf(p, id)
				if err != nil {
					t.Fatal(err)
				}
				if cs.Candidate.Site.Point != s.Point || cs.Excluded != "" || cs.Total > r.Score {
					t.Errorf("trial %d: twin %s of %s: at %v (%v), excluded %q, score %v > %v", trial, id, s.ID,
						cs.Candidate.Site.Point, s.Point, cs.Excluded, cs.Total, r.Score)
				}
			}
		}
	}
	for _, bad := range []int{-1, matching.MaxLimit + 1} {
		if _, err := e.Match(matching.Project{Name: "x"}, matching.Options{MaxPerCommune: bad}); err == nil || !strings.Contains(err.Error(), "max_per_commune") {
			t.Errorf("max_per_commune %d: error %v", bad, err)
		}
	}
}
