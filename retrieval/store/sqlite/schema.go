package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// migrations are applied in order, each in its own transaction; the
// schema_version table records the last one applied. Append only: a
// released migration is never edited, so every older database reaches
// the same schema.
var migrations = []string{
	// 1: articles, chunks with their vectors, the change sequence, small
	// key-value state and leases.
	`CREATE TABLE articles (
		id        TEXT PRIMARY KEY,
		title     TEXT NOT NULL,
		source    TEXT NOT NULL,
		url       TEXT NOT NULL,
		author    TEXT NOT NULL,
		published TEXT NOT NULL, -- RFC 3339 with its offset, '' when unknown
		text      TEXT NOT NULL,
		hash      TEXT NOT NULL,
		text_hash TEXT NOT NULL,
		embedder  TEXT NOT NULL
	);
	CREATE TABLE chunks (
		article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
		ord        INTEGER NOT NULL,
		start      INTEGER NOT NULL,
		end        INTEGER NOT NULL,
		sentences  BLOB NOT NULL,    -- uvarint pairs, see encodeSpans
		vector     BLOB NOT NULL,    -- little-endian float32
		PRIMARY KEY (article_id, ord)
	);
	CREATE TABLE changes (
		seq     INTEGER PRIMARY KEY AUTOINCREMENT,
		id      TEXT NOT NULL,
		deleted INTEGER NOT NULL,
		at      INTEGER NOT NULL     -- unix seconds
	);
	CREATE TABLE kv (
		namespace TEXT NOT NULL,
		key       TEXT NOT NULL,
		value     BLOB NOT NULL,
		expires   INTEGER,           -- unix nanoseconds, NULL: never
		PRIMARY KEY (namespace, key)
	);
	CREATE TABLE leases (
		name    TEXT PRIMARY KEY,
		holder  TEXT NOT NULL,
		expires INTEGER NOT NULL     -- unix nanoseconds
	);
	CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);`,
	// 2: lookups that retention, duplicate checks and compaction make.
	`CREATE INDEX articles_text_hash ON articles(text_hash);
	CREATE INDEX changes_at ON changes(at);
	CREATE INDEX kv_expires ON kv(expires) WHERE expires IS NOT NULL;`,
	// 3: one article per text, enforced by a unique key, so that two
	// processes ingesting the same text under two ids cannot both store
	// it. Copies stored before (by such a race) keep the article whose
	// latest change is oldest; the others move, whole, to
	// duplicate_articles (their chunks, which the kept article has too,
	// go) and their deletion is logged, so running readers drop them.
	`CREATE TABLE duplicate_articles AS
		SELECT id, title, source, url, author, published, text, hash, text_hash, embedder,
			kept_id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AS removed
		FROM (SELECT a.*, first_value(a.id) OVER w AS kept_id, row_number() OVER w AS n
			FROM articles a
			WINDOW w AS (PARTITION BY a.text_hash
				ORDER BY coalesce((SELECT max(c.seq) FROM changes c WHERE c.id = a.id), 0), a.rowid))
		WHERE n > 1;
	INSERT INTO changes(id, deleted, at) SELECT id, 1, CAST(strftime('%s', 'now') AS INTEGER) FROM duplicate_articles;
	DELETE FROM articles WHERE id IN (SELECT id FROM duplicate_articles);
	DROP INDEX articles_text_hash;
	CREATE UNIQUE INDEX articles_text_hash ON articles(text_hash);`,
	// 4: follows and their pushes (bot.FollowStore). The unique key on
	// (follow_id, story) is the one-push-per-story rule, kept by the
	// database however many processes add pushes. Ids are never reused,
	// so a push can never meet a later follow under its old follow's id.
	`CREATE TABLE follows (
		id        INTEGER PRIMARY KEY AUTOINCREMENT,
		platform  TEXT NOT NULL,
		chat_id   TEXT NOT NULL,
		query     TEXT NOT NULL,
		per_hour  INTEGER NOT NULL,
		daily     TEXT NOT NULL,     -- "15:04" or ''
		zone      TEXT NOT NULL,     -- IANA name or ''
		created   INTEGER NOT NULL,  -- unix microseconds
		last_push INTEGER            -- unix microseconds, NULL: never
	);
	CREATE INDEX follows_chat ON follows(platform, chat_id);
	CREATE TABLE pushes (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		follow_id     INTEGER NOT NULL REFERENCES follows(id) ON DELETE CASCADE,
		platform      TEXT NOT NULL,
		chat_id       TEXT NOT NULL,
		query         TEXT NOT NULL,
		quote         TEXT NOT NULL,     -- JSON, see store.EncodeQuote
		story         TEXT NOT NULL,
		created       INTEGER NOT NULL,  -- unix microseconds, as the times below
		due           INTEGER NOT NULL,
		digest        INTEGER NOT NULL,
		sent          INTEGER,           -- NULL: not yet
		claim_holder  TEXT,              -- NULL: not claimed
		claim_expires INTEGER,
		UNIQUE (follow_id, story)
	);
	CREATE INDEX pushes_due ON pushes(due) WHERE sent IS NULL;
	CREATE INDEX pushes_sent ON pushes(follow_id, sent) WHERE sent IS NOT NULL;`,
}

// duplicatesMigration is the migration (its version) that made text
// hashes unique; opening a store through it reports what it moved.
const duplicatesMigration = 3

// SchemaVersion is the schema version this package writes.
var SchemaVersion = len(migrations)

// migrate brings the database up to version want (normally
// SchemaVersion). It runs in immediate transactions, so two processes
// opening a new database at once apply each migration once.
func migrate(ctx context.Context, db *sql.DB, want int, log *slog.Logger) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	for {
		done, v, err := migrateOne(ctx, db, want)
		if err != nil || done {
			return v, err
		}
		if v == duplicatesMigration {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM duplicate_articles`).Scan(&n); err == nil && n > 0 {
				log.Warn("store held articles whose text another article also holds; each text now keeps one article, the copies' rows are in table duplicate_articles",
					"moved", n)
			}
		}
	}
}

// migrateOne applies the next migration, if any, and reports whether the
// schema is at want.
func migrateOne(ctx context.Context, db *sql.DB, want int) (bool, int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, 0, fmt.Errorf("schema: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return false, 0, fmt.Errorf("schema: %w", err)
	}
	if v > len(migrations) {
		return false, v, fmt.Errorf("schema version %d is newer than this newsbot knows (%d): upgrade newsbot", v, len(migrations))
	}
	if v >= want {
		return true, v, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, v, fmt.Errorf("schema migration %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version, applied) VALUES (?, ?)`, v+1, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return false, v, fmt.Errorf("schema migration %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, v, fmt.Errorf("schema migration %d: %w", v+1, err)
	}
	return false, v + 1, nil
}
