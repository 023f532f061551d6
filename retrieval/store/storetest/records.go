package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

func testPutGetRoundTrip(t *testing.T, connect Connect) {
	db := handle(t, connect)
	full := record("full", 1)
	bare := store.Record{ // no optional field, no chunk: must come back empty, not invented
		Article:  bot.Article{ID: "bare/ü 1", Title: "Bare", Text: "x"},
		Hash:     "h",
		TextHash: "th",
		Embedder: "e",
	}
	offset := record("offset", 2)
	offset.Article.Published = time.Date(2025, 12, 31, 23, 59, 59, 0, time.FixedZone("X", -5*3600))
	for _, r := range []store.Record{full, bare, offset} {
		seq, replaced := put(t, db, r)
		if replaced || seq <= 0 {
			t.Errorf("Put(%s) = seq %d, replaced %v; want seq > 0, not replaced", r.Article.ID, seq, replaced)
		}
		assertRecord(t, get(t, db, r.Article.ID), r)
	}
	other := handle(t, connect)
	for _, r := range []store.Record{full, bare, offset} {
		assertRecord(t, get(t, other, r.Article.ID), r)
	}
}

func testPutLargeArticle(t *testing.T, connect Connect) {
	db := handle(t, connect)
	r := record("large", 3)
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString(sampleText)
	}
	r.Article.Text = b.String()
	r.Chunks = nil
	step := len(sampleText)
	for start := 0; start < len(r.Article.Text); start += step {
		r.Chunks = append(r.Chunks, store.Chunk{
			Span:      bot.Span{Start: start, End: start + step},
			Sentences: []bot.Span{{Start: start, End: start + 10}, {Start: start + 10, End: start + step}},
			Vector:    vector(512, start),
		})
	}
	put(t, db, r)
	assertRecord(t, get(t, db, r.Article.ID), r)
}

func testPutReplace(t *testing.T, connect Connect) {
	db := handle(t, connect)
	first := record("a", 1)
	seq1, _ := put(t, db, first)
	second := record("a", 2)
	second.Chunks = second.Chunks[:1] // the old second chunk must not survive
	second.Article.Text += " — longer"
	seq2, replaced := put(t, db, second)
	if !replaced {
		t.Error("second Put of the same id: replaced = false")
	}
	if seq2 <= seq1 {
		t.Errorf("second Put: seq %d, not after the first's %d", seq2, seq1)
	}
	assertRecord(t, get(t, db, "a"), second)

	n := 0
	if _, err := db.Scan(testContext(t), func(store.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("after replacing: Scan saw %d records, want 1", n)
	}
}

func testPutRejectsEmptyID(t *testing.T, connect Connect) {
	db := handle(t, connect)
	r := record("", 1)
	if _, _, err := db.Put(testContext(t), r); err == nil {
		t.Error("Put of a record without id: no error")
	}
	if seq, err := db.Scan(testContext(t), func(r store.Record) error {
		return fmt.Errorf("stored %q", r.Article.ID)
	}); err != nil || seq != 0 {
		t.Errorf("after a rejected Put: Scan = %d, %v; want an empty store at seq 0", seq, err)
	}
}

func testPutCanceledContext(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := db.Put(ctx, record("c", 1)); err == nil {
		t.Error("Put with a canceled context: no error")
	}
	if _, err := db.Get(testContext(t), "c"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a canceled Put: Get = %v, want ErrNotFound", err)
	}
}

func testGetNotFound(t *testing.T, connect Connect) {
	db := handle(t, connect)
	put(t, db, record("present", 1))
	for _, id := range []string{"absent", "", "PRESENT", "present "} {
		if _, err := db.Get(testContext(t), id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

func testDelete(t *testing.T, connect Connect) {
	db := handle(t, connect)
	for _, id := range []string{"a", "b", "c"} {
		put(t, db, record(id, 1))
	}
	tests := []struct {
		ids  []string
		want int
	}{
		{nil, 0},
		{[]string{"unknown"}, 0},
		{[]string{"a", "unknown", "b"}, 2},
		{[]string{"a"}, 0},
	}
	for _, tt := range tests {
		n, err := db.Delete(testContext(t), tt.ids...)
		if err != nil || n != tt.want {
			t.Errorf("Delete(%q) = %d, %v; want %d", tt.ids, n, err, tt.want)
		}
	}
	for _, id := range []string{"a", "b"} {
		if _, err := db.Get(testContext(t), id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(%s) after Delete = %v, want ErrNotFound", id, err)
		}
	}
	assertRecord(t, get(t, db, "c"), record("c", 1))

	// A deleted id can be stored again, as new.
	if _, replaced := put(t, db, record("a", 2)); replaced {
		t.Error("Put after Delete: replaced = true")
	}
	assertRecord(t, get(t, db, "a"), record("a", 2))
}

func testReopenKeepsData(t *testing.T, connect Connect) {
	db := connect(t)
	put(t, db, record("kept", 1))
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	again := handle(t, connect)
	assertRecord(t, get(t, again, "kept"), record("kept", 1))
}

func testScanAll(t *testing.T, connect Connect) {
	db := handle(t, connect)
	if seq, err := db.Scan(testContext(t), func(store.Record) error { return nil }); err != nil || seq != 0 {
		t.Errorf("Scan of an empty store = %d, %v; want 0, nil", seq, err)
	}
	want := map[string]store.Record{}
	var last int64
	for i := range 25 {
		r := record(fmt.Sprintf("art-%02d", i), i)
		want[r.Article.ID] = r
		last, _ = put(t, db, r)
	}
	if n, err := db.Delete(testContext(t), "art-07"); err != nil || n != 1 {
		t.Fatalf("Delete = %d, %v", n, err)
	}
	delete(want, "art-07")

	got := map[string]store.Record{}
	seq, err := db.Scan(testContext(t), func(r store.Record) error {
		if _, dup := got[r.Article.ID]; dup {
			t.Errorf("Scan gave %s twice", r.Article.ID)
		}
		got[r.Article.ID] = r
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if seq <= last {
		t.Errorf("Scan seq = %d, want after the last Put's %d (the Delete came later)", seq, last)
	}
	if len(got) != len(want) {
		t.Errorf("Scan gave %d records, want %d", len(got), len(want))
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("Scan missed %s", id)
			continue
		}
		assertRecord(t, g, w)
	}

	// The scan's seq is where Changes continues: nothing before it, and a
	// later Put from another handle right after it.
	changes, err := db.Changes(testContext(t), seq, 0)
	if err != nil || len(changes) != 0 {
		t.Errorf("Changes(scan seq) = %v, %v; want none", changes, err)
	}
	other := handle(t, connect)
	next, _ := put(t, other, record("later", 1))
	changes, err = db.Changes(testContext(t), seq, 0)
	if err != nil || len(changes) != 1 || changes[0].ID != "later" || changes[0].Seq != next {
		t.Errorf("Changes(scan seq) after a Put = %+v, %v; want only later at %d", changes, err, next)
	}
}

func testScanStopsOnError(t *testing.T, connect Connect) {
	db := handle(t, connect)
	for i := range 5 {
		put(t, db, record(fmt.Sprintf("s%d", i), i))
	}
	stop := errors.New("stop here")
	calls := 0
	_, err := db.Scan(testContext(t), func(store.Record) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("Scan = %v, want the callback's error", err)
	}
	if calls != 1 {
		t.Errorf("Scan called fn %d times after it failed, want 1", calls)
	}
}

func testChangesOrderAndLimit(t *testing.T, connect Connect) {
	db := handle(t, connect)
	if got, err := db.Changes(testContext(t), 0, 0); err != nil || len(got) != 0 {
		t.Errorf("Changes of an empty store = %v, %v; want none", got, err)
	}
	type step struct {
		id      string
		deleted bool
	}
	steps := []step{{"a", false}, {"b", false}, {"c", false}, {"b", true}, {"d", false}, {"a", false}}
	var want []store.Change
	for i, s := range steps {
		if s.deleted {
			if _, err := db.Delete(testContext(t), s.id); err != nil {
				t.Fatal(err)
			}
			// Delete returns no seq; the store's latest is the deletion's.
			info, err := db.Info(testContext(t))
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, store.Change{Seq: info.Seq, ID: s.id, Deleted: true})
			continue
		}
		seq, _ := put(t, db, record(s.id, i))
		want = append(want, store.Change{Seq: seq, ID: s.id})
	}
	for i := 1; i < len(want); i++ {
		if want[i].Seq <= want[i-1].Seq {
			t.Fatalf("seqs do not grow: %+v", want)
		}
	}
	tests := []struct {
		since int64
		limit int
		want  []store.Change
	}{
		{0, 0, want},
		{0, -1, want},
		{0, 2, want[:2]},
		{want[1].Seq, 0, want[2:]},
		{want[1].Seq, 3, want[2:5]},
		{want[len(want)-1].Seq, 0, nil},
		{want[len(want)-1].Seq + 100, 0, nil},
	}
	for _, tt := range tests {
		got, err := db.Changes(testContext(t), tt.since, tt.limit)
		if err != nil {
			t.Errorf("Changes(%d, %d): %v", tt.since, tt.limit, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Changes(%d, %d) =\n%+v\nwant\n%+v", tt.since, tt.limit, got, tt.want)
		}
	}
}
