package matching

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"sitematch/data"
	"sitematch/geo"
)

// Shortlist defaults.
const (
	DefaultShortlistMinKm = 25
	DefaultRunnersUp      = 5
	MaxRunnersUp          = 20
	// MaxPairsPerSite is how many of the listed pairs (the best and the
	// runners-up) one site may be in.
	MaxPairsPerSite = 2
)

// DefaultShortlistSectors are the sectors that lead France's imported
// intermediate consumption.
var DefaultShortlistSectors = []string{"aeronautics", "chemistry", "automotive"}

// DefaultShortlistKinds are the kinds a région promotes as industrial sites.
var DefaultShortlistKinds = []string{data.KindTurnkey, data.KindZone, data.KindBrownfield}

// ShortlistRequest asks for the two sites of a région that together best
// serve a set of sector profiles.
type ShortlistRequest struct {
	Region    string
	Kinds     []string // DefaultShortlistKinds when empty
	Sectors   []string // DefaultShortlistSectors when empty
	MinKm     float64  // DefaultShortlistMinKm when 0
	RunnersUp int      // exactly this many runner-up pairs, 0 for none (callers default to DefaultRunnersUp)
}

// SectorFit is how a pair serves one sector: each site's score for the
// sector's typical project (0-100) and which of the two serves it.
type SectorFit struct {
	Sector string
	ScoreA float64
	ScoreB float64
	Best   string // "a" or "b"
}

// Pair is two sites and how well they serve the sectors together: Value is
// the mean over the sectors of the better of the two scores; Backup, the
// mean of the weaker, breaks ties (when one site is best for every sector,
// the best second site is the strongest backup).
type Pair struct {
	A, B    *Candidate
	Value   float64
	Backup  float64
	Km      float64
	Sectors []SectorFit
	Explain string // French
}

// Shortlist is the recommended pair of a région with the runner-up pairs.
type Shortlist struct {
	DataVersion string
	Region      data.Region
	Kinds       []string
	Sectors     []Profile
	MinKm       float64
	Considered  int // sites of the région and kinds
	Scored      int // sites that could host at least one sector's typical plant
	Best        *Pair
	RunnersUp   []Pair
	Explain     string // French
}

// Shortlist scores every site of the région on each sector profile's
// typical project (the profile's weights, transport, trades, jobs and land,
// no partners) and returns the pair of sites at least MinKm apart that
// maximises the mean over the sectors of the better of the two scores, with
// the runner-up pairs; among pairs of equal value, the one whose weaker
// scores are higher wins. A site too small for a sector's land need scores 0
// for that sector. The search over pairs is exhaustive; the runner-up pairs
// differ: no site is in more than MaxPairsPerSite listed pairs.
func (e *Engine) Shortlist(req ShortlistRequest) (*Shortlist, error) {
	return e.shortlist(context.Background(), req)
}

func (e *Engine) shortlist(ctx context.Context, req ShortlistRequest) (*Shortlist, error) {
	var ve ValidationError
	var region data.Region
	found := false
	for _, r := range e.cat.Regions {
		if r.Code == req.Region {
			region, found = r, true
		}
	}
	if !found {
		ve.Add("region", "unknown région code %q", req.Region)
	}
	kinds := req.Kinds
	if len(kinds) == 0 {
		kinds = DefaultShortlistKinds
	}
	for i, k := range req.Kinds {
		if !slices.Contains(data.Kinds, k) {
			ve.Add(fmt.Sprintf("kinds[%d]", i), "unknown kind %q (known: %s)", k, strings.Join(data.Kinds, ", "))
		}
	}
	sectors := req.Sectors
	if len(sectors) == 0 {
		sectors = DefaultShortlistSectors
	}
	var profiles []Profile
	for i, s := range req.Sectors {
		if slices.Index(req.Sectors, s) != i {
			ve.Add(fmt.Sprintf("sectors[%d]", i), "sector %q is named twice", s)
		}
	}
	for i, s := range sectors {
		p, ok := ProfileByID(s)
		if !ok {
			ve.Add(fmt.Sprintf("sectors[%d]", i), "unknown sector %q (known: %s)", s, strings.Join(profileIDs(), ", "))
			continue
		}
		profiles = append(profiles, p)
	}
	minKm := cmp.Or(req.MinKm, DefaultShortlistMinKm)
	if !finite(minKm) || minKm < 0 || minKm > 2000 {
		ve.Add("min_km", "must be between 0 and 2000")
	}
	runners := req.RunnersUp
	if runners < 0 || runners > MaxRunnersUp {
		ve.Add("runners_up", "must be between 0 and %d", MaxRunnersUp)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}

	out := &Shortlist{DataVersion: e.cat.Version, Region: region, Kinds: kinds, Sectors: profiles, MinKm: minKm}
	queries := make([]*query, len(profiles))
	for i, p := range profiles {
		jobs, land := p.Jobs, p.LandHa
		naf := ""
		if len(p.NAF) > 0 {
			naf = p.NAF[0] // the core activity: the ecosystem criterion scores the sector's supplier base
		}
		queries[i] = e.compile(Resolve(Project{Name: p.Label, Sector: p.ID, NAF: naf, Jobs: &jobs, LandHa: &land,
			Constraints: Constraints{Regions: []string{region.Code}, Kinds: kinds}}))
	}
	type site struct {
		c      *Candidate
		scores []float64
	}
	var sites []site
	stop := &query{ctx: ctx}
	for i := range e.cands {
		if i%checkEvery == 0 {
			if err := stop.cancelled(); err != nil {
				return nil, err
			}
		}
		c := &e.cands[i]
		if c.Commune.Reg != region.Code || !slices.Contains(kinds, c.Site.Kind) {
			continue
		}
		out.Considered++
		st := site{c: c, scores: make([]float64, len(queries))}
		useful := false
		for j, q := range queries {
			if q.excluded(c) != "" {
				continue // too small for this sector's plant: 0
			}
			s, ok := e.scores(q, c)
			st.scores[j] = total(&q.weights, &s, &ok)
			useful = true
		}
		if useful {
			out.Scored++
			sites = append(sites, st)
		}
	}
	minC2 := chord2Of(minKm)
	keep := runners + 1
	var best []Pair // sorted best first, at most keep
	betterPair := func(a, b *Pair) bool {
		if a.Value != b.Value {
			return a.Value > b.Value
		}
		if a.Backup != b.Backup {
			return a.Backup > b.Backup
		}
		if a.A.Site.ID != b.A.Site.ID {
			return a.A.Site.ID < b.A.Site.ID
		}
		return a.B.Site.ID < b.B.Site.ID
	}
	// The pairs, best first, greedily: a pair is listed unless one of its
	// sites is in MaxPairsPerSite listed pairs already, so that the
	// runners-up differ. Each listed pair is the best of an exhaustive scan
	// of the pairs still allowed.
	n := float64(len(queries))
	in := make([]int, len(sites))
	listed := map[[2]int]bool{}
	for len(best) < keep {
		var top *Pair
		var topIJ [2]int
		for i := range sites {
			if err := stop.cancelled(); err != nil {
				return nil, err
			}
			if in[i] >= MaxPairsPerSite {
				continue
			}
			for j := i + 1; j < len(sites); j++ {
				if in[j] >= MaxPairsPerSite || listed[[2]int{i, j}] || chord2(sites[i].c.unit, sites[j].c.unit) < minC2 {
					continue
				}
				v, w := 0.0, 0.0
				for s := range queries {
					x, y := sites[i].scores[s], sites[j].scores[s]
					v += max(x, y)
					w += min(x, y)
				}
				v, w = v/n, w/n
				if top != nil && (v < top.Value || (v == top.Value && w < top.Backup)) {
					continue
				}
				a, b := sites[i].c, sites[j].c
				if b.Site.ID < a.Site.ID {
					a, b = b, a
				}
				p := Pair{A: a, B: b, Value: v, Backup: w}
				if top == nil || betterPair(&p, top) {
					top, topIJ = &p, [2]int{i, j}
				}
			}
		}
		if top == nil {
			break
		}
		best = append(best, *top)
		listed[topIJ] = true
		in[topIJ[0]]++
		in[topIJ[1]]++
	}
	scoreOf := map[*Candidate][]float64{}
	for _, s := range sites {
		scoreOf[s.c] = s.scores
	}
	for i := range best {
		p := &best[i]
		p.Km = round1(geo.DistanceKm(p.A.Site.Point, p.B.Site.Point))
		sa, sb := scoreOf[p.A], scoreOf[p.B]
		for s, prof := range profiles {
			f := SectorFit{Sector: prof.ID, ScoreA: sa[s], ScoreB: sb[s], Best: "a"}
			if sb[s] > sa[s] {
				f.Best = "b"
			}
			p.Sectors = append(p.Sectors, f)
		}
		p.Explain = explainPair(p, profiles)
	}
	if len(best) > 0 {
		out.Best = &best[0]
		out.RunnersUp = best[1:]
	}
	out.Explain = explainShortlist(out)
	return out, nil
}

func explainPair(p *Pair, profiles []Profile) string {
	var forA, forB []string
	for s, f := range p.Sectors {
		label := lowerFirst(profiles[s].Label)
		if f.Best == "a" {
			forA = append(forA, fmt.Sprintf("%s (%s)", label, numFR(f.ScoreA, 0)))
		} else {
			forB = append(forB, fmt.Sprintf("%s (%s)", label, numFR(f.ScoreB, 0)))
		}
	}
	s := fmt.Sprintf("Note moyenne %s sur 100. %s (%s) sert", numFR(p.Value, 1), p.A.Site.Name, p.A.Commune.Name)
	if len(forA) > 0 {
		s += " au mieux : " + strings.Join(forA, ", ")
	} else {
		s += " en appui (l'autre site est meilleur partout)"
	}
	s += fmt.Sprintf(" ; %s (%s)", p.B.Site.Name, p.B.Commune.Name)
	if len(forB) > 0 {
		s += " : " + strings.Join(forB, ", ")
	} else {
		s += " en appui (l'autre site est meilleur partout)"
	}
	return s + fmt.Sprintf(". Les deux sites sont à %s l'un de l'autre.", kmFR(p.Km))
}

func explainShortlist(s *Shortlist) string {
	if s.Best == nil {
		if s.Scored < 2 {
			return fmt.Sprintf("Moins de deux sites de la région %s peuvent accueillir ces filières : aucune paire à proposer.", s.Region.Name)
		}
		return fmt.Sprintf("Aucune paire de sites de la région %s n'est distante d'au moins %s.", s.Region.Name, kmFR(s.MinKm))
	}
	return fmt.Sprintf("Sur %d sites de la région %s (%d capables d'accueillir au moins une des filières), la paire retenue maximise, pour chaque filière, la meilleure des deux notes, avec au moins %s entre les sites. %s",
		s.Considered, s.Region.Name, s.Scored, kmFR(s.MinKm), s.Best.Explain)
}
