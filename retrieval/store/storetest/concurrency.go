package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"newsbot/retrieval/store"
)

func testConcurrentPuts(t *testing.T, connect Connect) {
	handles := []store.DB{handle(t, connect), handle(t, connect)}
	const writers, perWriter = 8, 10
	var (
		wg          sync.WaitGroup
		mu          sync.Mutex
		seqs        []int64
		sharedFresh int // Puts of the shared id that replaced nothing
	)
	// A follower reads Changes while the writers write, as a replica does:
	// an engine whose seqs become visible out of order makes it skip one.
	done := make(chan struct{})
	followed := make(chan []int64, 1)
	go func() { followed <- follow(t, handles[1], done) }()

	for w := range writers {
		db := handles[w%len(handles)]
		wg.Go(func() {
			for i := range perWriter {
				r := record(fmt.Sprintf("w%d-%d", w, i), w*perWriter+i)
				if i%5 == 0 {
					r = record("shared", w*perWriter+i) // every writer also replaces one common article
				}
				seq, replaced, err := db.Put(testContext(t), r)
				if err != nil {
					t.Errorf("Put(%s): %v", r.Article.ID, err)
					return
				}
				mu.Lock()
				seqs = append(seqs, seq)
				if r.Article.ID == "shared" && !replaced {
					sharedFresh++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(done)
	seen := <-followed
	if t.Failed() {
		return
	}

	slices.Sort(seqs)
	if len(slices.Compact(slices.Clone(seqs))) != len(seqs) {
		t.Errorf("concurrent Puts returned duplicate seqs: %v", seqs)
	}
	if sharedFresh != 1 {
		t.Errorf("%d concurrent Puts of one id reported replaced = false, want 1", sharedFresh)
	}
	const wantRecords = writers*perWriter - writers*perWriter/5 + 1
	n := 0
	seq, err := handles[0].Scan(testContext(t), func(r store.Record) error {
		n++
		if len(r.Chunks) != 2 {
			t.Errorf("%s: %d chunks, want 2 (a Put mixed with another)", r.Article.ID, len(r.Chunks))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != wantRecords {
		t.Errorf("Scan after concurrent Puts saw %d records, want %d", n, wantRecords)
	}
	if seq != seqs[len(seqs)-1] {
		t.Errorf("Scan seq = %d, want the last Put's %d", seq, seqs[len(seqs)-1])
	}
	changes, err := handles[1].Changes(testContext(t), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var changeSeqs []int64
	for _, c := range changes {
		changeSeqs = append(changeSeqs, c.Seq)
	}
	if !slices.Equal(changeSeqs, seqs) {
		t.Errorf("Changes seqs =\n%v\nwant the Puts' seqs in order\n%v", changeSeqs, seqs)
	}
	if !slices.Equal(seen, seqs) {
		t.Errorf("a follower polling Changes during the Puts saw seqs\n%v\nwant\n%v", seen, seqs)
	}
}

// follow polls db.Changes from 0 until done is closed, then once more, and
// returns every seq it saw, in the order seen.
func follow(t *testing.T, db store.DB, done <-chan struct{}) []int64 {
	var since int64
	var seen []int64
	poll := func() bool {
		changes, err := db.Changes(testContext(t), since, 0)
		if err != nil {
			t.Errorf("Changes(%d): %v", since, err)
			return false
		}
		for _, c := range changes {
			seen = append(seen, c.Seq)
			since = c.Seq
		}
		return true
	}
	for {
		select {
		case <-done:
			poll()
			return seen
		default:
			if !poll() {
				return seen
			}
			time.Sleep(time.Millisecond)
		}
	}
}

func testInfo(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx := testContext(t)
	empty, err := db.Info(ctx)
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	if empty.Engine == "" || empty.Location == "" || empty.SchemaVersion <= 0 || empty.Seq != 0 || empty.Bytes < 0 {
		t.Errorf("Info of an empty store = %+v; want engine, location, schema version > 0, seq 0", empty)
	}
	seq, _ := put(t, db, record("i", 1))
	for name, h := range map[string]store.DB{"same handle": db, "other handle": handle(t, connect)} {
		info, err := h.Info(ctx)
		if err != nil {
			t.Fatalf("%s: Info: %v", name, err)
		}
		if info.Seq != seq || info.Engine != empty.Engine || info.SchemaVersion != empty.SchemaVersion {
			t.Errorf("%s: Info after a Put = %+v; want seq %d, the same engine and schema", name, info, seq)
		}
	}
}
