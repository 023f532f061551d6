package ratelimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	r := New(2, time.Minute)
	r.now = func() time.Time { return now }
	for i, want := range []bool{true, true, false} {
		if ok, _ := r.Allow("u"); ok != want {
			t.Fatalf("event %d: allowed %v", i, ok)
		}
	}
	if ok, _ := r.Allow("other"); !ok {
		t.Fatal("keys share a budget")
	}
	_, wait := r.Allow("u")
	if wait <= 0 || wait > time.Minute {
		t.Fatalf("wait %v", wait)
	}
	now = now.Add(61 * time.Second)
	if ok, _ := r.Allow("u"); !ok {
		t.Fatal("window did not slide")
	}
	var off *Limiter
	if ok, _ := off.Allow("x"); !ok {
		t.Fatal("nil limiter must allow")
	}
}
