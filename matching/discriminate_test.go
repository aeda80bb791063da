package matching

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"sitematch/data"
)

// Property tests of the scores that must discriminate (issue 11, item 4):
// no saturation of labour for ordinary projects, no cliff in training,
// monotonicity of both.

// TestLabourDoesNotSaturate: for projects of 100 jobs or more, fewer than
// a quarter of the eligible sites score 0.95 or more on labour, and for
// any project fewer than a quarter score 1. A 20-job shop is another
// matter: 20 candidates per opening, the staffed point (0.9), is 400
// available people, which three sites in four pass by far, and a score
// that told a client otherwise would be false; what must still hold there
// is that the depth of the pool separates sites (few reach 1).
func TestLabourDoesNotSaturate(t *testing.T) {
	e := SharedEngine(t)
	for _, jobs := range []int{20, 100, 300} {
		p := Project{Name: "Atelier", Sector: "metalworking", Jobs: &jobs}
		all, err := e.ScoreAll(p)
		if err != nil {
			t.Fatal(err)
		}
		eligible, high, full := 0, 0, 0
		for _, cs := range all {
			if cs.Excluded != "" {
				continue
			}
			eligible++
			if cs.Scores[Labour] >= 0.95 {
				high++
			}
			if cs.Scores[Labour] >= 1 {
				full++
			}
		}
		t.Logf("%d jobs: of %d eligible sites, %d (%.1f %%) score labour ≥ 0.95, %d (%.1f %%) score 1",
			jobs, eligible, high, 100*float64(high)/float64(eligible), full, 100*float64(full)/float64(eligible))
		if share := float64(high) / float64(eligible); jobs >= 100 && share >= 0.25 {
			t.Errorf("%d jobs: %.1f %% of eligible sites score labour ≥ 0.95", jobs, 100*share)
		}
		if share := float64(full) / float64(eligible); share >= 0.25 {
			t.Errorf("%d jobs: %.1f %% of eligible sites score labour 1", jobs, 100*share)
		}
	}
}

// TestLabourMonotone: more unemployed never lowers labour (whether they
// come from the employed or join the active), more jobs never raise it.
func TestLabourMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(RandSeed(t), 21))
	for range 20000 {
		a := rng.IntN(3_000_000)
		u := rng.IntN(a + 1)
		jobs := 1 + rng.IntN(5000)
		s := LabourScore(a, u, jobs)
		du := rng.IntN(a-u+1) + 1
		if got := LabourScore(a, min(a, u+du), jobs); got < s {
			t.Fatalf("(%d active, %d unemployed, %d jobs) %v; %d more unemployed among them: %v", a, u, jobs, s, du, got)
		}
		if got := LabourScore(a+du, u+du, jobs); got < s {
			t.Fatalf("(%d, %d, %d) %v; %d more unemployed joining: %v", a, u, jobs, s, du, got)
		}
		if got := LabourScore(a, u, jobs+1+rng.IntN(1000)); got > s {
			t.Fatalf("(%d, %d, %d) %v; more jobs: %v", a, u, jobs, s, got)
		}
	}
}

// lyceeSet is a random set of lycées: distances and, per requested family,
// whether each names it.
type lyceeSet struct {
	km     []float64
	names  [][]bool // [lycée][family]
	nFam   int
	jobs   int
	trades bool
}

func randomLycees(rng *rand.Rand) lyceeSet {
	s := lyceeSet{nFam: 1 + rng.IntN(3), jobs: 1 + rng.IntN(400), trades: rng.IntN(3) > 0}
	for range rng.IntN(12) {
		s.km = append(s.km, 50*rng.Float64())
		var n []bool
		for range s.nFam {
			n = append(n, rng.IntN(3) == 0)
		}
		s.names = append(s.names, n)
	}
	return s
}

// score is TrainingScore of the set, its weights computed by LyceeWeight.
func (s lyceeSet) score() float64 {
	w := 0.0
	taught := make([]float64, s.nFam)
	for i, km := range s.km {
		lw := LyceeWeight(km)
		w += lw
		for f, named := range s.names[i] {
			if named {
				taught[f] += lw
			}
		}
	}
	if !s.trades {
		taught = nil
	}
	return TrainingScore(w, taught, s.jobs)
}

// TestTrainingHasNoCliff: a lycée moved from 29.9 to 30.1 km changes the
// training score by at most its weight's change over the lycées needed,
// never to 0; and moving any lycée closer never lowers the score.
func TestTrainingHasNoCliff(t *testing.T) {
	rng := rand.New(rand.NewPCG(RandSeed(t), 22))
	for range 20000 {
		s := randomLycees(rng)
		s.km = append(s.km, 29.9)
		named := make([]bool, s.nFam)
		named[0] = true
		s.names = append(s.names, named)
		before := s.score()
		s.km[len(s.km)-1] = 30.1
		after := s.score()
		if d := before - after; d < -1e-12 || d > 0.2/30/float64(LyceesNeeded(s.jobs))+1e-12 {
			t.Fatalf("%+v: training %v at 29.9 km, %v at 30.1 km", s, before, after)
		}
		if after <= 0 {
			t.Fatalf("%+v: training 0 with a lycée at 30.1 km", s)
		}
		i := rng.IntN(len(s.km))
		base := s.score()
		s.km[i] *= rng.Float64()
		if got := s.score(); got < base-1e-12 {
			t.Fatalf("%+v: lycée %d moved closer, training fell from %v to %v", s, i, base, got)
		}
	}
}

// TestTrainingNoCliffOnTheEngine places a site 29.9 km and then 30.1 km
// north of a real lycée: the training score moves by little and stays
// well above 0.
func TestTrainingNoCliffOnTheEngine(t *testing.T) {
	e := SharedEngine(t)
	cat := e.Catalogue()
	i := slices.IndexFunc(cat.Lycees, func(l data.Lycee) bool { return l.Commune == "23096" }) // Guéret, Creuse
	if i < 0 {
		t.Fatal("no lycée at Guéret")
	}
	l := cat.Lycees[i]
	scores := map[float64]float64{}
	counts := map[float64]int{}
	for _, km := range []float64{29.9, 30.1} {
		s := data.Site{ID: "turnkey:test-cliff", Kind: data.KindTurnkey, Name: "Essai", Commune: l.Commune, Point: north(l.Point, km)}
		en, err := e.WithSites([]data.Site{s}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		cs, err := en.ScoreOf(Project{Name: "Usinage", Jobs: intp(100), Trades: []string{"usinage"}}, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := en.Candidate(s.ID)
		scores[km], counts[km] = cs.Scores[Training], len(c.Lycees)
	}
	t.Logf("training at 29.9 km %v (%d lycées within reach), at 30.1 km %v (%d)", scores[29.9], counts[29.9], scores[30.1], counts[30.1])
	bound := float64(max(counts[29.9], counts[30.1])) * 0.2 / 30 / 2 // every lycée moves by at most 0.2 km; two are needed
	if d := math.Abs(scores[29.9] - scores[30.1]); d > bound+1e-12 || scores[30.1] <= 0 {
		t.Errorf("training %v at 29.9 km, %v at 30.1 km (bound on the change %v)", scores[29.9], scores[30.1], bound)
	}
}

// TestLabourHasNoCliff: the labour score is continuous at its knees (2, 20
// and 10,000 candidates per opening) and nowhere jumps: between two ratios
// 0.1 % apart it moves by less than 0.001.
func TestLabourHasNoCliff(t *testing.T) {
	for _, r := range []float64{LabourRatioLow, LabourStaffedRatio, LabourDeepRatio} {
		if lo, hi := labourScoreOf(r*(1-1e-9)), labourScoreOf(r*(1+1e-9)); math.Abs(hi-lo) > 1e-8 {
			t.Errorf("labour jumps at %v candidates per opening: %v to %v", r, lo, hi)
		}
	}
	for r := 0.5; r < 2e4; r *= 1.001 {
		if d := labourScoreOf(r*1.001) - labourScoreOf(r); d < 0 || d > 1e-3 {
			t.Fatalf("labour moves by %v between %v and %v candidates per opening", d, r, r*1.001)
		}
	}
}

// TestCentralityScore: the literal formula, clamp(2 − D / max(D*, near),
// 0, 1), on a few cases.
func TestCentralityScore(t *testing.T) {
	cases := []struct {
		name                 string
		mean, best, near, is float64
	}{
		{name: "at the optimum", mean: 327.8, best: 327.8, near: 50, is: 1},
		{name: "Paris south, 5.5 % more tonne-km", mean: 345.8, best: 327.8, near: 50, is: 2 - 345.8/327.8},
		{name: "Lille, 37 % more", mean: 448, best: 327.8, near: 50, is: 2 - 448/327.8},
		{name: "twice the optimum", mean: 655.6, best: 327.8, near: 50, is: 0},
		{name: "beyond twice", mean: 900, best: 327.8, near: 50, is: 0},
		{name: "partners next door: the near distance is the reference", mean: 20, best: 5, near: 30, is: 1},
		{name: "45 km from partners all in one town", mean: 45, best: 0, near: 30, is: 0.5},
		{name: "no near, optimum 0, site on it", mean: 0, best: 0, near: 0, is: 1},
		{name: "no near, optimum 0, site off it", mean: 1, best: 0, near: 0, is: 0},
	}
	for _, tc := range cases {
		if got := CentralityScore(tc.mean, tc.best, tc.near); math.Abs(got-tc.is) > 1e-12 {
			t.Errorf("%s: CentralityScore(%v, %v, %v) = %v, want %v", tc.name, tc.mean, tc.best, tc.near, got, tc.is)
		}
	}
}

// TestCentralityMonotoneNoCliff: on random partners, moving a site towards
// every partner never lowers its centrality; and the score moves by at
// most Δmean / max(D*, near) for a change of the mean (no cliff).
func TestCentralityMonotoneNoCliff(t *testing.T) {
	rng := rand.New(rand.NewPCG(RandSeed(t), 23))
	for range 5000 {
		best, near := 1000*rng.Float64(), 100*rng.Float64()
		a := 3000 * rng.Float64()
		b := a * rng.Float64() // closer
		sa, sb := CentralityScore(a, best, near), CentralityScore(b, best, near)
		if sb < sa {
			t.Fatalf("mean %v scores %v, closer %v scores %v (best %v, near %v)", a, sa, b, sb, best, near)
		}
		if ref := math.Max(best, near); ref > 0 && sb-sa > (a-b)/ref+1e-12 {
			t.Fatalf("mean %v → %v moves the score by %v, more than %v", a, b, sb-sa, (a-b)/ref)
		}
	}
}
