package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"sitematch/data"
	"sitematch/geo"
)

// irepFile is the IREP register of polluting emissions, about 2015.
const irepFile = "industry/irep_etablissements_registre_emissions_polluantes_c2015.csv"

// urssafPattern finds an Urssaf "établissements et effectifs salariés par
// commune × APE" file: the national one or a regional extract, same format.
const urssafPattern = "industry/urssaf_etab-effectifs_commune-x-ape*.csv"

// facilityMaxKm is how far from the nearest commune centre an IREP point
// may lie and still be placed in it (the largest communes span about 20 km
// from their centre; Arles, the largest, about 30).
const facilityMaxKm = 30

// facilities reads the IREP establishments: located rows only, each given
// the A38 branch of its APE division and the commune whose centre is
// nearest. Agriculture (NAF section A, divisions 01-03) is left out: those
// rows are intensive livestock farms (E-PRTR 7.(a)) and a few
// establishments whose operator's APE code is agricultural, not suppliers
// of an industry's intermediate consumption in the sense of the table.
func (b *builder) facilities() error {
	t, err := readTable(b.dir, irepFile, ',')
	if err != nil {
		return err
	}
	if err := t.need("Identifiant", "Nom_Etablissement", "Numero_SIRET", "Code_APE", "Libelle_APE", "code_eprtr", "lon", "lat"); err != nil {
		return err
	}
	l := b.layer("establishments", irepFile)
	var metro []int // communes of metropolitan France, to place the points
	for i, c := range b.cat.Communes {
		if !strings.HasPrefix(c.Dep, "97") {
			metro = append(metro, i)
		}
	}
	ix := new(geo.Index[int])
	for _, i := range metro {
		ix.Insert(b.cat.Communes[i].Point, i)
	}
	seen := map[string]bool{}
	agri := 0
	err = t.each(func(r row) error {
		l.Read++
		id := r.Get("Identifiant")
		switch {
		case id == "":
			return r.fail("Identifiant", "is empty")
		case seen[id]:
			l.skip("duplicate Identifiant")
			return nil
		}
		seen[id] = true
		if r.Get("lon") == "" || r.Get("lat") == "" {
			l.skip("no converted coordinates (overseas rows in a local projection, one invalid X/Y)")
			return nil
		}
		p, err := r.LonLat("lon", "lat")
		if err != nil {
			return err
		}
		ape := strings.ToUpper(strings.ReplaceAll(r.Get("Code_APE"), ".", ""))
		if len(ape) < 2 || ape[0] < '0' || ape[0] > '9' {
			l.skip("no APE code")
			return nil
		}
		if div := ape[:2]; div == "01" || div == "02" || div == "03" {
			agri++
			l.skip("agriculture, NAF 01-03 (mostly intensive livestock farms, E-PRTR 7.(a))")
			return nil
		}
		branch, ok := b.cat.IO.BranchOfNAF(ape)
		if !ok {
			l.skip("APE division unknown to the NAF → A38 bridge")
			return nil
		}
		hits := ix.Nearest(p, 1, facilityMaxKm)
		if len(hits) == 0 {
			l.skip(fmt.Sprintf("no commune centre within %d km", facilityMaxKm))
			return nil
		}
		b.cat.Facilities = append(b.cat.Facilities, data.Facility{ID: id, Name: r.Get("Nom_Etablissement"), SIRET: r.Get("Numero_SIRET"),
			Commune: b.cat.Communes[hits[0].Value].Code, NAF: ape, Activity: r.Get("Libelle_APE"), Branch: branch,
			EPRTR: r.Get("code_eprtr"), Point: p})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(b.cat.Facilities, func(i, j int) bool { return b.cat.Facilities[i].ID < b.cat.Facilities[j].ID })
	l.Notes = append(l.Notes,
		fmt.Sprintf("large emitters only (IREP reporting thresholds), about 2015; %d agricultural rows (NAF 01-03) left out", agri),
		"commune: the commune whose centre is nearest the point (IREP gives a postcode and a name, not an INSEE code)")
	b.done(l)
	b.source("establishments", l)
	return nil
}

var urssafYear = regexp.MustCompile(`^Effectifs salariés (\d{4})$`)

// jobs reads an Urssaf commune × APE file when the raw folder holds one:
// the salaried jobs and employer establishments of the latest year, one
// record per commune × APE with jobs. A row whose latest-year figures are
// blank (statistical secrecy or no employer that year) is left out. Without
// such a file the layer is empty and the ecosystem criterion counts IREP
// establishments everywhere.
func (b *builder) jobs() error {
	file, ok := urssafFile(b.dir)
	if !ok {
		b.source("jobs", &LayerReport{Notes: []string{"no Urssaf commune × APE file in the raw folder: layer empty"}})
		return nil
	}
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return err
	}
	year := 0
	for _, h := range t.names {
		if m := urssafYear.FindStringSubmatch(h); m != nil {
			y, _ := strconv.Atoi(m[1])
			year = max(year, y)
		}
	}
	if year == 0 {
		return &RowError{File: file, Line: 1, Err: fmt.Errorf("no \"Effectifs salariés YYYY\" column")}
	}
	jobsCol, estCol := fmt.Sprintf("Effectifs salariés %d", year), fmt.Sprintf("Nombre d'établissements %d", year)
	if err := t.need("Code commune", "Code APE", jobsCol, estCol); err != nil {
		return err
	}
	l := b.layer("jobs", file)
	err = t.each(func(r row) error {
		l.Read++
		if r.Get(jobsCol) == "" {
			l.skip(fmt.Sprintf("no salaried jobs in %d (blank)", year))
			return nil
		}
		jobs, err := r.Float(jobsCol)
		if err != nil {
			return err
		}
		est := 0.0
		if r.Get(estCol) != "" {
			if est, err = r.Float(estCol); err != nil {
				return err
			}
		}
		if jobs <= 0 {
			l.skip(fmt.Sprintf("no salaried jobs in %d (0)", year))
			return nil
		}
		c, _, ok := b.commune(r.Get("Code commune"))
		if !ok {
			l.skip("commune code unknown to the commune file")
			return nil
		}
		ape := strings.ToUpper(strings.ReplaceAll(r.Get("Code APE"), ".", ""))
		branch, ok := b.cat.IO.BranchOfNAF(ape)
		if !ok {
			l.skip("APE division unknown to the NAF → A38 bridge")
			return nil
		}
		b.cat.Jobs = append(b.cat.Jobs, data.CommuneJobs{Commune: c.Code, APE: ape, Branch: branch, Year: year,
			Establishments: int(est), Jobs: int(jobs)})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(b.cat.Jobs, func(i, j int) bool {
		a, c := b.cat.Jobs[i], b.cat.Jobs[j]
		if a.Commune != c.Commune {
			return a.Commune < c.Commune
		}
		return a.APE < c.APE
	})
	deps := b.cat.JobsCoverage()
	l.Notes = append(l.Notes, fmt.Sprintf("year %d; covers département(s) %s only", year, strings.Join(deps, ", ")))
	b.done(l)
	b.source("jobs", l)
	return nil
}

// urssafFile picks the Urssaf file of the raw folder: the national file
// when there is one beside a regional extract (a name without "SAMPLE"),
// else the lexically last.
func urssafFile(dir string) (string, bool) {
	m, _ := filepath.Glob(filepath.Join(dir, urssafPattern))
	if len(m) == 0 {
		return "", false
	}
	sort.Slice(m, func(i, j int) bool {
		si, sj := strings.Contains(strings.ToUpper(m[i]), "SAMPLE"), strings.Contains(strings.ToUpper(m[j]), "SAMPLE")
		if si != sj {
			return si
		}
		return m[i] < m[j]
	})
	rel, err := filepath.Rel(dir, m[len(m)-1])
	return rel, err == nil
}
