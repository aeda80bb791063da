package matching_test

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"sitematch/matching"
)

// TestCompareAgreesWithMatch checks that comparing sites scores each one
// exactly as a match does, ranks them among themselves, and says which
// constraint would have excluded one.
func TestCompareAgreesWithMatch(t *testing.T) {
	eng := matching.SharedEngine(t)
	jobs, land := 120, 6.0
	p := matching.Project{Name: "comparaison", Sector: "metalworking", Jobs: &jobs, LandHa: &land,
		Suppliers:   []matching.Partner{{Name: "Fonderie", Commune: "59350"}, {Name: "Aciérie", Commune: "57463"}},
		Constraints: matching.Constraints{Regions: []string{"32"}}}
	res, err := eng.Match(p, matching.Options{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	outside := "turnkey:NOR-1" // Normandie: excluded by the région constraint
	ids := []string{res.Results[2].Candidate.Site.ID, outside, res.Results[0].Candidate.Site.ID}
	cmp, err := eng.Compare(p, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Sites) != 3 {
		t.Fatalf("%d sites, want 3", len(cmp.Sites))
	}
	for i, want := range []*matching.Ranked{&res.Results[2], nil, &res.Results[0]} {
		got := cmp.Sites[i]
		if got.Candidate.Site.ID != ids[i] {
			t.Errorf("site %d is %s, want %s (request order)", i, got.Candidate.Site.ID, ids[i])
		}
		if want == nil {
			if got.ExcludedBy != matching.ExclRegion {
				t.Errorf("%s excluded by %q, want region", ids[i], got.ExcludedBy)
			}
			continue
		}
		if got.ExcludedBy != "" {
			t.Errorf("%s excluded by %q, want none", ids[i], got.ExcludedBy)
		}
		if got.Score != want.Score || !reflect.DeepEqual(got.Criteria, want.Criteria) {
			t.Errorf("%s scored %v in compare, %v in match", ids[i], got.Score, want.Score)
		}
	}
	if cmp.Sites[2].Rank != 1 {
		t.Errorf("the match's best site is ranked %d among the compared", cmp.Sites[2].Rank)
	}
	ranks := []int{cmp.Sites[0].Rank, cmp.Sites[1].Rank, cmp.Sites[2].Rank}
	sort.Ints(ranks)
	if !reflect.DeepEqual(ranks, []int{1, 2, 3}) {
		t.Errorf("ranks %v, want a permutation of 1..3", ranks)
	}
}

func TestCompareValidation(t *testing.T) {
	eng := matching.SharedEngine(t)
	ok := matching.Project{Name: "x"}
	cases := []struct {
		name   string
		p      matching.Project
		ids    []string
		fields []string
	}{
		{"one site", ok, []string{"turnkey:NOR-1"}, []string{"site_ids"}},
		{"eleven sites", ok, make([]string, 11), []string{"site_ids"}},
		{"unknown and repeated", ok, []string{"turnkey:NOR-1", "turnkey:NOPE", "turnkey:NOR-1"}, []string{"site_ids[1]", "site_ids[2]"}},
		{"bad project too", matching.Project{}, []string{"turnkey:NOR-1", "turnkey:NOR-2"}, []string{"project.name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eng.Compare(tc.p, tc.ids)
			var ve *matching.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			seen := map[string]bool{}
			for _, f := range ve.Fields {
				seen[f.Field] = true
			}
			for _, f := range tc.fields {
				if !seen[f] {
					t.Errorf("no error on %s in %+v", f, ve.Fields)
				}
			}
		})
	}
}
