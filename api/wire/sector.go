package wire

import (
	"sitematch/data"
	"sitematch/matching"
)

// BranchShareJSON is an A38 branch with a share of the input-output table.
type BranchShareJSON struct {
	Branch string  `json:"branch"`
	Label  string  `json:"label"`
	Share  float64 `json:"share"`
}

// SectorResponse is the answer of GET /v1/sectors/{naf}: a NAF code's A38
// branch and its main supplier and customer branches (INSEE TEI 2018).
type SectorResponse struct {
	NAF         string `json:"naf"`
	Division    string `json:"division"`
	Branch      string `json:"branch"`
	BranchLabel string `json:"branch_label"`
	// Suppliers: the products with the largest shares of the branch's
	// intermediate consumption, the share being that coefficient.
	Suppliers []BranchShareJSON `json:"suppliers"`
	// Customers: the branches in whose intermediate consumption the
	// branch's product weighs most, the share being that coefficient (the
	// table gives shares of the buyer's consumption, not of the seller's
	// output).
	Customers []BranchShareJSON `json:"customers"`
	// Profiles are the sector profiles that name the code's division among
	// their typical NAF codes.
	Profiles []string `json:"profiles"`
	Source   string   `json:"source"`
}

// NewSectorResponse converts a sector profile for the wire: shares
// rounded to 4 decimals, the input-output table's source.
func NewSectorResponse(p *matching.SectorProfile, cat *data.Catalogue) SectorResponse {
	out := SectorResponse{NAF: p.NAF, Division: p.Division, Branch: p.Branch, BranchLabel: p.BranchLabel,
		Suppliers: branchShares(p.Suppliers), Customers: branchShares(p.Customers), Profiles: NonNil(p.Profiles)}
	if s, ok := cat.SourceOf("io_table"); ok {
		out.Source = s.Publisher + " (" + s.Vintage + ")"
	}
	return out
}

func branchShares(xs []matching.BranchShare) []BranchShareJSON {
	out := make([]BranchShareJSON, len(xs))
	for i, x := range xs {
		out[i] = BranchShareJSON{x.Branch, x.Label, Round(x.Share, 4)}
	}
	return out
}
