package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"newsbot/bot"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
)

// BenchmarkScan100k measures what a replica's start costs the store: one
// Scan of 100,000 chunks (10,000 articles of 10 chunks, 512-dimensional
// vectors), as index.Open does. Filling the store is not timed.
func BenchmarkScan100k(b *testing.B) {
	const articles, chunksPer, dim = 10000, 10, 512
	db := open(b, freshDatabase(b), postgres.WithMaxConns(4))
	defer db.Close()
	ctx := context.Background()
	text := strings.Repeat("A sentence of some forty bytes or so. ", 60)
	step := len(text) / chunksPer
	for i := range articles {
		r := store.Record{
			Article: bot.Article{ID: fmt.Sprintf("a%05d", i), Title: "Title", Text: text},
			Hash:    "h", TextHash: fmt.Sprint("th", i), Embedder: "e", // one text, hashed apart per article
		}
		for c := range chunksPer {
			v := make([]float32, dim)
			for j := range v {
				v[j] = float32(i+c+j) / 1e4
			}
			start := c * step
			r.Chunks = append(r.Chunks, store.Chunk{
				Span:      bot.Span{Start: start, End: start + step},
				Sentences: []bot.Span{{Start: start, End: start + step/2}, {Start: start + step/2, End: start + step}},
				Vector:    v,
			})
		}
		if _, _, err := db.Put(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if _, err := db.Scan(ctx, func(r store.Record) error { n += len(r.Chunks); return nil }); err != nil {
			b.Fatal(err)
		}
		if n != articles*chunksPer {
			b.Fatalf("scanned %d chunks, want %d", n, articles*chunksPer)
		}
	}
}
