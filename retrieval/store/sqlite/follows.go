package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// Times of follows and pushes are unix microseconds, the resolution both
// engines keep.

// micros is t as a column value.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros reverses micros, in UTC; NULL is the zero time.
func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// rowScanner is what *sql.Row and *sql.Rows share.
type rowScanner interface{ Scan(dest ...any) error }

// followColumns are the columns scanFollow reads, in its order.
const followColumns = `id, platform, chat_id, query, per_hour, daily, zone, created, last_push`

func scanFollow(row rowScanner) (bot.Follow, error) {
	var (
		f             bot.Follow
		created, last sql.NullInt64
	)
	err := row.Scan(&f.ID, &f.Chat.Platform, &f.Chat.ID, &f.Query, &f.PerHour, &f.Daily, &f.Zone, &created, &last)
	f.Created, f.LastPush = fromMicros(created), fromMicros(last)
	return f, err
}

// pushColumns are the columns scanPush reads, in its order.
const pushColumns = `id, follow_id, platform, chat_id, query, quote, story, created, due, digest, sent`

func scanPush(row rowScanner) (bot.Push, error) {
	var (
		p                  bot.Push
		quote              []byte
		created, due, sent sql.NullInt64
	)
	if err := row.Scan(&p.ID, &p.FollowID, &p.Chat.Platform, &p.Chat.ID, &p.Query, &quote, &p.Story,
		&created, &due, &p.Digest, &sent); err != nil {
		return p, err
	}
	p.Created, p.Due, p.Sent = fromMicros(created), fromMicros(due), fromMicros(sent)
	q, err := store.DecodeQuote(quote)
	if err != nil {
		return p, fmt.Errorf("push %d: %w", p.ID, err)
	}
	p.Quote = q
	return p, nil
}

// collect reads every row with scan.
func collect[T any](rows *sql.Rows, scan func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// idArgs are ids as query arguments, for an IN (placeholders) list.
func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// AddFollow implements bot.FollowStore. A new follow has no LastPush.
func (d *DB) AddFollow(ctx context.Context, f bot.Follow) (bot.Follow, error) {
	f.Created, f.LastPush = store.Now(), time.Time{}
	err := d.inTx(ctx, "add follow", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO follows(platform, chat_id, query, per_hour, daily, zone, created)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.Chat.Platform, f.Chat.ID, f.Query, f.PerHour, f.Daily, f.Zone, micros(f.Created)).Scan(&f.ID)
	})
	if err != nil {
		return bot.Follow{}, err
	}
	return f, nil
}

// Follows implements bot.FollowStore.
func (d *DB) Follows(ctx context.Context, chat bot.Chat) ([]bot.Follow, error) {
	return d.listFollows(ctx, "list follows of "+chat.Platform+" "+chat.ID,
		`WHERE platform = ? AND chat_id = ?`, chat.Platform, chat.ID)
}

// AllFollows implements bot.FollowStore.
func (d *DB) AllFollows(ctx context.Context) ([]bot.Follow, error) {
	return d.listFollows(ctx, "list follows", "")
}

// listFollows returns the follows matching where, oldest (lowest id)
// first.
func (d *DB) listFollows(ctx context.Context, what, where string, args ...any) ([]bot.Follow, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT `+followColumns+` FROM follows `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, describe(err))
	}
	fs, err := collect(rows, scanFollow)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, describe(err))
	}
	return fs, nil
}

// DeleteFollows implements bot.FollowStore; the follows' pushes go with
// them (ON DELETE CASCADE), sent ones too.
func (d *DB) DeleteFollows(ctx context.Context, chat bot.Chat, ids ...int64) (int, error) {
	q := `DELETE FROM follows WHERE platform = ? AND chat_id = ?`
	args := []any{chat.Platform, chat.ID}
	if len(ids) > 0 {
		q += ` AND id IN (` + placeholders(len(ids)) + `)`
		args = append(args, idArgs(ids)...)
	}
	var n int64
	err := d.inTx(ctx, "delete follows of "+chat.Platform+" "+chat.ID, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// AddPush implements bot.FollowStore. The unique key on (follow_id,
// story) decides, and the write lock orders racing writers, so exactly
// one of them adds a story. Chat and Query are copied from the follow;
// a follow that is gone gets nothing.
func (d *DB) AddPush(ctx context.Context, p bot.Push) (bot.Push, bool, error) {
	in, quote, err := store.NewPush(p, store.Now())
	if err != nil {
		return p, false, err
	}
	added := false
	err = d.inTx(ctx, fmt.Sprintf("add push for follow %d", p.FollowID), func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO pushes(follow_id, platform, chat_id, query, quote, story, created, due, digest)
			SELECT id, platform, chat_id, query, ?, ?, ?, ?, ? FROM follows WHERE id = ?
			ON CONFLICT(follow_id, story) DO NOTHING
			RETURNING id, platform, chat_id, query`,
			string(quote), in.Story, micros(in.Created), micros(in.Due), in.Digest, in.FollowID).
			Scan(&in.ID, &in.Chat.Platform, &in.Chat.ID, &in.Query)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // the story is there already, or the follow is gone
		}
		added = err == nil
		return err
	})
	if err != nil || !added {
		return p, false, err
	}
	return in, true, nil
}

// ClaimPushes implements bot.FollowStore. It selects and marks the pushes
// in one immediate transaction, which holds the database's write lock, so
// no other process or handle claims them in between.
func (d *DB) ClaimPushes(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]bot.Push, error) {
	if limit <= 0 {
		limit = -1 // SQLite's "no limit"
	}
	var ps []bot.Push
	err := d.inTx(ctx, "claim pushes for "+holder, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+pushColumns+` FROM pushes
			WHERE sent IS NULL AND due <= ?1 AND (claim_expires IS NULL OR claim_expires <= ?1)
			ORDER BY created, id LIMIT ?2`, micros(now), limit)
		if err != nil {
			return err
		}
		if ps, err = collect(rows, scanPush); err != nil || len(ps) == 0 {
			return err
		}
		ids := make([]int64, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		return updateUnsent(ctx, tx, `claim_holder = ?, claim_expires = ?`, []any{holder, micros(now.Add(ttl))}, ids)
	})
	if err != nil {
		return nil, err
	}
	return ps, nil
}

// updateUnsent sets set (with its args) on the unsent pushes among ids.
func updateUnsent(ctx context.Context, tx *sql.Tx, set string, args []any, ids []int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE pushes SET `+set+` WHERE sent IS NULL AND id IN (`+placeholders(len(ids))+`)`,
		append(args, idArgs(ids)...)...)
	return err
}

// released clears a push's claim, for updateUnsent.
const released = `claim_holder = NULL, claim_expires = NULL`

// MarkSent implements bot.FollowStore.
func (d *DB) MarkSent(ctx context.Context, at time.Time, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	t := micros(at)
	return d.inTx(ctx, "mark pushes sent", func(tx *sql.Tx) error {
		// The follows first: which pushes are still unsent tells which
		// follows this call delivers for.
		if _, err := tx.ExecContext(ctx, `UPDATE follows SET last_push = max(coalesce(last_push, ?1), ?1)
			WHERE id IN (SELECT follow_id FROM pushes WHERE sent IS NULL AND id IN (`+placeholders(len(ids))+`))`,
			append([]any{t}, idArgs(ids)...)...); err != nil {
			return err
		}
		return updateUnsent(ctx, tx, `sent = ?, `+released, []any{t}, ids)
	})
}

// Defer implements bot.FollowStore.
func (d *DB) Defer(ctx context.Context, due time.Time, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return d.inTx(ctx, "defer pushes", func(tx *sql.Tx) error {
		return updateUnsent(ctx, tx, `due = ?, digest = 1, `+released, []any{micros(due)}, ids)
	})
}

// SentSince implements bot.FollowStore.
func (d *DB) SentSince(ctx context.Context, followID int64, since time.Time) (int, error) {
	var n int
	if err := d.r.QueryRowContext(ctx, `SELECT count(*) FROM pushes WHERE follow_id = ? AND sent >= ?`,
		followID, micros(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pushes of follow %d: %w", followID, describe(err))
	}
	return n, nil
}
