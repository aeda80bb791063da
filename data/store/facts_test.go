package store_test

import (
	"testing"

	"sitematch/data/store"
)

// TestApplyKeepsSnapshotFacts checks that a registry correction of a
// snapshot brownfield keeps the facts the registry does not hold (site
// type, activity, owner, pollution, unverified flag), and takes the rest
// from the record.
func TestApplyKeepsSnapshotFacts(t *testing.T) {
	cat := reference(t).Catalogue()
	var snap = cat.Brownfields[0]
	for _, b := range cat.Brownfields {
		if b.Activity != "" && b.Owner != "" && b.Unverified {
			snap = b
			break
		}
	}
	area := 3.5
	rec := store.Site{ID: snap.ID, Kind: snap.Kind, Name: "Corrigée", Commune: snap.Commune, Point: snap.Point, AreaHa: &area}
	got := store.Apply(cat, []store.Site{rec}, "r")
	for _, b := range got.Brownfields {
		if b.ID != snap.ID {
			continue
		}
		if b.Name != "Corrigée" || !b.AreaKnown || b.AreaHa != 3.5 {
			t.Errorf("the correction's own fields are lost: %+v", b)
		}
		if b.Activity != snap.Activity || b.Owner != snap.Owner || b.SiteType != snap.SiteType || !b.Unverified || b.ZoneType != snap.ZoneType {
			t.Errorf("snapshot facts lost: %+v, snapshot %+v", b, snap)
		}
		return
	}
	t.Fatalf("%s not in the applied catalogue", snap.ID)
}
