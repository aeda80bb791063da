// Package reader reads the files a site registry import starts from —
// GeoJSON, CSV (lon/lat columns, a WKT or GeoJSON geometry column, or a
// "lon, lat" geopoint column) and GeoPackage layers — into plain features:
// where each was read (file and line, or feature index), its raw
// properties and its geometry in WGS84 lon/lat. It knows nothing of sites:
// package store maps the properties to site fields.
//
// # Coordinates
//
// Geometries come out in WGS84 longitude/latitude degrees. Lambert-93
// (EPSG:2154, the French official projection that the CNIG standard and
// most regional GeoPackages use) is converted: in a GeoPackage by its
// declared SRS, in GeoJSON by a legacy "crs" member naming EPSG:2154, and
// in CSV when the coordinates are plainly projected (x in 0–1,300,000 m
// and y in 6,000,000–7,200,000 m, far outside degrees).
package reader
