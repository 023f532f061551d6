package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"newsbot/bot"
	"newsbot/retrieval/feeds"
	"newsbot/retrieval/store"
)

// legacyStatePath is where the feed poller kept its state before the store
// of record; feedState imports it once.
func (m *Main) legacyStatePath() string { return filepath.Join(m.Config.DataDir, "feeds.json") }

// feedState is the poller's state in the store of record (namespace
// "feed"), importing a feeds.json left by an older newsbot on first use.
func (m *Main) feedState(ctx context.Context) (feeds.StateKeeper, error) {
	st := dbFeedState{m.db}
	if _, err := m.db.Value(ctx, "feed", feedStateKey); !errors.Is(err, store.ErrNotFound) {
		return st, err
	}
	old := m.legacyStatePath()
	data, err := feeds.FileState(old).ReadState(ctx)
	if err != nil || data == nil {
		return st, err
	}
	if err := st.WriteState(ctx, data); err != nil {
		return nil, err
	}
	if err := os.Rename(old, old+".imported"); err != nil {
		m.Log.Warn("feed state imported; the old file stays", "path", old, "err", err)
	}
	m.Log.Info("feed state imported into the store", "from", old)
	return st, nil
}

// feedStateKey is the key of the poller's state document.
const feedStateKey = "state"

// dbFeedState keeps the poller's state document in a store.DB.
type dbFeedState struct{ db store.DB }

func (s dbFeedState) ReadState(ctx context.Context) ([]byte, error) {
	v, err := s.db.Value(ctx, "feed", feedStateKey)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

func (s dbFeedState) WriteState(ctx context.Context, data []byte) error {
	return s.db.SetValue(ctx, "feed", feedStateKey, data, 0)
}

func (m *Main) fetcher() (*feeds.Fetcher, error) {
	opts, err := m.Config.Fetch.Options()
	if err != nil {
		return nil, fmt.Errorf("config: [fetch] %w", err)
	}
	return feeds.NewFetcher(append(opts, feeds.WithLogger(m.Log))...), nil
}

// poller builds the feed poller over the store; nil when no feeds are
// configured.
func (m *Main) poller(ctx context.Context) (*feeds.Poller, error) {
	if len(m.Config.Feeds) == 0 {
		return nil, nil
	}
	f, err := m.fetcher()
	if err != nil {
		return nil, err
	}
	pc, err := m.Config.Fetch.Poller(m.Config.Feeds, "")
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if pc.State, err = m.feedState(ctx); err != nil {
		return nil, err
	}
	opts := []feeds.PollerOption{feeds.WithRetention(m.index.DeleteOlderThan), feeds.WithPollerLogger(m.Log),
		feeds.WithLeaser(m.db, m.replicaName())}
	if m.metrics != nil {
		opts = append(opts, feeds.WithPollObserver(m.metrics.FeedPolled))
	}
	return feeds.NewPoller(pc, f, m.storeSink, opts...)
}

// storeSink stores polled articles. Bad articles are logged and skipped;
// only a failure to store anything is an error, which makes the poller
// retry the batch.
func (m *Main) storeSink(ctx context.Context, arts []bot.Article) error {
	rep, err := m.index.Put(ctx, arts, nil)
	if m.metrics != nil {
		m.metrics.Ingested(rep.Added, rep.Replaced, rep.Unchanged, rep.Duplicates, rep.Failed)
	}
	for _, e := range rep.Errors {
		m.Log.Warn("feed article not stored", "err", e)
	}
	if err != nil {
		return err
	}
	if n := rep.Added + rep.Replaced; n > 0 {
		m.Log.Info("feed articles stored", "added", rep.Added, "replaced", rep.Replaced)
	}
	return nil
}

// feedService is serve's feed poller, or nil without feeds.
func (m *Main) feedService(ctx context.Context) (*service, error) {
	p, err := m.poller(ctx)
	if err != nil || p == nil {
		return nil, err
	}
	m.leaseReports = append(m.leaseReports, p.Leases)
	return &service{name: "feeds", run: p.Run}, nil
}

// fetchArticles fetches pages or feeds named on the command line and, with
// all, polls the configured feeds once (storing what they yield). It
// returns the fetched URL articles and how many URLs failed.
func (m *Main) fetchArticles(ctx context.Context, urls []string, all bool) ([]bot.Article, int, error) {
	failed := 0
	if all {
		p, err := m.poller(ctx)
		if err != nil {
			return nil, 0, err
		}
		if p == nil {
			return nil, 0, errors.New("ingest --feeds: no [[feeds]] in the config")
		}
		if err := p.PollOnce(ctx); err != nil {
			failed++
			fmt.Fprintf(m.Stderr, "newsbot: feeds: %s\n", oneLine(err))
		}
		if n, err := p.Prune(ctx); err != nil {
			fmt.Fprintf(m.Stderr, "newsbot: retention: %s\n", oneLine(err))
		} else if n > 0 {
			fmt.Fprintf(m.Stderr, "newsbot: retention removed %d old article(s)\n", n)
		}
	}
	if len(urls) == 0 {
		return nil, failed, nil
	}
	f, err := m.fetcher()
	if err != nil {
		return nil, 0, err
	}
	var arts []bot.Article
	for _, u := range urls {
		got, err := f.FetchURL(ctx, u)
		if err != nil {
			failed++
			fmt.Fprintf(m.Stderr, "newsbot: ingest %s: %s\n", feeds.RedactURL(u), oneLine(err))
			continue
		}
		arts = append(arts, got...)
	}
	return arts, failed, nil
}

func (m *Main) feedsCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "feeds",
		Short:             "The configured feeds and how their last fetch went",
		Long:              "Lists the configured feeds with their last fetch, last error and article count.",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, _ []string) error { return m.runFeeds(c.Context()) },
	}
}

func (m *Main) runFeeds(ctx context.Context) error {
	if len(m.Config.Feeds) == 0 {
		fmt.Fprintln(m.Stdout, "No feeds configured. Add [[feeds]] url = \"…\" entries to the config (see config.example.toml).")
		return nil
	}
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	state, err := m.feedState(ctx)
	if err != nil {
		return err
	}
	st, err := feeds.ReportFrom(m.Config.Feeds, state)
	if err != nil {
		return err
	}
	return feeds.WriteTable(m.Stdout, st, time.Now())
}
