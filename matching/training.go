package matching

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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

func (e *Engine) explainTraining(q *query, c *Candidate) (*TrainingDetail, string) {
	d := &TrainingDetail{RadiusKm: TrainingRadiusKm, NearKm: TrainingNearKm, Count: len(c.Lycees),
		Weight: math.Round(c.lyceeWeight*100) / 100, Needed: LyceesNeeded(q.jobs)}
	near := func(l LyceeRef) *LyceeNear {
		ly := &e.cat.Lycees[l.Index]
		return &LyceeNear{UAI: ly.UAI, Name: ly.Name, Commune: ly.Commune, Km: round1(l.Km),
			Weight: math.Round(LyceeWeight(l.Km)*1000) / 1000, Trades: ly.Trades, Pupils: ly.Pupils}
	}
	close := 0
	for i, l := range c.Lycees {
		if l.Km <= TrainingNearKm {
			close++
		}
		if i < 3 {
			d.Nearest = append(d.Nearest, *near(l))
		}
	}
	wanted := dedup(q.p.Trades)
	d.Matched, d.Unmatched = e.TradesNear(c, wanted)
	var b strings.Builder
	b.Grow(256 + 160*len(wanted))
	b.WriteString(countFR(d.Count, "lycée professionnel", "lycées professionnels"))
	b.WriteString(trainingRadiusFR)
	if d.Count > 0 {
		b.WriteString(", dont ")
		b.WriteString(strconv.Itoa(close))
		b.WriteString(trainingCountedFR)
		b.WriteString(numFR(math.Round(c.lyceeWeight*10)/10, 1))
		b.WriteString(" ")
		b.WriteString(plural1(c.lyceeWeight, "lycée", "lycées"))
	}
	b.WriteString(" pour ")
	b.WriteString(strconv.Itoa(d.Needed))
	b.WriteString(" attendu")
	b.WriteString(plural(d.Needed))
	if q.jobs > 0 {
		b.WriteString(trainingPerJobsFR)
	}
	if len(wanted) == 0 {
		b.WriteString(".")
		return d, b.String()
	}
	b.WriteString(trainingFamiliesFR)
	// One pass over the lycées within the radius for every family.
	type family struct {
		f     TrainingFamily
		bit   uint64
		first *data.Lycee
	}
	fams := make([]family, len(wanted))
	var mask uint64 // the families some lycée within the radius teaches
	for k, t := range wanted {
		fams[k] = family{f: TrainingFamily{ID: t, Weight: math.Round(c.tradeWeight[e.trade[t]]*100) / 100}, bit: uint64(1) << e.trade[t]}
		mask |= fams[k].bit & c.tradeMask
	}
	lycees := c.Lycees
	if mask == 0 {
		lycees = nil
	}
	for _, l := range lycees {
		m := e.lyceeFamilies[l.Index] & mask
		if m == 0 {
			continue
		}
		ly := &e.cat.Lycees[l.Index]
		for k := range fams {
			if fm := &fams[k]; m&fm.bit != 0 {
				fm.f.Lycees++
				fm.f.Pupils += ly.PupilsIn(fm.f.ID)
				if fm.f.Nearest == nil {
					fm.f.Nearest, fm.first = near(l), ly
				}
			}
		}
	}
	d.Families = make([]TrainingFamily, 0, len(wanted))
	for k, t := range wanted {
		f, first := fams[k].f, fams[k].first
		d.Families = append(d.Families, f)
		if k > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(tradeLabels([]string{t}))
		if f.Lycees == 0 {
			b.WriteString(trainingNoneFR)
			continue
		}
		where := "dans la commune"
		if first.Commune != c.Site.Commune {
			where = "à " + kmFR(f.Nearest.Km)
		}
		w := math.Round(f.Weight*10) / 10
		for _, part := range [...]string{" : ", countFR(f.Pupils, "élève", "élèves"), " dans ", countFR(f.Lycees, "lycée", "lycées"),
			" (le plus proche, ", shortName(first.Name), ", ", where, "), valant ", numFR(w, 1), " ", plural1(w, "lycée", "lycées")} {
			b.WriteString(part)
		}
	}
	b.WriteString(".")
	return d, b.String()
}

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
