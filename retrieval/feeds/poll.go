package feeds

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// pollResult is what one poll of a feed found.
type pollResult struct {
	notModified bool
	title       string
	validators  Validators
	// seen is the feed's current items (ID -> version) to remember.
	seen map[string]string
	// stored counts the feed's items now stored that were not before.
	stored int
	// itemErrs are items that yielded no article; they are retried.
	itemErrs []error
}

// poll fetches one feed, stores what is new and records the outcome.
func (p *Poller) poll(ctx context.Context, fe *feedEntry) error {
	fe.mu.Lock()
	defer fe.mu.Unlock()
	start := p.now()
	res, err := p.fetchFeed(ctx, fe)
	if ctx.Err() != nil && err != nil {
		return err // shutting down: not the feed's fault, record nothing
	}
	p.record(fe, start, res, err)
	return err
}

// fetchFeed does the work of poll, without touching the state.
func (p *Poller) fetchFeed(ctx context.Context, fe *feedEntry) (pollResult, error) {
	p.mu.Lock()
	st := p.stateLocked(fe)
	v := st.Validators
	p.mu.Unlock()

	resp, err := p.fetcher.Get(ctx, fe.url, v)
	if err != nil {
		return pollResult{}, err
	}
	if resp.NotModified {
		return pollResult{notModified: true}, nil
	}
	k, doc := sniff(resp.ContentType, resp.Body)
	if k != kindFeed {
		return pollResult{}, fmt.Errorf("not a feed (Content-Type %q)", resp.ContentType)
	}
	feed, err := parseFeed(doc)
	if err != nil {
		return pollResult{}, err
	}
	items := feedItems(feed, resp.URL, fe.name, p.fetcher.maxItems)
	res := pollResult{title: oneLine(plainTitle(feed.Title)), validators: resp.Validators, seen: map[string]string{}}

	var todo []item
	var cutoff time.Time
	if p.maxAge > 0 {
		cutoff = p.now().Add(-p.maxAge)
	}
	p.mu.Lock()
	for _, it := range items {
		prev, seenHere := st.Seen[it.id]
		switch {
		case !cutoff.IsZero() && !it.published.IsZero() && it.published.Before(cutoff):
			res.seen[it.id] = it.version // too old to store: remember, skip
		case seenHere && prev == it.version:
			res.seen[it.id] = it.version // unchanged
		case !seenHere && (p.known[it.id] || p.claims[it.id]):
			// New to this feed but stored, or being fetched, through
			// another: versions are per feed, so only this feed's own
			// update of the item makes it fetched again.
			res.seen[it.id] = it.version
			res.stored++
		default:
			p.claims[it.id] = true
			todo = append(todo, it)
		}
	}
	p.mu.Unlock()
	defer p.unclaim(todo)

	arts, itemErrs := p.fetcher.itemArticles(ctx, todo)
	res.itemErrs = itemErrs
	if len(arts) > 0 {
		p.sinkMu.Lock()
		err := p.sink(ctx, arts)
		p.sinkMu.Unlock()
		if err != nil {
			return pollResult{}, fmt.Errorf("store articles: %w", err)
		}
	}
	version := make(map[string]string, len(todo))
	for _, it := range todo {
		version[it.id] = it.version
	}
	p.mu.Lock()
	for _, a := range arts {
		res.seen[a.ID] = version[a.ID]
		p.known[a.ID] = true
	}
	p.mu.Unlock()
	res.stored += len(arts)
	return res, nil
}

func (p *Poller) unclaim(items []item) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, it := range items {
		delete(p.claims, it.id)
	}
}

// record updates fe's state with a poll's outcome, logs it and saves.
func (p *Poller) record(fe *feedEntry, start time.Time, res pollResult, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stateLocked(fe)
	st.LastFetch = start
	st.retryAfter = 0
	if err != nil {
		st.Failures++
		st.LastError = oneLine(err.Error())
		var he *HTTPError
		if errors.As(err, &he) {
			st.retryAfter = he.RetryAfter
		}
		p.log.Warn("feed fetch failed", "feed", label(fe), "failures", st.Failures, "err", st.LastError)
		p.saveLocked()
		return
	}
	st.Failures = 0
	st.LastSuccess = start
	st.LastError = ""
	if res.notModified {
		p.log.Debug("feed not modified", "feed", label(fe))
		p.saveLocked()
		return
	}
	st.Title = res.title
	st.Seen = res.seen
	st.Items = len(res.seen) + len(res.itemErrs)
	st.Articles += res.stored
	if len(res.itemErrs) == 0 {
		st.Validators = res.validators
	} else {
		// Without validators the next poll gets the whole feed again, so
		// the failed items are retried even if the feed has not changed.
		st.Validators = Validators{}
		st.LastError = fmt.Sprintf("%d of %d items unreadable: %s", len(res.itemErrs), st.Items, oneLine(res.itemErrs[0].Error()))
		p.log.Warn("feed items unreadable", "feed", label(fe), "count", len(res.itemErrs), "first", res.itemErrs[0])
	}
	p.log.Info("feed fetched", "feed", label(fe), "items", st.Items, "new", res.stored)
	p.saveLocked()
}

// saveLocked writes the state file; p.mu must be held. A failure is
// logged: losing state costs refetching, not data.
func (p *Poller) saveLocked() {
	p.adoptOthersLocked()
	if err := writeState(p.state, p.states); err != nil {
		p.log.Error("saving feed state failed", "err", err)
	}
}
