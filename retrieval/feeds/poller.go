package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/ingest"
)

// Sink stores articles. An article whose ID is already stored replaces it.
// The Poller never calls it concurrently.
type Sink func(ctx context.Context, arts []bot.Article) error

// DeleteFunc deletes the articles published before olderThan and returns
// how many it deleted.
type DeleteFunc func(ctx context.Context, olderThan time.Time) (int, error)

// Config configures a Poller.
type Config struct {
	// Feeds are the feeds to poll.
	Feeds []FeedConfig
	// Interval is the poll interval of feeds without their own
	// (default DefaultInterval).
	Interval time.Duration
	// MaxAgeDays, when > 0, skips items published longer ago and makes
	// Prune (run hourly by Run) delete such articles.
	MaxAgeDays int
	// StatePath is the JSON file feed state is kept in; empty keeps it in
	// memory only.
	StatePath string
	// State, when set, keeps the feed state instead of StatePath (newsbot
	// keeps it in the store of record).
	State StateKeeper
}

// Backoff after failures: the first retry comes after retryBase, each
// further one waits twice as long, up to maxBackoff.
const (
	retryBase  = time.Minute
	maxBackoff = 6 * time.Hour
	// maxRetryAfter bounds how long a server's Retry-After can silence a feed.
	maxRetryAfter = 24 * time.Hour
	pruneEvery    = time.Hour
	// pollWorkers bounds the feeds PollOnce fetches at the same time.
	pollWorkers = 4
)

// Poller polls feeds and hands new or changed articles to a sink.
type Poller struct {
	fetcher *Fetcher
	sink    Sink
	del     DeleteFunc
	log     *slog.Logger
	feeds   []*feedEntry
	maxAge  time.Duration
	state   StateKeeper
	now     func() time.Time
	rand    func() float64
	leaser  bot.Leaser      // shares the work with other replicas; nil: none
	holder  string          // this replica, in leases
	observe func(error)     // told each scheduled poll's outcome; may be nil
	mine    map[string]bool // feed keys this replica polled last; see lease.go
	pruning bool            // this replica held RetentionLease at its last turn

	sinkMu sync.Mutex

	mu     sync.Mutex
	states map[string]*feedState // by feedKey
	known  map[string]bool       // article IDs stored through any feed
	claims map[string]bool       // article IDs being fetched now
}

// feedEntry is one configured feed.
type feedEntry struct {
	key      string
	url      string
	name     string
	interval time.Duration
	mu       sync.Mutex // one poll of a feed at a time
}

// PollerOption configures a Poller.
type PollerOption func(*Poller)

// WithRetention sets the function Prune uses to delete old articles.
func WithRetention(del DeleteFunc) PollerOption { return func(p *Poller) { p.del = del } }

// WithPollerLogger sets the logger (default slog.Default()).
func WithPollerLogger(l *slog.Logger) PollerOption { return func(p *Poller) { p.log = l } }

// NewPoller checks cfg and loads the saved state.
func NewPoller(cfg Config, f *Fetcher, sink Sink, opts ...PollerOption) (*Poller, error) {
	p := &Poller{
		fetcher: f, sink: sink, log: slog.Default(), state: cfg.State,
		maxAge: time.Duration(cfg.MaxAgeDays) * 24 * time.Hour,
		now:    time.Now, rand: rand.Float64,
		known: map[string]bool{}, claims: map[string]bool{}, mine: map[string]bool{},
	}
	for _, o := range opts {
		o(p)
	}
	interval := cfg.Interval
	if interval == 0 {
		interval = DefaultInterval
	}
	seen := map[string]bool{}
	for i, fc := range cfg.Feeds {
		if _, err := checkURL(fc.URL); err != nil {
			return nil, fmt.Errorf("feeds[%d] url: %w", i, err)
		}
		key := feedKey(fc.URL)
		if seen[key] {
			return nil, fmt.Errorf("feeds[%d]: %s is listed twice", i, redact(fc.URL))
		}
		seen[key] = true
		fe := &feedEntry{key: key, url: fc.URL, name: fc.Name, interval: interval}
		if fc.Interval != "" {
			d, err := parseInterval(fc.Interval)
			if err != nil {
				return nil, fmt.Errorf("feeds[%d] interval: %w", i, err)
			}
			fe.interval = d
		}
		p.feeds = append(p.feeds, fe)
	}
	if p.state == nil {
		p.state = FileState(cfg.StatePath)
	}
	states, err := readState(p.state)
	if err != nil {
		return nil, err
	}
	p.states = states
	for _, fe := range p.feeds {
		st := p.stateLocked(fe)
		for id := range st.Seen {
			p.known[id] = true
		}
	}
	return p, nil
}

// feedKey identifies a feed in the state and its lease: its URL without
// credentials (RedactURL), canonical. Two feeds that differ only in
// credentials are one feed.
func feedKey(raw string) string {
	raw = RedactURL(raw)
	if k, err := ingest.CanonicalURL(raw); err == nil {
		return k
	}
	return raw
}

// stateLocked returns fe's state, creating it; p.mu must be held (or p not
// yet shared).
func (p *Poller) stateLocked(fe *feedEntry) *feedState {
	st, ok := p.states[fe.key]
	if !ok {
		st = &feedState{}
		p.states[fe.key] = st
	}
	st.URL, st.Name = RedactURL(fe.url), fe.name // credentials stay in the config
	return st
}

// Status returns the current status of the configured feeds, in config
// order.
func (p *Poller) Status() []FeedStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]FeedStatus, len(p.feeds))
	for i, fe := range p.feeds {
		out[i] = p.stateLocked(fe).FeedStatus
	}
	return out
}

// Run polls every feed on its interval until ctx is done, and prunes old
// articles hourly if retention is configured. A feed's first poll comes
// when its saved NextFetch says, or soon after start. Run returns ctx's
// error; feed errors are logged and recorded in the state, never returned.
func (p *Poller) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, fe := range p.feeds {
		wg.Go(func() { p.loop(ctx, fe) })
	}
	if p.maxAge > 0 && p.del != nil {
		wg.Go(func() { p.pruneLoop(ctx) })
	}
	wg.Wait()
	p.releaseAll(ctx)
	return ctx.Err()
}

func (p *Poller) loop(ctx context.Context, fe *feedEntry) {
	t := time.NewTimer(p.firstDelay(fe))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !p.holdsFeed(ctx, fe) {
			t.Reset(p.standbyDelay(fe))
			continue
		}
		err := p.poll(ctx, fe) // recorded and logged by poll
		if p.observe != nil && ctx.Err() == nil {
			p.observe(err)
		}
		p.renew(ctx, fe)
		t.Reset(p.nextDelay(fe))
	}
}

func (p *Poller) pruneLoop(ctx context.Context) {
	for {
		held := p.holds(ctx, RetentionLease, pruneEvery)
		p.mu.Lock()
		p.pruning = held && p.leaser != nil
		p.mu.Unlock()
		if held {
			if _, err := p.Prune(ctx); err != nil && ctx.Err() == nil {
				p.log.Error("retention: deleting old articles failed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(jitter(pruneEvery, p.rand())):
		}
	}
}

// firstDelay honours a saved NextFetch, else spreads the first polls of
// all feeds over a few seconds.
func (p *Poller) firstDelay(fe *feedEntry) time.Duration {
	p.mu.Lock()
	next := p.stateLocked(fe).NextFetch
	p.mu.Unlock()
	if d := next.Sub(p.now()); d > 0 {
		return min(d, fe.interval+maxBackoff)
	}
	return time.Duration(p.rand() * float64(min(fe.interval/10, 30*time.Second)))
}

// nextDelay is the wait before fe's next poll: its interval after a
// success, an exponential backoff after failures (at least the server's
// Retry-After); both ±10% jitter. It records NextFetch.
func (p *Poller) nextDelay(fe *feedEntry) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stateLocked(fe)
	d := jitter(delayAfter(fe.interval, st.Failures, st.retryAfter), p.rand())
	st.NextFetch = p.now().Add(d)
	p.saveLocked()
	return d
}

// delayAfter is the un-jittered wait after a poll that left failures
// consecutive failures.
func delayAfter(interval time.Duration, failures int, retryAfter time.Duration) time.Duration {
	if failures == 0 {
		return interval
	}
	d := maxBackoff
	if failures <= 20 {
		d = min(retryBase<<(failures-1), maxBackoff)
	}
	return max(d, min(retryAfter, maxRetryAfter))
}

// jitter spreads d by ±10%; r is uniform in [0, 1).
func jitter(d time.Duration, r float64) time.Duration {
	return d + time.Duration((r*0.2-0.1)*float64(d))
}

// PollOnce polls every feed once, now, a few at a time. It returns the
// feeds' errors joined (nil if all worked); each is also recorded.
func (p *Poller) PollOnce(ctx context.Context) error {
	p.pollingAll()
	errs := make([]error, len(p.feeds))
	sem := make(chan struct{}, pollWorkers)
	var wg sync.WaitGroup
	for i, fe := range p.feeds {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := p.poll(ctx, fe); err != nil {
				errs[i] = fmt.Errorf("%s: %w", label(fe), err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Prune deletes the articles older than MaxAgeDays through the retention
// function. Without retention it does nothing.
func (p *Poller) Prune(ctx context.Context) (int, error) {
	if p.maxAge <= 0 || p.del == nil {
		return 0, nil
	}
	cutoff := p.now().Add(-p.maxAge)
	n, err := p.del(ctx, cutoff)
	if err != nil {
		return n, fmt.Errorf("delete articles older than %s: %w", cutoff.Format(time.DateOnly), err)
	}
	if n > 0 {
		p.log.Info("retention: deleted old articles", "count", n, "older_than", cutoff.Format(time.DateOnly))
	}
	return n, nil
}

func label(fe *feedEntry) string {
	if fe.name != "" {
		return fe.name
	}
	return redact(fe.url)
}
