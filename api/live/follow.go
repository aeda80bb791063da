package live

import (
	"context"
	"slices"

	"sitematch/data/store"
)

// ApplyChanges brings the engine and the collections up to date with
// changes, entries of the registry's history in sequence order (the
// writes committed elsewhere: other replicas, the command line, and the
// holder's own writes as they come back), the way the holder applies its
// own writes: the sites as they now stand, the engine's WithSites, the
// collections, the new data version. It returns the number of sites it
// applied. A change is skipped when the engine read its site after a
// revision that counts it (writer.reflected), when the swap in progress
// did (writer.inSwap), or when its site waits for the next swap
// (writer.pending), which reads it after now; such a site is caught up
// now too (a swap that failed put it back, and nothing else may come to
// apply it).
func (h *Holder) ApplyChanges(ctx context.Context, changes []store.Change) (int, error) {
	if len(changes) == 0 {
		return 0, nil
	}
	ids, waiting := h.unreflected(changes, changes[len(changes)-1].Seq)
	if len(ids) == 0 && !waiting {
		return 0, nil
	}
	h.w.mu.Lock()
	h.w.seq++
	n := h.w.seq
	h.w.pending = append(h.w.pending, ids...)
	h.w.mu.Unlock()
	if err := h.catchUp(ctx, n); err != nil {
		return 0, err
	}
	return len(ids), nil
}

// unreflected returns the sites of changes that the engine does not hold
// and that no swap is about to read (see ApplyChanges); waiting reports a
// site that waits for the next swap. It forgets what no change after last
// can need.
func (h *Holder) unreflected(changes []store.Change, last int64) (ids []string, waiting bool) {
	h.w.mu.Lock()
	defer h.w.mu.Unlock()
	h.w.rmu.Lock()
	defer h.w.rmu.Unlock()
	for _, c := range changes {
		switch {
		case h.w.reflected[c.SiteID] >= c.Seq:
		case h.w.inSwapSeq >= c.Seq && slices.Contains(h.w.inSwap, c.SiteID):
		case slices.Contains(h.w.pending, c.SiteID):
			waiting = true
		default:
			ids = append(ids, c.SiteID)
		}
	}
	for id, seq := range h.w.reflected {
		if seq <= last {
			delete(h.w.reflected, id)
		}
	}
	return ids, waiting
}
