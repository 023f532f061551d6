package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"newsbot/adapters/ops"
)

// platformBackoff is how long serve waits before connecting to a chat
// platform again after a failed attempt: min, doubling up to max, with
// ±20% jitter. Tests shorten it.
var platformBackoff = struct{ min, max time.Duration }{time.Second, 5 * time.Minute}

// serviceState is one service's state for /healthz.
type serviceState struct {
	mu     sync.Mutex
	name   string
	state  string // "starting", "ok", "down"
	reason string
	since  time.Time
}

// newServiceState starts a service's state: a platform is "starting"
// until it connects, any other service "ok" while it runs.
func newServiceState(name string, platform bool) *serviceState {
	st := &serviceState{name: name, state: "ok", since: time.Now()}
	if platform {
		st.state = "starting"
	}
	return st
}

// set changes the state and returns the one before.
func (s *serviceState) set(state, reason string) (was string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	was = s.state
	if state != s.state {
		s.since = time.Now()
	}
	s.state, s.reason = state, reason
	return was
}

func (s *serviceState) status() ops.ServiceStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ops.ServiceStatus{Name: s.name, State: s.state, Reason: s.reason, Since: s.since}
}

// supervise runs the platform service s until ctx ends: each failed
// attempt (the platform unreachable, the token refused, the connection
// lost for good) is retried after a capped exponential backoff, forever,
// while the other services keep running. A change of state (down, or up
// again) is logged once; the failures in between only at debug level.
func (m *Main) supervise(ctx context.Context, s service, st *serviceState) {
	delay := platformBackoff.min
	for {
		var connected atomic.Bool
		err := s.connect(ctx, func() {
			connected.Store(true)
			if was := st.set("ok", ""); was == "down" {
				m.Log.Info("service up again", "service", s.name)
			}
		})
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errors.New("stopped without an error")
		}
		if connected.Load() {
			delay = platformBackoff.min // it was up: start the backoff over
		}
		wait := time.Duration(float64(delay) * (0.8 + 0.4*rand.Float64()))
		reason := oneLine(err)
		if was := st.set("down", reason); was != "down" {
			m.Log.Warn("service down; retrying with backoff until it is back (the other services keep running)",
				"service", s.name, "err", reason, "retry_in", wait.Round(time.Millisecond), "max_backoff", platformBackoff.max)
		} else {
			m.Log.Debug("service still down", "service", s.name, "err", reason, "retry_in", wait.Round(time.Millisecond))
		}
		delay = min(delay*2, platformBackoff.max)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
