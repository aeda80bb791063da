package matching

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// Land model (DESIGN.md, "Land").
const (
	// MaxPlausibleBrownfieldHa: a brownfield's area above it is not the
	// site's. Cartofriches gives the owner's whole land unit (cadastral
	// "unité foncière"), and for a mine, a quarry or a State domain it can
	// be a mountainside or a marsh (7,414 ha at Arles, 5,072 ha at a mine
	// of the Hautes-Alpes). The largest reconverted industrial sites of
	// France (PSA Aulnay, 180 ha; the Florange blast furnaces) are below
	// 300 ha; above it the area is treated as unknown.
	MaxPlausibleBrownfieldHa = 300
	// MinAreaSample is the fewest known areas a site type needs for its
	// own distribution; a rarer type takes its kind's.
	MinAreaSample = 30
	// TownReachKm: a town's land is the plots within this distance of its
	// centre. 10 km is the town and its first ring of communes, within the
	// same intercommunality in most cases, so that the labour, training and
	// transport measured at the town still hold for the plot (labour
	// reaches 30 km, transport decays from 5 km).
	TownReachKm = 10
)

// TownPlotFactor is how much of a plot's land score a town takes from a
// plot at km from its centre: ½·(1 − km/(2·TownReachKm)), ½ at the centre
// and ¼ at the edge of its reach. A town is a destination, not an offer:
// the plot it points to is itself a candidate and is what a client can
// buy, so the town gets at most half of its best plot's land (the plot is
// still to be negotiated through the commune), and less for a plot further
// out, where the town's other features, measured at its centre, hold less.
// With full credit (before) towns filled a top 10 behind their own plots
// (Montbéliard, Héricourt, Beaucourt for a Sochaux supplier).
func TownPlotFactor(km float64) float64 { return 0.5 * (1 - km/(2*TownReachKm)) }

// nonIndustrialTypes are the Cartofriches site types (after siteTypeClass)
// whose buildings and zoning cannot host a plant: former housing, shops,
// hospitals, leisure and tourism, public facilities, schools and places of
// worship sit in residential fabric. Industrial, logistics, rail, port,
// military, agro-industrial, quarry and mine, mixed, "autre" and
// unrecorded types are kept.
var nonIndustrialTypes = map[string]bool{
	"habitat": true, "commerciale": true, "hospitalière": true, "loisir tourisme hôtellerie": true,
	"touristique": true, "équipement public": true, "enseignement": true, "cultuelle": true,
}

// siteTypeClass normalises a Cartofriches site type: lower case, typographic
// apostrophes and missing accents as in the majority spelling, without the
// leading "friche" ("friche d’habitation" → "habitat").
func siteTypeClass(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	t = strings.ReplaceAll(t, "’", "'")
	t = strings.TrimPrefix(t, "friche ")
	t = strings.TrimPrefix(t, "d'")
	switch t {
	case "habitation":
		t = "habitat"
	case "hospitaliere":
		t = "hospitalière"
	case "loisir tourisme hotellerie":
		t = "loisir tourisme hôtellerie"
	}
	return t
}

// landfillRe finds a former landfill in a brownfield's name or BASIAS
// activity ("Anc. Décharge Communale OM", "Collecte et stockage des
// déchets non dangereux dont les ordures ménagères", "centre
// d'enfouissement"): waste settles and gives off biogas for decades, so a
// closed landfill cannot bear a plant's foundations and slabs (they
// become solar parks). About 2,220 records, 255 of them verified, mostly
// untyped.
var landfillRe = regexp.MustCompile(`(?i)d[ée]charges?\b|ordures m[ée]nag[èe]res|enfouissement|stockage des d[ée]chets`)

// nonIndustrialNameRe finds an obviously non-industrial former use in the
// name of a brownfield whose type says nothing (untyped, "mixte",
// "autre"): grandstands, stadiums, swimming pools, golf courses and
// campsites, schools, hospitals and clinics, churches, cinemas, hotels,
// housing. Such a record ("Tribunes de l'hippodrome de Maisons-Laffitte",
// typed "mixte") reached a pharma top 10 on its 145 ha. The name is read
// only when the type is silent: a "friche industrielle" near a stadium
// keeps its type.
// (Go's \b is ASCII-only, so word edges are written as non-letters.)
var nonIndustrialNameRe = regexp.MustCompile(`(?i)(?:^|[^\pL])(hippodrome|tribunes?|stades?|piscines?|golf|camping|[ée]coles?|coll[èe]ges?|lyc[ée]es?|groupe scolaire|h[ôo]pital|clinique|ehpad|[ée]glise|presbyt[èe]re|cin[ée]ma|h[ôo]tel|logements?)(?:$|[^\pL])`)

// landfillStems and nonIndustrialStems hold, for landfillRe and
// nonIndustrialNameRe, a lower-case piece of every word they match: a text
// that contains none of them cannot match, which spares the regular
// expressions (a fifth of the engine's build) on most of the 24,000
// brownfields.
var (
	landfillStems      = []string{"charge", "ordures", "enfouissement", "stockage des d"}
	nonIndustrialStems = []string{"hippodrome", "tribune", "stade", "piscine", "golf", "camping", "cole", "coll",
		"lyc", "groupe scolaire", "pital", "clinique", "ehpad", "glise", "presbyt", "cin", "tel", "logement"}
)

// mayContain reports whether the lower-cased text contains one of stems.
func mayContain(text string, stems []string) bool {
	t := strings.ToLower(text)
	for _, st := range stems {
		if strings.Contains(t, st) {
			return true
		}
	}
	return false
}

// nonIndustrialName returns the word of nonIndustrialNameRe that names a
// non-industrial former use in a brownfield's name, "" when none. In the
// Fonds Friches records ("Appel à projet … - Saint-Maixent-l'École (79400)
// - friche: Ilot Taupineau") only the part after "friche:" names the site,
// and a word inside a hyphenated place name ("Saint-Maixent-l'École") is
// not a use.
func nonIndustrialName(name string) string {
	if !mayContain(name, nonIndustrialStems) {
		return ""
	}
	if i := strings.LastIndex(strings.ToLower(name), "friche:"); i >= 0 {
		name = name[i+len("friche:"):]
	}
	for _, m := range nonIndustrialNameRe.FindAllStringSubmatchIndex(name, -1) {
		if before := name[:m[2]]; strings.HasSuffix(before, "-") || strings.HasSuffix(before, "-l'") || strings.HasSuffix(before, "-L'") {
			continue
		}
		return name[m[2]:m[3]]
	}
	return ""
}

// silentSiteType reports whether a Cartofriches site type says nothing of
// the former use: unrecorded, "mixte" or "autre".
func silentSiteType(t string) bool {
	switch siteTypeClass(t) {
	case "", "mixte", "autre":
		return true
	}
	return false
}

// NonIndustrial reports whether a brownfield's former use rules out a
// plant: a site type of nonIndustrialTypes, a former landfill, or, when
// the type is silent, a name of nonIndustrialNameRe.
func NonIndustrial(s *data.Site) bool {
	return nonIndustrialReason(s) != ""
}

// nonIndustrialReason says in French why a brownfield cannot host a plant,
// "" when it can.
func nonIndustrialReason(s *data.Site) string {
	switch {
	case s.Kind != data.KindBrownfield:
		return ""
	case nonIndustrialTypes[siteTypeClass(s.SiteType)]:
		return fmt.Sprintf("ancien usage « %s »", s.SiteType)
	case mayContain(s.Name, landfillStems) && landfillRe.MatchString(s.Name) ||
		mayContain(s.Activity, landfillStems) && landfillRe.MatchString(s.Activity):
		return "ancienne décharge (sol instable, biogaz)"
	case silentSiteType(s.SiteType):
		if w := nonIndustrialName(s.Name); w != "" {
			return fmt.Sprintf("ancien usage non industriel d'après son nom (« %s »)", w)
		}
	}
	return ""
}

// PlausibleArea returns a site's area when it is known and plausible (a
// brownfield's at most MaxPlausibleBrownfieldHa).
func PlausibleArea(s *data.Site) (float64, bool) {
	if !s.AreaKnown || (s.Kind == data.KindBrownfield && s.AreaHa > MaxPlausibleBrownfieldHa) {
		return 0, false
	}
	return s.AreaHa, true
}

// ImplausibleArea reports whether a site states an area the model does not
// believe.
func ImplausibleArea(s *data.Site) bool {
	_, ok := PlausibleArea(s)
	return s.AreaKnown && !ok
}

// areaDist is the distribution of the plausible known areas of one kind
// and site type, sorted, with suffix sums for the expected land score.
type areaDist struct {
	kind, siteType string // siteType "" for the untyped records
	all            bool   // the whole kind, every type
	areas          []float64
	suffix         []float64 // suffix[i] = Σ areas[i:]
	label          string    // the sites of the distribution in French, plural (areaLabel)
}

func newAreaDist(kind, siteType string, all bool, areas []float64) areaDist {
	slices.Sort(areas)
	suf := make([]float64, len(areas)+1)
	for i := len(areas) - 1; i >= 0; i-- {
		suf[i] = suf[i+1] + areas[i]
	}
	return areaDist{kind: kind, siteType: siteType, all: all, areas: areas, suffix: suf, label: areaLabel(kind, siteType, all)}
}

// share is P(A ≥ need): the share of the known areas at least need.
func (d *areaDist) share(need float64) float64 {
	i, _ := slices.BinarySearch(d.areas, need)
	return float64(len(d.areas)-i) / float64(len(d.areas))
}

// expected is E[LandScore(A)·1{A ≥ need}] = (1/n) Σ_{a ≥ need} min(1, a/full), full = LandFullHa(need):
// the land score a site of unknown area can expect, one too small counting
// 0 (it would be excluded once measured).
func (d *areaDist) expected(need float64) float64 {
	i, _ := slices.BinarySearch(d.areas, need)
	full := LandFullHa(need)
	j, _ := slices.BinarySearch(d.areas, full)
	n := len(d.areas)
	return ((d.suffix[i]-d.suffix[j])/full + float64(n-j)) / float64(n)
}

// areaLabel names the sites of a distribution in French, plural.
func areaLabel(kind, siteType string, all bool) string {
	s := map[string]string{data.KindTurnkey: "sites clés en main", data.KindZone: "zones d'activité", data.KindBrownfield: "friches"}[kind]
	switch {
	case all && kind == data.KindBrownfield:
		s = "friches de tout type"
	case siteType != "":
		s += fmt.Sprintf(" de type « %s »", siteType)
	case !all && kind == data.KindBrownfield:
		s += " sans type renseigné"
	}
	return s
}

// buildLand derives from every candidate's land at
// build: the area distributions, each candidate's (Candidate.landGroup)
// and each town's plots (Candidate.townPlots).
func (e *Engine) buildLand() {
	// A key with all set is a kind's whole distribution; without, one
	// site type's ("" for the untyped records).
	type key struct {
		kind, siteType string
		all            bool
	}
	areas := map[key][]float64{}
	for i := range e.cands {
		s := &e.cands[i].Site
		if s.Kind == data.KindTown {
			continue
		}
		if a, ok := PlausibleArea(s); ok {
			k := key{s.Kind, siteTypeClass(s.SiteType), false}
			areas[k] = append(areas[k], a)
			areas[key{s.Kind, "", true}] = append(areas[key{s.Kind, "", true}], a)
		}
	}
	keys := slices.SortedFunc(func(yield func(key) bool) {
		for k := range areas {
			if !yield(k) {
				return
			}
		}
	}, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.siteType, b.siteType), boolCmp(a.all, b.all))
	})
	group := map[key]int{}
	e.landDist = nil
	for _, k := range keys {
		group[k] = len(e.landDist)
		e.landDist = append(e.landDist, newAreaDist(k.kind, k.siteType, k.all, areas[k]))
	}
	var plots []int
	for i := range e.cands {
		c := &e.cands[i]
		c.landGroup, c.townPlots, c.townPlotKm, c.townBestHa = -1, nil, nil, 0
		s := &c.Site
		c.nonIndustrial = c.prep.nonIndustrial != "" // NonIndustrial(s), computed once (prepare)
		c.believedHa, c.believed = PlausibleArea(s)
		c.isTown, c.unverified, c.committed = s.Kind == data.KindTown, s.Unverified, s.CommittedTo != ""
		c.availLo, c.availHi, _ = availabilityYears(s.AvailableFrom)
		if s.Kind == data.KindTown {
			continue
		}
		if _, ok := PlausibleArea(s); ok {
			if !s.Unverified && !c.nonIndustrial && s.CommittedTo == "" {
				plots = append(plots, i)
			}
			continue
		}
		k := key{s.Kind, siteTypeClass(s.SiteType), false}
		if len(areas[k]) < MinAreaSample {
			k = key{s.Kind, "", true}
		}
		if g, ok := group[k]; ok {
			c.landGroup = g
		}
	}
	ix := indexOf(plots, func(i int) orb.Point { return e.cands[i].Site.Point })
	for i := range e.cands {
		c := &e.cands[i]
		if c.Site.Kind != data.KindTown {
			continue
		}
		limit := chord2Of(TownReachKm)
		ix.InBound(geo.BoundAround(c.Site.Point, TownReachKm), func(h geo.Hit[int]) bool {
			if c2 := chord2(c.unit, e.cands[plots[h.Value]].unit); c2 <= limit {
				c.townPlots = append(c.townPlots, plots[h.Value])
			}
			return true
		})
		slices.SortFunc(c.townPlots, func(a, b int) int {
			return cmp.Or(cmp.Compare(e.cands[b].Site.AreaHa, e.cands[a].Site.AreaHa), cmp.Compare(e.cands[a].Site.ID, e.cands[b].Site.ID))
		})
		c.townPlotKm = make([]float64, len(c.townPlots))
		for k, p := range c.townPlots {
			c.townPlotKm[k] = geo.DistanceKm(c.Site.Point, e.cands[p].Site.Point)
		}
		if len(c.townPlots) > 0 {
			c.townBestHa = e.cands[c.townPlots[0]].Site.AreaHa
		}
	}
}

// landScore is the land criterion: LandScore for a plausible known area;
// for an unknown one, the expected score of its kind and type's
// distribution (areaDist.expected; 0.5 when no area of its kind is known);
// for a town, max over its plots within TownReachKm at least as large as
// the need of LandScore·TownPlotFactor(km), 0 when there is none.
func (e *Engine) landScore(q *query, c *Candidate) float64 {
	s := &c.Site
	if s.Kind == data.KindTown {
		best := 0.0
		for k, p := range c.townPlots { // largest first
			a := e.cands[p].Site.AreaHa
			if a < q.landHa {
				break
			}
			best = math.Max(best, clamp01(a/q.landFull)*TownPlotFactor(c.townPlotKm[k]))
		}
		return best
	}
	if c.believed {
		return clamp01(c.believedHa / q.landFull)
	}
	if c.landGroup < 0 {
		return 0.5
	}
	return q.landExpect[c.landGroup]
}

// townLandPlot is the candidate index of the plot that gives a town its
// land score (the first of its plots, largest first, reaching the best
// LandScore·TownPlotFactor), -1 for a site that is not a town, a project
// without a land need, or a town without a plot large enough.
func (e *Engine) townLandPlot(q *query, c *Candidate) int {
	if c.Site.Kind != data.KindTown || q.landHa <= 0 {
		return -1
	}
	best, at := 0.0, -1
	for k, p := range c.townPlots { // largest first
		a := e.cands[p].Site.AreaHa
		if a < q.landHa {
			break
		}
		if s := clamp01(a/q.landFull) * TownPlotFactor(c.townPlotKm[k]); s > best {
			best, at = s, p
		}
	}
	return at
}

// landPass is the probability that a candidate's land is large enough:
// 1 for a known area (a smaller one is excluded) and for a town (its
// plots are known), P(A ≥ need) of its distribution for an unknown area.
func (e *Engine) landPass(q *query, c *Candidate) float64 {
	if q.landHa <= 0 || c.Site.Kind == data.KindTown || c.landGroup < 0 || c.believed {
		return 1
	}
	return q.landShare[c.landGroup]
}

// compileLand precomputes, per area distribution, P(A ≥ need) and the
// expected land score for the query's need.
func (e *Engine) compileLand(q *query) {
	if q.landHa <= 0 {
		return
	}
	q.landShare = make([]float64, len(e.landDist))
	q.landExpect = make([]float64, len(e.landDist))
	for g := range e.landDist {
		q.landShare[g] = e.landDist[g].share(q.landHa)
		q.landExpect[g] = e.landDist[g].expected(q.landHa)
	}
}

// landExcluded returns the exclusion reason of a candidate's land or its
// record ("" when none): a brownfield whose former use cannot host a plant
// (ExclSiteType) or that Cerema has not verified (ExclUnverified), unless
// the project includes them; a known area smaller than the need, an
// unknown one under require_known_area, a town without a known plot as
// large as the need within TownReachKm under require_known_area (ExclLand).
func (q *query) landExcluded(c *Candidate) string {
	cs := &q.p.Constraints
	switch {
	case !cs.IncludeNonIndustrial && c.nonIndustrial:
		return ExclSiteType
	case !cs.IncludeUnverified && c.unverified:
		return ExclUnverified
	case c.isTown:
		if cs.RequireKnownArea && (len(c.townPlots) == 0 || c.townBestHa < q.landHa) {
			return ExclLand
		}
		return ""
	}
	if (c.believed && q.landHa > 0 && c.believedHa < q.landHa) || (!c.believed && cs.RequireKnownArea) {
		return ExclLand
	}
	return ""
}

// explainLandOf explains the land score: the area against the need, the
// distribution an unknown area is read from, or a town's plots.
func (e *Engine) explainLandOf(q *query, c *Candidate, t *explanation) *LandDetail {
	d := &t.land
	*d = LandDetail{RequiredHa: q.landHa}
	s := &c.Site
	if s.Kind == data.KindTown {
		d.Flag = "town"
		big := 0 // the town's plots at least the need, a prefix (largest first)
		for big < len(c.townPlots) && e.cands[c.townPlots[big]].Site.AreaHa >= q.landHa {
			big++
		}
		d.PlotCount = big
		if big == 0 {
			t.WriteString("Ville de destination, pas un terrain : aucun terrain connu d'au moins ")
			t.num(q.landHa, 1)
			t.WriteString(" ha à moins de ")
			t.itoa(TownReachKm)
			t.WriteString(" km (sites clés en main, zones, friches vérifiées de surface connue) : note 0.")
			return d
		}
		d.Plots = make([]LandPlot, min(big, 10))
		for k := range d.Plots {
			p := &e.cands[c.townPlots[k]].Site
			d.Plots[k] = LandPlot{ID: p.ID, Name: p.Name, AreaHa: p.AreaHa, Km: round1(c.townPlotKm[k])}
		}
		t.landArea = d.Plots[0].AreaHa
		d.AreaHa = &t.landArea
		t.WriteString("Ville de destination, pas un terrain : ")
		t.count(d.PlotCount, "terrain", "terrains")
		t.WriteString(" d'au moins ")
		t.num(q.landHa, 1)
		t.WriteString(" ha à moins de ")
		t.itoa(TownReachKm)
		t.WriteString(" km : ")
		for k := range min(big, 3) {
			p := &d.Plots[k]
			if k > 0 {
				t.WriteString(" ; ")
			}
			t.str(p.Name, " (")
			t.num(p.AreaHa, 1)
			t.WriteString(" ha, ")
			t.where(p.Km, e.cands[c.townPlots[k]].Site.Commune == s.Commune)
			t.WriteString(")")
		}
		t.WriteString(" ; la note est la moitié de celle du meilleur, le quart à ")
		t.itoa(TownReachKm)
		t.WriteString(" km du centre.")
		return d
	}
	if a, ok := PlausibleArea(s); ok {
		t.landArea = a
		d.AreaHa = &t.landArea
		t.num(a, 1)
		t.WriteString(" ha pour ")
		t.num(q.landHa, 1)
		t.WriteString(" ha demandés : marge d'extension de ")
		t.num(100*(a-q.landHa)/q.landHa, 0)
		if a >= q.landFull {
			t.WriteString(" %, au moins les ")
			t.num(100*LandMargin(q.landHa), 0)
			t.WriteString(" % qu'un projet de cette taille garde en réserve (note pleine).")
			return d
		}
		t.WriteString(" %, pour ")
		t.num(100*LandMargin(q.landHa), 0)
		t.WriteString(" % attendus d'un projet de cette taille (note pleine à ")
		t.num(q.landFull, 1)
		t.WriteString(" ha).")
		return d
	}
	d.Flag = "unknown_area"
	if ImplausibleArea(s) {
		d.Flag = "implausible_area"
		t.WriteString("Surface déclarée de ")
		t.num(s.AreaHa, 0)
		t.WriteString(" ha, invraisemblable pour une friche (au-delà de ")
		t.itoa(MaxPlausibleBrownfieldHa)
		t.WriteString(" ha, c'est l'unité foncière entière du propriétaire) : tenue pour inconnue")
	} else {
		t.WriteString("Surface inconnue")
	}
	if c.landGroup < 0 {
		t.WriteString(" et aucune surface connue de ce genre de site pour ")
		t.num(q.landHa, 1)
		t.WriteString(" ha demandés : note neutre de 0,5, à vérifier.")
		return d
	}
	g := &e.landDist[c.landGroup]
	p := q.landShare[c.landGroup]
	t.landPass = p
	d.PassProbability = &t.landPass
	d.Sample = len(g.areas)
	t.WriteString(" : ")
	t.num(math.Round(100*p), 0)
	t.str(" % des ", g.label, " de surface connue (")
	t.int(len(g.areas))
	t.WriteString(") font au moins ")
	t.num(q.landHa, 1)
	t.WriteString(" ha ; note attendue ")
	t.num(q.landExpect[c.landGroup], 2)
	t.WriteString(", à vérifier.")
	return d
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
