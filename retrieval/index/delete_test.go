package index

import (
	"context"
	"testing"

	"newsbot/bot"
)

// TestStoreDelete removes articles by id: their chunks leave both searches,
// unknown ids are ignored, and a reopened store no longer holds them.
func TestStoreDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	emb := &hashEmbedder{}
	s, err := Open(ctx, openDB(t, dir), emb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, corpus, nil); err != nil {
		t.Fatal(err)
	}
	if s.ChunkCount("a1") < 1 || s.ChunkCount("nope") != 0 {
		t.Fatalf("chunk counts a1=%d nope=%d", s.ChunkCount("a1"), s.ChunkCount("nope"))
	}
	before, _ := s.Info(ctx)
	a1Chunks := s.ChunkCount("a1")
	tests := []struct {
		name string
		ids  []string
		want int
	}{
		{"one known, one unknown", []string{"a1", "nope"}, 1},
		{"already gone", []string{"a1"}, 0},
		{"none", nil, 0},
	}
	for _, tt := range tests {
		n, err := s.Delete(ctx, tt.ids...)
		if err != nil || n != tt.want {
			t.Errorf("%s: Delete(%v) = %d, %v; want %d", tt.name, tt.ids, n, err, tt.want)
		}
	}
	after, _ := s.Info(ctx)
	if after.Articles != before.Articles-1 || after.Chunks != before.Chunks-a1Chunks {
		t.Errorf("info after delete %+v, before %+v (a1 had %d chunks)", after, before, a1Chunks)
	}
	for _, mode := range []string{"dense", "keyword", "hybrid"} {
		ps, err := s.SearchMode(ctx, bot.Query{Text: "maize harvest Kenya farmers", K: 10}, mode)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Article.ID == "a1" {
				t.Errorf("%s search still finds the deleted article", mode)
			}
		}
	}
	s2, err := Open(ctx, openDB(t, dir), emb)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s2.Article("a1"); ok {
		t.Error("the deleted article is back after reopening")
	}
	if _, ok := s2.Article("a2"); !ok {
		t.Error("an article not deleted is gone after reopening")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s2.Delete(cancelled, "a2"); err == nil {
		t.Error("Delete with a cancelled context succeeded")
	}
}
