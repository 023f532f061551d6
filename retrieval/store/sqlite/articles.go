package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// Put implements store.DB.
func (d *DB) Put(ctx context.Context, r store.Record) (seq int64, replaced bool, err error) {
	a := r.Article
	if err := r.Validate(); err != nil {
		return 0, false, fmt.Errorf("put: %w", err)
	}
	err = d.inTx(ctx, "put", func(tx *sql.Tx) error {
		// Writers take turns (an immediate transaction), so this check
		// and the insert are atomic; the unique key on text_hash is the
		// guarantee all the same.
		var holder string
		switch err := tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE text_hash = ? AND id <> ?`, r.TextHash, a.ID).Scan(&holder); {
		case err == nil:
			return fmt.Errorf("%w: %q", store.ErrDuplicateText, holder)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// The cascade removes the old version's chunks.
		res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, a.ID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		replaced = n > 0
		if _, err := tx.ExecContext(ctx, `INSERT INTO articles(id, title, source, url, author, published, text, hash, text_hash, embedder)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Title, a.Source, a.URL, a.Author, formatTime(a.Published), a.Text, r.Hash, r.TextHash, r.Embedder); err != nil {
			if isUniqueTextHash(err) {
				return fmt.Errorf("%w (%v)", store.ErrDuplicateText, err)
			}
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO chunks(article_id, ord, start, end, sentences, vector) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, c := range r.Chunks {
			if _, err := st.ExecContext(ctx, a.ID, i, c.Span.Start, c.Span.End, encodeSpans(c.Span.Start, c.Sentences), store.EncodeVector(c.Vector)); err != nil {
				return err
			}
		}
		seq, err = d.logChange(ctx, tx, a.ID, false)
		return err
	})
	return seq, replaced, err
}

// Delete implements store.DB.
func (d *DB) Delete(ctx context.Context, ids ...string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	n := 0
	err := d.inTx(ctx, "delete", func(tx *sql.Tx) error {
		n = 0
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			if _, err := d.logChange(ctx, tx, id, true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		d.vacuum(ctx)
	}
	return n, nil
}

// logChange appends to the change sequence and, every so often, compacts
// its old end. It returns the new change's number.
func (d *DB) logChange(ctx context.Context, tx *sql.Tx, id string, deleted bool) (int64, error) {
	now := time.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO changes(id, deleted, at) VALUES (?, ?, ?)`, id, deleted, now.Unix())
	if err != nil {
		return 0, err
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if seq%256 == 0 {
		if err := d.compact(ctx, tx, seq, now); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// compact removes changes older than the kept history and remembers the
// last removed number, so Changes can tell a reader it fell behind.
func (d *DB) compact(ctx context.Context, tx *sql.Tx, seq int64, now time.Time) error {
	var upTo sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM changes WHERE seq <= ? AND at <= ?`,
		seq-int64(d.keepChanges), now.Add(-d.keepAge).Unix()).Scan(&upTo); err != nil || !upTo.Valid {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE seq <= ?`, upTo.Int64); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('compacted', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		strconv.FormatInt(upTo.Int64, 10))
	return err
}

// Changes implements store.DB.
func (d *DB) Changes(ctx context.Context, since int64, limit int) ([]store.Change, error) {
	tx, err := d.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("changes: %w", describe(err))
	}
	defer tx.Rollback()
	var compacted int64
	var v string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'compacted'`).Scan(&v); {
	case err == nil:
		compacted, _ = strconv.ParseInt(v, 10, 64)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("changes: %w", describe(err))
	}
	if since < compacted {
		return nil, store.ErrHistoryGone
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, id, deleted FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("changes: %w", describe(err))
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var c store.Change
		if err := rows.Scan(&c.Seq, &c.ID, &c.Deleted); err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("changes: %w", describe(err))
	}
	return out, nil
}

// Get implements store.DB.
func (d *DB) Get(ctx context.Context, id string) (store.Record, error) {
	var out store.Record
	found := false
	_, err := d.scan(ctx, `WHERE a.id = ?`, []any{id}, func(r store.Record) error {
		out, found = r, true
		return nil
	})
	if err != nil {
		return store.Record{}, fmt.Errorf("get %q: %w", id, err)
	}
	if !found {
		return store.Record{}, store.ErrNotFound
	}
	return out, nil
}

// Scan implements store.DB.
func (d *DB) Scan(ctx context.Context, fn func(store.Record) error) (int64, error) {
	seq, err := d.scan(ctx, "", nil, fn)
	if err != nil {
		return 0, fmt.Errorf("scan store: %w", err)
	}
	return seq, nil
}

// scan streams the records matching where (a condition on articles a)
// to fn from one snapshot, and returns the change number of that
// snapshot. One joined query in (article, chunk) order: the text is
// read only with an article's first chunk row.
func (d *DB) scan(ctx context.Context, where string, args []any, fn func(store.Record) error) (int64, error) {
	tx, err := d.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, describe(err)
	}
	defer tx.Rollback()
	seq, err := latestSeq(ctx, tx)
	if err != nil {
		return 0, describe(err)
	}
	// The article's own columns come with its first chunk row only: the
	// rows after it would copy them again for nothing.
	cols := []string{"a.title", "a.source", "a.url", "a.author", "a.published", "a.text", "a.hash", "a.text_hash", "a.embedder"}
	for i, c := range cols {
		cols[i] = "CASE WHEN c.ord IS NULL OR c.ord = 0 THEN " + c + " END"
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, `+strings.Join(cols, ", ")+`, c.ord, c.start, c.end, c.sentences, c.vector
		FROM articles a LEFT JOIN chunks c ON c.article_id = a.id `+where+` ORDER BY a.id, c.ord`, args...)
	if err != nil {
		return 0, describe(err)
	}
	defer rows.Close()
	var cur *store.Record
	emit := func() error {
		if cur == nil {
			return nil
		}
		r := *cur
		cur = nil
		return fn(r)
	}
	// One set of destinations for every row: Scan overwrites each (a NULL
	// makes a NullString invalid), and each vector blob is a new slice.
	var (
		id                sql.RawBytes
		art               [9]sql.NullString // cols, on an article's first row
		ord, start, end   sql.NullInt64
		sentences, vector sql.RawBytes
	)
	dest := []any{&id}
	for i := range art {
		dest = append(dest, &art[i])
	}
	dest = append(dest, &ord, &start, &end, &sentences, &vector)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, err
		}
		if cur == nil || cur.Article.ID != string(id) {
			if err := emit(); err != nil {
				return 0, err
			}
			for _, c := range art {
				if !c.Valid {
					return 0, fmt.Errorf("article %q: %w", id, errCorrupt)
				}
			}
			a := bot.Article{ID: string(id), Title: art[0].String, Source: art[1].String, URL: art[2].String,
				Author: art[3].String, Text: art[5].String}
			if a.Published, err = parseTime(art[4].String); err != nil {
				return 0, fmt.Errorf("article %q: published: %w", a.ID, err)
			}
			cur = &store.Record{Article: a, Hash: art[6].String, TextHash: art[7].String, Embedder: art[8].String}
		}
		if !ord.Valid {
			continue
		}
		c := store.Chunk{Span: bot.Span{Start: int(start.Int64), End: int(end.Int64)}}
		if c.Span.Start < 0 || c.Span.End > len(cur.Article.Text) || c.Span.Start > c.Span.End || int(ord.Int64) != len(cur.Chunks) {
			return 0, fmt.Errorf("article %q chunk %d: %w", cur.Article.ID, ord.Int64, errCorrupt)
		}
		if c.Sentences, err = decodeSpans(c.Span.Start, sentences); err != nil {
			return 0, fmt.Errorf("article %q chunk %d: %w", cur.Article.ID, ord.Int64, err)
		}
		// The driver makes a new slice for each blob it returns
		// (modernc.org/sqlite conn.columnBlob) and database/sql hands it to
		// a *RawBytes as is, so nothing reuses it once the row is read;
		// TestScanVectorsAreDistinct checks that this still holds.
		if c.Vector, err = store.AdoptVector(vector); err != nil {
			return 0, fmt.Errorf("article %q chunk %d: %w", cur.Article.ID, ord.Int64, err)
		}
		cur.Chunks = append(cur.Chunks, c)
	}
	if err := rows.Err(); err != nil {
		return 0, describe(err)
	}
	return seq, emit()
}

// formatTime keeps the offset the article was published with, so a
// citation shows the day its source meant.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// isUniqueTextHash reports whether err is the unique key on text_hash
// refusing a second article with the same text.
func isUniqueTextHash(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE &&
		strings.Contains(se.Error(), "articles.text_hash")
}
