package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/bot"
)

// Retrying after HTTP 429: the library returns the error with Telegram's
// retry_after and leaves the waiting to us.
const (
	maxRetries    = 5
	maxRetryAfter = 2 * time.Minute // longer flood waits are not worth holding an answer for
)

// withRetry calls f, and again after the wait Telegram asks for each time it
// answers 429 Too Many Requests.
func withRetry[T any](ctx context.Context, a *Adapter, method string, f func(context.Context) (T, error)) (T, error) {
	for attempt := 0; ; attempt++ {
		v, err := f(ctx)
		var tooMany *tgbot.TooManyRequestsError
		if err == nil || !errors.As(err, &tooMany) || attempt == maxRetries {
			return v, err
		}
		wait := time.Duration(tooMany.RetryAfter) * time.Second
		if wait > maxRetryAfter {
			return v, fmt.Errorf("%s: Telegram asked to wait %s: %w", method, wait, err)
		}
		if wait <= 0 {
			wait = time.Second
		}
		a.log.Info("telegram: rate limited by Telegram; retrying", "method", method, "retry_after", wait, "attempt", attempt+1)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return v, fmt.Errorf("%s: %w", method, ctx.Err())
		case <-t.C:
		}
	}
}

// redact returns err with the token (and its secret half on its own)
// replaced by "<token>" in its message; errors.Is and errors.As still see
// through it.
//
// Telegram puts the token in every request path, so transport errors quote it.
func (a *Adapter) redact(err error) error {
	return bot.Redact(err, func(msg string) string {
		for _, s := range a.secrets() {
			msg = strings.ReplaceAll(msg, s, "<token>")
		}
		return msg
	})
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
// t.replyTo, and returns the IDs of those sent. A failure is logged and
// ends the sending; it never reaches the caller.
func (a *Adapter) sendAll(ctx context.Context, t target, parts []string) []int {
	var ids []int
	for i, text := range parts {
		p := &tgbot.SendMessageParams{
			ChatID:             t.chat,
			MessageThreadID:    t.thread,
			Text:               text,
			ParseMode:          models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		}
		if i == 0 && t.replyTo != 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: t.replyTo, AllowSendingWithoutReply: true}
		}
		m, err := withRetry(ctx, a, "sendMessage", func(ctx context.Context) (*models.Message, error) {
			return a.tg.SendMessage(ctx, p)
		})
		if err != nil {
			a.log.Error("telegram: send message failed", "chat_id", t.chat, "part", i+1, "parts", len(parts), "err", a.redact(err))
			return ids
		}
		ids = append(ids, m.ID)
	}
	return ids
}

// send sends one HTML message; see sendAll.
func (a *Adapter) send(ctx context.Context, t target, text string) []int {
	return a.sendAll(ctx, t, []string{text})
}
