package matching

import (
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"sitematch/geo"
)

// The ecosystem presence tables (DESIGN.md, "Ecosystem: cost"). For every
// fixed decay band (EcoBands) the establishments (or Urssaf jobs) are
// summed into square cells of side (far − near)/EcoGridDivisions, per
// presence column, at the centroid of each cell's points; the candidates
// are grouped into cells of the same side, evaluated at the cell's centre;
// and a cell of candidates gets, per column, Σ over the cells of
// establishments of weight · decay(centre to centroid).
// The work is cells × cells, done once at engine build, and a request
// reads a candidate's row: O(suppliers) per candidate.
//
// Error bound: the decay is Lipschitz with constant 1/(far − near), so
// moving a candidate by δc and an establishment by δe changes its term by
// at most (δc + δe)/(far − near), and a presence by at most the sum of
// that over the establishments either placement counts
// (TestEcosystemFromRawFiles checks it against the exact sum from the raw
// register). With cells of side (far − near)/16, δc is at most a half
// diagonal and δe a diagonal, about 4.4 % and 8.8 % of the ramp: a bound,
// not the typical error (about 1 %, measured), since most establishment
// cells hold one establishment (δe = 0) and the errors partly cancel.

// EcoGridDivisions is the number of cell sides in the decay's ramp, far −
// near.
const EcoGridDivisions = 16

// ecoEntry is one presence column's weight in an aggregated cell.
type ecoEntry struct {
	col int32
	w   float64
}

// ecoPoint is an item to aggregate: a point, its landmass and what it
// adds to each column.
type ecoPoint struct {
	p       orb.Point
	land    string
	entries []ecoEntry
}

// ecoCells is a layer's points aggregated into cells for one band, on one
// landmass, with a lattice of the cells for the radius walk.
type ecoCells struct {
	pts     []orb.Point // centroids (mean lon/lat)
	units   []geo.Unit
	entries [][]ecoEntry
	// rows: per lattice row y (from y0), its cells (x, index) by x;
	// minCos is the smallest cos(latitude) of the cells, for the walk's
	// reach in x.
	y0     int32
	rows   [][]latticeCell
	minCos float64
}

// latticeCell is an occupied cell of a lattice row.
type latticeCell struct{ x, i int32 }

// cellKey is a cell of the grid of side km.
type cellKey struct {
	land    string
	covered bool // candidates only: the Urssaf jobs layer covers the site
	x, y    int32
}

// gridCell returns the cell of a point for a cell side: an equirectangular
// grid at the mainland's mean latitude (a cell is about side × side km in
// mainland France; the error bound uses the real distances).
func gridCell(p orb.Point, side float64) (int32, int32) {
	const kmLon, kmLat = 111.32 * 0.6883, 110.57 // cos(46.5°)
	return int32(math.Floor(p[0] * kmLon / side)), int32(math.Floor(p[1] * kmLat / side))
}

// aggregate sums the points into cells of the side, per landmass.
func aggregate(items []ecoPoint, side float64) map[string]*ecoCells {
	type acc struct {
		lon, lat float64
		n        int
		w        map[int32]float64
		order    []int32
	}
	byKey := map[cellKey]*acc{}
	var keys []cellKey
	for _, it := range items {
		x, y := gridCell(it.p, side)
		k := cellKey{land: it.land, x: x, y: y}
		a, ok := byKey[k]
		if !ok {
			a = &acc{w: map[int32]float64{}}
			byKey[k] = a
			keys = append(keys, k)
		}
		a.lon += it.p[0]
		a.lat += it.p[1]
		a.n++
		for _, e := range it.entries {
			if _, seen := a.w[e.col]; !seen {
				a.order = append(a.order, e.col)
			}
			a.w[e.col] += e.w
		}
	}
	out := map[string]*ecoCells{}
	var xy [][2]int32
	for _, k := range keys {
		a := byKey[k]
		c := out[k.land]
		if c == nil {
			c = &ecoCells{minCos: 1}
			out[k.land] = c
		}
		p := orb.Point{a.lon / float64(a.n), a.lat / float64(a.n)}
		c.pts = append(c.pts, p)
		c.units = append(c.units, geo.ToUnit(p))
		es := make([]ecoEntry, len(a.order))
		for i, col := range a.order {
			es[i] = ecoEntry{col: col, w: a.w[col]}
		}
		c.entries = append(c.entries, es)
		xy = append(xy, [2]int32{k.x, k.y})
	}
	for land, c := range out {
		lo, hi := [2]int32{math.MaxInt32, math.MaxInt32}, [2]int32{math.MinInt32, math.MinInt32}
		_ = lo[0]
		var cells [][2]int32
		for i, k := range keys {
			if k.land == land {
				cells = append(cells, xy[i])
				for a := range 2 {
					lo[a], hi[a] = min(lo[a], xy[i][a]), max(hi[a], xy[i][a])
				}
			}
		}
		c.y0 = lo[1]
		c.rows = make([][]latticeCell, hi[1]-lo[1]+1)
		for i, v := range cells {
			c.rows[v[1]-c.y0] = append(c.rows[v[1]-c.y0], latticeCell{x: v[0], i: int32(i)})
			lat := math.Abs(c.pts[i][1]) + side/110.57 // the cell's farthest latitude from the equator
			c.minCos = min(c.minCos, math.Cos(lat*math.Pi/180))
		}
		for _, r := range c.rows {
			slices.SortFunc(r, func(a, b latticeCell) int { return int(a.x - b.x) })
		}
	}
	return out
}

// walk calls fn with every cell whose centroid is within the band's far
// end of p, and its squared chord: the lattice cells within the reach in
// x and y, checked by chord.
func (c *ecoCells) walk(p orb.Point, side float64, b *supplyBand, fn func(i int, c2 float64)) {
	u := geo.ToUnit(p)
	px, py := gridCell(p, side)
	// A lattice step is at least side·minCos/cos(46.5°) km in x and side
	// km in y (110.57 km per degree of latitude is the least).
	rx := int32(math.Ceil(b.far/(side*c.minCos/0.6883))) + 1
	ry := int32(math.Ceil(b.far/side)) + 1
	for y := max(py-ry, c.y0); y <= min(py+ry, c.y0+int32(len(c.rows))-1); y++ {
		row := c.rows[y-c.y0]
		k, _ := slices.BinarySearchFunc(row, px-rx, func(a latticeCell, x int32) int { return int(a.x - x) })
		for ; k < len(row) && row[k].x <= px+rx; k++ {
			i := int(row[k].i)
			if c2 := chord2(u, c.units[i]); c2 < b.farC2 {
				fn(i, c2)
			}
		}
	}
}

// ecoBandGrid is one band's aggregated layers and the rows of the
// cells of the candidates and IREP establishments it was built for.
type ecoBandGrid struct {
	band      supplyBand
	side      float64
	est, jobs map[string]*ecoCells // establishments; jobs (with the establishments beyond the covered départements)
	rows      map[cellKey][]float32
	ncol      int
	// keep is how many columns a row keeps: every column in the cluster
	// band (the own branch's NAF groups and divisions are read there),
	// the observable branches' elsewhere.
	keep    int
	derived [][3]int // ecoIndex.derived
}

// presenceAt is the row of a cell's centre (sum, when not nil, is
// scratch of ncol floats): per column, Σ
// weight · decay over the aggregated cells of the source within far.
func (g *ecoBandGrid) presenceAt(p orb.Point, land string, covered bool, sum []float64) []float32 {
	src := g.est
	if covered {
		src = g.jobs
	}
	if sum == nil {
		sum = make([]float64, g.ncol)
	}
	clear(sum)
	if cells := src[land]; cells != nil {
		cells.walk(p, g.side, &g.band, func(i int, c2 float64) {
			w := g.band.decayChord(c2)
			for _, e := range cells.entries[i] {
				sum[e.col] += w * e.w
			}
		})
	}
	if !covered {
		for _, d := range g.derived {
			sum[d[1]] += sum[d[0]]
			sum[d[2]] += sum[d[0]]
		}
	}
	row := make([]float32, g.keep)
	for k, v := range sum[:g.keep] {
		row[k] = float32(v)
	}
	return row
}

// candKey is a candidate's cell in a band.
func (g *ecoBandGrid) candKey(c *Candidate, covered bool) cellKey {
	x, y := gridCell(c.Site.Point, g.side)
	return cellKey{land: c.Landmass, covered: covered, x: x, y: y}
}

// cellCentre is the centre of a cell of the grid, where its row is
// evaluated: a fixed point, so that a row depends on the establishments
// alone and an engine derived by WithSites computes the rows a rebuild
// would.
func cellCentre(x, y int32, side float64) orb.Point {
	const kmLon, kmLat = 111.32 * 0.6883, 110.57
	return orb.Point{(float64(x) + 0.5) * side / kmLon, (float64(y) + 0.5) * side / kmLat}
}

// buildRows computes the rows of the cells of the candidates and of the
// IREP establishments (whose rows give the references, ecoRefsFor), on
// every CPU.
func (g *ecoBandGrid) buildRows(cands []Candidate, covered func(c *Candidate) bool, facs []ecoPoint) {
	seen := map[cellKey]bool{}
	var keys []cellKey
	add := func(k cellKey) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for i := range cands {
		add(g.candKey(&cands[i], covered(&cands[i])))
	}
	for _, f := range facs {
		x, y := gridCell(f.p, g.side)
		add(cellKey{land: f.land, x: x, y: y})
	}
	rows := make([][]float32, len(keys))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := make([]float64, g.ncol)
			for i := w; i < len(keys); i += workers {
				k := keys[i]
				rows[i] = g.presenceAt(cellCentre(k.x, k.y, g.side), k.land, k.covered, sum)
			}
		}()
	}
	wg.Wait()
	g.rows = make(map[cellKey][]float32, len(keys))
	for i, k := range keys {
		g.rows[k] = rows[i]
	}
}

// rowOf is a candidate's row: its cell's, computed at build or, for a
// candidate in a cell the build did not see (a site added by WithSites),
// now, at the same centre.
func (g *ecoBandGrid) rowOf(c *Candidate, covered bool) []float32 {
	k := g.candKey(c, covered)
	if r, ok := g.rows[k]; ok {
		return r
	}
	return g.presenceAt(cellCentre(k.x, k.y, g.side), k.land, covered, nil)
}

// rowAt is the row of an establishment's cell (establishments source).
func (g *ecoBandGrid) rowAt(p orb.Point, land string) []float32 {
	x, y := gridCell(p, g.side)
	return g.rows[cellKey{land: land, x: x, y: y}]
}

// quantileSelect returns the k-th smallest of vals (0-based), reordering
// vals: quickselect, linear on average.
func quantileSelect(vals []float32, k int) float32 {
	lo, hi := 0, len(vals)-1
	for lo < hi {
		// Median of three as pivot.
		mid := lo + (hi-lo)/2
		a, b, c := vals[lo], vals[mid], vals[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for vals[i] < pivot {
				i++
			}
			for vals[j] > pivot {
				j--
			}
			if i <= j {
				vals[i], vals[j] = vals[j], vals[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return vals[k]
		}
	}
	return vals[k]
}
