package matching

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"sitematch/data"
)

// MaxPartners bounds the suppliers and customers of one project.
const MaxPartners = 1000

// Partner is a supplier or a customer, placed either at a commune (INSEE
// code) or at a lon/lat point.
type Partner struct {
	Name    string
	Commune string
	Lon     *float64
	Lat     *float64
	Weight  *float64 // default 1
}

// Constraints exclude candidates before scoring.
type Constraints struct {
	Regions          []string // région codes; empty means all
	Departements     []string // département codes; empty means all
	Kinds            []string // candidate kinds; empty means all
	MaxKm            map[string]float64
	RequireKnownArea bool
	VetoBelow        *float64 // exclude a site with any criterion score below it
	// AllowOtherLandmass keeps the sites that lie on another landmass than
	// the one holding more than half of the partners' weight; by default
	// they are excluded (a Réunion project's plant is not in Normandy).
	AllowOtherLandmass bool
	// IncludeUnverified keeps the BASIAS/BASOL records Cerema has not
	// verified as brownfields, IncludeNonIndustrial the brownfields whose
	// former use rules out a plant (NonIndustrial), IncludeCommitted the
	// turnkey sites committed to a named project; each is excluded by
	// default and flagged when kept (land.go, availability.go).
	IncludeUnverified    bool
	IncludeNonIndustrial bool
	IncludeCommitted     bool
}

// SupplyDecay sets the supply-chain decay: a partner scores 1 up to NearKm,
// 0 from FarKm, linearly between. Nil fields take the sector profile's
// values (or SupplyNearKm and SupplyFarKm without a sector). Mode, when
// set, is SupplyModeDecay or SupplyModeCentrality (the sector profile's,
// or decay, when not).
type SupplyDecay struct {
	NearKm *float64
	FarKm  *float64
	Mode   string
}

// Supply-chain modes (DESIGN.md, "Supply chain"): decay scores each
// partner by its distance and averages the scores; centrality scores the
// weighted mean distance to the partners (the tonne-km) against the best
// achievable over the eligible sites (CentralityScore).
const (
	SupplyModeDecay      = "decay"
	SupplyModeCentrality = "centrality"
)

// Supply-chain decay bounds a project may set, in kilometres.
const (
	MaxSupplyNearKm = 5000
	MaxSupplyFarKm  = 20000
)

// Project is what an industrialist describes. Optional numbers are pointers:
// nil means not given. Maps and slices that are nil are not given either.
type Project struct {
	Name        string
	Sector      string
	Jobs        *int
	LandHa      *float64
	Trades      []string
	Suppliers   []Partner
	Customers   []Partner
	Supply      SupplyDecay // the sector profile's when not given
	Transport   map[string]float64
	Constraints Constraints
	Weights     map[string]float64
	// Seveso declares the project a Seveso establishment ("upper" or
	// "lower" tier, "" when not): the Seveso gate excludes incompatible
	// settings and the seveso_platform criterion applies (seveso.go).
	Seveso string
	// NeededBy is when the project needs its land, "YYYY-MM" or "YYYY"
	// ("" when not given): a site available only later is excluded, one
	// that may be is flagged (availability.go).
	NeededBy string
}

// FieldError names one invalid field of a request by its path
// ("project.suppliers[1].lat").
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every invalid field of a request at once.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "matching: invalid project: " + strings.Join(parts, "; ")
}

// Add records an invalid field.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns e when it holds at least one field, else nil.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Resolve applies the sector profile (or the defaults) to a project: the
// profile's weights and transport importances, overridden key by key by the
// project's own; the profile's trades when the project gives none; the
// profile's supply-chain decay, field by field where the project sets none. The
// result is what the engine scores and what responses echo.
func Resolve(p Project) Project {
	weights, transport, trades := DefaultWeights, DefaultTransport, []string(nil)
	near, far, mode := float64(SupplyNearKm), float64(SupplyFarKm), SupplyModeDecay
	if prof, ok := ProfileByID(p.Sector); ok {
		weights, transport, trades = prof.Weights, prof.Transport, prof.Trades
		near, far = prof.SupplyNearKm, prof.SupplyFarKm
		mode = cmp.Or(prof.SupplyMode, mode)
	}
	out := p
	out.Weights = maps.Clone(weights)
	maps.Copy(out.Weights, p.Weights)
	out.Transport = maps.Clone(transport)
	maps.Copy(out.Transport, p.Transport)
	if p.Trades == nil {
		out.Trades = slices.Clone(trades)
	}
	if p.Supply.NearKm != nil {
		near = *p.Supply.NearKm
	}
	if p.Supply.FarKm != nil {
		far = *p.Supply.FarKm
	}
	out.Supply = SupplyDecay{NearKm: &near, FarKm: &far, Mode: cmp.Or(p.Supply.Mode, mode)}
	if _, set := p.Weights[SevesoPlatform]; p.Seveso != "" && !set {
		out.Weights[SevesoPlatform] = SevesoPlatformWeight
	}
	return out
}

// Validate checks every field of a project against the catalogue and
// returns a *ValidationError listing each invalid one, with its path under
// prefix ("project").
func Validate(p Project, cat *data.Catalogue, prefix string) error {
	r := Resolve(p)
	return validate(p, &r, cat, prefix)
}

// validate is Validate given the project resolved (r = Resolve(p)), so that
// a request resolves its project once.
func validate(p Project, r *Project, cat *data.Catalogue, prefix string) error {
	var ve ValidationError
	at := func(f string) string { return prefix + "." + f }
	if strings.TrimSpace(p.Name) == "" {
		ve.Add(at("name"), "is required")
	} else if len(p.Name) > 300 {
		ve.Add(at("name"), "must be at most 300 characters")
	}
	if p.Sector != "" {
		if _, ok := ProfileByID(p.Sector); !ok {
			ve.Add(at("sector"), "unknown sector %q (known: %s)", p.Sector, strings.Join(profileIDs(), ", "))
		}
	}
	if p.Jobs != nil && (*p.Jobs < 1 || *p.Jobs > 100_000) {
		ve.Add(at("jobs"), "must be between 1 and 100000")
	}
	if p.LandHa != nil {
		switch v := *p.LandHa; {
		case !finite(v):
			ve.Add(at("land_ha"), "must be a finite number")
		case v <= 0:
			ve.Add(at("land_ha"), "must be positive")
		case v > 100_000:
			ve.Add(at("land_ha"), "must be at most 100000 hectares")
		}
	}
	for i, t := range p.Trades {
		if _, ok := data.TradeFamilyByID(t); !ok {
			ve.Add(at(fmt.Sprintf("trades[%d]", i)), "unknown trade family %q (see GET /v1/profiles)", t)
		}
	}
	if n := len(p.Suppliers) + len(p.Customers); n > MaxPartners {
		ve.Add(at("suppliers"), "suppliers and customers together must be at most %d, got %d", MaxPartners, n)
	} else {
		validatePartners(&ve, cat, at("suppliers"), p.Suppliers)
		validatePartners(&ve, cat, at("customers"), p.Customers)
	}
	for _, m := range slices.Sorted(maps.Keys(p.Transport)) {
		f := at("transport." + m)
		if _, ok := ModeDecay[m]; !ok {
			ve.Add(f, "unknown transport mode (known: %s)", strings.Join(Modes, ", "))
		} else if v := p.Transport[m]; !finite(v) || v < 0 || v > 1000 {
			ve.Add(f, "must be a number between 0 and 1000")
		}
	}
	if p.Seveso != "" && p.Seveso != SevesoUpper && p.Seveso != SevesoLower {
		ve.Add(at("seveso"), "must be %q or %q", SevesoUpper, SevesoLower)
	}
	if p.NeededBy != "" {
		if err := validNeededBy(p.NeededBy); err != nil {
			ve.Add(at("needed_by"), "%s", err)
		}
	}
	validateSupply(&ve, at("supply_chain"), p.Supply, r.Supply)
	validateConstraints(&ve, cat, at("constraints"), p.Constraints)
	allZero := true
	for _, c := range slices.Sorted(maps.Keys(p.Weights)) {
		f := at("weights." + c)
		v := p.Weights[c]
		if !slices.Contains(Criteria, c) {
			ve.Add(f, "unknown criterion (known: %s)", strings.Join(Criteria, ", "))
		} else if !finite(v) || v < 0 || v > 1e6 {
			ve.Add(f, "must be a number between 0 and 1000000")
		}
	}
	// A positive weight must fall on a criterion that applies, or every
	// site would score 0.
	for _, w := range r.Weights {
		allZero = allZero && !(w > 0)
	}
	weighted := false
	var needs []string
	for i := range criteria {
		c := &criteria[i]
		weighted = weighted || (r.Weights[c.id] > 0 && c.appliesTo(r))
		if c.needs != "" {
			needs = append(needs, c.needs)
		}
	}
	switch {
	case allZero:
		ve.Add(at("weights"), "at least one weight must be positive")
	case !weighted:
		ve.Add(at("weights"), "every criterion with a positive weight lacks its input (%s): every site would score 0", strings.Join(needs, ", "))
	}
	return ve.Err()
}

// validateSupply checks the supply-chain decay a project sets (given) and
// the one it resolves to: near in [0, MaxSupplyNearKm], far in
// (0, MaxSupplyFarKm] and beyond near.
func validateSupply(ve *ValidationError, path string, given, resolved SupplyDecay) {
	if m := given.Mode; m != "" && m != SupplyModeDecay && m != SupplyModeCentrality {
		ve.Add(path+".mode", "must be %q or %q", SupplyModeDecay, SupplyModeCentrality)
	}
	ok := true
	if v := given.NearKm; v != nil && (!finite(*v) || *v < 0 || *v > MaxSupplyNearKm) {
		ve.Add(path+".near_km", "must be a number of kilometres between 0 and %d", MaxSupplyNearKm)
		ok = false
	}
	if v := given.FarKm; v != nil && (!finite(*v) || *v <= 0 || *v > MaxSupplyFarKm) {
		ve.Add(path+".far_km", "must be a positive number of kilometres up to %d", MaxSupplyFarKm)
		ok = false
	}
	near, far := *resolved.NearKm, *resolved.FarKm
	switch {
	case !ok || far > near:
	case given.FarKm != nil:
		from := ""
		if given.NearKm == nil {
			from = ", from the sector profile"
		}
		ve.Add(path+".far_km", "must be greater than near_km (%s km%s)", strconv.FormatFloat(near, 'f', -1, 64), from)
	default:
		ve.Add(path+".near_km", "must be less than far_km (%s km, from the sector profile)", strconv.FormatFloat(far, 'f', -1, 64))
	}
}

func validatePartners(ve *ValidationError, cat *data.Catalogue, path string, ps []Partner) {
	for i, p := range ps {
		f := fmt.Sprintf("%s[%d]", path, i)
		hasPoint := p.Lon != nil || p.Lat != nil
		switch {
		case p.Commune != "" && hasPoint:
			ve.Add(f, "give either commune or lon and lat, not both")
		case p.Commune != "":
			if _, ok := cat.Commune(p.Commune); !ok {
				ve.Add(f+".commune", "unknown INSEE commune code %q", p.Commune)
			}
		case hasPoint:
			if p.Lon == nil {
				ve.Add(f+".lon", "is required with lat")
			} else if !finite(*p.Lon) || *p.Lon < -180 || *p.Lon > 180 {
				ve.Add(f+".lon", "must be between -180 and 180")
			}
			if p.Lat == nil {
				ve.Add(f+".lat", "is required with lon")
			} else if !finite(*p.Lat) || *p.Lat < -90 || *p.Lat > 90 {
				ve.Add(f+".lat", "must be between -90 and 90")
			}
		default:
			ve.Add(f, "needs a commune (INSEE code) or lon and lat")
		}
		if p.Weight != nil && (!finite(*p.Weight) || *p.Weight <= 0 || *p.Weight > 1e6) {
			ve.Add(f+".weight", "must be a positive number up to 1000000")
		}
		if len(p.Name) > 300 {
			ve.Add(f+".name", "must be at most 300 characters")
		}
	}
}

func validateConstraints(ve *ValidationError, cat *data.Catalogue, path string, c Constraints) {
	// Codes only: the API and the CLI translate names first
	// (api.CanonicalProject); an unknown value's message lists the codes.
	for i, r := range c.Regions {
		if code, err := cat.RegionCode(r); err != nil {
			ve.Add(fmt.Sprintf("%s.regions[%d]", path, i), "%s", err)
		} else if code != r {
			ve.Add(fmt.Sprintf("%s.regions[%d]", path, i), "give the code %s of %q", code, r)
		}
	}
	for i, d := range c.Departements {
		if code, err := cat.DepartementCode(d); err != nil {
			ve.Add(fmt.Sprintf("%s.departements[%d]", path, i), "%s", err)
		} else if code != d {
			ve.Add(fmt.Sprintf("%s.departements[%d]", path, i), "give the code %s of %q", code, d)
		}
	}
	for i, k := range c.Kinds {
		if !slices.Contains(data.Kinds, k) {
			ve.Add(fmt.Sprintf("%s.kinds[%d]", path, i), "unknown kind %q (known: %s)", k, strings.Join(data.Kinds, ", "))
		}
	}
	for _, m := range slices.Sorted(maps.Keys(c.MaxKm)) {
		f := path + ".max_km." + m
		if _, ok := ModeDecay[m]; !ok {
			ve.Add(f, "unknown transport mode (known: %s)", strings.Join(Modes, ", "))
		} else if v := c.MaxKm[m]; !finite(v) || v <= 0 || v > 20_000 {
			ve.Add(f, "must be a positive number of kilometres up to 20000")
		}
	}
	if c.VetoBelow != nil && (!finite(*c.VetoBelow) || *c.VetoBelow < 0 || *c.VetoBelow > 1) {
		ve.Add(path+".veto_below", "must be between 0 and 1")
	}
}

func profileIDs() []string {
	ids := make([]string, len(Profiles))
	for i, p := range Profiles {
		ids[i] = p.ID
	}
	return ids
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
