package api

import (
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// writeLimiter bounds the registry writes of each API key (Config.
// WriteRateLimit, WriteBurst): every write derives a new engine, so one
// key writing in a loop would slow every match. Limiters idle for a
// while are dropped.
type writeLimiter struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	keys  map[string]*keyLimiter
}

type keyLimiter struct {
	l    *rate.Limiter
	seen time.Time
}

func newWriteLimiter(perS float64, burst int) *writeLimiter {
	if perS <= 0 {
		return nil
	}
	return &writeLimiter{limit: rate.Limit(perS), burst: max(1, burst), keys: map[string]*keyLimiter{}}
}

// WriteRateError is a write over its key's rate limit.
type WriteRateError struct {
	Key        string
	RetryAfter time.Duration
}

func (e *WriteRateError) Error() string {
	return fmt.Sprintf("api: the key %q wrote more sites than the limit allows; retry after %d s", e.Key, retrySeconds(e.RetryAfter))
}

func retrySeconds(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }

// allow takes one write from the key's allowance, or says how long to wait.
func (w *writeLimiter) allow(key string, now time.Time) error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.keys) > 1024 { // drop the limiters idle long enough to be full again
		full := time.Duration(float64(w.burst)/float64(w.limit)*float64(time.Second)) + time.Minute
		for k, kl := range w.keys {
			if now.Sub(kl.seen) > full {
				delete(w.keys, k)
			}
		}
	}
	kl := w.keys[key]
	if kl == nil {
		kl = &keyLimiter{l: rate.NewLimiter(w.limit, w.burst)}
		w.keys[key] = kl
	}
	kl.seen = now
	r := kl.l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return &WriteRateError{Key: key, RetryAfter: d}
	}
	return nil
}
