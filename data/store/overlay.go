package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"sitematch/data"
)

// DataVersion combines the snapshot's data version with the registry's
// revision: "sha256:" of both, so that a match response names the exact
// data it ranked.
func DataVersion(snapshot, revision string) string {
	h := sha256.Sum256([]byte(snapshot + "\x00registry\x00" + revision))
	return "sha256:" + hex.EncodeToString(h[:])
}

// Overlay returns a copy of base with the registry applied, for
// matching.NewEngine: Apply of the registry's records at its current
// revision. base is not modified.
func Overlay(ctx context.Context, st Store, base *data.Catalogue) (*data.Catalogue, error) {
	c, _, err := OverlayRecords(ctx, st, base)
	return c, err
}

// OverlayRecords is Overlay that also returns the registry records it
// applied (ordered by id), for callers that serve their properties (the
// OGC API collections).
func OverlayRecords(ctx context.Context, st Store, base *data.Catalogue) (*data.Catalogue, []Site, error) {
	rev, err := st.Revision(ctx)
	if err != nil {
		return nil, nil, err
	}
	page, err := st.List(ctx, Query{})
	if err != nil {
		return nil, nil, err
	}
	return Apply(base, page.Sites, rev), page.Sites, nil
}

// Apply returns a copy of base with the registry records applied: the
// turnkey sites are the registry's (it was seeded from the snapshot's,
// which it replaces), zones and brownfields are the snapshot's overridden
// by records of the same id, plus the registry's own. Slices stay sorted
// by id; the version is DataVersion of base's and the registry's revision.
// base is not modified.
func Apply(base *data.Catalogue, records []Site, revision string) *data.Catalogue {
	byKind := map[string][]data.Site{}
	snap := snapshotSites(base)
	for i := range records {
		d := records[i].CatalogueSite()
		if o, ok := snap[d.ID]; ok {
			d = d.WithSnapshotFacts(o)
		}
		byKind[d.Kind] = append(byKind[d.Kind], d)
	}
	c := *base
	for _, l := range data.Layers() {
		switch {
		case !l.Registry:
		case l.RegistryOwned:
			*l.Sites(&c) = sortByID(byKind[l.Kind])
		default:
			*l.Sites(&c) = merge(*l.Sites(base), byKind[l.Kind])
		}
	}
	c.Version = DataVersion(base.Version, revision)
	return &c
}

// snapshotSites indexes base's registry-layer sites by id.
func snapshotSites(base *data.Catalogue) map[string]data.Site {
	out := map[string]data.Site{}
	for _, l := range data.Layers() {
		if l.Registry {
			for _, s := range *l.Sites(base) {
				out[s.ID] = s
			}
		}
	}
	return out
}

func sortByID(s []data.Site) []data.Site {
	slices.SortFunc(s, func(a, b data.Site) int { return cmp.Compare(a.ID, b.ID) })
	return s
}

// merge returns base's sites with those of over replacing the same ids,
// and the others of over added, sorted by id.
func merge(base, over []data.Site) []data.Site {
	if len(over) == 0 {
		return slices.Clone(base)
	}
	ids := map[string]bool{}
	for _, s := range over {
		ids[s.ID] = true
	}
	out := make([]data.Site, 0, len(base)+len(over))
	for _, s := range base {
		if !ids[s.ID] {
			out = append(out, s)
		}
	}
	return sortByID(append(out, over...))
}

// EngineChange returns what the matching engine must apply after a write
// to site id: the site as it now stands (for a deleted brownfield
// correction, the snapshot's record again), or its deletion. Pass the
// result to matching's Engine.WithSites. record is the registry's record
// of the site, nil when it has none (deleted, or a snapshot brownfield
// without correction).
func EngineChange(ctx context.Context, st Store, id string) (record *Site, upserts []data.Site, deletes []string, err error) {
	s, err := st.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, []string{id}, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: engine change for %q: %w", id, err)
	}
	if s.Stored() {
		record = &s
	}
	d := s.CatalogueSite()
	if r, ok := st.(interface{ Reference() *Reference }); ok {
		if o, ok := r.Reference().snapshotSite(id); ok {
			d = d.WithSnapshotFacts(o)
		}
	}
	return record, []data.Site{d}, nil, nil
}
