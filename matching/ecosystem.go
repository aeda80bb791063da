package matching

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Ecosystem is the criterion of a project that gives its NAF code: how much
// of what its industry buys is produced near the site (DESIGN.md,
// "Ecosystem").
const Ecosystem = "ecosystem"

// Ecosystem model constants.
const (
	// EcoReferenceShare: a site is fully supplied in a branch when the
	// distance-weighted count of the branch's IREP establishments around
	// it reaches this share of the branch's establishments in metropolitan
	// France (at least one establishment).
	EcoReferenceShare = 0.05
	// EcoJobsReference: with the Urssaf layer, a site is fully supplied in
	// a branch when the distance-weighted salaried jobs of the branch
	// around it reach this many (about the workforce of two or three
	// plants of the IREP register's size).
	EcoJobsReference = 500
	// EcoNearest is how many nearest supplier establishments the detail
	// lists; EcoTopBranches how many supplier branches.
	EcoNearest     = 5
	EcoTopBranches = 5
)

// Ecosystem data sources, EcosystemDetail.Source.
const (
	EcoSourceEstablishments = "establishments" // IREP large establishments
	EcoSourceJobs           = "jobs"           // Urssaf salaried jobs by commune × APE
)

// nafPattern is a NAF rév. 2 code at the division level or finer: "30",
// "30.3", "30.30", "30.30Z" (the dot may be left out).
var nafPattern = regexp.MustCompile(`^(\d{2})(?:\.?(\d)(?:(\d)([A-Z])?)?)?$`)

// NormalizeNAF checks a NAF rév. 2 code (division or finer) against the
// input-output table's bridge and returns it in the "30.30Z" form with its
// A38 branch.
func NormalizeNAF(code string, io *data.IOTable) (naf, branch string, err error) {
	m := nafPattern.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(code)))
	if m == nil {
		return "", "", fmt.Errorf("must be a NAF rév. 2 code, division or finer (e.g. 30 or 30.30Z), got %q", code)
	}
	br, ok := io.BranchOfNAF(m[1])
	if !ok {
		return "", "", fmt.Errorf("unknown NAF division %q", m[1])
	}
	naf = m[1]
	if m[2] != "" {
		naf += "." + m[2] + m[3] + m[4]
	}
	return naf, br, nil
}

// observableBranch reports whether the establishment layers see a
// supplier branch: the IREP register holds industry, energy, water and
// waste (NAF sections B to E), not services, trade or construction.
func observableBranch(code string) bool {
	return code == "BZ" || code == "DZ" || code == "EZ" || (len(code) == 2 && code[0] == 'C')
}

// ecoSupplier is one supplier branch of a project's branch.
type ecoSupplier struct {
	branch string
	share  float64 // in the buyer's intermediate consumption
	own    bool    // the buyer's own branch: counted at the project's NAF division
	ref    float64 // reference presence, establishments mode
}

// ecoQuery is the ecosystem input of a query: the project's branch and
// the supplier branches the layers observe.
type ecoQuery struct {
	naf, division, branch string
	suppliers             []ecoSupplier
	slot                  map[string]int // branch → index in suppliers
	observed, total       float64        // Σ shares observed; Σ all shares
}

// ecoIndex holds the establishment layers for the criterion.
type ecoIndex struct {
	facilities landIndex
	perBranch  map[string]int // metropolitan IREP establishments per branch
	perDiv     map[string]int // per NAF division
	jobs       *unitIndex     // communes with Urssaf jobs
	jobRows    [][]int        // per commune of the jobs index: indexes into Catalogue.Jobs
	jobCommune []string
	covered    map[string]bool // départements of the jobs layer
}

func newEcoIndex(cat *data.Catalogue, landOf func(string, orb.Point) string) *ecoIndex {
	x := &ecoIndex{perBranch: map[string]int{}, perDiv: map[string]int{}, covered: map[string]bool{}}
	x.facilities = newLandIndex(cat.Facilities, func(f data.Facility) orb.Point { return f.Point },
		func(f data.Facility) string { return landOf(f.Commune, f.Point) })
	for _, f := range cat.Facilities {
		x.perBranch[f.Branch]++
		x.perDiv[f.NAF[:2]]++
	}
	at := map[string]int{}
	var pts []orb.Point
	for i, j := range cat.Jobs {
		k, ok := at[j.Commune]
		if !ok {
			cm, _ := cat.Commune(j.Commune)
			k = len(pts)
			at[j.Commune] = k
			pts = append(pts, cm.Point)
			x.jobRows = append(x.jobRows, nil)
			x.jobCommune = append(x.jobCommune, j.Commune)
			x.covered[cm.Dep] = true
		}
		x.jobRows[k] = append(x.jobRows[k], i)
	}
	x.jobs = newUnitIndex(pts, func(p orb.Point) orb.Point { return p })
	return x
}

// compileEco builds the ecosystem input of a project with a NAF code.
func (e *Engine) compileEco(p *Project) *ecoQuery {
	naf, branch, err := NormalizeNAF(p.NAF, &e.cat.IO)
	if err != nil {
		return nil
	}
	q := &ecoQuery{naf: naf, division: naf[:2], branch: branch, slot: map[string]int{}}
	for _, c := range e.cat.IO.Suppliers(branch) {
		q.total += c.Share
		if !observableBranch(c.Supplier) || c.Share <= 0 {
			continue
		}
		s := ecoSupplier{branch: c.Supplier, share: c.Share, own: c.Supplier == branch}
		n := e.eco.perBranch[c.Supplier]
		if s.own {
			n = e.eco.perDiv[q.division]
		}
		s.ref = max(1, EcoReferenceShare*float64(n))
		q.slot[c.Supplier] = len(q.suppliers)
		q.suppliers = append(q.suppliers, s)
		q.observed += c.Share
	}
	return q
}

// ecoPresence returns, per supplier of q, the distance-weighted presence
// around the candidate, and the source it counted: salaried jobs when the
// Urssaf layer covers the site's département, else IREP establishments.
// visit, when not nil, is called with every establishment counted.
func (e *Engine) ecoPresence(q *ecoQuery, b *supplyBand, c *Candidate, visit func(i int, km float64)) ([]float64, string) {
	pres := make([]float64, len(q.suppliers))
	p := c.Site.Point
	if e.eco.covered[c.Commune.Dep] {
		e.eco.jobs.within(p, c.unit, b.far, func(k int, c2 float64) {
			w := decayC2(b, c2)
			for _, r := range e.eco.jobRows[k] {
				j := &e.cat.Jobs[r]
				if s, ok := q.slotOf(j.Branch, j.APE); ok {
					pres[s] += w * float64(j.Jobs)
				}
			}
		})
		return pres, EcoSourceJobs
	}
	e.eco.facilities[c.Landmass].within(p, c.unit, b.far, func(i int, c2 float64) {
		f := &e.cat.Facilities[i]
		if s, ok := q.slotOf(f.Branch, f.NAF); ok {
			pres[s] += decayC2(b, c2)
			if visit != nil {
				visit(i, arcKm(c2))
			}
		}
	})
	return pres, EcoSourceEstablishments
}

// slotOf returns the supplier slot of a record of a branch and NAF code:
// a record of the project's own branch counts only in its NAF division.
func (q *ecoQuery) slotOf(branch, naf string) (int, bool) {
	s, ok := q.slot[branch]
	if !ok || (branch == q.branch && naf[:2] != q.division) {
		return 0, false
	}
	return s, true
}

func decayC2(b *supplyBand, c2 float64) float64 {
	switch {
	case c2 <= b.nearC2:
		return 1
	case c2 >= b.farC2:
		return 0
	}
	return geo.Decay(b.arcKm(c2), b.near, b.far)
}

// EcosystemScore is Σ_b s_b·min(1, P_b/R_b) / Σ_b s_b over the observed
// supplier branches b: s_b the share of b in the project branch's
// intermediate consumption, P_b the presence, R_b the reference.
func EcosystemScore(shares, presence, reference []float64) float64 {
	var num, den float64
	for i, s := range shares {
		den += s
		num += s * min(1, presence[i]/reference[i])
	}
	if den == 0 {
		return 0
	}
	return num / den
}

func (q *ecoQuery) refs(source string) []float64 {
	out := make([]float64, len(q.suppliers))
	for i, s := range q.suppliers {
		out[i] = s.ref
		if source == EcoSourceJobs {
			out[i] = EcoJobsReference
		}
	}
	return out
}

func (q *ecoQuery) shares() []float64 {
	out := make([]float64, len(q.suppliers))
	for i, s := range q.suppliers {
		out[i] = s.share
	}
	return out
}

func (e *Engine) ecosystemScore(q *query, c *Candidate) float64 {
	pres, src := e.ecoPresence(q.eco, &q.band, c, nil)
	return EcosystemScore(q.ecoShares, pres, q.eco.refs(src))
}

// EcoBranch is one supplier branch of an ecosystem detail.
type EcoBranch struct {
	Branch    string
	Label     string  // French
	Share     float64 // in the project branch's intermediate consumption
	Presence  float64 // distance-weighted establishments or jobs
	Reference float64
	Score     float64 // min(1, Presence/Reference)
	OwnBranch bool    // counted at the project's NAF division only
}

// EcoEstablishment is an IREP establishment of a supplier branch near the site.
type EcoEstablishment struct {
	ID, Name, NAF, Activity, Branch, Commune string
	Km                                       float64
}

// EcosystemDetail is the numbers behind the ecosystem score.
type EcosystemDetail struct {
	NAF, Branch, BranchLabel string
	Source                   string  // EcoSourceEstablishments or EcoSourceJobs
	ObservedShare            float64 // share of the branch's intermediate consumption the layer can see (sections B-E)
	NearKm, FarKm            float64
	Branches                 []EcoBranch // the top supplier branches by contribution
	Nearest                  []EcoEstablishment
}

// Criterion returns the criterion a detail belongs to.
func (*EcosystemDetail) Criterion() string { return Ecosystem }

func (e *Engine) explainEcosystem(q *query, c *Candidate) (Detail, string) {
	eq := q.eco
	type near struct {
		i  int
		km float64
	}
	var nearest []near
	pres, src := e.ecoPresence(eq, &q.band, c, func(i int, km float64) { nearest = append(nearest, near{i, km}) })
	refs := eq.refs(src)
	br, _ := e.cat.IO.Branch(eq.branch)
	d := &EcosystemDetail{NAF: eq.naf, Branch: eq.branch, BranchLabel: br.Label, Source: src, NearKm: q.band.near, FarKm: q.band.far}
	if eq.total > 0 {
		d.ObservedShare = round3(eq.observed / eq.total)
	}
	all := make([]EcoBranch, len(eq.suppliers))
	for i, s := range eq.suppliers {
		all[i] = EcoBranch{Branch: s.branch, Label: data.A38Labels[s.branch], Share: round3(s.share), Presence: round1(pres[i]),
			Reference: round1(refs[i]), Score: round3(min(1, pres[i]/refs[i])), OwnBranch: s.own}
	}
	slices.SortStableFunc(all, func(a, b EcoBranch) int {
		ca, cb := a.Share*a.Score, b.Share*b.Score
		switch {
		case ca > cb:
			return -1
		case ca < cb:
			return 1
		}
		return strings.Compare(a.Branch, b.Branch)
	})
	for _, b := range all {
		if len(d.Branches) == EcoTopBranches || b.Score == 0 {
			break
		}
		d.Branches = append(d.Branches, b)
	}
	slices.SortFunc(nearest, func(a, b near) int {
		if a.km != b.km {
			if a.km < b.km {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	for _, n := range nearest[:min(EcoNearest, len(nearest))] {
		f := &e.cat.Facilities[n.i]
		d.Nearest = append(d.Nearest, EcoEstablishment{ID: f.ID, Name: f.Name, NAF: f.NAF, Activity: f.Activity, Branch: f.Branch,
			Commune: f.Commune, Km: round1(n.km)})
	}
	return d, ecosystemFR(d, e.ecosystemScore(q, c))
}

func ecosystemFR(d *EcosystemDetail, score float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Pour la branche %s (%s, NAF %s), %.0f %% de ses achats de produits industriels, d'énergie et de traitement des déchets "+
		"(%.0f %% de ses consommations intermédiaires, TES INSEE 2018) sont produits à proximité",
		d.Branch, d.BranchLabel, d.NAF, 100*score, 100*d.ObservedShare)
	if len(d.Branches) == 0 {
		b.WriteString(" : aucune branche fournisseuse trouvée dans le rayon")
	} else {
		b.WriteString(" ; branches fournisseuses trouvées : ")
		for i, br := range d.Branches {
			if i > 0 {
				b.WriteString(", ")
			}
			unit := "établissements pondérés"
			if d.Source == EcoSourceJobs {
				unit = "emplois salariés pondérés"
			}
			fmt.Fprintf(&b, "%s %s (%.0f %% des achats, %s %s)", br.Branch, shortLabel(br.Label), 100*br.Share, fmtFR(br.Presence), unit)
		}
	}
	fmt.Fprintf(&b, ", jusqu'à %s km (pleinement jusqu'à %s km)", fmtFR(d.FarKm), fmtFR(d.NearKm))
	if len(d.Nearest) > 0 {
		fmt.Fprintf(&b, " ; le plus proche : %s (%s, %s km)", d.Nearest[0].Name, d.Nearest[0].NAF, fmtFR(d.Nearest[0].Km))
	}
	b.WriteString(". ")
	if d.Source == EcoSourceJobs {
		b.WriteString("Source : effectifs salariés Urssaf par commune × APE (dernière année du fichier), comptés dans les seuls départements " +
			"que couvre le fichier importé ; la branche propre du projet est comptée à sa division NAF.")
	} else {
		b.WriteString("Source : registre IREP des émissions polluantes (vers 2015) : grands établissements émetteurs seulement, métropole " +
			"seulement, sans les PME ni les services ; la branche propre du projet est comptée à sa division NAF.")
	}
	return b.String()
}

// shortLabel cuts a branch label at its first comma or semicolon.
func shortLabel(s string) string {
	if i := strings.IndexAny(s, ",;"); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func fmtFR(x float64) string {
	if x >= 10 || x == math.Trunc(x) {
		return numFR(x, 0)
	}
	return numFR(x, 1)
}
