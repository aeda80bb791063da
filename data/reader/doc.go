// Package reader is sitematch's one reader of tabular and geographic
// files: the snapshot importer (package importer, the upstream open data)
// and the site registry import (package store, regional files) both read
// through it. It reads GeoJSON, CSV (lon/lat columns, a WKT or GeoJSON
// geometry column, or a "lon, lat" geopoint column), plain JSON and
// GeoPackage layers into plain records: where each was read (file and
// line, or feature index), its raw values and its geometry in WGS84
// lon/lat. It knows nothing of sites or layers: its callers map the
// values to their fields.
//
// # Delimited text
//
// A byte-order mark is dropped; text that is not valid UTF-8 is read as
// Windows-1252; the separator is given or detected from the header line;
// every row must have as many fields as the header, and an error names the
// file and the line where the faulty record starts.
//
// # Coordinates
//
// Geometries come out in WGS84 longitude/latitude degrees. Lambert-93
// (EPSG:2154, the French official projection that IGN, the CNIG standard
// and most regional GeoPackages use) is converted with geo.Lambert93ToWGS84:
// in a GeoPackage by its declared SRS, in GeoJSON by a legacy "crs" member
// naming EPSG:2154, and in CSV when the coordinates are plainly projected
// (x in 0–1,300,000 m and y in 6,000,000–7,200,000 m, far outside degrees).
package reader
