package data_test

import "testing"

func TestSearchCommunes(t *testing.T) {
	c := loadEmbedded(t)
	cases := []struct {
		name  string
		q     string
		limit int
		first string // expected code of the first hit, "" for no hit
	}{
		{"prefix, accents ignored", "amien", 5, "80021"},
		{"case and accents", "SAINT-ÉTIENNE", 3, "42218"},
		{"hyphen as space", "saint etienne", 3, "42218"},
		{"biggest first", "paris", 3, "75056"},
		{"code prefix", "7505", 3, "75056"},
		{"word inside a name", "havre", 3, "76351"},
		{"empty", "  ", 5, ""},
		{"no match", "zzzzqq", 5, ""},
		{"zero limit", "paris", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.SearchCommunes(tc.q, tc.limit)
			if tc.first == "" {
				if len(got) != 0 {
					t.Fatalf("SearchCommunes(%q) = %d hits, want none", tc.q, len(got))
				}
				return
			}
			if len(got) == 0 || got[0].Code != tc.first {
				t.Fatalf("SearchCommunes(%q)[0] = %+v, want code %s", tc.q, got, tc.first)
			}
			if len(got) > tc.limit {
				t.Errorf("%d hits over the limit %d", len(got), tc.limit)
			}
		})
	}
}
