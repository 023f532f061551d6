package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

func newTestPoller(t *testing.T, cfg Config, f *Fetcher, c *collector, opts ...PollerOption) *Poller {
	t.Helper()
	p, err := NewPoller(cfg, f, c.sink, append([]PollerOption{WithPollerLogger(f.log)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPollNotModified(t *testing.T) {
	s := newSite(t)
	etag := `"rev-1"`
	conditional := 0
	s.handle("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssFeed(s.URL, "alpha", "beta"))
	})
	state := filepath.Join(t.TempDir(), "feeds-state.json")
	c := newCollector()
	cfg := Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml", Name: "Herald"}}, StatePath: state}
	p := newTestPoller(t, cfg, testFetcher(nil), c)
	ctx := hangGuard(t)
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if conditional != 1 || c.calls != 1 || len(c.byID) != 2 {
		t.Errorf("304s %d, sink calls %d, stored %d; want 1, 1, 2", conditional, c.calls, len(c.byID))
	}
	for _, a := range c.byID {
		if a.Source != "Herald" {
			t.Errorf("Source = %q, want the configured name", a.Source)
		}
	}
	// A new Poller (a restart) reuses the saved validators.
	p2 := newTestPoller(t, cfg, testFetcher(nil), c)
	if err := p2.PollOnce(ctx); err != nil || conditional != 2 || c.calls != 1 {
		t.Errorf("after restart: err %v, 304s %d, sink calls %d", err, conditional, c.calls)
	}
	st, err := LoadState(state)
	if err != nil || len(st) != 1 {
		t.Fatalf("LoadState: %v, %v", st, err)
	}
	got := st[0]
	if got.Articles != 2 || got.Items != 2 || got.LastError != "" || got.Title != "Test Herald RSS" || got.LastSuccess.IsZero() || got.Name != "Herald" {
		t.Errorf("state = %+v", got)
	}
}

func TestPollDedupAcrossFeeds(t *testing.T) {
	s := newSite(t)
	// Feed A links with utm_* parameters, feed B with a fragment: same article.
	s.setFeed("/a.xml", "application/rss+xml", rssFeed(s.URL, "shared", "only-a"))
	s.setFeed("/b.xml", "application/atom+xml", atomFeed(s.URL, "shared", "only-b"))
	c := newCollector()
	p := newTestPoller(t, Config{Feeds: []FeedConfig{{URL: s.URL + "/a.xml"}, {URL: s.URL + "/b.xml"}}}, testFetcher(nil), c)
	ctx := hangGuard(t)
	for range 2 {
		if err := p.PollOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ids := c.stored()
	slices.Sort(ids)
	want := []string{s.URL + "/news/only-a", s.URL + "/news/only-b", s.URL + "/news/shared"}
	if !slices.Equal(ids, want) {
		t.Errorf("stored %v, want each once: %v", ids, want)
	}
	if n := s.count("/news/shared"); n != 1 {
		t.Errorf("shared page fetched %d times, want 1", n)
	}
	for _, st := range p.Status() {
		if st.Articles != 2 {
			t.Errorf("%s: Articles = %d, want 2 (the shared one counts for both)", st.URL, st.Articles)
		}
	}
}

func TestPollUpdatedArticleReplaced(t *testing.T) {
	s := newSite(t)
	s.setFeed("/atom.xml", "application/atom+xml", atomFeed(s.URL, "alpha"))
	c := newCollector()
	p := newTestPoller(t, Config{Feeds: []FeedConfig{{URL: s.URL + "/atom.xml"}}}, testFetcher(nil), c)
	ctx := hangGuard(t)
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(c.history) != 1 {
		t.Fatalf("unchanged item stored %d times", len(c.history))
	}
	// The entry's <updated> changes: the article is fetched and stored again.
	s.setFeed("/atom.xml", "application/atom+xml", strings.Replace(atomFeed(s.URL, "alpha"),
		"<updated>2024-04-01T08:00:00Z</updated>", "<updated>2024-04-02T09:30:00Z</updated>", 1))
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(c.history) != 2 || s.count("/news/alpha") != 2 {
		t.Errorf("updated item: stored %d times, page fetched %d times; want 2, 2", len(c.history), s.count("/news/alpha"))
	}
}

func TestPollBrokenFeedsDoNotStopOthers(t *testing.T) {
	s := newSite(t)
	s.setFeed("/good.xml", "application/rss+xml", rssFeed(s.URL, "alpha"))
	s.setFeed("/malformed.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>x</item></channel>`)
	s.setFeed("/notfeed", "text/html", "<html><body><p>Hello</p></body></html>")
	s.handle("/error.xml", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	s.handle("/hang.xml", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })

	var log bytes.Buffer
	c := newCollector()
	state := filepath.Join(t.TempDir(), "state.json")
	feeds := []FeedConfig{
		{URL: s.URL + "/malformed.xml", Name: "Malformed"},
		{URL: s.URL + "/error.xml", Name: "Erroring"},
		{URL: s.URL + "/hang.xml", Name: "Hanging"},
		{URL: s.URL + "/notfeed", Name: "Not a feed"},
		{URL: s.URL + "/good.xml", Name: "Good"},
	}
	p := newTestPoller(t, Config{Feeds: feeds, StatePath: state}, testFetcher(&log, WithTimeout(300*time.Millisecond)), c)
	err := p.PollOnce(hangGuard(t))
	if len(c.byID) != 1 {
		t.Errorf("good feed stored %d articles, want 1", len(c.byID))
	}
	wantErrs := map[string]string{
		"Malformed":  "parse feed: ",
		"Erroring":   "HTTP 500 Internal Server Error",
		"Hanging":    "timed out after 300ms",
		"Not a feed": `not a feed (Content-Type "text/html")`,
	}
	for name, msg := range wantErrs {
		if err == nil || !strings.Contains(err.Error(), name+": "+msg) {
			t.Errorf("PollOnce error lacks %q: %v", name+": "+msg, err)
		}
	}
	statuses, rerr := Report(feeds, state)
	if rerr != nil {
		t.Fatal(rerr)
	}
	for _, st := range statuses {
		want, broken := wantErrs[st.Name]
		switch {
		case broken && (st.Failures != 1 || !strings.Contains(st.LastError, want)):
			t.Errorf("%s: Failures %d, LastError %q; want 1 and %q", st.Name, st.Failures, st.LastError, want)
		case !broken && (st.Failures != 0 || st.LastError != "" || st.Articles != 1):
			t.Errorf("%s: %+v", st.Name, st)
		}
	}
	mustContainAll(t, log.String(), "feed fetch failed", "Malformed", "Hanging")
	var table bytes.Buffer
	if err := WriteTable(&table, statuses, time.Now()); err != nil {
		t.Fatal(err)
	}
	mustContainAll(t, table.String(), "FEED", "Good <"+s.URL+"/good.xml>", "failing (1 in a row): HTTP 500")
}

func TestPollSinkFailureRetried(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss.xml", "application/rss+xml", rssFeed(s.URL, "alpha"))
	c := newCollector()
	c.fail = errors.New("disk full")
	p := newTestPoller(t, Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}}, testFetcher(nil), c)
	ctx := hangGuard(t)
	if err := p.PollOnce(ctx); err == nil || !strings.Contains(err.Error(), "store articles: disk full") {
		t.Fatalf("got %v", err)
	}
	c.fail = nil
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(c.byID) != 1 {
		t.Errorf("article not stored after the store recovered")
	}
}

func TestRetention(t *testing.T) {
	s := newSite(t)
	now := time.Date(2024, 4, 20, 12, 0, 0, 0, time.UTC)
	// Items published 1-3 April; with 15 days kept, those before 5 April are skipped.
	feed := rssFeed(s.URL, "old", "older") + ""
	feed = strings.Replace(feed, "</channel>", `<item><title>Fresh</title><link>`+s.URL+`/news/fresh</link><pubDate>Fri, 19 Apr 2024 08:00:00 GMT</pubDate></item></channel>`, 1)
	s.setFeed("/rss.xml", "application/rss+xml", feed)
	var cutoffs []time.Time
	del := func(_ context.Context, olderThan time.Time) (int, error) {
		cutoffs = append(cutoffs, olderThan)
		return 3, nil
	}
	c := newCollector()
	p := newTestPoller(t, Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}, MaxAgeDays: 15}, testFetcher(nil), c, WithRetention(del))
	p.now = func() time.Time { return now }
	if err := p.PollOnce(hangGuard(t)); err != nil {
		t.Fatal(err)
	}
	if ids := c.stored(); len(ids) != 1 || ids[0] != s.URL+"/news/fresh" {
		t.Errorf("stored %v, want only the fresh item", ids)
	}
	if s.count("/news/old") != 0 {
		t.Errorf("an item too old to keep was fetched")
	}
	n, err := p.Prune(context.Background())
	if err != nil || n != 3 || len(cutoffs) != 1 || !cutoffs[0].Equal(now.AddDate(0, 0, -15)) {
		t.Errorf("Prune = %d, %v; cutoffs %v", n, err, cutoffs)
	}
}

func TestRunPollsAndStops(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss.xml", "application/rss+xml", rssFeed(s.URL, "alpha"))
	state := filepath.Join(t.TempDir(), "state.json")
	stored := make(chan struct{}, 1)
	c := newCollector()
	f := testFetcher(nil)
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml", Interval: "20m"}}, StatePath: state}, f,
		func(ctx context.Context, arts []bot.Article) error {
			c.sink(ctx, arts)
			stored <- struct{}{}
			return nil
		},
		WithPollerLogger(f.log))
	if err != nil {
		t.Fatal(err)
	}
	p.rand = func() float64 { return 0 } // no startup spread; jitter -10%
	ctx, cancel := context.WithCancel(hangGuard(t))
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	select {
	case <-stored:
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not poll")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not stop")
	}
	st, _ := LoadState(state)
	if len(st) != 1 {
		t.Fatalf("state: %+v", st)
	}
	if d := st[0].NextFetch.Sub(st[0].LastFetch); d < 17*time.Minute || d > 19*time.Minute {
		t.Errorf("next fetch %v after the last, want the 20m interval minus 10%% jitter", d)
	}
	if _, err := os.Stat(state); err != nil {
		t.Error(err)
	}
}
