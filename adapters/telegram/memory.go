package telegram

import (
	"fmt"
	"time"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// Default bounds on conversation memory (see WithConversationLimits).
const (
	defaultMaxChats  = 512 // chats remembered, least recently used forgotten first
	maxMsgsPerChat   = 16  // bot messages per chat that a reply can continue from
	maxPrevious      = 3   // questions a conversation keeps, the newest included
	maxPreviousBytes = 500 // of each question kept; it is context, not quoted
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

// WithConversationLimits bounds the process's conversation memory: how
// many chats it remembers (512 by default) and how many questions a
// conversation keeps, the newest included (3). n <= 0 keeps a default.
func WithConversationLimits(chats, chain int) Option {
	return func(a *Adapter) { a.limits.Override(chats, chain) }
}

var defaultLimits = convo.Limits{Places: defaultMaxChats, Messages: maxMsgsPerChat, Chain: maxPrevious, QuestionBytes: maxPreviousBytes}

// Keys in the shared memory. Message IDs are per chat in Telegram.
func lastKey(chat int64) string        { return fmt.Sprintf("chat:%d:last", chat) }
func msgKey(chat int64, id int) string { return fmt.Sprintf("chat:%d:msg:%d", chat, id) }

// newMemory returns the conversation memory configured by a's options.
func (a *Adapter) newMemory() *convo.Memory[int64, int] {
	return convo.NewMemory(convo.Config[int64, int]{
		Limits: a.limits,
		Keys:   convo.Keys[int64, int]{Last: lastKey, Message: msgKey},
		Shared: a.shared,
		TTL:    a.sharedTTL,
		Log:    a.log,
		Scrub:  a.scrub,
		Now:    func() time.Time { return a.now() },
	})
}
