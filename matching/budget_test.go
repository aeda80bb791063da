package matching

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestMatchContextStops checks that an ended context stops a match, its
// robustness and a shortlist with the context's error, and that a live one
// changes nothing.
func TestMatchContextStops(t *testing.T) {
	e := SharedEngine(t)
	p := benchProject()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, opt := range []Options{{Limit: 20}, {Limit: 50, Robustness: true, Draws: 1000}} {
		if _, err := e.MatchContext(ctx, p, opt); !errors.Is(err, context.Canceled) {
			t.Errorf("MatchContext(cancelled, %+v) = %v, want context.Canceled", opt, err)
		}
	}
	dl, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	if _, err := e.MatchContext(dl, p, Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("MatchContext(past deadline) = %v, want context.DeadlineExceeded", err)
	}
	if _, err := e.ShortlistContext(ctx, ShortlistRequest{Region: "28"}); !errors.Is(err, context.Canceled) {
		t.Errorf("ShortlistContext(cancelled) = %v, want context.Canceled", err)
	}
	a, err := e.Match(p, Options{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.MatchContext(context.Background(), p, Options{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Results {
		if a.Results[i].Candidate.Site.ID != b.Results[i].Candidate.Site.ID || a.Results[i].Score != b.Results[i].Score {
			t.Fatalf("result %d differs with a live context", i)
		}
	}
}

// TestBudget checks the cost budgets: refused requests name the field to
// reduce, and the largest allowed ones pass.
func TestBudget(t *testing.T) {
	e := SharedEngine(t)
	n := len(e.Candidates())
	heavy := func(partners int, customers bool) Project {
		p := benchProject()
		p.Suppliers = nil
		for i := range partners {
			x := Partner{Commune: benchCommunes[i%len(benchCommunes)]}
			if customers {
				p.Customers = append(p.Customers, x)
			} else {
				p.Suppliers = append(p.Suppliers, x)
			}
		}
		return p
	}
	over := MaxScoringWork/n + 1
	tests := []struct {
		name  string
		p     Project
		opt   Options
		field string // "" when allowed
	}{
		{"limit 1000 with 10000 draws", benchProject(), Options{Limit: 1000, Robustness: true, Draws: 10000}, "draws"},
		{"limit 1000 with the default draws", benchProject(), Options{Limit: 1000, Robustness: true}, "draws"},
		{"limit 1000 at the budget's draws", benchProject(), Options{Limit: 1000, Robustness: true, Draws: MaxRobustnessWork / robustPool(1000)}, ""},
		{"limit 50 with 10000 draws", benchProject(), Options{Limit: 50, Robustness: true, Draws: 10000}, ""},
		{"draws without robustness", benchProject(), Options{Limit: 1000, Draws: 10000}, ""},
	}
	if over <= MaxPartners {
		tests = append(tests,
			struct {
				name  string
				p     Project
				opt   Options
				field string
			}{"too many suppliers", heavy(over, false), Options{Limit: 1}, "project.suppliers"},
			struct {
				name  string
				p     Project
				opt   Options
				field string
			}{"too many customers", heavy(over, true), Options{Limit: 1}, "project.customers"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.checkBudget(func() *Project { r := Resolve(tt.p); return &r }(), tt.opt)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tt.field || !strings.Contains(ve.Fields[0].Message, "budget") {
				t.Fatalf("got %v, want one error on %s naming the budget", err, tt.field)
			}
		})
	}
	// Match itself applies the budget.
	if _, err := e.Match(benchProject(), Options{Limit: 1000, Robustness: true, Draws: 10000}); err == nil {
		t.Error("Match accepted a request over the robustness budget")
	}
}

// countdown is a context that ends after its Err has been asked n times:
// a deterministic stand-in for a client leaving at any point of a match.
type countdown struct {
	context.Context
	n, asked int
}

func (c *countdown) Err() error {
	if c.asked++; c.asked > c.n {
		return context.Canceled
	}
	return nil
}

// TestMatchContextStopsAnywhere: wherever the context ends (after any
// number of the match's looks at it: scoring, robustness draws,
// explanations), MatchContext returns its error rather than a result; a
// context that never ends is looked at often (every checkEvery candidates
// and every draw), so a match stops soon after its client leaves.
func TestMatchContextStopsAnywhere(t *testing.T) {
	e := SharedEngine(t)
	p := benchProject()
	opt := Options{Limit: 30, Robustness: true, Draws: 200}
	full := &countdown{Context: context.Background(), n: 1 << 30}
	if _, err := e.MatchContext(full, p, opt); err != nil {
		t.Fatal(err)
	}
	looks := full.asked
	// The pruned ranking scores only the candidates whose bound can
	// reach the pool, and looks at the context every checkEvery of those
	// it scores: at least once, then every draw and every result.
	if min := 1 + opt.Draws + opt.Limit; looks < min {
		t.Fatalf("%d looks at the context, want at least %d (the ranking pass + draws + results)", looks, min)
	}
	for n := 0; n < looks; n += 1 + n/8 {
		if _, err := e.MatchContext(&countdown{Context: context.Background(), n: n}, p, opt); !errors.Is(err, context.Canceled) {
			t.Fatalf("context ended after %d of %d looks: %v, want context.Canceled", n, looks, err)
		}
	}
}
