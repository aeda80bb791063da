package matching_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"sitematch/api"
	"sitematch/matching"
)

func ptr[T any](v T) *T { return &v }

// validProject is a project every field of which is valid.
func validProject() matching.Project {
	return matching.Project{
		Name: "Ligne d'usinage", Sector: "metalworking", Jobs: ptr(80), LandHa: ptr(5.0),
		Trades: []string{"usinage", "chaudronnerie_soudure"},
		Suppliers: []matching.Partner{
			{Name: "Aciérie", Commune: "59178", Weight: ptr(2.0)},
			{Name: "Fonderie", Lon: ptr(2.83), Lat: ptr(50.28)},
		},
		Customers: []matching.Partner{{Commune: "25547"}, {Commune: "68224"}},
		Transport: map[string]float64{matching.Motorway: 1, matching.Port: 0},
		Constraints: matching.Constraints{Regions: []string{"32", "44"}, Departements: []string{"59", "2A"},
			Kinds: []string{"brownfield", "turnkey"}, MaxKm: map[string]float64{matching.Motorway: 30},
			RequireKnownArea: true, VetoBelow: ptr(0.1)},
		Weights: map[string]float64{matching.Training: 30, matching.Land: 0},
	}
}

// fieldsOf returns the sorted field paths of a *ValidationError, failing
// the test for any other error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *matching.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *matching.ValidationError", err, err)
	}
	var out []string
	for _, f := range ve.Fields {
		if f.Message == "" {
			t.Errorf("%s: empty message", f.Field)
		}
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func TestValidate(t *testing.T) {
	e := matching.SharedEngine(t)
	cat := e.Catalogue()
	many := func(n int) []matching.Partner {
		ps := make([]matching.Partner, n)
		for i := range ps {
			ps[i] = matching.Partner{Commune: "80021"}
		}
		return ps
	}
	cases := []struct {
		name   string
		edit   func(p *matching.Project)
		fields []string
	}{
		{name: "valid", edit: func(p *matching.Project) {}},
		{name: "only a name", edit: func(p *matching.Project) { *p = matching.Project{Name: "x"} }},
		{name: "no name", edit: func(p *matching.Project) { p.Name = "  " }, fields: []string{"project.name"}},
		{name: "land zero", edit: func(p *matching.Project) { p.LandHa = ptr(0.0) }, fields: []string{"project.land_ha"}},
		{name: "land negative", edit: func(p *matching.Project) { p.LandHa = ptr(-3.0) }, fields: []string{"project.land_ha"}},
		{name: "land NaN", edit: func(p *matching.Project) { p.LandHa = ptr(math.NaN()) }, fields: []string{"project.land_ha"}},
		{name: "land infinite", edit: func(p *matching.Project) { p.LandHa = ptr(math.Inf(1)) }, fields: []string{"project.land_ha"}},
		{name: "jobs 0", edit: func(p *matching.Project) { p.Jobs = ptr(0) }, fields: []string{"project.jobs"}},
		{name: "jobs 100001", edit: func(p *matching.Project) { p.Jobs = ptr(100_001) }, fields: []string{"project.jobs"}},
		{name: "jobs 1", edit: func(p *matching.Project) { p.Jobs = ptr(1) }},
		{name: "jobs 100000", edit: func(p *matching.Project) { p.Jobs = ptr(100_000) }},
		{name: "lat 91", edit: func(p *matching.Project) { p.Suppliers[1].Lat = ptr(91.0) }, fields: []string{"project.suppliers[1].lat"}},
		{name: "lon -181", edit: func(p *matching.Project) { p.Suppliers[1].Lon = ptr(-181.0) }, fields: []string{"project.suppliers[1].lon"}},
		{name: "lat NaN", edit: func(p *matching.Project) { p.Suppliers[1].Lat = ptr(math.NaN()) }, fields: []string{"project.suppliers[1].lat"}},
		{name: "lon infinite", edit: func(p *matching.Project) { p.Suppliers[1].Lon = ptr(math.Inf(-1)) }, fields: []string{"project.suppliers[1].lon"}},
		{name: "lon without lat", edit: func(p *matching.Project) { p.Suppliers[1].Lat = nil }, fields: []string{"project.suppliers[1].lat"}},
		{name: "unknown commune", edit: func(p *matching.Project) { p.Customers[1].Commune = "99999" }, fields: []string{"project.customers[1].commune"}},
		{name: "partner with commune and lon/lat", edit: func(p *matching.Project) { p.Suppliers[1].Commune = "80021" }, fields: []string{"project.suppliers[1]"}},
		{name: "partner with neither", edit: func(p *matching.Project) { p.Customers[0].Commune = "" }, fields: []string{"project.customers[0]"}},
		{name: "partner weight zero", edit: func(p *matching.Project) { p.Suppliers[0].Weight = ptr(0.0) }, fields: []string{"project.suppliers[0].weight"}},
		{name: "partner weight NaN", edit: func(p *matching.Project) { p.Suppliers[0].Weight = ptr(math.NaN()) }, fields: []string{"project.suppliers[0].weight"}},
		{name: "1000 partners", edit: func(p *matching.Project) { p.Suppliers, p.Customers = many(600), many(400) }},
		{name: "1001 partners", edit: func(p *matching.Project) { p.Suppliers, p.Customers = many(600), many(401) }, fields: []string{"project.suppliers"}},
		{name: "unknown sector", edit: func(p *matching.Project) { p.Sector = "textile" }, fields: []string{"project.sector"}},
		{name: "unknown trade", edit: func(p *matching.Project) { p.Trades[1] = "soudure" }, fields: []string{"project.trades[1]"}},
		{name: "unknown kind", edit: func(p *matching.Project) { p.Constraints.Kinds = []string{"factory"} }, fields: []string{"project.constraints.kinds[0]"}},
		{name: "unknown région", edit: func(p *matching.Project) { p.Constraints.Regions[0] = "99" }, fields: []string{"project.constraints.regions[0]"}},
		{name: "unknown département", edit: func(p *matching.Project) { p.Constraints.Departements[1] = "20" }, fields: []string{"project.constraints.departements[1]"}},
		{name: "unknown transport mode", edit: func(p *matching.Project) { p.Transport["tram"] = 1 }, fields: []string{"project.transport.tram"}},
		{name: "negative importance", edit: func(p *matching.Project) { p.Transport[matching.Port] = -1 }, fields: []string{"project.transport.port"}},
		{name: "NaN importance", edit: func(p *matching.Project) { p.Transport[matching.Airport] = math.NaN() }, fields: []string{"project.transport.airport"}},
		{name: "unknown max_km mode", edit: func(p *matching.Project) { p.Constraints.MaxKm["tram"] = 10 }, fields: []string{"project.constraints.max_km.tram"}},
		{name: "max_km zero", edit: func(p *matching.Project) { p.Constraints.MaxKm[matching.Motorway] = 0 }, fields: []string{"project.constraints.max_km.motorway"}},
		{name: "max_km infinite", edit: func(p *matching.Project) { p.Constraints.MaxKm[matching.Port] = math.Inf(1) }, fields: []string{"project.constraints.max_km.port"}},
		{name: "supply decay set", edit: func(p *matching.Project) { p.Supply = matching.SupplyDecay{NearKm: ptr(0.0), FarKm: ptr(20000.0)} }},
		{name: "supply near only, below the profile's far", edit: func(p *matching.Project) { p.Supply.NearKm = ptr(249.0) }},
		{name: "supply near beyond the profile's far", edit: func(p *matching.Project) { p.Supply.NearKm = ptr(250.0) }, fields: []string{"project.supply_chain.near_km"}},
		{name: "supply far below the profile's near", edit: func(p *matching.Project) { p.Supply.FarKm = ptr(30.0) }, fields: []string{"project.supply_chain.far_km"}},
		{name: "unknown supply mode", edit: func(p *matching.Project) { p.Supply.Mode = "gravity" }, fields: []string{"project.supply_chain.mode"}},
		{name: "supply far below near", edit: func(p *matching.Project) { p.Supply = matching.SupplyDecay{NearKm: ptr(40.0), FarKm: ptr(39.0)} }, fields: []string{"project.supply_chain.far_km"}},
		{name: "supply near negative", edit: func(p *matching.Project) { p.Supply.NearKm = ptr(-1.0) }, fields: []string{"project.supply_chain.near_km"}},
		{name: "supply near NaN", edit: func(p *matching.Project) { p.Supply.NearKm = ptr(math.NaN()) }, fields: []string{"project.supply_chain.near_km"}},
		{name: "supply far zero", edit: func(p *matching.Project) { p.Supply.FarKm = ptr(0.0) }, fields: []string{"project.supply_chain.far_km"}},
		{name: "supply far beyond half the Earth", edit: func(p *matching.Project) { p.Supply.FarKm = ptr(20001.0) }, fields: []string{"project.supply_chain.far_km"}},
		{name: "veto above 1", edit: func(p *matching.Project) { p.Constraints.VetoBelow = ptr(1.5) }, fields: []string{"project.constraints.veto_below"}},
		{name: "veto NaN", edit: func(p *matching.Project) { p.Constraints.VetoBelow = ptr(math.NaN()) }, fields: []string{"project.constraints.veto_below"}},
		{name: "all weights zero", edit: func(p *matching.Project) {
			p.Weights = map[string]float64{}
			for _, c := range matching.Criteria {
				p.Weights[c] = 0
			}
		}, fields: []string{"project.weights"}},
		{name: "weight only where there is no input", edit: func(p *matching.Project) {
			*p = matching.Project{Name: "x", Transport: map[string]float64{matching.Motorway: 0, matching.RailFreight: 0, matching.Station: 0, matching.Airport: 0, matching.Port: 0},
				Weights: map[string]float64{matching.SupplyChain: 1, matching.Transport: 1, matching.Labour: 1, matching.Land: 1, matching.Training: 0, matching.Territory: 0}}
		}, fields: []string{"project.weights"}},
		{name: "weight where there is input", edit: func(p *matching.Project) {
			*p = matching.Project{Name: "x", Suppliers: []matching.Partner{{Commune: "80021"}},
				Weights: map[string]float64{matching.SupplyChain: 1, matching.Transport: 0, matching.Labour: 0, matching.Land: 0, matching.Training: 0, matching.Territory: 0}}
		}},
		{name: "negative weight", edit: func(p *matching.Project) { p.Weights[matching.Labour] = -1 }, fields: []string{"project.weights.labour"}},
		{name: "NaN weight", edit: func(p *matching.Project) { p.Weights[matching.Land] = math.NaN() }, fields: []string{"project.weights.land"}},
		{name: "unknown criterion", edit: func(p *matching.Project) { p.Weights["price"] = 3 }, fields: []string{"project.weights.price"}},
		{name: "every field at once", edit: func(p *matching.Project) {
			p.Name = ""
			p.Sector = "space"
			p.Jobs = ptr(0)
			p.LandHa = ptr(-1.0)
			p.Trades = []string{"usinage", "forge"}
			p.Suppliers[0].Commune = "00000"
			p.Suppliers[1].Lat = ptr(91.0)
			p.Suppliers[1].Lon = ptr(-181.0)
			p.Customers = append(p.Customers, matching.Partner{}, matching.Partner{Commune: "80021", Lon: ptr(2.0), Lat: ptr(49.0)})
			p.Transport["tram"] = 1
			p.Constraints.Kinds = []string{"turnkey", "factory"}
			p.Constraints.Regions = []string{"99"}
			p.Constraints.Departements = []string{"20"}
			p.Constraints.MaxKm["bus"] = 5
			p.Constraints.VetoBelow = ptr(-0.5)
			p.Weights[matching.Labour] = -2
		}, fields: []string{
			"project.constraints.departements[0]", "project.constraints.kinds[1]", "project.constraints.max_km.bus",
			"project.constraints.regions[0]", "project.constraints.veto_below",
			"project.customers[2]", "project.customers[3]",
			"project.jobs", "project.land_ha", "project.name", "project.sector",
			"project.suppliers[0].commune", "project.suppliers[1].lat", "project.suppliers[1].lon",
			"project.trades[1]", "project.transport.tram", "project.weights.labour",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := validProject()
			tc.edit(&p)
			err := matching.Validate(p, cat, "project")
			if got := fieldsOf(t, err); !slices.Equal(got, tc.fields) {
				t.Errorf("invalid fields %q, want %q (%v)", got, tc.fields, err)
			}
			// Match validates the same way and reports the same fields.
			_, err = e.Match(p, matching.Options{Limit: 1})
			if got := fieldsOf(t, err); !slices.Equal(got, tc.fields) {
				t.Errorf("Match: invalid fields %q, want %q", got, tc.fields)
			}
		})
	}
}

func TestMatchOptionsValidated(t *testing.T) {
	e := matching.SharedEngine(t)
	cases := []struct {
		name   string
		opt    matching.Options
		fields []string
	}{
		{name: "defaults", opt: matching.Options{}},
		{name: "largest limit", opt: matching.Options{Limit: matching.MaxLimit}},
		{name: "limit too large", opt: matching.Options{Limit: matching.MaxLimit + 1}, fields: []string{"limit"}},
		{name: "negative limit", opt: matching.Options{Limit: -1}, fields: []string{"limit"}},
		{name: "too many draws", opt: matching.Options{Robustness: true, Draws: matching.MaxDraws + 1}, fields: []string{"draws"}},
		{name: "both", opt: matching.Options{Limit: -1, Draws: -1}, fields: []string{"draws", "limit"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Match(validProject(), tc.opt)
			if got := fieldsOf(t, err); !slices.Equal(got, tc.fields) {
				t.Errorf("invalid fields %q, want %q", got, tc.fields)
			}
		})
	}
}

// contractProject is CONTRACT.md's example project.
const contractProject = `{
  "name": "Unité de production de protéines d'insectes",
  "sector": "agrifood",
  "jobs": 150,
  "land_ha": 12,
  "trades": ["maintenance", "agroalimentaire"],
  "suppliers": [
    {"name": "Coopérative céréalière", "commune": "80021", "weight": 2},
    {"name": "Fournisseur d'emballages", "lon": 2.83, "lat": 50.28}
  ],
  "customers": [{"name": "Port de Rouen", "lon": 1.06, "lat": 49.44}],
  "transport": {"motorway": 1, "rail_freight": 0.5, "port": 0.5, "airport": 0, "station": 0.5},
  "constraints": {
    "regions": ["32"], "departements": [], "kinds": ["turnkey", "brownfield", "zone"],
    "max_km": {"motorway": 20}, "require_known_area": false, "veto_below": 0.1
  },
  "weights": {"supply_chain": 30, "transport": 25, "labour": 15, "training": 15, "land": 10, "territory": 5}
}`

func TestDecodeContractProject(t *testing.T) {
	p, err := api.DecodeProject([]byte(contractProject), "project")
	if err != nil {
		t.Fatal(err)
	}
	if p.Jobs == nil || *p.Jobs != 150 || p.LandHa == nil || *p.LandHa != 12 || len(p.Suppliers) != 2 ||
		p.Suppliers[0].Commune != "80021" || *p.Suppliers[0].Weight != 2 || *p.Suppliers[1].Lat != 50.28 ||
		p.Customers[0].Commune != "" || p.Transport[matching.Port] != 0.5 || p.Constraints.MaxKm[matching.Motorway] != 20 ||
		*p.Constraints.VetoBelow != 0.1 || p.Weights[matching.Territory] != 5 || p.Constraints.Departements == nil {
		t.Errorf("decoded %+v", p)
	}
	if err := matching.Validate(p, matching.SharedEngine(t).Catalogue(), "project"); err != nil {
		t.Errorf("CONTRACT.md's example is invalid: %v", err)
	}
}

func TestDecodeProject(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		fields    []string // type errors and unknown fields
		malformed bool
		invalid   []string // what Validate then reports
	}{
		{name: "minimal", body: `{"name": "x"}`},
		{name: "nulls are absent", body: `{"name": "x", "jobs": null, "suppliers": null, "constraints": {"veto_below": null}}`},
		{name: "unknown field", body: `{"name": "x", "colour": "red"}`, fields: []string{"project.colour"}},
		{name: "unknown nested field", body: `{"name": "x", "suppliers": [{"commune": "80021"}, {"commune": "80021", "foo": 1}]}`,
			fields: []string{"project.suppliers[1].foo"}},
		{name: "unknown constraint", body: `{"name": "x", "constraints": {"radius_km": 3}}`, fields: []string{"project.constraints.radius_km"}},
		{name: "jobs as a string", body: `{"name": "x", "jobs": "150"}`, fields: []string{"project.jobs"}},
		{name: "jobs not whole", body: `{"name": "x", "jobs": 1.5}`, fields: []string{"project.jobs"}},
		{name: "jobs far too many", body: `{"name": "x", "jobs": 1e10}`, fields: []string{"project.jobs"}},
		{name: "lat NaN as a string", body: `{"name": "x", "suppliers": [{"lon": 2, "lat": "NaN"}]}`, fields: []string{"project.suppliers[0].lat"}},
		{name: "huge number", body: `{"name": "x", "land_ha": 1e400}`, fields: []string{"project.land_ha"}},
		{name: "huge negative number", body: `{"name": "x", "customers": [{"lon": -1e400, "lat": 0}]}`, fields: []string{"project.customers[0].lon"}},
		{name: "tiny number reads as 0", body: `{"name": "x", "land_ha": 1e-400}`, invalid: []string{"project.land_ha"}},
		{name: "name not a string", body: `{"name": 5}`, fields: []string{"project.name"}},
		{name: "trades not an array", body: `{"name": "x", "trades": "usinage"}`, fields: []string{"project.trades"}},
		{name: "trade not a string", body: `{"name": "x", "trades": ["usinage", 3]}`, fields: []string{"project.trades[1]"}},
		{name: "suppliers an object", body: `{"name": "x", "suppliers": {"commune": "80021"}}`, fields: []string{"project.suppliers"}},
		{name: "partner not an object", body: `{"name": "x", "customers": ["80021"]}`, fields: []string{"project.customers[0]"}},
		{name: "constraints an array", body: `{"name": "x", "constraints": []}`, fields: []string{"project.constraints"}},
		{name: "importance a boolean", body: `{"name": "x", "transport": {"port": true}}`, fields: []string{"project.transport.port"}},
		{name: "flag a string", body: `{"name": "x", "constraints": {"require_known_area": "yes"}}`, fields: []string{"project.constraints.require_known_area"}},
		{name: "not an object", body: `[]`, fields: []string{"project"}},
		{name: "several at once", body: `{"name": "x", "jobs": "150", "land_ha": true, "suppliers": [{"commune": 80021, "bar": 1}], "extra": 1}`,
			fields: []string{"project.extra", "project.jobs", "project.land_ha", "project.suppliers[0].bar", "project.suppliers[0].commune"}},
		{name: "too many partners", body: `{"name": "x", "suppliers": [` + strings.Repeat(`{"commune": "80021"},`, 1001) + `{"commune": "80021"}]}`,
			fields: []string{"project.suppliers"}},
		{name: "valid types, invalid values", body: `{"name": "x", "land_ha": -1, "suppliers": [{"lon": 2, "lat": 91}]}`,
			invalid: []string{"project.land_ha", "project.suppliers[0].lat"}},
		// An integer field out of range is refused while decoding, with the
		// domain's range in the message, so 1e10 never reads as an int32.
		{name: "jobs out of range", body: `{"name": "x", "jobs": 1e10}`, fields: []string{"project.jobs"}},
		{name: "malformed", body: `{"name": "x",}`, malformed: true},
		{name: "truncated", body: `{"name": "x"`, malformed: true},
		{name: "empty body", body: ``, malformed: true},
		{name: "only spaces", body: " \n\t", malformed: true},
		{name: "trailing value", body: `{"name": "a"} {"name": "b"}`, malformed: true},
		{name: "trailing garbage", body: `{"name": "a"} x`, malformed: true},
		{name: "NaN literal", body: `{"name": "a", "land_ha": NaN}`, malformed: true},
	}
	cat := matching.SharedEngine(t).Catalogue()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := api.DecodeProject([]byte(tc.body), "project")
			if tc.malformed {
				if !errors.Is(err, api.ErrMalformed) {
					t.Errorf("error %v, want one wrapping api.ErrMalformed", err)
				}
				return
			}
			if errors.Is(err, api.ErrMalformed) {
				t.Fatalf("well-formed JSON reported malformed: %v", err)
			}
			if got := fieldsOf(t, err); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %q, want %q (%v)", got, tc.fields, err)
			}
			if err != nil {
				return
			}
			if got := fieldsOf(t, matching.Validate(p, cat, "project")); !slices.Equal(got, tc.invalid) {
				t.Errorf("Validate: fields %q, want %q", got, tc.invalid)
			}
		})
	}
}

// TestValidateDecoded: wrong types and wrong values in one request are
// reported together, without the echoes of a field that failed to decode.
func TestValidateDecoded(t *testing.T) {
	cat := matching.SharedEngine(t).Catalogue()
	cases := []struct {
		name   string
		body   string
		fields []string
	}{
		{name: "valid", body: contractProject},
		{name: "values only", body: `{"name": "x", "land_ha": 0, "suppliers": [{"lon": 2, "lat": 91}]}`,
			fields: []string{"project.land_ha", "project.suppliers[0].lat"}},
		{name: "types and values", body: `{"name": 5, "jobs": "150", "land_ha": 0, "colour": 1,
			"suppliers": [{"commune": 80021}, {"lon": 2, "lat": 91}, {"lon": 2, "lat": "49"}]}`,
			fields: []string{"project.colour", "project.jobs", "project.land_ha", "project.name",
				"project.suppliers[0].commune", "project.suppliers[1].lat", "project.suppliers[2].lat"}},
		{name: "not an object", body: `[1]`, fields: []string{"project"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := api.DecodeProject([]byte(tc.body), "project")
			if got := fieldsOf(t, api.ValidateDecoded(err, p, cat, "project")); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %q, want %q", got, tc.fields)
			}
		})
	}
	if err := api.ValidateDecoded(fmt.Errorf("%w: x", api.ErrMalformed), matching.Project{}, cat, "project"); !errors.Is(err, api.ErrMalformed) {
		t.Errorf("malformed body: %v", err)
	}
}
