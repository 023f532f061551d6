package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsbot/retrieval/store"
)

func testWatchOtherHandle(t *testing.T, connect Connect) {
	watcher := handle(t, connect)
	writer := handle(t, connect)
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	ch := watcher.Watch(ctx)

	// Several rounds: a watch keeps firing, not just once; writes from the
	// watcher's own handle count too, and so do deletions.
	for round := range 3 {
		seq, _ := put(t, writer, record(fmt.Sprintf("w%d", round), round))
		waitForSeq(t, watcher, ch, seq)
	}
	seq, _ := put(t, watcher, record("own", 1))
	waitForSeq(t, watcher, ch, seq)
	if _, err := writer.Delete(testContext(t), "w0"); err != nil {
		t.Fatal(err)
	}
	info, err := writer.Info(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	waitForSeq(t, watcher, ch, info.Seq)
}

// waitForSeq waits for signals on ch until db's Changes reach seq. Signals
// may be coalesced or spurious, so each one is checked against Changes.
func waitForSeq(t *testing.T, db store.DB, ch <-chan struct{}, seq int64) {
	t.Helper()
	receiveUntil(t, ch, fmt.Sprintf("a Watch signal for change %d", seq), func(open bool) bool {
		if !open {
			t.Fatalf("Watch channel closed while its context is live (waiting for seq %d)", seq)
		}
		changes, err := db.Changes(testContext(t), seq-1, 0)
		if err != nil {
			t.Fatalf("Changes: %v", err)
		}
		return len(changes) > 0 && changes[0].Seq == seq
	})
}

// receiveUntil receives from ch until done, told whether ch is still
// open, returns true; it fails the test after hangGuard.
func receiveUntil(t *testing.T, ch <-chan struct{}, what string, done func(open bool) bool) {
	t.Helper()
	timeout := time.NewTimer(hangGuard)
	defer timeout.Stop()
	for {
		select {
		case _, open := <-ch:
			if done(open) {
				return
			}
		case <-timeout.C:
			t.Fatalf("still waiting after %v for %s", hangGuard, what)
		}
	}
}

func testWatchClosesWithContext(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx, cancel := context.WithCancel(testContext(t))
	ch := db.Watch(ctx)
	put(t, db, record("x", 1)) // a pending signal must not keep it open
	cancel()
	receiveUntil(t, ch, "the Watch channel to close after its context ended", func(open bool) bool { return !open })
}
