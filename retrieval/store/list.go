package store

import (
	"context"

	"newsbot/bot"
)

// Summary is what is known of a stored article without its text and
// vectors: enough to list or count what a store holds.
type Summary struct {
	// Article has every field but Text.
	Article bot.Article
	// Embedder names the model that made its vectors.
	Embedder string
	// Chunks is how many chunks it was cut into.
	Chunks int
}

// Lister is implemented by a DB that can list its articles without
// reading their texts and vectors, for the commands that only show what
// is stored (stats, articles): far cheaper than a Scan.
type Lister interface {
	// List calls fn for every stored article, in no particular order. An
	// error from fn stops the listing and is returned.
	List(ctx context.Context, fn func(Summary) error) error
}

// List lists db's articles: through Lister when db implements it, else
// from a Scan.
func List(ctx context.Context, db DB, fn func(Summary) error) error {
	if l, ok := db.(Lister); ok {
		return l.List(ctx, fn)
	}
	_, err := db.Scan(ctx, func(r Record) error {
		a := r.Article
		a.Text = ""
		return fn(Summary{Article: a, Embedder: r.Embedder, Chunks: len(r.Chunks)})
	})
	return err
}
