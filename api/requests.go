package api

import (
	"fmt"
	"math"

	"sitematch/api/wire"
	"sitematch/matching"
)

// CompareRequest is the body of POST /v1/compare:
// {"project": {…}, "site_ids": ["turnkey:HDF-1", "brownfield:80021_1234"]}.
type CompareRequest struct {
	Project matching.Project
	SiteIDs []string
}

// maxIDs bounds the site ids read before validation, so that a huge array
// is refused cheaply; the engine then checks the 2-10 range.
const maxIDs = 1000

// DecodeCompareRequest reads the body of POST /v1/compare. Type errors and
// unknown fields come back as a *matching.ValidationError; a body that is
// not JSON wraps ErrMalformed. The engine checks the values.
func DecodeCompareRequest(body []byte) (CompareRequest, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return CompareRequest{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var (
		req  CompareRequest
		errs matching.ValidationError
	)
	n, ok := newNode("", v, &errs)
	if !ok {
		return req, errs.Err()
	}
	if pv, has := n.get("project"); !has {
		errs.Add("project", "is required")
	} else {
		req.Project = projectFrom(pv, "project", &errs)
	}
	if raw, has := n.m["site_ids"]; !has || raw == nil {
		n.used["site_ids"] = true
		errs.Add("site_ids", "is required: %d to %d site ids", matching.MinCompare, matching.MaxCompare)
	} else if arr, isArr := raw.([]any); isArr && len(arr) > maxIDs {
		n.used["site_ids"] = true
		errs.Add("site_ids", "must name between %d and %d sites, got %d", matching.MinCompare, matching.MaxCompare, len(arr))
	} else {
		req.SiteIDs = n.strs("site_ids")
	}
	n.done()
	return req, errs.Err()
}

// DecodeShortlistRequest reads the body of POST /v1/shortlist:
// {"region": "28", "kinds": ["turnkey"], "sectors": ["aeronautics"],
// "min_km": 25, "runners_up": 5}. Only region is required: an INSEE code
// or a name ("normandie"), resolved by wire.Shortlist. runners_up is 0 (none)
// to matching.MaxRunnersUp, matching.DefaultRunnersUp when absent.
func DecodeShortlistRequest(body []byte) (wire.ShortlistRequest, error) {
	req := wire.ShortlistRequest{RunnersUp: matching.DefaultRunnersUp}
	v, err := decodeJSON(body)
	if err != nil {
		return req, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var errs matching.ValidationError
	n, ok := newNode("", v, &errs)
	if !ok {
		return req, errs.Err()
	}
	if _, has := n.m["region"]; !has {
		errs.Add("region", "is required: an INSEE région code such as \"28\", or a name such as \"Normandie\"")
	}
	req.Region = n.str("region")
	req.Kinds = boundedStrs(n, "kinds", 100)
	req.Sectors = boundedStrs(n, "sectors", 100)
	if f := n.num("min_km"); f != nil {
		if *f <= 0 || *f > 2000 || math.IsNaN(*f) {
			errs.Add("min_km", "must be a positive number of kilometres up to 2000")
		} else {
			req.MinKm = *f
		}
	}
	if r := n.integer("runners_up", 0, matching.MaxRunnersUp); r != nil {
		req.RunnersUp = int(*r)
	}
	n.done()
	return req, errs.Err()
}

// boundedStrs reads an array of strings of at most max items.
func boundedStrs(n node, key string, max int) []string {
	if arr, ok := n.m[key].([]any); ok && len(arr) > max {
		n.used[key] = true
		n.errs.Add(n.at(key), "must hold at most %d items, got %d", max, len(arr))
		return nil
	}
	return n.strs(key)
}
