package sqlite

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
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

// BenchmarkTurnSaveLoad measures what conversation memory costs an answer
// (one SaveTurn under three keys: last and two message parts) and a
// follow-up (one LoadTurn) on the embedded store.
func BenchmarkTurnSaveLoad(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	mem := store.Memory(db, "telegram")
	a := &bot.Article{ID: "a", Title: "T", Text: strings.Repeat("A sentence of an article. ", 40)}
	t := bot.Turn{Chain: []string{"q1", "q2"}, At: time.Now(), Answer: bot.Answer{Question: "q2", Answered: true,
		Quotes: []bot.Quote{bot.NewQuote(a, bot.Span{Start: 0, End: 200}, 1), bot.NewQuote(a, bot.Span{Start: 200, End: 400}, 1)}}}
	b.Run("save", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := strconv.Itoa(i)
			if err := bot.SaveTurn(ctx, mem, t, 0, "chat:1:last", "chat:1:msg:"+k, "chat:1:msg:x"+k); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, ok, err := bot.LoadTurn(ctx, mem, "chat:1:last"); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
}
