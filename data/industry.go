package data

import (
	"slices"

	"github.com/paulmach/orb"
)

// Facility is a large industrial establishment of the IREP register of
// polluting emissions (Registre des émissions polluantes, about 2015):
// the plants above the E-PRTR or national reporting thresholds, so large
// emitters only, not the whole industrial fabric.
type Facility struct {
	ID       string // IREP identifier
	Name     string
	SIRET    string
	Commune  string // INSEE code of the commune whose centre is nearest the point (IREP gives a postcode and a name only)
	NAF      string // APE code of the establishment, e.g. "3030Z"
	Activity string // APE label (French)
	Branch   string // A38 branch of the NAF division (IOTable.BranchOfNAF)
	EPRTR    string // E-PRTR activity code, e.g. "2.(f)"
	Point    orb.Point
}

// CommuneJobs is one row of the Urssaf file "établissements employeurs et
// effectifs salariés du secteur privé par commune × APE": the salaried
// jobs of one APE code in one commune, latest year of the file.
type CommuneJobs struct {
	Commune        string // INSEE code
	APE            string // e.g. "2030Z"
	Branch         string // A38 branch of the APE division
	Year           int
	Establishments int
	Jobs           int
}

// JobsCoverage returns the départements the Urssaf jobs layer covers,
// sorted: those of its communes. An extract covers only its own
// départements; the national file covers them all.
func (c *Catalogue) JobsCoverage() []string {
	seen := map[string]bool{}
	var out []string
	for _, j := range c.Jobs {
		cm, ok := c.Commune(j.Commune)
		if !ok || seen[cm.Dep] {
			continue
		}
		seen[cm.Dep] = true
		out = append(out, cm.Dep)
	}
	slices.Sort(out)
	return out
}

func facilityCols() []column[Facility] {
	cols := []column[Facility]{
		strCol("id", func(f *Facility) *string { return &f.ID }),
		strCol("name", func(f *Facility) *string { return &f.Name }),
		strCol("siret", func(f *Facility) *string { return &f.SIRET }),
		strCol("commune", func(f *Facility) *string { return &f.Commune }),
		strCol("naf", func(f *Facility) *string { return &f.NAF }),
		strCol("activity", func(f *Facility) *string { return &f.Activity }),
		strCol("branch", func(f *Facility) *string { return &f.Branch }),
		strCol("eprtr", func(f *Facility) *string { return &f.EPRTR }),
	}
	return append(cols, pointCols(func(f *Facility) *orb.Point { return &f.Point })...)
}

func communeJobsCols() []column[CommuneJobs] {
	return []column[CommuneJobs]{
		strCol("commune", func(j *CommuneJobs) *string { return &j.Commune }),
		strCol("ape", func(j *CommuneJobs) *string { return &j.APE }),
		strCol("branch", func(j *CommuneJobs) *string { return &j.Branch }),
		intCol("year", func(j *CommuneJobs) *int { return &j.Year }),
		intCol("establishments", func(j *CommuneJobs) *int { return &j.Establishments }),
		intCol("jobs", func(j *CommuneJobs) *int { return &j.Jobs }),
	}
}
