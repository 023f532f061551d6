package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/sqlite"
)

// TestSyncReplaceAndDelete checks that a reader's index follows another
// writer's additions, replacements and deletions incrementally.
func TestSyncReplaceAndDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writer, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	reader, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	writer.Put(ctx, corpus, nil)
	changed := corpus[0]
	changed.Text = "Farmers in Uganda reported floods that ruined the coffee crop."
	writer.Put(ctx, []bot.Article{changed}, nil)
	writer.Delete(ctx, "a3")
	if _, err := reader.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if a, ok := reader.Article("a1"); !ok || a.Text != changed.Text {
		t.Fatalf("replacement not seen: %q", a.Text)
	}
	if _, ok := reader.Article("a3"); ok {
		t.Fatal("deletion not seen")
	}
	ps, _ := reader.Search(ctx, bot.Query{Text: "maize harvest Kenya", K: 5})
	for _, p := range ps {
		if p.Article.ID == "a1" && p.Text() != changed.Text {
			t.Fatalf("old chunk still searchable: %q", p.Text())
		}
	}
	st, err := reader.SyncStatus(ctx)
	if err != nil || st.Lag() != 0 || st.Reloads != 0 || st.Applied == 0 {
		t.Fatalf("sync status %+v, %v", st, err)
	}
}

// TestSyncAfterCompactionReloads checks the one case of a full reload:
// the changes the reader needed were compacted away.
func TestSyncAfterCompactionReloads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	reader, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	wdb, err := sqlite.Open(ctx, dir, sqlite.WithHistory(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer wdb.Close()
	writer, _ := Open(ctx, wdb, &hashEmbedder{})
	for i := range 300 {
		a := art(fmt.Sprint("n", i%20), "Note", fmt.Sprintf("Council note number %d was filed today.", i))
		if _, err := writer.Put(ctx, []bot.Article{a}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := reader.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := reader.SyncStatus(ctx)
	inf, _ := reader.Info(ctx)
	if st.Reloads != 1 || inf.Articles != 20 || st.Lag() != 0 {
		t.Fatalf("after compaction: %+v, %d articles", st, inf.Articles)
	}
}

// TestFollow checks that a following index sees another writer's article
// without being asked.
func TestFollow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	reader, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	done := make(chan error)
	go func() { done <- reader.Follow(ctx) }()
	writer, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	writer.Put(ctx, corpus[2:], nil)
	// Bounded by the test's own timeout: a Follow that never syncs fails.
	for {
		if _, ok := reader.Article("a3"); ok {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// fullDB refuses every Put after the first n, as a full disk does.
type fullDB struct {
	store.DB
	n int
}

func (f *fullDB) Put(ctx context.Context, r store.Record) (int64, bool, error) {
	if f.n == 0 {
		return 0, false, errors.New("disk full: database or disk is full")
	}
	f.n--
	return f.DB.Put(ctx, r)
}

// TestPutStopsOnFullDisk checks that an ingest stops at the first refused
// commit with the store's error, and that what was committed before stays.
func TestPutStopsOnFullDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := Open(ctx, &fullDB{DB: openDB(t, dir), n: 2}, &hashEmbedder{})
	rep, err := st.Put(ctx, corpus, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "a3") {
		t.Fatalf("put into a full store: %v", err)
	}
	if rep.Added != 2 {
		t.Fatalf("report %+v, want the 2 committed articles", rep)
	}
	again, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	if inf, _ := again.Info(ctx); inf.Articles != 2 {
		t.Fatalf("%d articles after reopening, want 2", inf.Articles)
	}
}

// TestPutUnchangedByAnotherWriter checks an article another process
// already committed, identical, counts as unchanged though this Index's
// index has not synced it yet, and one that differs still replaces it.
func TestPutUnchangedByAnotherWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	second, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	if _, err := first.Put(ctx, corpus, nil); err != nil {
		t.Fatal(err)
	}
	changed := corpus[0]
	changed.Text = "Farmers in Uganda reported floods that ruined the coffee crop."
	arts := append([]bot.Article{changed}, corpus[1:]...)
	rep, err := second.Put(ctx, arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != len(corpus)-1 || rep.Replaced != 1 || rep.Added != 0 {
		t.Errorf("report %+v; want %d unchanged, 1 replaced, 0 added", rep, len(corpus)-1)
	}
}
