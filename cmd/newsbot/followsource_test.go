package main

import (
	"context"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/embedtest"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store/sqlite"
)

// TestFollowSource reads another writer's articles through the index
// once it holds them, and keeps the cursor in the store of record.
func TestFollowSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *index.Index {
		db, err := sqlite.Open(ctx, dir, sqlite.WithWatchInterval(10*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		st, err := index.Open(ctx, db, &embedtest.Stems{})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	writer, idx := open(), open()
	src := followSource{idx: idx, db: idx.DB()}
	if _, ok, err := src.Load(ctx); ok || err != nil {
		t.Fatalf("a fresh store has a cursor: %v %v", ok, err)
	}
	start, err := src.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := bot.Article{ID: "k1", Title: "Harvest", Text: "Farmers in Kenya reported a record maize harvest."}
	if _, err := writer.Put(ctx, []bot.Article{a}, nil); err != nil {
		t.Fatal(err)
	}
	chs, err := src.Changes(ctx, start, 10)
	if err != nil || len(chs) != 1 || chs[0].ID != "k1" || chs[0].Deleted {
		t.Fatalf("changes %+v, %v", chs, err)
	}
	if got, ok := src.Article("k1"); !ok || got.Text != a.Text {
		t.Fatalf("the index does not hold the changed article: %+v", got)
	}
	if err := src.Save(ctx, chs[0].Seq); err != nil {
		t.Fatal(err)
	}
	again := followSource{idx: writer, db: writer.DB()} // another process
	if seq, ok, err := again.Load(ctx); !ok || err != nil || seq != chs[0].Seq {
		t.Fatalf("cursor %d %v %v, want %d", seq, ok, err, chs[0].Seq)
	}
	if chs, err := src.Changes(ctx, chs[0].Seq, 10); err != nil || len(chs) != 0 {
		t.Errorf("changes after the cursor: %+v, %v", chs, err)
	}
}
