package matching

import (
	"slices"
	"testing"
)

// projectWith builds a resolved-looking project that gives exactly the
// named inputs of criterion id (the vocabulary of criterion.inputs).
func projectWith(id string, inputs []string) *Project {
	p := &Project{Transport: map[string]float64{Motorway: 0}, Weights: map[string]float64{}}
	for _, in := range inputs {
		switch in {
		case "partners":
			p.Suppliers = []Partner{{Commune: "75056"}}
		case "transport":
			p.Transport[Motorway] = 0.5
		case "jobs":
			j := 10
			p.Jobs = &j
		case "land_ha":
			l := 5.0
			p.LandHa = &l
		case "naf":
			p.NAF = "30.30Z"
		case "seveso":
			p.Seveso = "upper"
		case "weight":
			p.Weights[id] = 10
		default:
			panic("unknown input " + in)
		}
	}
	return p
}

// TestInputsMatchApplies checks the published inputs against applies:
// a criterion applies when the project gives all its inputs, and not
// when any one of them is missing; one without inputs has no applies.
func TestInputsMatchApplies(t *testing.T) {
	vocabulary := []string{"partners", "transport", "jobs", "land_ha", "naf", "seveso", "weight"}
	for _, c := range criteria {
		t.Run(c.id, func(t *testing.T) {
			for _, in := range c.inputs {
				if !slices.Contains(vocabulary, in) {
					t.Fatalf("input %q is not in the published vocabulary %v", in, vocabulary)
				}
			}
			if (c.applies == nil) != (len(c.inputs) == 0) {
				t.Fatalf("applies nil = %v but inputs = %v", c.applies == nil, c.inputs)
			}
			if (c.forSite == nil) != (c.sites == "") {
				t.Fatalf("forSite nil = %v but sites = %q", c.forSite == nil, c.sites)
			}
			if c.applies == nil {
				return
			}
			if !c.applies(projectWith(c.id, c.inputs)) {
				t.Errorf("does not apply with all its inputs %v", c.inputs)
			}
			for i, in := range c.inputs {
				rest := slices.Delete(slices.Clone(c.inputs), i, i+1)
				if c.applies(projectWith(c.id, rest)) {
					t.Errorf("applies without %q", in)
				}
			}
			// Every other input given does not make it apply.
			others := slices.DeleteFunc(slices.Clone(vocabulary), func(v string) bool { return slices.Contains(c.inputs, v) })
			if c.applies(projectWith(c.id, others)) {
				t.Errorf("applies with none of its inputs %v (given %v)", c.inputs, others)
			}
		})
	}
}

// TestRequirementsFollowTheTable checks the exported list is the table's,
// in Criteria's order, and a copy.
func TestRequirementsFollowTheTable(t *testing.T) {
	rs := Requirements()
	if len(rs) != len(Criteria) {
		t.Fatalf("%d requirements for %d criteria", len(rs), len(Criteria))
	}
	for i, r := range rs {
		if r.ID != Criteria[i] || !slices.Equal(r.Requires, criteria[i].inputs) || r.Sites != criteria[i].sites {
			t.Errorf("requirement %d = %+v, table has %s %v %q", i, r, criteria[i].id, criteria[i].inputs, criteria[i].sites)
		}
		if r.Requires == nil {
			t.Errorf("%s: Requires is nil, want an empty list", r.ID)
		}
	}
	if len(rs[0].Requires) > 0 {
		rs[0].Requires[0] = "changed"
		if Requirements()[0].Requires[0] == "changed" {
			t.Error("Requirements shares the table's slices")
		}
	}
}
