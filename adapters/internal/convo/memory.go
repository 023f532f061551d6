// Package convo is the chat adapters' one conversation layer: a memory of
// recent answers per chat or channel (a bounded LRU in the process over the
// bot.Memory every replica shares), and the ask pipeline every platform
// runs a question through: allow → rate limit → earlier questions → Ask →
// send → remember. The platforms supply what differs — who is allowed, how
// a notice or an answer is sent — as callbacks, and their own limits.
package convo

import (
	"container/list"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"newsbot/bot"
)

// Limits bound a Memory. A place's state is a few short questions and
// answers, so the worst case stays in the tens of megabytes.
type Limits struct {
	// Places is how many chats or channels are remembered; the least
	// recently used are forgotten first.
	Places int
	// Messages is how many of the bot's messages per place a reply can
	// continue from; the oldest are forgotten first.
	Messages int
	// Chain is how many questions a conversation keeps, the newest
	// included: a follow-up is asked with at most this many earlier ones.
	Chain int
	// QuestionBytes cuts each question kept to at most this many bytes (on
	// a rune boundary); it is context, not quoted. 0 keeps them whole.
	QuestionBytes int
}

// Override sets Places and Chain to places and chain where those are > 0,
// for the platforms' options.
func (l *Limits) Override(places, chain int) {
	if places > 0 {
		l.Places = places
	}
	if chain > 0 {
		l.Chain = chain
	}
}

// Keys name a place's entries in the shared memory.
type Keys[P, M comparable] struct {
	// Last is the key of the place's latest answer.
	Last func(place P) string
	// Message is the key of what the bot's message id answered.
	Message func(place P, id M) string
}

// Config configures a Memory.
type Config[P, M comparable] struct {
	Limits Limits
	Keys   Keys[P, M]
	// Shared holds conversations for every replica; nil: this process only.
	Shared bot.Memory
	// TTL is how long shared entries live (bot.DefaultTurnTTL when <= 0).
	TTL time.Duration
	// Log gets the shared memory's failures (slog.Default() when nil).
	Log *slog.Logger
	// Scrub removes secrets from an error's text before it is logged.
	Scrub func(string) string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Memory remembers recent answers per place (a chat, a channel) for
// follow-ups and /sources: in a bounded LRU of its own and, when
// configured, in the shared memory, so that a reply reaching another
// replica, or this one after a restart, still continues its conversation.
// When the shared memory fails, it carries on with what this process
// remembers and logs the error. P names a place and M one of the bot's
// messages; the zero M is no message. It is safe for concurrent use.
type Memory[P, M comparable] struct {
	cfg Config[P, M]

	mu     sync.Mutex
	lru    *list.List // of *place[P, M], most recently used first
	places map[P]*list.Element
}

// place is what is remembered about one chat or channel.
type place[P, M comparable] struct {
	id    P
	last  *bot.Turn
	byMsg map[M]*bot.Turn // the bot's message → what it answered
	order []M             // keys of byMsg, oldest first
}

// NewMemory returns an empty Memory.
func NewMemory[P, M comparable](cfg Config[P, M]) *Memory[P, M] {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Scrub == nil {
		cfg.Scrub = func(s string) string { return s }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Memory[P, M]{cfg: cfg, lru: list.New(), places: map[P]*list.Element{}}
}

// Now is the Memory's clock.
func (m *Memory[P, M]) Now() time.Time { return m.cfg.Now() }

// get returns p's state, marking it used; nil if unknown and !create. m.mu
// must be held.
func (m *Memory[P, M]) get(p P, create bool) *place[P, M] {
	if e, ok := m.places[p]; ok {
		m.lru.MoveToFront(e)
		return e.Value.(*place[P, M])
	}
	if !create {
		return nil
	}
	st := &place[P, M]{id: p, byMsg: map[M]*bot.Turn{}}
	m.places[p] = m.lru.PushFront(st)
	for m.lru.Len() > max(m.cfg.Limits.Places, 1) {
		old := m.lru.Back()
		m.lru.Remove(old)
		delete(m.places, old.Value.(*place[P, M]).id)
	}
	return st
}

// Local returns what the bot's message id in p answered as this process
// remembers it, or nil: no shared memory is asked.
func (m *Memory[P, M]) Local(p P, id M) *bot.Turn {
	var zero M
	if id == zero {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.get(p, false); st != nil {
		return st.byMsg[id]
	}
	return nil
}

// Message returns what the bot's message id in p answered, or nil if
// unknown (or id is zero). A turn never changes once stored, so this
// process's memory is asked first, and what the shared memory yields is
// kept.
func (m *Memory[P, M]) Message(ctx context.Context, p P, id M) *bot.Turn {
	if t := m.Local(p, id); t != nil {
		return t
	}
	var zero M
	if id == zero || m.cfg.Shared == nil {
		return nil
	}
	t, ok, err := bot.LoadTurn(ctx, m.cfg.Shared, m.cfg.Keys.Message(p, id))
	if err != nil {
		m.unreachable(err)
		return nil
	}
	if !ok || len(t.Chain) == 0 {
		return nil
	}
	t.Chain = m.bound(t.Chain)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(m.get(p, true), []M{id}, &t)
	return &t
}

// Last returns p's latest answer, or nil. Another replica may have given
// it, so the shared memory is asked first and this process's only when
// that fails.
func (m *Memory[P, M]) Last(ctx context.Context, p P) *bot.Turn {
	if m.cfg.Shared != nil {
		t, ok, err := bot.LoadTurn(ctx, m.cfg.Shared, m.cfg.Keys.Last(p))
		if err == nil {
			if !ok {
				return nil
			}
			t.Chain = m.bound(t.Chain)
			return &t
		}
		m.unreachable(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.get(p, false); st != nil {
		return st.last
	}
	return nil
}

// Previous returns the questions a new question in p continues, oldest
// first: those of the bot's message it replies to (replyTo, zero if none)
// or, failing that and with within > 0, those of p's latest answer if it
// came no longer than within ago.
func (m *Memory[P, M]) Previous(ctx context.Context, p P, replyTo M, within time.Duration) []string {
	if t := m.Message(ctx, p, replyTo); t != nil {
		return slices.Clone(t.Chain)
	}
	if within <= 0 {
		return nil
	}
	if t := m.Last(ctx, p); t != nil && m.cfg.Now().Sub(t.At) <= within {
		return slices.Clone(t.Chain)
	}
	return nil
}

// Answer returns the answer /sources lists: that of the bot's message
// replyTo if known, else p's latest; nil if neither is.
func (m *Memory[P, M]) Answer(ctx context.Context, p P, replyTo M) *bot.Answer {
	t := m.Message(ctx, p, replyTo)
	if t == nil {
		t = m.Last(ctx, p)
	}
	if t == nil {
		return nil
	}
	return &t.Answer
}

// Remember stores ans, sent as the bot's messages ids in p, as the answer
// to question after the earlier questions prev, and as p's latest answer,
// here and in the shared memory. It returns what it stored.
func (m *Memory[P, M]) Remember(ctx context.Context, p P, ids []M, prev []string, question string, ans bot.Answer) bot.Turn {
	t := &bot.Turn{Chain: m.extend(prev, question), Answer: ans, At: m.cfg.Now()}
	m.mu.Lock()
	st := m.get(p, true)
	st.last = t
	m.putLocked(st, ids, t)
	m.mu.Unlock()
	if m.cfg.Shared == nil {
		return *t
	}
	keys := []string{m.cfg.Keys.Last(p)}
	var zero M
	for _, id := range ids {
		if id != zero {
			keys = append(keys, m.cfg.Keys.Message(p, id))
		}
	}
	if err := bot.SaveTurn(ctx, m.cfg.Shared, *t, m.cfg.TTL, keys...); err != nil {
		m.cfg.Log.Warn("could not share the conversation with other replicas", "err", m.cfg.Scrub(err.Error()))
	}
	return *t
}

func (m *Memory[P, M]) unreachable(err error) {
	m.cfg.Log.Warn("shared conversation memory unreachable; using this replica's", "err", m.cfg.Scrub(err.Error()))
}

// putLocked maps the messages ids of st to t, forgetting the oldest beyond
// the bound; m.mu must be held.
func (m *Memory[P, M]) putLocked(st *place[P, M], ids []M, t *bot.Turn) {
	var zero M
	for _, id := range ids {
		if id == zero {
			continue
		}
		if _, ok := st.byMsg[id]; !ok {
			st.order = append(st.order, id)
		}
		st.byMsg[id] = t
	}
	for len(st.order) > max(m.cfg.Limits.Messages, 1) {
		delete(st.byMsg, st.order[0])
		st.order = st.order[1:]
	}
}

// extend returns a new chain of at most Limits.Chain questions ending with
// q, leaving prev untouched.
func (m *Memory[P, M]) extend(prev []string, q string) []string {
	if n := m.cfg.Limits.QuestionBytes; n > 0 && len(q) > n {
		q = truncateUTF8(q, n)
	}
	return m.bound(append(slices.Clip(prev), q))
}

// bound returns a copy of the last Limits.Chain questions of chain.
func (m *Memory[P, M]) bound(chain []string) []string {
	if n := max(m.cfg.Limits.Chain, 1); len(chain) > n {
		chain = chain[len(chain)-n:]
	}
	return slices.Clone(chain)
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
