package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// notifyChannel is the LISTEN/NOTIFY channel a write announces itself on;
// the payload is its change sequence number.
const notifyChannel = "newsbot_changes"

// checkText refuses what a PostgreSQL text column cannot hold: NUL bytes
// and invalid UTF-8. Refusing up front gives a message naming the field
// instead of the server's encoding error.
func checkText(r store.Record) error {
	a := r.Article
	fields := []struct{ name, value string }{
		{"id", a.ID}, {"title", a.Title}, {"source", a.Source}, {"url", a.URL},
		{"author", a.Author}, {"text", a.Text}, {"hash", r.Hash}, {"text hash", r.TextHash},
		{"embedder", r.Embedder},
	}
	for _, f := range fields {
		if strings.IndexByte(f.value, 0) >= 0 {
			return fmt.Errorf("article %q: its %s holds a NUL byte, which PostgreSQL cannot store", a.ID, f.name)
		}
		if !utf8.ValidString(f.value) {
			return fmt.Errorf("article %q: its %s is not valid UTF-8", a.ID, f.name)
		}
	}
	return nil
}

// Put stores r with its chunks in one transaction, replacing any article
// with the same id, and returns the change's sequence number.
func (db *DB) Put(ctx context.Context, r store.Record) (seq int64, replaced bool, err error) {
	if err := r.Validate(); err != nil {
		return 0, false, fmt.Errorf("store: %w", err)
	}
	if err := checkText(r); err != nil {
		return 0, false, fmt.Errorf("store: %w", err)
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		a := r.Article
		// Two writers of one id take turns, so exactly one of them sees
		// the article as new.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, articleLockClass, a.ID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE id = $1)`, a.ID).Scan(&replaced); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM chunks WHERE article_id = $1`, a.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO articles
			(id, title, source, url, author, published, body, hash, text_hash, embedder)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (id) DO UPDATE SET title = $2, source = $3, url = $4, author = $5,
				published = $6, body = $7, hash = $8, text_hash = $9, embedder = $10`,
			a.ID, a.Title, a.Source, a.URL, a.Author, published(a.Published), a.Text,
			r.Hash, r.TextHash, r.Embedder); err != nil {
			// The unique key on text_hash: of two transactions storing
			// one text under two ids, the second waits for the first
			// and fails here if it committed.
			if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "articles_text_hash" {
				return fmt.Errorf("%w (%s)", store.ErrDuplicateText, pe.Detail)
			}
			return err
		}
		rows := make([][]any, len(r.Chunks))
		for i, c := range r.Chunks {
			rows[i] = []any{a.ID, int32(i), int32(c.Span.Start), int32(c.Span.End),
				encodeSpans(c.Sentences), store.EncodeVector(c.Vector)}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"chunks"},
			[]string{"article_id", "ord", "start_byte", "end_byte", "sentences", "vector"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		seq, err = appendChange(ctx, tx, []string{a.ID}, false)
		return err
	})
	if err != nil {
		return 0, false, db.wrap(err, "store: put %q", r.Article.ID)
	}
	db.listen.poke()
	db.compactChanges(ctx)
	return seq, replaced, nil
}

// appendChange records a change of each of ids, in order, announces it
// and returns the last sequence number. It takes seqLock, which the
// transaction holds until it ends: nothing else of the caller's may wait
// on another writer after this.
func appendChange(ctx context.Context, tx pgx.Tx, ids []string, deleted bool) (int64, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, seqLock); err != nil {
		return 0, err
	}
	var seq int64
	if err := tx.QueryRow(ctx, `WITH added AS (
			INSERT INTO changes (article_id, deleted)
			SELECT id, $2 FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n) ORDER BY n
			RETURNING seq)
		SELECT max(seq) FROM added`, ids, deleted).Scan(&seq); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, fmt.Sprint(seq)); err != nil {
		return 0, err
	}
	return seq, nil
}

// published maps the zero time, "unknown", to NULL.
func published(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Delete removes the articles with ids and their chunks, and returns how
// many there were.
func (db *DB) Delete(ctx context.Context, ids ...string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	// Locking in one order keeps two Deletes of overlapping ids from
	// waiting on each other.
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var deleted []string
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, id := range sorted {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, articleLockClass, id); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `DELETE FROM articles WHERE id = ANY($1) RETURNING id`, sorted)
		if err != nil {
			return err
		}
		deleted, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(deleted) == 0 {
			return err
		}
		slices.Sort(deleted)
		_, err = appendChange(ctx, tx, deleted, true)
		return err
	})
	if err != nil {
		return 0, db.wrap(err, "store: delete %d articles", len(sorted))
	}
	if len(deleted) > 0 {
		db.listen.poke()
		db.compactChanges(ctx)
	}
	return len(deleted), nil
}

// latestSeq is the SQL expression for the latest change's seq, which
// compaction never deletes (changes_compacted keeps it in any case).
const latestSeq = `greatest((SELECT coalesce(max(seq), 0) FROM changes), (SELECT through FROM changes_compacted))`

// articleColumns are read by scanArticle, in its order.
const articleColumns = `id, title, source, url, author, published, body, hash, text_hash, embedder`

// scanArticle reads one row of articleColumns.
func scanArticle(row pgx.Row) (store.Record, error) {
	var (
		r    store.Record
		a    = &r.Article
		when *time.Time
	)
	err := row.Scan(&a.ID, &a.Title, &a.Source, &a.URL, &a.Author, &when, &a.Text,
		&r.Hash, &r.TextHash, &r.Embedder)
	if when != nil {
		a.Published = when.UTC()
	}
	return r, err
}

// chunkColumns are read by scanChunk, in its order.
const chunkColumns = `article_id, ord, start_byte, end_byte, sentences, vector`

// scanChunk reads one row of chunkColumns.
func scanChunk(row pgx.Row) (id string, ord int, c store.Chunk, err error) {
	var (
		o, start, end int32
		sentences     []int32
		vector        []byte
	)
	if err := row.Scan(&id, &o, &start, &end, &sentences, &vector); err != nil {
		return "", 0, c, err
	}
	ord = int(o)
	c.Span = bot.Span{Start: int(start), End: int(end)}
	if c.Sentences, err = decodeSpans(sentences); err != nil {
		return id, ord, c, fmt.Errorf("article %q: %w", id, err)
	}
	if c.Vector, err = store.DecodeVector(vector); err != nil {
		return id, ord, c, fmt.Errorf("article %q: %w", id, err)
	}
	return id, ord, c, nil
}

// Get returns the article with id and its chunks, or store.ErrNotFound.
func (db *DB) Get(ctx context.Context, id string) (store.Record, error) {
	var r store.Record
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		r, err = scanArticle(tx.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, id))
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+chunkColumns+` FROM chunks WHERE article_id = $1 ORDER BY ord`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			_, _, c, err := scanChunk(rows)
			if err != nil {
				return err
			}
			r.Chunks = append(r.Chunks, c)
		}
		return rows.Err()
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, db.wrap(err, "store: get %q", id)
	}
	return r, nil
}

// Scan calls fn for every article, from one consistent snapshot, and
// returns the change sequence number of that snapshot. It reads the whole
// store into memory before the first call, as the index it feeds holds
// it all anyway.
func (db *DB) Scan(ctx context.Context, fn func(store.Record) error) (seq int64, err error) {
	var fnErr error
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT `+latestSeq).Scan(&seq); err != nil {
			return err
		}
		articles := map[string]*store.Record{}
		rows, err := tx.Query(ctx, `SELECT `+articleColumns+` FROM articles`)
		if err != nil {
			return err
		}
		for rows.Next() {
			r, err := scanArticle(rows)
			if err != nil {
				rows.Close()
				return err
			}
			articles[r.Article.ID] = &r
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// Chunks in whatever order the server finds cheapest: ordering
		// 100,000 of them makes it sort hundreds of MB on disk. Each
		// record is complete once all are read.
		rows, err = tx.Query(ctx, `SELECT `+chunkColumns+` FROM chunks`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			id, ord, c, err := scanChunk(rows)
			if err != nil {
				return err
			}
			r := articles[id]
			if r == nil || ord < 0 {
				return fmt.Errorf("chunk %d of unknown article %q", ord, id)
			}
			if ord >= len(r.Chunks) {
				r.Chunks = slices.Grow(r.Chunks, ord+1-len(r.Chunks))[:ord+1]
			}
			r.Chunks[ord] = c
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range articles {
			for i, c := range r.Chunks {
				if c.Vector == nil {
					return fmt.Errorf("article %q: chunk %d of %d is missing", r.Article.ID, i, len(r.Chunks))
				}
			}
			if err := fn(*r); err != nil {
				fnErr = err
				return err
			}
		}
		return nil
	})
	if fnErr != nil {
		return 0, fnErr
	}
	if err != nil {
		return 0, db.wrap(err, "store: scan")
	}
	return seq, nil
}

// Changes returns the changes after since, oldest first, at most limit
// (limit <= 0: all), or store.ErrHistoryGone when some of them were
// compacted away.
func (db *DB) Changes(ctx context.Context, since int64, limit int) ([]store.Change, error) {
	if limit <= 0 {
		limit = -1
	}
	// One statement, one snapshot: the compaction mark and the rows agree.
	rows, err := db.pool.Query(ctx, `SELECT k.through, c.seq, c.article_id, c.deleted
		FROM changes_compacted k LEFT JOIN LATERAL (
			SELECT seq, article_id, deleted FROM changes WHERE seq > $1 ORDER BY seq
			LIMIT CASE WHEN $2::bigint < 0 THEN NULL ELSE $2::bigint END) c ON true`, since, limit)
	if err != nil {
		return nil, db.wrap(err, "store: changes since %d", since)
	}
	var (
		through int64
		changes []store.Change
	)
	for rows.Next() {
		var (
			seq     *int64
			id      *string
			deleted *bool
		)
		if err := rows.Scan(&through, &seq, &id, &deleted); err != nil {
			rows.Close()
			return nil, db.wrap(err, "store: changes since %d", since)
		}
		if seq != nil { // nil: the one row of an empty result
			changes = append(changes, store.Change{Seq: *seq, ID: *id, Deleted: *deleted})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(err, "store: changes since %d", since)
	}
	if since < through {
		return nil, store.ErrHistoryGone
	}
	return changes, nil
}
