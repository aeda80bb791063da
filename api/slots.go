package api

import (
	"context"
	"sync"
)

// clientSlots bounds the computations one client runs at once, so that a
// single client cannot take every computation slot: a client over its
// share waits its turn (within its timeout) while others go on.
type clientSlots struct {
	per int // slots per client
	mu  sync.Mutex
	m   map[string]*clientSlot
}

type clientSlot struct {
	ch    chan struct{}
	users int // holders and waiters: the entry goes when none is left
}

func newClientSlots(per int) *clientSlots {
	return &clientSlots{per: per, m: map[string]*clientSlot{}}
}

// acquire takes one of the client's slots, waiting until one is free or
// ctx ends; release gives it back.
func (cs *clientSlots) acquire(ctx context.Context, client string) (release func(), err error) {
	cs.mu.Lock()
	sl := cs.m[client]
	if sl == nil {
		sl = &clientSlot{ch: make(chan struct{}, cs.per)}
		cs.m[client] = sl
	}
	sl.users++
	cs.mu.Unlock()
	leave := func() {
		cs.mu.Lock()
		if sl.users--; sl.users == 0 {
			delete(cs.m, client)
		}
		cs.mu.Unlock()
	}
	select {
	case sl.ch <- struct{}{}:
		return func() { <-sl.ch; leave() }, nil
	case <-ctx.Done():
		leave()
		return nil, ctxError(ctx)
	}
}

// clients is the number of clients holding or waiting for a slot.
func (cs *clientSlots) clients() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return len(cs.m)
}
