package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/bot/follow"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store"
)

// followSource adapts the index and its store of record to follow.Source
// (the changes as far as the index reflects them, so that the matcher
// finds every new article it is given) and to follow.Cursor (the match
// loop's position, kept in the store's values).
type followSource struct {
	idx *index.Index
	db  store.DB
}

var (
	_ follow.Source = followSource{}
	_ follow.Cursor = followSource{}
)

// Changes implements follow.Source: it brings the index up to date first.
func (s followSource) Changes(ctx context.Context, seq int64, limit int) ([]follow.Change, error) {
	if _, err := s.idx.Sync(ctx); err != nil {
		return nil, err
	}
	synced, err := s.Latest(ctx)
	if err != nil {
		return nil, err
	}
	chs, err := s.db.Changes(ctx, seq, limit)
	if errors.Is(err, store.ErrHistoryGone) {
		return nil, fmt.Errorf("%w: %w", follow.ErrHistoryGone, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	out := make([]follow.Change, 0, len(chs))
	for _, c := range chs {
		if c.Seq > synced {
			break // not in the index yet: the next call
		}
		out = append(out, follow.Change{Seq: c.Seq, ID: c.ID, Deleted: c.Deleted})
	}
	return out, nil
}

// Latest implements follow.Source.
func (s followSource) Latest(ctx context.Context) (int64, error) {
	st, err := s.idx.SyncStatus(ctx)
	if err != nil {
		return 0, fmt.Errorf("index status: %w", err)
	}
	return st.Seq, nil
}

// Article implements follow.Source.
func (s followSource) Article(id string) (bot.Article, bool) { return s.idx.Article(id) }

// Watch implements follow.Source.
func (s followSource) Watch(ctx context.Context) <-chan struct{} { return s.db.Watch(ctx) }

// The cursor's place among the store's values.
const followsNamespace, cursorKey = "follows", "cursor"

// Load implements follow.Cursor.
func (s followSource) Load(ctx context.Context) (int64, bool, error) {
	v, err := s.db.Value(ctx, followsNamespace, cursorKey)
	if errors.Is(err, store.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read the follows' cursor: %w", err)
	}
	seq, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("the follows' cursor %q: %w", v, err)
	}
	return seq, true, nil
}

// Save implements follow.Cursor.
func (s followSource) Save(ctx context.Context, seq int64) error {
	return s.db.SetValue(ctx, followsNamespace, cursorKey, []byte(strconv.FormatInt(seq, 10)), 0)
}

// followService builds the follows' service of this process over the
// store of record: it answers new follows with the bot ask uses, matches
// new articles with followMatcher while this replica holds the match
// lease, and delivers through pushers (platform → Pusher).
func (m *Main) followService(pushers map[string]bot.Pusher, limits follow.Limits, opts ...follow.Option) (*follow.Service, error) {
	mt, err := m.followMatcher()
	if err != nil {
		return nil, err
	}
	ask, err := m.newBot(m.index)
	if err != nil {
		return nil, err
	}
	src := followSource{idx: m.index, db: m.db}
	return follow.NewService(m.db, ask, append([]follow.Option{
		follow.WithMatching(mt, src, src),
		follow.WithLeaser(m.db, m.replicaName()),
		follow.WithPushers(pushers),
		follow.WithLimits(limits),
		follow.WithLogger(m.Log.With("component", "follows")),
	}, opts...)...), nil
}

// followMatcher matches new articles against follows with the answer
// model ask uses: the reader, when on, behind the preselect gate.
func (m *Main) followMatcher() (*follow.Matcher, error) {
	x, err := m.newExtractor(m.index)
	if err != nil {
		return nil, err
	}
	mopts := []follow.MatcherOption{follow.WithMatcherLogger(m.Log)}
	if on := m.Config.Answer.Reader; on == nil || *on {
		pre := answer.New(m.index, answer.WithLogger(m.Log), answer.WithCandidates(m.Config.Answer.Candidates))
		mopts = append(mopts, follow.WithPreselect(pre, follow.DefaultGate))
	} else {
		mopts = append(mopts, follow.WithThreshold(follow.PreselectThreshold))
	}
	return follow.NewMatcher(x, m.index, mopts...), nil
}
