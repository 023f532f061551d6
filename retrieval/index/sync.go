package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsbot/retrieval/store"
)

// SyncStatus tells how far the index follows its store of record, for
// health checks and benchmarks.
type SyncStatus struct {
	// Seq is the last change of the store of record the index reflects.
	Seq int64
	// Latest is the store of record's last change when asked (Lag is
	// Latest - Seq).
	Latest int64
	// Applied counts the articles loaded, replaced or dropped by
	// incremental syncs since Open.
	Applied int64
	// Reloads counts full reloads, made only when the change history
	// the index needed was compacted away.
	Reloads int
	// LastSync is when the index last caught up.
	LastSync time.Time
}

// Lag is how many changes the index is behind.
func (st SyncStatus) Lag() int64 { return max(st.Latest-st.Seq, 0) }

// SyncStatus reports how far the index follows its store of record.
func (s *Index) SyncStatus(ctx context.Context) (SyncStatus, error) {
	s.mu.RLock()
	st := s.synced
	s.mu.RUnlock()
	if s.db == nil {
		return st, nil
	}
	inf, err := s.db.Info(ctx)
	if err != nil {
		return st, err
	}
	st.Latest = inf.Seq
	return st, nil
}

// syncBatch is how many changes one read of the change sequence takes.
const syncBatch = 1000

// Sync applies the changes other processes (or other Stores in this
// one) committed since the index last caught up: each changed article
// is read from the store of record and swapped in, each deleted one
// dropped. Only when the history it needs was compacted does it reload
// everything. It returns how many articles it applied.
func (s *Index) Sync(ctx context.Context) (int, error) {
	if s.db == nil {
		return 0, nil
	}
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	start := time.Now()
	s.mu.RLock()
	seq := s.synced.Seq
	s.mu.RUnlock()
	applied := 0
	for {
		chs, err := s.db.Changes(ctx, seq, syncBatch)
		if errors.Is(err, store.ErrHistoryGone) {
			return s.reload(ctx)
		}
		if err != nil {
			return applied, fmt.Errorf("sync store: %w", err)
		}
		if len(chs) == 0 {
			break
		}
		// Only the last change of an article matters: Get returns its
		// current version anyway.
		last := map[string]store.Change{}
		var order []string
		for _, c := range chs {
			if _, ok := last[c.ID]; !ok {
				order = append(order, c.ID)
			}
			last[c.ID] = c
		}
		batch := 0
		for _, id := range order {
			n, err := s.apply(ctx, last[id])
			if err != nil {
				return applied, fmt.Errorf("sync store: %w", err)
			}
			batch += n
		}
		applied += batch
		seq = chs[len(chs)-1].Seq
		s.mu.Lock()
		s.synced.Seq = seq
		s.synced.Applied += int64(batch)
		s.mu.Unlock()
		if len(chs) < syncBatch {
			break
		}
	}
	s.mu.Lock()
	s.synced.LastSync = time.Now()
	s.mu.Unlock()
	if applied > 0 {
		s.log.Debug("store synced incrementally", "articles", applied, "seq", seq, "took", time.Since(start))
	}
	return applied, nil
}

// apply brings one article of the index in line with the store of
// record, and returns 1 if it changed the index.
func (s *Index) apply(ctx context.Context, c store.Change) (int, error) {
	var rec store.Record
	gone := c.Deleted
	if !gone {
		var err error
		rec, err = s.db.Get(ctx, c.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			gone = true // deleted after this change
		case err != nil:
			return 0, err
		case rec.Embedder != s.emb.Name():
			s.log.Warn("article embedded with another model is not loaded", "id", c.ID, "embedder", rec.Embedder)
			gone = true
		}
	}
	var p prepared
	if !gone {
		p = prepare(rec)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.articles[c.ID]
	if gone {
		if !ok {
			return 0, nil
		}
		s.dropLocked(old)
		return 1, nil
	}
	if ok && old.hash == rec.Hash {
		return 0, nil // this process's own commit, or a no-op rewrite
	}
	if ok {
		s.dropLocked(old)
	}
	s.addRecordLocked(p)
	return 1, nil
}

// reload replaces the whole index with the store of record's contents.
func (s *Index) reload(ctx context.Context) (int, error) {
	s.log.Info("store change history compacted past this process; reloading the whole store")
	s.mu.Lock()
	reloads, applied := s.synced.Reloads, s.synced.Applied
	s.reset()
	s.mu.Unlock()
	if _, err := s.load(ctx); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.synced.Reloads, s.synced.Applied = reloads+1, applied
	return len(s.articles), nil
}

// Follow keeps the index in step with the store of record until ctx ends:
// it syncs when the DB signals a change and at least every second, so a
// change another process commits is searchable within about a second.
// Sync errors are logged and retried; Follow returns nil when ctx ends.
func (s *Index) Follow(ctx context.Context) error {
	if s.db == nil {
		<-ctx.Done()
		return nil
	}
	watch := s.db.Watch(ctx)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-watch:
		case <-tick.C:
		}
		if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("store sync failed; retrying", "err", err)
		}
	}
}
