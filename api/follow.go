package api

import (
	"context"
	"sync/atomic"
	"time"

	"sitematch/data/store"
)

// Following the writes made elsewhere (issue 14): another replica on the
// same PostgreSQL database, or the command line beside a server on the
// same GeoPackage file. See Follow.

// followBatch bounds the history entries read at once while catching up.
const followBatch = 1000

// followWait bounds one wait for a change; a follower re-reads the
// history at least that often even without a notification.
const followWait = 5 * time.Second

// followState is what /readyz and /metrics report of Follow.
type followState struct {
	on        atomic.Bool  // Follow is running
	seq       atomic.Int64 // the last history sequence number applied
	downSince atomic.Int64 // Unix milliseconds since the registry is unreachable; 0 while reachable
	lastErr   atomic.Pointer[string]
}

// Follow keeps the engine and the OGC collections in step with every write
// committed to the registry after sequence number from, whoever made it,
// until ctx ends: it waits for a change (a NOTIFY from PostgreSQL, a poll
// of the GeoPackage file), reads the history after the last sequence
// number applied, and applies the sites it names the way the server
// applies its own writes (live.Holder.ApplyChanges). The server's own
// writes come back through it too, and are skipped when the engine
// already holds them. from is the registry's Seq
// read before the engine was built, so a write committed meanwhile is
// applied, not missed.
//
// While the registry cannot be reached the server keeps answering reads
// and matches from its last state, /readyz and /metrics say so, and
// Follow retries (backing off to 1 s); once back it catches up by sequence
// number, so no write is missed, whatever happened meanwhile.
func (s *Server) Follow(ctx context.Context, f store.Follower, from int64) error {
	st := &s.follow
	st.on.Store(true)
	st.seq.Store(from)
	s.metrics.registrySeq.Set(float64(from))
	s.metrics.registryUp.Set(1)
	defer st.on.Store(false)
	backoff := 200 * time.Millisecond
	wait := time.Duration(0) // the first WaitChange returns at once (LISTEN, then catch up)
	for ctx.Err() == nil {
		err := f.WaitChange(ctx, max(wait, time.Millisecond))
		if err == nil {
			err = s.followUp(ctx, f)
		}
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			s.followDown(err)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Second)
			wait = 0
			continue
		}
		if since := st.downSince.Swap(0); since != 0 {
			s.log.Info("site registry reachable again; caught up", "seq", st.seq.Load(),
				"down_ms", time.Now().UnixMilli()-since)
			s.metrics.registryUp.Set(1)
		}
		backoff, wait = 200*time.Millisecond, followWait
	}
	return ctx.Err()
}

// followUp applies every change after the last sequence number applied.
func (s *Server) followUp(ctx context.Context, f store.Follower) error {
	for {
		seq := s.follow.seq.Load()
		changes, err := f.Changes(ctx, seq, followBatch)
		if err != nil || len(changes) == 0 {
			return err
		}
		last := changes[len(changes)-1].Seq
		n, err := s.live.ApplyChanges(ctx, changes)
		if err != nil {
			return err
		}
		s.metrics.registryChanges.Add(float64(n))
		s.follow.seq.Store(last)
		s.metrics.registrySeq.Set(float64(last))
		if len(changes) < followBatch {
			return nil
		}
	}
}

// followDown records that the registry cannot be reached.
func (s *Server) followDown(err error) {
	msg := err.Error()
	s.follow.lastErr.Store(&msg)
	if s.follow.downSince.CompareAndSwap(0, time.Now().UnixMilli()) {
		s.log.Warn("site registry unreachable: serving the last state, retrying", "seq", s.follow.seq.Load(), "error", msg)
		s.metrics.registryUp.Set(0)
		s.metrics.registryDisconnects.Inc()
	}
}

// followReport is the "registry" member of /readyz while following.
func (s *Server) followReport() map[string]any {
	st := &s.follow
	if !st.on.Load() {
		return nil
	}
	r := map[string]any{"following": true, "seq": st.seq.Load(), "reachable": true}
	if since := st.downSince.Load(); since != 0 {
		r["reachable"] = false
		r["unreachable_since"] = time.UnixMilli(since).UTC().Format(time.RFC3339)
		if e := st.lastErr.Load(); e != nil {
			r["error"] = *e
		}
	}
	return r
}
