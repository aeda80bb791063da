package wire

import (
	"context"
	"errors"
	"slices"

	"sitematch/data"
	"sitematch/matching"
)

// CanonicalProject returns p with the région and département names in its
// constraints replaced by their INSEE codes (data's RegionCode and
// DepartementCode: case, accents, hyphens and spaces ignored), so that the
// engine and every response see codes only. A value that names nothing is
// left as it is, for matching.Validate to report with the valid codes. p
// is not modified.
func CanonicalProject(p matching.Project, cat *data.Catalogue) matching.Project {
	canon := func(vals []string, code func(string) (string, error)) []string {
		if vals == nil {
			return nil
		}
		out := slices.Clone(vals)
		for i, v := range out {
			if c, err := code(v); err == nil {
				out[i] = c
			}
		}
		return out
	}
	p.Constraints.Regions = canon(p.Constraints.Regions, cat.RegionCode)
	p.Constraints.Departements = canon(p.Constraints.Departements, cat.DepartementCode)
	return p
}

// ShortlistRequest is a regional shortlist as POST /v1/shortlist and
// `sitematch shortlist` ask for it. RunnersUp is the exact number of
// runner-up pairs, as in matching.ShortlistRequest: 0 asks for none.
// DecodeShortlistRequest and the command line apply
// matching.DefaultRunnersUp when it is not given.
type ShortlistRequest struct {
	Region    string   // INSEE code or name of the région (data.Catalogue.RegionCode)
	Kinds     []string // matching.DefaultShortlistKinds when empty
	Sectors   []string // matching.DefaultShortlistSectors when empty
	MinKm     float64  // matching.DefaultShortlistMinKm when 0
	RunnersUp int      // 0 to matching.MaxRunnersUp
}

// Shortlist resolves the région, checks RunnersUp and runs the engine's
// shortlist. Every invalid field is reported at once, as a
// *matching.ValidationError naming it (region, kinds[i], sectors[i],
// min_km, runners_up); an unknown région's message lists the valid codes
// with their names.
func Shortlist(eng *matching.Engine, req ShortlistRequest) (*matching.Shortlist, error) {
	return ShortlistContext(context.Background(), eng, req)
}

// ShortlistContext is Shortlist stopping early, with ctx's error wrapped,
// when ctx ends.
func ShortlistContext(ctx context.Context, eng *matching.Engine, req ShortlistRequest) (*matching.Shortlist, error) {
	var ve matching.ValidationError
	region, rerr := eng.Catalogue().RegionCode(req.Region)
	if rerr != nil {
		ve.Add("region", "%s", rerr)
		region = req.Region
	}
	if req.RunnersUp < 0 || req.RunnersUp > matching.MaxRunnersUp {
		ve.Add("runners_up", "must be between 0 (none) and %d", matching.MaxRunnersUp)
	}
	sl, err := eng.ShortlistContext(ctx, matching.ShortlistRequest{Region: region, Kinds: req.Kinds, Sectors: req.Sectors,
		MinKm: req.MinKm, RunnersUp: min(max(req.RunnersUp, 0), matching.MaxRunnersUp)})
	if err != nil {
		var mve *matching.ValidationError
		if !errors.As(err, &mve) {
			return nil, err
		}
		for _, f := range mve.Fields {
			if f.Field != "region" || rerr == nil {
				ve.Fields = append(ve.Fields, f)
			}
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	return sl, nil
}
