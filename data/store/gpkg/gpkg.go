// Package gpkg encodes and decodes the geometry blobs of a GeoPackage
// (OGC 12-128r18, §2.1.3 "GeoPackageBinary"): a small header (magic "GP",
// version, flags, SRS id, optional envelope) followed by a standard ISO WKB
// geometry, which go-geom's encoding/wkb writes and reads. Geometries enter
// and leave as orb values in lon/lat (x/y) order; only the types a site can
// have are supported: Point, Polygon and MultiPolygon (Z and M ordinates
// are dropped on reading).
package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// Header flag bits (GeoPackage §2.1.3.1.1).
const (
	flagLittleEndian = 1 << 0
	envelopeShift    = 1
	envelopeMask     = 0b111 << envelopeShift
	flagEmpty        = 1 << 4
	flagExtended     = 1 << 5
)

// ErrUnsupported is returned for a geometry type a site cannot have.
var ErrUnsupported = errors.New("gpkg: unsupported geometry type")

// envelopeSizes is the envelope length in bytes per envelope indicator.
var envelopeSizes = [...]int{0, 32, 48, 48, 64}

// Marshal encodes g (an orb.Point, orb.Polygon or orb.MultiPolygon) as a
// little-endian GeoPackage geometry blob with SRS id srsID. Polygons carry
// their [minx, maxx, miny, maxy] envelope; points carry none, as the
// specification recommends.
func Marshal(g orb.Geometry, srsID int32) ([]byte, error) {
	t, err := ToGeom(g)
	if err != nil {
		return nil, err
	}
	body, err := wkb.Marshal(t, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("gpkg: encode WKB: %w", err)
	}
	env := 0
	if _, ok := g.(orb.Point); !ok {
		env = 1
	}
	out := make([]byte, 8, 8+envelopeSizes[env]+len(body))
	out[0], out[1], out[2] = 'G', 'P', 0
	out[3] = flagLittleEndian | byte(env<<envelopeShift)
	binary.LittleEndian.PutUint32(out[4:], uint32(srsID))
	if env == 1 {
		b := g.Bound()
		for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
		}
	}
	return append(out, body...), nil
}

// Unmarshal decodes a GeoPackage geometry blob. It returns the geometry
// (nil for an empty one) and the blob's SRS id.
func Unmarshal(b []byte) (orb.Geometry, int32, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, 0, errors.New("gpkg: not a GeoPackage geometry blob (no GP magic)")
	}
	if b[2] != 0 {
		return nil, 0, fmt.Errorf("gpkg: unknown blob version %d", b[2])
	}
	flags := b[3]
	if flags&flagExtended != 0 {
		return nil, 0, errors.New("gpkg: extended geometry types are not supported")
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	srs := int32(order.Uint32(b[4:8]))
	env := int(flags&envelopeMask) >> envelopeShift
	if env >= len(envelopeSizes) {
		return nil, 0, fmt.Errorf("gpkg: invalid envelope indicator %d", env)
	}
	start := 8 + envelopeSizes[env]
	if len(b) < start {
		return nil, 0, errors.New("gpkg: truncated blob header")
	}
	if flags&flagEmpty != 0 {
		return nil, srs, nil
	}
	t, err := wkb.Unmarshal(b[start:])
	if err != nil {
		return nil, 0, fmt.Errorf("gpkg: decode WKB: %w", err)
	}
	g, err := FromGeom(t)
	if err != nil {
		return nil, 0, err
	}
	return g, srs, nil
}

// ToGeom converts an orb Point, Polygon or MultiPolygon to go-geom (XY).
func ToGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.Polygon:
		return geom.NewPolygon(geom.XY).SetCoords(polygonCoords(g))
	case orb.MultiPolygon:
		cs := make([][][]geom.Coord, len(g))
		for i, p := range g {
			cs[i] = polygonCoords(p)
		}
		return geom.NewMultiPolygon(geom.XY).SetCoords(cs)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupported, g)
}

func polygonCoords(p orb.Polygon) [][]geom.Coord {
	out := make([][]geom.Coord, len(p))
	for i, r := range p {
		out[i] = make([]geom.Coord, len(r))
		for j, pt := range r {
			out[i][j] = geom.Coord{pt[0], pt[1]}
		}
	}
	return out
}

// FromGeom converts a go-geom Point, Polygon or MultiPolygon (any layout:
// Z and M are dropped) to orb.
func FromGeom(t geom.T) (orb.Geometry, error) {
	switch t := t.(type) {
	case *geom.Point:
		if t.Empty() {
			return nil, nil
		}
		c := t.Coords()
		return orb.Point{c[0], c[1]}, nil
	case *geom.Polygon:
		return toPolygon(t.Coords()), nil
	case *geom.MultiPolygon:
		cs := t.Coords()
		mp := make(orb.MultiPolygon, len(cs))
		for i, p := range cs {
			mp[i] = toPolygon(p)
		}
		return mp, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupported, t)
}

func toPolygon(cs [][]geom.Coord) orb.Polygon {
	p := make(orb.Polygon, len(cs))
	for i, r := range cs {
		p[i] = make(orb.Ring, len(r))
		for j, c := range r {
			p[i][j] = orb.Point{c[0], c[1]}
		}
	}
	return p
}
