package sqlite

import (
	"context"
	"fmt"

	"newsbot/retrieval/store"
)

// List implements store.Lister: the articles' columns and chunk counts,
// without texts or vectors.
func (d *DB) List(ctx context.Context, fn func(store.Summary) error) error {
	rows, err := d.r.QueryContext(ctx, `SELECT a.id, a.title, a.source, a.url, a.author, a.published, a.embedder,
		(SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) FROM articles a`)
	if err != nil {
		return fmt.Errorf("list store: %w", describe(err))
	}
	defer rows.Close()
	for rows.Next() {
		var s store.Summary
		a := &s.Article
		var published string
		if err := rows.Scan(&a.ID, &a.Title, &a.Source, &a.URL, &a.Author, &published, &s.Embedder, &s.Chunks); err != nil {
			return fmt.Errorf("list store: %w", err)
		}
		if a.Published, err = parseTime(published); err != nil {
			return fmt.Errorf("article %q: published: %w", a.ID, err)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list store: %w", describe(err))
	}
	return nil
}

var _ store.Lister = (*DB)(nil)
