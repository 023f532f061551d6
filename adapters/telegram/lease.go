package telegram

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot"
)

// PollLease is the name of the lease whose holder long-polls Telegram:
// the Bot API allows one getUpdates consumer per bot.
const PollLease = "telegram:poll"

// DefaultLeaseTTL is how long the polling lease lasts unless renewed. The
// holder renews it every third of that and a standby replica asks for it
// every fifth, so a dead holder is replaced within about 1.2 × the ttl.
const DefaultLeaseTTL = 15 * time.Second

// leaseConfig is how the adapter shares long polling with other replicas.
type leaseConfig struct {
	leaser  bot.Leaser
	holder  string
	ttl     time.Duration
	failing bool // the last Acquire failed; touched by pollLeased only
}

// WithPollLease makes long polling run only while this replica, named
// holder (unique per process), holds the lease PollLease from l: the
// other replicas stand by, asking for it every ttl/5, and one takes over
// within ttl + ttl/5 of the holder's death. A holder that cannot renew the
// lease before it would expire stops polling. ttl <= 0 means
// DefaultLeaseTTL. Webhook mode ignores this: every replica takes the
// updates its load balancer sends it.
func WithPollLease(l bot.Leaser, holder string, ttl time.Duration) Option {
	return func(a *Adapter) {
		if ttl <= 0 {
			ttl = DefaultLeaseTTL
		}
		a.lease = &leaseConfig{leaser: l, holder: holder, ttl: ttl}
	}
}

// pollLeased alternates between standing by and polling while holding the
// lease, until ctx is done; it then gives the lease up so that another
// replica need not wait for it to expire.
func (a *Adapter) pollLeased(ctx context.Context) error {
	l := a.lease
	standby := l.ttl / 5
	for {
		asked := time.Now()
		if a.acquire(ctx) {
			a.log.Info("telegram: holding the polling lease; polling", "holder", l.holder)
			a.pollWhileHeld(ctx, asked)
			if ctx.Err() != nil {
				break
			}
			a.log.Warn("telegram: lost the polling lease; standing by", "holder", l.holder)
		}
		t := time.NewTimer(standby)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		if ctx.Err() != nil {
			break
		}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := l.leaser.Release(rctx, PollLease, l.holder); err != nil {
		a.log.Warn("telegram: could not release the polling lease; it expires by itself", "err", err)
	}
	return nil
}

// acquire asks for (or renews) the lease; an error counts as not held.
// While the store stays unreachable only the first failure is a warning:
// a standby asks every few seconds.
func (a *Adapter) acquire(ctx context.Context) bool {
	ok, err := a.lease.leaser.Acquire(ctx, PollLease, a.lease.holder, a.lease.ttl)
	switch {
	case err == nil && a.lease.failing:
		a.lease.failing = false
		a.log.Info("telegram: polling lease reachable again")
	case err != nil && ctx.Err() == nil:
		lvl := slog.LevelWarn
		if a.lease.failing {
			lvl = slog.LevelDebug
		}
		a.lease.failing = true
		a.log.Log(ctx, lvl, "telegram: polling lease unavailable", "err", err)
	}
	return err == nil && ok
}

// HoldsPollLease reports whether this replica holds PollLease and polls
// now, for health reports.
func (a *Adapter) HoldsPollLease() bool { return a.polling.Load() }

// pollWhileHeld long-polls until ctx is done or the lease is lost: renewed
// every ttl/3, it counts as lost when a renewal is refused, or when
// failures leave it about to expire before the next try. Each grant is
// dated from when it was asked for (held is the first's), which errs on
// the side of stopping early.
func (a *Adapter) pollWhileHeld(ctx context.Context, held time.Time) {
	l := a.lease
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		defer stop()
		every := l.ttl / 3
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-pctx.Done():
				return
			case <-t.C:
			}
			asked := time.Now()
			ok, err := l.leaser.Acquire(pctx, PollLease, l.holder, l.ttl)
			switch {
			case pctx.Err() != nil:
				return
			case err == nil && ok:
				held = asked
			case err == nil:
				return // another replica has it
			case time.Since(held)+every >= l.ttl:
				a.log.Warn("telegram: cannot renew the polling lease before it expires", "err", err)
				return
			default:
				a.log.Warn("telegram: renewing the polling lease failed; retrying", "err", err)
			}
		}
	}()
	a.polling.Store(true)
	a.poll(pctx)
	a.polling.Store(false)
	stop()
	<-renewed
}

// handledTTL is how long an update is remembered as handled: Telegram
// keeps undelivered updates for 24 hours.
const handledTTL = 24 * time.Hour

// handleOnce handles upd unless another replica already has. A holder
// that dies before its next getUpdates has not confirmed the updates it
// took, so Telegram delivers them again to the replica that takes over
// (and in webhook mode Telegram retries a delivery that failed, perhaps
// to another replica); with replicas configured (a lease and a shared
// memory) updates are recorded as handled and skipped. The mark
// is written after handling, so an update whose holder died mid-answer is
// answered by the next one; a duplicate needs a death between sending and
// marking.
func (a *Adapter) handleOnce(ctx context.Context, upd *models.Update) {
	if a.lease == nil || a.shared == nil {
		a.handle(ctx, upd)
		return
	}
	key := "update:" + strconv.FormatInt(upd.ID, 10)
	if v, err := a.shared.Load(ctx, key); err != nil {
		a.log.Warn("telegram: cannot check whether another replica handled an update", "update_id", upd.ID, "err", err)
	} else if v != nil {
		a.log.Info("telegram: update already handled by another replica; skipped", "update_id", upd.ID)
		return
	}
	a.handle(ctx, upd)
	if err := a.shared.Save(ctx, key, []byte{1}, handledTTL); err != nil {
		a.log.Warn("telegram: cannot record a handled update for other replicas", "update_id", upd.ID, "err", err)
	}
}
