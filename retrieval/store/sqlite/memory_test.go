package sqlite

import (
	"bytes"
	"context"
	"testing"
	"time"

	"newsbot/retrieval/store"
)

// store.Memory over a real DB: absent keys are nil, namespaces are apart,
// ttl expires and nil deletes.
func TestMemoryOverDB(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tg, dc := store.Memory(db, "telegram"), store.Memory(db, "discord")
	if v, err := tg.Load(ctx, "k"); v != nil || err != nil {
		t.Fatalf("absent key: %q, %v", v, err)
	}
	if err := tg.Save(ctx, "k", []byte("tg"), 0); err != nil {
		t.Fatal(err)
	}
	if err := tg.Save(ctx, "short", []byte("x"), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if v, _ := dc.Load(ctx, "k"); v != nil {
		t.Errorf("namespaces mix: discord sees %q", v)
	}
	if v, _ := tg.Load(ctx, "k"); !bytes.Equal(v, []byte("tg")) {
		t.Errorf("Load = %q", v)
	}
	time.Sleep(5 * time.Millisecond) // let the 1 ms ttl pass; not a timing assertion
	if v, err := tg.Load(ctx, "short"); v != nil || err != nil {
		t.Errorf("expired key: %q, %v", v, err)
	}
	if err := tg.Save(ctx, "k", nil, 0); err != nil {
		t.Fatal(err)
	}
	if v, _ := tg.Load(ctx, "k"); v != nil {
		t.Errorf("deleted key: %q", v)
	}
}
