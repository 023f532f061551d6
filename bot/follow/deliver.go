package follow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsbot/bot"
)

// deliverLoop delivers due pushes until ctx ends.
func (s *Service) deliverLoop(ctx context.Context) {
	repeat(ctx, s, "delivering pushes", s.wake, func() (bool, error) {
		n, err := s.Deliver(ctx)
		return n == s.batch, err
	})
}

// Deliver claims the pushes due now and sends them, one follow at a time:
// each push on its own while the follow's hourly limit allows, the rest
// deferred to its digest, and a digest that has come due as one message.
// A push is marked sent once its platform has accepted it; a chat the
// platform says is gone loses its follows; any other failure leaves the
// claim to run out, so the push is sent again (by this replica or
// another) after a backoff. It returns how many pushes it claimed. Run
// calls it.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	now := s.now()
	ps, err := s.store.ClaimPushes(ctx, s.holder, now, s.claimTTL, s.batch)
	if err != nil {
		return 0, fmt.Errorf("claim pushes: %w", err)
	}
	var order []int64
	byFollow := map[int64][]bot.Push{}
	for _, p := range ps {
		if byFollow[p.FollowID] == nil {
			order = append(order, p.FollowID)
		}
		byFollow[p.FollowID] = append(byFollow[p.FollowID], p)
	}
	chats := map[bot.Chat]map[int64]bot.Follow{} // each chat's follows, read once
	gone := map[bot.Chat]bool{}
	for _, id := range order {
		group := byFollow[id]
		chat := group[0].Chat
		if gone[chat] || s.waiting(chat, now) {
			continue
		}
		if chats[chat] == nil {
			fs, err := s.store.Follows(ctx, chat)
			if err != nil {
				return len(ps), fmt.Errorf("follows of %s/%s: %w", chat.Platform, chat.ID, err)
			}
			chats[chat] = map[int64]bot.Follow{}
			for _, f := range fs {
				chats[chat][f.ID] = f
			}
		}
		f, ok := chats[chat][id]
		if !ok {
			continue // unfollowed since: its pushes went with it
		}
		p := s.pushers[chat.Platform]
		if p == nil {
			s.log.Debug("no pusher for the platform; another replica may deliver", "platform", chat.Platform, "follow", id)
			continue
		}
		err := s.deliver(ctx, p, f, group, now)
		if errors.Is(err, bot.ErrChatGone) {
			gone[chat] = true
		}
		if err != nil && ctx.Err() != nil {
			return len(ps), ctx.Err()
		}
	}
	return len(ps), nil
}

// deliver sends one follow's claimed pushes.
func (s *Service) deliver(ctx context.Context, p bot.Pusher, f bot.Follow, ps []bot.Push, now time.Time) error {
	for _, x := range ps {
		if x.Digest {
			return s.send(ctx, p, f, ps) // the digest is due: everything waiting goes in it
		}
	}
	per := f.PerHour
	if per <= 0 {
		per = bot.DefaultPerHour
	}
	sent, err := s.store.SentSince(ctx, f.ID, now.Add(-time.Hour))
	if err != nil {
		return fmt.Errorf("pushes sent to follow %d: %w", f.ID, err)
	}
	for i, x := range ps {
		if sent+i >= per {
			due := DigestTime(f, now)
			if err := s.store.Defer(ctx, due, ids(ps[i:])...); err != nil {
				return fmt.Errorf("defer pushes of follow %d: %w", f.ID, err)
			}
			s.log.Debug("pushes held for the digest", "follow", f.ID, "pushes", len(ps)-i, "due", due)
			return nil
		}
		if err := s.send(ctx, p, f, []bot.Push{x}); err != nil {
			return err
		}
	}
	return nil
}

// send pushes ps to f's chat and marks them sent. The send is given half
// the claim's time, so that it ends before another replica may claim the
// same pushes.
func (s *Service) send(ctx context.Context, p bot.Pusher, f bot.Follow, ps []bot.Push) error {
	sctx, cancel := context.WithTimeout(ctx, s.claimTTL/2)
	err := p.Push(sctx, f, ps)
	cancel()
	switch {
	case errors.Is(err, bot.ErrChatGone):
		n, derr := s.store.DeleteFollows(ctx, f.Chat)
		s.log.Info("chat gone; its follows are dropped", "platform", f.Chat.Platform, "chat", f.Chat.ID, "follows", n, "err", derr)
		return err
	case err != nil:
		r := s.fail(f.Chat)
		s.log.Warn("push failed; it is retried", "platform", f.Chat.Platform, "chat", f.Chat.ID, "follow", f.ID,
			"err", err, "retry_after", r.until.Sub(s.now()).Round(time.Second))
		return err
	}
	s.succeed(f.Chat)
	// Recorded even when ctx has just ended: an accepted push that is not
	// marked is sent again.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.claimTTL/2)
	defer cancel()
	var merr error
	for attempt := range 3 {
		if merr = s.store.MarkSent(mctx, s.now(), ids(ps)...); merr == nil {
			return nil
		}
		sleep(mctx, time.Duration(attempt+1)*time.Second, nil)
	}
	s.log.Error("a sent push could not be marked sent; it will be sent again", "follow", f.ID, "err", merr)
	return fmt.Errorf("mark pushes of follow %d sent: %w", f.ID, merr)
}

// waiting reports whether chat is backing off after failed sends.
func (s *Service) waiting(chat bot.Chat, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.backoff[chat]
	return ok && now.Before(r.until)
}

// fail records a failed send to chat and returns its backoff: the
// claim's time, doubled with every failure in a row, at most an hour.
func (s *Service) fail(chat bot.Chat) retry {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.backoff[chat]
	r.failures++
	r.until = s.now().Add(min(s.claimTTL<<min(r.failures-1, 16), time.Hour))
	s.backoff[chat] = r
	return r
}

func (s *Service) succeed(chat bot.Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.backoff, chat)
}

func ids(ps []bot.Push) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}
