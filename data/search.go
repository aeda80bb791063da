package data

import (
	"sort"
	"strings"
)

// SearchCommunes finds communes by name or INSEE code for autocompletion:
// the query is folded (case and accents ignored, hyphens as spaces); a code
// prefix matches codes, otherwise names starting with the query rank first,
// then names containing it at a word start, each group by decreasing
// population, ties by code. At most limit communes are returned.
func (c *Catalogue) SearchCommunes(q string, limit int) []Commune {
	fq := strings.TrimSpace(Fold(q))
	if fq == "" || limit <= 0 {
		return nil
	}
	byCode := len(fq) >= 2 && (fq[0] >= '0' && fq[0] <= '9')
	type hit struct {
		rank int
		c    *Commune
	}
	var hits []hit
	for i := range c.Communes {
		cm := &c.Communes[i]
		if byCode {
			if strings.HasPrefix(cm.Code, strings.ReplaceAll(fq, " ", "")) {
				hits = append(hits, hit{0, cm})
			}
			continue
		}
		name := Fold(cm.Name)
		switch {
		case strings.HasPrefix(name, " "+fq):
			hits = append(hits, hit{0, cm})
		case strings.Contains(name, " "+fq):
			hits = append(hits, hit{1, cm})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.c.Population != b.c.Population {
			return a.c.Population > b.c.Population
		}
		return a.c.Code < b.c.Code
	})
	out := make([]Commune, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, *h.c)
	}
	return out
}
