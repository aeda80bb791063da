package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// The explanations are written without a second haversine, regular
// expression or fmt call per result; these tests hold the shortcuts to
// what they replace.

// TestRound1ChordMatchesHaversine: the rounded partner distance from the
// chord equals round1(geo.DistanceKm) on random pairs of every length and
// on pairs placed a hair either side of a rounding boundary, where the
// chord alone could tip.
func TestRound1ChordMatchesHaversine(t *testing.T) {
	rng := rand.New(rand.NewPCG(RandSeed(t), 41))
	check := func(a, b orb.Point) {
		t.Helper()
		c2 := chord2(geo.ToUnit(a), geo.ToUnit(b))
		if got, want := round1Chord(a, b, c2), round1(geo.DistanceKm(a, b)); got != want {
			t.Fatalf("%v → %v: round1Chord %v, haversine %v (%.12f km)", a, b, got, want, geo.DistanceKm(a, b))
		}
	}
	france := func() orb.Point { return orb.Point{-5 + 14*rng.Float64(), 41 + 10*rng.Float64()} }
	for range 200_000 {
		a := france()
		switch rng.IntN(3) {
		case 0: // within France
			check(a, france())
		case 1: // anywhere on Earth, antipodes included
			check(a, orb.Point{-180 + 360*rng.Float64(), -90 + 180*rng.Float64()})
		case 2: // due north of a, at a half of 0.1 km, give or take a few mm or a few ulps
			km := (float64(rng.IntN(20_000)) + 0.5) / 10
			km += float64(rng.IntN(7)-3) * []float64{1e-6, 1e-12, 1e-14}[rng.IntN(3)]
			b := orb.Point{a[0], a[1] + km/geo.EarthRadiusKm*180/math.Pi}
			check(a, b)
		}
	}
	// The same point, and points a few metres apart.
	for _, m := range []float64{0, 1e-9, 0.049, 0.05, 0.051, 1} {
		a := france()
		check(a, orb.Point{a[0], a[1] + m/geo.EarthRadiusKm*180/math.Pi})
	}
}

// flagsReference is flagsOf as first written: the site's stated
// availability and former use read by regular expressions, the sentences
// by fmt.
func flagsReference(q *query, s *data.Site) []Flag {
	var out []Flag
	if s.CommittedTo != "" {
		out = append(out, Flag{FlagCommitted, fmt.Sprintf("Site déjà réservé au projet %s : gardé à la demande (include_committed), à confirmer auprès de l'aménageur.", s.CommittedTo)})
	}
	if q.neededBy > 0 {
		if _, hi, ok := availabilityYears(s.AvailableFrom); ok && hi*12+11 > q.neededBy {
			out = append(out, Flag{FlagAvailability, fmt.Sprintf("Disponibilité annoncée « %s » : le terrain peut n'être livré qu'après la date voulue (%s).", s.AvailableFrom, q.p.NeededBy)})
		}
	}
	if s.Unverified {
		out = append(out, Flag{FlagUnverified, "Fiche BASIAS/BASOL que le Cerema n'a pas vérifiée comme friche : le site peut être occupé ou disparu ; gardée à la demande (include_unverified)."})
	}
	if r := nonIndustrialReason(s); r != "" {
		out = append(out, Flag{FlagNonIndustrial, fmt.Sprintf("Friche peu compatible avec une usine (%s) : gardée à la demande (include_non_industrial).", r)})
	}
	if ImplausibleArea(s) {
		out = append(out, Flag{FlagImplausibleArea, fmt.Sprintf("Surface déclarée de %s ha tenue pour inconnue : au-delà de %d ha, c'est l'unité foncière du propriétaire, pas la friche.", numFR(s.AreaHa, 0), MaxPlausibleBrownfieldHa)})
	}
	return out
}

// TestFlagsMatchReference: every candidate of the catalogue gets the same
// flags as the reference gives, for projects with and without needed_by,
// and every kind of flag occurs.
func TestFlagsMatchReference(t *testing.T) {
	e := SharedEngine(t)
	seen := map[string]int{}
	for _, needed := range []string{"", "2024"} {
		q := e.compile(Resolve(Project{Name: "flags", NeededBy: needed}))
		for i := range e.cands {
			c := &e.cands[i]
			got, want := e.flagsOf(q, c), flagsReference(q, &c.Site)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("needed_by %q, %s: flags %q, want %q", needed, c.Site.ID, got, want)
			}
			for _, f := range got {
				seen[f.ID]++
			}
		}
	}
	for _, id := range []string{FlagCommitted, FlagAvailability, FlagUnverified, FlagNonIndustrial, FlagImplausibleArea} {
		if seen[id] == 0 {
			t.Errorf("no candidate flagged %s: the comparison does not cover it", id)
		}
	}
}

// TestTrainingListsFamiliesInOrder: on random candidates and requested
// families, the training sentence names every requested family once, in
// the request's order, each with the pupils and lycées of its detail; the
// families some lycée within the radius teaches are Matched, in order, the
// others Unmatched.
func TestTrainingListsFamiliesInOrder(t *testing.T) {
	e := SharedEngine(t)
	rng := rand.New(rand.NewPCG(RandSeed(t), 42))
	for trial := range 2000 {
		var trades []string
		for range rng.IntN(5) {
			trades = append(trades, data.TradeFamilies[rng.IntN(len(data.TradeFamilies))].ID)
		}
		jobs := rng.IntN(500)
		q := e.compile(Resolve(Project{Name: "formation", Jobs: &jobs, Trades: trades}))
		c := &e.cands[rng.IntN(len(e.cands))]
		var w explanation
		d := e.explainTraining(q, c, &w)
		text := w.String()
		wanted := dedup(q.p.Trades)
		if len(d.Families) != len(wanted) {
			t.Fatalf("trial %d, %s: %d families for %v", trial, c.Site.ID, len(d.Families), wanted)
		}
		var matched, unmatched []string
		at := 0
		for k, id := range wanted {
			f := d.Families[k]
			if f.ID != id {
				t.Fatalf("trial %d: family %d is %s, want %s", trial, k, f.ID, id)
			}
			fam, _ := data.TradeFamilyByID(id)
			label := "«\u00a0" + fam.Label + "\u00a0»"
			i := strings.Index(text[at:], label)
			if i < 0 {
				t.Fatalf("trial %d, %s: %s not after byte %d of %q", trial, c.Site.ID, label, at, text)
			}
			at += i + len(label)
			if f.Lycees == 0 {
				unmatched = append(unmatched, id)
				if f.Nearest != nil || f.Pupils != 0 || !strings.HasPrefix(text[at:], trainingNoneFR) {
					t.Fatalf("trial %d, %s: %s taught nowhere, yet %+v in %q", trial, c.Site.ID, id, f, text)
				}
				continue
			}
			matched = append(matched, id)
			want := " : " + countFR(f.Pupils, "élève", "élèves") + " dans " + countFR(f.Lycees, "lycée", "lycées") + " (le plus proche, " + shortName(f.Nearest.Name)
			if !strings.HasPrefix(text[at:], want) {
				t.Fatalf("trial %d, %s: %q does not follow %s in %q", trial, c.Site.ID, want, label, text)
			}
		}
		if fmt.Sprint(d.Matched) != fmt.Sprint(matched) || fmt.Sprint(d.Unmatched) != fmt.Sprint(unmatched) ||
			(len(matched) == 0) != (d.Matched == nil) || (len(unmatched) == 0) != (d.Unmatched == nil) {
			t.Fatalf("trial %d, %s: matched %#v unmatched %#v, want %#v %#v", trial, c.Site.ID, d.Matched, d.Unmatched, matched, unmatched)
		}
		if m, u := e.TradesNear(c, wanted); fmt.Sprint(m, u) != fmt.Sprint(d.Matched, d.Unmatched) {
			t.Fatalf("trial %d, %s: TradesNear %v %v, detail %v %v", trial, c.Site.ID, m, u, d.Matched, d.Unmatched)
		}
		if !strings.HasPrefix(text, countFR(len(c.Lycees), "lycée professionnel", "lycées professionnels")+" à moins de "+strconv.Itoa(TrainingRadiusKm)+" km") {
			t.Fatalf("trial %d, %s: %q", trial, c.Site.ID, text)
		}
	}
}

// TestExplanationsCutWhole: the sentences of a result, cut out of one
// buffer, each start with a capital and end with a full stop, and none
// holds another's start (over random projects of every kind).
func TestExplanationsCutWhole(t *testing.T) {
	e := SharedEngine(t)
	rng := rand.New(rand.NewPCG(RandSeed(t), 43))
	for trial := range 40 {
		jobs, land := 1+rng.IntN(800), 1+40*rng.Float64()
		p := Project{Name: "découpe", Jobs: &jobs, LandHa: &land, Trades: []string{data.TradeFamilies[rng.IntN(len(data.TradeFamilies))].ID},
			Suppliers: []Partner{{Commune: e.cat.Communes[rng.IntN(len(e.cat.Communes))].Code}},
			Weights:   map[string]float64{Energy: 10}}
		if trial%2 == 0 {
			p.NAF, p.Seveso = "20.14", SevesoUpper
			p.Weights[SevesoPlatform] = 10
		}
		if trial%3 == 0 {
			p.Constraints.Kinds = []string{data.KindTown}
		}
		res, err := e.Match(p, Options{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			for _, c := range r.Criteria {
				first, _ := utf8.DecodeRuneInString(c.Explain)
				if !unicode.IsUpper(first) && !unicode.IsDigit(first) || !strings.HasSuffix(c.Explain, ".") {
					t.Fatalf("trial %d, %s %s: %q", trial, r.Candidate.Site.ID, c.ID, c.Explain)
				}
			}
		}
	}
}

// TestFamiliesAroundBruteForce: the per-family figures kept at build
// equal a scan of the candidate's lycées (the nearest first) for every
// trade family, on every candidate: lycées teaching it, their pupils in
// it, the nearest of them; a family none teaches has none.
func TestFamiliesAroundBruteForce(t *testing.T) {
	e := SharedEngine(t)
	for i := range e.cands {
		c := &e.cands[i]
		for f, fam := range data.TradeFamilies {
			var want familyStats
			found := false
			for k, l := range c.Lycees {
				ly := &e.cat.Lycees[l.Index]
				if !slices.Contains(ly.Trades, fam.ID) {
					continue
				}
				if !found {
					want.nearest, found = int32(k), true
				}
				want.lycees++
				want.pupils += int32(ly.PupilsIn(fam.ID))
			}
			got, ok := c.familyAround(f)
			if ok != found || got != want {
				t.Fatalf("%s, %s: %+v (%v), want %+v (%v)", c.Site.ID, fam.ID, got, ok, want, found)
			}
		}
	}
}
