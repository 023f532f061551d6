// Package followtest is an in-process bot.Follower for the adapters' tests:
// it keeps follows per chat in memory, answers Follow with a canned best
// answer, and records every call.
package followtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"newsbot/bot"
)

// Call is one call a Follower received.
type Call struct {
	Method string // "Follow", "Following" or "Unfollow"
	Chat   bot.Chat
	Text   string // Follow's text
	N      int    // Unfollow's n
	All    bool   // Unfollow's all
}

// Follower is a bot.Follower kept in memory. Create it with New.
type Follower struct {
	mu      sync.Mutex
	now     time.Time
	follows []bot.Follow
	best    map[string]bot.Answer // by query
	errs    map[string]error      // by method: fail every call of it
	calls   []Call
	nextID  int64
}

// New returns an empty Follower whose follows are created at now.
func New(now time.Time) *Follower {
	return &Follower{now: now, best: map[string]bot.Answer{}, errs: map[string]error{}}
}

// Best makes Follow(query) answer with quotes as the current best answer.
func (f *Follower) Best(query string, quotes ...bot.Quote) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.best[query] = bot.Answer{Question: query, Answered: len(quotes) > 0, Quotes: quotes}
}

// Fail makes every call of method fail with err.
func (f *Follower) Fail(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs[method] = err
}

// Add stores fl as if it had been followed, and returns it with its ID.
func (f *Follower) Add(fl bot.Follow) bot.Follow {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	fl.ID = f.nextID
	if fl.Created.IsZero() {
		fl.Created = f.now
	}
	f.follows = append(f.follows, fl)
	return fl
}

// Calls returns the calls received so far.
func (f *Follower) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Follows returns every follow kept, of every chat.
func (f *Follower) Follows() []bot.Follow {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Follow(nil), f.follows...)
}

// Follow implements bot.Follower. A trailing "daily HH:MM Zone" becomes
// the follow's schedule.
func (f *Follower) Follow(_ context.Context, chat bot.Chat, text string) (bot.Follow, bot.Answer, error) {
	f.mu.Lock()
	f.calls = append(f.calls, Call{Method: "Follow", Chat: chat, Text: text})
	err := f.errs["Follow"]
	f.mu.Unlock()
	if err != nil {
		return bot.Follow{}, bot.Answer{}, err
	}
	fl := bot.Follow{Chat: chat, Query: text}
	if fields := strings.Fields(text); len(fields) >= 4 && strings.EqualFold(fields[len(fields)-3], "daily") {
		fl.Query = strings.Join(fields[:len(fields)-3], " ")
		fl.Daily, fl.Zone = fields[len(fields)-2], fields[len(fields)-1]
	}
	fl = f.Add(fl)
	f.mu.Lock()
	defer f.mu.Unlock()
	ans, ok := f.best[fl.Query]
	if !ok {
		ans = bot.Answer{Question: fl.Query}
	}
	return fl, ans, nil
}

// Following implements bot.Follower.
func (f *Follower) Following(_ context.Context, chat bot.Chat) ([]bot.Follow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Method: "Following", Chat: chat})
	if err := f.errs["Following"]; err != nil {
		return nil, err
	}
	var out []bot.Follow
	for _, fl := range f.follows {
		if fl.Chat == chat {
			out = append(out, fl)
		}
	}
	return out, nil
}

// Unfollow implements bot.Follower.
func (f *Follower) Unfollow(_ context.Context, chat bot.Chat, n int, all bool) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Method: "Unfollow", Chat: chat, N: n, All: all})
	if err := f.errs["Unfollow"]; err != nil {
		return 0, err
	}
	var kept []bot.Follow
	removed, i := 0, 0
	for _, fl := range f.follows {
		if fl.Chat == chat {
			i++
			if all || i == n {
				removed++
				continue
			}
		}
		kept = append(kept, fl)
	}
	f.follows = kept
	return removed, nil
}

// String lists the calls, one a line, for test failures.
func (c Call) String() string {
	return fmt.Sprintf("%s(%s:%s %q n=%d all=%v)", c.Method, c.Chat.Platform, c.Chat.ID, c.Text, c.N, c.All)
}

var _ bot.Follower = (*Follower)(nil)

// CallStrings returns the calls received so far as strings (see
// Call.String), for comparing with a want list.
func (f *Follower) CallStrings() []string {
	var out []string
	for _, c := range f.Calls() {
		out = append(out, c.String())
	}
	return out
}

// Pushes returns one push of fl for each quote, numbered from 1, its Story
// the quote's article.
func Pushes(fl bot.Follow, quotes ...bot.Quote) []bot.Push {
	var out []bot.Push
	for i, q := range quotes {
		out = append(out, bot.Push{ID: int64(i + 1), FollowID: fl.ID, Chat: fl.Chat, Query: fl.Query, Quote: q, Story: q.ArticleID})
	}
	return out
}
