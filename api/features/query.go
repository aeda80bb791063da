package features

import (
	"cmp"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/api/cql2"
	"sitematch/geo"
)

// OGC API Features Part 2 (crs, bbox-crs) and Part 3 (filter,
// filter-lang, filter-crs, queryables), with sortby and properties: the
// parameters of /collections/{collectionId}/items beyond Part 1's.

// itemsQuery are the parameters of an items request.
type itemsQuery struct {
	bbox          *orb.Bound // CRS84: the box, or the CRS84 envelope of a bbox-crs box
	bboxIn        *orb.Bound // the box in bboxCRS when it is not CRS84
	bboxCRS, crs  *crsDef
	filter        cql2.Expr
	sortby        []sortKey
	properties    []string // nil: every property
	limit, offset int
	// echo are the parameters the page links repeat (all but limit and
	// offset), as given.
	echo url.Values
}

type sortKey struct {
	name string
	desc bool
}

// itemsParams lists the query parameters /items accepts; any other is a
// 400 (OGC API Features, /req/core/query-param-unknown).
var itemsParams = []string{"bbox", "bbox-crs", "crs", "limit", "offset", "datetime", "f",
	"filter", "filter-lang", "filter-crs", "sortby", "properties"}

// parseItemsQuery validates the parameters of /items against the
// collection, naming each bad one.
func parseItemsQuery(q url.Values, col *Collection) (itemsQuery, error) {
	out := itemsQuery{limit: defaultItemsLimit, crs: &servedCRS[0], bboxCRS: &servedCRS[0], echo: url.Values{}}
	var ve ParamError
	for k, vs := range q {
		switch {
		case !slices.Contains(itemsParams, k):
			ve.add(k, "unknown query parameter (known: %s)", strings.Join(itemsParams, ", "))
		case len(vs) > 1:
			ve.add(k, "must be given once")
		case k != "limit" && k != "offset":
			out.echo.Set(k, vs[0])
		}
	}
	crsOf := func(p string) *crsDef {
		v, ok := q[p]
		if !ok {
			return &servedCRS[0]
		}
		c, ok := lookupCRS(v[0])
		if !ok {
			ve.add(p, "unsupported CRS %q (supported: %s)", v[0], strings.Join(CRSURIs(), ", "))
			return &servedCRS[0]
		}
		return c
	}
	out.crs, out.bboxCRS = crsOf("crs"), crsOf("bbox-crs")
	filterCRS := crsOf("filter-crs")
	if v, ok := q["bbox"]; ok {
		b, msg := parseBBox(v[0], out.bboxCRS)
		if msg != "" {
			ve.add("bbox", "%s", msg)
		} else if out.bboxCRS.identity() {
			out.bbox = b
		} else {
			out.bboxIn = b
			env := envelope84(*b, out.bboxCRS)
			out.bbox = &env
		}
	}
	if v, ok := q["limit"]; ok {
		// Over the maximum, the limit is capped (OGC API Features,
		// /req/core/fc-limit-response-1): the links carry the capped value.
		n, err := strconv.Atoi(v[0])
		switch {
		case err != nil && !overflowed(err):
			ve.add("limit", "must be a whole number between 1 and %d", MaxItemsLimit)
		case err == nil && n < 1:
			ve.add("limit", "must be at least 1, got %d", n)
		default:
			out.limit = min(n, MaxItemsLimit)
			if err != nil {
				out.limit = MaxItemsLimit
			}
		}
	}
	if v, ok := q["offset"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 || n > maxItemsOffset {
			ve.add("offset", "must be a whole number between 0 and %d", maxItemsOffset)
		} else {
			out.offset = n
		}
	}
	if v := q.Get("f"); v != "" && v != "json" && v != "geojson" {
		ve.add("f", "unsupported format %q (supported: json, geojson)", v)
	}
	queryables := col.queryableTypes()
	lang := q.Get("filter-lang")
	switch lang {
	case "", "cql2-text", "cql-text", "cql2-json":
	default:
		ve.add("filter-lang", "unsupported filter language %q (supported: cql2-text, cql2-json)", lang)
	}
	if v, ok := q["filter"]; ok {
		opts := cql2.Options{Queryables: queryables, Geometry: "geometry"}
		if !filterCRS.identity() {
			opts.ToCRS84 = filterCRS.toCRS84
		}
		var err error
		if lang == "cql2-json" || lang == "" && strings.HasPrefix(strings.TrimSpace(v[0]), "{") {
			out.filter, err = cql2.ParseJSON([]byte(v[0]), opts)
		} else {
			out.filter, err = cql2.ParseText(v[0], opts)
		}
		var ce *cql2.Error
		if errors.As(err, &ce) {
			ve.add("filter", "at %s: %s", ce.Pos, ce.Msg)
		}
	} else if _, ok := q["filter-crs"]; ok {
		ve.add("filter-crs", "given without a filter")
	}
	if v, ok := q["sortby"]; ok {
		for _, f := range strings.Split(v[0], ",") {
			f = strings.TrimSpace(f)
			k := sortKey{name: strings.TrimLeft(f, "+-"), desc: strings.HasPrefix(f, "-")}
			if t, ok := queryables[k.name]; !ok || t == cql2.Other {
				ve.add("sortby", "cannot sort by %q (sortable: the collection's queryables of a string, number or boolean type)", k.name)
			}
			out.sortby = append(out.sortby, k)
		}
	}
	if v, ok := q["properties"]; ok {
		out.properties = []string{}
		for _, p := range strings.Split(v[0], ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if _, ok := queryables[p]; !ok {
				ve.add("properties", "unknown property %q (see the collection's queryables)", p)
			}
			out.properties = append(out.properties, p)
		}
	}
	if err := ve.err(); err != nil {
		slices.SortFunc(ve.Fields, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
		return out, err
	}
	return out, nil
}

func overflowed(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) && !strings.HasPrefix(ne.Num, "-")
}

// envelope84 is the CRS84 envelope of a box of another CRS: its edges
// sampled, since a Lambert-93 box's edges are curves in longitude and
// latitude.
func envelope84(b orb.Bound, c *crsDef) orb.Bound {
	const n = 16
	out := orb.Bound{Min: c.toCRS84(b.Min[0], b.Min[1]), Max: c.toCRS84(b.Min[0], b.Min[1])}
	for i := range n + 1 {
		t := float64(i) / n
		x, y := b.Min[0]+t*(b.Max[0]-b.Min[0]), b.Min[1]+t*(b.Max[1]-b.Min[1])
		for _, p := range [][2]float64{{x, b.Min[1]}, {x, b.Max[1]}, {b.Min[0], y}, {b.Max[0], y}} {
			out = out.Extend(c.toCRS84(p[0], p[1]))
		}
	}
	return out
}

// select returns the indexes of the features the query matches, in the
// order it asks for: the bbox (exact in its own CRS), then the filter,
// then sortby (stable: catalogue order among equals, nulls last).
func (q *itemsQuery) selectFrom(col *Collection) []int {
	if q.filter == nil && len(q.sortby) == 0 && q.bboxIn == nil {
		return col.InBound(q.bbox) // an index search: no need to keep it
	}
	key := q.selectionKey()
	col.selMu.Lock()
	for _, s := range col.selCache {
		if s.key == key {
			col.selMu.Unlock()
			return s.idx
		}
	}
	col.selMu.Unlock()
	idx := q.compute(col)
	col.selMu.Lock()
	if len(col.selCache) >= maxSelections {
		col.selCache = slices.Delete(col.selCache, 0, 1)
	}
	col.selCache = append(col.selCache, selection{key, idx})
	col.selMu.Unlock()
	return idx
}

// selectionKey identifies what selectFrom computes: the parameters that
// choose and order the features (not crs, properties, limit, offset, f).
func (q *itemsQuery) selectionKey() string {
	var b strings.Builder
	for _, k := range []string{"bbox", "bbox-crs", "filter", "filter-lang", "filter-crs", "sortby"} {
		b.WriteString(k + "=" + q.echo.Get(k) + "\x00")
	}
	return b.String()
}

// compute is selectFrom without the cache.
func (q *itemsQuery) compute(col *Collection) []int {
	idx := col.InBound(q.bbox)
	if q.bboxIn != nil {
		idx = slices.DeleteFunc(idx, func(i int) bool {
			g := col.Geometry(i)
			return g == nil || !inBoxOf(g, *q.bboxIn, q.bboxCRS)
		})
	}
	if q.filter != nil {
		idx = slices.DeleteFunc(idx, func(i int) bool {
			return !cql2.Match(q.filter, cql2.Feature{Props: col.Properties(i), Geom: col.Geometry(i)})
		})
	}
	if len(q.sortby) > 0 {
		vals := make(map[int]geojson.Properties, len(idx))
		for _, i := range idx {
			vals[i] = col.Properties(i)
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			for _, k := range q.sortby {
				n := compareValues(vals[a][k.name], vals[b][k.name], k.desc)
				if n != 0 {
					return n
				}
			}
			return 0
		})
	}
	return idx
}

// inBoxOf reports whether g (CRS84) meets b, a box of the CRS c.
func inBoxOf(g orb.Geometry, b orb.Bound, c *crsDef) bool {
	switch g := g.(type) {
	case orb.Point:
		return b.Contains(c.from(g))
	case orb.Polygon:
		return geo.IntersectsBound(orb.MultiPolygon{projectPolygon(g, c)}, b)
	case orb.MultiPolygon:
		mp := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			mp[i] = projectPolygon(p, c)
		}
		return geo.IntersectsBound(mp, b)
	}
	return false
}

func projectPolygon(p orb.Polygon, c *crsDef) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = make(orb.Ring, len(r))
		for j, pt := range r {
			out[i][j] = c.from(pt)
		}
	}
	return out
}

// compareValues orders two property values for sortby: numbers, strings,
// booleans by value; null (or a value of another type) after any value,
// whichever the direction.
func compareValues(a, b any, desc bool) int {
	a, b = num(a), num(b)
	if a == nil || b == nil {
		return cmp.Compare(b2i(a == nil), b2i(b == nil))
	}
	var n int
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return 0
		}
		n = cmp.Compare(x, y)
	case string:
		y, ok := b.(string)
		if !ok {
			return 0
		}
		n = strings.Compare(x, y)
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0
		}
		n = cmp.Compare(b2i(x), b2i(y))
	default:
		return 0
	}
	if desc {
		return -n
	}
	return n
}

func num(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return v
}

// selectProperties keeps the properties asked for (properties=…).
func selectProperties(p geojson.Properties, keep []string) geojson.Properties {
	if keep == nil {
		return p
	}
	out := make(geojson.Properties, len(keep))
	for _, k := range keep {
		out[k] = p[k]
	}
	return out
}

// pageURL is the link to a page of the same query at offset.
func (q *itemsQuery) pageURL(base, collectionID string, offset int) string {
	v := url.Values{}
	for k, vs := range q.echo {
		v[k] = vs
	}
	v.Set("limit", strconv.Itoa(q.limit))
	v.Set("offset", strconv.Itoa(offset))
	return base + "/collections/" + url.PathEscape(collectionID) + "/items?" + v.Encode()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
