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
// may be coalesced or spurious, so each one is checked against Changes;
// a change that never signals fails the test after hangGuard.
func waitForSeq(t *testing.T, db store.DB, ch <-chan struct{}, seq int64) {
	t.Helper()
	timeout := time.NewTimer(hangGuard)
	defer timeout.Stop()
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatalf("Watch channel closed while its context is live (waiting for seq %d)", seq)
			}
			changes, err := db.Changes(testContext(t), seq-1, 0)
			if err != nil {
				t.Fatalf("Changes: %v", err)
			}
			if len(changes) > 0 && changes[0].Seq == seq {
				return
			}
		case <-timeout.C:
			t.Fatalf("no Watch signal for change %d after %v", seq, hangGuard)
		}
	}
}

func testWatchClosesWithContext(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx, cancel := context.WithCancel(testContext(t))
	ch := db.Watch(ctx)
	put(t, db, record("x", 1)) // a pending signal must not keep it open
	cancel()
	timeout := time.NewTimer(hangGuard)
	defer timeout.Stop()
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout.C:
			t.Fatalf("Watch channel still open %v after its context ended", hangGuard)
		}
	}
}
