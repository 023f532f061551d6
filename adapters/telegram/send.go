package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/internal/redact"
)

// maxRetryAfter is the longest flood wait worth holding an answer for.
const maxRetryAfter = 2 * time.Minute

// retryPolicy bounds how withRetry tries a call again. A 429 waits what
// Telegram asks; other transient failures back off exponentially from
// first to most, with jitter so that many answers failing at once do not
// come back at once.
type retryPolicy struct {
	attempts int           // calls in all, the first included; 0: no cap (total bounds them)
	first    time.Duration // first back-off
	most     time.Duration // cap on one back-off
	total    time.Duration // cap on the time from the first call to the last; 0: the policy is unset
}

// defaultRetry gives a setup call (getMe, deleteWebhook, setWebhook…) six
// calls over at most about 8 s of back-off, so that serve soon reports an
// unreachable Telegram down and its supervisor takes over the retrying.
var defaultRetry = retryPolicy{attempts: 6, first: 250 * time.Millisecond, most: 4 * time.Second, total: 3 * time.Minute}

// defaultSendRetry keeps trying a send for up to 3 minutes: the answer is
// computed and Telegram will not deliver its question again (the update is
// confirmed), so giving up after a few seconds, as the soak test found,
// lost every answer in flight when Telegram was unreachable for longer.
// The back-off grows to 15 s, so an outage costs a few log lines an
// answer, not one every 4 s.
var defaultSendRetry = retryPolicy{first: 250 * time.Millisecond, most: 15 * time.Second, total: 3 * time.Minute}

// retryPolicy returns the policy for method: the tests' overrides, when
// set, else the defaults above.
func (a *Adapter) retryPolicy(method string) retryPolicy {
	switch {
	case method == "sendMessage" && a.sendRetry.total > 0:
		return a.sendRetry
	case a.retry.total > 0:
		return a.retry
	case method == "sendMessage":
		return defaultSendRetry
	}
	return defaultRetry
}

// withRetry calls f until it succeeds, fails for good, or the policy's
// attempts or total time run out. It tries again after a 429 (waiting the
// retry_after Telegram gives), a 5xx answer, a connection reset or an
// attempt's timeout; any other error is returned at once, so a call that
// succeeded is never repeated. The error names method and wraps the last
// failure, or ctx's error if ctx ended first.
func withRetry[T any](ctx context.Context, a *Adapter, method string, f func(context.Context) (T, error)) (T, error) {
	p := a.retryPolicy(method)
	attempt := 0
	op := func() (T, error) {
		attempt++
		v, err := f(ctx)
		if err == nil {
			return v, nil
		}
		if ctx.Err() != nil {
			return v, backoff.Permanent(fmt.Errorf("%w after %w", ctx.Err(), err))
		}
		var tooMany *tgbot.TooManyRequestsError
		switch {
		case errors.As(err, &tooMany):
			wait := time.Duration(tooMany.RetryAfter) * time.Second
			if wait > maxRetryAfter {
				return v, backoff.Permanent(fmt.Errorf("Telegram asked to wait %s: %w", wait, err))
			}
			return v, fmt.Errorf("%w%.0w", err, backoff.RetryAfter(max(1, tooMany.RetryAfter)))
		case transient(err):
			return v, err
		default:
			return v, backoff.Permanent(err)
		}
	}
	exp := backoff.NewExponentialBackOff()
	exp.InitialInterval, exp.MaxInterval = p.first, p.most
	v, err := backoff.Retry(ctx, op,
		backoff.WithBackOff(exp),
		backoff.WithMaxTries(uint(p.attempts)),
		backoff.WithMaxElapsedTime(p.total),
		backoff.WithNotify(func(err error, wait time.Duration) {
			a.log.Info("telegram: call failed; retrying", "method", method, "attempt", attempt, "wait", wait, "err", a.redact(err))
		}),
	)
	if err != nil {
		return v, fmt.Errorf("%s: %w", method, err)
	}
	return v, nil
}

// redact returns err with the token (and its secret half on its own)
// replaced by "<token>" in its message; errors.Is and errors.As still see
// through it.
//
// Telegram puts the token in every request path, so transport errors quote it.
func (a *Adapter) redact(err error) error { return redact.Wrap(err, a.scrub) }

// scrub replaces the bot's secrets in msg with "<token>".
func (a *Adapter) scrub(msg string) string {
	for _, s := range a.secrets() {
		msg = strings.ReplaceAll(msg, s, "<token>")
	}
	return msg
}

// secrets lists the strings that must never be logged, longest first.
func (a *Adapter) secrets() []string {
	out := []string{a.cfg.Token}
	if _, secret, ok := strings.Cut(a.cfg.Token, ":"); ok && len(secret) >= 8 {
		out = append(out, secret)
	}
	if len(a.cfg.SecretToken) >= 8 {
		out = append(out, a.cfg.SecretToken)
	}
	return out
}

// target is where a reply goes.
type target struct {
	chat    int64
	thread  int // forum topic, 0 if none
	replyTo int // message to reply to, 0 for none
}

// sendAll sends the HTML messages parts in order, the first as a reply to
// t.replyTo, and returns the IDs of those sent. A part Telegram cannot
// parse is sent again as its visible text without markup. A failure is
// logged and ends the sending; it never reaches the caller.
func (a *Adapter) sendAll(ctx context.Context, t target, parts []string) []int {
	var ids []int
	for i, text := range parts {
		m, err := a.sendPart(ctx, t, text, i == 0)
		if err != nil {
			a.log.Error("telegram: send message failed", "chat_id", t.chat, "part", i+1, "parts", len(parts), "err", a.redact(err))
			return ids
		}
		ids = append(ids, m.ID)
	}
	return ids
}

// sendPart sends one HTML message, falling back to plain text when
// Telegram rejects the markup.
func (a *Adapter) sendPart(ctx context.Context, t target, html string, first bool) (*models.Message, error) {
	p := &tgbot.SendMessageParams{
		ChatID:             t.chat,
		MessageThreadID:    t.thread,
		Text:               html,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if first && t.replyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: t.replyTo, AllowSendingWithoutReply: true}
	}
	send := func(ctx context.Context) (*models.Message, error) { return a.tg.SendMessage(ctx, p) }
	m, err := withRetry(ctx, a, "sendMessage", send)
	if err == nil || !rejectedMarkup(err) {
		return m, err
	}
	// The text a reader sees is the same without the markup, quotes
	// included; only emphasis and link targets are lost. The rejected HTML
	// goes to the debug log for the bug report.
	a.log.Warn("telegram: Telegram could not parse a message's HTML; sending it as plain text", "chat_id", t.chat, "err", a.redact(err))
	a.log.Debug("telegram: rejected HTML", "chat_id", t.chat, "html", html)
	p.Text, p.ParseMode = visibleText(html), ""
	return withRetry(ctx, a, "sendMessage", send)
}

// rejectedMarkup reports whether err is Telegram refusing a message's
// entities (its HTML), which a resend as plain text avoids.
func rejectedMarkup(err error) bool {
	return errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "can't parse entities")
}

// send sends one HTML message; see sendAll.
func (a *Adapter) send(ctx context.Context, t target, text string) []int {
	return a.sendAll(ctx, t, []string{text})
}
