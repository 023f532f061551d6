package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"newsbot/retrieval/store"
)

func testValueRoundTrip(t *testing.T, connect Connect) {
	db := handle(t, connect)
	other := handle(t, connect)
	ctx := testContext(t)

	if v, err := db.Value(ctx, "feed", "missing"); !errors.Is(err, store.ErrNotFound) || v != nil {
		t.Errorf("Value of a missing key = %q, %v; want nil, ErrNotFound", v, err)
	}
	binary := []byte{0, 1, 0xff, 0xfe, '\n', 0, 'x', 0xc3, 0x28} // NULs and invalid UTF-8
	sets := []struct {
		namespace, key string
		value          []byte
	}{
		{"feed", "https://example.com/rss?x=ü", []byte(`{"etag":"W/\"1\""}`)},
		{"telegram", "https://example.com/rss?x=ü", binary}, // same key, other namespace
		{"discord", "chan:1", []byte{}},                     // empty, not deleted
		{"feed", "overwritten", []byte("old")},
		{"feed", "overwritten", []byte("new")},
	}
	for _, s := range sets {
		if err := db.SetValue(ctx, s.namespace, s.key, s.value, 0); err != nil {
			t.Fatalf("SetValue(%s, %s): %v", s.namespace, s.key, err)
		}
	}
	wants := []struct {
		namespace, key string
		value          []byte
	}{
		{"feed", "https://example.com/rss?x=ü", sets[0].value},
		{"telegram", "https://example.com/rss?x=ü", binary},
		{"discord", "chan:1", []byte{}},
		{"feed", "overwritten", []byte("new")},
	}
	for _, w := range wants {
		for name, h := range map[string]store.DB{"same handle": db, "other handle": other} {
			v, err := h.Value(ctx, w.namespace, w.key)
			if err != nil || !bytes.Equal(v, w.value) {
				t.Errorf("%s: Value(%s, %s) = %q, %v; want %q", name, w.namespace, w.key, v, err, w.value)
			}
		}
	}

	// A nil value deletes; deleting what is not there is no error.
	for _, key := range []string{"overwritten", "overwritten", "never-set"} {
		if err := other.SetValue(ctx, "feed", key, nil, 0); err != nil {
			t.Errorf("SetValue(feed, %s, nil): %v", key, err)
		}
	}
	if v, err := db.Value(ctx, "feed", "overwritten"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Value after deleting = %q, %v; want ErrNotFound", v, err)
	}
	if _, err := db.Value(ctx, "telegram", "https://example.com/rss?x=ü"); err != nil {
		t.Errorf("deleting in one namespace touched another: %v", err)
	}
}

func testValueTTL(t *testing.T, connect Connect) {
	db := handle(t, connect)
	ctx := testContext(t)
	set := func(key, value string, ttl time.Duration) {
		t.Helper()
		if err := db.SetValue(ctx, "ns", key, []byte(value), ttl); err != nil {
			t.Fatalf("SetValue(%s, ttl %v): %v", key, ttl, err)
		}
	}
	set("long", "stays", time.Hour)
	set("kept", "first", time.Millisecond)
	set("kept", "second", 0) // setting again without ttl makes it permanent
	set("gone", "soon", time.Millisecond)

	waitUntil(t, "a value with a 1 ms ttl to expire", func() bool {
		_, err := db.Value(ctx, "ns", "gone")
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Value: %v", err)
		}
		return errors.Is(err, store.ErrNotFound)
	})
	for key, want := range map[string]string{"long": "stays", "kept": "second"} {
		if v, err := db.Value(ctx, "ns", key); err != nil || string(v) != want {
			t.Errorf("Value(%s) = %q, %v; want %q", key, v, err, want)
		}
	}
	set("gone", "back", 0) // an expired key can be set again
	if v, err := db.Value(ctx, "ns", "gone"); err != nil || string(v) != "back" {
		t.Errorf("Value after setting an expired key again = %q, %v; want back", v, err)
	}
}
