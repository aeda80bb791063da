package features

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// OGC API Tiles, Part 1 (Core, TileSet, TileSets list, GeoData TileSets)
// with Mapbox Vector Tiles, over the one tile matrix set every web map
// knows: WebMercatorQuad (OGC 2D Tile Matrix Set 2.0). Every collection
// has a vector tileset at /collections/{id}/tiles/WebMercatorQuad; a tile
// at .../{z}/{y}/{x} (row before column, as OGC API Tiles writes it) has
// one layer named after the collection.
//
// Bounded cost: zoom levels 0 to MaxTileZoom only; below ClusterZoom, and
// at any zoom where a tile would hold more than maxTileFeatures features,
// the features are grouped into grid cells (tileGrid × tileGrid per tile):
// one point per non-empty cell, at the mean position of its features, with
// a count property, so that a national view shows every feature of a layer
// (all the brownfields) in a few hundred points per tile. A feature is
// counted in the one tile (and cell) that holds its point (the cells
// partition the plane: half-open on the east and south edges), so that
// the counts of a zoom level add up to the layer's number of placed
// features. At and above ClusterZoom a tile holds the features themselves
// (outlines as polygons, clipped to the tile and a small buffer), with
// their scalar properties; list and object properties are JSON text.
const (
	tmsWebMercatorQuad = "WebMercatorQuad"
	// TileMatrixSetURI is the URI of WebMercatorQuad.
	TileMatrixSetURI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	// CRS3857 is the CRS of WebMercatorQuad, Web Mercator.
	CRS3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"

	// MaxTileZoom is the deepest zoom level served.
	MaxTileZoom = 18
	// ClusterZoom is the first zoom level whose tiles hold the features
	// themselves (unless there are more than maxTileFeatures).
	ClusterZoom     = 10
	maxTileFeatures = 4000
	tileGrid        = 32
	// TileBufferPx is the buffer of a full-feature tile, in pixels of a
	// 256-pixel tile.
	TileBufferPx = 8
)

// TilesConformance are the OGC API Tiles and Tile Matrix Set conformance
// classes the server implements (listed by /conformance).
var TilesConformance = []string{
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
	"http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
	"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
}

// TileLink is a link of the tiles documents; templated links hold URI
// template variables ({tileMatrix}, {tileRow}, {tileCol}).
type TileLink struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// TileSetRef is a tileset in the list of a collection's tilesets.
type TileSetRef struct {
	Title            string     `json:"title"`
	DataType         string     `json:"dataType"`
	CRS              string     `json:"crs"`
	TileMatrixSetURI string     `json:"tileMatrixSetURI"`
	Links            []TileLink `json:"links"`
}

// TileMatrixLimits bounds the tiles of one zoom level that hold data.
type TileMatrixLimits struct {
	TileMatrix string `json:"tileMatrix"`
	MinTileRow uint32 `json:"minTileRow"`
	MaxTileRow uint32 `json:"maxTileRow"`
	MinTileCol uint32 `json:"minTileCol"`
	MaxTileCol uint32 `json:"maxTileCol"`
}

// TileLayer describes the one layer of a collection's tiles.
type TileLayer struct {
	ID             string            `json:"id"`
	Title          string            `json:"title"`
	Description    string            `json:"description"`
	DataType       string            `json:"dataType"`
	MinTileMatrix  string            `json:"minTileMatrix"`
	MaxTileMatrix  string            `json:"maxTileMatrix"`
	PropertiesSche map[string]any    `json:"propertiesSchema"`
	Clustered      map[string]string `json:"x-clustered"`
}

// TileSetJSON is a collection's vector tileset in WebMercatorQuad.
type TileSetJSON struct {
	TileSetRef
	TileMatrixSetLimits []TileMatrixLimits `json:"tileMatrixSetLimits"`
	Layers              []TileLayer        `json:"layers"`
}

// CheckTileMatrixSet accepts the one tile matrix set served,
// WebMercatorQuad; any other id is a *NotFoundError.
func CheckTileMatrixSet(id string) error {
	if id != tmsWebMercatorQuad {
		return &NotFoundError{Param: "tileMatrixSetId", What: "tile matrix set", Value: id}
	}
	return nil
}

func (col *Collection) tilesetRef(base string) TileSetRef {
	href := base + "/collections/" + url.PathEscape(col.ID) + "/tiles/" + tmsWebMercatorQuad
	return TileSetRef{Title: col.Title + " (tuiles vectorielles)", DataType: "vector", CRS: CRS3857, TileMatrixSetURI: TileMatrixSetURI,
		Links: []TileLink{
			{Href: href, Rel: "self", Type: MediaJSON, Title: "The tileset"},
			{Href: base + "/tileMatrixSets/" + tmsWebMercatorQuad, Rel: "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
				Type: MediaJSON, Title: "The tile matrix set"},
			{Href: href + "/{tileMatrix}/{tileRow}/{tileCol}", Rel: "item", Type: MediaMVT, Templated: true,
				Title: "A Mapbox Vector Tile of the collection"},
		}}
}

// TileSets is /collections/{collectionId}/tiles: the collection's one
// tileset.
func (col *Collection) TileSets(base string) any {
	return map[string]any{
		"links": []TileLink{{Href: base + "/collections/" + url.PathEscape(col.ID) + "/tiles", Rel: "self", Type: MediaJSON,
			Title: "The collection's tilesets"}},
		"tilesets": []TileSetRef{col.tilesetRef(base)},
	}
}

// TileSet is /collections/{collectionId}/tiles/WebMercatorQuad: the
// tileset's limits at each zoom level and its layer.
func (col *Collection) TileSet(base string) TileSetJSON {
	out := TileSetJSON{TileSetRef: col.tilesetRef(base), TileMatrixSetLimits: []TileMatrixLimits{}}
	if b, ok := col.Bound(); ok {
		b = clampMercator(b)
		for z := maptile.Zoom(0); z <= MaxTileZoom; z++ {
			nw, se := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z), maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
			out.TileMatrixSetLimits = append(out.TileMatrixSetLimits, TileMatrixLimits{TileMatrix: strconv.Itoa(int(z)),
				MinTileRow: nw.Y, MaxTileRow: se.Y, MinTileCol: nw.X, MaxTileCol: se.X})
		}
	}
	out.Layers = []TileLayer{{ID: col.ID, Title: col.Title, Description: col.Description, DataType: "points",
		MinTileMatrix: "0", MaxTileMatrix: strconv.Itoa(MaxTileZoom), PropertiesSche: col.PropertySchemas(),
		Clustered: map[string]string{
			"zoom": fmt.Sprintf("below %d, or above %d features in a tile", ClusterZoom, maxTileFeatures),
			"geometry": fmt.Sprintf("one point per cell of a %d×%d grid of the tile, at the mean position of its features",
				tileGrid, tileGrid),
			"properties": "count (the cell's features); id and name when the cell holds one feature",
		}}}
	if col.hasShapes() {
		out.Layers[0].DataType = "polygons" // points and outlines, by feature
	}
	return out
}

// TileMatrixSets is /tileMatrixSets: the one tile matrix set served.
func TileMatrixSets(base string) any {
	return map[string]any{"tileMatrixSets": []map[string]any{{
		"id": tmsWebMercatorQuad, "title": "Google Maps Compatible for the World", "uri": TileMatrixSetURI,
		"links": []TileLink{{Href: base + "/tileMatrixSets/" + tmsWebMercatorQuad, Rel: "self", Type: MediaJSON,
			Title: "The tile matrix set"}},
	}}}
}

// TileMatrixJSON is one zoom level of a tile matrix set.
type TileMatrixJSON struct {
	ID               string     `json:"id"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	CellSize         float64    `json:"cellSize"`
	CornerOfOrigin   string     `json:"cornerOfOrigin"`
	PointOfOrigin    [2]float64 `json:"pointOfOrigin"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      uint32     `json:"matrixWidth"`
	MatrixHeight     uint32     `json:"matrixHeight"`
}

// TileMatrixSetJSON is a tile matrix set definition.
type TileMatrixSetJSON struct {
	ID                string           `json:"id"`
	Title             string           `json:"title"`
	URI               string           `json:"uri"`
	CRS               string           `json:"crs"`
	OrderedAxes       []string         `json:"orderedAxes"`
	WellKnownScaleSet string           `json:"wellKnownScaleSet"`
	TileMatrices      []TileMatrixJSON `json:"tileMatrices"`
}

// WebMercatorQuad returns the definition of the WebMercatorQuad tile
// matrix set, zoom levels 0 to MaxTileZoom: 256-pixel tiles of 0.28 mm
// pixels over the square of EPSG:3857 (±20037508.3427892 m).
func WebMercatorQuad() TileMatrixSetJSON {
	const half = math.Pi * 6378137
	out := TileMatrixSetJSON{ID: tmsWebMercatorQuad, Title: "Google Maps Compatible for the World", URI: TileMatrixSetURI, CRS: CRS3857,
		OrderedAxes: []string{"X", "Y"}, WellKnownScaleSet: "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"}
	for z := 0; z <= MaxTileZoom; z++ {
		n := uint32(1) << z
		cell := 2 * half / 256 / float64(n)
		out.TileMatrices = append(out.TileMatrices, TileMatrixJSON{ID: strconv.Itoa(z), ScaleDenominator: cell / 0.00028,
			CellSize: cell, CornerOfOrigin: "topLeft", PointOfOrigin: [2]float64{-half, half}, TileWidth: 256, TileHeight: 256,
			MatrixWidth: n, MatrixHeight: n})
	}
	return out
}

// Tile is the Mapbox Vector Tile of /collections/{collectionId}/tiles/
// WebMercatorQuad/{z}/{y}/{x}, from the path's zoom, row and column
// (each named by a *ParamError when wrong).
func (col *Collection) Tile(z, y, x string) ([]byte, error) {
	t, err := parseTile(z, y, x)
	if err != nil {
		return nil, err
	}
	return col.vectorTile(t)
}

// parseTile reads a tile's zoom, row and column, each named when wrong.
func parseTile(zs, ys, xs string) (maptile.Tile, error) {
	var ve ParamError
	z, err := strconv.Atoi(zs)
	if err != nil || z < 0 || z > MaxTileZoom {
		ve.add("tileMatrix", "must be a zoom level from 0 to %d, not %q", MaxTileZoom, zs)
		return maptile.Tile{}, &ve
	}
	n := 1 << z
	y, yerr := strconv.Atoi(ys)
	if yerr != nil || y < 0 || y >= n {
		ve.add("tileRow", "must be a row from 0 to %d at zoom %d, not %q", n-1, z, ys)
	}
	x, xerr := strconv.Atoi(xs)
	if xerr != nil || x < 0 || x >= n {
		ve.add("tileCol", "must be a column from 0 to %d at zoom %d, not %q", n-1, z, xs)
	}
	if len(ve.Fields) > 0 {
		return maptile.Tile{}, &ve
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

// clampMercator limits a bound to the latitudes of WebMercatorQuad.
func clampMercator(b orb.Bound) orb.Bound {
	const maxLat = 85.0511287798066
	b.Min[1], b.Max[1] = max(b.Min[1], -maxLat), min(b.Max[1], maxLat)
	return b
}

// vectorTile encodes the collection's features in tile t (see the
// constants above for what a tile holds).
func (col *Collection) vectorTile(t maptile.Tile) ([]byte, error) {
	b := t.Bound()
	var idx []int
	if t.Z >= ClusterZoom {
		buf := TileBufferPx / 256.0
		grown := t.Bound(buf)
		idx = col.InBound(&grown)
		if len(idx) <= maxTileFeatures {
			return col.featureTile(t, idx)
		}
	}
	idx = col.InBound(&b)
	return col.clusterTile(t, idx)
}

// featureTile encodes the features idx whole.
func (col *Collection) featureTile(t maptile.Tile, idx []int) ([]byte, error) {
	fc := geojson.NewFeatureCollection()
	for _, i := range idx {
		if col.unplaced[i] {
			continue
		}
		f := col.Feature(i)
		f.BBox = nil
		f.Properties = tileProps(f.Properties)
		f.Properties["id"] = col.ids[i]
		f.ID = nil
		fc.Append(f)
	}
	return encodeTile(col.ID, fc, t)
}

// clusterTile groups the features idx whose point lies in t (half-open:
// the east and south edges belong to the next tile) into the cells of a
// tileGrid × tileGrid grid.
func (col *Collection) clusterTile(t maptile.Tile, idx []int) ([]byte, error) {
	type cell struct {
		n      int
		sx, sy float64
		first  int
	}
	cells := map[int]*cell{}
	var order []int
	for _, i := range idx {
		if col.unplaced[i] {
			continue
		}
		p := col.pts[i]
		f := maptile.Fraction(p, t.Z) // in tiles of zoom t.Z
		if uint32(math.Floor(f[0])) != t.X || uint32(math.Floor(f[1])) != t.Y {
			continue
		}
		cx := int((f[0] - float64(t.X)) * tileGrid)
		cy := int((f[1] - float64(t.Y)) * tileGrid)
		k := cy*tileGrid + cx
		ce, ok := cells[k]
		if !ok {
			ce = &cell{first: i}
			cells[k] = ce
			order = append(order, k)
		}
		ce.n++
		ce.sx += p[0]
		ce.sy += p[1]
	}
	fc := geojson.NewFeatureCollection()
	for _, k := range order {
		ce := cells[k]
		f := geojson.NewFeature(orb.Point{ce.sx / float64(ce.n), ce.sy / float64(ce.n)})
		f.Properties = geojson.Properties{"count": ce.n}
		if ce.n == 1 {
			f.Geometry = col.pts[ce.first]
			f.Properties["id"] = col.ids[ce.first]
			if name, ok := col.Properties(ce.first)["name"].(string); ok {
				f.Properties["name"] = name
			}
		}
		fc.Append(f)
	}
	return encodeTile(col.ID, fc, t)
}

// encodeTile projects fc (WGS84) to tile t, clips it to the tile and its
// buffer and encodes it as a one-layer Mapbox Vector Tile (extent 4096).
func encodeTile(name string, fc *geojson.FeatureCollection, t maptile.Tile) ([]byte, error) {
	l := mvt.NewLayer(name, fc)
	l.ProjectToTile(t)
	pad := float64(mvt.DefaultExtent) * TileBufferPx / 256
	l.Clip(orb.Bound{Min: orb.Point{-pad, -pad}, Max: orb.Point{mvt.DefaultExtent + pad, mvt.DefaultExtent + pad}})
	ls := mvt.Layers{l}
	ls.RemoveEmpty(1, 1)
	body, err := mvt.Marshal(ls)
	if err != nil {
		return nil, fmt.Errorf("features: encoding tile %d/%d/%d of %s: %w", t.Z, t.Y, t.X, name, err)
	}
	return body, nil
}

// tileProps keeps the properties a vector tile can hold: strings, numbers
// and booleans; lists and objects become their JSON text, nulls are left
// out (a missing key reads as null).
func tileProps(p geojson.Properties) geojson.Properties {
	out := geojson.Properties{}
	for k, v := range p {
		switch v := v.(type) {
		case nil:
		case string, bool, int, int64, float64:
			out[k] = v
		case *float64:
			if v != nil {
				out[k] = *v
			}
		default:
			raw, err := json.Marshal(v)
			if err != nil {
				continue
			}
			var back any
			if json.Unmarshal(raw, &back) != nil || back == nil {
				continue
			}
			switch back.(type) {
			case string, bool, float64:
				out[k] = back
			default:
				out[k] = string(raw)
			}
		}
	}
	return out
}
