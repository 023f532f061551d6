package convo

import (
	"context"
	"log/slog"
	"time"

	"newsbot/adapters/internal/ratelimit"
	"newsbot/bot"
)

// Gate is the first half of the ask pipeline, shared by every platform:
// whether a person may be answered here, and whether they are asking too
// fast. Each is logged the same way on every platform.
type Gate struct {
	// Limiter bounds questions per user; nil allows all.
	Limiter *ratelimit.Limiter
	// Notices bounds the notices sent per user (refusals, "slow down"), so
	// that a flood gets one reply; nil notifies every time.
	Notices *ratelimit.Limiter
}

// NewGate returns a Gate allowing perMinute questions a minute per user
// (perMinute <= 0: unlimited) and one notice a minute.
func NewGate(perMinute int) Gate {
	return Gate{Limiter: ratelimit.New(perMinute, time.Minute), Notices: ratelimit.New(1, time.Minute)}
}

// Admit decides whether user's message is acted on. When !allowed it logs
// the refusal and, if refused is not nil (the platform may tell the user),
// calls it with whether to (at most one notice a minute). When user is
// asking too fast it logs that and, likewise, calls limited with how long
// to wait and whether to tell the user. It reports whether to go on.
func (g Gate) Admit(log *slog.Logger, user string, allowed bool, refused func(notify bool), limited func(wait time.Duration, notify bool)) bool {
	if !allowed {
		notify := refused != nil && g.notice(user)
		log.Info("ignoring message outside the allowlist", "user", user, "notified", notify)
		if refused != nil {
			refused(notify)
		}
		return false
	}
	if ok, wait := g.Limiter.Allow(user); !ok {
		notify := limited != nil && g.notice(user)
		log.Info("rate limited", "user", user, "wait", wait, "notified", notify)
		if limited != nil {
			limited(wait, notify)
		}
		return false
	}
	return true
}

func (g Gate) notice(user string) bool {
	ok, _ := g.Notices.Allow(user)
	return ok
}

// Question is one question through the second half of the pipeline, with
// the platform's callbacks.
type Question[P, M comparable] struct {
	// Place is the chat or channel; Text the question.
	Place P
	Text  string
	// ReplyTo is the bot's message the question replies to (zero: none).
	ReplyTo M
	// ContinueWithin, when > 0, makes a question that replies to nothing a
	// follow-up of the place's latest answer if that came no longer ago.
	ContinueWithin time.Duration
	// Previous are the earlier questions when the platform looked them up
	// itself (Memory.Message, Memory.Local); when nil they are looked up
	// from ReplyTo and ContinueWithin.
	Previous []string
	// Working, if not nil, is called before asking; the function it
	// returns, after (e.g. a typing indicator). Returning false stops.
	Working func(ctx context.Context) (done func(), ok bool)
	// Send renders and sends the answer and returns the IDs of the
	// messages sent.
	Send func(ctx context.Context, ans bot.Answer) []M
	// Fail tells the user that asking failed, with msg (bot.UserMessage).
	Fail func(ctx context.Context, msg string)
}

// Ask runs q through the rest of the pipeline: earlier questions from mem →
// asker.Ask → q.Send → mem.Remember. A failure is logged (its text passed
// through scrub) and reported through q.Fail.
func Ask[P, M comparable](ctx context.Context, log *slog.Logger, scrub func(string) string, asker bot.Asker, mem *Memory[P, M], q Question[P, M]) {
	prev := q.Previous
	if prev == nil {
		prev = mem.Previous(ctx, q.Place, q.ReplyTo, q.ContinueWithin)
	}
	done := func() {}
	if q.Working != nil {
		d, ok := q.Working(ctx)
		if !ok {
			return
		}
		done = d
	}
	ans, err := asker.Ask(ctx, bot.Question{Text: q.Text, Previous: prev})
	done()
	if err != nil {
		if scrub == nil {
			scrub = func(s string) string { return s }
		}
		log.Error("answering failed", "err", scrub(err.Error()))
		q.Fail(ctx, bot.UserMessage(err))
		return
	}
	if ans.Question == "" {
		ans.Question = q.Text
	}
	ids := q.Send(ctx, ans)
	mem.Remember(ctx, q.Place, ids, prev, q.Text, ans)
	log.Debug("answered", "answered", ans.Answered, "messages", len(ids), "follow_up", len(prev) > 0)
}
