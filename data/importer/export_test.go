package importer

import (
	"maps"
	"slices"
)

// HasParser reports whether the importer builds a layer (for tests).
func HasParser(id string) bool { _, ok := parsers[id]; return ok }

// ParsedLayers lists the layers the importer builds (for tests).
func ParsedLayers() []string { return slices.Sorted(maps.Keys(parsers)) }
