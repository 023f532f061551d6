package discord

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// closer records whether work was still in flight when it was closed.
type closer struct {
	mu       sync.Mutex
	released bool
	closedAt chan bool // receives released at Close
}

func (c *closer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closedAt <- c.released
	return nil
}

func TestShutdownClosesAfterInFlightWork(t *testing.T) {
	logs := newLogBuffer()
	a, err := New(Config{Token: "t"}, newFakeAsker(), WithShutdownTimeout(hangGuard),
		WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	a.hctx = context.Background()
	_, done, ok := a.begin()
	if !ok {
		t.Fatal("begin refused before shutdown")
	}
	c := &closer{closedAt: make(chan bool, 1)}
	go a.shutdown(c, func() {})
	logs.waitFor(t, "shutting down")
	if _, _, ok := a.begin(); ok {
		t.Error("begin accepted work after shutdown started")
	}
	c.mu.Lock()
	c.released = true
	c.mu.Unlock()
	done()
	select {
	case released := <-c.closedAt:
		if !released {
			t.Error("session closed while work was in flight")
		}
	case <-time.After(hangGuard):
		t.Fatal("session never closed")
	}
}

func TestShutdownCancelsWorkAfterGrace(t *testing.T) {
	a, err := New(Config{Token: "t"}, newFakeAsker(), WithShutdownTimeout(10*time.Millisecond),
		WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	hctx, cancel := context.WithCancel(context.Background())
	a.hctx = hctx
	ctx, done, _ := a.begin()
	go func() { <-ctx.Done(); done() }() // work that stops only when cancelled
	c := &closer{closedAt: make(chan bool, 1)}
	go a.shutdown(c, cancel)
	select {
	case <-c.closedAt:
	case <-time.After(hangGuard):
		t.Fatal("shutdown did not cancel stuck work and close")
	}
	if ctx.Err() == nil {
		t.Error("work in flight was not cancelled")
	}
}
