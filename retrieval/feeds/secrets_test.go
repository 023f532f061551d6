package feeds

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRedactURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://bob:hunter2@example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://bob@example.org/feed.xml?page=2", "https://example.org/feed.xml?page=2"},
		{"https://example.org/f?token=abc&lang=en&api_key=k1&X-Amz-Signature=s1&sig=s2&Password=p&auth=a&client_secret=c&sessionid=x",
			"https://example.org/f?token=REDACTED&lang=en&api_key=REDACTED&X-Amz-Signature=REDACTED&sig=REDACTED&Password=REDACTED&auth=REDACTED&client_secret=REDACTED&sessionid=REDACTED"},
		{"https://example.org/f?access%5Ftoken=abc&flag", "https://example.org/f?access_token=REDACTED&flag"},
		{"https://example.org/f?q=a%20b#frag", "https://example.org/f?q=a%20b#frag"},
		{"http://[::1:bad", "(unparseable URL)"},
	} {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// secretLeases is a bot.Leaser that records the lease names it is asked for.
type secretLeases struct {
	mu    sync.Mutex
	names []string
}

func (l *secretLeases) Acquire(_ context.Context, name, _ string, _ time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, name)
	return true, nil
}

func (l *secretLeases) Release(context.Context, string, string) error { return nil }

// TestCredentialsNeverStoredOrShown (issue #23, point 7): a feed URL with
// a password and a token in its query is fetched with them, but the feed
// state, lease names, the log, Status and "newsbot feeds" hold neither; a
// state file an older newsbot wrote with credentials loses them at the
// next save.
func TestCredentialsNeverStoredOrShown(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL, `<item><title>One</title><link>`+s.URL+`/nowhere</link><description>Story one of the day, told in the feed itself.</description></item>`))
	secretURL := strings.Replace(s.URL, "http://", "http://reader:hunter2@", 1) + "/rss.xml?lang=en&token=tok-SECRET-1&api_key=key-SECRET-2"
	secrets := []string{"hunter2", "reader", "tok-SECRET-1", "key-SECRET-2"}
	statePath := filepath.Join(t.TempDir(), "feeds.json")
	// What an older newsbot saved: the URL with its credentials.
	os.WriteFile(statePath, []byte(`{"version":1,"feeds":[{"url":"`+secretURL+`","articles":3,"items":1,"etag":"x"}]}`), 0o600)
	var log bytes.Buffer
	leases := &secretLeases{}
	c := newCollector()
	logger := slog.New(slog.NewTextHandler(&lockedWriter{buf: &log}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: secretURL}}, State: FileState(statePath)},
		testFetcher(&log), c.sink, WithLeaser(leases, "me"), WithPollerLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	if st := p.Status(); st[0].Articles != 3 {
		t.Errorf("the old state was not found under the redacted URL: %+v", st[0])
	}
	if err := p.PollOnce(hangGuard(t)); err != nil {
		t.Fatal(err)
	}
	if len(c.stored()) != 1 {
		t.Fatalf("stored %v", c.stored())
	}
	state, _ := os.ReadFile(statePath)
	var table bytes.Buffer
	rep, err := Report([]FeedConfig{{URL: secretURL}}, statePath)
	if err != nil {
		t.Fatal(err)
	}
	WriteTable(&table, rep, time.Now())
	leases.mu.Lock()
	names := strings.Join(leases.names, "\n")
	leases.mu.Unlock()
	for what, text := range map[string]string{
		"state file": string(state), "log": log.String(), "feeds table": table.String(),
		"lease names": names, "Status": p.Status()[0].URL, "Report": rep[0].URL, "Leases": strings.Join(p.Leases(), " "),
	} {
		for _, sec := range secrets {
			if strings.Contains(text, sec) {
				t.Errorf("%s holds %q:\n%s", what, sec, text)
			}
		}
	}
	if !strings.Contains(string(state), "token=REDACTED") || !strings.Contains(table.String(), "token=REDACTED") {
		t.Errorf("state or table lost the redacted URL:\n%s\n%s", state, table.String())
	}
	if s.count("/rss.xml") == 0 {
		t.Error("the feed was not fetched")
	}
}
