package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"newsbot/retrieval/store"
)

// acquire calls db.Acquire and fails the test on error.
func acquire(t *testing.T, db store.DB, name, holder string, ttl time.Duration) bool {
	t.Helper()
	ok, err := db.Acquire(testContext(t), name, holder, ttl)
	if err != nil {
		t.Fatalf("Acquire(%s, %s): %v", name, holder, err)
	}
	return ok
}

// release calls db.Release and fails the test on error.
func release(t *testing.T, db store.DB, name, holder string) {
	t.Helper()
	if err := db.Release(testContext(t), name, holder); err != nil {
		t.Fatalf("Release(%s, %s): %v", name, holder, err)
	}
}

func testLeaseAcquireRelease(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	const lease = "feed:https://example.com/rss"
	steps := []struct {
		db     store.DB
		op     string // "acquire" or "release"
		name   string
		holder string
		want   bool
	}{
		{a, "acquire", lease, "replica-a", true},
		{b, "acquire", lease, "replica-b", false},
		{a, "acquire", lease, "replica-a", true},  // renewal
		{b, "release", lease, "replica-b", false}, // not the holder: no effect
		{b, "acquire", lease, "replica-b", false},
		{b, "acquire", "telegram", "replica-b", true}, // leases are independent
		{a, "acquire", "telegram", "replica-a", false},
		{a, "release", lease, "replica-a", false},
		{b, "acquire", lease, "replica-b", true},
		{a, "acquire", lease, "replica-a", false},
		{a, "release", "never-taken", "replica-a", false},
	}
	for i, s := range steps {
		switch s.op {
		case "acquire":
			if got := acquire(t, s.db, s.name, s.holder, time.Hour); got != s.want {
				t.Errorf("step %d: Acquire(%s, %s) = %v, want %v", i, s.name, s.holder, got, s.want)
			}
		case "release":
			release(t, s.db, s.name, s.holder)
		}
	}
}

func testLeaseExpiry(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	if !acquire(t, a, "poller", "replica-a", time.Millisecond) {
		t.Fatal("first Acquire failed")
	}
	waitUntil(t, "an expired lease to pass to another holder", func() bool {
		return acquire(t, b, "poller", "replica-b", time.Hour)
	})
	if acquire(t, a, "poller", "replica-a", time.Hour) {
		t.Error("the old holder took back a lease renewed by the new one")
	}
	// A renewal extends: a lease renewed with a long ttl does not expire
	// with the short one it was first taken with.
	if !acquire(t, a, "renewed", "replica-a", time.Millisecond) ||
		!acquire(t, a, "renewed", "replica-a", time.Hour) {
		t.Fatal("Acquire and renewal failed")
	}
	if !acquire(t, b, "witness", "replica-b", time.Millisecond) {
		t.Fatal("Acquire witness failed")
	}
	waitUntil(t, "a 1 ms lease to expire", func() bool {
		return acquire(t, a, "witness", "replica-a", time.Hour)
	})
	if acquire(t, b, "renewed", "replica-b", time.Hour) {
		t.Error("a renewed lease expired with its first ttl")
	}
}

func testLeaseOneWinner(t *testing.T, connect Connect) {
	handles := []store.DB{handle(t, connect), handle(t, connect)}
	for round := range 5 {
		name := fmt.Sprintf("lease-%d", round)
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			winners []string
		)
		for i := range 16 {
			db := handles[i%len(handles)]
			holder := fmt.Sprintf("holder-%d", i)
			wg.Go(func() {
				ok, err := db.Acquire(testContext(t), name, holder, time.Hour)
				if err != nil {
					t.Errorf("Acquire(%s, %s): %v", name, holder, err)
					return
				}
				if ok {
					mu.Lock()
					winners = append(winners, holder)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Errorf("%s: %d holders won the race (%v), want exactly 1", name, len(winners), winners)
		}
	}
}
