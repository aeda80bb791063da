package matching

import (
	"fmt"
	"math"
	"math/bits"
	"unicode/utf8"

	"sitematch/data"
)

// TrainingFamily is what counts for one requested trade family around a
// candidate: the lycées within TrainingRadiusKm that teach it by their
// course offer (or name it), their pupils in it, and T_f, the weight the
// score reads (TrainingScore).
type TrainingFamily struct {
	ID      string
	Lycees  int     // lycées within the radius teaching it
	Pupils  int     // their pupils in it (constat de rentrée), not weighted by distance
	Weight  float64 // T_f = Σ LyceeWeight·LyceeFamilyShare, to 0.01
	Nearest *LyceeNear
}

func (e *Engine) explainTraining(q *query, c *Candidate, t *explanation) *TrainingDetail {
	d := &t.training
	*d = TrainingDetail{RadiusKm: TrainingRadiusKm, NearKm: TrainingNearKm, Count: len(c.Lycees),
		Weight: math.Round(c.lyceeWeight*100) / 100, Needed: LyceesNeeded(q.jobs)}
	// The three nearest lycées and each family's nearest, in one block.
	nearest := min(3, len(c.Lycees))
	nears := make([]LyceeNear, nearest, nearest+len(q.families))
	near := func(l LyceeRef) LyceeNear {
		ly := &e.cat.Lycees[l.Index]
		return LyceeNear{UAI: ly.UAI, Name: ly.Name, Commune: ly.Commune, Km: round1(l.Km),
			Weight: math.Round(LyceeWeight(l.Km)*1000) / 1000, Trades: ly.Trades, Pupils: ly.Pupils}
	}
	for i := range nearest {
		nears[i] = near(c.Lycees[i])
	}
	if nearest > 0 {
		d.Nearest = nears[:nearest:nearest]
	}
	d.Matched, d.Unmatched = e.familiesNear(c, q.families)

	t.WriteString(c.prep.trainingStart())
	t.WriteString(" pour ")
	t.itoa(d.Needed)
	t.str(" attendu", plural(d.Needed))
	if q.jobs > 0 {
		t.WriteString(trainingPerJobsFR)
	}
	if len(q.families) == 0 {
		t.WriteString(".")
		return d
	}
	t.WriteString(trainingFamiliesFR)
	// What counts for each family around the site was found at build
	// (familiesAround).
	d.Families = make([]TrainingFamily, len(q.families))
	var nearIxBuf [8]int
	nearIx := append(nearIxBuf[:0], make([]int, len(q.families))...) // each family's nearest lycée
	for k, f := range q.families {
		fm := &d.Families[k]
		*fm = TrainingFamily{ID: data.TradeFamilies[f].ID, Weight: math.Round(c.tradeWeight[f]*100) / 100}
		if a, ok := c.familyAround(f); ok {
			l := c.Lycees[a.nearest]
			fm.Lycees, fm.Pupils = int(a.lycees), int(a.pupils)
			nears = append(nears, near(l))
			fm.Nearest, nearIx[k] = &nears[len(nears)-1], l.Index
		}
	}
	for k, f := range q.families {
		fm := &d.Families[k]
		if k > 0 {
			t.WriteString(" ; ")
		}
		t.WriteString(tradeLabelFR[f])
		if fm.Lycees == 0 {
			t.WriteString(trainingNoneFR)
			continue
		}
		t.WriteString(" : ")
		t.count(fm.Pupils, "élève", "élèves")
		t.WriteString(" dans ")
		t.count(fm.Lycees, "lycée", "lycées")
		t.WriteString(" (le plus proche, ")
		t.WriteString(e.ix.lyceeNames[nearIx[k]])
		t.WriteString(", ")
		if fm.Nearest.Commune == c.Site.Commune {
			t.WriteString("dans la commune")
		} else {
			t.WriteString("à ")
			t.km(fm.Nearest.Km)
		}
		w := math.Round(fm.Weight*10) / 10
		t.WriteString("), valant ")
		t.num(w, 1)
		t.str(" ", plural1(w, "lycée", "lycées"))
	}
	t.WriteString(".")
	return d
}

// writeTrainingStart writes the training sentence up to the lycées
// expected, which depends on the site alone: the lycées within the radius,
// those close, and what they count for.
func (e *Engine) writeTrainingStart(c *Candidate, t *frText) {
	t.count(len(c.Lycees), "lycée professionnel", "lycées professionnels")
	t.WriteString(trainingRadiusFR)
	if len(c.Lycees) > 0 {
		close := 0 // c.Lycees are sorted by distance
		for close < len(c.Lycees) && c.Lycees[close].Km <= TrainingNearKm {
			close++
		}
		t.WriteString(", dont ")
		t.itoa(close)
		t.WriteString(trainingCountedFR)
		t.num(math.Round(c.lyceeWeight*10)/10, 1)
		t.str(" ", plural1(c.lyceeWeight, "lycée", "lycées"))
	}
}

// familyStats is what counts for one trade family around a candidate,
// whatever the project: the lycées within TrainingRadiusKm teaching it,
// their pupils in it, and the nearest of them (an index into
// Candidate.Lycees).
type familyStats struct {
	lycees, pupils, nearest int32
}

// familiesAround gives a candidate's familyStats, one per family of its
// tradeMask, in the order of the bits (about 15 a candidate, 5 MB in all).
func (e *Engine) familiesAround(c *Candidate) []familyStats {
	out := make([]familyStats, bits.OnesCount64(c.tradeMask))
	seen := uint64(0)
	for i, l := range c.Lycees { // nearest first
		m := e.lyceeFamilies[l.Index] & c.tradeMask
		for m != 0 {
			f := bits.TrailingZeros64(m)
			m &= m - 1
			a := &out[bits.OnesCount64(c.tradeMask&(uint64(1)<<f-1))]
			if seen&(uint64(1)<<f) == 0 {
				seen |= uint64(1) << f
				a.nearest = int32(i)
			}
			a.lycees++
			a.pupils += int32(e.cat.Lycees[l.Index].PupilsIn(data.TradeFamilies[f].ID))
		}
	}
	return out
}

// familyAround returns the familyStats of trade family f (an index into
// data.TradeFamilies) around the candidate; false when no lycée within
// TrainingRadiusKm teaches it.
func (c *Candidate) familyAround(f int) (familyStats, bool) {
	bit := uint64(1) << f
	if c.tradeMask&bit == 0 {
		return familyStats{}, false
	}
	return c.prep.families[bits.OnesCount64(c.tradeMask&(bit-1))], true
}

// lyceeNames gives each lycée its shortName (layerIndexes).
func lyceeNames(lycees []data.Lycee) []string {
	names := make([]string, len(lycees))
	for i := range lycees {
		names[i] = shortName(lycees[i].Name)
	}
	return names
}

// familiesNear is TradesNear for the families (indexes into
// data.TradeFamilies), in one allocation.
func (e *Engine) familiesNear(c *Candidate, families []int) (found, missing []string) {
	if len(families) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(families))
	for _, f := range families {
		if c.tradeMask&(1<<f) != 0 {
			ids = append(ids, data.TradeFamilies[f].ID)
		}
	}
	n := len(ids)
	for _, f := range families {
		if c.tradeMask&(1<<f) == 0 {
			ids = append(ids, data.TradeFamilies[f].ID)
		}
	}
	if n > 0 {
		found = ids[:n:n]
	}
	if n < len(ids) {
		missing = ids[n:]
	}
	return found, missing
}

// tradeLabelFR is, per trade family, its label in guillemets, as the
// training sentence lists families: a label may hold commas itself
// (« Chimie, biologie, laboratoire »).
var tradeLabelFR = func() []string {
	out := make([]string, len(data.TradeFamilies))
	for i, f := range data.TradeFamilies {
		out[i] = "«\u00a0" + f.Label + "\u00a0»"
	}
	return out
}()

// The fixed parts of the training sentence (explainTraining).
var (
	trainingRadiusFR  = fmt.Sprintf(" à moins de %d km", TrainingRadiusKm)
	trainingCountedFR = fmt.Sprintf(" à moins de %d km ; comptés selon la distance (en entier jusqu'à %d km, à moitié à 30 km, plus du tout à %d km), ils valent ",
		TrainingNearKm, TrainingNearKm, TrainingRadiusKm)
	trainingPerJobsFR  = fmt.Sprintf(" (un pour %d emplois)", JobsPerLycee)
	trainingFamiliesFR = fmt.Sprintf(" ; par filière demandée (un lycée compte en entier à partir de %d élèves de la filière, en proportion en dessous) : ", PupilsFullFamily)
	trainingNoneFR     = fmt.Sprintf(" : aucun lycée ne l'enseigne à moins de %d km", TrainingRadiusKm)
)

// shortName is a lycée name as the source writes it, cut to 60 characters
// (the constat's names chain every "lycée des métiers" label).
func shortName(name string) string {
	if len(name) <= 60 || utf8.RuneCountInString(name) <= 60 {
		return name
	}
	n := 0
	for i := range name {
		if n == 57 {
			return name[:i] + "…"
		}
		n++
	}
	return name
}
