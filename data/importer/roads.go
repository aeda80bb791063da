package importer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/geo"
)

// interchangeMergeKm is how far apart the toll-gate rows of one interchange
// (entry and exit, one per direction) may lie and still be merged into one
// node. Same-named interchanges further apart are distinct.
const interchangeMergeKm = 3

// tollMergeKm is how far a toll interchange (the mean of its gates) may lie
// from a ROUTE 500 interchange node and be taken as the same interchange:
// the gates stand on the ramps, a few hundred metres from the junction
// node (median 350 m, 95 % within 1 km on the 2024 file).
const tollMergeKm = 1.0

// tentMatchKm is how far a TEN-T node may lie from an interchange and mark
// it: the TEN-T interchange nodes were built from ROUTE 500's and coincide
// with them.
const tentMatchKm = 0.1

// skeletonKm is how far an interchange may lie from a TEN-T road segment
// and take that road's national number.
const skeletonKm = 0.1

// tentNatures are the TEN-T node natures that are interchanges or junctions
// of the network; rest and service areas ("aire de repos", "aire de
// service"), roundabouts and the area-interchange records of the conceded
// network ("echangeur aire", which lie off the ROUTE 500 nodes) do not
// mark an interchange.
var tentNatures = map[string]bool{"echangeur": true, "noeud autoroute": true, "noeud rtet": true}

// interchanges builds the interchanges of motorways and expressways: the
// ROUTE 500 interchange nodes (free and toll, complete and partial), the
// toll interchanges of the conceded network merged into the ROUTE 500 node
// within tollMergeKm (toll marked) or kept on their own, the TEN-T nodes
// marking the major axes, and the road named from the toll route or the
// TEN-T skeleton.
func (b *builder) interchanges() error {
	tollFile, err := glob(b.dir, "transport/gares_peage*.csv")
	if err != nil {
		return err
	}
	r500File, err := glob(b.dir, "transport/route500_noeuds_echangeurs*.geojson")
	if err != nil {
		return err
	}
	tentFile, err := glob(b.dir, "transport/tent_rtet_nodes*.geojson")
	if err != nil {
		return err
	}
	roadsFile, err := glob(b.dir, "transport/tent_roads_fr*.geojson")
	if err != nil {
		return err
	}
	l := b.layer("motorway_interchanges", r500File, tollFile, tentFile, roadsFile)
	tolls, err := b.tollInterchanges(tollFile, l)
	if err != nil {
		return err
	}
	nodes, err := b.route500(r500File, l)
	if err != nil {
		return err
	}
	// Each toll interchange goes to its nearest ROUTE 500 node within
	// tollMergeKm; toll interchanges that share a node are merged into it.
	r500 := len(nodes)
	byNode := map[int][]data.Node{}
	var alone []data.Node
	for _, t := range tolls {
		best, bestKm := -1, math.Inf(1)
		for i := 0; i < r500; i++ {
			if d := geo.DistanceKm(t.Point, nodes[i].Point); d < bestKm {
				best, bestKm = i, d
			}
		}
		if bestKm <= tollMergeKm {
			byNode[best] = append(byNode[best], t)
		} else {
			alone = append(alone, t)
		}
	}
	shared := 0
	for i, ts := range byNode {
		n := &nodes[i]
		sort.Slice(ts, func(a, b int) bool { return ts[a].ID < ts[b].ID })
		roads, names := map[string]bool{}, make([]string, len(ts))
		gates := 0
		for k, t := range ts {
			names[k] = t.Name
			gates += t.Merged
			for _, r := range strings.Fields(t.Road) {
				roads[r] = true
			}
		}
		if len(ts) > 1 {
			shared += len(ts) - 1
		}
		n.Source = fmt.Sprintf("%s + DGITM toll interchange %s (%d gate(s))", n.Source, strings.Join(names, ", "), gates)
		n.ID, n.Name, n.Toll, n.Road = ts[0].ID, ts[0].Name, true, joinSorted(roads)
		n.Merged += gates
	}
	for i := range alone {
		if c, ok := b.nearestCommune(alone[i].Point); ok {
			alone[i].Commune = c
		}
	}
	nodes = append(nodes, alone...)
	l.Notes = append(l.Notes, fmt.Sprintf("%d ROUTE 500 interchange nodes", r500),
		fmt.Sprintf("%d of %d toll interchanges merged into the ROUTE 500 node within %g km (%d of them sharing a node with another), %d kept on their own",
			len(tolls)-len(alone), len(tolls), tollMergeKm, shared, len(alone)))

	major, onTent, err := b.markTENT(tentFile, nodes)
	if err != nil {
		return err
	}
	named, err := b.nameRoads(roadsFile, nodes)
	if err != nil {
		return err
	}
	l.Notes = append(l.Notes,
		fmt.Sprintf("%d interchanges marked major (tent) by %d TEN-T nodes of nature echangeur, noeud autoroute or noeud rtet within %g km",
			major, onTent, tentMatchKm),
		fmt.Sprintf("%d interchanges without a toll route named from the TEN-T skeleton segment within %g km", named, skeletonKm),
		"no overseas interchanges: ROUTE 500 and the toll file cover metropolitan France only")
	sortNodes(nodes)
	for i := 1; i < len(nodes); i++ {
		if nodes[i].ID == nodes[i-1].ID {
			return fmt.Errorf("importer: interchange id %q twice", nodes[i].ID)
		}
	}
	b.cat.Interchanges = nodes
	l.Kept = len(nodes)
	b.done(l)
	b.source("motorway_interchanges", l)
	return nil
}

// route500 reads the ROUTE 500 interchange nodes (Lambert-93, converted),
// each named after its commune; its id is "r500-<commune>-<n>", n counting
// the commune's nodes from south to north.
func (b *builder) route500(file string, l *LayerReport) ([]data.Node, error) {
	feats, err := readGeoJSON(b.dir, file)
	if err != nil {
		return nil, err
	}
	var nodes []data.Node
	moved := 0
	for i, f := range feats {
		l.Read++
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return nil, &RowError{File: file, Field: fmt.Sprintf("features[%d].geometry", i), Err: fmt.Errorf("is %T, want a Point", f.Geometry)}
		}
		if err := checkLonLat(p); err != nil {
			return nil, &RowError{File: file, Field: fmt.Sprintf("features[%d].geometry", i), Err: err}
		}
		nature := prop(f, "NATURE")
		if !strings.HasPrefix(nature, "Echangeur") {
			l.skip("ROUTE 500 node that is not an interchange (NATURE " + nature + ")")
			continue
		}
		code := prop(f, "INSEE_COMM")
		n := data.Node{Point: p, Class: "é" + strings.ToLower(nature[1:]), Merged: 1, Source: "IGN ROUTE 500 " + nature}
		if c, _, ok := b.commune(code); ok {
			n.Commune, n.Name = c.Code, c.Name
		} else if c, ok := b.nearestCommune(p); ok {
			// A commune merged since ROUTE 500's COG: its successor is
			// the nearest current commune.
			n.Commune = c
			cm, _ := b.cat.Commune(c)
			n.Name = cm.Name
			moved++
		} else {
			return nil, &RowError{File: file, Field: fmt.Sprintf("features[%d].properties.INSEE_COMM", i), Err: fmt.Errorf("%q is no commune", code)}
		}
		nodes = append(nodes, n)
	}
	sort.SliceStable(nodes, func(i, j int) bool {
		if nodes[i].Commune != nodes[j].Commune {
			return nodes[i].Commune < nodes[j].Commune
		}
		if nodes[i].Point[1] != nodes[j].Point[1] {
			return nodes[i].Point[1] < nodes[j].Point[1]
		}
		return nodes[i].Point[0] < nodes[j].Point[0]
	})
	if moved > 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("%d ROUTE 500 nodes whose commune code (COG 2020) is no current commune named after the nearest commune", moved))
	}
	seq := map[string]int{}
	for i := range nodes {
		seq[nodes[i].Commune]++
		nodes[i].ID = fmt.Sprintf("r500-%s-%d", nodes[i].Commune, seq[nodes[i].Commune])
	}
	return nodes, nil
}

// nearestCommune returns the code of the commune whose point is nearest p.
func (b *builder) nearestCommune(p orb.Point) (string, bool) {
	best, bestKm := "", math.Inf(1)
	for _, c := range b.cat.Communes {
		if d := geo.DistanceKm(p, c.Point); d < bestKm {
			best, bestKm = c.Code, d
		}
	}
	return best, best != ""
}

// markTENT marks the interchanges within tentMatchKm of a TEN-T interchange
// or junction node. It returns the interchanges marked and the TEN-T nodes
// that marked one.
func (b *builder) markTENT(file string, nodes []data.Node) (major, used int, err error) {
	feats, err := readGeoJSON(b.dir, file)
	if err != nil {
		return 0, 0, err
	}
	ix := new(geo.Index[int])
	for i := range nodes {
		ix.Insert(nodes[i].Point, i)
	}
	for i, f := range feats {
		if !tentNatures[prop(f, "nature")] {
			continue
		}
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return 0, 0, &RowError{File: file, Field: fmt.Sprintf("features[%d].geometry", i), Err: fmt.Errorf("is %T, want a Point", f.Geometry)}
		}
		hit := false
		ix.Within(p, tentMatchKm, func(h geo.Hit[int]) bool {
			if n := &nodes[h.Value]; !n.Major {
				n.Major = true
				n.Source += " + TEN-T node"
				major++
			}
			hit = true
			return true
		})
		if hit {
			used++
		}
	}
	return major, used, nil
}

// nameRoads gives the interchanges that have no road yet the national
// numbers of the TEN-T skeleton segments within skeletonKm (two at a
// junction of two roads, space-separated as the toll routes are). It
// returns how many it named.
func (b *builder) nameRoads(file string, nodes []data.Node) (int, error) {
	feats, err := readGeoJSON(b.dir, file)
	if err != nil {
		return 0, err
	}
	type seg struct {
		a, b orb.Point
		road string
	}
	// Segments bucketed by the cells of a 0.02-degree grid their box covers.
	const cell = 0.02
	grid := map[[2]int][]seg{}
	key := func(p orb.Point) [2]int { return [2]int{int(math.Floor(p[0] / cell)), int(math.Floor(p[1] / cell))} }
	for i, f := range feats {
		road := skeletonRoad(prop(f, "NATIONALRO"))
		if road == "" {
			continue
		}
		var lines []orb.LineString
		switch g := f.Geometry.(type) {
		case orb.LineString:
			lines = []orb.LineString{g}
		case orb.MultiLineString:
			lines = g
		default:
			return 0, &RowError{File: file, Field: fmt.Sprintf("features[%d].geometry", i), Err: fmt.Errorf("is %T, want a LineString", f.Geometry)}
		}
		for _, ls := range lines {
			for k := 1; k < len(ls); k++ {
				s := seg{ls[k-1], ls[k], road}
				lo, hi := key(orb.Point{math.Min(s.a[0], s.b[0]), math.Min(s.a[1], s.b[1])}), key(orb.Point{math.Max(s.a[0], s.b[0]), math.Max(s.a[1], s.b[1])})
				for x := lo[0]; x <= hi[0]; x++ {
					for y := lo[1]; y <= hi[1]; y++ {
						grid[[2]int{x, y}] = append(grid[[2]int{x, y}], s)
					}
				}
			}
		}
	}
	named := 0
	for i := range nodes {
		n := &nodes[i]
		if n.Road != "" {
			continue
		}
		// A segment within skeletonKm of the point touches its cell or
		// one of the eight around it (a cell is over 1 km wide).
		roads := map[string]bool{}
		k := key(n.Point)
		for x := k[0] - 1; x <= k[0]+1; x++ {
			for y := k[1] - 1; y <= k[1]+1; y++ {
				for _, s := range grid[[2]int{x, y}] {
					if segmentKm(n.Point, s.a, s.b) <= skeletonKm {
						roads[s.road] = true
					}
				}
			}
		}
		if len(roads) > 0 {
			n.Road = joinSorted(roads)
			named++
		}
	}
	return named, nil
}

// skeletonRoad normalises a skeleton NATIONALRO: "N-136" is the N136,
// "A31 bis" the A31bis.
func skeletonRoad(s string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s))
}

// segmentKm is the distance from p to the segment ab in kilometres, on a
// local equirectangular plane (exact enough below a few kilometres).
func segmentKm(p, a, b orb.Point) float64 {
	k := math.Cos(p[1] * math.Pi / 180)
	ax, ay := (a[0]-p[0])*k, a[1]-p[1]
	bx, by := (b[0]-p[0])*k, b[1]-p[1]
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y) * math.Pi / 180 * geo.EarthRadiusKm
}

// tollInterchanges reads the toll stations of the conceded motorway network,
// keeps the interchange ones (typeGare = Ech) and merges the rows of one
// interchange (same name once the gate words are stripped, within
// interchangeMergeKm) into one node at their mean position. Coordinates are read
// from lon/lat when present, else converted from Lambert-93 x/y (the
// official DGITM file has only those, with a decimal comma).
func (b *builder) tollInterchanges(file string, l *LayerReport) ([]data.Node, error) {
	t, err := readTable(b.dir, file, ';')
	if err != nil {
		return nil, err
	}
	if err := t.need("route", "nomGare", "typeGare"); err != nil {
		return nil, err
	}
	wgs := t.has("lon") && t.has("lat")
	if !wgs {
		if err := t.need("x", "y"); err != nil {
			return nil, err
		}
	}
	type gate struct {
		name, route string
		p           orb.Point
	}
	byName := map[string][]gate{}
	var names []string
	err = t.each(func(r row) error {
		l.Read++
		if r.Get("typeGare") != "Ech" {
			l.skip("barrier toll on the main carriageway (typeGare " + r.Get("typeGare") + "), not an interchange")
			return nil
		}
		var p orb.Point
		var err error
		if wgs {
			p, err = r.LonLat("lon", "lat")
		} else {
			var x, y float64
			if x, err = r.Float("x"); err == nil {
				if y, err = r.Float("y"); err == nil {
					p, err = r.checkPoint("x/y", geo.Lambert93ToWGS84(x, y))
				}
			}
		}
		if err != nil {
			return err
		}
		name := interchangeName(r.Get("nomGare"))
		if name == "" {
			return r.fail("nomGare", "%q names no interchange", r.Get("nomGare"))
		}
		if _, ok := byName[name]; !ok {
			names = append(names, name)
		}
		byName[name] = append(byName[name], gate{name, r.Get("route"), p})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []data.Node
	ids := map[string]int{}
	for _, name := range names {
		// Single-linkage clusters of the gates that share a name.
		var clusters [][]gate
		for _, g := range byName[name] {
			var into []int
			for ci, c := range clusters {
				for _, o := range c {
					if geo.DistanceKm(g.p, o.p) <= interchangeMergeKm {
						into = append(into, ci)
						break
					}
				}
			}
			if len(into) == 0 {
				clusters = append(clusters, []gate{g})
				continue
			}
			merged := append(clusters[into[0]], g)
			for k := len(into) - 1; k >= 1; k-- {
				merged = append(merged, clusters[into[k]]...)
				clusters = append(clusters[:into[k]], clusters[into[k]+1:]...)
			}
			clusters[into[0]] = merged
		}
		for _, c := range clusters {
			var sum orb.Point
			routes := map[string]bool{}
			for _, g := range c {
				sum[0] += g.p[0]
				sum[1] += g.p[1]
				if m := motorwayName(g.route); m != "" {
					routes[m] = true
				}
			}
			n := data.Node{Name: name, Point: orb.Point{sum[0] / float64(len(c)), sum[1] / float64(len(c))}, Merged: len(c),
				Class: "échangeur à péage", Toll: true, Road: joinSorted(routes),
				Source: fmt.Sprintf("DGITM toll interchange (%d gate(s))", len(c))}
			base := "ech-" + slug(name)
			ids[base]++
			n.ID = base
			if ids[base] > 1 {
				n.ID = fmt.Sprintf("%s-%d", base, ids[base])
			}
			out = append(out, n)
			if len(c) > 1 {
				l.skipN(fmt.Sprintf("toll gates merged into the same interchange (gates within %d km sharing a name)", interchangeMergeKm), len(c)-1)
			}
		}
	}
	return out, nil
}
