// Package live owns the engine and the OGC collections a server answers
// with, and the one write coordinator that keeps them in step with the
// site registry: it runs the registry's writes one at a time, checks the
// writer's rights and preconditions against the site as stored, and
// swaps in the next engine and collections before the write returns
// (Holder). It knows no HTTP.
//
// The engine is immutable; the holder keeps the current one behind an
// atomic pointer, with the encoder of its answers (wire.Answers, which
// caches what they share), and a reader loads it once per request. After each
// acknowledged registry write the holder derives the next engine with
// matching's WithSites (and the collections of the registry's layers with
// it, layers.Update) and swaps both in, so the next request sees the
// write without a reload.
//
// Concurrency: writes carry the ETag read ("If-Match"), which the store
// compares with the site's version: stale is store.ErrConflict, missing
// store.ErrPreconditionRequired. The holder runs one write at a time
// (writer.mu): it reads the site as stored, checks the rights and the
// precondition against it, and writes with that version pinned, so the
// rights checked are those of the version replaced. The write is durable
// when the store returns; the engine then catches up (catchUp) before the
// write returns. Catching up costs a copy of the candidates (WithSites,
// tens of milliseconds), so writes that commit while a swap is being
// built are applied together by the next one: the engine follows the
// registry in commit order, a prefix of the commits at a time. Writes
// committed elsewhere (another replica, the command line) are applied the
// same way (ApplyChanges).
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sitematch/api/features"
	"sitematch/api/layers"
	"sitematch/api/wire"
	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

// Registry is the site registry a holder writes to: a store.Store that
// also exposes the reference it validates sites with (communes and
// régions). *store.SQLite and *postgis.Store implement it.
type Registry interface {
	store.Store
	Reference() *store.Reference
}

var _ Registry = (*store.SQLite)(nil)

// Holder holds the current engine and collections and coordinates the
// registry's writes (see the package documentation). Build it with New.
type Holder struct {
	reg   Registry
	log   *slog.Logger
	cur   atomic.Pointer[generation]
	colls atomic.Pointer[features.Set]
	w     writer
}

// generation is an engine and the encoder of its answers, which caches
// what they share (wire.Answers): swapped together.
type generation struct {
	eng     *matching.Engine
	answers *wire.Answers
}

func newGeneration(eng *matching.Engine) *generation {
	return &generation{eng: eng, answers: wire.NewAnswers(eng)}
}

// writer serialises the registry's writes and keeps the engine in step.
type writer struct {
	mu      sync.Mutex // held across a write's read-check-write cycle
	seq     uint64     // writes committed (under mu)
	pending []string   // ids written since the engine last caught up, in commit order (under mu)

	swap    sync.Mutex // one engine swap at a time
	applied uint64     // writes the current engine reflects (under swap)

	// inSwap are the ids of the swap in progress, which read them after
	// the revision numbered inSwapSeq (under mu): ApplyChanges skips their
	// changes up to that number, as it skips those of pending ids, which
	// the next swap reads.
	inSwap    []string
	inSwapSeq int64

	// reflected maps a site id to the registry's history sequence number
	// read before the engine last read that site: every change to it up
	// to that number is in the engine, so ApplyChanges skips them (the
	// holder's own writes, mostly). ApplyChanges prunes it as it advances.
	rmu       sync.Mutex
	reflected map[string]int64
}

// New returns the holder of eng, which must rank the catalogue the
// registry describes: the snapshot with the registry applied
// (store.Overlay, then matching.NewEngine). It reads the registry's
// records once, for the properties the collections of its layers serve.
// log gets the swaps (debug) and the rebuilds (error); nil discards them.
func New(eng *matching.Engine, reg Registry, log *slog.Logger) (*Holder, error) {
	if eng == nil {
		return nil, errors.New("live: nil engine")
	}
	if reg == nil {
		return nil, errors.New("live: nil registry")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	page, err := reg.List(context.Background(), store.Query{})
	if err != nil {
		return nil, fmt.Errorf("live: reading the registry: %w", err)
	}
	h := &Holder{reg: reg, log: log}
	h.cur.Store(newGeneration(eng))
	h.colls.Store(layers.Build(eng.Catalogue(), page.Sites))
	return h, nil
}

// Engine returns the current engine. A reader loads it once and uses that
// one for the whole request.
func (h *Holder) Engine() *matching.Engine { return h.cur.Load().eng }

// Answers returns the answer encoder of eng, an engine Engine returned:
// the current engine's, which keeps what its answers share encoded for as
// long as the engine is current, or a new one when eng has been swapped
// out since.
func (h *Holder) Answers(eng *matching.Engine) *wire.Answers {
	if g := h.cur.Load(); g.eng == eng {
		return g.answers
	}
	return wire.NewAnswers(eng)
}

// Collections returns the current collections, those of Engine's
// catalogue.
func (h *Holder) Collections() *features.Set { return h.colls.Load() }

// Registry returns the registry the holder writes to.
func (h *Holder) Registry() Registry { return h.reg }

// writeTimeout bounds a write's cycle once it has started: it runs to its
// end even when the caller goes away, so that an acknowledged (or merely
// committed) write always reaches the engine.
const writeTimeout = time.Minute

// Write runs op, a read-check-write cycle on the registry returning the id
// it wrote, as the one writer; then it brings the engine up to date with
// that write before returning. The site methods (Create, Update, Patch,
// Delete) run through it.
func (h *Holder) Write(ctx context.Context, op func(ctx context.Context) (string, error)) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	h.w.mu.Lock()
	id, err := op(ctx)
	if err != nil {
		h.w.mu.Unlock()
		return err
	}
	h.w.seq++
	n := h.w.seq
	h.w.pending = append(h.w.pending, id)
	h.w.mu.Unlock()
	if err := h.catchUp(ctx, n); err != nil {
		return fmt.Errorf("%w: %w", ErrCommittedNotApplied, err)
	}
	return nil
}

// ErrCommittedNotApplied is a write the registry committed but the holder
// could not bring into its engine (the registry became unreachable between
// the two). The site stays pending: the next swap, or ApplyChanges once
// the registry is back, applies it.
var ErrCommittedNotApplied = errors.New("live: the write is committed, but this server could not apply it to its answers yet")

// catchUp makes the engine reflect at least the first n writes: unless a
// swap already did, it takes every pending write, reads those sites from
// the registry (holding writer.mu, so the reads and the revision describe
// one state), derives the next engine and collections, and swaps them in.
func (h *Holder) catchUp(ctx context.Context, n uint64) error {
	h.w.swap.Lock()
	defer h.w.swap.Unlock()
	if h.w.applied >= n {
		return nil
	}
	eng := h.Engine()
	h.w.mu.Lock()
	ids, target := h.w.pending, h.w.seq
	h.w.pending = nil
	recs, ups, dels, rev, err := h.changes(ctx, eng, ids)
	if err != nil {
		h.w.pending = append(ids, h.w.pending...)
		h.w.mu.Unlock()
		return err
	}
	h.w.inSwap, h.w.inSwapSeq = ids, revisionSeq(rev)
	h.w.mu.Unlock()
	defer func() {
		h.w.mu.Lock()
		h.w.inSwap = nil
		h.w.mu.Unlock()
	}()

	start := time.Now()
	next, err := eng.WithSites(ups, dels, store.DataVersion(h.snapshotVersion(), rev))
	var colls *features.Set
	if err == nil {
		colls = layers.Update(h.Collections(), next.Catalogue(), ids, recs)
	} else {
		// Validated sites cannot cause this; rebuild rather than serve a
		// stale engine.
		h.log.Error("updating the engine incrementally failed; rebuilding it", "error", err.Error())
		var all []store.Site
		if next, all, err = h.rebuild(ctx); err != nil {
			h.w.mu.Lock()
			h.w.pending = append(ids, h.w.pending...)
			h.w.inSwap = nil
			h.w.mu.Unlock()
			return err
		}
		colls = layers.Build(next.Catalogue(), all)
	}
	h.colls.Store(colls)
	h.cur.Store(newGeneration(next))
	h.w.applied = target
	h.noteReflected(ids, rev)
	h.log.Debug("engine updated", "writes", len(ids), "upserts", len(ups), "deletes", len(dels),
		"data_version", next.Catalogue().Version, "ms", time.Since(start).Milliseconds())
	return nil
}

// changes reads what the engine must apply for the written ids: the
// registry's revision, then each site as it now stands, or its deletion
// (only of sites the engine holds: a site created and deleted between two
// swaps never reaches it); and, for the collections, the registry's
// record of each id (nil for none). The revision is read first, so that
// every change it counts to these sites is in what is read (a write from
// another replica may commit in between: the engine then holds it before
// its revision says so, and ApplyChanges brings the revision up).
func (h *Holder) changes(ctx context.Context, eng *matching.Engine, ids []string) (recs map[string]*store.Site, ups []data.Site, dels []string,
	rev string, err error) {
	if rev, err = h.reg.Revision(ctx); err != nil {
		return nil, nil, nil, "", err
	}
	recs = map[string]*store.Site{}
	for _, id := range ids {
		if _, seen := recs[id]; seen {
			continue
		}
		r, u, d, err := store.EngineChange(ctx, h.reg, id)
		if err != nil {
			return nil, nil, nil, "", err
		}
		recs[id] = r
		ups = append(ups, u...)
		for _, id := range d {
			if _, ok := eng.Candidate(id); ok {
				dels = append(dels, id)
			}
		}
	}
	return recs, ups, dels, rev, nil
}

// revisionSeq returns the history sequence number of a revision
// ("<registry id>:<seq>"), or 0 (ApplyChanges then skips nothing on its
// account).
func revisionSeq(rev string) int64 {
	i := strings.LastIndexByte(rev, ':')
	seq, err := strconv.ParseInt(rev[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return seq
}

// noteReflected records that the engine reflects every change to ids up
// to the revision's sequence number.
func (h *Holder) noteReflected(ids []string, rev string) {
	seq := revisionSeq(rev)
	if seq == 0 {
		return
	}
	h.w.rmu.Lock()
	defer h.w.rmu.Unlock()
	if h.w.reflected == nil {
		h.w.reflected = map[string]int64{}
	}
	for _, id := range ids {
		h.w.reflected[id] = max(h.w.reflected[id], seq)
	}
}

// snapshotVersion is the data version of the snapshot under the registry.
func (h *Holder) snapshotVersion() string { return h.reg.Reference().Catalogue().Version }

// rebuild builds the engine from scratch: the snapshot with the registry
// applied; it also returns the registry's records.
func (h *Holder) rebuild(ctx context.Context) (*matching.Engine, []store.Site, error) {
	cat, recs, err := store.OverlayRecords(ctx, h.reg, h.reg.Reference().Catalogue())
	if err != nil {
		return nil, nil, err
	}
	eng, err := matching.NewEngine(cat)
	return eng, recs, err
}
