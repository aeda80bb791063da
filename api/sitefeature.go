package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"sitematch/data/store"
)

// Members of a site Feature in a request body; bbox and links, which
// responses may carry, are accepted and ignored.
var featureMembers = []string{"type", "id", "geometry", "properties", "bbox", "links"}

// DecodeSiteFeature reads the body of POST /v1/sites and PUT
// /v1/sites/{id}: a GeoJSON Feature whose geometry is a Point, Polygon or
// MultiPolygon in WGS84 and whose properties are the registry's fields
// (store.Fields; bookkeeping ones such as version are ignored). A body
// that is not JSON wraps ErrMalformed; anything else wrong is a
// *store.ValidationError naming every field.
func DecodeSiteFeature(body []byte) (store.Site, error) {
	f, ve, err := decodeFeature(body, false)
	if err != nil {
		return store.Site{}, err
	}
	site, _, serr := store.SiteFromFeature(f)
	mergeErr(ve, serr)
	return site, ve.Err()
}

// DecodeSitePatch reads the body of PATCH /v1/sites/{id}: a JSON merge
// patch (RFC 7396) of the site's Feature. Each member of properties sets
// that property, null clearing it; geometry replaces the geometry; type
// and id may be given and must then be "Feature" and the site's id.
func DecodeSitePatch(body []byte, id string) (store.Patch, error) {
	f, ve, err := decodeFeature(body, true)
	if err != nil {
		return store.Patch{}, err
	}
	if fid, ok := f.ID.(string); ok && fid != id {
		ve.Add("id", "is %q but the site patched is %q", fid, id)
	}
	site, present, serr := store.SiteFromFeature(f)
	mergeErr(ve, serr)
	return store.Patch{Fields: present, Values: site}, ve.Err()
}

func mergeErr(ve *store.ValidationError, err error) {
	var se *store.ValidationError
	if errors.As(err, &se) {
		ve.Fields = append(ve.Fields, se.Fields...)
	} else if err != nil {
		ve.Add("body", "%s", err.Error())
	}
}

// decodeFeature reads a Feature's members; in a patch every member is
// optional, but a geometry or properties given must not be null.
func decodeFeature(body []byte, patch bool) (*geojson.Feature, *store.ValidationError, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	ve := &store.ValidationError{}
	m, ok := v.(map[string]any)
	if !ok {
		ve.Add("body", "must be a GeoJSON Feature (an object), got %s", jsonType(v))
		return nil, ve, ve
	}
	f := geojson.NewFeature(nil)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x := m[k]
		switch k {
		case "type":
			if x != "Feature" {
				ve.Add("type", "must be \"Feature\"")
			}
		case "id":
			if n, isNum := x.(json.Number); isNum {
				ve.Add("id", "must be a string, got the number %s", n)
				continue
			}
			f.ID = x
		case "geometry":
			if x == nil {
				ve.Add("geometry", "must be a GeoJSON Point, Polygon or MultiPolygon, not null")
				continue
			}
			f.Geometry = decodeGeometry(x, ve)
		case "properties":
			props, isObj := x.(map[string]any)
			if !isObj {
				ve.Add("properties", "must be an object, got %s", jsonType(x))
				continue
			}
			f.Properties = props
		default:
			if !slices.Contains(featureMembers, k) {
				ve.Add(k, "unknown member of a site Feature (known: type, id, geometry, properties)")
			}
		}
	}
	if !patch {
		for _, k := range []string{"type", "geometry", "properties"} {
			if _, ok := m[k]; !ok {
				ve.Add(k, "is required")
			}
		}
	}
	if f.Properties == nil {
		f.Properties = geojson.Properties{}
	}
	return f, ve, nil
}

// decodeGeometry reads a GeoJSON geometry from its decoded JSON value.
func decodeGeometry(x any, ve *store.ValidationError) orb.Geometry {
	b, err := json.Marshal(x)
	if err != nil {
		ve.Add("geometry", "is not a GeoJSON geometry")
		return nil
	}
	g, err := geojson.UnmarshalGeometry(b)
	if err != nil || g.Geometry() == nil {
		ve.Add("geometry", "must be a GeoJSON Point, Polygon or MultiPolygon with [longitude, latitude] positions")
		return nil
	}
	return g.Geometry()
}
