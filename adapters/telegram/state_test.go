package telegram

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

func TestConversationsFollowUps(t *testing.T) {
	c := newConversations(10)
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	window := 5 * time.Minute
	ans := func(q string) bot.Answer { return bot.Answer{Question: q, Answered: true} }

	if got := c.previous(1, 0, true, now, window); got != nil {
		t.Fatalf("unknown chat: previous = %q, want nil", got)
	}
	c.remember(1, []int{10, 11}, nil, "q1", ans("q1"), now)
	c.remember(1, []int{20}, c.previous(1, 0, true, now, window), "q2", ans("q2"), now)

	tests := []struct {
		name    string
		replyTo int
		private bool
		at      time.Time
		want    []string
	}{
		{"private soon", 0, true, now.Add(time.Minute), []string{"q1", "q2"}},
		{"private late", 0, true, now.Add(time.Hour), nil},
		{"group without reply", 0, false, now, nil},
		{"reply to first answer, second part", 11, false, now.Add(time.Hour), []string{"q1"}},
		{"reply to second answer", 20, false, now, []string{"q1", "q2"}},
		{"reply to unknown message in private", 99, true, now, []string{"q1", "q2"}},
		{"reply to unknown message in group", 99, false, now, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.previous(1, tt.replyTo, tt.private, tt.at, window)
			if !slices.Equal(got, tt.want) {
				t.Errorf("previous = %q, want %q", got, tt.want)
			}
		})
	}
	if a := c.lookup(1, 10); a == nil || a.Question != "q1" {
		t.Errorf("lookup(reply to 10) = %+v, want q1", a)
	}
	if a := c.lookup(1, 0); a == nil || a.Question != "q2" {
		t.Errorf("lookup(last) = %+v, want q2", a)
	}
	if a := c.lookup(2, 0); a != nil {
		t.Errorf("lookup(unknown chat) = %+v, want nil", a)
	}
}

func TestConversationsBounded(t *testing.T) {
	c := newConversations(3)
	now := time.Now()
	for chat := int64(1); chat <= 5; chat++ {
		c.remember(chat, []int{1}, nil, "q", bot.Answer{}, now)
	}
	if len(c.chats) != 3 || c.lru.Len() != 3 {
		t.Fatalf("remembering %d chats, want 3", len(c.chats))
	}
	if c.lookup(1, 0) != nil || c.lookup(5, 0) == nil {
		t.Error("the least recently used chats should be forgotten first")
	}

	// Messages per chat are capped, oldest forgotten first.
	for id := 1; id <= maxMsgsPerChat+5; id++ {
		c.remember(9, []int{id}, nil, fmt.Sprint("q", id), bot.Answer{}, now)
	}
	st := c.get(9, false)
	if len(st.byMsg) != maxMsgsPerChat || len(st.order) != maxMsgsPerChat {
		t.Errorf("chat remembers %d messages, want %d", len(st.byMsg), maxMsgsPerChat)
	}
	if st.byMsg[1] != nil || st.byMsg[maxMsgsPerChat+5] == nil {
		t.Error("the oldest messages should be forgotten first")
	}

	// Chains are capped and their questions truncated on rune boundaries.
	var prev []string
	for i := range 10 {
		prev = extend(prev, strings.Repeat("é", maxPreviousBytes)+fmt.Sprint(i))
	}
	if len(prev) != maxPrevious {
		t.Errorf("chain has %d questions, want %d", len(prev), maxPrevious)
	}
	for _, q := range prev {
		if len(q) > maxPreviousBytes || !strings.HasPrefix(q, "éé") || strings.ContainsRune(q, '\uFFFD') {
			t.Errorf("question badly truncated: %d bytes", len(q))
		}
	}
}

func TestExtendDoesNotAlias(t *testing.T) {
	base := make([]string, 1, 10)
	base[0] = "a"
	x := extend(base, "x")
	y := extend(base, "y")
	if x[1] != "x" || y[1] != "y" {
		t.Errorf("chains share storage: %q %q", x, y)
	}
}
