package matching

import (
	"math"
	"math/rand/v2"
	"testing"

	"sitematch/data"
)

// TestLandMonotoneAndSmooth: a larger believed area never lowers land; the
// probability that an unknown area is large enough, and its expected
// score, never rise with the need and never exceed each other's order
// (expected ≤ probability); and they move in steps of at most 1/n (a
// record crossing the need), no cliff.
func TestLandMonotoneAndSmooth(t *testing.T) {
	e := SharedEngine(t)
	rng := rand.New(rand.NewPCG(11, 2))
	for range 2000 {
		need := math.Exp(rng.Float64() * math.Log(500))
		a := rng.Float64() * MaxPlausibleBrownfieldHa
		b := a + rng.Float64()*(MaxPlausibleBrownfieldHa-a)
		sa := LandScore(&data.Site{Kind: data.KindBrownfield, AreaHa: a, AreaKnown: true}, need)
		sb := LandScore(&data.Site{Kind: data.KindBrownfield, AreaHa: b, AreaKnown: true}, need)
		if sb < sa {
			t.Fatalf("need %.2f ha: %.2f ha scores %v, larger %.2f ha %v", need, a, sa, b, sb)
		}
	}
	if len(e.landDist) == 0 {
		t.Fatal("no area distribution built")
	}
	for _, d := range e.landDist {
		n := float64(len(d.areas))
		prevP, prevE := d.share(0.05), d.expected(0.05)
		for need := 0.0505; need < 2000; need *= 1.01 {
			p, x := d.share(need), d.expected(need)
			if p > prevP+1e-12 || x > prevE+1e-12 {
				t.Fatalf("%s: need %.2f ha: probability %v (before %v), expected %v (before %v): rose with the need", d.label, need, p, prevP, x, prevE)
			}
			if x > p+1e-12 {
				t.Fatalf("%s: expected score %v above the probability %v", d.label, x, p)
			}
			// One step of 1 % of the need moves the expected score by the
			// records it crosses (each ≤ 1/n) and the 1 % it divides by.
			crossed := 0
			for _, a := range d.areas {
				if a >= need/1.01 && a < need {
					crossed++
				}
			}
			if prevE-x > float64(crossed+1)/n+0.011 {
				t.Fatalf("%s: need %.2f ha: expected score fell from %v to %v, a cliff", d.label, need, prevE, x)
			}
			prevP, prevE = p, x
		}
	}
}

// TestUnknownAreaNotNeutral: a brownfield of unknown area no longer scores
// a neutral 0.5: it scores what its type's known areas give, lower for a
// large need than for a small one.
func TestUnknownAreaNotNeutral(t *testing.T) {
	e := SharedEngine(t)
	c, ok := e.Candidate("brownfield:14118_22475") // an industrial brownfield of unknown area
	if !ok || c.Site.AreaKnown || c.landGroup < 0 {
		t.Fatalf("want an industrial brownfield of unknown area with a distribution, got %+v", c)
	}
	score := func(need float64) float64 {
		q := &query{landHa: need}
		e.compileLand(q)
		return e.landScore(q, c)
	}
	small, large := score(1), score(50)
	if !(small > large) || large > 0.2 || small == 0.5 {
		t.Errorf("unknown area: land %v for 1 ha, %v for 50 ha; want falling, under 0.2 for 50 ha, not 0.5", small, large)
	}
}

// TestStemsPrefilterRegexps: every brownfield name or activity the
// landfill and non-industrial expressions match contains one of their
// stems, so the prefilter never hides a match.
func TestStemsPrefilterRegexps(t *testing.T) {
	e := SharedEngine(t)
	n := 0
	for _, s := range e.Catalogue().Brownfields {
		for _, text := range []string{s.Name, s.Activity} {
			if landfillRe.MatchString(text) {
				n++
				if !mayContain(text, landfillStems) {
					t.Errorf("%s: %q matches the landfill expression but holds no stem", s.ID, text)
				}
			}
			if nonIndustrialNameRe.MatchString(text) {
				n++
				if !mayContain(text, nonIndustrialStems) {
					t.Errorf("%s: %q matches the non-industrial expression but holds no stem", s.ID, text)
				}
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d matches: the test no longer looks at real names", n)
	}
}

// TestLandFullRisesWithTheNeed: the area that scores 1 rises with the need
// (a larger need never scores better on the same plot), is continuous at
// the knees (10 and 100 ha), and lies between 1.25 and 2 times the need.
func TestLandFullRisesWithTheNeed(t *testing.T) {
	prev := 0.0
	for need := 0.1; need < 1000; need *= 1.001 {
		f := LandFullHa(need)
		if f <= prev || f < 1.25*need-1e-9 || f > 2*need+1e-9 {
			t.Fatalf("need %.3f ha: full at %.3f ha (before %.3f)", need, f, prev)
		}
		prev = f
	}
	for _, k := range []float64{LandSmallHa, LandLargeHa} {
		if lo, hi := LandFullHa(k*(1-1e-9)), LandFullHa(k*(1+1e-9)); math.Abs(hi-lo) > 1e-6 {
			t.Errorf("full area jumps at %v ha: %v to %v", k, lo, hi)
		}
	}
}
