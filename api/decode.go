package api

import (
	"errors"
	"fmt"
	"strings"

	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/matching"
)

// MatchRequest is the body of POST /v1/match.
type MatchRequest struct {
	Project    matching.Project
	Limit      int
	Robustness bool
	Seed       uint64
	Draws      int
	// MaxPerCommune bounds the results per commune (0: the default).
	MaxPerCommune int
}

// DecodeProject reads a project document (the JSON of docs/CONTRACT.md, "A
// project"). Type errors and unknown fields come back as a
// *matching.ValidationError with paths under prefix; a body that is not JSON
// wraps ErrMalformed. Values are checked later, by matching.Validate.
func DecodeProject(body []byte, prefix string) (matching.Project, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return matching.Project{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var errs matching.ValidationError
	p := projectFrom(v, prefix, &errs)
	return p, errs.Err()
}

// ValidateDecoded completes a decoding's field errors (err, from
// DecodeProject or DecodeMatchRequest) with those matching.Validate finds in
// the part of the project that did decode, so that a request with a wrong
// type in one field and a wrong value in another hears about both at once.
// A field at or under a path the decoding reported, or above it, is left
// out: a value that failed to decode looks missing to Validate. An err that
// is not a *matching.ValidationError (a malformed body) is returned as is.
func ValidateDecoded(err error, p matching.Project, cat *data.Catalogue, prefix string) error {
	var out matching.ValidationError
	if err != nil {
		var dec *matching.ValidationError
		if !errors.As(err, &dec) {
			return err
		}
		out.Fields = append(out.Fields, dec.Fields...)
	}
	var ve *matching.ValidationError
	if errors.As(matching.Validate(wire.CanonicalProject(p, cat), cat, prefix), &ve) {
		decoded := len(out.Fields)
		for _, f := range ve.Fields {
			related := false
			for _, d := range out.Fields[:decoded] {
				related = related || under(f.Field, d.Field) || under(d.Field, f.Field)
			}
			if !related {
				out.Fields = append(out.Fields, f)
			}
		}
	}
	return out.Err()
}

// under reports whether the field path a is b or lies under it.
func under(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(a, b+"[")
}

// DecodeMatchRequest reads the body of POST /v1/match:
// {"project": {…}, "limit": 20, "robustness": true, "seed": 1, "draws": 1000}.
func DecodeMatchRequest(body []byte) (MatchRequest, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return MatchRequest{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var errs matching.ValidationError
	req, ok := matchRequestFrom(v, &errs)
	if !ok {
		return req, errs.Err()
	}
	return req, errs.Err()
}

func matchRequestFrom(v any, errs *matching.ValidationError) (MatchRequest, bool) {
	var req MatchRequest
	n, ok := newNode("", v, errs)
	if !ok {
		return req, false
	}
	pv, has := n.get("project")
	if !has {
		errs.Add("project", "is required")
	} else {
		req.Project = projectFrom(pv, "project", errs)
	}
	if l := n.integer("limit", 1, matching.MaxLimit); l != nil {
		req.Limit = int(*l)
	}
	req.Robustness = n.boolean("robustness")
	if s := n.integer("seed", 0, 1<<53); s != nil {
		req.Seed = uint64(*s)
	}
	if d := n.integer("draws", 1, matching.MaxDraws); d != nil {
		req.Draws = int(*d)
	}
	if m := n.integer("max_per_commune", 1, matching.MaxLimit); m != nil {
		req.MaxPerCommune = int(*m)
	}
	n.done()
	return req, true
}

func projectFrom(v any, path string, errs *matching.ValidationError) matching.Project {
	var p matching.Project
	n, ok := newNode(path, v, errs)
	if !ok {
		return p
	}
	p.Name = n.str("name")
	p.Sector = n.str("sector")
	p.NAF = n.str("naf")
	if j := n.integer("jobs", 1, 100_000); j != nil {
		jobs := int(*j)
		p.Jobs = &jobs
	}
	p.LandHa = n.num("land_ha")
	p.Trades = n.strs("trades")
	p.Suppliers = partnersFrom(n, "suppliers")
	p.Customers = partnersFrom(n, "customers")
	if s, ok := n.object("supply_chain"); ok {
		p.Supply.NearKm = s.num("near_km")
		p.Supply.FarKm = s.num("far_km")
		p.Supply.Mode = s.str("mode")
		s.done()
	}
	p.Transport = n.numMap("transport")
	if c, ok := n.object("constraints"); ok {
		p.Constraints.Regions = c.strs("regions")
		p.Constraints.Departements = c.strs("departements")
		p.Constraints.Kinds = c.strs("kinds")
		p.Constraints.MaxKm = c.numMap("max_km")
		p.Constraints.RequireKnownArea = c.boolean("require_known_area")
		p.Constraints.AllowOtherLandmass = c.boolean("allow_other_landmass")
		p.Constraints.IncludeUnverified = c.boolean("include_unverified")
		p.Constraints.IncludeNonIndustrial = c.boolean("include_non_industrial")
		p.Constraints.IncludeCommitted = c.boolean("include_committed")
		p.Constraints.VetoBelow = c.num("veto_below")
		c.done()
	}
	p.Weights = n.numMap("weights")
	p.Seveso = n.str("seveso")
	p.NeededBy = n.str("needed_by")
	n.done()
	return p
}

func partnersFrom(n node, key string) []matching.Partner {
	arr := n.array(key)
	if len(arr) > maxArray {
		n.errs.Add(n.at(key), "must hold at most %d partners", matching.MaxPartners)
		return nil
	}
	var out []matching.Partner
	if arr != nil {
		out = make([]matching.Partner, 0, len(arr))
	}
	path := n.at(key)
	for i, x := range arr {
		pn, ok := newItemNode(path, i, x, n.errs)
		if !ok {
			continue
		}
		p := matching.Partner{Name: pn.str("name"), Commune: pn.str("commune"), Lon: pn.num("lon"), Lat: pn.num("lat"), Weight: pn.num("weight"), NAF: pn.str("naf")}
		pn.done()
		out = append(out, p)
	}
	return out
}
