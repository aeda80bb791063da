package api

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/matching"
)

// MaxSectorLinks is how many supplier and customer branches GET
// /v1/sectors/{naf} lists.
const MaxSectorLinks = 10

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

// NewSectorResponse describes a NAF code from the input-output table.
func NewSectorResponse(cat *data.Catalogue, code string) (SectorResponse, error) {
	naf, branch, err := matching.NormalizeNAF(code, &cat.IO)
	if err != nil {
		var ve matching.ValidationError
		ve.Add("naf", "%s", err)
		return SectorResponse{}, &paramError{&ve}
	}
	out := SectorResponse{NAF: naf, Division: naf[:2], Branch: branch, BranchLabel: data.A38Labels[branch],
		Suppliers: []BranchShareJSON{}, Customers: []BranchShareJSON{}, Profiles: []string{}}
	for _, c := range cat.IO.Suppliers(branch) {
		out.Suppliers = append(out.Suppliers, BranchShareJSON{c.Supplier, data.A38Labels[c.Supplier], wire.Round(c.Share, 4)})
	}
	for _, b := range cat.IO.Branches {
		if s := cat.IO.Share(b.Code, branch); s > 0 {
			out.Customers = append(out.Customers, BranchShareJSON{b.Code, b.Label, wire.Round(s, 4)})
		}
	}
	top := func(xs []BranchShareJSON) []BranchShareJSON {
		slices.SortStableFunc(xs, func(a, b BranchShareJSON) int {
			return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.Branch, b.Branch))
		})
		return xs[:min(len(xs), MaxSectorLinks)]
	}
	out.Suppliers, out.Customers = top(out.Suppliers), top(out.Customers)
	for _, p := range matching.Profiles {
		if slices.ContainsFunc(p.NAF, func(n string) bool { return n[:2] == out.Division }) {
			out.Profiles = append(out.Profiles, p.ID)
		}
	}
	if s, ok := cat.SourceOf("io_table"); ok {
		out.Source = s.Publisher + " (" + s.Vintage + ")"
	}
	return out, nil
}

// sector answers GET /v1/sectors/{naf}.
func (s *Server) sector(c echo.Context) error {
	out, err := NewSectorResponse(s.engine().Catalogue(), pathParam(c, "naf"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mimeJSON, out)
}
