// Package data holds sitematch's catalogue: the French communes, programmes,
// candidate sites and reference layers that the matching engine scores, with
// the provenance of every record.
//
// # Snapshot
//
// The catalogue ships as a snapshot of plain CSV files, one per layer, in the
// snapshot/ folder beside this file, embedded in the binary with go:embed so a
// fresh clone runs with nothing else. The files are diff-friendly: one record a
// line, rows sorted by id, coordinates in WGS84 lon/lat degrees with six
// decimals. sources.csv names the upstream publisher, licence, vintage and row
// count of every layer, and SOURCES.md says the same for people. The snapshot
// is produced by package importer from the upstream open-data files; Load reads
// it back. The data version is the SHA-256 of the snapshot files (with a
// site registry applied, package store combines it with the registry's
// revision: docs/CONTRACT.md, "The data version").
//
// # Units
//
// Coordinates are orb.Point values, [longitude, latitude] in degrees (WGS84).
// Areas are hectares. Populations are people counts from INSEE.
//
// # Caveats
//
// Layers have known coverage gaps (toll motorways only, 35 turnkey sites out of
// about 180, lycées whose trades are known only when their name states them);
// Gaps lists them so the engine can say so rather than hide it. Catalogue's
// RegionCode and DepartementCode (names.go) resolve a région or département
// given by code or by name.
package data
