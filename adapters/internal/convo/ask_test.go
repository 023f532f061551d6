package convo

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

func TestGate(t *testing.T) {
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	g := NewGate(1)
	var refusals, notices []bool
	refused := func(notify bool) { refusals = append(refusals, notify) }
	limited := func(_ time.Duration, notify bool) { notices = append(notices, notify) }

	if g.Admit(log, "u", false, nil, limited) || g.Admit(log, "u", false, refused, limited) || g.Admit(log, "u", false, refused, limited) {
		t.Fatal("a person not allowed was admitted")
	}
	if !slices.Equal(refusals, []bool{true, false}) {
		t.Errorf("refusal notices %v, want one (silent refusals use none)", refusals)
	}
	if !g.Admit(log, "v", true, refused, limited) {
		t.Fatal("the first question was not admitted")
	}
	for range 2 {
		if g.Admit(log, "v", true, refused, limited) {
			t.Fatal("the second question within a minute was admitted")
		}
	}
	if !slices.Equal(notices, []bool{true, false}) {
		t.Errorf("rate-limit notices %v, want the first only", notices)
	}
	for _, want := range []string{`msg="ignoring message outside the allowlist" user=u notified=false`, `msg="rate limited" user=v`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// asker answers with the question it got, or fails.
type asker struct {
	got []bot.Question
	err error
}

func (a *asker) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	a.got = append(a.got, q)
	return bot.Answer{Answered: a.err == nil}, a.err
}

func (a *asker) Info(context.Context) (bot.Info, error) { return bot.Info{}, nil }

func TestAsk(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	m := NewMemory(Config[string, string]{Limits: Limits{Places: 10, Messages: 10, Chain: 3}})
	a := &asker{}
	var sent []bot.Answer
	var failed []string
	q := func(text, replyTo string) Question[string, string] {
		return Question[string, string]{
			Place: "c", Text: text, ReplyTo: replyTo,
			Send: func(_ context.Context, ans bot.Answer) []string {
				sent = append(sent, ans)
				return []string{text + "-msg"}
			},
			Fail: func(_ context.Context, msg string) { failed = append(failed, msg) },
		}
	}
	Ask(ctx, log, nil, a, m, q("first?", ""))
	Ask(ctx, log, nil, a, m, q("and then?", "first?-msg"))
	if len(a.got) != 2 || a.got[0].Previous != nil || !slices.Equal(a.got[1].Previous, []string{"first?"}) {
		t.Fatalf("asked %+v", a.got)
	}
	if len(sent) != 2 || sent[1].Question != "and then?" {
		t.Errorf("sent %+v; an answer without its question gets the one asked", sent)
	}
	if got := m.Local("c", "and then?-msg"); got == nil || !slices.Equal(got.Chain, []string{"first?", "and then?"}) {
		t.Errorf("remembered %+v", got)
	}

	a.err = errors.New("boom")
	Ask(ctx, log, func(s string) string { return s }, a, m, q("fails?", ""))
	if len(failed) != 1 || failed[0] != bot.UserMessage(a.err) || m.Local("c", "fails?-msg") != nil {
		t.Errorf("failure: told %q, remembered %v", failed, m.Local("c", "fails?-msg"))
	}
}
