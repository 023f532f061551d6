package storetest_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"newsbot/retrieval/store"
	"newsbot/retrieval/store/storetest"
)

// TestSuiteOnMemory runs the suite on a small in-memory engine, so the
// suite itself is known to pass on a correct DB without any database
// server; the engines run it again on their own.
func TestSuiteOnMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Connect {
		shared := &memory{records: map[string]store.Record{}, values: map[[2]string]memValue{}, leases: map[string]memValue{}}
		return func(t *testing.T) store.DB { return &memHandle{m: shared} }
	})
}

type memValue struct {
	value   []byte
	holder  string
	expires time.Time // zero: never
}

// memory is the shared state behind every handle onto one in-memory DB.
type memory struct {
	mu       sync.Mutex
	records  map[string]store.Record
	changes  []store.Change
	values   map[[2]string]memValue
	leases   map[string]memValue
	watchers []chan struct{}
	follows  memFollows

	roundVectors, silentWatch, ignoreTTL bool
}

func (m *memory) live(v memValue, ok bool) bool {
	return ok && (m.ignoreTTL || v.expires.IsZero() || time.Now().Before(v.expires))
}

func (m *memory) change(id string, deleted bool) int64 {
	seq := int64(len(m.changes) + 1)
	m.changes = append(m.changes, store.Change{Seq: seq, ID: id, Deleted: deleted})
	if !m.silentWatch {
		for _, w := range m.watchers {
			select {
			case w <- struct{}{}:
			default:
			}
		}
	}
	return seq
}

// memHandle is one handle; closing it leaves the others working.
type memHandle struct{ m *memory }

func clone(r store.Record, round bool) store.Record {
	chunks := make([]store.Chunk, len(r.Chunks))
	for i, c := range r.Chunks {
		c.Sentences = slices.Clone(c.Sentences)
		c.Vector = slices.Clone(c.Vector)
		if round {
			for j, x := range c.Vector {
				c.Vector[j] = float32(float64(int(x*1e6)) / 1e6)
			}
		}
		chunks[i] = c
	}
	r.Chunks = chunks
	return r
}

func (h *memHandle) Put(ctx context.Context, r store.Record) (int64, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	if r.Article.ID == "" {
		return 0, false, errors.New("empty id")
	}
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	for id, o := range h.m.records {
		if id != r.Article.ID && o.TextHash == r.TextHash {
			return 0, false, store.ErrDuplicateText
		}
	}
	_, replaced := h.m.records[r.Article.ID]
	h.m.records[r.Article.ID] = clone(r, h.m.roundVectors)
	return h.m.change(r.Article.ID, false), replaced, nil
}

func (h *memHandle) Delete(ctx context.Context, ids ...string) (int, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	n := 0
	for _, id := range ids {
		if _, ok := h.m.records[id]; ok {
			delete(h.m.records, id)
			h.m.change(id, true)
			n++
		}
	}
	return n, nil
}

func (h *memHandle) Get(ctx context.Context, id string) (store.Record, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	r, ok := h.m.records[id]
	if !ok {
		return store.Record{}, store.ErrNotFound
	}
	return clone(r, false), nil
}

func (h *memHandle) Scan(ctx context.Context, fn func(store.Record) error) (int64, error) {
	h.m.mu.Lock()
	var all []store.Record
	for _, r := range h.m.records {
		all = append(all, clone(r, false))
	}
	seq := int64(len(h.m.changes))
	h.m.mu.Unlock()
	for _, r := range all {
		if err := fn(r); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

func (h *memHandle) Changes(ctx context.Context, since int64, limit int) ([]store.Change, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	var out []store.Change
	for _, c := range h.m.changes {
		if c.Seq > since && (limit <= 0 || len(out) < limit) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (h *memHandle) Watch(ctx context.Context) <-chan struct{} {
	in := make(chan struct{}, 1)
	out := make(chan struct{}, 1)
	h.m.mu.Lock()
	h.m.watchers = append(h.m.watchers, in)
	h.m.mu.Unlock()
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case <-in:
				select {
				case out <- struct{}{}:
				default:
				}
			}
		}
	}()
	return out
}

func (h *memHandle) Value(ctx context.Context, namespace, key string) ([]byte, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	v, ok := h.m.values[[2]string{namespace, key}]
	if !h.m.live(v, ok) {
		return nil, store.ErrNotFound
	}
	return slices.Clone(v.value)[:len(v.value):len(v.value)], nil
}

func (h *memHandle) SetValue(ctx context.Context, namespace, key string, value []byte, ttl time.Duration) error {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	k := [2]string{namespace, key}
	if value == nil {
		delete(h.m.values, k)
		return nil
	}
	v := memValue{value: append([]byte{}, value...)}
	if ttl > 0 {
		v.expires = time.Now().Add(ttl)
	}
	h.m.values[k] = v
	return nil
}

func (h *memHandle) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	l, ok := h.m.leases[name]
	if h.m.live(l, ok) && l.holder != holder {
		return false, nil
	}
	h.m.leases[name] = memValue{holder: holder, expires: time.Now().Add(ttl)}
	return true, nil
}

func (h *memHandle) Release(ctx context.Context, name, holder string) error {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	if l, ok := h.m.leases[name]; ok && l.holder == holder {
		delete(h.m.leases, name)
	}
	return nil
}

func (h *memHandle) Info(ctx context.Context) (store.Info, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	return store.Info{Engine: "memory", Location: "memory", SchemaVersion: 1, Seq: int64(len(h.m.changes))}, nil
}

func (h *memHandle) Close() error { return nil }
