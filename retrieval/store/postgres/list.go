package postgres

import (
	"context"
	"fmt"
	"time"

	"newsbot/retrieval/store"
)

// List implements store.Lister: the articles' columns and chunk counts,
// without bodies or vectors.
func (db *DB) List(ctx context.Context, fn func(store.Summary) error) error {
	rows, err := db.pool.Query(ctx, `SELECT a.id, a.title, a.source, a.url, a.author, a.published, a.embedder,
		(SELECT count(*) FROM chunks c WHERE c.article_id = a.id) FROM articles a`)
	if err != nil {
		return fmt.Errorf("list store: %s", db.scrub(err.Error()))
	}
	defer rows.Close()
	for rows.Next() {
		var s store.Summary
		a := &s.Article
		var when *time.Time
		var chunks int64
		if err := rows.Scan(&a.ID, &a.Title, &a.Source, &a.URL, &a.Author, &when, &s.Embedder, &chunks); err != nil {
			return fmt.Errorf("list store: %s", db.scrub(err.Error()))
		}
		if when != nil {
			a.Published = when.UTC()
		}
		s.Chunks = int(chunks)
		if err := fn(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list store: %s", db.scrub(err.Error()))
	}
	return nil
}

var _ store.Lister = (*DB)(nil)
