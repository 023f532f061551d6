package feeds

import (
	"fmt"
	"time"
)

// DefaultInterval is the poll interval of a feed configured without one.
const DefaultInterval = 15 * time.Minute

// MinInterval is the shortest poll interval a config may ask for; it keeps
// a misconfigured feed from hammering its server. It is a variable only so
// that end-to-end tests, which run the test binary as newsbot, can poll a
// loopback feed every few seconds; newsbot itself never changes it.
var MinInterval = time.Minute

// FeedConfig is one [[feeds]] entry of the config file.
type FeedConfig struct {
	// URL is the feed's address (RSS 2.0, Atom or JSON Feed).
	URL string `toml:"url"`
	// Name, when set, is the articles' Source; else the feed's title.
	Name string `toml:"name"`
	// Interval is a Go duration ("30m"); empty means the [fetch] interval.
	Interval string `toml:"interval"`
}

// FetchConfig is the [fetch] section of the config file. Zero values mean
// the defaults.
type FetchConfig struct {
	UserAgent    string `toml:"user_agent"`
	Timeout      string `toml:"timeout"`
	MaxMB        int    `toml:"max_mb"`
	PerHost      int    `toml:"per_host"`
	MaxRedirects int    `toml:"max_redirects"`
	MaxItems     int    `toml:"max_items"`
	// FeedTimeout bounds all item-page fetches of one feed ("60s").
	FeedTimeout    string `toml:"feed_timeout"`
	AllowPrivate   bool   `toml:"allow_private"`
	AllowLinkLocal bool   `toml:"allow_link_local"`
	// Interval is the default poll interval for feeds without their own.
	Interval string `toml:"interval"`
	// MaxAgeDays, when > 0, drops articles older than that many days.
	MaxAgeDays int `toml:"max_age_days"`
}

// Options turns the section into Fetcher options.
func (c FetchConfig) Options() ([]Option, error) {
	var opts []Option
	if c.UserAgent != "" {
		opts = append(opts, WithUserAgent(c.UserAgent))
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("fetch.timeout %q: want a positive duration such as \"30s\"", c.Timeout)
		}
		opts = append(opts, WithTimeout(d))
	}
	if c.FeedTimeout != "" {
		d, err := time.ParseDuration(c.FeedTimeout)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("fetch.feed_timeout %q: want a positive duration such as \"60s\"", c.FeedTimeout)
		}
		opts = append(opts, WithFeedDeadline(d))
	}
	for _, v := range []struct {
		key string
		n   int
		opt func(int) Option
	}{
		{"max_mb", c.MaxMB, func(n int) Option { return WithMaxBytes(int64(n) << 20) }},
		{"per_host", c.PerHost, WithPerHostLimit},
		{"max_redirects", c.MaxRedirects, WithMaxRedirects},
		{"max_items", c.MaxItems, WithMaxItems},
	} {
		switch {
		case v.n < 0:
			return nil, fmt.Errorf("fetch.%s %d: must not be negative", v.key, v.n)
		case v.n > 0:
			opts = append(opts, v.opt(v.n))
		}
	}
	opts = append(opts, WithAllowPrivate(c.AllowPrivate), WithAllowLinkLocal(c.AllowLinkLocal))
	return opts, nil
}

// Poller returns the Poller configuration for feeds with this section's
// interval and retention, keeping state in statePath.
func (c FetchConfig) Poller(feeds []FeedConfig, statePath string) (Config, error) {
	cfg := Config{Feeds: feeds, MaxAgeDays: c.MaxAgeDays, StatePath: statePath}
	if c.MaxAgeDays < 0 {
		return Config{}, fmt.Errorf("fetch.max_age_days %d: must not be negative", c.MaxAgeDays)
	}
	if c.Interval != "" {
		d, err := parseInterval(c.Interval)
		if err != nil {
			return Config{}, fmt.Errorf("fetch.interval: %w", err)
		}
		cfg.Interval = d
	}
	return cfg, nil
}

func parseInterval(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: want a duration such as \"15m\"", s)
	}
	if d < MinInterval {
		return 0, fmt.Errorf("%q: shorter than the minimum %v", s, MinInterval)
	}
	return d, nil
}
