package matching

import (
	"fmt"
	"testing"
	"time"
)

func TestEcoProbe(t *testing.T) {
	e := SharedEngine(t)
	jobs := 150
	for _, naf := range []string{"30.30Z", ""} {
		p := Project{Name: "x", Sector: "aeronautics", NAF: naf, Jobs: &jobs}
		t0 := time.Now()
		res, err := e.Match(p, Options{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(naf, time.Since(t0))
		for _, r := range res.Results[:5] {
			fmt.Println(r.Candidate.Site.ID, r.Candidate.Site.Name, r.Candidate.Commune.Name, r.Score)
		}
		if naf != "" {
			for _, c := range res.Results[0].Criteria {
				fmt.Println(c.ID, c.Score, c.Explain)
			}
		}
	}
}
