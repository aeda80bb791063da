package live

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"sitematch/data/store"
)

// Rights: a write needs a principal (store.Authenticate); a reader key
// writes nothing (the caller refuses it before asking); a region editor
// writes only sites located in its région, checked on the site as stored
// and on the site as written (so moving a site out of the région is
// refused), where a site's région must be that of its commune and that of
// the commune nearest its location (Reference.RegionAt), so a commune
// code a caller sends cannot carry a site into another région; an admin
// writes anything. The principal's name is recorded in the history.

// ForbiddenError is a write the principal may not make (HTTP 403): Field
// names what decides ("Authorization" for the key's role, "geometry" for
// the site's location), Detail why.
type ForbiddenError struct {
	Field  string
	Detail string
}

func (e *ForbiddenError) Error() string { return "live: " + e.Detail }

// Create writes a new site as p, once p's rights on its location are
// checked, and returns it as stored.
func (h *Holder) Create(ctx context.Context, p store.Principal, site store.Site) (store.Site, error) {
	// The rights follow the location: validate a copy as the store will,
	// which derives the commune when none is given.
	probe := site
	if err := h.reg.Reference().Prepare(&probe, time.Now()); err != nil {
		return store.Site{}, err
	}
	if err := h.mayWrite(p, &probe, "the site"); err != nil {
		return store.Site{}, err
	}
	var out store.Site
	err := h.Write(ctx, func(ctx context.Context) (string, error) {
		var err error
		out, err = h.reg.Create(ctx, p.Name, site)
		return out.ID, err
	})
	return out, err
}

// Update replaces the site id with site as p, if ifMatch (an If-Match
// header) holds the stored site's ETag, and returns it as stored.
func (h *Holder) Update(ctx context.Context, p store.Principal, id, ifMatch string, site store.Site) (store.Site, error) {
	if site.ID != "" && site.ID != id {
		var ve store.ValidationError
		ve.Add("id", "is %q but the site written is %q", site.ID, id)
		return store.Site{}, &ve
	}
	// Validate the site, its geometry above all, before taking the lock
	// every write waits on; under it, only what depends on the site as
	// stored is checked.
	probe := site
	probe.ID = "" // its kind is checked against the stored one under the lock
	if err := h.reg.Reference().Prepare(&probe, time.Now()); err != nil {
		return store.Site{}, err
	}
	return h.rewrite(ctx, p, id, ifMatch, func(store.Site) store.Site { return site },
		func(ctx context.Context, tag string) (store.Site, error) {
			return h.reg.Update(ctx, p.Name, id, tag, site)
		})
}

// Patch applies a merge patch to the site id as p, if ifMatch holds the
// stored site's ETag, and returns it as stored.
func (h *Holder) Patch(ctx context.Context, p store.Principal, id, ifMatch string, patch store.Patch) (store.Site, error) {
	// A new geometry is validated before taking the lock every write waits on.
	if slices.Contains(patch.Fields, "geometry") {
		if err := h.reg.Reference().ValidateGeometry(patch.Values.Point, patch.Values.Outline); err != nil {
			return store.Site{}, err
		}
	}
	return h.rewrite(ctx, p, id, ifMatch, func(cur store.Site) store.Site { return applyPatch(cur, patch) },
		func(ctx context.Context, tag string) (store.Site, error) {
			return h.reg.Patch(ctx, p.Name, id, tag, patch)
		})
}

// rewrite runs, as the one writer, a write that replaces the site id: it
// checks p's rights and ifMatch on the site as stored, then the site as
// it will be (next, from the stored one), then commits it (write, with
// the ETag checked), and returns it as stored.
func (h *Holder) rewrite(ctx context.Context, p store.Principal, id, ifMatch string, next func(cur store.Site) store.Site,
	write func(ctx context.Context, tag string) (store.Site, error)) (store.Site, error) {
	var out store.Site
	err := h.Write(ctx, func(ctx context.Context) (string, error) {
		cur, tag, err := h.stored(ctx, p, id, ifMatch)
		if err != nil {
			return "", err
		}
		if err := h.checkNext(p, &cur, next(cur)); err != nil {
			return "", err
		}
		out, err = write(ctx, tag)
		return id, err
	})
	return out, err
}

// Delete deletes the site id as p, if ifMatch holds the stored site's
// ETag.
func (h *Holder) Delete(ctx context.Context, p store.Principal, id, ifMatch string) error {
	return h.Write(ctx, func(ctx context.Context) (string, error) {
		_, tag, err := h.stored(ctx, p, id, ifMatch)
		if err != nil {
			return "", err
		}
		return id, h.reg.Delete(ctx, p.Name, id, tag)
	})
}

// mayWrite checks that p may write site, as stored ("the site") or as
// written ("the new location"): the région of its commune and that of its
// location must both be p's (any, for an admin).
func (h *Holder) mayWrite(p store.Principal, site *store.Site, what string) error {
	if p.Role == store.RoleAdmin {
		return nil
	}
	ref := h.reg.Reference()
	name := func(code string) string {
		if n, ok := ref.RegionName(code); ok {
			return fmt.Sprintf("région %s (%s)", code, n)
		}
		return "no known région"
	}
	byCommune, byLocation := ref.Region(site), ref.RegionAt(site.Point)
	for _, r := range []string{byCommune, byLocation} {
		if p.MayWrite(r) {
			continue
		}
		where := name(r)
		if byCommune != byLocation {
			where = fmt.Sprintf("%s by its commune %s and %s by its location", name(byCommune), site.Commune, name(byLocation))
		}
		return &ForbiddenError{Field: "geometry", Detail: fmt.Sprintf("the key %q is a region editor of %s: it may not write %s %s, which lies in %s",
			p.Name, name(p.Region), what, site.ID, where)}
	}
	return nil
}

// stored returns the site as stored (or the snapshot's brownfield) and
// checks that p may write it and that ifMatch is current. It runs as the
// writer.
func (h *Holder) stored(ctx context.Context, p store.Principal, id, ifMatch string) (store.Site, string, error) {
	cur, err := h.reg.Get(ctx, id)
	if err != nil {
		return store.Site{}, "", err
	}
	if err := h.mayWrite(p, &cur, "the site"); err != nil {
		return store.Site{}, "", err
	}
	tag, err := precondition(ifMatch, &cur)
	return cur, tag, err
}

// checkNext validates the site as it will be written and checks that p may
// write it there.
func (h *Holder) checkNext(p store.Principal, cur *store.Site, next store.Site) error {
	if next.Kind != cur.Kind {
		var ve store.ValidationError
		ve.Add("properties.kind", "cannot change from %s to %s: delete the site and create it anew", cur.Kind, next.Kind)
		return &ve
	}
	next.ID = cur.ID
	if err := h.reg.Reference().Prepare(&next, time.Now()); err != nil {
		return err
	}
	return h.mayWrite(p, &next, "the site at its new location")
}

// applyPatch returns cur with the patch applied, as the store applies it.
func applyPatch(cur store.Site, p store.Patch) store.Site {
	next := cur
	values := p.Values.Properties()
	for _, f := range p.Fields {
		if f == "geometry" {
			next.Point, next.Outline = p.Values.Point, p.Values.Outline
			continue
		}
		_ = next.SetProperty(f, values[f]) // the patch's decoder checked the names and values
	}
	return next
}

// precondition checks an If-Match header against the site as stored and
// returns the ETag to write with: the site's own, so that the write
// replaces exactly the version whose rights were checked. No header is
// store.ErrPreconditionRequired (428), a stale one store.ErrConflict (412).
func precondition(ifMatch string, cur *store.Site) (string, error) {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		return "", fmt.Errorf("%w: send If-Match with the ETag of GET /v1/sites/%s (%s now), or If-Match: * to overwrite whatever is there",
			store.ErrPreconditionRequired, cur.ID, cur.ETag())
	}
	if !ETagMatches(ifMatch, cur.ETag()) {
		return "", fmt.Errorf("%w: %s is at %s, not %s; read it again and reapply the change", store.ErrConflict, cur.ID, cur.ETag(), ifMatch)
	}
	return cur.ETag(), nil
}

// ETagMatches reports whether a list of entity tags (If-Match,
// If-None-Match) holds "*" or etag, weak tags compared by their value.
func ETagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || `"`+t+`"` == etag {
			return true
		}
	}
	return false
}
