package matching

import (
	"cmp"
	"errors"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// TerritoryGridKm is the distance from one of a territory's commune
// centres within which a substation of 225 kV or more counts as its grid
// offer.
const TerritoryGridKm = 10

// Territory kinds.
const (
	TerritoryEPCI     = "epci"
	TerritoryIndustry = "territoire_industrie"
)

// ErrUnknownTerritory is returned by Engine.TerritoryProfile for a code that is
// neither an EPCI SIREN nor a Territoire d'industrie id.
var ErrUnknownTerritory = errors.New("matching: unknown territory")

// TerritoryProfile is a territory's supplier base by A38 branch next to its land
// offer, labour, training, transport and grid: the start of a "diagnostic
// sectoriel et local". Every figure counts the records of its communes.
type TerritoryProfile struct {
	Kind       string // TerritoryEPCI or TerritoryIndustry
	Code, Name string
	Communes   int
	Population int // 2021, of its communes
	Suppliers  SupplierBase
	// Sites counts the candidate sites by kind (every kind of data.Kinds
	// present, 0 when none); KnownArea those with a known area, and
	// KnownAreaHa its total.
	Sites       map[string]int
	KnownArea   int
	KnownAreaHa float64
	// Active and Unemployed sum its communes (census 2021).
	Active, Unemployed int
	// Lycees counts its lycées, Trades them per trade family taught.
	Lycees int
	Trades map[string]int
	// Nearest is, per transport mode (TransportModes' ids), the nearest
	// node to one of its commune centres on its landmass.
	Nearest map[string]NearestNode
	// Substations225 counts the substations of 225 kV or more within
	// TerritoryGridKm of one of its commune centres.
	Substations225 int
	Seveso         int // upper- and lower-tier Seveso establishments in its communes
}

// SupplierBase is a territory's industrial fabric by A38 branch: the IREP
// large establishments (about 2015) placed in its communes and, when the
// Urssaf layer covers every one of them, salaried jobs.
type SupplierBase struct {
	Establishments int
	JobsKnown      bool // the Urssaf layer covers the territory: Jobs and each branch's jobs are counts
	Jobs           int
	JobsYear       int
	// Branches, most jobs first, then most establishments, then by code.
	Branches []BranchPresence
}

// BranchPresence is one A38 branch of a supplier base.
type BranchPresence struct {
	Branch, Label  string
	Establishments int
	Jobs           int // when SupplierBase.JobsKnown
}

// NearestNode is a transport node and its distance; Index is -1 when the
// layer has none on the territory's landmass.
type NearestNode struct {
	Index    int
	ID, Name string
	Km       float64 // great circle, from the nearest commune centre
}

// TerritoryProfile describes an EPCI (SIREN) or a Territoire d'industrie (id)
// from the engine's catalogue and candidates; ErrUnknownTerritory when
// the code is neither.
func (e *Engine) TerritoryProfile(code string) (*TerritoryProfile, error) {
	cat := e.cat
	out := &TerritoryProfile{Code: code}
	var inTerritory func(c *data.Commune) bool
	if i := slices.IndexFunc(cat.EPCIs, func(x data.EPCI) bool { return x.SIREN == code }); i >= 0 {
		out.Kind, out.Name = TerritoryEPCI, cat.EPCIs[i].Name
		inTerritory = func(c *data.Commune) bool { return c.EPCI == code }
	} else if i := slices.IndexFunc(cat.Territoires, func(t data.Territoire) bool { return t.ID == code }); i >= 0 {
		out.Kind, out.Name = TerritoryIndustry, cat.Territoires[i].Name
		inTerritory = func(c *data.Commune) bool { return c.TI == code }
	} else {
		return nil, ErrUnknownTerritory
	}
	communes := map[string]bool{}
	var points []orb.Point
	landmass := ""
	for i := range cat.Communes {
		c := &cat.Communes[i]
		if !inTerritory(c) {
			continue
		}
		communes[c.Code] = true
		points = append(points, c.Point)
		landmass = data.LandmassOf(c.Dep)
		out.Communes++
		out.Population += c.Population
		out.Active += c.Active
		out.Unemployed += c.Unemployed
	}
	out.Suppliers = supplierBase(cat, communes)

	out.Sites = map[string]int{}
	for _, k := range data.Kinds {
		out.Sites[k] = 0
	}
	for i := range e.cands {
		c := &e.cands[i]
		if !communes[c.Commune.Code] {
			continue
		}
		out.Sites[c.Site.Kind]++
		if c.Site.AreaKnown {
			out.KnownArea++
			out.KnownAreaHa += c.Site.AreaHa
		}
	}

	out.Trades = map[string]int{}
	for _, l := range cat.Lycees {
		if communes[l.Commune] {
			out.Lycees++
			for _, t := range l.Trades {
				out.Trades[t]++
			}
		}
	}

	out.Nearest = map[string]NearestNode{}
	for m, mode := range TransportModes {
		// The engine's index of the mode's nodes on the landmass, as the
		// candidates see them.
		nn := NearestNode{Index: -1, Km: math.Inf(1)}
		for _, p := range points {
			if i, km, ok := e.ix.nodes[m][landmass].nearest(p, geo.ToUnit(p), 16, math.Inf(1)); ok && (km < nn.Km || (km == nn.Km && i < nn.Index)) {
				nn = NearestNode{Index: i, ID: e.nodes[m][i].ID, Name: e.nodes[m][i].Name, Km: km}
			}
		}
		if nn.Index < 0 {
			nn.Km = 0
		}
		out.Nearest[mode.ID] = nn
	}

	for _, s := range cat.Substations {
		if s.VoltageKV < 225 {
			continue
		}
		for _, p := range points {
			if geo.DistanceKm(p, s.Point) <= TerritoryGridKm {
				out.Substations225++
				break
			}
		}
	}
	for _, x := range cat.Seveso {
		if communes[x.Commune] {
			out.Seveso++
		}
	}
	return out, nil
}

// supplierBase counts the IREP establishments and, when the Urssaf layer
// covers every département of the communes, the salaried jobs, by A38
// branch.
func supplierBase(cat *data.Catalogue, communes map[string]bool) SupplierBase {
	var out SupplierBase
	byBranch := map[string]*BranchPresence{}
	branch := func(code string) *BranchPresence {
		b := byBranch[code]
		if b == nil {
			b = &BranchPresence{Branch: code, Label: data.A38Labels[code]}
			byBranch[code] = b
		}
		return b
	}
	for _, f := range cat.Facilities {
		if communes[f.Commune] {
			branch(f.Branch).Establishments++
			out.Establishments++
		}
	}
	covered := map[string]bool{}
	for _, d := range cat.JobsCoverage() {
		covered[d] = true
	}
	out.JobsKnown = len(communes) > 0
	for code := range communes {
		c, _ := cat.Commune(code)
		out.JobsKnown = out.JobsKnown && covered[c.Dep]
	}
	if out.JobsKnown {
		for _, j := range cat.Jobs {
			if communes[j.Commune] {
				branch(j.Branch).Jobs += j.Jobs
				out.Jobs += j.Jobs
				out.JobsYear = j.Year
			}
		}
	}
	out.Branches = []BranchPresence{}
	for _, b := range byBranch {
		out.Branches = append(out.Branches, *b)
	}
	slices.SortFunc(out.Branches, func(a, b BranchPresence) int {
		return cmp.Or(cmp.Compare(b.Jobs, a.Jobs), cmp.Compare(b.Establishments, a.Establishments), cmp.Compare(a.Branch, b.Branch))
	})
	return out
}
