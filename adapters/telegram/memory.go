package telegram

import (
	"context"
	"fmt"
	"time"

	"newsbot/bot"
)

// WithMemory keeps conversations (follow-up chains, the answers /sources
// lists) in m, shared by every replica, as well as in the process's own
// bounded cache: a reply that reaches another replica, or this one after a
// restart, still continues its conversation. Entries expire after ttl
// (bot.DefaultTurnTTL when ttl <= 0). When m fails, the adapter carries on
// with what this process remembers and logs the error.
func WithMemory(m bot.Memory, ttl time.Duration) Option {
	return func(a *Adapter) { a.shared, a.sharedTTL = m, ttl }
}

// Keys in the shared memory. Message IDs are per chat in Telegram.
func lastKey(chat int64) string        { return fmt.Sprintf("chat:%d:last", chat) }
func msgKey(chat int64, id int) string { return fmt.Sprintf("chat:%d:msg:%d", chat, id) }

// turns returns what the bot's message replyTo in chat answered (nil if
// unknown or replyTo is 0) and, only when that is nil and wantLast, the
// chat's last answer. The replied-to record never changes once stored, so
// the local cache is asked first; the last answer may have been given by
// another replica, so the shared memory is asked first for it.
func (a *Adapter) turns(ctx context.Context, chat int64, replyTo int, wantLast bool) (byMsg, last *record) {
	if byMsg = a.convos.message(chat, replyTo); byMsg == nil && replyTo != 0 && a.shared != nil {
		if r := a.loadShared(ctx, msgKey(chat, replyTo)); r != nil {
			a.convos.cache(chat, replyTo, r)
			byMsg = r
		}
	}
	if byMsg != nil || !wantLast {
		return byMsg, nil
	}
	if a.shared != nil {
		t, ok, err := bot.LoadTurn(ctx, a.shared, lastKey(chat))
		if err == nil {
			if ok {
				return nil, recordOf(t)
			}
			return nil, nil
		}
		a.log.Warn("telegram: shared conversation memory unreachable; using this replica's", "err", err)
	}
	return nil, a.convos.latest(chat)
}

// loadShared reads one record from the shared memory; nil if absent or
// unreachable (logged).
func (a *Adapter) loadShared(ctx context.Context, key string) *record {
	t, ok, err := bot.LoadTurn(ctx, a.shared, key)
	if err != nil {
		a.log.Warn("telegram: shared conversation memory unreachable; using this replica's", "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	return recordOf(t)
}

func recordOf(t bot.Turn) *record { return &record{chain: t.Chain, answer: t.Answer, at: t.At} }

// previous returns the questions a new question in chat continues; see
// conversations.previous.
func (a *Adapter) previous(ctx context.Context, chat int64, replyTo int, private bool) []string {
	// Only a private chat continues the last answer without a reply.
	byMsg, last := a.turns(ctx, chat, replyTo, private)
	return chainOf(byMsg, last, private, a.now(), a.followUpWindow)
}

// lookup returns the answer /sources lists; see conversations.lookup.
func (a *Adapter) lookup(ctx context.Context, chat int64, replyTo int) *bot.Answer {
	return answerOf(a.turns(ctx, chat, replyTo, true))
}

// remember stores an answer sent as msgIDs locally and, when configured,
// in the shared memory under each message and as the chat's last answer.
func (a *Adapter) remember(ctx context.Context, chat int64, msgIDs []int, prev []string, question string, ans bot.Answer) {
	r := a.convos.remember(chat, msgIDs, prev, question, ans, a.now())
	if a.shared == nil {
		return
	}
	keys := []string{lastKey(chat)}
	for _, id := range msgIDs {
		keys = append(keys, msgKey(chat, id))
	}
	t := bot.Turn{Chain: r.chain, Answer: r.answer, At: r.at}
	if err := bot.SaveTurn(ctx, a.shared, t, a.sharedTTL, keys...); err != nil {
		a.log.Warn("telegram: could not share the conversation with other replicas", "err", err)
	}
}
