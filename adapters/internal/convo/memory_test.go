package convo

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/internal/memtest"
	"newsbot/bot"
)

func keys() Keys[int64, int] {
	return Keys[int64, int]{
		Last:    func(p int64) string { return fmt.Sprintf("p:%d:last", p) },
		Message: func(p int64, id int) string { return fmt.Sprintf("p:%d:msg:%d", p, id) },
	}
}

// clock is a settable clock for the memory.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestMemoryFollowUps(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)}
	m := NewMemory(Config[int64, int]{Limits: Limits{Places: 10, Messages: 16, Chain: 3}, Keys: keys(), Now: c.now})
	window := 5 * time.Minute
	ans := func(q string) bot.Answer { return bot.Answer{Question: q, Answered: true} }

	if got := m.Previous(ctx, 1, 0, window); got != nil {
		t.Fatalf("unknown place: previous = %q, want nil", got)
	}
	m.Remember(ctx, 1, []int{10, 11}, nil, "q1", ans("q1"))
	m.Remember(ctx, 1, []int{20}, m.Previous(ctx, 1, 0, window), "q2", ans("q2"))
	start := c.t

	tests := []struct {
		name    string
		replyTo int
		within  time.Duration // the follow-up window; 0 in a group
		at      time.Time
		want    []string
	}{
		{"private soon", 0, window, start.Add(time.Minute), []string{"q1", "q2"}},
		{"private late", 0, window, start.Add(time.Hour), nil},
		{"group without reply", 0, 0, start, nil},
		{"reply to first answer, second part", 11, 0, start.Add(time.Hour), []string{"q1"}},
		{"reply to second answer", 20, 0, start, []string{"q1", "q2"}},
		{"reply to unknown message in private", 99, window, start, []string{"q1", "q2"}},
		{"reply to unknown message in group", 99, 0, start, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = tt.at
			got := m.Previous(ctx, 1, tt.replyTo, tt.within)
			if !slices.Equal(got, tt.want) {
				t.Errorf("previous = %q, want %q", got, tt.want)
			}
		})
	}
	if a := m.Answer(ctx, 1, 10); a == nil || a.Question != "q1" {
		t.Errorf("Answer(reply to 10) = %+v, want q1", a)
	}
	if a := m.Answer(ctx, 1, 0); a == nil || a.Question != "q2" {
		t.Errorf("Answer(last) = %+v, want q2", a)
	}
	if a := m.Answer(ctx, 2, 0); a != nil {
		t.Errorf("Answer(unknown place) = %+v, want nil", a)
	}
	// Returned chains are copies.
	m.Previous(ctx, 1, 20, 0)[0] = "changed"
	if got := m.Previous(ctx, 1, 20, 0); got[0] != "q1" {
		t.Error("Previous returned the stored chain")
	}
}

func TestMemoryBounded(t *testing.T) {
	ctx := context.Background()
	const msgs = 16
	m := NewMemory(Config[int64, int]{Limits: Limits{Places: 3, Messages: msgs, Chain: 3, QuestionBytes: 500}, Keys: keys()})
	for p := int64(1); p <= 5; p++ {
		m.Remember(ctx, p, []int{1}, nil, "q", bot.Answer{})
	}
	if len(m.places) != 3 || m.lru.Len() != 3 {
		t.Fatalf("remembering %d places, want 3", len(m.places))
	}
	if m.Answer(ctx, 1, 0) != nil || m.Answer(ctx, 5, 0) == nil {
		t.Error("the least recently used places should be forgotten first")
	}

	// Messages per place are capped, oldest forgotten first.
	for id := 1; id <= msgs+5; id++ {
		m.Remember(ctx, 9, []int{id}, nil, fmt.Sprint("q", id), bot.Answer{})
	}
	st := m.get(9, false)
	if len(st.byMsg) != msgs || len(st.order) != msgs {
		t.Errorf("place remembers %d messages, want %d", len(st.byMsg), msgs)
	}
	if st.byMsg[1] != nil || st.byMsg[msgs+5] == nil {
		t.Error("the oldest messages should be forgotten first")
	}

	// Chains are capped and their questions truncated on rune boundaries.
	var prev []string
	for i := range 10 {
		prev = m.extend(prev, strings.Repeat("é", 500)+fmt.Sprint(i))
	}
	if len(prev) != 3 {
		t.Errorf("chain has %d questions, want 3", len(prev))
	}
	for _, q := range prev {
		if len(q) > 500 || !strings.HasPrefix(q, "éé") || strings.ContainsRune(q, '\uFFFD') {
			t.Errorf("question badly truncated: %d bytes", len(q))
		}
	}
}

func TestMemoryChainWhole(t *testing.T) {
	// Without QuestionBytes questions are kept whole; Chain keeps the newest.
	m := NewMemory(Config[string, string]{Limits: Limits{Places: 10, Messages: 100, Chain: 5}})
	long := make([]string, 15)
	for i := range long {
		long[i] = fmt.Sprint("q", i, strings.Repeat("x", 600))
	}
	m.Remember(context.Background(), "c", []string{"x"}, long[:14], long[14], bot.Answer{})
	got := m.Local("c", "x").Chain
	if !slices.Equal(got, long[10:]) {
		t.Errorf("chain kept %d questions, want the last 5 whole", len(got))
	}
	if m.Local("c", "") != nil {
		t.Error("the zero message ID names no message")
	}
}

func TestExtendDoesNotAlias(t *testing.T) {
	m := NewMemory(Config[int64, int]{Limits: Limits{Chain: 3}})
	base := make([]string, 1, 10)
	base[0] = "a"
	x := m.extend(base, "x")
	y := m.extend(base, "y")
	if x[1] != "x" || y[1] != "y" {
		t.Errorf("chains share storage: %q %q", x, y)
	}
}

func TestMemoryShared(t *testing.T) {
	ctx := context.Background()
	shared := &memtest.Map{}
	cfg := Config[int64, int]{Limits: Limits{Places: 10, Messages: 16, Chain: 3}, Keys: keys(), Shared: shared}
	a, b := NewMemory(cfg), NewMemory(cfg)
	a.Remember(ctx, 1, []int{7}, []string{"q1"}, "q2", bot.Answer{Question: "q2"})
	if got := b.Previous(ctx, 1, 7, 0); !slices.Equal(got, []string{"q1", "q2"}) {
		t.Errorf("another replica's follow-up continues %q", got)
	}
	if b.Local(1, 7) == nil {
		t.Error("what the shared memory yields is not kept")
	}
	if ans := b.Answer(ctx, 1, 0); ans == nil || ans.Question != "q2" {
		t.Errorf("another replica's last answer = %+v", ans)
	}

	// A shared memory that is down: this replica's own memory, and a log.
	var logs strings.Builder
	down := &memtest.Map{}
	down.SetDown(true)
	cfg.Shared = down
	cfg.Log = slog.New(slog.NewTextHandler(&logs, nil))
	cfg.Scrub = func(s string) string { return strings.ReplaceAll(s, "unreachable", "[scrubbed]") }
	d := NewMemory(cfg)
	d.Remember(ctx, 1, []int{7}, nil, "q1", bot.Answer{Question: "q1"})
	if ans := d.Answer(ctx, 1, 0); ans == nil || ans.Question != "q1" {
		t.Errorf("last answer with the shared memory down = %+v", ans)
	}
	if !strings.Contains(logs.String(), "shared conversation memory unreachable") ||
		!strings.Contains(logs.String(), "could not share the conversation") ||
		!strings.Contains(logs.String(), "memtest: store [scrubbed]") {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestLimitsOverride(t *testing.T) {
	l := Limits{Places: 512, Messages: 16, Chain: 3, QuestionBytes: 500}
	l.Override(0, 7)
	if l != (Limits{Places: 512, Messages: 16, Chain: 7, QuestionBytes: 500}) {
		t.Errorf("Override(0, 7) = %+v", l)
	}
	l.Override(9, -1)
	if l.Places != 9 || l.Chain != 7 {
		t.Errorf("Override(9, -1) = %+v", l)
	}
}
