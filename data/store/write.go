package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Tx is one write transaction of a registry backend: the few primitives
// the write logic of [Writer] (versions, ETags, history, validation,
// imports, keys) runs on, so that every backend (the GeoPackage file,
// PostgreSQL/PostGIS) behaves the same. A Tx is used by one goroutine.
type Tx interface {
	// Stored returns the stored record of id, if any.
	Stored(ctx context.Context, id string) (Site, bool, error)
	// LastVersion returns the highest version in a site's history (0 if
	// none).
	LastVersion(ctx context.Context, id string) (int64, error)
	// Put writes a site's record, with the région it lies in: a new row
	// when exists is false, else the replacement of the row of s.ID.
	Put(ctx context.Context, s *Site, region string, exists bool) error
	// Remove deletes the record of id.
	Remove(ctx context.Context, id string) error
	// Append adds a history entry; the backend numbers it (c.Seq is
	// ignored). after is the site as written, nil for a delete.
	Append(ctx context.Context, c Change, after *Site) error
	// KeyState reports whether a key of that name exists, and whether it
	// is revoked.
	KeyState(ctx context.Context, name string) (exists, revoked bool, err error)
	// InsertKey stores a new key's record with the SHA-256 of the key.
	InsertKey(ctx context.Context, k Key, hash string) error
	// RevokeKey marks the named key revoked at the given time.
	RevokeKey(ctx context.Context, name string, at time.Time) error
}

// Writer is the registry's write logic, shared by the backends: each
// write runs in one transaction (Run), reads the site as it stands,
// checks the expected version, validates against the catalogue
// reference, writes the next version and appends its history entry.
type Writer struct {
	Ref *Reference
	Now func() time.Time
	// Run runs fn in one write transaction: committed (and durable) when
	// fn returns nil, rolled back otherwise, fn's error returned.
	Run func(ctx context.Context, fn func(Tx) error) error
}

// Stamp returns the current time as stored: UTC, milliseconds.
func (w *Writer) Stamp() time.Time { return w.Now().UTC().Truncate(time.Millisecond) }

// Seed writes the catalogue's turnkey sites into a new registry (history
// verb "seed") within tx.
func (w *Writer) Seed(ctx context.Context, tx Tx, now time.Time) error {
	for _, d := range w.Ref.cat.Turnkey {
		site := fromCatalogue(d)
		if err := w.Ref.Prepare(&site, now); err != nil {
			return fmt.Errorf("seed %s: %w", d.ID, err)
		}
		if err := w.insert(ctx, tx, "seed", VerbSeed, nil, &site, now); err != nil {
			return fmt.Errorf("seed %s: %w", d.ID, err)
		}
	}
	return nil
}

// SnapshotBrownfield returns the snapshot's record of a brownfield id, as
// Get returns it when the registry holds no correction (version 0: the
// caller sets the version of its last deleted correction).
func (r *Reference) SnapshotBrownfield(id string) (Site, bool) { return r.snapshotBrownfield(id) }

// current returns the site as it stands: the stored record, or an
// uncorrected snapshot brownfield (stored false) with the version of its
// last history entry.
func (w *Writer) current(ctx context.Context, tx Tx, id string) (site Site, isStored bool, err error) {
	site, ok, err := tx.Stored(ctx, id)
	if err != nil || ok {
		return site, ok, err
	}
	snap, ok := w.Ref.snapshotBrownfield(id)
	if !ok {
		return Site{}, false, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if snap.Version, err = tx.LastVersion(ctx, id); err != nil {
		return Site{}, false, err
	}
	return snap, false, nil
}

// insert writes a new record (version and timestamps set here) and its
// history entry.
func (w *Writer) insert(ctx context.Context, tx Tx, who, verb string, before *Site, site *Site, now time.Time) error {
	last, err := tx.LastVersion(ctx, site.ID)
	if err != nil {
		return err
	}
	site.Version = last + 1
	site.CreatedAt, site.UpdatedAt, site.CreatedBy, site.UpdatedBy = now, now, who, who
	if err := tx.Put(ctx, site, w.Ref.Region(site), false); err != nil {
		return fmt.Errorf("store: insert %q: %w", site.ID, err)
	}
	return w.record(ctx, tx, who, verb, before, site, now)
}

// replace overwrites a stored record with its next version, or inserts
// the first correction of a snapshot brownfield, and records the change.
func (w *Writer) replace(ctx context.Context, tx Tx, who, verb string, cur, next *Site, isStored bool, now time.Time) error {
	next.ID, next.Kind = cur.ID, cur.Kind
	next.Version = cur.Version + 1
	next.CreatedAt, next.CreatedBy = cur.CreatedAt, cur.CreatedBy
	if !isStored {
		next.CreatedAt, next.CreatedBy = now, who
	}
	next.UpdatedAt, next.UpdatedBy = now, who
	if err := tx.Put(ctx, next, w.Ref.Region(next), isStored); err != nil {
		return fmt.Errorf("store: write %q: %w", cur.ID, err)
	}
	return w.record(ctx, tx, who, verb, cur, next, now)
}

// record appends a history entry: the fields changed, the site before
// and after as GeoJSON Features.
func (w *Writer) record(ctx context.Context, tx Tx, who, verb string, before, after *Site, now time.Time) error {
	c := Change{At: now, Who: who, Verb: verb}
	if before != nil {
		j, err := before.MarshalFeature()
		if err != nil {
			return err
		}
		c.Before, c.SiteID, c.Version = j, before.ID, before.Version+1
	}
	if after != nil {
		j, err := after.MarshalFeature()
		if err != nil {
			return err
		}
		c.After, c.SiteID, c.Version = j, after.ID, after.Version
	}
	switch {
	case before != nil && after != nil:
		c.Changed = diffFields(before, after)
	case after != nil:
		c.Changed = diffFields(&Site{}, after)
	case before != nil:
		c.Changed = diffFields(before, &Site{})
	}
	c.Changed = append([]string{}, c.Changed...)
	if err := tx.Append(ctx, c, after); err != nil {
		return fmt.Errorf("store: record history of %q: %w", c.SiteID, err)
	}
	return nil
}

// ChangedJSON returns a change's field list as stored: a JSON array.
func ChangedJSON(c Change) string {
	j, _ := json.Marshal(append([]string{}, c.Changed...))
	return string(j)
}

// Create adds a site (see Store.Create).
func (w *Writer) Create(ctx context.Context, who string, site Site) (Site, error) {
	now := w.Stamp()
	if site.ID == "" && slices.Contains(Kinds, site.Kind) {
		site.ID = newID(site.Kind)
	}
	if err := w.Ref.Prepare(&site, now); err != nil {
		return Site{}, err
	}
	err := w.Run(ctx, func(tx Tx) error {
		_, ok, err := tx.Stored(ctx, site.ID)
		if err != nil {
			return err
		}
		if ok {
			return fmt.Errorf("%w: %q", ErrExists, site.ID)
		}
		var before *Site
		if snap, ok := w.Ref.snapshotBrownfield(site.ID); ok {
			if snap.Version, err = tx.LastVersion(ctx, site.ID); err != nil {
				return err
			}
			before = &snap
		}
		return w.insert(ctx, tx, who, VerbCreate, before, &site, now)
	})
	if err != nil {
		return Site{}, err
	}
	return site, nil
}

// Update replaces a site (see Store.Update).
func (w *Writer) Update(ctx context.Context, who, id, expected string, site Site) (Site, error) {
	if site.ID != "" && site.ID != id {
		return Site{}, fieldErr("id", "is %q but the site written is %q", site.ID, id)
	}
	return w.modify(ctx, who, id, expected, VerbUpdate, func(cur Site) (Site, error) {
		if site.Kind != cur.Kind {
			return Site{}, fieldErr("properties.kind", "cannot change from %s to %s: delete the site and create it anew", cur.Kind, site.Kind)
		}
		site.ID = id
		return site, nil
	})
}

// Patch changes some properties of a site (see Store.Patch).
func (w *Writer) Patch(ctx context.Context, who, id, expected string, p Patch) (Site, error) {
	var ve ValidationError
	for _, f := range p.Fields {
		switch fd, ok := fieldByName(f); {
		case f == "geometry":
		case f == "kind" && p.Values.Kind == "":
			ve.Add("properties.kind", "cannot be removed")
		case !ok:
			ve.Add("properties."+f, "unknown property")
		case fd.book:
			ve.Add("properties."+f, "is set by the registry and cannot be written")
		}
	}
	if err := ve.Err(); err != nil {
		return Site{}, err
	}
	return w.modify(ctx, who, id, expected, VerbPatch, func(cur Site) (Site, error) {
		if slices.Contains(p.Fields, "kind") && p.Values.Kind != cur.Kind {
			return Site{}, fieldErr("properties.kind", "cannot change from %s to %s: delete the site and create it anew", cur.Kind, p.Values.Kind)
		}
		return applyFields(cur, p.Values, p.Fields), nil
	})
}

// modify runs a read-check-write cycle in one transaction: the site's
// current state, the version check, the new state from next, validation,
// and the write with its history (skipped when nothing changes).
func (w *Writer) modify(ctx context.Context, who, id, expected, verb string, next func(Site) (Site, error)) (Site, error) {
	now := w.Stamp()
	var out Site
	err := w.Run(ctx, func(tx Tx) error {
		cur, isStored, err := w.current(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(expected, &cur); err != nil {
			return err
		}
		n, err := next(cur)
		if err != nil {
			return err
		}
		if err := w.Ref.Prepare(&n, now); err != nil {
			return err
		}
		if isStored && len(diffFields(&cur, &n)) == 0 {
			out = cur
			return nil
		}
		if err := w.replace(ctx, tx, who, verb, &cur, &n, isStored, now); err != nil {
			return err
		}
		out = n
		return nil
	})
	if err != nil {
		return Site{}, err
	}
	return out, nil
}

// Delete removes a stored site (see Store.Delete).
func (w *Writer) Delete(ctx context.Context, who, id, expected string) error {
	now := w.Stamp()
	return w.Run(ctx, func(tx Tx) error {
		cur, ok, err := tx.Stored(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: %q", ErrNotFound, id)
		}
		if err := checkVersion(expected, &cur); err != nil {
			return err
		}
		if err := tx.Remove(ctx, id); err != nil {
			return fmt.Errorf("store: delete %q: %w", id, err)
		}
		return w.record(ctx, tx, who, VerbDelete, &cur, nil, now)
	})
}

// Import writes a batch in one transaction (see Store.Import): every item
// is validated, then created, updated (only its Fields) or left unchanged;
// if any item is invalid nothing is written and the error is a
// *ValidationError listing every bad field, prefixed with the item's Ref.
// The report is returned in every case but an I/O failure.
func (w *Writer) Import(ctx context.Context, who string, batch []ImportItem, opt ImportOptions) (*ImportReport, error) {
	now := w.Stamp()
	var rep *ImportReport
	err := w.Run(ctx, func(tx Tx) error {
		rep = &ImportReport{DryRun: opt.DryRun} // afresh if Run retries
		seen := map[string]string{}
		for _, it := range batch {
			out := ImportOutcome{Ref: it.Ref, ID: it.Site.ID}
			bad := func(err error) {
				out.Outcome = OutcomeInvalid
				var ve *ValidationError
				if errors.As(err, &ve) {
					for _, f := range ve.Fields {
						rep.Errors = append(rep.Errors, FieldError{Field: joinRef(it.Ref, f.Field), Message: f.Message})
					}
				} else {
					rep.Errors = append(rep.Errors, FieldError{Field: it.Ref, Message: err.Error()})
				}
			}
			err := w.importOne(ctx, tx, who, it, seen, now, opt.DryRun, &out)
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) && !errors.Is(err, ErrNotFound) {
					return err
				}
				bad(err)
			}
			switch out.Outcome {
			case OutcomeCreated:
				rep.Created++
			case OutcomeUpdated:
				rep.Updated++
			case OutcomeUnchanged:
				rep.Unchanged++
			case OutcomeInvalid:
				rep.Invalid++
			}
			rep.Items = append(rep.Items, out)
		}
		if rep.Invalid > 0 || opt.DryRun {
			return errRollback
		}
		return nil
	})
	switch {
	case errors.Is(err, errRollback):
	case err != nil:
		return nil, fmt.Errorf("store: import: %w", err)
	default:
		rep.Committed = true
	}
	if rep.Invalid > 0 {
		return rep, &ValidationError{Fields: rep.Errors}
	}
	return rep, nil
}

// importOne validates and applies one item within the import's
// transaction. In a dry run it writes nothing but still reports.
func (w *Writer) importOne(ctx context.Context, tx Tx, who string, it ImportItem, seen map[string]string, now time.Time, dry bool, out *ImportOutcome) error {
	if it.Err != nil {
		return it.Err
	}
	id := it.Site.ID
	if id == "" {
		return fieldErr("id", "is required to import (map a source column to id with --map id=COLUMN)")
	}
	if prev, dup := seen[id]; dup && !it.UpdateOnly {
		return fieldErr("id", "%q is also at %s", id, prev)
	}
	if !it.UpdateOnly {
		seen[id] = it.Ref
	}
	cur, isStored, err := w.current(ctx, tx, id)
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !exists {
		if it.UpdateOnly {
			return fieldErr("id", "no site %s to complete (import its site-level record too)", id)
		}
		site := it.Site
		if err := w.Ref.Prepare(&site, now); err != nil {
			return err
		}
		out.Outcome, out.Changed = OutcomeCreated, diffFields(&Site{}, &site)
		if dry {
			return nil
		}
		return w.insert(ctx, tx, who, VerbImport, nil, &site, now)
	}
	if it.Site.Kind != "" && it.Site.Kind != cur.Kind {
		return fieldErr("properties.kind", "cannot change from %s to %s", cur.Kind, it.Site.Kind)
	}
	names := it.Fields
	if names == nil {
		names = append(Fields(), "geometry")
	}
	names = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "kind" })
	next := applyFields(cur, it.Site, names)
	if err := w.Ref.Prepare(&next, now); err != nil {
		return err
	}
	changed := diffFields(&cur, &next)
	if isStored && len(changed) == 0 {
		out.Outcome = OutcomeUnchanged
		return nil
	}
	out.Outcome, out.Changed = OutcomeUpdated, changed
	if dry {
		return nil
	}
	return w.replace(ctx, tx, who, VerbImport, &cur, &next, isStored, now)
}

// CreateKey creates a key (see Store.CreateKey). The key is "smk_"
// followed by 32 base32 characters from crypto/rand.
func (w *Writer) CreateKey(ctx context.Context, name, role, region string) (string, Key, error) {
	if err := w.Ref.ValidateKey(name, role, region); err != nil {
		return "", Key{}, err
	}
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return "", Key{}, fmt.Errorf("store: create key: %w", err)
	}
	key := KeyPrefix + keyEncoding.EncodeToString(raw)
	k := Key{Name: name, Role: role, Region: region, CreatedAt: w.Stamp()}
	err := w.Run(ctx, func(tx Tx) error {
		exists, _, err := tx.KeyState(ctx, name)
		if err != nil {
			return fmt.Errorf("store: create key: %w", err)
		}
		if exists {
			return fieldErr("name", "a key named %q exists (revoked keys keep their name)", name)
		}
		if err := tx.InsertKey(ctx, k, hashKey(key)); err != nil {
			return fmt.Errorf("store: create key: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", Key{}, err
	}
	return key, k, nil
}

// Revoke revokes a key by name; revoking a revoked key does nothing.
func (w *Writer) Revoke(ctx context.Context, name string) error {
	now := w.Stamp()
	return w.Run(ctx, func(tx Tx) error {
		exists, revoked, err := tx.KeyState(ctx, name)
		if err != nil {
			return fmt.Errorf("store: revoke %q: %w", name, err)
		}
		if !exists {
			return fmt.Errorf("%w: %q", ErrKeyNotFound, name)
		}
		if revoked {
			return nil
		}
		if err := tx.RevokeKey(ctx, name, now); err != nil {
			return fmt.Errorf("store: revoke %q: %w", name, err)
		}
		return nil
	})
}

// KeyHash returns the SHA-256 (hex) under which a key is stored, and
// false for a string that cannot be a key (no "smk_" prefix): what
// Authenticate looks up.
func KeyHash(key string) (string, bool) {
	if !strings.HasPrefix(key, KeyPrefix) {
		return "", false
	}
	return hashKey(key), true
}

// NoHistory returns the error of History for an id with no history entry:
// ErrNotFound, unless it is a snapshot brownfield (an empty history).
func (r *Reference) NoHistory(id string) error {
	if _, ok := r.snapshotBrownfield(id); !ok {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return nil
}
