package storetest

import (
	"slices"
	"strings"
	"testing"

	"newsbot/retrieval/store"
)

// testList checks store.List (through the engine's Lister, or its Scan
// fallback): every article with its metadata, chunk count and embedder,
// never its text; deleted articles are gone.
func testList(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx := testContext(t)
	want := map[string]store.Record{}
	for i, id := range []string{"a", "b", "c"} {
		r := record(id, i)
		if id == "b" {
			r.Chunks = r.Chunks[:1]
			r.Chunks[0].Span.End = len(r.Article.Text)
			r.Chunks[0].Sentences = r.Chunks[0].Sentences[:1]
		}
		put(t, db, r)
		want[id] = r
	}
	if _, err := db.Delete(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	delete(want, "c")
	var got []store.Summary
	if err := store.List(ctx, db, func(s store.Summary) error {
		got = append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b store.Summary) int { return strings.Compare(a.Article.ID, b.Article.ID) })
	if len(got) != len(want) {
		t.Fatalf("listed %d articles, want %d: %+v", len(got), len(want), got)
	}
	for _, s := range got {
		w := want[s.Article.ID]
		wa := w.Article
		wa.Text = ""
		if s.Article.Text != "" {
			t.Errorf("%s: listed with its text", s.Article.ID)
		}
		if s.Article.Title != wa.Title || s.Article.Source != wa.Source || s.Article.URL != wa.URL ||
			s.Article.Author != wa.Author || !s.Article.Published.Equal(wa.Published) {
			t.Errorf("%s: listed %+v, want %+v", s.Article.ID, s.Article, wa)
		}
		if s.Chunks != len(w.Chunks) || s.Embedder != w.Embedder {
			t.Errorf("%s: %d chunks by %q, want %d by %q", s.Article.ID, s.Chunks, s.Embedder, len(w.Chunks), w.Embedder)
		}
	}
}
