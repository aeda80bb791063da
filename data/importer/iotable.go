package importer

import (
	"fmt"
	"sort"

	"sitematch/data"
)

// The INSEE input-output files.
const (
	teiFile       = "industry/insee_tes/InseeDataTEI_2018.csv"
	branchesFile  = "industry/insee_tes/lib_Branches.csv"
	divisionsFile = "industry/insee_tes/lib_Divisions.csv"
)

// ioBranches reads the A38 branches of the input-output table; their
// labels, empty in lib_Branches.csv, come from data.A38Labels.
func (b *builder) ioBranches() error {
	bfile := branchesFile
	io := &b.cat.IO

	bt, err := readTable(b.dir, bfile, ';')
	if err != nil {
		return err
	}
	if err := bt.need("CODE", "NACE_R2"); err != nil {
		return err
	}
	lb := b.layer("io_branches", bfile)
	known := map[string]bool{}
	err = bt.each(func(r row) error {
		lb.Read++
		code := r.Get("CODE")
		label, ok := data.A38Labels[code]
		if !ok {
			return r.fail("CODE", "%q is not an A38 branch of data.A38Labels", code)
		}
		if known[code] {
			return r.fail("CODE", "%q is listed twice", code)
		}
		known[code] = true
		io.Branches = append(io.Branches, data.Branch{Code: code, NACE: r.Get("NACE_R2"), Label: label})
		lb.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(io.Branches, func(i, j int) bool { return io.Branches[i].Code < io.Branches[j].Code })
	lb.Notes = append(lb.Notes, "labels from the INSEE A38 nomenclature (data.A38Labels): the file's LIBELLE column is empty")
	b.done(lb)
	b.source("io_branches", lb)
	return nil
}

// knownBranches is the set of A38 codes read by ioBranches.
func (b *builder) knownBranches() map[string]bool {
	out := map[string]bool{}
	for _, br := range b.cat.IO.Branches {
		out[br.Code] = true
	}
	return out
}

// ioCells reads the input-output table (TEI, A38: a row is the buying
// branch, a column the product supplied, a value that product's share of
// the branch's intermediate consumption). Zero cells are not kept.
func (b *builder) ioCells() error {
	tei, bfile, io, known := teiFile, branchesFile, &b.cat.IO, b.knownBranches()

	tt, err := readTable(b.dir, tei, ';')
	if err != nil {
		return err
	}
	if err := tt.need("BRANCH"); err != nil {
		return err
	}
	for _, col := range tt.names[1:] {
		if !known[col] {
			return &RowError{File: tei, Line: 1, Field: col, Err: fmt.Errorf("column %q is not a branch of %s", col, bfile)}
		}
	}
	lt := b.layer("io_table", tei)
	buyers := 0
	err = tt.each(func(r row) error {
		buyer := r.Get("BRANCH")
		if !known[buyer] {
			return r.fail("BRANCH", "%q is not a branch of %s", buyer, bfile)
		}
		buyers++
		for _, sup := range tt.names[1:] {
			lt.Read++
			v, err := r.Float(sup)
			if err != nil {
				return err
			}
			if v < 0 || v > 1 {
				return r.fail(sup, "share %v is outside [0, 1]", v)
			}
			if v == 0 {
				lt.skip("zero coefficient (not stored: Share returns 0)")
				continue
			}
			io.Cells = append(io.Cells, data.IOCell{Buyer: buyer, Supplier: sup, Share: v})
			lt.Kept++
		}
		return nil
	})
	if err != nil {
		return err
	}
	data.SortCells(io.Cells)
	lt.Notes = append(lt.Notes, fmt.Sprintf("%d buying branches × %d products, 2018, base 2014; TZ (households as employers) buys nothing", buyers, len(tt.names)-1))
	b.done(lt)
	b.source("io_table", lt)
	return nil
}

// nafDivisions reads the NAF division → A38 branch bridge.
func (b *builder) nafDivisions() error {
	dfile, bfile, io, known := divisionsFile, branchesFile, &b.cat.IO, b.knownBranches()

	dt, err := readTable(b.dir, dfile, ';')
	if err != nil {
		return err
	}
	if err := dt.need("DIVISION", "BRANCH"); err != nil {
		return err
	}
	ld := b.layer("naf_a38", dfile)
	seen := map[string]bool{}
	err = dt.each(func(r row) error {
		ld.Read++
		div, br := r.Get("DIVISION"), r.Get("BRANCH")
		if len(div) != 2 {
			return r.fail("DIVISION", "%q is not a two-digit NAF division", div)
		}
		if !known[br] {
			return r.fail("BRANCH", "%q is not a branch of %s", br, bfile)
		}
		if seen[div] {
			return r.fail("DIVISION", "%q is listed twice", div)
		}
		seen[div] = true
		io.Divisions = append(io.Divisions, data.NAFDivision{Division: div, Branch: br})
		ld.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(io.Divisions, func(i, j int) bool { return io.Divisions[i].Division < io.Divisions[j].Division })
	b.done(ld)
	b.source("naf_a38", ld)
	return nil
}
