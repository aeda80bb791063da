package store

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb/geojson"
)

// Feature returns the site as a GeoJSON Feature: its id, its geometry
// (Point, Polygon or MultiPolygon, WGS84) and its properties (Properties,
// bookkeeping included). History entries hold this form.
func (s *Site) Feature() *geojson.Feature {
	f := geojson.NewFeature(s.Geometry())
	f.ID = s.ID
	f.Properties = s.Properties()
	return f
}

// MarshalFeature encodes the site as a GeoJSON Feature.
func (s *Site) MarshalFeature() ([]byte, error) {
	b, err := json.Marshal(s.Feature())
	if err != nil {
		return nil, fmt.Errorf("store: encode site %q: %w", s.ID, err)
	}
	return b, nil
}

// SiteFromFeature reads a site from a GeoJSON Feature: the id (a string,
// optional), the geometry, and every property of Fields (bookkeeping ones
// ignored). It also returns the names of the properties present and
// "geometry" when a geometry is given, for Patch. Bad values are a
// *ValidationError naming each field ("properties.area_ha").
func SiteFromFeature(f *geojson.Feature) (Site, []string, error) {
	var (
		s       Site
		ve      ValidationError
		present []string
	)
	switch id := f.ID.(type) {
	case nil:
	case string:
		s.ID = id
	default:
		ve.Add("id", "must be a string")
	}
	if f.Geometry != nil {
		ve.merge(s.SetGeometry(f.Geometry))
		present = append(present, "geometry")
	}
	ve.merge(s.SetProperties(f.Properties))
	for _, name := range Fields() {
		if _, ok := f.Properties[name]; ok {
			present = append(present, name)
		}
	}
	return s, present, ve.Err()
}
