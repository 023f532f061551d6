package follow

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"time"

	"newsbot/bot"
	"newsbot/bot/text"
)

// memStore is an in-memory bot.FollowStore with the contract's
// semantics: story uniqueness per follow, claims that run out.
type memStore struct {
	mu      sync.Mutex
	follows []bot.Follow
	pushes  []*memPush
	nextID  int64
	now     func() time.Time
	// failMark, when set, makes MarkSent fail for holder-less callers: a
	// replica dying between a send and its record.
	failMark bool
}

type memPush struct {
	bot.Push
	holder string
	until  time.Time
}

func newMemStore(now func() time.Time) *memStore { return &memStore{now: now} }

func (m *memStore) AddFollow(_ context.Context, f bot.Follow) (bot.Follow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextID++
	f.ID, f.Created = m.nextID, m.now()
	m.follows = append(m.follows, f)
	return f, nil
}

func (m *memStore) Follows(_ context.Context, chat bot.Chat) ([]bot.Follow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.Follow
	for _, f := range m.follows {
		if f.Chat == chat {
			out = append(out, f)
		}
	}
	return out, nil
}

func (m *memStore) AllFollows(context.Context) ([]bot.Follow, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.follows), nil
}

func (m *memStore) DeleteFollows(_ context.Context, chat bot.Chat, ids ...int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := map[int64]bool{}
	m.follows = slices.DeleteFunc(m.follows, func(f bot.Follow) bool {
		if f.Chat == chat && (len(ids) == 0 || slices.Contains(ids, f.ID)) {
			gone[f.ID] = true
		}
		return gone[f.ID]
	})
	m.pushes = slices.DeleteFunc(m.pushes, func(p *memPush) bool { return gone[p.FollowID] && p.Sent.IsZero() })
	return len(gone), nil
}

func (m *memStore) AddPush(_ context.Context, p bot.Push) (bot.Push, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, q := range m.pushes {
		if q.FollowID == p.FollowID && q.Story == p.Story {
			return q.Push, false, nil
		}
	}
	m.nextID++
	p.ID, p.Created = m.nextID, m.now()
	m.pushes = append(m.pushes, &memPush{Push: p})
	return p, true, nil
}

func (m *memStore) ClaimPushes(_ context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]bot.Push, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.Push
	for _, p := range m.pushes {
		if len(out) == limit {
			break
		}
		if !p.Sent.IsZero() || p.Due.After(now) || (p.holder != "" && p.until.After(now)) {
			continue
		}
		p.holder, p.until = holder, now.Add(ttl)
		out = append(out, p.Push)
	}
	return out, nil
}

func (m *memStore) MarkSent(_ context.Context, at time.Time, ids ...int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failMark {
		return errors.New("store unreachable")
	}
	for _, p := range m.pushes {
		if slices.Contains(ids, p.ID) {
			p.Sent = at
			for i := range m.follows {
				if m.follows[i].ID == p.FollowID {
					m.follows[i].LastPush = at
				}
			}
		}
	}
	return nil
}

func (m *memStore) Defer(_ context.Context, due time.Time, ids ...int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.pushes {
		if slices.Contains(ids, p.ID) {
			p.Due, p.Digest, p.holder = due, true, ""
		}
	}
	return nil
}

func (m *memStore) SentSince(_ context.Context, followID int64, since time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, p := range m.pushes {
		if p.FollowID == followID && !p.Sent.IsZero() && !p.Sent.Before(since) {
			n++
		}
	}
	return n, nil
}

// unsent returns the pushes not yet sent.
func (m *memStore) unsent() []bot.Push {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bot.Push
	for _, p := range m.pushes {
		if p.Sent.IsZero() {
			out = append(out, p.Push)
		}
	}
	return out
}

var _ bot.FollowStore = (*memStore)(nil)

// clock is a fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }

// sentMessage is one message a pusher sent.
type sentMessage struct {
	follow int64
	quotes []string
}

// fakePusher records what it sends; err, when set, is returned instead
// (accept: after recording, as a platform that accepted the message but
// whose answer was lost).
type fakePusher struct {
	mu     sync.Mutex
	sent   []sentMessage
	err    error
	accept bool
}

func (p *fakePusher) Push(_ context.Context, f bot.Follow, ps []bot.Push) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil && !p.accept {
		return p.err
	}
	m := sentMessage{follow: f.ID}
	for _, x := range ps {
		m.quotes = append(m.quotes, x.Quote.Text)
	}
	p.sent = append(p.sent, m)
	return p.err
}

func (p *fakePusher) messages() []sentMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sent)
}

// library is the fake news: a bot.Retriever (one passage per article)
// with a bot.TermWeigher over the articles it holds, and a Source of
// their changes.
type library struct {
	mu      sync.Mutex
	arts    map[string]*bot.Article
	changes []Change
	watch   chan struct{}
	// broken is an article whose searches fail.
	broken string
}

func newLibrary() *library {
	return &library{arts: map[string]*bot.Article{}, watch: make(chan struct{}, 1)}
}

// put stores a (replacing the article with its id) and records the change.
func (l *library) put(a bot.Article) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.arts[a.ID] = &a
	l.changes = append(l.changes, Change{Seq: int64(len(l.changes) + 1), ID: a.ID})
	select {
	case l.watch <- struct{}{}:
	default:
	}
}

func (l *library) Info(context.Context) (bot.Info, error) {
	return bot.Info{Articles: len(l.arts)}, nil
}

func (l *library) Search(_ context.Context, q bot.Query) ([]bot.Passage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken != "" && slices.Contains(q.Articles, l.broken) {
		return nil, errors.New("search failed")
	}
	qs := map[string]bool{}
	for _, s := range text.Stems(q.Text) {
		qs[s] = true
	}
	var out []bot.Passage
	for _, a := range l.arts {
		if len(q.Articles) > 0 && !slices.Contains(q.Articles, a.ID) {
			continue
		}
		hits := map[string]bool{}
		for _, s := range text.Stems(a.Title + " " + a.Text) {
			if qs[s] {
				hits[s] = true
			}
		}
		share := float64(len(hits)) / math.Max(1, float64(len(qs)))
		out = append(out, bot.Passage{Article: a, Span: bot.Span{End: len(a.Text)}, Sentences: text.Sentences(a.Text),
			Score: share, Dense: 0.2 + 0.6*share, Keyword: 5 * share})
	}
	slices.SortFunc(out, func(a, b bot.Passage) int { return cmpFloat(b.Score, a.Score) })
	return out[:min(len(out), max(q.K, 1))], nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// IDF implements bot.TermWeigher over the articles held.
func (l *library) IDF(stem string) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	df := 0
	for _, a := range l.arts {
		if slices.Contains(text.Stems(a.Title+" "+a.Text), stem) {
			df++
		}
	}
	if df == 0 {
		return 0
	}
	n := float64(len(l.arts))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

func (l *library) Changes(_ context.Context, seq int64, limit int) ([]Change, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if seq >= int64(len(l.changes)) {
		return nil, nil
	}
	return slices.Clone(l.changes[seq:min(int(seq)+limit, len(l.changes))]), nil
}

func (l *library) Latest(context.Context) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(len(l.changes)), nil
}

func (l *library) Article(id string) (bot.Article, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.arts[id]
	if !ok {
		return bot.Article{}, false
	}
	return *a, true
}

// Watch implements Source: put signals it. It is never closed.
func (l *library) Watch(context.Context) <-chan struct{} { return l.watch }

// memCursor is a Cursor in memory.
type memCursor struct {
	mu  sync.Mutex
	seq int64
	ok  bool
}

func (c *memCursor) Load(context.Context) (int64, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq, c.ok, nil
}

func (c *memCursor) Save(_ context.Context, seq int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq, c.ok = seq, true
	return nil
}

// memLeaser is a bot.Leaser in memory.
type memLeaser struct {
	mu     sync.Mutex
	holder string
	until  time.Time
	now    func() time.Time
}

func (l *memLeaser) Acquire(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.holder != "" && l.holder != holder && l.until.After(now) {
		return false, nil
	}
	l.holder, l.until = holder, now.Add(ttl)
	return true, nil
}

func (l *memLeaser) Release(_ context.Context, name, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.holder == holder {
		l.holder = ""
	}
	return nil
}
