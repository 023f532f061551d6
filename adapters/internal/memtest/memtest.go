// Package memtest is an in-process bot.Memory for the adapters' tests:
// two adapters given one Map behave like two replicas sharing a store.
package memtest

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrDown is what a Map returns while it is marked down.
var ErrDown = errors.New("memtest: store unreachable")

// Map is a bot.Memory kept in a map. The zero value is ready to use.
type Map struct {
	mu      sync.Mutex
	vals    map[string][]byte
	expires map[string]time.Time
	ttls    map[string]time.Duration
	down    bool
}

// Load implements bot.Memory.
func (m *Map) Load(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return nil, ErrDown
	}
	if e, ok := m.expires[key]; ok && time.Now().After(e) {
		return nil, nil
	}
	return append([]byte(nil), m.vals[key]...), nil
}

// Save implements bot.Memory.
func (m *Map) Save(_ context.Context, key string, value []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return ErrDown
	}
	if m.vals == nil {
		m.vals, m.expires, m.ttls = map[string][]byte{}, map[string]time.Time{}, map[string]time.Duration{}
	}
	if value == nil {
		delete(m.vals, key)
		delete(m.expires, key)
		return nil
	}
	m.vals[key] = append([]byte(nil), value...)
	m.ttls[key] = ttl
	if ttl > 0 {
		m.expires[key] = time.Now().Add(ttl)
	} else {
		delete(m.expires, key)
	}
	return nil
}

// SetDown makes every call fail with ErrDown (true) or work again (false).
func (m *Map) SetDown(down bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.down = down
}

// Keys returns the stored keys with the ttl each was saved with.
func (m *Map) Keys() map[string]time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]time.Duration, len(m.vals))
	for k := range m.vals {
		out[k] = m.ttls[k]
	}
	return out
}

// Leases is a bot.Leaser kept in a map. The zero value is ready to use.
type Leases struct {
	mu      sync.Mutex
	holders map[string]lease
	down    bool
}

type lease struct {
	holder  string
	expires time.Time
}

// Acquire implements bot.Leaser.
func (l *Leases) Acquire(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return false, ErrDown
	}
	if l.holders == nil {
		l.holders = map[string]lease{}
	}
	cur, ok := l.holders[name]
	if ok && cur.holder != holder && time.Now().Before(cur.expires) {
		return false, nil
	}
	l.holders[name] = lease{holder: holder, expires: time.Now().Add(ttl)}
	return true, nil
}

// Release implements bot.Leaser.
func (l *Leases) Release(_ context.Context, name, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return ErrDown
	}
	if cur, ok := l.holders[name]; ok && cur.holder == holder {
		delete(l.holders, name)
	}
	return nil
}

// Holder returns who holds lease name now, "" if nobody.
func (l *Leases) Holder(name string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.holders[name]; ok && time.Now().Before(cur.expires) {
		return cur.holder
	}
	return ""
}

// Give hands lease name to holder for ttl, whoever holds it now, as a
// replica that wrongly thinks the lease expired would take it.
func (l *Leases) Give(name, holder string, ttl time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.holders == nil {
		l.holders = map[string]lease{}
	}
	l.holders[name] = lease{holder: holder, expires: time.Now().Add(ttl)}
}

// SetDown makes every call fail with ErrDown (true) or work again (false).
func (l *Leases) SetDown(down bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = down
}
