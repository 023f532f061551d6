package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Advisory lock keys. They are arbitrary constants, unlikely to collide
// with another application's in a shared database.
const (
	// migrateLock serialises schema migrations between processes.
	migrateLock int64 = 0x6e657773626f7401 // "newsbot\x01"
	// seqLock is held from a write's change row to its commit, so change
	// sequence numbers become visible in order and a follower polling
	// Changes never skips a late commit.
	seqLock int64 = 0x6e657773626f7402
	// articleLockClass is the first key of the two-key per-article lock
	// (the second is hashtext(id)); it serialises writes of one id.
	articleLockClass int32 = 0x6e627401
)

// migrations are the schema steps in order; migrations[i] brings the
// schema to version i+1. Published steps are never edited, only appended.
var migrations = []string{
	`CREATE TABLE articles (
		id        text PRIMARY KEY,
		title     text NOT NULL,
		source    text NOT NULL,
		url       text NOT NULL,
		author    text NOT NULL,
		published timestamptz,            -- NULL when unknown
		body      text NOT NULL,           -- Article.Text, byte for byte
		hash      text NOT NULL,
		text_hash text NOT NULL,
		embedder  text NOT NULL
	);
	CREATE INDEX articles_text_hash ON articles (text_hash);
	CREATE TABLE chunks (
		article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
		ord        integer NOT NULL,
		start_byte integer NOT NULL,
		end_byte   integer NOT NULL,
		sentences  integer[] NOT NULL,     -- start, end, start, end…
		vector     bytea NOT NULL,         -- little-endian float32
		PRIMARY KEY (article_id, ord)
	);
	CREATE TABLE changes (
		seq        bigserial PRIMARY KEY,
		article_id text NOT NULL,
		deleted    boolean NOT NULL
	);
	CREATE TABLE kv (
		namespace text NOT NULL,
		key       text NOT NULL,
		value     bytea NOT NULL,
		expires   timestamptz,            -- NULL: never
		PRIMARY KEY (namespace, key)
	);
	CREATE TABLE leases (
		name    text PRIMARY KEY,
		holder  text NOT NULL,
		expires timestamptz NOT NULL
	);`,
	// Compaction: changes get a time, and the highest compacted seq is
	// kept so Changes can tell a reader it asked for history that is gone.
	`ALTER TABLE changes ADD COLUMN at timestamptz NOT NULL DEFAULT now();
	CREATE TABLE changes_compacted (through bigint NOT NULL);
	INSERT INTO changes_compacted VALUES (0);`,
	// One article per text, enforced by a unique key, so that two
	// processes ingesting the same text under two ids cannot both store
	// it. Copies stored before (by such a race) keep the article whose
	// latest change is oldest; the others move, whole, to
	// duplicate_articles (their chunks, which the kept article has too,
	// go) and their deletion is logged and announced, so running replicas
	// drop them.
	`CREATE TABLE duplicate_articles AS
		SELECT id, title, source, url, author, published, body, hash, text_hash, embedder,
			kept_id, now() AS removed
		FROM (SELECT a.*,
				first_value(a.id) OVER w AS kept_id, row_number() OVER w AS n
			FROM articles a
			LEFT JOIN (SELECT article_id, max(seq) AS seq FROM changes GROUP BY article_id) c ON c.article_id = a.id
			WINDOW w AS (PARTITION BY a.text_hash ORDER BY coalesce(c.seq, 0), a.id)) d
		WHERE n > 1;
	SELECT pg_advisory_xact_lock(` + fmt.Sprint(seqLock) + `);
	INSERT INTO changes (article_id, deleted) SELECT id, true FROM duplicate_articles ORDER BY id;
	SELECT pg_notify('` + notifyChannel + `', coalesce((SELECT max(seq) FROM changes), 0)::text);
	DELETE FROM articles WHERE id IN (SELECT id FROM duplicate_articles);
	DROP INDEX articles_text_hash;
	CREATE UNIQUE INDEX articles_text_hash ON articles (text_hash);`,
	// Follows and their pushes (bot.FollowStore). The unique key on
	// (follow_id, story) is the one-push-per-story rule, kept by the
	// database however many replicas add pushes.
	`CREATE TABLE follows (
		id        bigserial PRIMARY KEY,
		platform  text NOT NULL,
		chat_id   text NOT NULL,
		query     text NOT NULL,
		per_hour  integer NOT NULL,
		daily     text NOT NULL,           -- "15:04" or ''
		zone      text NOT NULL,           -- IANA name or ''
		created   timestamptz NOT NULL,
		last_push timestamptz              -- NULL: never
	);
	CREATE INDEX follows_chat ON follows (platform, chat_id);
	CREATE TABLE pushes (
		id            bigserial PRIMARY KEY,
		follow_id     bigint NOT NULL REFERENCES follows (id) ON DELETE CASCADE,
		platform      text NOT NULL,
		chat_id       text NOT NULL,
		query         text NOT NULL,
		quote         json NOT NULL,       -- see store.EncodeQuote
		story         text NOT NULL,
		created       timestamptz NOT NULL,
		due           timestamptz NOT NULL,
		digest        boolean NOT NULL,
		sent          timestamptz,         -- NULL: not yet
		claim_holder  text,                -- NULL: not claimed
		claim_expires timestamptz,
		UNIQUE (follow_id, story)
	);
	CREATE INDEX pushes_due ON pushes (due) WHERE sent IS NULL;
	CREATE INDEX pushes_sent ON pushes (follow_id, sent) WHERE sent IS NOT NULL;`,
}

// duplicatesMigration is the version that made text hashes unique;
// migrating through it logs how many copies it moved.
const duplicatesMigration = 3

// SchemaVersion is the schema version this code writes and reads.
var SchemaVersion = len(migrations)

// migrate brings the database's schema up to SchemaVersion and returns it.
// It holds an advisory lock while it looks and changes, so processes
// starting together migrate once; each step commits with its version.
func migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (int, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("connect: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return 0, fmt.Errorf("migration lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx has ended. If
		// this fails, the session ends with the pooled connection anyway.
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
	}()

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS newsbot_schema (version integer NOT NULL)`); err != nil {
		return 0, fmt.Errorf("schema version table: %w", err)
	}
	var version int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM newsbot_schema`).Scan(&version); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	if version > len(migrations) {
		return 0, fmt.Errorf("the database's schema version %d is newer than this newsbot's (%d): upgrade newsbot", version, len(migrations))
	}
	for ; version < len(migrations); version++ {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return 0, fmt.Errorf("migration %d: %w", version+1, err)
		}
		_, err = tx.Exec(ctx, migrations[version])
		if err == nil {
			_, err = tx.Exec(ctx, `DELETE FROM newsbot_schema; INSERT INTO newsbot_schema VALUES (`+fmt.Sprint(version+1)+`)`)
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			_ = tx.Rollback(ctx)
			return 0, fmt.Errorf("migration %d: %w", version+1, err)
		}
		if version+1 == duplicatesMigration {
			var n int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM duplicate_articles`).Scan(&n); err == nil && n > 0 {
				log.Warn("store held articles whose text another article also holds; each text now keeps one article, the copies' rows are in table duplicate_articles",
					"moved", n)
			}
		}
	}
	return version, nil
}
