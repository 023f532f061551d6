package follow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsbot/bot"
)

// matchLoop matches new articles while this replica holds the match
// lease, until ctx ends.
func (s *Service) matchLoop(ctx context.Context) {
	watch := s.source.Watch(ctx)
	held := false
	defer func() {
		if held {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := s.leaser.Release(rctx, MatchLease, s.holder); err != nil {
				s.log.Warn("could not release the follows' match lease", "err", err)
			}
		}
	}()
	repeat(ctx, s, "matching new articles against follows", watch, func() (bool, error) {
		if s.leaser != nil {
			ok, err := s.leaser.Acquire(ctx, MatchLease, s.holder, s.leaseTTL)
			if err != nil && ctx.Err() == nil {
				s.log.Warn("could not take the follows' match lease", "err", err)
			}
			if ok != held {
				s.log.Info("follows' match lease", "held", ok, "holder", s.holder)
			}
			if held = ok && err == nil; !held {
				sleep(ctx, s.leaseTTL/3, nil)
				return true, nil
			}
			s.acquired = s.now()
		}
		n, err := s.MatchNew(ctx)
		return n > 0, err
	})
}

// repeat calls step until ctx ends: again at once while it reports work
// done, after the poll interval or a value on wake when not, and after a
// growing backoff when it fails.
func repeat(ctx context.Context, s *Service, what string, wake <-chan struct{}, step func() (busy bool, err error)) {
	fails := 0
	for ctx.Err() == nil {
		busy, err := step()
		switch {
		case err != nil && ctx.Err() == nil:
			fails++
			s.log.Warn(what+" failed; retrying", "err", err, "failures", fails)
			sleep(ctx, backoff(s.poll, fails), nil)
		case err == nil && !busy:
			fails = 0
			sleep(ctx, s.poll, wake)
		default:
			fails = 0
		}
	}
}

// backoff is the wait after the nth failure in a row: base doubled each
// time, at most 5 minutes.
func backoff(base time.Duration, n int) time.Duration {
	return min(base<<min(n-1, 16), 5*time.Minute)
}

// MatchNew matches the articles put since the saved cursor (one batch of
// the change sequence) against every follow, records a push for each
// follow an article answers (due now), and moves the cursor past them.
// It returns how many changes it went through. The first call with no
// saved cursor only saves the latest position: follows hear of articles
// put from then on, not of the back catalogue. Run calls it; a crash
// before the cursor is saved matches the same articles again, which adds
// nothing, since a follow never gets two pushes of one story.
func (s *Service) MatchNew(ctx context.Context) (int, error) {
	seq, ok, err := s.cursor.Load(ctx)
	if err != nil {
		return 0, fmt.Errorf("load the follows' cursor: %w", err)
	}
	if !ok {
		return 0, s.restart(ctx, seq, "matching new articles against follows from here")
	}
	chs, err := s.source.Changes(ctx, seq, s.batch)
	if errors.Is(err, ErrHistoryGone) {
		return 0, s.restart(ctx, seq, "the change history was compacted: the articles put in between are not matched against follows")
	}
	if err != nil || len(chs) == 0 {
		return 0, err
	}
	follows, err := s.store.AllFollows(ctx)
	if err != nil {
		return 0, fmt.Errorf("read follows: %w", err)
	}
	if len(follows) == 0 {
		return len(chs), s.save(ctx, chs[len(chs)-1].Seq)
	}
	for i, c := range current(chs) {
		a, ok := s.source.Article(c.ID)
		if !ok {
			continue
		}
		if !s.renew(ctx) {
			return i, s.save(ctx, seq) // lost the lease: the new holder goes on
		}
		if err := s.matchArticle(ctx, a, follows); err != nil {
			if ctx.Err() != nil || !s.giveUp(c.Seq) {
				return i, errors.Join(err, s.save(ctx, seq))
			}
			s.log.Error("matching an article against follows failed again and again; it is skipped", "article", c.ID, "err", err)
		}
		seq = c.Seq
	}
	return len(chs), s.save(ctx, chs[len(chs)-1].Seq)
}

// matchAttempts is how many times in a row matching one article may fail
// before it is skipped, so that one article the answer model cannot read
// does not stop every later one.
const matchAttempts = 3

// giveUp counts a failure to match the change seq and reports whether it
// failed matchAttempts times in a row.
func (s *Service) giveUp(seq int64) bool {
	if s.failedSeq != seq {
		s.failedSeq, s.failures = seq, 0
	}
	s.failures++
	return s.failures >= matchAttempts
}

// restart moves the cursor to the latest change, saying why.
func (s *Service) restart(ctx context.Context, from int64, why string) error {
	latest, err := s.source.Latest(ctx)
	if err != nil {
		return fmt.Errorf("latest change: %w", err)
	}
	s.log.Info(why, "from", from, "to", latest)
	return s.save(ctx, latest)
}

func (s *Service) save(ctx context.Context, seq int64) error {
	if err := s.cursor.Save(ctx, seq); err != nil {
		return fmt.Errorf("save the follows' cursor: %w", err)
	}
	return nil
}

// renew renews the match lease once a third of it has passed, and
// reports whether this replica still holds it.
func (s *Service) renew(ctx context.Context) bool {
	if s.leaser == nil || s.now().Sub(s.acquired) < s.leaseTTL/3 {
		return true
	}
	ok, err := s.leaser.Acquire(ctx, MatchLease, s.holder, s.leaseTTL)
	if err != nil || !ok {
		return false
	}
	s.acquired = s.now()
	return true
}

// matchArticle matches a against follows and records the pushes.
func (s *Service) matchArticle(ctx context.Context, a bot.Article, follows []bot.Follow) error {
	ms, err := s.matcher.Match(ctx, a, follows)
	if err != nil {
		return err
	}
	added := 0
	for _, m := range ms {
		now := s.now()
		p := bot.Push{FollowID: m.Follow.ID, Chat: m.Follow.Chat, Query: m.Follow.Query, Quote: m.Quote, Story: m.Story, Due: now}
		_, ok, err := s.store.AddPush(ctx, p)
		if err != nil {
			return fmt.Errorf("add push for follow %d: %w", m.Follow.ID, err)
		}
		if ok {
			added++
		}
	}
	if added > 0 {
		s.log.Debug("pushes added", "article", a.ID, "pushes", added, "matched", len(ms))
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return nil
}
