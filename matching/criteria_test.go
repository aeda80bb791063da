package matching

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// The scoring model of DESIGN.md ("Scoring model (v1)") written out
// literally, over plain loops on the catalogue: no index, no precomputed
// feature. It is the reference the engine is checked against, and the
// naive baseline of BenchmarkMatchNaive.

// litDecay is DESIGN.md's transport table, near and far in kilometres.
var litDecay = map[string][2]float64{
	"motorway": {5, 50}, "rail_freight": {5, 50}, "station": {5, 40}, "airport": {30, 150}, "port": {30, 250},
	"rail_terminal": {15, 80}, "river_port": {15, 80},
}

// litSupply is DESIGN.md's supply-chain decay per sector profile, near and
// far in kilometres; a project without a sector takes 25 and 300.
var litSupply = map[string][2]float64{
	"aeronautics": {50, 400}, "chemistry": {25, 300}, "automotive": {15, 90}, "agrifood": {30, 200},
	"metalworking": {30, 250}, "energy": {30, 250}, "logistics": {50, 1000}, "pharma": {50, 500},
}

// litMode is DESIGN.md's supply-chain mode per sector profile, decay when
// not listed.
var litMode = map[string]string{"logistics": "centrality", "agrifood": "centrality"}

// litModes are the transport modes in the order of Candidate.Nearest.
var litModes = [7]string{"motorway", "rail_freight", "station", "airport", "port", "rail_terminal", "river_port"}

// litFRR is the territory credit of each FRR class (DESIGN.md).
var litFRR = map[string]float64{"plus": 1, "socle": 0.75, "partielle": 0.5, "beneficiaire": 0.5, "beneficiaire_partielle": 0.25, "non": 0}

// decayLit: 1 at or below near, 0 at or beyond far, linear between.
func decayLit(d, near, far float64) float64 {
	switch {
	case d <= near:
		return 1
	case d >= far:
		return 0
	}
	return (far - d) / (far - near)
}

func clampLit(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// bruteCatalogue is a catalogue searched by scanning every record.
type bruteCatalogue struct {
	cat      *data.Catalogue
	layers   [7][]data.Node
	landOf   [7][]string       // landmass of every node
	subLand  []string          // landmass of every substation
	sevLand  []string          // landmass of every Seveso establishment
	tiOfEPCI map[string]string // EPCI SIREN → Territoire d'industrie id
}

// familyShare is the mean over the lycées whose trades come from their
// courses of min(1, pupils in the family t / 50).
func (b *bruteCatalogue) familyShare(t string) float64 {
	n, sum := 0, 0.0
	for _, l := range b.cat.Lycees {
		if l.TradesSource != "courses" {
			continue
		}
		n++
		for k, tr := range l.Trades {
			if tr == t {
				sum += math.Min(1, float64(l.Pupils[k])/50)
			}
		}
	}
	return sum / float64(n)
}

// typeLit is a Cartofriches site type without case, typographic
// apostrophes, its "friche" and "d'", with one spelling per type.
func typeLit(t string) string {
	t = strings.ToLower(t)
	t = strings.ReplaceAll(t, "’", "'")
	t = strings.TrimPrefix(t, "friche ")
	t = strings.TrimPrefix(t, "d'")
	switch t {
	case "habitation":
		return "habitat"
	case "hospitaliere":
		return "hospitalière"
	case "loisir tourisme hotellerie":
		return "loisir tourisme hôtellerie"
	}
	return t
}

// plausibleLit: an area is believed when known and, for a brownfield, at
// most 300 ha.
func plausibleLit(s data.Site) bool {
	return s.AreaKnown && !(s.Kind == "brownfield" && s.AreaHa > 300)
}

// fullLit is the area that scores full land for a need: twice the need up
// to 10 ha, 1.25 times from 100 ha, the margin 1 − 0.75·log₁₀(need/10)
// between.
func fullLit(need float64) float64 {
	switch {
	case need <= 10:
		return 2 * need
	case need >= 100:
		return 1.25 * need
	}
	return need * (2 - 0.75*math.Log10(need/10))
}

// land is the land score of DESIGN.md: a believed area a scores
// clamp(a/full), full = fullLit(need); an unknown one the mean over the
// believed areas of its kind and site type (its kind's when its type has
// fewer than 30) of min(1, a/full) for a ≥ need, 0 below; a town the best,
// over its plots within 10 km (turnkey, zone or brownfield of believed
// area, verified, of an industrial type, not committed) of at least need,
// of clamp(a/full)·½·(1 − d/20), 0 without any.
func (b *bruteCatalogue) land(s data.Site, need float64) float64 {
	sites := b.cat.Sites()
	full := fullLit(need)
	if s.Kind == "town" {
		best := 0.0
		for _, x := range sites {
			nonInd := x.Kind == "brownfield" && slices.Contains([]string{"habitat", "commerciale", "hospitalière",
				"loisir tourisme hôtellerie", "touristique", "équipement public", "enseignement", "cultuelle"}, typeLit(x.SiteType)) ||
				x.Kind == "brownfield" && (landfillLit(x) || nonIndustrialNameLit(x))
			if x.Kind != "town" && plausibleLit(x) && !x.Unverified && !nonInd && x.CommittedTo == "" &&
				x.AreaHa >= need && geo.DistanceKm(s.Point, x.Point) <= 10 {
				best = math.Max(best, clampLit(x.AreaHa/full, 0, 1)*0.5*(1-geo.DistanceKm(s.Point, x.Point)/20))
			}
		}
		return best
	}
	if plausibleLit(s) {
		return clampLit(s.AreaHa/full, 0, 1)
	}
	var same, kind []float64
	for _, x := range sites {
		if x.Kind == s.Kind && plausibleLit(x) {
			kind = append(kind, x.AreaHa)
			if typeLit(x.SiteType) == typeLit(s.SiteType) {
				same = append(same, x.AreaHa)
			}
		}
	}
	if len(same) < 30 {
		same = kind
	}
	if len(same) == 0 {
		return 0.5
	}
	sum := 0.0
	for _, a := range same {
		if a >= need {
			sum += math.Min(1, a/full)
		}
	}
	return sum / float64(len(same))
}

// landLit is the landmass of a département: 2A and 2B Corsica, each
// overseas département its own, the mainland for every other.
func landLit(dep string) string {
	switch dep {
	case "2A", "2B":
		return "corse"
	case "971":
		return "guadeloupe"
	case "972":
		return "martinique"
	case "973":
		return "guyane"
	case "974":
		return "reunion"
	case "976":
		return "mayotte"
	}
	return "metropole"
}

// landAt is the landmass of a record placed at a commune (its
// département's), or else at a point: that of the nearest commune within
// 50 km by a scan of every commune, "" when there is none.
func (b *bruteCatalogue) landAt(commune string, p orb.Point) string {
	if c, ok := b.cat.Commune(commune); ok {
		return landLit(c.Dep)
	}
	best, bestKm := -1, math.Inf(1)
	for i, c := range b.cat.Communes {
		if d := geo.DistanceKm(p, c.Point); d < bestKm {
			best, bestKm = i, d
		}
	}
	if best < 0 || bestKm > 50 {
		return ""
	}
	return landLit(b.cat.Communes[best].Dep)
}

var (
	bruteOnce sync.Once
	bruteCat  *bruteCatalogue
)

// newBrute returns the brute-force view of the shared engine's catalogue,
// built once per test binary (placing the nodes scans every commune).
func newBrute(cat *data.Catalogue) *bruteCatalogue {
	bruteOnce.Do(func() { bruteCat = buildBrute(cat) })
	if bruteCat.cat != cat {
		return buildBrute(cat)
	}
	return bruteCat
}

func buildBrute(cat *data.Catalogue) *bruteCatalogue {
	b := &bruteCatalogue{cat: cat, tiOfEPCI: map[string]string{},
		layers: [7][]data.Node{cat.Interchanges, cat.RailFreight, cat.Stations, cat.Airports, cat.Seaports, cat.RailTerminals, cat.RiverPorts}}
	for _, s := range cat.Substations {
		b.subLand = append(b.subLand, b.landAt("", s.Point))
	}
	for _, x := range cat.Seveso {
		b.sevLand = append(b.sevLand, b.landAt(x.Commune, x.Point))
	}
	for m, layer := range b.layers {
		for _, n := range layer {
			b.landOf[m] = append(b.landOf[m], b.landAt(n.Commune, n.Point))
		}
	}
	for _, t := range cat.Territoires {
		for _, e := range t.EPCIs {
			b.tiOfEPCI[e] = t.ID
		}
	}
	return b
}

// bruteSite is what a scan of every layer finds around a site.
type bruteSite struct {
	nearest                      [7]NodeRef // first of the nearest nodes per mode; Index -1 for an empty layer
	hv, anyV, source             NodeRef    // nearest substations: ≥ 225 kV, any voltage, Caparéseau poste source
	seveso                       NodeRef    // nearest Seveso upper-tier establishment on the landmass
	active, unemployed, communes int        // communes within 30 km
	lycees                       int        // lycées of the training layer within 45 km
	lycKm                        []float64  // their distances
	lycTrades                    [][]string // and trade families
	lycs                         []data.Lycee
	trades                       map[string]bool
	ti                           string // by the site commune's EPCI
	acv                          bool   // an Action Cœur de Ville town within 20 km
}

func (b *bruteCatalogue) features(s data.Site) bruteSite {
	f := bruteSite{trades: map[string]bool{}}
	sc, _ := b.cat.Commune(s.Commune)
	land := landLit(sc.Dep) // everything below stays on the site's landmass
	for m, layer := range b.layers {
		f.nearest[m] = NodeRef{Index: -1}
		for i, n := range layer {
			if b.landOf[m][i] != land {
				continue
			}
			if d := geo.DistanceKm(s.Point, n.Point); f.nearest[m].Index < 0 || d < f.nearest[m].Km {
				f.nearest[m] = NodeRef{Index: i, Km: d}
			}
		}
	}
	for _, c := range b.cat.Communes {
		if landLit(c.Dep) == land && geo.DistanceKm(s.Point, c.Point) <= 30 {
			f.active += c.Active
			f.unemployed += c.Unemployed
			f.communes++
		}
	}
	for _, l := range b.cat.Lycees {
		if d := geo.DistanceKm(s.Point, l.Point); b.landAt(l.Commune, l.Point) == land && d <= 45 {
			f.lycees++
			f.lycKm = append(f.lycKm, d)
			f.lycTrades = append(f.lycTrades, l.Trades)
			f.lycs = append(f.lycs, l)
			for _, t := range l.Trades {
				f.trades[t] = true
			}
		}
	}
	// Transformation substations in operation with a voltage, on the
	// mainland, for a mainland site only.
	f.hv, f.anyV, f.source = NodeRef{Index: -1}, NodeRef{Index: -1}, NodeRef{Index: -1}
	for i, x := range b.cat.Substations {
		if land != "metropole" || b.subLand[i] != "metropole" || x.VoltageKV <= 0 || x.State != "en exploitation" || x.Function != "transformation" {
			continue
		}
		d := geo.DistanceKm(s.Point, x.Point)
		for _, r := range []struct {
			ref *NodeRef
			ok  bool
		}{{&f.hv, x.VoltageKV >= 225}, {&f.anyV, true}, {&f.source, x.Capareseau}} {
			if r.ok && (r.ref.Index < 0 || d < r.ref.Km) {
				*r.ref = NodeRef{Index: i, Km: d}
			}
		}
	}
	f.seveso = NodeRef{Index: -1, Km: math.Inf(1)}
	for i, x := range b.cat.Seveso {
		if d := geo.DistanceKm(s.Point, x.Point); b.sevLand[i] == land && d < f.seveso.Km {
			f.seveso = NodeRef{Index: i, Km: d}
		}
	}
	c, _ := b.cat.Commune(s.Commune)
	f.ti = b.tiOfEPCI[c.EPCI]
	for _, t := range b.cat.Towns {
		if t.Programme == data.ProgrammeACV && b.landAt(t.Commune, t.Point) == land && geo.DistanceKm(s.Point, t.Point) <= 20 {
			f.acv = true
		}
	}
	return f
}

// brutePartner is a supplier or customer placed at its point.
type brutePartner struct {
	pt orb.Point
	w  float64
}

// partners places a project's suppliers and customers: a commune's
// coordinates, or the partner's own lon/lat; weight 1 by default.
func (b *bruteCatalogue) partners(p Project) []brutePartner {
	var out []brutePartner
	for _, ps := range [][]Partner{p.Suppliers, p.Customers} {
		for _, x := range ps {
			bp := brutePartner{w: 1}
			if x.Commune != "" {
				c, _ := b.cat.Commune(x.Commune)
				bp.pt = c.Point
			} else {
				bp.pt = orb.Point{*x.Lon, *x.Lat}
			}
			if x.Weight != nil {
				bp.w = *x.Weight
			}
			out = append(out, bp)
		}
	}
	return out
}

// meanKmLit is the weighted mean haversine distance from a point to the
// partners.
func meanKmLit(pt orb.Point, partners []brutePartner) float64 {
	var num, den float64
	for _, x := range partners {
		num += x.w * geo.DistanceKm(pt, x.pt)
		den += x.w
	}
	return num / den
}

// scores scores a resolved project, its partners placed, on a site with
// DESIGN.md's formulas: the applicable criteria and the total. override is
// the supply-chain decay the project itself sets (before Resolve); bestKm,
// for a project scored by centrality, the least weighted mean partner
// distance over the eligible sites.
func (b *bruteCatalogue) scores(p Project, override SupplyDecay, partners []brutePartner, s data.Site, f bruteSite, bestKm float64) (map[string]float64, float64) {
	out := map[string]float64{}
	band, ok := litSupply[p.Sector]
	if !ok {
		band = [2]float64{25, 300}
	}
	if override.NearKm != nil {
		band[0] = *override.NearKm
	}
	if override.FarKm != nil {
		band[1] = *override.FarKm
	}
	var num, den float64
	for _, x := range partners {
		num += x.w * decayLit(geo.DistanceKm(s.Point, x.pt), band[0], band[1])
		den += x.w
	}
	if den > 0 {
		out["supply_chain"] = num / den
		// Centrality (logistics, or mode centrality): 2 − D / max(D*, near),
		// clamped, D the site's weighted mean distance, D* the best.
		if cmp.Or(override.Mode, litMode[p.Sector], "decay") == "centrality" {
			out["supply_chain"] = clampLit(2-meanKmLit(s.Point, partners)/math.Max(bestKm, band[0]), 0, 1)
		}
	}

	num, den = 0, 0
	for m, mode := range litModes {
		if w := p.Transport[mode]; w > 0 {
			den += w
			if f.nearest[m].Index >= 0 {
				num += w * decayLit(f.nearest[m].Km, litDecay[mode][0], litDecay[mode][1])
			}
		}
	}
	if den > 0 {
		out["transport"] = num / den
	}

	jobs := 0
	if p.Jobs != nil {
		jobs = *p.Jobs
	}
	if jobs > 0 {
		// Candidates left per opening: the unemployed and 5 % of the
		// employed, less the other employers' hires (5 % of the employed),
		// over the jobs; 0 at 2, 0.9 at 20, 1 at 10,000, log-linear between.
		employed := float64(f.active - f.unemployed)
		r := math.Max(0, float64(f.unemployed)+0.05*employed-0.05*employed) / float64(jobs)
		if r < 20 {
			out["labour"] = clampLit(0.9*math.Log(r/2)/math.Log(10), 0, 1)
		} else {
			out["labour"] = clampLit(0.9+0.1*math.Log(r/20)/math.Log(500), 0, 1)
		}
	}

	// Each lycée within 45 km weighs decay(d, 15, 45); per requested
	// family, a lycée whose trades come from its courses counts that weight
	// times min(1, its pupils in the family / 50), one known by its name its
	// weight if it names the family, a lycée of unknown trades (or a
	// family its name does not give) the weight times the mean of
	// min(1, pupils/50) over the lycées of the constat.
	need := math.Max(1, math.Ceil(float64(jobs)/50))
	var wanted []string
	for _, t := range p.Trades {
		if !slices.Contains(wanted, t) {
			wanted = append(wanted, t)
		}
	}
	training := 0.0
	if len(wanted) == 0 {
		sum := 0.0
		for _, d := range f.lycKm {
			sum += decayLit(d, 15, 45)
		}
		training = math.Min(1, sum/need)
	} else {
		for _, t := range wanted {
			sum := 0.0
			for i, d := range f.lycKm {
				l := f.lycs[i]
				u := b.familyShare(t)
				switch {
				case l.TradesSource == "courses":
					u = 0
					for k, tr := range l.Trades {
						if tr == t {
							u = math.Min(1, float64(l.Pupils[k])/50)
						}
					}
				case l.TradesSource == "name" && slices.Contains(l.Trades, t):
					u = 1
				}
				sum += u * decayLit(d, 15, 45)
			}
			// The lycées wanted are shared among the families.
			training += math.Min(1, sum/(need/float64(len(wanted)))) / float64(len(wanted))
		}
	}
	out["training"] = training

	if p.LandHa != nil {
		out["land"] = b.land(s, *p.LandHa)
	}

	if eco, ok := bruteEcosystem(b.cat, p, band, s); ok {
		out["ecosystem"] = eco
	}

	territory := 0.0
	if f.ti != "" {
		territory += 0.4
	}
	sc, _ := b.cat.Commune(s.Commune)
	territory += 0.2 * litFRR[sc.FRR]
	if f.acv {
		territory += 0.25
	}
	if s.Kind == "turnkey" || (s.Kind == "brownfield" && s.Status == "friche sans projet") {
		territory += 0.15
	}
	out["territory"] = territory

	// Energy, when weighted, for a mainland site: 0.6·decay(≥ 225 kV, 10,
	// 60) + 0.25·decay(any voltage, 3, 25) + 0.15·min(1, remaining MW / 50).
	if p.Weights["energy"] > 0 && landLit(sc.Dep) == "metropole" {
		en := 0.0
		if f.hv.Index >= 0 {
			en += 0.6 * decayLit(f.hv.Km, 10, 60)
		}
		if f.anyV.Index >= 0 {
			en += 0.25 * decayLit(f.anyV.Km, 3, 25)
		}
		if f.source.Index >= 0 {
			en += 0.15 * clampLit(b.cat.Substations[f.source.Index].RemainingMW/50, 0, 1)
		}
		out["energy"] = en
	}
	// Seveso platform, for a project declaring a tier: decay(km to the
	// nearest upper-tier establishment, 3, 30).
	if p.Seveso != "" && p.Weights["seveso_platform"] > 0 {
		out["seveso_platform"] = decayLit(f.seveso.Km, 3, 30)
	}

	num, den = 0, 0
	for c, sc := range out {
		num += p.Weights[c] * sc
		den += p.Weights[c]
	}
	if den == 0 {
		return out, 0
	}
	return out, 100 * num / den
}

func intp(v int) *int         { return &v }
func f64p(v float64) *float64 { return &v }
func at(code string) Partner  { return Partner{Commune: code} }
func atW(code string, w float64) Partner {
	return Partner{Commune: code, Weight: f64p(w)}
}
func lonLat(lon, lat float64) Partner { return Partner{Lon: f64p(lon), Lat: f64p(lat)} }

// TestCriteriaByHand scores a few real sites of the embedded catalogue by
// hand (brute force and DESIGN.md's formulas) and checks the engine's
// ranking pass, features, weights and contributions against it to 1e-9.
func TestCriteriaByHand(t *testing.T) {
	e := SharedEngine(t)
	b := newBrute(e.Catalogue())
	cases := []struct {
		name    string
		site    string
		project Project
	}{
		{
			name: "turnkey at Le Havre, chemistry profile",
			site: "turnkey:NOR-1", // 54 ha at Gonfreville-l'Orcher
			project: Project{Name: "Chimie de spécialité", Sector: "chemistry", Jobs: intp(120), LandHa: f64p(20),
				Suppliers: []Partner{atW("76351", 3), at("69276"), lonLat(4.94, 43.44)},
				Customers: []Partner{at("76540"), atW("64300", 0.5)}},
		},
		{
			name: "small turnkey in Aveyron, explicit weights and a zero weight",
			site: "turnkey:OCC-6", // 6 ha at Decazeville
			project: Project{Name: "Usinage aéronautique", Jobs: intp(51), LandHa: f64p(4),
				Trades:    []string{"usinage", "aeronautique", "automobile", "usinage"},
				Suppliers: []Partner{at("31555"), at("12202"), at("31069")},
				Transport: map[string]float64{Airport: 1, Motorway: 0, Station: 2},
				Weights:   map[string]float64{SupplyChain: 10, Transport: 20, Labour: 0, Training: 40, Land: 7, Territory: 3}},
		},
		{
			name: "brownfield without project in Amiens, agrifood profile",
			site: "brownfield:80021_17689",
			project: Project{Name: "Légumerie", Sector: "agrifood", Jobs: intp(150), LandHa: f64p(0.5), // the site has 0.62 ha
				Suppliers: []Partner{atW("80021", 2), lonLat(2.83, 50.28)},
				Customers: []Partner{lonLat(1.06, 49.44)}},
		},
		{
			name: "ACV town without jobs, land or partners",
			site: "town:acv-80001", // Abbeville
			project: Project{Name: "Atelier", Transport: map[string]float64{Station: 1},
				Weights: map[string]float64{Training: 1}},
		},
		{
			name: "town with land asked: its largest plot within 10 km",
			site: "town:acv-80001",
			project: Project{Name: "Atelier", Sector: "metalworking", Jobs: intp(2000), LandHa: f64p(3),
				Suppliers: []Partner{at("80021")}},
		},
		{
			name: "industrial brownfield of unknown area at Colombelles: its type's distribution",
			site: "brownfield:14118_22475",
			project: Project{Name: "Usine", Sector: "metalworking", Jobs: intp(80), LandHa: f64p(3),
				Suppliers: []Partner{at("14118")}},
		},
		{
			name: "brownfield of untyped unknown area: the untyped distribution",
			site: "brownfield:01004_23116",
			project: Project{Name: "Entrepôt", Sector: "logistics", Jobs: intp(40), LandHa: f64p(12),
				Customers: []Partner{at("69123")}},
		},
		{
			name: "brownfield of 455 ha, read as unknown",
			site: "brownfield:05063_1078",
			project: Project{Name: "Atelier", Jobs: intp(20), LandHa: f64p(2), Trades: []string{"usinage", "maintenance"},
				Suppliers: []Partner{at("05061")}},
		},
		{
			name: "town with a large need: no plot, land 0",
			site: "town:acv-25388",
			project: Project{Name: "Gigafactory", Sector: "energy", Jobs: intp(1500), LandHa: f64p(150),
				Customers: []Partner{at("25388")}},
		},
		{
			name: "DROM brownfield at Le Port, Réunion",
			site: "brownfield:97407_20188",
			project: Project{Name: "Conserverie", Jobs: intp(40), LandHa: f64p(5), Trades: []string{"agroalimentaire"},
				Suppliers: []Partner{at("97411"), at("13055")},
				Transport: map[string]float64{Motorway: 1, Port: 1, Airport: 0.5}},
		},
		{
			name: "just-in-time supplier for Sochaux, automotive profile (15-90 km)",
			site: "town:acv-25388", // Montbéliard
			project: Project{Name: "Modules de sièges", Sector: "automotive", Jobs: intp(250),
				Customers: []Partner{atW("25565", 4), at("68224"), at("90010"), at("25056")}},
		},
		{
			name: "national platform, logistics profile (50-1000 km), partners all over France",
			site: "turnkey:ARA-1", // Alixan (Drôme)
			project: Project{Name: "Plateforme nationale", Sector: "logistics", Jobs: intp(300), LandHa: f64p(20),
				Customers: []Partner{at("13055"), at("59350"), at("33063"), at("31555"), at("67482"), at("44109"), at("75056")}},
		},
		{
			name: "centrality set by the project, chemistry profile (near 25 km), partners around the Seine estuary",
			site: "turnkey:NOR-1",
			project: Project{Name: "Centralité", Sector: "chemistry", Supply: SupplyDecay{Mode: SupplyModeCentrality},
				Suppliers: []Partner{at("76351"), atW("76540", 3), at("27229"), at("14118")}},
		},
		{
			name: "logistics project back to the decay (50-1000 km)",
			site: "turnkey:ARA-1",
			project: Project{Name: "Plateforme régionale", Sector: "logistics", Supply: SupplyDecay{Mode: SupplyModeDecay},
				Customers: []Partner{at("69123"), at("38185"), at("26362")}},
		},
		{
			name: "project override of the decay, near only then both",
			site: "turnkey:NOR-1",
			project: Project{Name: "Override", Sector: "chemistry", Supply: SupplyDecay{NearKm: f64p(5)},
				Suppliers: []Partner{at("76351"), at("76540"), at("27229")}},
		},
		{
			name: "project override of both ends",
			site: "turnkey:NOR-1",
			project: Project{Name: "Override", Supply: SupplyDecay{NearKm: f64p(0), FarKm: f64p(40.5)},
				Suppliers: []Partner{at("76351"), at("76540"), at("27229")}},
		},
		{
			name:    "aircraft maker in Toulouse, naf 30.30Z: ecosystem from IREP establishments",
			site:    "brownfield:31555_21249",
			project: Project{Name: "Aérostructures", Sector: "aeronautics", NAF: "30.30Z", Jobs: intp(150)},
		},
		{
			name:    "chemicals in Seine-Maritime, naf 20.14: ecosystem from Urssaf jobs (sample covers 76)",
			site:    "turnkey:NOR-1",
			project: Project{Name: "Chimie de base", Sector: "chemistry", NAF: "20.14", Jobs: intp(80), Weights: map[string]float64{Ecosystem: 40}},
		},
		{
			name: "Seveso chlor-alkali on the Le Havre platform, chemistry profile with energy",
			site: "turnkey:NOR-1",
			project: Project{Name: "Chlore-alcali", Sector: "chemistry", Jobs: intp(150), LandHa: f64p(20), Seveso: SevesoUpper,
				Suppliers: []Partner{at("13039")}},
		},
		{
			name: "Réunion brownfield, energy weighted: not applicable off the mainland",
			site: "brownfield:97407_20188",
			project: Project{Name: "Électrolyseur", Sector: "energy", Jobs: intp(40),
				Suppliers: []Partner{at("97411")}},
		},
		{
			name: "turnkey in Cergy, aeronautics profile, one far customer",
			site: "turnkey:IDF-1",
			project: Project{Name: "Pièces composites", Sector: "aeronautics", Jobs: intp(1), LandHa: f64p(2.5),
				Customers: []Partner{at("31069")}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := e.Candidate(tc.site)
			if !ok {
				t.Fatalf("no site %q in the catalogue", tc.site)
			}
			if len(c.Site.Outline) > 0 {
				t.Fatalf("%s now has an outline: the brute force measures from points, pick a point site", tc.site)
			}
			f := b.features(c.Site)
			resolved := Resolve(tc.project)
			p := tc.project
			p.Constraints = Constraints{Departements: []string{c.Commune.Dep}, Kinds: []string{c.Site.Kind}}
			// By centrality, the best mean over the sites the engine finds
			// eligible under the constraints below, measured by hand.
			bestKm := math.Inf(1)
			if resolved.Supply.Mode == SupplyModeCentrality {
				all, err := e.ScoreAll(p)
				if err != nil {
					t.Fatal(err)
				}
				for _, cs := range all {
					if cs.Excluded == "" {
						if len(cs.Candidate.Site.Outline) > 0 {
							t.Fatalf("%s has an outline: the brute force measures from points", cs.Candidate.Site.ID)
						}
						bestKm = math.Min(bestKm, meanKmLit(cs.Candidate.Site.Point, b.partners(resolved)))
					}
				}
				t.Logf("best weighted mean partner distance %.3f km", bestKm)
			}
			want, wantTotal := b.scores(resolved, tc.project.Supply, b.partners(resolved), c.Site, f, bestKm)
			t.Logf("by hand: %v, total %.4f", want, wantTotal)

			// The precomputed features are the brute-force ones.
			for m := range litModes {
				if c.Nearest[m].Index != f.nearest[m].Index || math.Abs(c.Nearest[m].Km-f.nearest[m].Km) > 1e-9 {
					t.Errorf("nearest %s = %+v, brute force %+v", litModes[m], c.Nearest[m], f.nearest[m])
				}
			}
			if c.Active != f.active || c.Unemployed != f.unemployed || c.Communes != f.communes {
				t.Errorf("labour pool = %d active, %d unemployed, %d communes; brute force %d, %d, %d",
					c.Active, c.Unemployed, c.Communes, f.active, f.unemployed, f.communes)
			}
			if len(c.Lycees) != f.lycees {
				t.Errorf("%d lycées within 45 km, brute force %d", len(c.Lycees), f.lycees)
			}
			if c.Commune.TI != f.ti || (c.ACV >= 0) != f.acv {
				t.Errorf("territoire %q, ACV %v; brute force %q, %v", c.Commune.TI, c.ACV >= 0, f.ti, f.acv)
			}

			res, err := e.Match(p, Options{Limit: MaxLimit, MaxPerCommune: MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			var got *Ranked
			for i := range res.Results {
				if res.Results[i].Candidate.Site.ID == tc.site {
					got = &res.Results[i]
				}
				if slices.Contains(res.Results[i].Twins, tc.site) {
					// Merged into a better site at its coordinates: score
					// it side by side with that one.
					cmp, err := e.Compare(p, []string{tc.site, res.Results[i].Candidate.Site.ID})
					if err != nil {
						t.Fatal(err)
					}
					got = &cmp.Sites[0].Ranked
					t.Logf("%s is a twin of %s", tc.site, res.Results[i].Candidate.Site.ID)
				}
			}
			if got == nil {
				t.Fatalf("%s not among the %d results nor their twins", tc.site, len(res.Results))
			}
			var wsum float64
			for id := range want {
				wsum += resolved.Weights[id]
			}
			var ids []string
			var sum float64
			for _, cr := range got.Criteria {
				ids = append(ids, cr.ID)
				w, ok := want[cr.ID]
				if !ok {
					t.Errorf("%s scored, but it does not apply", cr.ID)
					continue
				}
				if math.Abs(cr.Score-w) > 1e-9 {
					t.Errorf("%s = %.12f, by hand %.12f", cr.ID, cr.Score, w)
				}
				if ww := resolved.Weights[cr.ID] / wsum; math.Abs(cr.Weight-ww) > 1e-9 {
					t.Errorf("%s weight = %v, want %v", cr.ID, cr.Weight, ww)
				}
				if math.Abs(cr.Contribution-100*cr.Weight*cr.Score) > 1e-9 {
					t.Errorf("%s contribution = %v, want 100·%v·%v", cr.ID, cr.Contribution, cr.Weight, cr.Score)
				}
				sum += cr.Contribution
			}
			if len(ids) != len(want) {
				t.Errorf("criteria %v, by hand %v", ids, want)
			}
			if math.Abs(got.Score-wantTotal) > 1e-9 {
				t.Errorf("score = %.12f, by hand %.12f", got.Score, wantTotal)
			}
			if math.Abs(sum-got.Score) > 1e-9 {
				t.Errorf("contributions add up to %.12f, score %.12f", sum, got.Score)
			}
			var na []string
			for _, id := range Criteria {
				if _, ok := want[id]; !ok && !(id == Land && resolved.LandHa != nil) && !(id == Energy && resolved.Weights[Energy] > 0) {
					na = append(na, id)
				}
			}
			if !slices.Equal(res.NotApplicable, na) {
				t.Errorf("not_applicable = %v, want %v", res.NotApplicable, na)
			}
			checkDetails(t, e, got, f)
		})
	}
}

// checkDetails checks that the numbers behind the scores are the
// brute-force ones.
func checkDetails(t *testing.T, e *Engine, r *Ranked, f bruteSite) {
	t.Helper()
	for _, cr := range r.Criteria {
		switch d := cr.Detail.(type) {
		case *TransportDetail:
			for _, md := range d.Modes {
				m := slices.Index(litModes[:], md.Mode)
				n, _ := e.Node(m, f.nearest[m])
				if md.ID != n.ID || md.Km != math.Round(f.nearest[m].Km*10)/10 {
					t.Errorf("transport %s: %s at %v km, brute force %s at %.3f km", md.Mode, md.ID, md.Km, n.ID, f.nearest[m].Km)
				}
			}
		case *LabourDetail:
			if d.Active != f.active || d.Unemployed != f.unemployed {
				t.Errorf("labour detail %+v, brute force %d active", d, f.active)
			}
		case *TrainingDetail:
			if d.Count != f.lycees || len(d.Nearest) != min(3, f.lycees) {
				t.Errorf("training detail counts %d lycées (%d nearest), brute force %d", d.Count, len(d.Nearest), f.lycees)
			}
			for _, tr := range d.Matched {
				if !f.trades[tr] {
					t.Errorf("trade %s matched, but no lycée within 45 km teaches it", tr)
				}
			}
			for _, tr := range d.Unmatched {
				if f.trades[tr] {
					t.Errorf("trade %s unmatched, but a lycée within 45 km teaches it", tr)
				}
			}
		case *EnergyDetail:
			for _, x := range []struct {
				name string
				got  *SubstationNear
				want NodeRef
			}{{"≥ 225 kV", d.HV, f.hv}, {"any voltage", d.Any, f.anyV}, {"poste source", d.Source, f.source}} {
				if x.want.Index < 0 {
					if x.got != nil {
						t.Errorf("energy %s: %+v, brute force none", x.name, x.got)
					}
					continue
				}
				ws := e.Catalogue().Substations[x.want.Index]
				if x.got == nil || x.got.ID != ws.ID || x.got.Km != math.Round(x.want.Km*10)/10 {
					t.Errorf("energy %s: %+v, brute force %s at %.3f km", x.name, x.got, ws.ID, x.want.Km)
				}
			}
			if f.source.Index >= 0 && d.RemainingMW != e.Catalogue().Substations[f.source.Index].RemainingMW {
				t.Errorf("energy remaining MW %v, brute force %v", d.RemainingMW, e.Catalogue().Substations[f.source.Index].RemainingMW)
			}
		case *SevesoDetail:
			if f.seveso.Index < 0 || d.ID != e.Catalogue().Seveso[f.seveso.Index].ID {
				t.Errorf("seveso detail %+v, brute force %+v", d, f.seveso)
			}
		case *TerritoryDetail:
			if d.FRR != c0FRR(e, r) {
				t.Errorf("territory FRR %q, commune's %q", d.FRR, c0FRR(e, r))
			}
			if d.TerritoireIndustrie != f.ti || (d.ACVTown != "") != f.acv {
				t.Errorf("territory detail %+v, brute force TI %q ACV %v", d, f.ti, f.acv)
			}
		}
	}
}

// TestFeaturesMatchBruteForce compares the features precomputed by
// NewEngine with a scan of every layer, on a seeded sample of candidates.
func TestFeaturesMatchBruteForce(t *testing.T) {
	e := SharedEngine(t)
	b := newBrute(e.Catalogue())
	seed := RandSeed(t)
	rng := rand.New(rand.NewPCG(seed, 2))
	cands := e.Candidates()
	n := 150
	if testing.Short() {
		n = 30
	}
	for range n {
		c := &cands[rng.IntN(len(cands))]
		if len(c.Site.Outline) > 0 {
			continue // measured from its outline, not its point
		}
		f := b.features(c.Site)
		for m := range litModes {
			if c.Nearest[m].Index != f.nearest[m].Index || math.Abs(c.Nearest[m].Km-f.nearest[m].Km) > 1e-9 {
				t.Errorf("%s: nearest %s = %+v, brute force %+v", c.Site.ID, litModes[m], c.Nearest[m], f.nearest[m])
			}
		}
		if c.Active != f.active || c.Unemployed != f.unemployed || c.Communes != f.communes || len(c.Lycees) != f.lycees {
			t.Errorf("%s: pool %d/%d/%d, %d lycées; brute force %d/%d/%d, %d", c.Site.ID,
				c.Active, c.Unemployed, c.Communes, len(c.Lycees), f.active, f.unemployed, f.communes, f.lycees)
		}
		if c.Commune.TI != f.ti || (c.ACV >= 0) != f.acv {
			t.Errorf("%s: TI %q ACV %v; brute force %q %v", c.Site.ID, c.Commune.TI, c.ACV >= 0, f.ti, f.acv)
		}
		var trades []string
		for _, tf := range data.TradeFamilies {
			trades = append(trades, tf.ID)
		}
		found, _ := e.TradesNear(c, trades)
		if len(found) != len(f.trades) {
			t.Errorf("%s: trades near %v, brute force %v", c.Site.ID, found, f.trades)
		}
		for i := 1; i < len(c.Lycees); i++ {
			if c.Lycees[i-1].Km > c.Lycees[i].Km {
				t.Errorf("%s: lycées not sorted by distance", c.Site.ID)
			}
		}
	}
}

// north returns the point km kilometres north of p along its meridian.
func north(p orb.Point, km float64) orb.Point {
	return orb.Point{p[0], p[1] + km/geo.EarthRadiusKm*180/math.Pi}
}

func partnerAt(p orb.Point, w float64) partner {
	return partner{Point: p, Weight: w, unit: geo.ToUnit(p)}
}

func TestSupplyChainScore(t *testing.T) {
	site := orb.Point{2, 46}
	cases := []struct {
		name     string
		partners []partner
		result   float64
	}{
		{name: "no partner", partners: nil, result: 0},
		{name: "on the site", partners: []partner{partnerAt(site, 1)}, result: 1},
		{name: "just inside 25 km", partners: []partner{partnerAt(north(site, 24.999), 1)}, result: 1},
		{name: "middle of the band", partners: []partner{partnerAt(north(site, 162.5), 1)}, result: 0.5},
		{name: "80 km", partners: []partner{partnerAt(north(site, 80), 1)}, result: 0.8},
		{name: "just beyond 300 km", partners: []partner{partnerAt(north(site, 300.001), 1)}, result: 0},
		{name: "other side of the world", partners: []partner{partnerAt(orb.Point{55.45, -20.9}, 1)}, result: 0},
		{name: "weighted", partners: []partner{partnerAt(site, 3), partnerAt(north(site, 400), 1)}, result: 0.75},
		{name: "two equal", partners: []partner{partnerAt(site, 1), partnerAt(north(site, 80), 1)}, result: 0.9},
		{name: "zero total weight", partners: []partner{partnerAt(site, 0)}, result: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := supplyChainScore(geo.ToUnit(site), tc.partners, &defaultBand); math.Abs(got-tc.result) > 1e-9 {
				t.Errorf("SupplyChainScore = %.12f, want %v", got, tc.result)
			}
		})
	}
}

// TestSupplyBandsAreExact checks the chord-based decay of every profile's
// band, of the default and of extreme overrides against decay(haversine
// distance) on seeded random partners around the band's ends and inside it,
// and the band's series arc against math.Asin to float64 rounding.
func TestSupplyBandsAreExact(t *testing.T) {
	bands := [][2]float64{{25, 300}, {15, 90}, {0, 1}, {0, 20000}, {4999, 5000}, {50, 1000}, {1, 2000}}
	for _, p := range Profiles {
		bands = append(bands, [2]float64{p.SupplyNearKm, p.SupplyFarKm})
	}
	rng := rand.New(rand.NewPCG(RandSeed(t), 7))
	for _, nf := range bands {
		b := newSupplyBand(nf[0], nf[1])
		for range 2000 {
			site := orb.Point{-5 + 15*rng.Float64(), 41 + 10*rng.Float64()}
			var d float64
			switch rng.IntN(3) {
			case 0:
				d = nf[0] + (nf[1]-nf[0])*rng.Float64()
			case 1:
				d = nf[0] * (1 + 1e-6*(rng.Float64()-0.5))
			default:
				d = nf[1] * (1 + 1e-6*(rng.Float64()-0.5))
			}
			pt := north(site, d)
			if pt[1] > 89 {
				continue
			}
			u, v := geo.ToUnit(site), geo.ToUnit(pt)
			km := geo.DistanceKm(site, pt)
			if got, want := b.decayChord(chord2(u, v)), decayLit(km, nf[0], nf[1]); math.Abs(got-want) > 1e-9 {
				t.Errorf("band %v: decay at %.9f km = %.15f, want %.15f", nf, km, got, want)
			}
			if c2 := chord2(u, v); c2 > b.nearC2 && c2 < b.farC2 {
				if got, want := b.arcKm(c2), arcKm(c2); math.Abs(got-want) > 2e-15*want {
					t.Errorf("band %v: arc %.17g km by %d series terms, %.17g by asin", nf, got, b.terms, want)
				}
			}
		}
	}
}

func TestTransportScore(t *testing.T) {
	nodesAt := func(km ...float64) [5]NodeRef {
		var n [5]NodeRef
		for i, k := range km {
			n[i] = NodeRef{Index: 0, Km: k}
			if k < 0 {
				n[i].Index = -1
			}
		}
		return n
	}
	cases := []struct {
		name       string
		nearest    [5]NodeRef // motorway, rail_freight, station, airport, port; negative km: empty layer
		importance [5]float64
		result     float64
	}{
		{name: "no mode wanted", nearest: nodesAt(0, 0, 0, 0, 0), importance: [5]float64{}, result: 0},
		{name: "motorway at 5 km", nearest: nodesAt(5, 0, 0, 0, 0), importance: [5]float64{1}, result: 1},
		{name: "motorway half way", nearest: nodesAt(27.5, 0, 0, 0, 0), importance: [5]float64{1}, result: 0.5},
		{name: "motorway at 50 km", nearest: nodesAt(50, 0, 0, 0, 0), importance: [5]float64{1}, result: 0},
		{name: "station far end is 40 km", nearest: nodesAt(0, 0, 22.5, 0, 0), importance: [5]float64{0, 0, 1}, result: 0.5},
		{name: "empty layer scores 0 but counts", nearest: nodesAt(0, 0, 0, 0, -1), importance: [5]float64{1, 0, 0, 0, 1}, result: 0.5},
		{name: "empty layer not wanted", nearest: nodesAt(0, -1, -1, -1, -1), importance: [5]float64{1}, result: 1},
		{name: "airport and port half way", nearest: nodesAt(0, 0, 0, 90, 140), importance: [5]float64{0, 0, 0, 1, 1}, result: 0.5},
		{name: "importances weigh", nearest: nodesAt(0, 0, 40, 0, 0), importance: [5]float64{1, 0, 3, 0, 0}, result: 0.25},
		{name: "zero and negative importances ignored", nearest: nodesAt(0, 100, 100, 0, 0), importance: [5]float64{2, 0, -1, 0, 0}, result: 1},
		{name: "every layer empty", nearest: nodesAt(-1, -1, -1, -1, -1), importance: [5]float64{1, 1, 1, 1, 1}, result: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := TransportScore(tc.nearest[:], tc.importance[:]); math.Abs(got-tc.result) > 1e-9 {
				t.Errorf("TransportScore = %.12f, want %v", got, tc.result)
			}
		})
	}
}

func TestLabourScore(t *testing.T) {
	cases := []struct {
		name                     string
		active, unemployed, jobs int
		result                   float64
	}{
		{name: "no jobs", active: 1000, unemployed: 100, jobs: 0, result: 0},
		{name: "no active population", active: 0, unemployed: 0, jobs: 100, result: 0},
		{name: "no unemployed: the movers fill the other employers' hires", active: 100_000, jobs: 25, result: 0},
		{name: "two candidates per opening", active: 1150, unemployed: 150, jobs: 75, result: 0},
		{name: "ten candidates per opening", active: 10_000, unemployed: 1000, jobs: 100, result: 0.9 * math.Log(5) / math.Log(10)},
		{name: "staffed: twenty per opening", active: 40_000, unemployed: 4000, jobs: 200, result: 0.9},
		{name: "Chalon-sur-Saône pool, 200 jobs", active: 112_739, unemployed: 10_918, jobs: 200,
			result: 0.9 + 0.1*math.Log(10_918.0/200/20)/math.Log(500)},
		{name: "Douchy-les-Mines pool, 200 jobs", active: 366_482, unemployed: 62_288, jobs: 200,
			result: 0.9 + 0.1*math.Log(62_288.0/200/20)/math.Log(500)},
		{name: "deep: 10,000 per opening", active: 8_000_000, unemployed: 1_000_000, jobs: 100, result: 1},
		{name: "largest project", active: 400_000, unemployed: 40_000, jobs: 100_000, result: 0}, // 0.4 per opening
		{name: "every active unemployed", active: 5000, unemployed: 5000, jobs: 100, result: 0.9 + 0.1*math.Log(50.0/20)/math.Log(500)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LabourScore(tc.active, tc.unemployed, tc.jobs); math.Abs(got-tc.result) > 1e-9 {
				t.Errorf("LabourScore(%d, %d, %d) = %.12f, want %v", tc.active, tc.unemployed, tc.jobs, got, tc.result)
			}
		})
	}
}

func TestTrainingScore(t *testing.T) {
	for km, w := range map[float64]float64{0: 1, 15: 1, 22.5: 0.75, 30: 0.5, 29.9: 15.1 / 30, 30.1: 14.9 / 30, 45: 0, 60: 0} {
		if got := LyceeWeight(km); math.Abs(got-w) > 1e-12 {
			t.Errorf("LyceeWeight(%v) = %v, want %v", km, got, w)
		}
	}
	cases := []struct {
		name   string
		weight float64
		taught []float64 // T_f = Σ LyceeWeight·LyceeFamilyShare
		jobs   int
		need   int
		result float64
	}{
		{name: "no lycée", weight: 0, jobs: 100, need: 2, result: 0},
		{name: "no jobs given wants one lycée", weight: 1, jobs: 0, need: 1, result: 1},
		{name: "51 jobs want two", weight: 1, jobs: 51, need: 2, result: 0.5},
		{name: "one lycée at 30 km counts half", weight: 0.5, jobs: 50, need: 1, result: 0.5},
		{name: "more than enough", weight: 30, jobs: 100, need: 2, result: 1},
		{name: "largest project", weight: 100, jobs: 100_000, need: 2000, result: 0.05},
		{name: "no requested family taught: 0, whatever the lycées", weight: 4, taught: []float64{0, 0}, jobs: 100, need: 2, result: 0},
		{name: "one of two families taught: half, not zero", weight: 4, taught: []float64{4, 0}, jobs: 100, need: 2, result: 0.5},
		{name: "two families share the two lycées wanted", weight: 2, taught: []float64{0.5, 1}, jobs: 100, need: 2, result: 0.75},
		{name: "family taught by 25 pupils in two near lycées", weight: 2, taught: []float64{1}, jobs: 100, need: 2, result: 0.5},
		{name: "few lycées, family taught", weight: 0.6, taught: []float64{0.6}, jobs: 10, need: 1, result: 0.6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LyceesNeeded(tc.jobs); got != tc.need {
				t.Errorf("LyceesNeeded(%d) = %d, want %d", tc.jobs, got, tc.need)
			}
			if got := TrainingScore(tc.weight, tc.taught, tc.jobs); math.Abs(got-tc.result) > 1e-9 {
				t.Errorf("TrainingScore = %.12f, want %v", got, tc.result)
			}
		})
	}
}

func TestLandScore(t *testing.T) {
	cases := []struct {
		name   string
		site   data.Site
		need   float64
		result float64
	}{
		{name: "unknown area", site: data.Site{Kind: data.KindBrownfield}, need: 12, result: 0.5},
		{name: "unknown area, tiny need", site: data.Site{Kind: data.KindTurnkey}, need: 0.01, result: 0.5},
		{name: "room to double", site: data.Site{AreaHa: 24, AreaKnown: true}, need: 12, result: 1},
		{name: "exactly the need", site: data.Site{AreaHa: 12, AreaKnown: true}, need: 12, result: 1 / (2 - 0.75*math.Log10(1.2))},
		{name: "far more", site: data.Site{AreaHa: 187, AreaKnown: true}, need: 1, result: 1},
		{name: "too small", site: data.Site{AreaHa: 6, AreaKnown: true}, need: 12, result: 6 / (12 * (2 - 0.75*math.Log10(1.2)))},
		{name: "small need: twice", site: data.Site{AreaHa: 10, AreaKnown: true}, need: 10, result: 0.5},
		{name: "30 ha need: 64 % margin", site: data.Site{AreaHa: 40, AreaKnown: true}, need: 30, result: 40 / (30 * (2 - 0.75*math.Log10(3)))},
		{name: "gigafactory: a quarter more is full", site: data.Site{AreaHa: 150, AreaKnown: true}, need: 120, result: 1},
		{name: "gigafactory: exactly the need", site: data.Site{AreaHa: 120, AreaKnown: true}, need: 120, result: 0.8},
		{name: "Loon-Plage, 164 ha for 120", site: data.Site{AreaHa: 164, AreaKnown: true}, need: 120, result: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LandScore(&tc.site, tc.need); math.Abs(got-tc.result) > 1e-9 {
				t.Errorf("LandScore = %.12f, want %v", got, tc.result)
			}
		})
	}
}

func TestTerritoryScore(t *testing.T) {
	cand := func(ti string, acv int, kind, status string) *Candidate {
		return &Candidate{Commune: data.Commune{TI: ti, FRR: data.FRRNone}, ACV: acv, Site: data.Site{Kind: kind, Status: status}}
	}
	frr := func(class string, c *Candidate) *Candidate { c.Commune.FRR = class; return c }
	cases := []struct {
		name   string
		c      *Candidate
		result float64
	}{
		{name: "nothing applies", c: cand("", -1, data.KindTown, ""), result: 0},
		{name: "all four", c: frr(data.FRRPlus, cand("ti-3202", 0, data.KindTurnkey, "")), result: 1},
		{name: "all three without FRR", c: cand("ti-3202", 0, data.KindTurnkey, ""), result: 0.8},
		{name: "territoire only", c: cand("ti-3202", -1, data.KindZone, ""), result: 0.4},
		{name: "ACV only", c: cand("", 12, data.KindTown, ""), result: 0.25},
		{name: "turnkey only", c: cand("", -1, data.KindTurnkey, ""), result: 0.15},
		{name: "brownfield without project", c: cand("", -1, data.KindBrownfield, "friche sans projet"), result: 0.15},
		{name: "brownfield with project", c: cand("", -1, data.KindBrownfield, "friche avec projet"), result: 0},
		{name: "brownfield of unknown status", c: cand("ti-1", 3, data.KindBrownfield, "inconnu"), result: 0.65},
		{name: "zone is not a ready site", c: cand("", 3, data.KindZone, "friche sans projet"), result: 0.25},
		{name: "FRR+ only", c: frr(data.FRRPlus, cand("", -1, data.KindZone, "")), result: 0.2},
		{name: "FRR socle only", c: frr(data.FRRSocle, cand("", -1, data.KindZone, "")), result: 0.15},
		{name: "FRR partial only", c: frr(data.FRRPartial, cand("", -1, data.KindZone, "")), result: 0.1},
		{name: "FRR bénéficiaire only", c: frr(data.FRRBeneficiary, cand("", -1, data.KindZone, "")), result: 0.1},
		{name: "FRR bénéficiaire partiellement only", c: frr(data.FRRBeneficiaryPartial, cand("", -1, data.KindZone, "")), result: 0.05},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := TerritoryScore(tc.c); math.Abs(got-tc.result) > 1e-9 {
				t.Errorf("TerritoryScore = %.12f, want %v", got, tc.result)
			}
		})
	}
}

func c0FRR(e *Engine, r *Ranked) string { return r.Candidate.Commune.FRR }

// landfillLit: a brownfield whose name or activity names a landfill
// (décharge as a word, ordures ménagères, enfouissement, stockage des
// déchets), accents optional.
func landfillLit(s data.Site) bool {
	for _, text := range []string{s.Name, s.Activity} {
		t := strings.NewReplacer("é", "e", "É", "e", "è", "e").Replace(strings.ToLower(text))
		for _, w := range []string{"decharge", "ordures menageres", "enfouissement", "stockage des dechets"} {
			for i := strings.Index(t, w); i >= 0; {
				rest := strings.TrimPrefix(t[i+len(w):], "s")
				if w != "decharge" || rest == "" || !unicode.IsLetter([]rune(rest)[0]) && !unicode.IsDigit([]rune(rest)[0]) {
					return true
				}
				j := strings.Index(t[i+1:], w)
				if j < 0 {
					break
				}
				i += 1 + j
			}
		}
	}
	return false
}

// nonIndustrialNameLit: a brownfield of a silent type (none, "mixte",
// "autre") whose name (after "friche:" when present) holds, as a whole
// word not inside a hyphenated place name, a non-industrial use.
func nonIndustrialNameLit(s data.Site) bool {
	typ := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s.SiteType)), "friche ")
	if s.Kind != "brownfield" || typ != "" && typ != "mixte" && typ != "autre" {
		return false
	}
	name := s.Name
	if i := strings.LastIndex(strings.ToLower(name), "friche:"); i >= 0 {
		name = name[i+len("friche:"):]
	}
	t := strings.NewReplacer("é", "e", "É", "e", "è", "e", "ô", "o", "Ô", "o").Replace(strings.ToLower(name))
	words := []string{"hippodrome", "tribune", "tribunes", "stade", "stades", "piscine", "piscines", "golf", "camping",
		"ecole", "ecoles", "college", "colleges", "lycee", "lycees", "groupe scolaire", "hopital", "clinique", "ehpad",
		"eglise", "presbytere", "cinema", "hotel", "logement", "logements"}
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(t[i:], w)
			if j < 0 {
				break
			}
			a, b := i+j, i+j+len(w)
			okBefore := a == 0 || !unicode.IsLetter([]rune(t[:a])[len([]rune(t[:a]))-1])
			okAfter := b == len(t) || !unicode.IsLetter([]rune(t[b:])[0])
			hyph := strings.HasSuffix(t[:a], "-") || strings.HasSuffix(t[:a], "-l'")
			if okBefore && okAfter && !hyph {
				return true
			}
			i = a + 1
		}
	}
	return false
}
