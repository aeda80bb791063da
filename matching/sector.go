package matching

import (
	"cmp"
	"math"
	"slices"

	"sitematch/data"
)

// MaxSectorLinks is how many supplier and customer branches a sector
// profile lists.
const MaxSectorLinks = 10

// SectorProfile is a NAF code's A38 branch and its main supplier and
// customer branches (INSEE TEI 2018).
type SectorProfile struct {
	NAF, Division, Branch, BranchLabel string
	// Suppliers: the products with the largest shares of the branch's
	// intermediate consumption, the share being that coefficient.
	Suppliers []BranchShare
	// Customers: the branches in whose intermediate consumption the
	// branch's product weighs most, the share being that coefficient (the
	// table gives shares of the buyer's consumption, not of the seller's
	// output).
	Customers []BranchShare
	// Profiles are the sector profiles that name the code's division among
	// their typical NAF codes.
	Profiles []string
}

// BranchShare is an A38 branch with a share of the input-output table.
type BranchShare struct {
	Branch, Label string
	Share         float64
}

// Sector describes a NAF code from the input-output table, at most
// MaxSectorLinks suppliers and customers each, largest share first; a
// *ValidationError naming "naf" when the code is not one.
func Sector(code string, io *data.IOTable) (*SectorProfile, error) {
	naf, branch, err := NormalizeNAF(code, io)
	if err != nil {
		var ve ValidationError
		ve.Add("naf", "%s", err)
		return nil, &ve
	}
	out := &SectorProfile{NAF: naf, Division: naf[:2], Branch: branch, BranchLabel: data.A38Labels[branch],
		Suppliers: []BranchShare{}, Customers: []BranchShare{}, Profiles: []string{}}
	for _, c := range io.Suppliers(branch) {
		out.Suppliers = append(out.Suppliers, BranchShare{c.Supplier, data.A38Labels[c.Supplier], c.Share})
	}
	for _, b := range io.Branches {
		if s := io.Share(b.Code, branch); s > 0 {
			out.Customers = append(out.Customers, BranchShare{b.Code, b.Label, s})
		}
	}
	// Ordered by the share as published (4 decimals), then by code, so
	// that shares that read the same are listed alphabetically.
	published := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	top := func(xs []BranchShare) []BranchShare {
		slices.SortStableFunc(xs, func(a, b BranchShare) int {
			return cmp.Or(cmp.Compare(published(b.Share), published(a.Share)), cmp.Compare(a.Branch, b.Branch))
		})
		return xs[:min(len(xs), MaxSectorLinks)]
	}
	out.Suppliers, out.Customers = top(out.Suppliers), top(out.Customers)
	for _, p := range Profiles {
		if slices.ContainsFunc(p.NAF, func(n string) bool { return n[:2] == out.Division }) {
			out.Profiles = append(out.Profiles, p.ID)
		}
	}
	return out, nil
}
