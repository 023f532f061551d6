package bot

import (
	"context"
	"errors"
	"time"
)

// Chat names one chat on one platform: where a follow was made and where
// its pushes go.
type Chat struct {
	// Platform is "telegram", "discord" or "cli".
	Platform string `json:"platform"`
	// ID is the platform's id of the chat (Telegram chat id, Discord
	// channel id, "" for the CLI).
	ID string `json:"id"`
}

// DefaultPerHour is how many pushes a follow sends in an hour before the
// rest wait for its digest.
const DefaultPerHour = 3

// Follow is a standing question: when a new article answers it, the bot
// pushes the quote to the chat that asked.
type Follow struct {
	// ID is assigned by the FollowStore; it is unique in the store.
	ID int64 `json:"id"`
	// Chat is where the follow was made and where pushes go.
	Chat Chat `json:"chat"`
	// Query is the topic or question as the user typed it, without the
	// command or the schedule.
	Query string `json:"query"`
	// PerHour bounds the pushes sent in any hour; the rest wait for the
	// digest. 0 means DefaultPerHour.
	PerHour int `json:"per_hour,omitempty"`
	// Daily, when not empty, is the time of day ("15:04", in Zone) the
	// digest is sent; when empty the digest goes at the start of the next
	// hour.
	Daily string `json:"daily,omitempty"`
	// Zone is the IANA time zone of Daily ("" means UTC).
	Zone string `json:"zone,omitempty"`
	// Created is when the follow was made.
	Created time.Time `json:"created"`
	// LastPush is when a push for it was last sent (zero: never).
	LastPush time.Time `json:"last_push,omitzero"`
}

// Push is one quote for one follow: recorded when a new article answers
// the follow, delivered once.
type Push struct {
	// ID is assigned by the FollowStore.
	ID int64 `json:"id"`
	// FollowID is the follow it answers; Chat and Query are the follow's,
	// carried so a push can be rendered on its own.
	FollowID int64  `json:"follow_id"`
	Chat     Chat   `json:"chat"`
	Query    string `json:"query"`
	// Quote is the sentence pushed, with its citation.
	Quote Quote `json:"quote"`
	// Story identifies the story: a follow never gets two pushes with the
	// same Story (the same article, or the same story from another feed
	// or as an updated copy).
	Story string `json:"story"`
	// Created is when the push was recorded; Due when it may be sent (its
	// digest's time when the hourly limit held it back).
	Created time.Time `json:"created"`
	Due     time.Time `json:"due"`
	// Digest is true when the push waits for (or went out in) a digest.
	Digest bool `json:"digest,omitempty"`
	// Sent is when it was delivered (zero: not yet).
	Sent time.Time `json:"sent,omitzero"`
}

// FollowStore keeps follows and their pushes in the store of record, so
// that they survive restarts and are shared by every replica. Every method
// is safe for concurrent use by many processes.
type FollowStore interface {
	// AddFollow stores f and returns it with its ID and Created set.
	AddFollow(ctx context.Context, f Follow) (Follow, error)
	// Follows returns a chat's follows, oldest first.
	Follows(ctx context.Context, chat Chat) ([]Follow, error)
	// AllFollows returns every follow, oldest first.
	AllFollows(ctx context.Context) ([]Follow, error)
	// DeleteFollows removes the chat's follows with the given ids (none:
	// all of the chat's follows) with their unsent pushes, and returns how
	// many follows it removed.
	DeleteFollows(ctx context.Context, chat Chat, ids ...int64) (int, error)

	// AddPush records p (ID and Created are set by the store) unless its
	// follow already has a push with the same Story; it reports whether p
	// was added. Of writers racing to add the same story exactly one adds.
	AddPush(ctx context.Context, p Push) (Push, bool, error)
	// ClaimPushes leases to holder, for ttl, up to limit unsent pushes due
	// at or before now, oldest first. A push claimed by a holder that did
	// not mark it sent before the lease ran out can be claimed again: that
	// is how a crashed replica's pushes are delivered by another.
	ClaimPushes(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]Push, error)
	// MarkSent records pushes as delivered at at, and their follows'
	// LastPush.
	MarkSent(ctx context.Context, at time.Time, ids ...int64) error
	// Defer sets the pushes' Due to due and Digest to true and releases
	// their claim: they wait for the digest.
	Defer(ctx context.Context, due time.Time, ids ...int64) error
	// SentSince counts a follow's pushes sent at or after since.
	SentSince(ctx context.Context, followID int64, since time.Time) (int, error)
}

// Follower manages follows for the chat adapters; they depend on this
// interface only.
type Follower interface {
	// Follow starts following text (a topic or question, optionally ending
	// with a schedule: "daily 08:00 Europe/London") in chat. It returns the
	// follow and the current best answer to it (Answered false when there
	// is none yet). Limits and bad schedules are *Error with a user
	// message.
	Follow(ctx context.Context, chat Chat, text string) (Follow, Answer, error)
	// Following returns the chat's follows, oldest first.
	Following(ctx context.Context, chat Chat) ([]Follow, error)
	// Unfollow removes the chat's follow number n (1-based, as Following
	// lists them), or all of them when all is true; it returns how many
	// were removed.
	Unfollow(ctx context.Context, chat Chat, n int, all bool) (int, error)
}

// Pusher delivers pushes on one platform.
type Pusher interface {
	// Push sends one follow's pushes to its chat: one message for one
	// push, a digest for several. It returns an error wrapping
	// ErrChatGone when the platform says the chat no longer exists or
	// blocked the bot; the follows of that chat are then dropped.
	Push(ctx context.Context, f Follow, ps []Push) error
}

// ErrChatGone is wrapped by a Pusher's error when the platform says the
// chat is gone or has blocked the bot (Telegram 403, Discord unknown
// channel).
var ErrChatGone = errors.New("the chat is gone or has blocked the bot")
