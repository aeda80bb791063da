package wire

import (
	"cmp"
	"slices"

	"sitematch/matching"
)

// The parts of an answer Answers encodes per request: the project echoed,
// and each result's criteria with their details. Each mirrors one wire
// type and its conversion (NewProjectJSON, CriterionJSON, the
// new…DetailJSON functions), member for member in the order of its
// fields; TestAnswersEqualPlain holds them to it.

// project appends NewProjectJSON(*p).
func (e *enc) project(p *matching.Project) {
	e.raw(`{"name":`)
	e.str(p.Name)
	if p.Sector != "" {
		e.raw(`,"sector":`)
		e.str(p.Sector)
	}
	if p.NAF != "" {
		e.raw(`,"naf":`)
		e.str(p.NAF)
	}
	if p.Jobs != nil {
		e.raw(`,"jobs":`)
		e.int(*p.Jobs)
	}
	if p.LandHa != nil {
		e.raw(`,"land_ha":`)
		e.num(*p.LandHa)
	}
	e.raw(`,"trades":`)
	e.strs(NonNil(p.Trades))
	e.raw(`,"suppliers":`)
	e.partners(p.Suppliers)
	e.raw(`,"customers":`)
	e.partners(p.Customers)
	if s := p.Supply; s.NearKm != nil || s.FarKm != nil || s.Mode != "" {
		e.raw(`,"supply_chain":{`)
		sep := ""
		if s.NearKm != nil {
			e.raw(`"near_km":`)
			e.num(*s.NearKm)
			sep = ","
		}
		if s.FarKm != nil {
			e.raw(sep + `"far_km":`)
			e.num(*s.FarKm)
			sep = ","
		}
		if s.Mode != "" {
			e.raw(sep + `"mode":`)
			e.str(s.Mode)
		}
		e.raw(`}`)
	}
	e.raw(`,"transport":`)
	e.numMap(nonNilMap(p.Transport))
	c := &p.Constraints
	e.raw(`,"constraints":{"regions":`)
	e.strs(NonNil(c.Regions))
	e.raw(`,"departements":`)
	e.strs(NonNil(c.Departements))
	e.raw(`,"kinds":`)
	e.strs(NonNil(c.Kinds))
	e.raw(`,"max_km":`)
	e.numMap(nonNilMap(c.MaxKm))
	e.raw(`,"require_known_area":`)
	e.bool(c.RequireKnownArea)
	if c.VetoBelow != nil {
		e.raw(`,"veto_below":`)
		e.num(*c.VetoBelow)
	}
	e.raw(`,"allow_other_landmass":`)
	e.bool(c.AllowOtherLandmass)
	e.raw(`,"include_unverified":`)
	e.bool(c.IncludeUnverified)
	e.raw(`,"include_non_industrial":`)
	e.bool(c.IncludeNonIndustrial)
	e.raw(`,"include_committed":`)
	e.bool(c.IncludeCommitted)
	e.raw(`},"weights":`)
	e.numMap(nonNilMap(p.Weights))
	if p.Seveso != "" {
		e.raw(`,"seveso":`)
		e.str(p.Seveso)
	}
	if p.NeededBy != "" {
		e.raw(`,"needed_by":`)
		e.str(p.NeededBy)
	}
	e.raw(`}`)
}

func nonNilMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return map[string]float64{}
	}
	return m
}

// partners appends a project's partners as PartnerJSON.
func (e *enc) partners(ps []matching.Partner) {
	e.raw(`[`)
	for i := range ps {
		x := &ps[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{`)
		sep := ""
		if x.Name != "" {
			e.raw(`"name":`)
			e.str(x.Name)
			sep = ","
		}
		if x.Commune != "" {
			e.raw(sep + `"commune":`)
			e.str(x.Commune)
			sep = ","
		}
		if x.Lon != nil {
			e.raw(sep + `"lon":`)
			e.num(*x.Lon)
			sep = ","
		}
		if x.Lat != nil {
			e.raw(sep + `"lat":`)
			e.num(*x.Lat)
			sep = ","
		}
		w := 1.0
		if x.Weight != nil {
			w = *x.Weight
		}
		e.raw(sep + `"weight":`)
		e.num(w)
		if x.NAF != "" {
			e.raw(`,"naf":`)
			e.str(x.NAF)
		}
		e.raw(`}`)
	}
	e.raw(`]`)
}

// criteria appends a result's criteria as the map[string]CriterionJSON
// the wire types hold: keyed by id in byte order, the last of an id
// kept; detail null unless detailed.
func (e *enc) criteria(crs []matching.CriterionResult, detailed bool) {
	var buf [16]int
	order := buf[:0]
	for i := range crs {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(crs[a].ID, crs[b].ID) })
	e.raw(`{`)
	n := 0
	for j, i := range order {
		c := &crs[i]
		if j+1 < len(order) && crs[order[j+1]].ID == c.ID {
			continue // a map keeps the last
		}
		if n > 0 {
			e.raw(",")
		}
		n++
		e.str(c.ID)
		e.raw(`:{"score":`)
		e.round(c.Score, 4)
		e.raw(`,"weight":`)
		e.round(c.Weight, 4)
		e.raw(`,"contribution":`)
		e.round(c.Contribution, 2)
		e.raw(`,"detail":`)
		if detailed {
			e.detail(c.Detail)
		} else {
			e.raw("null")
		}
		e.raw(`,"explain":`)
		e.str(c.Explain)
		e.raw(`}`)
	}
	e.raw(`}`)
}

// detail appends detailJSON(d). A detail type without an encoder here is
// converted and encoded by reflection, so that a criterion added to
// matching reaches the wire right, only slower.
func (e *enc) detail(d matching.Detail) {
	switch d := d.(type) {
	case nil:
		e.raw("null")
	case *matching.SupplyChainDetail:
		e.supplyChain(d)
	case *matching.TransportDetail:
		e.transport(d)
	case *matching.LabourDetail:
		e.raw(`{"active":`)
		e.int(d.Active)
		e.raw(`,"communes":`)
		e.int(d.Communes)
		e.raw(`,"competing_hires":`)
		e.num(d.Competing)
		e.raw(`,"jobs":`)
		e.int(d.Jobs)
		e.raw(`,"pool":`)
		e.num(d.Pool)
		e.raw(`,"radius_km":`)
		e.num(d.RadiusKm)
		e.raw(`,"ratio":`)
		e.num(d.Ratio)
		e.raw(`,"unemployed":`)
		e.int(d.Unemployed)
		e.raw(`}`)
	case *matching.TrainingDetail:
		e.training(d)
	case *matching.LandDetail:
		e.land(d)
	case *matching.TerritoryDetail:
		e.raw(`{"acv_town":`)
		if d.ACVTown != "" {
			e.raw(`{"km":`)
			e.num(d.ACVKm)
			e.raw(`,"name":`)
			e.str(d.ACVTown)
			e.raw(`}`)
		} else {
			e.raw("null")
		}
		e.raw(`,"ready_site":`)
		if d.ReadySite != "" {
			e.str(d.ReadySite)
		} else {
			e.raw("null")
		}
		e.raw(`,"territoire_industrie":`)
		if d.TerritoireIndustrie != "" {
			e.raw(`{"id":`)
			e.str(d.TerritoireIndustrie)
			e.raw(`,"name":`)
			e.str(d.TerritoireIndustrieName)
			e.raw(`}`)
		} else {
			e.raw("null")
		}
		e.raw(`,"frr":`)
		e.str(d.FRR)
		e.raw(`}`)
	case *matching.EnergyDetail:
		e.raw(`{"substation":{"hv":`)
		e.substation(d.HV)
		e.raw(`,"any":`)
		e.substation(d.Any)
		e.raw(`},"source":`)
		if s := d.Source; s != nil {
			e.raw(`{`)
			e.substationMembers(s)
			e.raw(`,"remaining_mw":`)
			e.num(d.RemainingMW)
			e.raw(`,"transformer_mva":`)
			e.num(d.TransformerMVA)
			e.raw(`}`)
		} else {
			e.raw("null")
		}
		e.raw(`}`)
	case *matching.SevesoDetail:
		e.raw(`{"nearest":`)
		if d.ID != "" {
			e.raw(`{"id":`)
			e.str(d.ID)
			e.raw(`,"name":`)
			e.str(d.Name)
			e.raw(`,"commune":`)
			e.str(d.Commune)
			e.raw(`,"km":`)
			e.num(d.Km)
			e.raw(`}`)
		} else {
			e.raw("null")
		}
		e.raw(`}`)
	case *matching.EcosystemDetail:
		e.ecosystem(d)
	default:
		e.detailPlain(d)
	}
}

// detailPlain appends detailJSON(d) by reflection.
func (e *enc) detailPlain(d matching.Detail) {
	b, err := plainErr(detailJSON(d))
	if err != nil && e.err == nil {
		e.err = err
	}
	e.rawb(b)
}

func (e *enc) supplyChain(d *matching.SupplyChainDetail) {
	e.ord = partnerOrder(d, e.ord)
	n := min(len(e.ord), MaxPartnerDetail)
	e.raw(`{"far_km":`)
	e.num(d.FarKm)
	e.raw(`,"near_km":`)
	e.num(d.NearKm)
	e.raw(`,"partners":[`)
	for i, k := range e.ord[:n] {
		p := &d.Partners[k]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{`)
		if p.Name != "" {
			e.raw(`"name":`)
			e.str(p.Name)
			e.raw(",")
		}
		e.raw(`"role":`)
		e.str(p.Role)
		if p.Commune != "" {
			e.raw(`,"commune":`)
			e.str(p.Commune)
		}
		e.raw(`,"km":`)
		e.num(p.Km)
		e.raw(`,"weight":`)
		e.num(p.Weight)
		e.raw(`,"score":`)
		e.round(p.Score, 4)
		e.raw(`}`)
	}
	e.raw(`]`)
	if rest := e.ord[n:]; len(rest) > 0 {
		o := otherPartners(d, rest)
		e.raw(`,"others":{"count":`)
		e.int(o.Count)
		e.raw(`,"weight":`)
		e.num(o.Weight)
		e.raw(`,"mean_km":`)
		e.num(o.MeanKm)
		e.raw(`,"score":`)
		e.num(o.Score)
		e.raw(`}`)
	}
	e.raw(`,"mode":`)
	e.str(d.Mode)
	if d.Mode == matching.SupplyModeCentrality {
		e.raw(`,"mean_km":`)
		e.num(d.MeanKm)
		e.raw(`,"best_mean_km":`)
		e.num(d.BestMeanKm)
		if d.BestID != "" {
			e.raw(`,"best_site":`)
			e.str(d.BestID)
		}
	}
	e.raw(`}`)
}

// transport appends the TransportDetailJSON map: keyed by mode in byte
// order, the last of a mode kept.
func (e *enc) transport(d *matching.TransportDetail) {
	e.ord = e.ord[:0]
	for i := range d.Modes {
		e.ord = append(e.ord, i)
	}
	ms := d.Modes
	slices.SortStableFunc(e.ord, func(a, b int) int { return cmp.Compare(ms[a].Mode, ms[b].Mode) })
	e.raw(`{`)
	n := 0
	for j, i := range e.ord {
		m := &ms[i]
		if j+1 < len(e.ord) && ms[e.ord[j+1]].Mode == m.Mode {
			continue
		}
		if n > 0 {
			e.raw(",")
		}
		n++
		e.str(m.Mode)
		e.raw(`:{`)
		if m.ID != "" {
			e.raw(`"id":`)
			e.str(m.ID)
			e.raw(",")
		}
		if m.Name != "" {
			e.raw(`"name":`)
			e.str(m.Name)
			e.raw(",")
		}
		if m.Class != "" {
			e.raw(`"class":`)
			e.str(m.Class)
			e.raw(",")
		}
		e.raw(`"km":`)
		if m.Missing {
			e.raw("null")
		} else {
			e.num(m.Km)
		}
		e.raw(`,"score":`)
		e.round(m.Score, 4)
		e.raw(`,"importance":`)
		e.num(m.Importance)
		e.raw(`,"near_km":`)
		e.num(m.NearKm)
		e.raw(`,"far_km":`)
		e.num(m.FarKm)
		e.raw(`}`)
	}
	e.raw(`}`)
}

func (e *enc) training(d *matching.TrainingDetail) {
	e.raw(`{"count":`)
	e.int(d.Count)
	e.raw(`,"matched":`)
	e.strs(NonNil(d.Matched))
	e.raw(`,"near_km":`)
	e.num(d.NearKm)
	e.raw(`,"nearest":[`)
	for i := range d.Nearest {
		l := &d.Nearest[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"uai":`)
		e.str(l.UAI)
		e.raw(`,"name":`)
		e.str(l.Name)
		e.raw(`,"commune":`)
		e.str(l.Commune)
		e.raw(`,"km":`)
		e.num(l.Km)
		e.raw(`,"weight":`)
		e.num(l.Weight)
		e.raw(`,"trades":`)
		e.strs(NonNil(l.Trades))
		if len(l.Pupils) > 0 {
			e.raw(`,"pupils":`)
			e.ints(l.Pupils)
		}
		e.raw(`}`)
	}
	e.raw(`],"needed":`)
	e.int(d.Needed)
	e.raw(`,"radius_km":`)
	e.num(d.RadiusKm)
	e.raw(`,"unmatched":`)
	e.strs(NonNil(d.Unmatched))
	e.raw(`,"weight":`)
	e.num(d.Weight)
	e.raw(`,"families":[`)
	for i := range d.Families {
		f := &d.Families[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"id":`)
		e.str(f.ID)
		e.raw(`,"lycees":`)
		e.int(f.Lycees)
		e.raw(`,"pupils":`)
		e.int(f.Pupils)
		e.raw(`,"weight":`)
		e.num(f.Weight)
		e.raw(`,"nearest":`)
		if n := f.Nearest; n != nil {
			e.raw(`{"uai":`)
			e.str(n.UAI)
			e.raw(`,"name":`)
			e.str(n.Name)
			e.raw(`,"km":`)
			e.num(n.Km)
			if p := familyPupils(n, f.ID); p != nil {
				e.raw(`,"pupils":`)
				e.int(*p)
			}
			e.raw(`}`)
		} else {
			e.raw("null")
		}
		e.raw(`}`)
	}
	e.raw(`]}`)
}

func (e *enc) land(d *matching.LandDetail) {
	e.raw(`{"area_ha":`)
	e.numPtr(d.AreaHa)
	if d.Flag != "" {
		e.raw(`,"flag":`)
		e.str(d.Flag)
	}
	e.raw(`,"required_ha":`)
	e.num(d.RequiredHa)
	if p := d.PassProbability; p != nil {
		e.raw(`,"pass_probability":`)
		e.round(*p, 4)
	}
	if d.Sample != 0 {
		e.raw(`,"sample":`)
		e.int(d.Sample)
	}
	if len(d.Plots) > 0 {
		e.raw(`,"plots":[`)
		for i, p := range d.Plots {
			if i > 0 {
				e.raw(",")
			}
			e.raw(`{"id":`)
			e.str(p.ID)
			e.raw(`,"name":`)
			e.str(p.Name)
			e.raw(`,"area_ha":`)
			e.num(p.AreaHa)
			e.raw(`,"km":`)
			e.num(p.Km)
			e.raw(`}`)
		}
		e.raw(`]`)
	}
	if d.PlotCount != 0 {
		e.raw(`,"plot_count":`)
		e.int(d.PlotCount)
	}
	e.raw(`}`)
}

// substation appends a SubstationJSON, or null.
func (e *enc) substation(s *matching.SubstationNear) {
	if s == nil {
		e.raw("null")
		return
	}
	e.raw(`{`)
	e.substationMembers(s)
	e.raw(`}`)
}

// substationMembers appends the members of a SubstationJSON, which a
// PosteSourceJSON embeds.
func (e *enc) substationMembers(s *matching.SubstationNear) {
	e.raw(`"id":`)
	e.str(s.ID)
	e.raw(`,"name":`)
	e.str(s.Name)
	e.raw(`,"voltage_kv":`)
	e.int(s.VoltageKV)
	e.raw(`,"km":`)
	e.num(s.Km)
}

func (e *enc) ecosystem(d *matching.EcosystemDetail) {
	e.raw(`{"branch":`)
	e.str(d.Branch)
	e.raw(`,"branch_label":`)
	e.str(d.BranchLabel)
	e.raw(`,"branches":[`)
	for i := range d.Branches {
		b := &d.Branches[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"branch":`)
		e.str(b.Branch)
		e.raw(`,"label":`)
		e.str(b.Label)
		e.raw(`,"own_branch":`)
		e.bool(b.OwnBranch)
		e.raw(`,"presence":`)
		e.num(b.Presence)
		e.raw(`,"reference":`)
		e.num(b.Reference)
		e.raw(`,"score":`)
		e.num(b.Score)
		e.raw(`,"share":`)
		e.num(b.Share)
		e.raw(`}`)
	}
	e.raw(`],"cluster":`)
	e.str(d.Cluster)
	e.raw(`,"cluster_far_km":`)
	e.num(d.ClusterFarKm)
	e.raw(`,"cluster_near_km":`)
	e.num(d.ClusterNearKm)
	e.raw(`,"far_km":`)
	e.num(d.FarKm)
	e.raw(`,"naf":`)
	e.str(d.NAF)
	e.raw(`,"near_km":`)
	e.num(d.NearKm)
	e.raw(`,"nearest":[`)
	for i := range d.Nearest {
		n := &d.Nearest[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"id":`)
		e.str(n.ID)
		e.raw(`,"name":`)
		e.str(n.Name)
		e.raw(`,"activity":`)
		e.str(n.Activity)
		e.raw(`,"branch":`)
		e.str(n.Branch)
		e.raw(`,"commune":`)
		e.str(n.Commune)
		e.raw(`,"km":`)
		e.num(n.Km)
		e.raw(`,"naf":`)
		e.str(n.NAF)
		e.raw(`}`)
	}
	e.raw(`],"observed_share":`)
	e.num(d.ObservedShare)
	e.raw(`,"reference_basis":`)
	e.str(d.ReferenceBasis)
	e.raw(`,"reference_plants":`)
	e.int(d.ReferencePlants)
	e.raw(`,"source":`)
	e.str(d.Source)
	e.raw(`}`)
}
