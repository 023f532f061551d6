// Package ratelimit is the chat adapters' per-user limit on questions: a
// sliding window of N events per key.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter allows each key (a user ID) at most N events per window,
// sliding. The zero value is not usable; use New. It is safe for
// concurrent use; a nil Limiter allows everything.
type Limiter struct {
	n      int
	window time.Duration
	now    func() time.Time

	mu     sync.Mutex
	events map[string][]time.Time
}

// New returns a limiter of n events per window per key. n <= 0 disables
// limiting.
func New(n int, window time.Duration) *Limiter {
	return &Limiter{n: n, window: window, now: time.Now, events: map[string][]time.Time{}}
}

// Allow records an event for key and reports whether it is within the limit.
// When it is not, it also returns how long until the next event would be
// allowed.
func (r *Limiter) Allow(key string) (bool, time.Duration) {
	if r == nil || r.n <= 0 {
		return true, 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	cut := now.Add(-r.window)
	ev := r.events[key]
	i := 0
	for i < len(ev) && !ev[i].After(cut) {
		i++
	}
	ev = ev[i:]
	if len(ev) >= r.n {
		r.events[key] = ev
		return false, ev[0].Add(r.window).Sub(now)
	}
	r.events[key] = append(ev, now)
	if len(r.events) > 10000 {
		r.gc(cut)
	}
	return true, 0
}

// gc drops keys with no event in the window, so a flood of one-off users
// cannot grow the map without bound.
func (r *Limiter) gc(cut time.Time) {
	for k, ev := range r.events {
		if len(ev) == 0 || !ev[len(ev)-1].After(cut) {
			delete(r.events, k)
		}
	}
}
