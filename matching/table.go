package matching

import (
	"fmt"
)

// Criterion ids, in the order results list them.
const (
	SupplyChain = "supply_chain"
	Transport   = "transport"
	Labour      = "labour"
	Training    = "training"
	Land        = "land"
	Territory   = "territory"
)

// Detail is the numbers behind one criterion's score for one site: one
// type per criterion, named by Criterion.
type Detail interface {
	Criterion() string
}

// criterion is one scoring criterion, everything the engine knows about it
// in one place: when it applies, how it scores a candidate and how it
// explains that score. Adding a criterion is adding an entry to criteria
// (and its wire type to the API).
type criterion struct {
	id string
	// applies reports whether the resolved project gives the criterion its
	// input; nil when it draws on the catalogue alone.
	applies func(p *Project) bool
	// needs says what the project must give for it to apply (validation).
	needs string
	// inputs names what applies reads, all of them needed, for GET
	// /v1/profiles (the web page reads it): "partners" (a supplier or a
	// customer), "transport" (a mode's importance above 0), "jobs",
	// "land_ha", "naf", "seveso" (a tier), "weight" (the criterion's own
	// weight above 0). Empty exactly when applies is nil;
	// TestInputsMatchApplies checks it against applies.
	inputs []string
	// sites names the candidates forSite keeps ("mainland"), "" when
	// forSite is nil.
	sites string
	// forSite reports whether the criterion applies to a candidate; nil
	// when it applies to every candidate.
	forSite func(c *Candidate) bool
	score   func(e *Engine, q *query, c *Candidate) float64
	// explain returns the numbers behind the score and writes its French
	// sentence to t, the result's explanation (explain.go).
	explain func(e *Engine, q *query, c *Candidate, t *explanation) Detail
	// bound bounds the score from above over a leaf of candidates, for
	// the pruned ranking (prune.go): it reads the leaf's summaries of
	// the features the score is monotone in. static says instead that
	// score reads the candidate alone (it is called with a nil query),
	// and the leaf keeps the max of its scores. A criterion with neither
	// is bounded by 1: always safe, never pruning, and
	// TestEveryCriterionHasABound flags it. A leaf summarises any run of
	// candidates (the strict trees hold subsets of the catalogue), so a
	// bound may assume nothing of who its members are; a summary kept in
	// float32 is rounded the safe way (down32, up32).
	bound  func(e *Engine, q *query, l *leaf) float64
	static bool
}

// criteria are the scoring criteria, in the order results list them.
var criteria = []criterion{
	{
		id:      SupplyChain,
		inputs:  []string{"partners"},
		applies: func(p *Project) bool { return len(p.Suppliers)+len(p.Customers) > 0 },
		needs:   "supply_chain needs suppliers or customers",
		score:   func(_ *Engine, q *query, c *Candidate) float64 { return c.supplyScore(q) },
		bound:   supplyBound,
		explain: func(e *Engine, q *query, c *Candidate, t *explanation) Detail { return e.explainSupply(q, c, t) },
	},
	{
		id:     Transport,
		inputs: []string{"transport"},
		applies: func(p *Project) bool {
			for _, w := range p.Transport {
				if w > 0 {
					return true
				}
			}
			return false
		},
		needs:   "transport needs an importance above 0",
		score:   func(_ *Engine, q *query, c *Candidate) float64 { return transportScore(c.Nearest, q.modes, q.modesDen) },
		bound:   transportBound,
		explain: func(e *Engine, q *query, c *Candidate, t *explanation) Detail { return e.explainTransport(q, c, t) },
	},
	{
		id:      Labour,
		inputs:  []string{"jobs"},
		applies: func(p *Project) bool { return p.Jobs != nil && *p.Jobs > 0 },
		needs:   "labour needs jobs",
		score: func(_ *Engine, q *query, c *Candidate) float64 {
			return labourScoreOf(labourRatio(c.labourPool, c.labourCompeting, q.jobs))
		},
		bound:   labourBound,
		explain: func(_ *Engine, q *query, c *Candidate, t *explanation) Detail { return explainLabour(q, c, t) },
	},
	{
		id: Training,
		score: func(_ *Engine, q *query, c *Candidate) float64 {
			return trainingScore(c, q.families, q.need)
		},
		bound:   trainingBound,
		explain: func(e *Engine, q *query, c *Candidate, t *explanation) Detail { return e.explainTraining(q, c, t) },
	},
	{
		id:      Land,
		inputs:  []string{"land_ha"},
		applies: func(p *Project) bool { return p.LandHa != nil && *p.LandHa > 0 },
		needs:   "land needs land_ha",
		score:   func(e *Engine, q *query, c *Candidate) float64 { return e.landScore(q, c) },
		bound:   landBound,
		explain: func(e *Engine, q *query, c *Candidate, t *explanation) Detail { return e.explainLandOf(q, c, t) },
	},
	{
		id:      Ecosystem,
		inputs:  []string{"naf"},
		applies: func(p *Project) bool { return p.NAF != "" },
		needs:   "ecosystem needs naf",
		score:   func(e *Engine, q *query, c *Candidate) float64 { return e.ecosystemScore(q, c) },
		bound:   ecosystemBound,
		explain: func(e *Engine, q *query, c *Candidate, t *explanation) Detail {
			return t.detail(e.explainEcosystem(q, c))
		},
	},
	{
		id:      Territory,
		score:   func(_ *Engine, _ *query, c *Candidate) float64 { return c.territory }, // TerritoryScore, precomputed
		static:  true,
		explain: func(e *Engine, _ *query, c *Candidate, t *explanation) Detail { return e.explainTerritory(c, t) },
	},
	{
		// energy: the grid (energy.go). It applies to the projects that
		// weigh it and to mainland sites only (EnergyNA).
		id:      Energy,
		inputs:  []string{"weight"},
		sites:   "mainland",
		applies: func(p *Project) bool { return p.Weights[Energy] > 0 },
		forSite: func(c *Candidate) bool { return c.Landmass == Mainland },
		score:   func(e *Engine, _ *query, c *Candidate) float64 { return e.energyScore(c) },
		static:  true,
		explain: func(e *Engine, _ *query, c *Candidate, t *explanation) Detail { return e.explainEnergy(c, t) },
	},
	{
		// seveso_platform: near an existing Seveso platform, for projects
		// that declare a tier (seveso.go).
		id:      SevesoPlatform,
		inputs:  []string{"seveso", "weight"},
		applies: func(p *Project) bool { return p.Seveso != "" && p.Weights[SevesoPlatform] > 0 },
		needs:   "seveso_platform needs seveso",
		score:   func(_ *Engine, _ *query, c *Candidate) float64 { return SevesoPlatformScore(c.SevesoKm) },
		static:  true,
		explain: func(e *Engine, _ *query, c *Candidate, t *explanation) Detail { return e.explainSeveso(c, t) },
	},
}

// maxCriteria bounds the number of criteria, so that a candidate's scores
// fit a fixed array in the ranking pass.
const maxCriteria = 12

// Criteria lists the criterion ids in a fixed order.
var Criteria = func() []string {
	if len(criteria) > maxCriteria {
		panic(fmt.Sprintf("matching: %d criteria, more than maxCriteria = %d", len(criteria), maxCriteria))
	}
	ids := make([]string, len(criteria))
	for i, c := range criteria {
		ids[i] = c.id
	}
	return ids
}()

// Requirement is what one criterion needs to apply, as GET /v1/profiles
// publishes it: the project's inputs (see criterion.inputs) and the
// candidates it applies to ("mainland", or "" for all).
type Requirement struct {
	ID       string
	Requires []string
	Sites    string
}

// Requirements lists, in Criteria's order, what each criterion needs to
// apply, from the criteria table.
func Requirements() []Requirement {
	out := make([]Requirement, len(criteria))
	for i, c := range criteria {
		out[i] = Requirement{ID: c.id, Requires: append([]string{}, c.inputs...), Sites: c.sites}
	}
	return out
}

// Criterion returns the criterion a detail belongs to.
func (*SupplyChainDetail) Criterion() string { return SupplyChain }

// Criterion returns the criterion a detail belongs to.
func (*TransportDetail) Criterion() string { return Transport }

// Criterion returns the criterion a detail belongs to.
func (*LabourDetail) Criterion() string { return Labour }

// Criterion returns the criterion a detail belongs to.
func (*TrainingDetail) Criterion() string { return Training }

// Criterion returns the criterion a detail belongs to.
func (*LandDetail) Criterion() string { return Land }

// Criterion returns the criterion a detail belongs to.
func (*TerritoryDetail) Criterion() string { return Territory }
