package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// history says how much of the change table to keep: changes beyond the
// latest keep and older than age are deleted, at most once per every per
// process.
type history struct {
	keep  int64
	age   time.Duration
	every time.Duration
}

// throttle lets housekeeping run at most once per every in a process.
type throttle struct {
	every time.Duration
	mu    sync.Mutex
	last  time.Time
}

// due reports whether the work should run now, and if so counts it as
// done.
func (t *throttle) due() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if time.Since(t.last) < t.every {
		return false
	}
	t.last = time.Now()
	return true
}

// compactChanges deletes the changes nobody following should still need.
// It is housekeeping after a write: a failure is logged and retried later.
func (db *DB) compactChanges(ctx context.Context) {
	if !db.compacting.due() {
		return
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Under seqLock no change is being appended, so "the latest keep"
		// is exact. The latest change always stays: readers start from it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, seqLock); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `WITH gone AS (
				DELETE FROM changes
				WHERE seq <= (SELECT max(seq) FROM changes) - greatest($1::bigint, 1)
				  AND at < now() - $2::bigint * interval '1 microsecond'
				RETURNING seq)
			UPDATE changes_compacted SET through = greatest(through, (SELECT max(seq) FROM gone))
			WHERE EXISTS (SELECT 1 FROM gone)`, db.history.keep, micros(db.history.age))
		return err
	})
	if err != nil {
		db.log.WarnContext(ctx, "store: compacting the change history", "err", db.wrap(err, "compact"))
	}
}
