package matching

import (
	"testing"

	"sitematch/data"
	"sitematch/data/synth"
)

// scaleEngine builds an engine over a synthetic catalogue of n candidates
// (data/synth, seed 1): the real layers, brownfields drawn with France's
// density.
func scaleEngine(b *testing.B, n int) *Engine {
	b.Helper()
	base, err := data.LoadEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	cat, err := synth.Catalogue(base, n, 1)
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEngine(cat)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkMatchScale is the full-France project of BenchmarkMatchFullFrance
// (20 suppliers, 3 trades, limit 20) over synthetic catalogues of 100,000
// and 1,000,000 candidates (issue 12: t(1M) ≤ 3·t(100k) and ≤ 50 ms once
// the pass is pruned). Each size runs Match ("match") and the unpruned
// pass that scores every candidate ("unpruned": rank over the whole
// catalogue, no explanation), so that a pruned Match shows its speed-up
// against it in the same run. Building the 1M engine takes tens of
// seconds: run it alone, e.g. -bench 'MatchScale/1M' -benchtime 5x.
func BenchmarkMatchScale(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			e := scaleEngine(b, size.n)
			p := benchProject()
			b.Run("match", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.Match(p, Options{Limit: 20}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(e.Candidates())), "candidates")
			})
			b.Run("unpruned", func(b *testing.B) {
				q := e.compile(Resolve(p))
				b.ReportAllocs()
				for b.Loop() {
					res := &Result{Excluded: map[string]int{}}
					if best := e.rank(q, res, diversePool(20)); len(best) == 0 {
						b.Fatal("no result")
					}
				}
			})
		})
	}
}
