package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsbot/retrieval/store"
)

// Value implements store.DB.
func (d *DB) Value(ctx context.Context, namespace, key string) ([]byte, error) {
	var v []byte
	err := d.r.QueryRowContext(ctx, `SELECT value FROM kv WHERE namespace = ? AND key = ? AND (expires IS NULL OR expires > ?)`,
		namespace, key, time.Now().UnixNano()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", namespace, key, describe(err))
	}
	return v, nil
}

// SetValue implements store.DB.
func (d *DB) SetValue(ctx context.Context, namespace, key string, value []byte, ttl time.Duration) error {
	now := time.Now()
	return d.inTx(ctx, fmt.Sprintf("write %s/%s", namespace, key), func(tx *sql.Tx) error {
		// Expired values go on every write: cheap through the index, and
		// conversation memory then never outgrows its TTL for long.
		if _, err := tx.ExecContext(ctx, `DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?`, now.UnixNano()); err != nil {
			return err
		}
		if value == nil {
			_, err := tx.ExecContext(ctx, `DELETE FROM kv WHERE namespace = ? AND key = ?`, namespace, key)
			return err
		}
		var exp any
		if ttl > 0 {
			exp = now.Add(ttl).UnixNano()
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kv(namespace, key, value, expires) VALUES (?, ?, ?, ?)
			ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, expires = excluded.expires`, namespace, key, value, exp)
		return err
	})
}

// Acquire implements store.DB.
func (d *DB) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now()
	got := false
	err := d.inTx(ctx, "lease "+name, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO leases(name, holder, expires) VALUES (?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
			WHERE leases.holder = excluded.holder OR leases.expires <= ?`, name, holder, now.Add(ttl).UnixNano(), now.UnixNano())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		got = n > 0
		return err
	})
	return got, err
}

// Release implements store.DB.
func (d *DB) Release(ctx context.Context, name, holder string) error {
	return d.inTx(ctx, "release "+name, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
}
