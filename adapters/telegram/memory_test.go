package telegram

import (
	"context"
	"slices"
	"strings"
	"testing"

	"newsbot/adapters/internal/memtest"
	"newsbot/bot"
)

// Two adapters sharing one memory act as two replicas behind one bot: each
// has its own fake Bot API here, so only the memory connects them.
func TestSharedMemoryAcrossReplicas(t *testing.T) {
	mem := &memtest.Map{}
	a := start(t, Config{}, WithMemory(mem, 0))
	b := start(t, Config{}, WithMemory(mem, 0))
	// Telegram numbers messages per chat across replicas; two fakes must
	// not hand out the same IDs.
	b.api.mu.Lock()
	b.api.nextMsg = 1000
	b.api.mu.Unlock()
	for _, h := range []*harness{a, b} {
		h.asker.on("what did Meloni say?", melonisQuote(t))
		h.asker.on("and the opposition?", zelenskysQuote(t))
	}

	_, answer := a.ask(groupMsg(group, bob, "@newsbot_bot what did Meloni say?"), 1)
	// A reply to replica A's answer reaches replica B.
	b.ask(replyTo(groupMsg(group, bob, "and the opposition?"), answer), 1)
	if qs := b.asker.questions(); !slices.Equal(qs[0].Previous, []string{"what did Meloni say?"}) {
		t.Errorf("follow-up on the other replica has Previous %q, want the first question", qs[0].Previous)
	}
	// /sources replying to A's answer, asked on B, lists A's sources.
	_, got := b.ask(replyTo(groupMsg(group, bob, "/sources"), answer), 2)
	if !strings.Contains(got.Text, "Meloni defends budget") {
		t.Errorf("/sources on the other replica: %q", got.Text)
	}
	// The last answer in the group was B's; A must list it, not its own.
	_, got = a.ask(groupMsg(group, bob, "/sources"), 2)
	if !strings.Contains(got.Text, kyivArticle.Title) || strings.Contains(got.Text, romeArticle.Title) {
		t.Errorf("/sources on A after B answered: %q", got.Text)
	}

	// A private follow-up within the window reaches the other replica.
	a.ask(privateMsg(alice, "what did Meloni say?"), 3)
	b.ask(privateMsg(alice, "and the opposition?"), 3)
	if qs := b.asker.questions(); !slices.Equal(qs[1].Previous, []string{"what did Meloni say?"}) {
		t.Errorf("private follow-up on the other replica has Previous %q", qs[1].Previous)
	}
	for k, ttl := range mem.Keys() {
		if ttl != bot.DefaultTurnTTL {
			t.Errorf("key %s saved with ttl %s, want %s", k, ttl, bot.DefaultTurnTTL)
		}
	}
}

// When the shared memory is unreachable the replica keeps its own.
func TestSharedMemoryDown(t *testing.T) {
	mem := &memtest.Map{}
	mem.SetDown(true)
	h := start(t, Config{}, WithMemory(mem, 0))
	h.asker.on("what did Meloni say?", melonisQuote(t))
	_, answer := h.ask(privateMsg(alice, "what did Meloni say?"), 1)
	h.ask(replyTo(privateMsg(alice, "and then?"), answer), 2)
	if qs := h.asker.questions(); !slices.Equal(qs[1].Previous, []string{"what did Meloni say?"}) {
		t.Errorf("follow-up with the shared memory down has Previous %q", qs[1].Previous)
	}
	_, got := h.ask(replyTo(privateMsg(alice, "/sources"), answer), 3)
	if !strings.Contains(got.Text, romeArticle.Title) {
		t.Errorf("/sources with the shared memory down: %q", got.Text)
	}
	if !strings.Contains(h.logs.String(), "shared conversation memory unreachable") {
		t.Error("an unreachable shared memory is not logged")
	}
}

func TestTurnRoundTrip(t *testing.T) {
	mem := &memtest.Map{}
	q := melonisQuote(t)
	want := bot.Turn{Chain: []string{"q1", "q2"}, Answer: bot.Answer{Question: "q2", Answered: true,
		Quotes: []bot.Quote{q}, Evidence: 0.7, Summary: "S [1]."}, At: march5}
	ctx := context.Background()
	if err := bot.SaveTurn(ctx, mem, want, 0, "k1", "k2"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"k1", "k2"} {
		got, ok, err := bot.LoadTurn(ctx, mem, k)
		if err != nil || !ok {
			t.Fatalf("LoadTurn(%s) = %v, %v", k, ok, err)
		}
		if !slices.Equal(got.Chain, want.Chain) || !got.At.Equal(want.At) || got.Answer.Summary != want.Answer.Summary ||
			len(got.Answer.Quotes) != 1 || got.Answer.Quotes[0] != q {
			t.Errorf("LoadTurn(%s) = %+v, want %+v", k, got, want)
		}
	}
	if _, ok, err := bot.LoadTurn(ctx, mem, "absent"); ok || err != nil {
		t.Errorf("absent key: ok=%v err=%v", ok, err)
	}
	mem.Save(ctx, "junk", []byte("not json"), 0)
	if _, ok, err := bot.LoadTurn(ctx, mem, "junk"); ok || err != nil {
		t.Errorf("unreadable value: ok=%v err=%v", ok, err)
	}
}
