package discord

import (
	"context"
	"time"

	"newsbot/bot"
)

// WithMemory keeps conversations (the question chains of the bot's
// answers, the answer /sources lists) in m, shared by every replica and
// shard, as well as in the process's bounded cache: a reply that reaches
// another replica, or this one after a restart, still continues its
// conversation. Entries expire after ttl (bot.DefaultTurnTTL when
// ttl <= 0). When m fails, the adapter carries on with what this process
// remembers and logs the error.
func WithMemory(m bot.Memory, ttl time.Duration) Option {
	return func(a *Adapter) { a.shared, a.sharedTTL = m, ttl }
}

// Keys in the shared memory.
func lastKey(channelID string) string       { return "chan:" + channelID + ":last" }
func msgKey(channelID, msgID string) string { return "chan:" + channelID + ":msg:" + msgID }

// chain returns the question chain that the bot's message msgID answered,
// or nil. A chain never changes once stored, so the local cache is asked
// first and what the shared memory yields is cached.
func (a *Adapter) chain(ctx context.Context, channelID, msgID string) []string {
	if c := a.mem.chain(channelID, msgID); len(c) > 0 || a.shared == nil {
		return c
	}
	t, ok, err := bot.LoadTurn(ctx, a.shared, msgKey(channelID, msgID))
	if err != nil {
		a.log.Warn("shared conversation memory unreachable; using this replica's", "err", a.sc.scrub(err.Error()))
		return nil
	}
	if !ok || len(t.Chain) == 0 {
		return nil
	}
	a.mem.cache(channelID, msgID, t.Chain)
	return boundChain(t.Chain)
}

// lastAnswer returns the channel's latest answer. Another replica may
// have given it, so the shared memory is asked first and this process's
// memory only when that fails.
func (a *Adapter) lastAnswer(ctx context.Context, channelID string) (bot.Answer, bool) {
	if a.shared != nil {
		t, ok, err := bot.LoadTurn(ctx, a.shared, lastKey(channelID))
		if err == nil {
			return t.Answer, ok
		}
		a.log.Warn("shared conversation memory unreachable; using this replica's", "err", a.sc.scrub(err.Error()))
	}
	return a.mem.lastAnswer(channelID)
}

// remember stores an answer sent as msgIDs locally and, when configured,
// in the shared memory under each message and as the channel's latest.
func (a *Adapter) remember(ctx context.Context, channelID string, msgIDs []string, chain []string, ans bot.Answer) {
	chain = a.mem.remember(channelID, msgIDs, chain, ans)
	if a.shared == nil {
		return
	}
	keys := []string{lastKey(channelID)}
	for _, id := range msgIDs {
		if id != "" {
			keys = append(keys, msgKey(channelID, id))
		}
	}
	t := bot.Turn{Chain: chain, Answer: ans, At: time.Now()}
	if err := bot.SaveTurn(ctx, a.shared, t, a.sharedTTL, keys...); err != nil {
		a.log.Warn("could not share the conversation with other replicas", "err", a.sc.scrub(err.Error()))
	}
}
