package matching_test

import (
	"errors"
	"math"
	"testing"

	"sitematch/matching"
)

// TestSectorOrderAndErrors: a sector's suppliers and customers are at most
// MaxSectorLinks, ordered by the share as published (4 decimals) then by
// code, each share the table's; a code that is not NAF is a validation
// error naming naf; an unknown territory is ErrUnknownTerritory.
func TestSectorOrderAndErrors(t *testing.T) {
	e := matching.SharedEngine(t)
	io := &e.Catalogue().IO
	for _, code := range []string{"30.30Z", "20", "58", "86", "10.11Z"} {
		p, err := matching.Sector(code, io)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		for _, xs := range [][]matching.BranchShare{p.Suppliers, p.Customers} {
			if len(xs) == 0 || len(xs) > matching.MaxSectorLinks {
				t.Fatalf("%s: %d branches", code, len(xs))
			}
			for i := 1; i < len(xs); i++ {
				a, b := math.Round(xs[i-1].Share*1e4), math.Round(xs[i].Share*1e4)
				if a < b || (a == b && xs[i-1].Branch > xs[i].Branch) {
					t.Errorf("%s: %v before %v", code, xs[i-1], xs[i])
				}
			}
		}
		for _, s := range p.Suppliers {
			if want := io.Share(p.Branch, s.Branch); s.Share != want {
				t.Errorf("%s: supplier %s share %v, table %v", code, s.Branch, s.Share, want)
			}
		}
	}
	var ve *matching.ValidationError
	if _, err := matching.Sector("abc", io); !errors.As(err, &ve) || ve.Fields[0].Field != "naf" {
		t.Errorf("Sector(abc) = %v, want a validation error naming naf", err)
	}
	if _, err := e.TerritoryProfile("999"); !errors.Is(err, matching.ErrUnknownTerritory) {
		t.Errorf("TerritoryProfile(999) = %v, want ErrUnknownTerritory", err)
	}
}

// TestTerritoryNodesOnItsLandmass: a territory's nearest node of each mode
// lies on its landmass (the engine's node index, as candidates see it), so
// that no overseas territory is given a station in Hendaye or Mayotte a
// port in Réunion: every node found is within 1,000 km, and Mayotte
// (ti-0601) has no port of Réunion.
func TestTerritoryNodesOnItsLandmass(t *testing.T) {
	e := matching.SharedEngine(t)
	for _, ti := range e.Catalogue().Territoires {
		p, err := e.TerritoryProfile(ti.ID)
		if err != nil {
			t.Fatal(err)
		}
		for mode, n := range p.Nearest {
			if n.Index >= 0 && n.Km > 1000 {
				t.Errorf("%s (%s): nearest %s %s at %.0f km", ti.ID, ti.Name, mode, n.Name, n.Km)
			}
		}
	}
}
