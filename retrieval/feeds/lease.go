package feeds

import (
	"context"
	"slices"
	"strings"
	"time"

	"newsbot/bot"
)

// RetentionLease is the lease whose holder runs retention deletions, so
// that replicas sharing a store do not all delete the same articles.
const RetentionLease = "retention"

// WithLeaser shares the polling with other replicas: before each poll of a
// feed, the Poller takes the lease "feed:"+URL for holder (unique per
// process), and skips the poll when another replica holds it; likewise the
// lease RetentionLease before each retention run. The lease lasts 1.25
// intervals and is renewed when a poll ends, so its holder keeps it from
// one poll to the next (±10% jitter included). A replica that skipped asks
// again after half an interval, so when the holder dies another takes the
// feed over within 1.25 + 0.55 = 1.8 intervals of its last poll. Without a
// leaser every process polls every feed (one process per store).
func WithLeaser(l bot.Leaser, holder string) PollerOption {
	return func(p *Poller) { p.leaser, p.holder = l, holder }
}

// leasePrefix starts the name of a feed's lease.
const leasePrefix = "feed:"

// leaseName is the lease of one feed.
func leaseName(fe *feedEntry) string { return leasePrefix + fe.key }

// loggable is a lease name fit for the log: a feed URL's password removed.
func loggable(name string) string {
	if u, ok := strings.CutPrefix(name, leasePrefix); ok {
		return leasePrefix + redact(u)
	}
	return name
}

// holds takes or renews lease name for ttl and reports whether this
// replica may do its work now. Without a leaser it always may; when the
// leaser fails it may not, since another replica may hold the lease.
func (p *Poller) holds(ctx context.Context, name string, ttl time.Duration) bool {
	if p.leaser == nil {
		return true
	}
	ok, err := p.leaser.Acquire(ctx, name, p.holder, ttl)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Warn("feeds: lease unavailable; skipping this turn", "lease", loggable(name), "err", err)
		}
		return false
	}
	if !ok {
		p.log.Debug("feeds: another replica holds the lease; skipping this turn", "lease", loggable(name))
	}
	return ok
}

// leaseTTL is how long a feed's lease lasts: longer than the holder's
// jittered wait for its next poll.
func leaseTTL(fe *feedEntry) time.Duration { return fe.interval + fe.interval/4 }

// renew extends fe's lease from the end of a poll, however long it took.
func (p *Poller) renew(ctx context.Context, fe *feedEntry) {
	if p.leaser != nil && ctx.Err() == nil {
		p.holds(ctx, leaseName(fe), leaseTTL(fe))
	}
}

// holdsFeed takes or renews fe's lease and reports whether this replica
// polls fe now. When it takes a feed over from another replica, it first
// adopts that feed's state as last saved: its validators and the items
// already stored carry over, so a takeover costs a conditional request,
// not a refetch of every item.
func (p *Poller) holdsFeed(ctx context.Context, fe *feedEntry) bool {
	held := p.holds(ctx, leaseName(fe), leaseTTL(fe))
	if p.leaser == nil {
		return held
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if held && !p.mine[fe.key] {
		if saved, err := readState(p.state); err != nil {
			p.log.Warn("feeds: reading the state of a feed taken over failed; polling without it", "feed", label(fe), "err", err)
		} else if st, ok := saved[fe.key]; ok {
			p.adoptLocked(fe.key, st)
		}
	}
	p.mine[fe.key] = held
	return held
}

// Leases returns the names of the leases this replica held at its last
// turn (feed URLs without passwords), sorted, for health reports.
func (p *Poller) Leases() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	if p.leaser == nil {
		return nil
	}
	for _, fe := range p.feeds {
		if p.mine[fe.key] {
			out = append(out, loggable(leaseName(fe)))
		}
	}
	if p.pruning {
		out = append(out, RetentionLease)
	}
	slices.Sort(out)
	return out
}

// pollingAll marks every feed as this replica's, for PollOnce: a poll
// asked for by hand ignores the leases, and its results must be saved.
func (p *Poller) pollingAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, fe := range p.feeds {
		p.mine[fe.key] = true
	}
}

// adoptOthersLocked replaces the state of every feed this replica does
// not poll with the one last saved (by the replica that polls it), so that
// saving the whole state document does not put back stale entries of
// other replicas' feeds. p.mu must be held. Without a leaser it does
// nothing: one process owns the whole document.
func (p *Poller) adoptOthersLocked() {
	if p.leaser == nil {
		return
	}
	saved, err := readState(p.state)
	if err != nil {
		p.log.Warn("feeds: reading other replicas' feed state failed", "err", err)
		return
	}
	for key, st := range saved {
		if !p.mine[key] {
			p.adoptLocked(key, st)
		}
	}
}

// adoptLocked makes st the state of the feed key; p.mu must be held.
func (p *Poller) adoptLocked(key string, st *feedState) {
	p.states[key] = st
	for id := range st.Seen {
		p.known[id] = true
	}
}

// standbyDelay is how soon a replica that skipped fe's poll asks again.
func (p *Poller) standbyDelay(fe *feedEntry) time.Duration {
	return jitter(fe.interval/2, p.rand())
}

// releaseAll gives up this replica's leases at shutdown, so that another
// takes the feeds over at once rather than after they expire.
func (p *Poller) releaseAll(ctx context.Context) {
	if p.leaser == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	names := []string{RetentionLease}
	for _, fe := range p.feeds {
		names = append(names, leaseName(fe))
	}
	for _, n := range names {
		if err := p.leaser.Release(ctx, n, p.holder); err != nil {
			p.log.Warn("feeds: could not release a lease; it expires by itself", "lease", loggable(n), "err", err)
		}
	}
}
