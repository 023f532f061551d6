package feeds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestConfigFromTOML(t *testing.T) {
	const file = `
[[feeds]]
url = "https://example.org/feed.xml"
name = "Example"
interval = "30m"

[[feeds]]
url = "https://news.example.com/atom"

[fetch]
user_agent = "mybot/2"
timeout = "10s"
max_mb = 4
per_host = 1
max_redirects = 3
max_items = 20
allow_private = true
interval = "1h"
max_age_days = 30
`
	var cfg struct {
		Feeds []FeedConfig `toml:"feeds"`
		Fetch FetchConfig  `toml:"fetch"`
	}
	if _, err := toml.Decode(file, &cfg); err != nil {
		t.Fatal(err)
	}
	opts, err := cfg.Fetch.Options()
	if err != nil {
		t.Fatal(err)
	}
	f := NewFetcher(opts...)
	if f.ua != "mybot/2" || f.timeout != 10*time.Second || f.maxBytes != 4<<20 || f.perHost != 1 ||
		f.maxRedirects != 3 || f.maxItems != 20 || !f.policy.allowPrivate || f.policy.allowLinkLocal {
		t.Errorf("fetcher = %+v", f)
	}
	pc, err := cfg.Fetch.Poller(cfg.Feeds, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPoller(pc, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.feeds[0].interval != 30*time.Minute || p.feeds[1].interval != time.Hour || p.maxAge != 30*24*time.Hour {
		t.Errorf("intervals %v, %v; max age %v", p.feeds[0].interval, p.feeds[1].interval, p.maxAge)
	}
}

func TestConfigDefaults(t *testing.T) {
	opts, err := FetchConfig{}.Options()
	if err != nil {
		t.Fatal(err)
	}
	f := NewFetcher(opts...)
	if f.ua != DefaultUserAgent || f.timeout != DefaultTimeout || f.maxBytes != DefaultMaxBytes ||
		f.perHost != DefaultPerHost || f.policy.allowPrivate || f.policy.allowLinkLocal {
		t.Errorf("defaults = %+v", f)
	}
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: "https://example.org/f"}}}, f, nil)
	if err != nil || p.feeds[0].interval != DefaultInterval {
		t.Errorf("default interval: %v, %v", p, err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		fetch FetchConfig
		feeds []FeedConfig
		want  string
	}{
		{"bad timeout", FetchConfig{Timeout: "soon"}, nil, `fetch.timeout "soon"`},
		{"negative", FetchConfig{PerHost: -1}, nil, "fetch.per_host -1: must not be negative"},
		{"short interval", FetchConfig{Interval: "10s"}, nil, `fetch.interval: "10s": shorter than the minimum 1m0s`},
		{"feed interval", FetchConfig{}, []FeedConfig{{URL: "https://x.org/f", Interval: "often"}}, `feeds[0] interval: "often"`},
		{"bad url", FetchConfig{}, []FeedConfig{{URL: "x.org/feed"}}, "feeds[0] url: bad URL: not absolute"},
		{"file url", FetchConfig{}, []FeedConfig{{URL: "file:///etc/passwd"}}, `feeds[0] url: refused: scheme "file"`},
		{"twice", FetchConfig{}, []FeedConfig{{URL: "https://x.org/f"}, {URL: "https://X.org/f#top"}}, "feeds[1]: https://X.org/f#top is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.fetch.Options()
			if err == nil {
				var pc Config
				pc, err = tt.fetch.Poller(tt.feeds, "")
				if err == nil {
					_, err = NewPoller(pc, NewFetcher(), nil)
				}
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "feeds.json")
	if st, err := LoadState(path); err != nil || len(st) != 0 {
		t.Fatalf("missing file: %v, %v; want empty, nil", st, err)
	}
	states := map[string]*feedState{
		"https://b.org/f": {FeedStatus: FeedStatus{URL: "https://b.org/f", Articles: 3, LastError: "HTTP 500"}, Seen: map[string]string{"x": "1"}},
		"https://a.org/f": {FeedStatus: FeedStatus{URL: "https://a.org/f", Articles: 1}, Validators: Validators{ETag: `"e"`}},
	}
	if err := writeState(FileState(path), states); err != nil {
		t.Fatal(err)
	}
	st, err := LoadState(path)
	if err != nil || len(st) != 2 || st[0].URL != "https://a.org/f" || st[1].Articles != 3 || st[1].LastError != "HTTP 500" {
		t.Fatalf("LoadState = %+v, %v", st, err)
	}
	back, err := readState(FileState(path))
	if err != nil || back["https://a.org/f"].ETag != `"e"` || back["https://b.org/f"].Seen["x"] != "1" {
		t.Errorf("validators or seen items lost: %+v", back)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// Report follows the config, including feeds never fetched.
	rep, err := Report([]FeedConfig{{URL: "https://c.org/new", Name: "New"}, {URL: "https://B.org/f", Name: "Bee"}}, path)
	if err != nil || len(rep) != 2 || rep[0].Name != "New" || !rep[0].LastFetch.IsZero() || rep[1].Articles != 3 || rep[1].Name != "Bee" {
		t.Errorf("Report = %+v, %v", rep, err)
	}

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadState(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("corrupt state: got %v", err)
	}
}

// TestExampleConfigFeedTimeout: config.example.toml documents the feed
// deadline with its default, and the value reaches the Fetcher.
func TestExampleConfigFeedTimeout(t *testing.T) {
	var cfg struct {
		Fetch FetchConfig `toml:"fetch"`
	}
	if _, err := toml.DecodeFile("../../config.example.toml", &cfg); err != nil {
		t.Fatal(err)
	}
	if d, err := time.ParseDuration(cfg.Fetch.FeedTimeout); err != nil || d != DefaultFeedDeadline {
		t.Fatalf("config.example.toml fetch.feed_timeout = %q, want the default %v", cfg.Fetch.FeedTimeout, DefaultFeedDeadline)
	}
	cfg.Fetch.FeedTimeout = "5s"
	opts, err := cfg.Fetch.Options()
	if err != nil {
		t.Fatal(err)
	}
	if f := NewFetcher(opts...); f.feedDeadline != 5*time.Second {
		t.Errorf("feed deadline %v, want 5s", f.feedDeadline)
	}
	cfg.Fetch.FeedTimeout = "soon"
	if _, err := cfg.Fetch.Options(); err == nil || !strings.Contains(err.Error(), "fetch.feed_timeout") {
		t.Errorf("bad feed_timeout: %v", err)
	}
}
