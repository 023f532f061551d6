package discord

import (
	"time"

	"newsbot/adapters/internal/convo"
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

// Default bounds on conversation memory (see WithConversationLimits). A
// channel keeps the question chains of its most recent answer messages and
// its last answer; the least recently used channels are forgotten first.
const (
	maxChannels        = 1000
	maxMessagesPerChan = 100
	maxChainLen        = 5
)

var defaultLimits = convo.Limits{Places: maxChannels, Messages: maxMessagesPerChan, Chain: maxChainLen}

// WithConversationLimits bounds the process's conversation memory: how
// many channels it remembers (1,000 by default) and how many questions a
// conversation keeps, the newest included (5). n <= 0 keeps a default.
func WithConversationLimits(channels, chain int) Option {
	return func(a *Adapter) { a.limits.Override(channels, chain) }
}

// newMemory returns the conversation memory configured by a's options.
func (a *Adapter) newMemory() *convo.Memory[string, string] {
	return convo.NewMemory(convo.Config[string, string]{
		Limits: a.limits,
		Keys:   convo.Keys[string, string]{Last: lastKey, Message: msgKey},
		Shared: a.shared,
		TTL:    a.sharedTTL,
		Log:    a.log,
		Scrub:  a.sc.scrub,
	})
}
