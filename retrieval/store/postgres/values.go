package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"newsbot/retrieval/store"
)

// sweepEvery is how often a process deletes expired values; until then
// they are only hidden (Value checks the expiry itself).
const sweepEvery = time.Minute

// Value returns the unexpired value under (namespace, key), or nil and
// store.ErrNotFound.
func (db *DB) Value(ctx context.Context, namespace, key string) ([]byte, error) {
	var v []byte
	err := db.pool.QueryRow(ctx, `SELECT value FROM kv WHERE namespace = $1 AND key = $2
		AND (expires IS NULL OR expires > clock_timestamp())`, namespace, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, db.wrap(err, "store: value %s/%s", namespace, key)
	}
	if v == nil {
		v = []byte{} // stored empty, which is not "missing"
	}
	return v, nil
}

// SetValue stores value under (namespace, key), expiring after ttl when
// ttl > 0; a nil value deletes the key. Expiry uses the database's clock,
// so processes whose clocks disagree still agree on it.
func (db *DB) SetValue(ctx context.Context, namespace, key string, value []byte, ttl time.Duration) error {
	var err error
	if value == nil {
		_, err = db.pool.Exec(ctx, `DELETE FROM kv WHERE namespace = $1 AND key = $2`, namespace, key)
	} else {
		_, err = db.pool.Exec(ctx, `INSERT INTO kv (namespace, key, value, expires)
			VALUES ($1, $2, $3, CASE WHEN $4::bigint > 0 THEN clock_timestamp() + $4::bigint * interval '1 microsecond' END)
			ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires`,
			namespace, key, value, micros(ttl))
	}
	if err != nil {
		return db.wrap(err, "store: set value %s/%s", namespace, key)
	}
	db.sweep(ctx)
	return nil
}

// micros converts d to whole microseconds, PostgreSQL's time resolution,
// rounding a positive d up so a tiny ttl still expires rather than never.
func micros(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Microsecond - 1) / time.Microsecond)
}

// sweep deletes expired values, at most once per sweepEvery per process.
// It is housekeeping: a failure is logged and retried next time.
func (db *DB) sweep(ctx context.Context) {
	if !db.sweeping.due() {
		return
	}
	if _, err := db.pool.Exec(ctx, `DELETE FROM kv WHERE expires <= clock_timestamp()`); err != nil {
		db.log.WarnContext(ctx, "store: sweeping expired values", "err", db.wrap(err, "sweep"))
	}
}

// Acquire takes or renews the named lease for holder until ttl from now
// (by the database's clock) and reports whether holder has it. One
// statement decides, so of many concurrent callers exactly one wins.
func (db *DB) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	rows, err := db.pool.Query(ctx, `INSERT INTO leases (name, holder, expires)
		VALUES ($1, $2, clock_timestamp() + $3::bigint * interval '1 microsecond')
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
		WHERE leases.expires <= clock_timestamp() OR leases.holder = EXCLUDED.holder
		RETURNING 1`, name, holder, micros(ttl))
	if err != nil {
		return false, db.wrap(err, "store: acquire lease %s", name)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return false, db.wrap(err, "store: acquire lease %s", name)
	}
	return len(got) == 1, nil
}

// Release gives up holder's lease on name; it does nothing when holder
// does not hold it.
func (db *DB) Release(ctx context.Context, name, holder string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder)
	return db.wrap(err, "store: release lease %s", name)
}

// Info describes the database: engine "postgres", the URL without its
// password, schema version, pg_database_size and the latest change seq.
func (db *DB) Info(ctx context.Context) (store.Info, error) {
	info := store.Info{Engine: "postgres", Location: db.location, SchemaVersion: db.schema}
	err := db.pool.QueryRow(ctx, `SELECT pg_database_size(current_database()), `+latestSeq).Scan(&info.Bytes, &info.Seq)
	if err != nil {
		return store.Info{}, db.wrap(err, "store: info")
	}
	return info, nil
}
