package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"newsbot/retrieval/store"
)

// sameText returns record(id, variant) carrying text variant textOf's
// text and text hash: the same article text under another id.
func sameText(id string, variant, textOf int) store.Record {
	r := record(id, variant)
	o := record("x", textOf)
	r.Article.Text, r.TextHash, r.Chunks = o.Article.Text, o.TextHash, o.Chunks
	return r
}

func testDuplicateTextRefused(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx := testContext(t)
	seq, _ := put(t, db, sameText("first", 1, 7))
	_, _, err := db.Put(ctx, sameText("second", 2, 7))
	if !errors.Is(err, store.ErrDuplicateText) {
		t.Fatalf("Put of a text another id holds: err = %v, want ErrDuplicateText", err)
	}
	if _, err := db.Get(ctx, "second"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused duplicate was stored (Get: %v)", err)
	}
	if ch, err := db.Changes(ctx, seq, 0); err != nil || len(ch) != 0 {
		t.Errorf("the refused duplicate left changes %v (%v)", ch, err)
	}
	// The holder may be replaced with its own text, and another id may
	// take the text once the holder changed or went.
	if _, replaced := put(t, db, sameText("first", 3, 7)); !replaced {
		t.Error("replacing the holder with the same text: replaced = false")
	}
	put(t, db, sameText("first", 4, 8))
	put(t, db, sameText("second", 5, 7))
	if _, _, err := db.Put(ctx, sameText("first", 6, 7)); !errors.Is(err, store.ErrDuplicateText) {
		t.Errorf("replacing an article with a text another id holds: err = %v, want ErrDuplicateText", err)
	}
	if got := get(t, db, "first"); got.TextHash != record("x", 8).TextHash {
		t.Error("a refused replacement changed the stored article")
	}
}

// testConcurrentDuplicateTexts races 2, 4 and 8 writers, on two handles,
// each storing the same texts under ids of its own (two processes
// ingesting overlapping files): every text must end up stored once.
func testConcurrentDuplicateTexts(t *testing.T, connect Connect) {
	handles := []store.DB{handle(t, connect), handle(t, connect)}
	const texts = 12
	base := 0
	for _, writers := range []int{2, 4, 8} {
		var wg sync.WaitGroup
		var stored, dups atomic.Int64
		for w := range writers {
			db := handles[w%len(handles)]
			wg.Go(func() {
				for i := range texts {
					// Writers overlap on most texts, in different orders.
					k := (i + w*5) % texts
					_, _, err := db.Put(testContext(t), sameText(fmt.Sprintf("n%d-w%d-t%d", writers, w, k), base+k, 1000+base+k))
					switch {
					case err == nil:
						stored.Add(1)
					case errors.Is(err, store.ErrDuplicateText):
						dups.Add(1)
					default:
						t.Errorf("Put: %v", err)
					}
				}
			})
		}
		wg.Wait()
		if stored.Load() != texts || dups.Load() != int64(writers*texts-texts) {
			t.Errorf("%d writers: %d stored, %d duplicates; want %d and %d", writers, stored.Load(), dups.Load(), texts, writers*texts-texts)
		}
		base += texts
	}
	seen := map[string]string{}
	n := 0
	if _, err := handles[0].Scan(testContext(t), func(r store.Record) error {
		n++
		if other, ok := seen[r.TextHash]; ok {
			t.Errorf("text stored twice: %s and %s", other, r.Article.ID)
		}
		seen[r.TextHash] = r.Article.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 3*texts {
		t.Errorf("%d articles stored, want %d", n, 3*texts)
	}
}
