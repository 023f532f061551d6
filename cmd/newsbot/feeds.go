package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/feeds"
)

// statePath is where the feed poller remembers validators, errors and
// counts, beside the store.
func (m *Main) statePath() string { return filepath.Join(m.Config.DataDir, "feeds.json") }

func (m *Main) fetcher() (*feeds.Fetcher, error) {
	opts, err := m.Config.Fetch.Options()
	if err != nil {
		return nil, fmt.Errorf("config: [fetch] %w", err)
	}
	return feeds.NewFetcher(append(opts, feeds.WithLogger(m.Log))...), nil
}

// poller builds the feed poller over the store; nil when no feeds are
// configured.
func (m *Main) poller() (*feeds.Poller, error) {
	if len(m.Config.Feeds) == 0 {
		return nil, nil
	}
	f, err := m.fetcher()
	if err != nil {
		return nil, err
	}
	pc, err := m.Config.Fetch.Poller(m.Config.Feeds, m.statePath())
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	opts := []feeds.PollerOption{feeds.WithRetention(m.store.DeleteOlderThan), feeds.WithPollerLogger(m.Log),
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
	rep, err := m.store.Put(ctx, arts, nil)
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
func (m *Main) feedService() (*service, error) {
	p, err := m.poller()
	if err != nil || p == nil {
		return nil, err
	}
	return &service{"feeds", p.Run}, nil
}

// fetchArticles fetches pages or feeds named on the command line and, with
// all, polls the configured feeds once (storing what they yield). It
// returns the fetched URL articles and how many URLs failed.
func (m *Main) fetchArticles(ctx context.Context, urls []string, all bool) ([]bot.Article, int, error) {
	failed := 0
	if all {
		p, err := m.poller()
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
			fmt.Fprintf(m.Stderr, "newsbot: ingest %s: %s\n", u, oneLine(err))
			continue
		}
		arts = append(arts, got...)
	}
	return arts, failed, nil
}

func (m *Main) runFeeds(ctx context.Context, args []string) error {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(m.Stderr, "Usage: newsbot feeds\n\nLists the configured feeds with their last fetch, last error and article count.")
			return nil
		}
		return usageError{"feeds takes no arguments"}
	}
	if len(m.Config.Feeds) == 0 {
		fmt.Fprintln(m.Stdout, "No feeds configured. Add [[feeds]] url = \"…\" entries to the config (see config.example.toml).")
		return nil
	}
	st, err := feeds.Report(m.Config.Feeds, m.statePath())
	if err != nil {
		return err
	}
	return feeds.WriteTable(m.Stdout, st, time.Now())
}
