package wire

import (
	"cmp"
	"math"
	"slices"

	"sitematch/matching"
)

// PartnerDistanceJSON is one partner seen from a site.
type PartnerDistanceJSON struct {
	Name    string  `json:"name,omitempty"`
	Role    string  `json:"role"`
	Commune string  `json:"commune,omitempty"`
	Km      float64 `json:"km"`
	Weight  float64 `json:"weight"`
	Score   float64 `json:"score"`
}

// MaxPartnerDetail is how many partners a result lists one by one, the
// nearest; the others are summarised (OtherPartnersJSON), so that an
// answer's size does not grow with limit × partners.
const MaxPartnerDetail = 10

// SupplyChainDetailJSON is the detail of the supply_chain criterion: the
// nearest MaxPartnerDetail partners, nearest first (ties in the project's
// order), and a summary of the others when there are more.
type SupplyChainDetailJSON struct {
	FarKm    float64               `json:"far_km"`
	NearKm   float64               `json:"near_km"`
	Partners []PartnerDistanceJSON `json:"partners"`
	Others   *OtherPartnersJSON    `json:"others,omitempty"`
	Mode     string                `json:"mode"`
	// By centrality: the site's weighted mean partner distance, the least
	// over the eligible sites and the site that has it.
	MeanKm     *float64 `json:"mean_km,omitempty"`
	BestMeanKm *float64 `json:"best_mean_km,omitempty"`
	BestSite   string   `json:"best_site,omitempty"`
}

// OtherPartnersJSON summarises the partners a result does not list: how
// many, their total weight, their weighted mean score and their mean
// distance (km, rounded to 0.1).
type OtherPartnersJSON struct {
	Count  int     `json:"count"`
	Weight float64 `json:"weight"`
	MeanKm float64 `json:"mean_km"`
	Score  float64 `json:"score"`
}

func newSupplyChainDetailJSON(d *matching.SupplyChainDetail) SupplyChainDetailJSON {
	order := partnerOrder(d, nil)
	n := min(len(order), MaxPartnerDetail)
	ps := make([]PartnerDistanceJSON, n)
	for i, k := range order[:n] {
		p := &d.Partners[k]
		ps[i] = PartnerDistanceJSON{p.Name, p.Role, p.Commune, p.Km, p.Weight, Round(p.Score, 4)}
	}
	out := SupplyChainDetailJSON{FarKm: d.FarKm, NearKm: d.NearKm, Partners: ps, Mode: d.Mode}
	if d.Mode == matching.SupplyModeCentrality {
		out.MeanKm, out.BestMeanKm, out.BestSite = &d.MeanKm, &d.BestMeanKm, d.BestID
	}
	if rest := order[n:]; len(rest) > 0 {
		o := otherPartners(d, rest)
		out.Others = &o
	}
	return out
}

// partnerOrder returns, in buf's storage, the indexes of d's partners
// nearest first, ties in the project's order.
func partnerOrder(d *matching.SupplyChainDetail, buf []int) []int {
	order := buf[:0]
	if cap(order) < len(d.Partners) {
		order = make([]int, 0, len(d.Partners))
	}
	for i := range d.Partners {
		order = append(order, i)
	}
	ps := d.Partners
	if len(order) > 32 {
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ps[a].Km, ps[b].Km) })
		return order
	}
	// The same order by insertion, without a call per comparison (a
	// distance is never NaN: the answer would be refused).
	for i := 1; i < len(order); i++ {
		k, km := order[i], ps[order[i]].Km
		j := i
		for ; j > 0 && ps[order[j-1]].Km > km; j-- {
			order[j] = order[j-1]
		}
		order[j] = k
	}
	return order
}

// otherPartners summarises the partners of d at the indexes rest.
func otherPartners(d *matching.SupplyChainDetail, rest []int) OtherPartnersJSON {
	var km, w, ws float64
	for _, k := range rest {
		p := &d.Partners[k]
		km += p.Km
		w += p.Weight
		ws += p.Weight * p.Score
	}
	o := OtherPartnersJSON{Count: len(rest), Weight: Round(w, 4), MeanKm: Round(km/float64(len(rest)), 1)}
	if w > 0 {
		o.Score = Round(ws/w, 4)
	}
	return o
}

// ModeDetailJSON is the nearest node of one transport mode; km is null
// when the mode has none.
type ModeDetailJSON struct {
	ID         string   `json:"id,omitempty"`
	Name       string   `json:"name,omitempty"`
	Class      string   `json:"class,omitempty"`
	Km         *float64 `json:"km"`
	Score      float64  `json:"score"`
	Importance float64  `json:"importance"`
	NearKm     float64  `json:"near_km"`
	FarKm      float64  `json:"far_km"`
}

// TransportDetailJSON is the detail of the transport criterion, by mode id.
type TransportDetailJSON map[string]ModeDetailJSON

func newTransportDetailJSON(d *matching.TransportDetail) TransportDetailJSON {
	out := TransportDetailJSON{}
	for _, m := range d.Modes {
		md := ModeDetailJSON{ID: m.ID, Name: m.Name, Class: m.Class, Score: Round(m.Score, 4), Importance: m.Importance, NearKm: m.NearKm, FarKm: m.FarKm}
		if !m.Missing {
			km := m.Km
			md.Km = &km
		}
		out[m.Mode] = md
	}
	return out
}

// LabourDetailJSON is the detail of the labour criterion: the pool (the
// unemployed and the employed who change employer in a year), the
// competing hires of the other employers, and ratio, the candidates left
// per opening = (pool − competing_hires) / jobs.
type LabourDetailJSON struct {
	Active         int     `json:"active"`
	Communes       int     `json:"communes"`
	CompetingHires float64 `json:"competing_hires"`
	Jobs           int     `json:"jobs"`
	Pool           float64 `json:"pool"`
	RadiusKm       float64 `json:"radius_km"`
	Ratio          float64 `json:"ratio"`
	Unemployed     int     `json:"unemployed"`
}

func newLabourDetailJSON(d *matching.LabourDetail) LabourDetailJSON {
	return LabourDetailJSON{Active: d.Active, Communes: d.Communes, CompetingHires: d.Competing, Jobs: d.Jobs, Pool: d.Pool,
		RadiusKm: d.RadiusKm, Ratio: d.Ratio, Unemployed: d.Unemployed}
}

// LyceeNearJSON is a vocational lycée near a site, in a training detail.
type LyceeNearJSON struct {
	UAI     string   `json:"uai"`
	Name    string   `json:"name"`
	Commune string   `json:"commune"`
	Km      float64  `json:"km"`
	Weight  float64  `json:"weight"`
	Trades  []string `json:"trades"`
	Pupils  []int    `json:"pupils,omitempty"` // per entry of trades; absent when the trades come from the name
}

// TrainingDetailJSON is the detail of the training criterion: the lycées
// within radius_km, each weighing 1 up to near_km and less with distance
// (weight, their sum), for needed lycées.
type TrainingDetailJSON struct {
	Count     int                  `json:"count"`
	Matched   []string             `json:"matched"`
	NearKm    float64              `json:"near_km"`
	Nearest   []LyceeNearJSON      `json:"nearest"`
	Needed    int                  `json:"needed"`
	RadiusKm  float64              `json:"radius_km"`
	Unmatched []string             `json:"unmatched"`
	Weight    float64              `json:"weight"`
	Families  []TrainingFamilyJSON `json:"families"`
}

func newTrainingDetailJSON(d *matching.TrainingDetail) TrainingDetailJSON {
	near := make([]LyceeNearJSON, len(d.Nearest))
	for i, l := range d.Nearest {
		near[i] = LyceeNearJSON{l.UAI, l.Name, l.Commune, l.Km, l.Weight, NonNil(l.Trades), l.Pupils}
	}
	fams := make([]TrainingFamilyJSON, len(d.Families))
	for i, f := range d.Families {
		fams[i] = TrainingFamilyJSON{ID: f.ID, Lycees: f.Lycees, Pupils: f.Pupils, Weight: f.Weight}
		if n := f.Nearest; n != nil {
			fams[i].Nearest = &LyceeRefJSON{UAI: n.UAI, Name: n.Name, Km: n.Km, Pupils: familyPupils(n, f.ID)}
		}
	}
	return TrainingDetailJSON{Count: d.Count, Matched: NonNil(d.Matched), NearKm: d.NearKm, Nearest: near, Needed: d.Needed,
		RadiusKm: d.RadiusKm, Unmatched: NonNil(d.Unmatched), Weight: d.Weight, Families: fams}
}

// familyPupils points at the lycée's pupils in the trade family, nil when
// its trades come from its name (the last entry when listed twice).
func familyPupils(l *matching.LyceeNear, family string) *int {
	var out *int
	for j, t := range l.Trades {
		if t == family && j < len(l.Pupils) {
			out = &l.Pupils[j]
		}
	}
	return out
}

// TrainingFamilyJSON is, for one requested trade family, the lycées within
// radius_km teaching it, their pupils in it, and weight, Σ distance weight ×
// min(1, pupils/50), the lycées it is worth.
type TrainingFamilyJSON struct {
	ID      string        `json:"id"`
	Lycees  int           `json:"lycees"`
	Pupils  int           `json:"pupils"`
	Weight  float64       `json:"weight"`
	Nearest *LyceeRefJSON `json:"nearest"`
}

// LyceeRefJSON names the nearest lycée teaching a family: the lycée itself
// (its trades and pupils) is in the nearest list or in the site's features,
// so a result does not repeat it per family. Pupils are those of the
// family, absent when its trades come from its name.
type LyceeRefJSON struct {
	UAI    string  `json:"uai"`
	Name   string  `json:"name"`
	Km     float64 `json:"km"`
	Pupils *int    `json:"pupils,omitempty"`
}

// LandDetailJSON is the detail of the land criterion; area_ha is null and
// flag "unknown_area" when the area is unknown.
type LandDetailJSON struct {
	AreaHa     *float64 `json:"area_ha"`
	Flag       string   `json:"flag,omitempty"`
	RequiredHa float64  `json:"required_ha"`
	// PassProbability is, for an unknown area, the share of the sample
	// known areas of its kind and type at least required_ha.
	PassProbability *float64 `json:"pass_probability,omitempty"`
	Sample          int      `json:"sample,omitempty"`
	// Plots are a town's known plots of at least required_ha within 10 km
	// (ten at most, plot_count in all); flag "town".
	Plots     []LandPlotJSON `json:"plots,omitempty"`
	PlotCount int            `json:"plot_count,omitempty"`
}

// LandPlotJSON is a plot within a town's reach.
type LandPlotJSON struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	AreaHa float64 `json:"area_ha"`
	Km     float64 `json:"km"`
}

func newLandDetailJSON(d *matching.LandDetail) LandDetailJSON {
	out := LandDetailJSON{AreaHa: d.AreaHa, Flag: d.Flag, RequiredHa: d.RequiredHa, Sample: d.Sample, PlotCount: d.PlotCount}
	if p := d.PassProbability; p != nil {
		r := Round(*p, 4)
		out.PassProbability = &r
	}
	for _, p := range d.Plots {
		out.Plots = append(out.Plots, LandPlotJSON{ID: p.ID, Name: p.Name, AreaHa: p.AreaHa, Km: p.Km})
	}
	return out
}

// TerritoryDetailJSON is the detail of the territory criterion; each
// programme is null when it does not apply.
type TerritoryDetailJSON struct {
	ACVTown             *ACVTownJSON `json:"acv_town"`
	ReadySite           *string      `json:"ready_site"`
	TerritoireIndustrie *IDName      `json:"territoire_industrie"`
	FRR                 string       `json:"frr"` // France ruralités revitalisation class id
}

// ACVTownJSON is the nearest Action Cœur de Ville town of a site.
type ACVTownJSON struct {
	Km   float64 `json:"km"`
	Name string  `json:"name"`
}

// IDName is a record named by id and name.
type IDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func newTerritoryDetailJSON(d *matching.TerritoryDetail) TerritoryDetailJSON {
	out := TerritoryDetailJSON{FRR: d.FRR}
	if d.TerritoireIndustrie != "" {
		out.TerritoireIndustrie = &IDName{ID: d.TerritoireIndustrie, Name: d.TerritoireIndustrieName}
	}
	if d.ACVTown != "" {
		out.ACVTown = &ACVTownJSON{Km: d.ACVKm, Name: d.ACVTown}
	}
	if d.ReadySite != "" {
		r := d.ReadySite
		out.ReadySite = &r
	}
	return out
}

// Round rounds x to the decimals, as every figure on the wire is.
func Round(x float64, decimals int) float64 {
	p := 0.0
	if decimals >= 0 && decimals < len(pow10) {
		p = pow10[decimals] // math.Pow's value, without its cost
	} else {
		p = math.Pow(10, float64(decimals))
	}
	return math.Round(x*p) / p
}
