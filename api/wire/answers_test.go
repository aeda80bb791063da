package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"sitematch/data"
	"sitematch/matching"
)

var (
	engOnce sync.Once
	engVal  *matching.Engine
	engErr  error
)

// testEngine is the snapshot's engine, built once for the package's tests.
func testEngine(tb testing.TB) *matching.Engine {
	tb.Helper()
	engOnce.Do(func() {
		var cat *data.Catalogue
		if cat, engErr = data.LoadEmbedded(); engErr == nil {
			engVal, engErr = matching.NewEngine(cat)
		}
	})
	if engErr != nil {
		tb.Fatal(engErr)
	}
	return engVal
}

// tricky are strings every escaping rule of encoding/json applies to.
var tricky = []string{"Usine Δ", `Atelier "Nord" <&> \ fin`, "ligne\nsuivante\ttab\rret\bb\ff", "ctl\x01\x1f\x7f",
	"sep\u2028par\u2029", "bad\xffutf8\xc3", "Saint-Étienne — Cœur, ½ ∑ 😀", strings.Repeat("é", 40) + `"`}

// nafs are NAF codes with an ecosystem (the supplier branches of their
// division), some of them Seveso-prone.
var nafs = []string{"20.14Z", "30.30Z", "29.10Z", "25.62A", "10.71A", "24.10Z", "22.29A", "27.12Z", "21.20Z", "13.20Z"}

// randomMatch draws a project and options touching every option of a
// match: sectors, NAF, trades, partners by commune and by point with
// weights and NAFs, the supply decay and centrality, transport
// importances, every constraint, weights, Seveso, a date, limits up to
// 1000, robustness and the per-commune bound.
func randomMatch(rng *rand.Rand, cat *data.Catalogue) (matching.Project, matching.Options) {
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	maybe := func(p float64) bool { return rng.Float64() < p }
	fp := func(v float64) *float64 { return &v }
	p := matching.Project{Name: pick(tricky)}
	if maybe(0.6) {
		p.Sector = matching.Profiles[rng.IntN(len(matching.Profiles))].ID
	}
	if maybe(0.4) {
		p.NAF = pick(nafs)
	}
	if maybe(0.7) {
		j := 1 + rng.IntN(2000)
		p.Jobs = &j
	}
	if maybe(0.7) {
		p.LandHa = fp([]float64{1, 5, 10, 2.5, 0.5 + rng.Float64()*60}[rng.IntN(5)])
	}
	if maybe(0.5) {
		for _, f := range data.TradeFamilies {
			if maybe(0.3) {
				p.Trades = append(p.Trades, f.ID)
			}
		}
	}
	partners := func() []matching.Partner {
		n := rng.IntN(8)
		if maybe(0.15) {
			n = 10 + rng.IntN(60)
		}
		var out []matching.Partner
		for range n {
			var x matching.Partner
			if maybe(0.5) {
				x.Name = pick(tricky)
			}
			if maybe(0.6) {
				x.Commune = cat.Communes[rng.IntN(len(cat.Communes))].Code
			} else {
				x.Lon, x.Lat = fp(-4.5+rng.Float64()*12), fp(42.5+rng.Float64()*8.5)
			}
			if maybe(0.4) {
				x.Weight = fp([]float64{0.5, 2, 3, rng.Float64() * 5}[rng.IntN(4)])
			}
			if maybe(0.2) {
				x.NAF = pick(nafs)
			}
			out = append(out, x)
		}
		return out
	}
	p.Suppliers, p.Customers = partners(), partners()
	if maybe(0.3) {
		p.Supply.NearKm, p.Supply.FarKm = fp(5+rng.Float64()*30), fp(100+rng.Float64()*300)
	}
	if maybe(0.25) {
		p.Supply.Mode = []string{matching.SupplyModeCentrality, matching.SupplyModeDecay}[rng.IntN(2)]
	}
	if maybe(0.4) {
		p.Transport = map[string]float64{}
		for _, m := range matching.TransportModes {
			if maybe(0.5) {
				p.Transport[m.ID] = float64(rng.IntN(4))
			}
		}
	}
	c := &p.Constraints
	if maybe(0.25) {
		for range 1 + rng.IntN(3) {
			c.Regions = append(c.Regions, cat.Regions[rng.IntN(len(cat.Regions))].Code)
		}
	}
	if maybe(0.15) {
		for range 1 + rng.IntN(4) {
			c.Departements = append(c.Departements, cat.Departements[rng.IntN(len(cat.Departements))].Code)
		}
	}
	if maybe(0.4) {
		kinds := []string{data.KindTurnkey, data.KindZone, data.KindBrownfield, data.KindTown}
		for _, k := range kinds {
			if maybe(0.5) {
				c.Kinds = append(c.Kinds, k)
			}
		}
	}
	if maybe(0.2) {
		c.MaxKm = map[string]float64{matching.TransportModes[rng.IntN(len(matching.TransportModes))].ID: 20 + rng.Float64()*80}
	}
	c.RequireKnownArea = maybe(0.2)
	if maybe(0.1) {
		c.VetoBelow = fp(rng.Float64() * 0.2)
	}
	c.AllowOtherLandmass = maybe(0.2)
	c.IncludeUnverified, c.IncludeNonIndustrial, c.IncludeCommitted = maybe(0.4), maybe(0.4), maybe(0.4)
	if maybe(0.3) {
		p.Weights = map[string]float64{}
		for _, id := range matching.Criteria {
			if maybe(0.4) {
				p.Weights[id] = float64(rng.IntN(5))
			}
		}
	}
	if maybe(0.25) {
		p.Seveso = []string{matching.SevesoUpper, matching.SevesoLower}[rng.IntN(2)]
	}
	if maybe(0.3) {
		p.NeededBy = []string{"2026", "2027-06", "2028", "2026-03"}[rng.IntN(4)]
	}
	o := matching.Options{Limit: 1 + rng.IntN(30), Seed: rng.Uint64N(1 << 53)}
	if maybe(0.15) {
		o.Limit = 90 + rng.IntN(911)
	}
	if maybe(0.2) {
		o.Robustness, o.Draws = true, 5+rng.IntN(20)
	}
	if maybe(0.3) {
		o.MaxPerCommune = []int{1, 3, matching.MaxLimit}[rng.IntN(3)]
	}
	return p, o
}

// plainLine is the reference: encoding/json's encoding of a wire value,
// without HTML escaping.
func plainLine(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := plainErr(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// firstDiff describes where two encodings part.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(i-120, 0)
	return fmt.Sprintf("at byte %d of %d/%d:\n got …%s\nwant …%s", i, len(got), len(want),
		got[lo:min(i+80, len(got))], want[lo:min(i+80, len(want))])
}

// TestAnswersEqualPlain is the answer encoder's oracle: over seeded random
// matches (every option, limits up to 1000 so that detailed_results is
// cut at 100), comparisons and shortlists, Answers writes the bytes
// encoding/json writes for the wire types. So that no field of a wire type
// can be forgotten by the encoder unseen, every field of every struct the
// answers hold (the details behind `any` included, one detail type per
// criterion) must be non-zero in at least one answer of the corpus, but
// the few listed that no answer can fill.
func TestAnswersEqualPlain(t *testing.T) {
	eng := testEngine(t)
	cat := eng.Catalogue()
	a := NewAnswers(eng)
	rng := rand.New(rand.NewPCG(20261201, 12))
	cov := newCoverage()
	n := 120
	if testing.Short() {
		n = 30
	}
	matched, refused := 0, 0
	for i := range n {
		p, o := randomMatch(rng, cat)
		res, err := eng.Match(CanonicalProject(p, cat), o)
		if err != nil {
			refused++
			continue
		}
		matched++
		mr := NewMatchResponse(res, cat)
		cov.walk(reflect.ValueOf(mr))
		want := plainLine(t, mr)
		got, err := a.AppendMatch(nil, res)
		if err != nil {
			t.Fatalf("project %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("project %d (limit %d): match answer differs %s", i, o.Limit, firstDiff(got, want))
		}
		// A batch line: the members after a prefix of the caller's.
		line, _ := a.AppendMatchMembers([]byte(`{"line":1,`), res)
		if !bytes.Equal(line[len(`{"line":1,`):], want[1:]) {
			t.Fatalf("project %d: members differ from the answer", i)
		}
		if len(res.Results) < 2 {
			continue
		}
		ids := []string{}
		for _, r := range res.Results[:min(len(res.Results), 2+rng.IntN(8))] {
			ids = append(ids, r.Candidate.Site.ID)
		}
		cands := eng.Candidates()
		ids = append(ids, cands[rng.IntN(len(cands))].Site.ID) // maybe excluded by the project
		cmp, err := eng.Compare(CanonicalProject(p, cat), ids)
		if err != nil {
			continue
		}
		cr := NewCompareResponse(cmp, cat)
		cov.walk(reflect.ValueOf(cr))
		got, err = a.AppendCompare(nil, cmp)
		if err != nil {
			t.Fatal(err)
		}
		if want := plainLine(t, cr); !bytes.Equal(got, want) {
			t.Fatalf("project %d: compare answer differs %s", i, firstDiff(got, want))
		}
	}
	if matched < n*2/3 {
		t.Fatalf("only %d of %d random projects matched (%d refused): the corpus is too thin", matched, n, refused)
	}
	for i, reg := range cat.Regions {
		if testing.Short() && i > 2 {
			break
		}
		req := ShortlistRequest{Region: reg.Code, RunnersUp: rng.IntN(6)}
		if i%3 == 1 {
			req.Kinds, req.MinKm = []string{data.KindTown, data.KindBrownfield}, 5
		}
		sl, err := Shortlist(eng, req)
		if err != nil {
			t.Fatalf("shortlist %s: %v", reg.Code, err)
		}
		sr := NewShortlistResponse(sl, cat)
		cov.walk(reflect.ValueOf(sr))
		got, err := a.AppendShortlist(nil, sl)
		if err != nil {
			t.Fatal(err)
		}
		if want := plainLine(t, sr); !bytes.Equal(got, want) {
			t.Fatalf("shortlist %s differs %s", reg.Code, firstDiff(got, want))
		}
	}
	if testing.Short() {
		return
	}
	if len(cov.details) != len(matching.Criteria) {
		t.Errorf("the corpus holds %d detail types for %d criteria: %v", len(cov.details), len(matching.Criteria), cov.details)
	}
	// Fields no match, comparison or shortlist answer fills, and the
	// site's, which Answers encodes with encoding/json (NewSiteJSON).
	never := map[string]bool{
		"EnergyDetailJSON.NotApplicable": true, // GET /v1/sites/{id} only
		"ResultJSON.NotApplicable":       true, // rare: TestAnswersEqualPlainEdited sets it
	}
	var missing []string
	for f := range cov.fields {
		if !cov.set[f] && !never[f] && !strings.HasPrefix(f, "SiteJSON.") && !strings.HasPrefix(f, "CommuneRef.") {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no answer of the corpus fills %v: widen randomMatch so that the encoder is checked on them", missing)
	}
	// And every omitempty field is left out at least once, so that the
	// encoder is checked on leaving it out.
	var kept []string
	for f := range cov.set {
		if cov.omittable[f] && !cov.omitted[f] && !strings.HasPrefix(f, "SiteJSON.") && !editedOut[f] {
			kept = append(kept, f)
		}
	}
	sort.Strings(kept)
	if len(kept) > 0 {
		t.Errorf("no answer of the corpus leaves out %v: widen randomMatch", kept)
	}
}

// editedOut are the omitempty fields no answer leaves out (a project's
// supply decay is resolved from its profile; a family's nearest lycée
// rarely has trades read from its name), which
// TestAnswersEqualPlainEdited leaves out.
var editedOut = map[string]bool{"ProjectJSON.SupplyChain": true, "SupplyDecayJSON.NearKm": true, "SupplyDecayJSON.FarKm": true,
	"SupplyDecayJSON.Mode": true, "LyceeRefJSON.Pupils": true}

// TestAnswersEqualPlainEdited holds the encoder to encoding/json on
// results edited into what the engine rarely or never gives: a criterion
// missing from a result (its not_applicable), a criterion twice (a map
// keeps the last), no detail, no exclusion map, no result, the fields
// of editedOut left out; the path a
// detail type unknown to the encoder would take; and a NaN refused as
// encoding/json refuses it.
func TestAnswersEqualPlainEdited(t *testing.T) {
	eng := testEngine(t)
	cat := eng.Catalogue()
	a := NewAnswers(eng)
	jobs := 300
	res, err := eng.Match(matching.Project{Name: "edited", Sector: "chemistry", NAF: "20.14Z", Jobs: &jobs, Seveso: matching.SevesoUpper,
		Suppliers: []matching.Partner{{Commune: "69123"}, {Commune: "13055"}}}, matching.Options{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	edits := map[string]func(r *matching.Result){
		"missing criterion": func(r *matching.Result) { r.Results[0].Criteria = r.Results[0].Criteria[1:] },
		"criterion twice": func(r *matching.Result) {
			c := r.Results[1].Criteria
			dup := c[0]
			dup.Score, dup.Explain = 0.123456, "le second"
			r.Results[1].Criteria = append(c, dup)
		},
		"no detail":       func(r *matching.Result) { r.Results[0].Criteria[0].Detail = nil },
		"no exclusion":    func(r *matching.Result) { r.Excluded, r.SevesoExcluded = nil, map[string]int{} },
		"no supply decay": func(r *matching.Result) { r.Project.Supply = matching.SupplyDecay{} },
		"far_km alone": func(r *matching.Result) {
			far := 120.0
			r.Project.Supply = matching.SupplyDecay{FarKm: &far}
		},
		"mode alone": func(r *matching.Result) { r.Project.Supply = matching.SupplyDecay{Mode: matching.SupplyModeDecay} },
		"lycées without pupils": func(r *matching.Result) {
			for i, c := range r.Results[0].Criteria {
				if d, ok := c.Detail.(*matching.TrainingDetail); ok {
					td := *d
					td.Families = slices.Clone(d.Families)
					for j := range td.Families {
						if n := td.Families[j].Nearest; n != nil {
							l := *n
							l.Pupils = nil
							td.Families[j].Nearest = &l
						}
					}
					r.Results[0].Criteria[i].Detail = &td
				}
			}
		},
		"no result": func(r *matching.Result) { r.Results = nil },
	}
	unedited := plainLine(t, NewMatchResponse(res, cat))
	for name, edit := range edits {
		r := *res
		r.Results = slices.Clone(res.Results)
		for i := range r.Results {
			r.Results[i].Criteria = slices.Clone(r.Results[i].Criteria)
		}
		edit(&r)
		got, err := a.AppendMatch(nil, &r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := plainLine(t, NewMatchResponse(&r, cat))
		if bytes.Equal(want, unedited) {
			t.Errorf("%s: the edit changes nothing", name)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: answer differs %s", name, firstDiff(got, want))
		}
	}
	// The reflection path a detail type unknown to the encoder takes.
	for _, c := range res.Results[0].Criteria {
		var fast, slow enc
		fast.detail(c.Detail)
		slow.detailPlain(c.Detail)
		if !bytes.Equal(fast.b, slow.b) || slow.err != nil {
			t.Errorf("%s: the fallback differs (%v) %s", c.ID, slow.err, firstDiff(slow.b, fast.b))
		}
	}
	r := *res
	r.Results = slices.Clone(res.Results)
	r.Results[0].Score = math.NaN()
	if _, err := a.AppendMatch(nil, &r); err == nil {
		t.Error("a NaN score encoded without error")
	}
	if _, err := plainErr(NewMatchResponse(&r, cat)); err == nil {
		t.Error("encoding/json took a NaN score")
	}
}

// coverage records the fields of the wire structs an answer holds, and
// those set (non-zero) at least once.
type coverage struct {
	fields, set map[string]bool
	omittable   map[string]bool // the omitempty fields
	omitted     map[string]bool // omitempty fields seen empty, so left out
	details     map[string]bool // the dynamic types of CriterionJSON.Detail
}

func newCoverage() *coverage {
	return &coverage{fields: map[string]bool{}, set: map[string]bool{}, omittable: map[string]bool{}, omitted: map[string]bool{}, details: map[string]bool{}}
}

func (c *coverage) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			if v.Kind() == reflect.Interface {
				c.details[v.Elem().Type().String()] = true
			}
			c.walk(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			c.walk(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			c.walk(it.Value())
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := t.Name() + "." + f.Name
			if t.Name() == "" {
				name = "(anonymous " + f.Name + ")"
			}
			c.fields[name] = true
			empty := v.Field(i).IsZero() || (f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Map) && v.Field(i).Len() == 0
			if !v.Field(i).IsZero() {
				c.set[name] = true
			}
			if strings.HasSuffix(f.Tag.Get("json"), ",omitempty") {
				c.omittable[name] = true
				if empty {
					c.omitted[name] = true
				}
			}
			c.walk(v.Field(i))
		}
	}
}

// TestAppendString compares appendString with encoding/json on every
// escaping case, around the eight-byte boundaries of its scan, and on
// random bytes.
func TestAppendString(t *testing.T) {
	cases := append([]string{"", "a", "12345678", "1234567\"", "\"1234567", "abcdefg\xe2\x80\xa8", "abcdefgh\u2029ij",
		"1234567\xc3\xa9", "abcdefghijklmnopq\\", "\x00\x00\x00\x00\x00\x00\x00\x00", "~~~~~~~~\x7f"}, tricky...)
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "Z", " ", "\"", "\\", "\n", "\x00", "\x1f", "é", "€", "\u2028", "\xff", "\xe2\x80", "😀", "<", "&"}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(40) {
			if rng.IntN(3) == 0 {
				sb.WriteString(alphabet[rng.IntN(len(alphabet))])
			} else {
				sb.WriteByte(byte(0x20 + rng.IntN(0x5f)))
			}
		}
		cases = append(cases, sb.String())
	}
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := appendString(nil, s), plainLine(t, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, encoding/json %s", s, got, want)
		}
	}
}

// TestAppendFloat compares appendFloat with encoding/json on rounded
// figures (its short path), on the edges of both paths and on random bit
// patterns.
func TestAppendFloat(t *testing.T) {
	cases := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.2, 0.3, 1e-6, 9.99e-7, 1e-7, 1e15, 1e15 - 1, 1e21, 1e20,
		1<<52 - 1, 1 << 52, 1<<53 + 1, 123456.789, 0.000001, 0.0000015, 1.5e-5, 5e-324, math.MaxFloat64, -math.MaxFloat64,
		4503599.627370496, 45035996.27370496, 0.30000000000000004, 2.675, 1.005, 99.995, -0.0001}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		x := (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(16)-4))
		cases = append(cases, x, Round(x, rng.IntN(7)), math.Float64frombits(rng.Uint64()))
	}
	for _, f := range cases {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if got, want := appendFloat(nil, f), plainLine(t, f); !bytes.Equal(got, want) {
			t.Fatalf("appendFloat(%v) = %s, encoding/json %s", f, got, want)
		}
	}
	// round, which writes Round(x, k) without computing it.
	for i, x := range cases {
		k := i % len(pow10)
		var r enc
		r.round(x, k)
		if y := Round(x, k); math.IsInf(y, 0) || math.IsNaN(y) {
			if r.err == nil {
				t.Fatalf("round(%v, %d) encoded without error", x, k)
			}
			continue
		}
		if want := plainLine(t, Round(x, k)); !bytes.Equal(r.b, want) || r.err != nil {
			t.Fatalf("round(%v, %d) = %s (%v), encoding/json of Round %s", x, k, r.b, r.err, want)
		}
	}
	var e enc
	e.num(math.NaN())
	var ue *json.UnsupportedValueError
	if !errors.As(e.err, &ue) {
		t.Errorf("a NaN encoded with error %v, want encoding/json's", e.err)
	}
}

// TestRoundPowers: Round's table of powers holds math.Pow's values, so
// that its figures are those it gave when it called math.Pow.
func TestRoundPowers(t *testing.T) {
	for d, p := range pow10 {
		if p != math.Pow(10, float64(d)) {
			t.Errorf("pow10[%d] = %v, math.Pow %v", d, p, math.Pow(10, float64(d)))
		}
	}
}
