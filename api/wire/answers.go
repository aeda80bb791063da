package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"sitematch/data"
	"sitematch/matching"
)

// Answers encodes the answers of one engine straight from the engine's
// types, without reflection, into the bytes the wire types (MatchResponse,
// CompareResponse, ShortlistResponse) encode to with encoding/json and
// SetEscapeHTML(false): the same keys, values and order, whatever the
// answer (TestAnswersEqualPlain). What does not depend on the project is
// encoded once per engine: the coverage gaps, and each site's "site"
// object, the first time an answer lists it (one entry per candidate at
// most, 710 bytes on average: 18.7 MB for the 26,283 candidates of the
// snapshot once every one has been listed). An Answers is safe for
// concurrent use; a new engine gets a new one (package live keeps the
// current engine's).
type Answers struct {
	eng   *matching.Engine
	cat   *data.Catalogue
	gaps  []byte   // the coverage_gaps array
	sites sync.Map // *matching.Candidate → []byte, its SiteJSON
}

// NewAnswers returns the answer encoder of eng.
func NewAnswers(eng *matching.Engine) *Answers {
	a := &Answers{eng: eng, cat: eng.Catalogue()}
	var gaps []string // null when there are none, as NewMatchResponse leaves it
	for _, g := range data.Gaps {
		gaps = append(gaps, g.Text)
	}
	a.gaps = plain(gaps)
	return a
}

// Engine returns the engine whose answers a encodes.
func (a *Answers) Engine() *matching.Engine { return a.eng }

// plain encodes v with encoding/json as the wire does (no HTML escaping),
// without the newline; for the values encoded once, which hold no NaN.
func plain(v any) []byte {
	b, err := plainErr(v)
	if err != nil {
		panic(err)
	}
	return b
}

// plainErr encodes v with encoding/json as the wire does, without the
// newline.
func plainErr(v any) ([]byte, error) {
	var buf bytes.Buffer
	je := json.NewEncoder(&buf)
	je.SetEscapeHTML(false)
	if err := je.Encode(v); err != nil {
		return nil, fmt.Errorf("wire: encoding %T: %w", v, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// site appends the encoded SiteJSON of c, encoding it the first time.
func (a *Answers) site(e *enc, c *matching.Candidate) {
	if b, ok := a.sites.Load(c); ok {
		e.rawb(b.([]byte))
		return
	}
	b, err := plainErr(NewSiteJSON(c, a.cat))
	if err != nil {
		if e.err == nil {
			e.err = err
		}
		return
	}
	v, _ := a.sites.LoadOrStore(c, b)
	e.rawb(v.([]byte))
}

// AppendMatch appends the JSON of NewMatchResponse(r, catalogue) to dst,
// with no newline. An error (a figure that is not a number) leaves dst's
// extension undefined.
func (a *Answers) AppendMatch(dst []byte, r *matching.Result) ([]byte, error) {
	return a.AppendMatchMembers(append(dst, '{'), r)
}

// AppendMatchMembers is AppendMatch without the opening brace, for an
// answer that puts members of its own first (a batch line's line and
// status, followed by a comma).
func (a *Answers) AppendMatchMembers(dst []byte, r *matching.Result) ([]byte, error) {
	e := enc{b: dst}
	e.raw(`"data_version":`)
	e.str(r.DataVersion)
	e.raw(`,"project":`)
	e.project(&r.Project)
	e.raw(`,"considered":`)
	e.int(r.Considered)
	e.raw(`,"eligible":`)
	e.int(r.Eligible)
	e.raw(`,"excluded":`)
	e.intMap(r.Excluded)
	if len(r.SevesoExcluded) > 0 {
		e.raw(`,"excluded_seveso":`)
		e.intMap(r.SevesoExcluded)
	}
	e.raw(`,"not_applicable":`)
	e.strs(NonNil(r.NotApplicable))
	e.raw(`,"max_per_commune":`)
	e.int(r.MaxPerCommune)
	var rb *matching.Robustness // the last result's, as NewMatchResponse keeps it
	for i := range r.Results {
		if r.Results[i].Robustness != nil {
			rb = r.Results[i].Robustness
		}
	}
	if rb != nil {
		e.raw(`,"robustness":{"draws":`)
		e.int(rb.Draws)
		e.raw(`,"seed":`)
		e.b = strconv.AppendUint(e.b, rb.Seed, 10)
		e.raw(`,"k":`)
		e.int(rb.K)
		e.raw(`,"weight_spread":`)
		e.num(matching.WeightSpread)
		e.raw(`,"method":`)
		e.str(RobustnessMethod)
		e.raw(`}`)
	}
	e.raw(`,"results":[`)
	for i := range r.Results {
		rk := &r.Results[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"rank":`)
		e.int(rk.Rank)
		e.raw(`,"site":`)
		a.site(&e, rk.Candidate)
		e.raw(`,"score":`)
		e.round(rk.Score, 2)
		e.raw(`,"criteria":`)
		e.criteria(rk.Criteria, i < MaxDetailedResults)
		if na := resultNotApplicable(rk.Criteria, r.NotApplicable); len(na) > 0 {
			e.raw(`,"not_applicable":`)
			e.strs(na)
		}
		if rr := rk.Robustness; rr != nil {
			e.raw(`,"robustness":{"p_top_k":`)
			e.round(rr.PTopK, 3)
			e.raw(`,"rank_p5":`)
			e.int(rr.RankP5)
			e.raw(`,"rank_p95":`)
			e.int(rr.RankP95)
			e.raw(`}`)
		}
		if len(rk.Twins) > 0 {
			e.raw(`,"twins":`)
			e.strs(rk.Twins)
		}
		if len(rk.Flags) > 0 {
			e.raw(`,"flags":[`)
			for j, f := range rk.Flags {
				if j > 0 {
					e.raw(",")
				}
				e.raw(`{"id":`)
				e.str(f.ID)
				e.raw(`,"explain":`)
				e.str(f.Explain)
				e.raw(`}`)
			}
			e.raw(`]`)
		}
		e.raw(`}`)
	}
	e.raw(`],"detailed_results":`)
	e.int(min(len(r.Results), MaxDetailedResults))
	e.raw(`,"coverage_gaps":`)
	e.rawb(a.gaps)
	e.raw(`}`)
	return e.b, e.err
}

// AppendCompare appends the JSON of NewCompareResponse(cmp, catalogue) to
// dst, with no newline.
func (a *Answers) AppendCompare(dst []byte, cmp *matching.Comparison) ([]byte, error) {
	e := enc{b: dst}
	e.raw(`{"data_version":`)
	e.str(cmp.DataVersion)
	e.raw(`,"project":`)
	e.project(&cmp.Project)
	e.raw(`,"criteria":[`)
	n := 0
	for _, c := range matching.Criteria {
		if !slices.Contains(cmp.NotApplicable, c) {
			if n > 0 {
				e.raw(",")
			}
			e.str(c)
			n++
		}
	}
	e.raw(`],"not_applicable":`)
	e.strs(NonNil(cmp.NotApplicable))
	e.raw(`,"sites":[`)
	for i := range cmp.Sites {
		s := &cmp.Sites[i]
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"rank":`)
		e.int(s.Rank)
		e.raw(`,"site":`)
		a.site(&e, s.Candidate)
		e.raw(`,"score":`)
		e.round(s.Score, 2)
		e.raw(`,"criteria":`)
		e.criteria(s.Criteria, true)
		e.raw(`,"excluded_by":`)
		if s.ExcludedBy != "" {
			e.str(s.ExcludedBy)
		} else {
			e.raw("null")
		}
		e.raw(`}`)
	}
	e.raw(`],"coverage_gaps":`)
	e.strs(gapTexts())
	e.raw(`}`)
	return e.b, e.err
}

// AppendShortlist appends the JSON of NewShortlistResponse(sl, catalogue)
// to dst, with no newline.
func (a *Answers) AppendShortlist(dst []byte, sl *matching.Shortlist) ([]byte, error) {
	e := enc{b: dst}
	e.raw(`{"data_version":`)
	e.str(sl.DataVersion)
	e.raw(`,"region":{"code":`)
	e.str(sl.Region.Code)
	e.raw(`,"name":`)
	e.str(sl.Region.Name)
	e.raw(`},"kinds":`)
	e.strs(NonNil(sl.Kinds))
	e.raw(`,"sectors":[`)
	for i, p := range sl.Sectors {
		if i > 0 {
			e.raw(",")
		}
		e.str(p.ID)
	}
	e.raw(`],"min_km":`)
	e.num(sl.MinKm)
	e.raw(`,"considered":`)
	e.int(sl.Considered)
	e.raw(`,"scored":`)
	e.int(sl.Scored)
	e.raw(`,"best":`)
	if sl.Best != nil {
		a.pair(&e, sl.Best)
	} else {
		e.raw("null")
	}
	e.raw(`,"runners_up":[`)
	for i := range sl.RunnersUp {
		if i > 0 {
			e.raw(",")
		}
		a.pair(&e, &sl.RunnersUp[i])
	}
	e.raw(`],"explain":`)
	e.str(sl.Explain)
	e.raw(`}`)
	return e.b, e.err
}

func (a *Answers) pair(e *enc, p *matching.Pair) {
	e.raw(`{"a":`)
	e.str(p.A.Site.ID)
	e.raw(`,"b":`)
	e.str(p.B.Site.ID)
	e.raw(`,"site_a":`)
	a.site(e, p.A)
	e.raw(`,"site_b":`)
	a.site(e, p.B)
	e.raw(`,"value":`)
	e.round(p.Value, 2)
	e.raw(`,"backup":`)
	e.round(p.Backup, 2)
	e.raw(`,"km":`)
	e.num(p.Km)
	e.raw(`,"sectors":[`)
	for i, f := range p.Sectors {
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"sector":`)
		e.str(f.Sector)
		e.raw(`,"score_a":`)
		e.round(f.ScoreA, 2)
		e.raw(`,"score_b":`)
		e.round(f.ScoreB, 2)
		e.raw(`,"best":`)
		e.str(f.Best)
		e.raw(`}`)
	}
	e.raw(`],"explain":`)
	e.str(p.Explain)
	e.raw(`}`)
}
