package importer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sitematch/data"
)

// substations reads the RTE substations (metropolitan France) and joins
// the Caparéseau postes sources on the RTE code. Caparéseau's first line
// holds the column codes and its second their French labels, which is
// skipped; its codes are padded with spaces to five characters.
func (b *builder) substations() error {
	file, err := glob(b.dir, "energy/rte_postes_electriques_*.csv")
	if err != nil {
		return err
	}
	capFile, err := glob(b.dir, "energy/capareseau_postes_sources_*.csv")
	if err != nil {
		return err
	}
	caps, err := readCapareseau(b.dir, capFile)
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return err
	}
	const codeCol, nameCol, funcCol, stateCol, kvCol = "Code poste", "Nom poste", "FONCTION", "Etat", "Tension (kV)"
	const lonCol, latCol = "Longitude poste (DD)", "Latitude poste (DD)"
	if err := t.need(codeCol, nameCol, funcCol, stateCol, kvCol, lonCol, latCol); err != nil {
		return err
	}
	l := b.layer("substations", file, capFile)
	times := map[string]int{}
	joined := map[string]bool{}
	err = t.each(func(r row) error {
		l.Read++
		code := r.Get(codeCol)
		if code == "" {
			return r.fail(codeCol, "is empty")
		}
		p, err := r.LonLat(lonCol, latCol)
		if err != nil {
			return err
		}
		s := data.Substation{ID: code, Name: r.Get(nameCol), Point: p,
			State: strings.ToLower(r.Get(stateCol))}
		switch f := r.Get(funcCol); f {
		case "Poste de transformation":
			s.Function = "transformation"
		case "Point de piquage":
			s.Function = "piquage"
		default:
			return r.fail(funcCol, "%q is neither a poste de transformation nor a point de piquage", f)
		}
		kv := r.Get(kvCol)
		if n, err := strconv.Atoi(strings.TrimSuffix(kv, "kV")); err == nil && n > 0 {
			s.VoltageKV = n
		} else {
			s.Voltage = kv
		}
		times[code]++
		if times[code] > 1 {
			s.ID = fmt.Sprintf("%s-%d", code, times[code])
			l.Notes = append(l.Notes, fmt.Sprintf("code %s listed %d times (%s, %s): the later row is %s", code, times[code], s.Name, kv, s.ID))
		}
		if c, ok := caps[code]; ok {
			s.Capareseau, s.RemainingMW, s.TransformerMVA = true, c.remainingMW, c.transformerMVA
			joined[code] = true
		}
		b.cat.Substations = append(b.cat.Substations, s)
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(b.cat.Substations, func(i, j int) bool { return b.cat.Substations[i].ID < b.cat.Substations[j].ID })
	withCap := 0
	for _, s := range b.cat.Substations {
		if s.Capareseau {
			withCap++
		}
	}
	l.Notes = append(l.Notes,
		fmt.Sprintf("%d of %d Caparéseau postes sources joined on the RTE code (codes trimmed); %d substations carry their capacity", len(joined), len(caps), withCap),
		"Caparéseau gives the capacity reserved for renewables still to allocate (injection), not the power a consumer can draw",
		"metropolitan France only: RTE's file has no overseas substation")
	b.done(l)
	b.source("substations", l)
	return nil
}

// capacity is a Caparéseau poste source's figures.
type capacity struct {
	remainingMW    float64 // INFO_NA, MW
	transformerMVA float64 // GRD1_PTRE, MVA, 0 when not given
}

// readCapareseau reads the Caparéseau national file: line 1 the column
// codes, line 2 their labels (skipped), then one poste source per line.
func readCapareseau(dir, file string) (map[string]capacity, error) {
	t, err := readTable(dir, file, ';')
	if err != nil {
		return nil, err
	}
	if err := t.need("Code", "INFO_NA", "GRD1_PTRE"); err != nil {
		return nil, err
	}
	out := map[string]capacity{}
	err = t.each(func(r row) error {
		if r.i == 0 && r.Get("Code") == "Code" { // the labels line
			return nil
		}
		code := r.Get("Code")
		if code == "" {
			return r.fail("Code", "is empty")
		}
		if _, dup := out[code]; dup {
			return r.fail("Code", "poste source %q is listed twice", code)
		}
		var c capacity
		if r.Get("INFO_NA") != "" {
			v, err := r.Float("INFO_NA")
			if err != nil {
				return err
			}
			c.remainingMW = v
		}
		if r.Get("GRD1_PTRE") != "" {
			v, err := r.Float("GRD1_PTRE")
			if err != nil {
				return err
			}
			c.transformerMVA = v
		}
		out[code] = c
		return nil
	})
	return out, err
}
