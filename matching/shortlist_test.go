package matching_test

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"sitematch/geo"
	"sitematch/matching"
)

// sectorScores scores every site of a région and kinds on a sector's typical
// project with the ranking pass's own scores (ScoreAll), the oracle for the
// shortlist: a site a match excludes (too small) scores 0.
func sectorScores(t *testing.T, eng *matching.Engine, region string, kinds []string, sector string) map[string]float64 {
	t.Helper()
	prof, _ := matching.ProfileByID(sector)
	jobs, land := prof.Jobs, prof.LandHa
	// The typical project carries the sector's core NAF code (Profile.NAF).
	all, err := eng.ScoreAll(matching.Project{Name: "oracle", Sector: sector, NAF: prof.NAF[0], Jobs: &jobs, LandHa: &land,
		Constraints: matching.Constraints{Regions: []string{region}, Kinds: kinds}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, cs := range all {
		if cs.Excluded == "" {
			out[cs.Candidate.Site.ID] = cs.Total
		}
	}
	return out
}

// TestShortlistMatchesBruteForce checks the shortlist against an
// exhaustive search written here: every pair of the région's sites at least
// min_km apart, valued as the mean over the sectors of the better score,
// ties to the higher mean of the weaker score, then ids.
func TestShortlistMatchesBruteForce(t *testing.T) {
	eng := matching.SharedEngine(t)
	cases := []struct {
		region  string
		kinds   []string
		sectors []string
		minKm   float64
	}{
		{"28", []string{"turnkey"}, []string{"aeronautics", "chemistry", "automotive"}, 25},
		{"11", []string{"turnkey", "brownfield"}, []string{"chemistry", "energy"}, 40},
		{"04", []string{"turnkey", "brownfield"}, []string{"automotive"}, 25},
		{"94", []string{"brownfield"}, []string{"agrifood", "logistics", "pharma"}, 25},
		{"32", []string{"turnkey"}, []string{"metalworking"}, 10},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			got, err := eng.Shortlist(matching.ShortlistRequest{Region: tc.region, Kinds: tc.kinds, Sectors: tc.sectors, MinKm: tc.minKm, RunnersUp: 4})
			if err != nil {
				t.Fatal(err)
			}
			scores := make([]map[string]float64, len(tc.sectors))
			for i, s := range tc.sectors {
				scores[i] = sectorScores(t, eng, tc.region, tc.kinds, s)
			}
			var sites []*matching.Candidate
			considered := 0
			for i := range eng.Candidates() {
				c := &eng.Candidates()[i]
				if c.Commune.Reg != tc.region || !contains(tc.kinds, c.Site.Kind) {
					continue
				}
				considered++
				// A site every sector excludes (too small for each plant)
				// is in no pair.
				for _, sc := range scores {
					if _, ok := sc[c.Site.ID]; ok {
						sites = append(sites, c)
						break
					}
				}
			}
			if got.Considered != considered || got.Scored != len(sites) {
				t.Errorf("considered %d, scored %d; want %d, %d", got.Considered, got.Scored, considered, len(sites))
			}
			type pair struct {
				a, b          string
				value, backup float64
			}
			// Only sites that can host at least one sector's plant pair up.
			var useful []*matching.Candidate
			for _, c := range sites {
				for s := range tc.sectors {
					if _, ok := scores[s][c.Site.ID]; ok {
						useful = append(useful, c)
						break
					}
				}
			}
			var all []pair
			for i, a := range useful {
				for _, b := range useful[i+1:] {
					if geo.DistanceKm(a.Site.Point, b.Site.Point) < tc.minKm {
						continue
					}
					var v, w float64
					for s := range tc.sectors {
						x, y := scores[s][a.Site.ID], scores[s][b.Site.ID]
						v += max(x, y)
						w += min(x, y)
					}
					n := float64(len(tc.sectors))
					ida, idb := a.Site.ID, b.Site.ID
					if idb < ida {
						ida, idb = idb, ida
					}
					all = append(all, pair{ida, idb, v / n, w / n})
				}
			}
			if len(all) == 0 {
				if got.Best != nil {
					t.Fatalf("best pair %v, want none", got.Best)
				}
				return
			}
			sort.Slice(all, func(i, j int) bool {
				x, y := all[i], all[j]
				if x.value != y.value {
					return x.value > y.value
				}
				if x.backup != y.backup {
					return x.backup > y.backup
				}
				if x.a != y.a {
					return x.a < y.a
				}
				return x.b < y.b
			})
			// Greedy in that order: a pair is listed unless one of its sites
			// is in two listed pairs already.
			in := map[string]int{}
			var listed []pair
			for _, p := range all {
				if len(listed) == 5 {
					break
				}
				if in[p.a] < 2 && in[p.b] < 2 {
					in[p.a]++
					in[p.b]++
					listed = append(listed, p)
				}
			}
			gotPairs := append([]matching.Pair{*got.Best}, got.RunnersUp...)
			if len(gotPairs) != len(listed) {
				t.Errorf("%d pairs, want %d", len(gotPairs), len(listed))
			}
			seen := map[string]int{}
			for _, p := range gotPairs {
				seen[p.A.Site.ID]++
				seen[p.B.Site.ID]++
			}
			for id, n := range seen {
				if n > 2 {
					t.Errorf("site %s in %d pairs", id, n)
				}
			}
			for i, p := range gotPairs {
				if i >= len(listed) {
					break
				}
				w := listed[i]
				if p.A.Site.ID != w.a || p.B.Site.ID != w.b {
					t.Errorf("pair %d = %s + %s, want %s + %s", i, p.A.Site.ID, p.B.Site.ID, w.a, w.b)
				}
				if !near(p.Value, w.value, 1e-9) || !near(p.Backup, w.backup, 1e-9) {
					t.Errorf("pair %d value %v backup %v, want %v %v", i, p.Value, p.Backup, w.value, w.backup)
				}
				if p.Km < tc.minKm {
					t.Errorf("pair %d is %.1f km apart, under %v", i, p.Km, tc.minKm)
				}
				if len(p.Sectors) != len(tc.sectors) || p.Explain == "" {
					t.Errorf("pair %d lacks per-sector fit or explanation", i)
				}
			}
		})
	}
}

// TestShortlistRunnersUpExact: RunnersUp is the number of runner-up pairs
// asked for, 0 meaning none (not a default), and the best pair does not
// depend on it.
func TestShortlistRunnersUpExact(t *testing.T) {
	eng := matching.SharedEngine(t)
	var best string
	for _, n := range []int{0, 1, 3} {
		sl, err := eng.Shortlist(matching.ShortlistRequest{Region: "28", RunnersUp: n})
		if err != nil {
			t.Fatal(err)
		}
		if sl.Best == nil {
			t.Fatal("no best pair in Normandie")
		}
		if len(sl.RunnersUp) != n {
			t.Errorf("RunnersUp %d: got %d runner-up pairs", n, len(sl.RunnersUp))
		}
		id := sl.Best.A.Site.ID + "+" + sl.Best.B.Site.ID
		if best == "" {
			best = id
		} else if id != best {
			t.Errorf("RunnersUp %d changed the best pair: %s, was %s", n, id, best)
		}
	}
}

func TestShortlistDeterministic(t *testing.T) {
	eng := matching.SharedEngine(t)
	req := matching.ShortlistRequest{Region: "75"}
	a, err := eng.Shortlist(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := eng.Shortlist(req)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same request gave two different shortlists")
	}
	if a.Best == nil || a.Explain == "" {
		t.Fatalf("no best pair for Nouvelle-Aquitaine: %+v", a)
	}
}

func TestShortlistTooFewSites(t *testing.T) {
	eng := matching.SharedEngine(t)
	// Mayotte (06) has no turnkey site in the catalogue.
	sl, err := eng.Shortlist(matching.ShortlistRequest{Region: "06", Kinds: []string{"turnkey"}})
	if err != nil {
		t.Fatal(err)
	}
	if sl.Best != nil || len(sl.RunnersUp) != 0 || sl.Explain == "" {
		t.Errorf("want no pair and an explanation, got %+v", sl)
	}
}

func TestShortlistValidation(t *testing.T) {
	eng := matching.SharedEngine(t)
	cases := []struct {
		name   string
		req    matching.ShortlistRequest
		fields []string
	}{
		{"unknown région", matching.ShortlistRequest{Region: "99"}, []string{"region"}},
		{"unknown sector and kind", matching.ShortlistRequest{Region: "28", Sectors: []string{"aeronautics", "textiles"}, Kinds: []string{"castle"}},
			[]string{"kinds[0]", "sectors[1]"}},
		{"sector twice", matching.ShortlistRequest{Region: "28", Sectors: []string{"chemistry", "chemistry"}}, []string{"sectors[1]"}},
		{"negative distance", matching.ShortlistRequest{Region: "28", MinKm: -3}, []string{"min_km"}},
		{"too many runners-up", matching.ShortlistRequest{Region: "28", RunnersUp: 50}, []string{"runners_up"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eng.Shortlist(tc.req)
			var ve *matching.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func near(a, b, tol float64) bool { d := a - b; return d <= tol && d >= -tol }

// TestShortlistLeavesOutDoubtfulSites: the typical projects of the
// shortlist exclude what a match excludes by default — the turnkey site
// committed to Genvia (Occitanie), unverified BASIAS/BASOL records and
// brownfields whose former use cannot host a plant.
func TestShortlistLeavesOutDoubtfulSites(t *testing.T) {
	eng := matching.SharedEngine(t)
	for _, region := range []string{"76", "32"} {
		sl, err := eng.Shortlist(matching.ShortlistRequest{Region: region, RunnersUp: 20})
		if err != nil {
			t.Fatal(err)
		}
		var pairs []matching.Pair
		if sl.Best != nil {
			pairs = append(pairs, *sl.Best)
		}
		pairs = append(pairs, sl.RunnersUp...)
		if len(pairs) == 0 {
			t.Fatalf("région %s: no pair", region)
		}
		for _, p := range pairs {
			for _, c := range []*matching.Candidate{p.A, p.B} {
				if c == nil {
					continue
				}
				if s := c.Site; s.CommittedTo != "" || s.Unverified || matching.NonIndustrial(&s) {
					t.Errorf("région %s: shortlist pair holds %s (committed %q, unverified %v, type %q)", region, s.ID, s.CommittedTo, s.Unverified, s.SiteType)
				}
			}
		}
	}
}
