package matching

import (
	"math/rand/v2"
	"slices"
	"testing"

	"sitematch/data"
)

// benchCommunes are 20 supplier communes spread over mainland France.
var benchCommunes = []string{
	"31555", "33063", "44184", "76351", "69123", "13039", "64300", "25547", "68224", "59178",
	"78238", "35238", "80021", "67482", "21231", "63113", "87085", "45234", "51454", "06088",
}

// benchProject is a full-France project: every candidate, 20 suppliers
// with seeded weights, 3 trades, the default weights and transport.
func benchProject() Project {
	rng := rand.New(rand.NewPCG(22, 0))
	p := Project{Name: "Banc d'essai", Jobs: new(int), LandHa: new(float64),
		Trades: []string{"usinage", "chaudronnerie_soudure", "maintenance"}}
	*p.Jobs, *p.LandHa = 200, 10
	for _, c := range benchCommunes {
		w := 0.5 + 2*rng.Float64()
		p.Suppliers = append(p.Suppliers, Partner{Commune: c, Weight: &w})
	}
	return p
}

// BenchmarkMatchFullFrance is a match over every candidate with 20
// suppliers and 3 trades, limit 20 (issue 3: median under 10 ms).
func BenchmarkMatchFullFrance(b *testing.B) {
	e := SharedEngine(b)
	p := benchProject()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Match(p, Options{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(e.Candidates())), "candidates")
}

// BenchmarkMatchFullFranceCentrality is BenchmarkMatchFullFrance with the
// supply chain scored by centrality: the scan for the best eligible mean
// distance comes first (compileCentrality).
func BenchmarkMatchFullFranceCentrality(b *testing.B) {
	e := SharedEngine(b)
	p := benchProject()
	p.Supply.Mode = SupplyModeCentrality
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Match(p, Options{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchFullFranceUnpruned is BenchmarkMatchFullFrance scoring
// every candidate (no pruning, prune.go): issue 12 wants the pruned match
// 5× faster.
func BenchmarkMatchFullFranceUnpruned(b *testing.B) {
	e := SharedEngine(b)
	p := benchProject()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.MatchUnpruned(p, Options{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// naiveSubset is how many candidates, spread over the catalogue, the naive
// baseline scores per operation.
const naiveSubset = 100

// BenchmarkMatchNaive is the baseline without precomputed features: for
// each candidate it scans every node of each transport mode, every commune
// for the labour pool, every lycée and every ACV town, then applies
// DESIGN.md's formulas with haversine distances to the partners, and keeps
// the best 20. It scores naiveSubset candidates per operation and reports
// the cost per candidate and the full-France time that extrapolates to.
func BenchmarkMatchNaive(b *testing.B) {
	e := SharedEngine(b)
	bc := newBrute(e.Catalogue())
	p := Resolve(benchProject())
	cands := e.Candidates()
	sites := make([]data.Site, naiveSubset)
	for i := range sites {
		sites[i] = cands[i*len(cands)/naiveSubset].Site
	}
	type result struct {
		id    string
		total float64
	}
	b.ReportAllocs()
	for b.Loop() {
		partners := bc.partners(p)
		var best []result
		for _, s := range sites {
			_, total := bc.scores(p, SupplyDecay{}, partners, s, bc.features(s), 0)
			best = append(best, result{s.ID, total})
		}
		slices.SortFunc(best, func(x, y result) int {
			if x.total != y.total {
				if x.total > y.total {
					return -1
				}
				return 1
			}
			if x.id < y.id {
				return -1
			}
			return 1
		})
		_ = best[:min(20, len(best))]
	}
	perCand := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / naiveSubset
	b.ReportMetric(perCand, "ns/candidate")
	b.ReportMetric(perCand*float64(len(cands))/1e6, "ms/full-France")
}

// BenchmarkMatchRobustness is the full-France match with 1,000 weight
// draws re-ranking the top 50 (issue 3: well under 100 ms).
func BenchmarkMatchRobustness(b *testing.B) {
	e := SharedEngine(b)
	p := benchProject()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Match(p, Options{Limit: 50, Robustness: true, Draws: 1000, Seed: 7}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewEngine builds the engine: loading the embedded snapshot and
// precomputing every candidate's features (issue 2: under 2 s), and the
// precompute alone.
func BenchmarkNewEngine(b *testing.B) {
	b.Run("load+precompute", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cat, err := data.LoadEmbedded()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := NewEngine(cat); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("precompute", func(b *testing.B) {
		cat, err := data.LoadEmbedded()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewEngine(cat); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExplain is the cost the match pays per result after ranking:
// the criteria explanations and flags of the bench project's 20 results,
// alone (issue 12: precompute what does not depend on the project).
func BenchmarkExplain(b *testing.B) {
	e := SharedEngine(b)
	p := benchProject()
	res, err := e.Match(p, Options{Limit: 20})
	if err != nil {
		b.Fatal(err)
	}
	q := e.compile(Resolve(p))
	best := make([]scored, len(res.Results))
	for i, r := range res.Results {
		idx := e.byID[r.Candidate.Site.ID]
		s, ok := e.scores(q, &e.cands[idx])
		best[i] = scored{idx: idx, total: total(&q.weights, &s, &ok), s: s, ok: ok}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range best {
			c := &e.cands[best[i].idx]
			_ = e.explain(q, c, &best[i])
			_ = e.flagsOf(q, c)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(best)), "ns/result")
}
