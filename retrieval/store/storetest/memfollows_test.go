package storetest_test

import (
	"context"
	"slices"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// memFollows is the in-memory engine's follows and pushes, guarded by
// memory.mu.
type memFollows struct {
	follows []bot.Follow // by id
	pushes  []memPush    // by id
	lastID  int64        // follows and pushes share one counter: ids are never reused
}

// memPush is a push with its claim.
type memPush struct {
	bot.Push
	holder  string
	expires time.Time // zero: not claimed
}

func (h *memHandle) AddFollow(ctx context.Context, f bot.Follow) (bot.Follow, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	m := &h.m.follows
	m.lastID++
	f.ID, f.Created, f.LastPush = m.lastID, store.Now(), time.Time{}
	m.follows = append(m.follows, f)
	return f, nil
}

func (h *memHandle) Follows(ctx context.Context, chat bot.Chat) ([]bot.Follow, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	var out []bot.Follow
	for _, f := range h.m.follows.follows {
		if f.Chat == chat {
			out = append(out, f)
		}
	}
	return out, nil
}

func (h *memHandle) AllFollows(ctx context.Context) ([]bot.Follow, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	return slices.Clone(h.m.follows.follows), nil
}

func (h *memHandle) DeleteFollows(ctx context.Context, chat bot.Chat, ids ...int64) (int, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	m := &h.m.follows
	gone := map[int64]bool{}
	m.follows = slices.DeleteFunc(m.follows, func(f bot.Follow) bool {
		if f.Chat == chat && (len(ids) == 0 || slices.Contains(ids, f.ID)) {
			gone[f.ID] = true
		}
		return gone[f.ID]
	})
	m.pushes = slices.DeleteFunc(m.pushes, func(p memPush) bool { return gone[p.FollowID] })
	return len(gone), nil
}

func (h *memHandle) AddPush(ctx context.Context, p bot.Push) (bot.Push, bool, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	m := &h.m.follows
	i := slices.IndexFunc(m.follows, func(f bot.Follow) bool { return f.ID == p.FollowID })
	if i < 0 || slices.ContainsFunc(m.pushes, func(o memPush) bool { return o.FollowID == p.FollowID && o.Story == p.Story }) {
		return p, false, nil
	}
	in, _, err := store.NewPush(p, store.Now())
	if err != nil {
		return p, false, err
	}
	m.lastID++
	in.ID, in.Chat, in.Query = m.lastID, m.follows[i].Chat, m.follows[i].Query
	m.pushes = append(m.pushes, memPush{Push: in})
	return in, true, nil
}

func (h *memHandle) ClaimPushes(ctx context.Context, holder string, now time.Time, ttl time.Duration, limit int) ([]bot.Push, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	now = now.Truncate(time.Microsecond)
	var out []bot.Push
	for i := range h.m.follows.pushes { // ids grow with Created here
		p := &h.m.follows.pushes[i]
		if limit > 0 && len(out) == limit {
			break
		}
		if p.Sent.IsZero() && !p.Due.After(now) && !p.expires.After(now) {
			p.holder, p.expires = holder, now.Add(ttl).Truncate(time.Microsecond)
			out = append(out, p.Push)
		}
	}
	return out, nil
}

// updateUnsent applies fn to the unsent pushes among ids.
func (h *memHandle) updateUnsent(ids []int64, fn func(*memPush)) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	for i := range h.m.follows.pushes {
		p := &h.m.follows.pushes[i]
		if p.Sent.IsZero() && slices.Contains(ids, p.ID) {
			p.holder, p.expires = "", time.Time{}
			fn(p)
		}
	}
}

func (h *memHandle) MarkSent(ctx context.Context, at time.Time, ids ...int64) error {
	at = at.Truncate(time.Microsecond).UTC()
	h.updateUnsent(ids, func(p *memPush) {
		p.Sent = at
		for i, f := range h.m.follows.follows {
			if f.ID == p.FollowID && at.After(f.LastPush) {
				h.m.follows.follows[i].LastPush = at
			}
		}
	})
	return nil
}

func (h *memHandle) Defer(ctx context.Context, due time.Time, ids ...int64) error {
	h.updateUnsent(ids, func(p *memPush) { p.Due, p.Digest = due.Truncate(time.Microsecond).UTC(), true })
	return nil
}

func (h *memHandle) SentSince(ctx context.Context, followID int64, since time.Time) (int, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	since = since.Truncate(time.Microsecond)
	n := 0
	for _, p := range h.m.follows.pushes {
		if p.FollowID == followID && !p.Sent.IsZero() && !p.Sent.Before(since) {
			n++
		}
	}
	return n, nil
}
