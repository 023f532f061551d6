package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// Times of follows and pushes are timestamptz, kept to the microsecond
// (pgx truncates what it sends); they are read back in UTC.

// fromNull is a nullable timestamptz column's value in UTC; NULL is the
// zero time.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// followColumns are the columns scanFollow reads, in its order.
const followColumns = `id, platform, chat_id, query, per_hour, daily, zone, created, last_push`

func scanFollow(row pgx.CollectableRow) (bot.Follow, error) {
	var (
		f             bot.Follow
		created, last *time.Time
	)
	err := row.Scan(&f.ID, &f.Chat.Platform, &f.Chat.ID, &f.Query, &f.PerHour, &f.Daily, &f.Zone, &created, &last)
	f.Created, f.LastPush = fromNull(created), fromNull(last)
	return f, err
}

// pushColumns are the columns scanPush reads, in its order.
const pushColumns = `id, follow_id, platform, chat_id, query, quote::text, story, created, due, digest, sent`

func scanPush(row pgx.CollectableRow) (bot.Push, error) {
	var (
		p                  bot.Push
		quote              string
		created, due, sent *time.Time
	)
	if err := row.Scan(&p.ID, &p.FollowID, &p.Chat.Platform, &p.Chat.ID, &p.Query, &quote, &p.Story,
		&created, &due, &p.Digest, &sent); err != nil {
		return p, err
	}
	p.Created, p.Due, p.Sent = fromNull(created), fromNull(due), fromNull(sent)
	q, err := store.DecodeQuote([]byte(quote))
	if err != nil {
		return p, fmt.Errorf("push %d: %w", p.ID, err)
	}
	p.Quote = q
	return p, nil
}

// AddFollow stores f and returns it with its ID and Created set; a new
// follow has no LastPush.
func (db *DB) AddFollow(ctx context.Context, f bot.Follow) (bot.Follow, error) {
	f.Created, f.LastPush = store.Now(), time.Time{}
	if err := db.pool.QueryRow(ctx, `INSERT INTO follows (platform, chat_id, query, per_hour, daily, zone, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		f.Chat.Platform, f.Chat.ID, f.Query, f.PerHour, f.Daily, f.Zone, f.Created).Scan(&f.ID); err != nil {
		return bot.Follow{}, db.wrap(err, "store: add follow")
	}
	return f, nil
}

// Follows returns chat's follows, oldest (lowest id) first.
func (db *DB) Follows(ctx context.Context, chat bot.Chat) ([]bot.Follow, error) {
	fs, err := db.listFollows(ctx, `WHERE platform = $1 AND chat_id = $2`, chat.Platform, chat.ID)
	return fs, db.wrap(err, "store: follows of %s %s", chat.Platform, chat.ID)
}

// AllFollows returns every follow, oldest (lowest id) first.
func (db *DB) AllFollows(ctx context.Context) ([]bot.Follow, error) {
	fs, err := db.listFollows(ctx, "")
	return fs, db.wrap(err, "store: follows")
}

// listFollows returns the follows matching where, lowest id first.
func (db *DB) listFollows(ctx context.Context, where string, args ...any) ([]bot.Follow, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+followColumns+` FROM follows `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanFollow)
}

// DeleteFollows removes chat's follows with ids (none: all of them) and,
// by the foreign key's cascade, their pushes, sent ones too.
func (db *DB) DeleteFollows(ctx context.Context, chat bot.Chat, ids ...int64) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM follows WHERE platform = $1 AND chat_id = $2
		AND (coalesce(cardinality($3::bigint[]), 0) = 0 OR id = ANY ($3))`, chat.Platform, chat.ID, ids)
	if err != nil {
		return 0, db.wrap(err, "store: delete follows of %s %s", chat.Platform, chat.ID)
	}
	return int(tag.RowsAffected()), nil
}

// AddPush records p unless its follow has a push with the same Story or
// is gone, and reports whether it did. The unique key on (follow_id,
// story) decides: of racing writers the later ones wait for the first
// and add nothing. Chat and Query are copied from the follow.
func (db *DB) AddPush(ctx context.Context, p bot.Push) (bot.Push, bool, error) {
	in, quote, err := store.NewPush(p, store.Now())
	if err != nil {
		return p, false, fmt.Errorf("store: %w", err)
	}
	err = db.pool.QueryRow(ctx, `INSERT INTO pushes (follow_id, platform, chat_id, query, quote, story, created, due, digest)
		SELECT id, platform, chat_id, query, $2::json, $3, $4, $5, $6 FROM follows WHERE id = $1
		ON CONFLICT (follow_id, story) DO NOTHING
		RETURNING id, platform, chat_id, query`,
		in.FollowID, string(quote), in.Story, in.Created, in.Due, in.Digest).
		Scan(&in.ID, &in.Chat.Platform, &in.Chat.ID, &in.Query)
	var pe *pgconn.PgError
	switch {
	case err == nil:
		return in, true, nil
	case errors.Is(err, pgx.ErrNoRows):
		return p, false, nil // the story is there already, or the follow is gone
	case errors.As(err, &pe) && pe.Code == "23503":
		return p, false, nil // the follow was deleted after this statement read it
	}
	return p, false, db.wrap(err, "store: add push for follow %d", p.FollowID)
}

// ClaimPushes leases to holder, for ttl, up to limit (<= 0: all) unsent
// pushes due at or before now whose claim, if any, ran out, oldest
// Created first. Rows another transaction is claiming are skipped (FOR
// UPDATE SKIP LOCKED), and a row claimed meanwhile fails the claim's
// condition when it is re-checked under its lock, so no two holders
// ever hold one push.
func (db *DB) ClaimPushes(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]bot.Push, error) {
	var most *int // NULL: LIMIT ALL
	if limit > 0 {
		most = &limit
	}
	rows, err := db.pool.Query(ctx, `WITH claimed AS (
			UPDATE pushes SET claim_holder = $1, claim_expires = $3
			WHERE id IN (SELECT id FROM pushes
				WHERE sent IS NULL AND due <= $2 AND (claim_expires IS NULL OR claim_expires <= $2)
				ORDER BY created, id LIMIT $4::bigint
				FOR UPDATE SKIP LOCKED)
			RETURNING `+pushColumns+`)
		SELECT * FROM claimed ORDER BY created, id`, holder, now, now.Add(ttl), most)
	if err != nil {
		return nil, db.wrap(err, "store: claim pushes for %s", holder)
	}
	ps, err := pgx.CollectRows(rows, scanPush)
	if err != nil {
		return nil, db.wrap(err, "store: claim pushes for %s", holder)
	}
	return ps, nil
}

// updateUnsent is the start of an UPDATE of the unsent pushes among the
// ids in $2; the caller adds the SET clause's other columns after it.
const updateUnsent = `UPDATE pushes SET claim_holder = NULL, claim_expires = NULL, `

// unsentIDs ends an updateUnsent statement.
const unsentIDs = ` WHERE id = ANY ($2) AND sent IS NULL`

// MarkSent records the pushes with ids as delivered at at, releases their
// claims and moves their follows' LastPush to at (never back). A push
// already sent keeps its first Sent.
func (db *DB) MarkSent(ctx context.Context, at time.Time, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.pool.Exec(ctx, `WITH sent AS (`+updateUnsent+`sent = $1`+unsentIDs+` RETURNING follow_id)
		UPDATE follows SET last_push = greatest(last_push, $1) WHERE id IN (SELECT follow_id FROM sent)`, at, ids)
	return db.wrap(err, "store: mark %d pushes sent", len(ids))
}

// Defer sets the unsent pushes' Due to due and Digest to true, and
// releases their claims.
func (db *DB) Defer(ctx context.Context, due time.Time, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.pool.Exec(ctx, updateUnsent+`due = $1, digest = true`+unsentIDs, due, ids)
	return db.wrap(err, "store: defer %d pushes", len(ids))
}

// SentSince counts the follow's pushes sent at or after since.
func (db *DB) SentSince(ctx context.Context, followID int64, since time.Time) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pushes WHERE follow_id = $1 AND sent >= $2`, followID, since).Scan(&n)
	return n, db.wrap(err, "store: count pushes of follow %d", followID)
}
