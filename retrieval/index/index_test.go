package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/embedtest"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/sqlite"
)

// openDB opens a SQLite store of record in dir, closed when the test ends.
// Two calls on one dir behave as two processes sharing it.
func openDB(t *testing.T, dir string) store.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir, sqlite.WithWatchInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// hashEmbedder is the tests' fast bag-of-stems embedder.
type hashEmbedder = embedtest.Stems

func art(id, title, text string) bot.Article {
	return bot.Article{ID: id, Title: title, Source: "Test Wire", Text: text,
		Published: time.Date(2025, 8, 16, 0, 0, 0, 0, time.UTC)}
}

var corpus = []bot.Article{
	art("a1", "Harvest", "Farmers in Kenya reported a record maize harvest this year. Prices fell sharply in Nairobi markets."),
	art("a2", "Rates", "The central bank raised interest rates by 0.25 points on Tuesday. Inflation remained above 4%."),
	art("a3", "Match", "Arsenal beat Chelsea 3-1 at the Emirates. Saka scored twice in the second half."),
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	emb := &hashEmbedder{}
	st, err := Open(ctx, openDB(t, dir), emb)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Put(ctx, corpus, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 || rep.Failed != 0 {
		t.Fatalf("report %+v", rep)
	}
	// Re-ingesting the same articles is a no-op.
	rep, err = st.Put(ctx, corpus, nil)
	if err != nil || rep.Unchanged != 3 || rep.Added != 0 {
		t.Fatalf("second put: %+v %v", rep, err)
	}

	// Reopen from disk and search.
	st2, err := Open(ctx, openDB(t, dir), emb)
	if err != nil {
		t.Fatal(err)
	}
	inf, _ := st2.Info(ctx)
	if inf.Articles != 3 || inf.Chunks != 3 || inf.Embedder != "test-stems" {
		t.Fatalf("info after reopen: %+v", inf)
	}
	ps, err := st2.Search(ctx, bot.Query{Text: "Who scored for Arsenal?", K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 || ps[0].Article.ID != "a3" {
		t.Fatalf("top passage %+v", ps)
	}
	for _, p := range ps {
		for _, s := range p.Sentences {
			if s.Start < p.Span.Start || s.End > p.Span.End {
				t.Errorf("sentence %v outside chunk %v", s, p.Span)
			}
		}
	}
}

func TestStoreDuplicateText(t *testing.T) {
	ctx := context.Background()
	st, _ := Open(ctx, nil, &hashEmbedder{})
	copyOf := corpus[0]
	copyOf.ID = "syndicated"
	rep, err := st.Put(ctx, append(append([]bot.Article{}, corpus...), copyOf), nil)
	if err != nil || rep.Added != 3 || rep.Duplicates != 1 {
		t.Fatalf("first put: %+v %v", rep, err)
	}
	rep, _ = st.Put(ctx, []bot.Article{copyOf}, nil)
	if rep.Duplicates != 1 || rep.Added != 0 {
		t.Fatalf("copy of a stored article: %+v", rep)
	}
	// Once the original changes, the copy's text is free to be stored.
	changed := corpus[0]
	changed.Text = "Something else entirely happened in Kenya."
	st.Put(ctx, []bot.Article{changed}, nil)
	rep, _ = st.Put(ctx, []bot.Article{copyOf}, nil)
	if rep.Added != 1 {
		t.Fatalf("after the original changed: %+v", rep)
	}
}

func TestStoreReplaceAndDelete(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, openDB(t, t.TempDir()), &hashEmbedder{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, corpus, nil); err != nil {
		t.Fatal(err)
	}
	changed := corpus[0]
	changed.Text = "Farmers in Uganda reported floods that ruined the coffee crop."
	rep, err := st.Put(ctx, []bot.Article{changed}, nil)
	if err != nil || rep.Replaced != 1 {
		t.Fatalf("replace: %+v %v", rep, err)
	}
	ps, _ := st.Search(ctx, bot.Query{Text: "maize harvest Kenya", K: 5})
	for _, p := range ps {
		if strings.Contains(p.Text(), "maize") {
			t.Fatalf("old version still found: %q", p.Text())
		}
	}
	ps, _ = st.Search(ctx, bot.Query{Text: "coffee floods Uganda", K: 1})
	if len(ps) != 1 || ps[0].Article.ID != "a1" {
		t.Fatalf("new version not found: %+v", ps)
	}
	old := corpus[1]
	old.ID = "old"
	old.Text = "An old report on interest rates from long ago."
	old.Published = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.Put(ctx, []bot.Article{old}, nil); err != nil {
		t.Fatal(err)
	}
	n, err := st.DeleteOlderThan(ctx, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || n != 1 {
		t.Fatalf("DeleteOlderThan = %d, %v", n, err)
	}
	if _, ok := st.Article("old"); ok {
		t.Fatal("old article still stored")
	}
}

func TestStoreBadArticles(t *testing.T) {
	ctx := context.Background()
	emb := &hashEmbedder{Fail: func(s string) bool { return strings.Contains(s, "POISON") }}
	dir := t.TempDir()
	st, err := Open(ctx, openDB(t, dir), emb)
	if err != nil {
		t.Fatal(err)
	}
	bad := []bot.Article{
		art("", "no id", "Some text."),
		art("empty", "empty", "   "),
		art("utf8", "bad", "caf\xe9 au lait."),
		art("huge", "huge", strings.Repeat("x", MaxArticleBytes+1)),
		art("poison", "poison", "This article contains POISON for the model."),
	}
	rep, err := st.Put(ctx, append(bad, corpus...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != len(bad) || rep.Added != len(corpus) || len(rep.Errors) != len(bad) {
		t.Fatalf("report %+v", rep)
	}
	for _, e := range rep.Errors {
		if !strings.Contains(e.Error(), "article") {
			t.Errorf("error does not name the article: %v", e)
		}
	}
	// The store on disk holds the good articles only, and loads.
	st2, err := Open(ctx, openDB(t, dir), &hashEmbedder{})
	if err != nil {
		t.Fatal(err)
	}
	if inf, _ := st2.Info(ctx); inf.Articles != len(corpus) {
		t.Fatalf("articles after reopen = %d", inf.Articles)
	}
}

// TestStoreEmbedderSwitch checks that vectors of two embedders never mix:
// opening with another embedder re-embeds every article with it.
func TestStoreEmbedderSwitch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := Open(ctx, openDB(t, dir), &hashEmbedder{Label: "one"})
	if _, err := st.Put(ctx, corpus, nil); err != nil {
		t.Fatal(err)
	}
	two := &hashEmbedder{Label: "two"}
	st2, err := Open(ctx, openDB(t, dir), two)
	if err != nil {
		t.Fatal(err)
	}
	inf, _ := st2.Info(ctx)
	if inf.Embedder != "two" || inf.Articles != 3 || two.Calls() == 0 {
		t.Fatalf("after switch: %+v, calls %d", inf, two.Calls())
	}
	st3, _ := Open(ctx, openDB(t, dir), &hashEmbedder{Label: "two"})
	if inf, _ := st3.Info(ctx); inf.Embedder != "two" || inf.Articles != 3 {
		t.Fatalf("reopen: %+v", inf)
	}
}

// TestStoreEmbedderSwitchFails checks that a re-embed that fails (the new
// model's server is down) leaves the store on disk as it was.
func TestStoreEmbedderSwitchFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := Open(ctx, openDB(t, dir), &hashEmbedder{Label: "one"})
	if _, err := st.Put(ctx, corpus, nil); err != nil {
		t.Fatal(err)
	}
	down := &hashEmbedder{Label: "two", Fail: func(string) bool { return true }}
	if _, err := Open(ctx, openDB(t, dir), down); err == nil || !strings.Contains(err.Error(), "unchanged") {
		t.Fatalf("re-embed with a failing embedder: %v", err)
	}
	st2, err := Open(ctx, openDB(t, dir), &hashEmbedder{Label: "one"})
	if err != nil {
		t.Fatal(err)
	}
	if inf, _ := st2.Info(ctx); inf.Articles != len(corpus) || inf.Embedder != "one" {
		t.Fatalf("store after the failed switch: %+v", inf)
	}
}

func TestSearchModesAndSince(t *testing.T) {
	ctx := context.Background()
	st, _ := Open(ctx, nil, &hashEmbedder{})
	recent := art("new", "Rates again", "The central bank cut interest rates on Friday.")
	recent.Published = time.Now()
	if _, err := st.Put(ctx, append([]bot.Article{recent}, corpus...), nil); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"dense", "keyword", "hybrid"} {
		ps, err := st.SearchMode(ctx, bot.Query{Text: "interest rates central bank", K: 2}, mode)
		if err != nil || len(ps) == 0 {
			t.Fatalf("%s: %v %v", mode, ps, err)
		}
	}
	ps, _ := st.Search(ctx, bot.Query{Text: "interest rates central bank", K: 5, Since: time.Now().Add(-24 * time.Hour)})
	if len(ps) != 1 || ps[0].Article.ID != "new" {
		t.Fatalf("since filter: %+v", ps)
	}
	if _, err := st.SearchMode(ctx, bot.Query{Text: "x"}, "magic"); err == nil {
		t.Fatal("unknown mode accepted")
	}
}

func TestKeywordIndexTombstones(t *testing.T) {
	x := newKeywordIndex()
	x.add(0, countTerms([]string{"maiz", "harvest"}))
	x.add(1, countTerms([]string{"maiz", "price"}))
	x.remove(0)
	got := x.search([]string{"maiz"}, 5, nil)
	if len(got) != 1 || got[0].chunk != 1 {
		t.Fatalf("search after remove: %+v", got)
	}
	x.compact()
	if len(x.postings["harvest"]) != 0 || len(x.postings["maiz"]) != 1 {
		t.Fatalf("compact left %v", x.postings)
	}
}

func BenchmarkKeywordSearch(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := newKeywordIndex()
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%d", i)
	}
	for c := range 100000 {
		stems := make([]string, 60)
		for i := range stems {
			// Zipf-like: low ids are common.
			stems[i] = vocab[int(float64(len(vocab))*r.Float64()*r.Float64()*r.Float64())]
		}
		x.add(int32(c), countTerms(stems))
	}
	q := []string{"w5", "w120", "w3000", "w15000"}
	b.ResetTimer()
	for b.Loop() {
		x.search(q, 50, nil)
	}
}

// TestStoreConcurrentWriters opens one store of record twice, as a
// running serve and an ingest beside it would: both writers' articles
// land, and each index learns the other's by Sync.
func TestStoreConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	b, _ := Open(ctx, openDB(t, dir), &hashEmbedder{})
	if _, err := a.Put(ctx, corpus[:1], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Put(ctx, corpus[1:], nil); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Sync(ctx); err != nil || n != 2 {
		t.Fatalf("a synced %d articles, %v; want b's 2", n, err)
	}
	if n, err := b.Sync(ctx); err != nil || n != 1 {
		t.Fatalf("b synced %d articles, %v; want a's 1 (its own commits are not reloaded)", n, err)
	}
	c, err := Open(ctx, openDB(t, dir), &hashEmbedder{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []*Index{a, b, c} {
		if inf, _ := st.Info(ctx); inf.Articles != 3 {
			t.Fatalf("articles seen: %d, want 3", inf.Articles)
		}
	}
}
