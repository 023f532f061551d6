package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/adapters/cli"
)

// newsSite serves an RSS feed and its article pages on loopback; items can
// be added while it runs.
type newsSite struct {
	mu    sync.Mutex
	items []siteItem
	srv   *httptest.Server
}

type siteItem struct {
	slug, title, body string
	date              time.Time
}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *newsSite) add(it siteItem) {
	s.mu.Lock()
	s.items = append(s.items, it)
	s.mu.Unlock()
}

func (s *newsSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/feed.xml" {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Daily</title><link>`+s.srv.URL+`</link>`)
		for _, it := range s.items {
			fmt.Fprintf(w, `<item><title>%s</title><link>%s/news/%s?utm_source=rss</link><pubDate>%s</pubDate><description>%s</description></item>`,
				it.title, s.srv.URL, it.slug, it.date.Format(time.RFC1123Z), it.title)
		}
		fmt.Fprint(w, `</channel></rss>`)
		return
	}
	for _, it := range s.items {
		if r.URL.Path == "/news/"+it.slug {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>%s</title></head><body><nav><a href="/">Home</a> | <a href="/sport">Sport</a> | Subscribe now!</nav>
<article><h1>%s</h1><p>%s</p></article><footer>© Loopback Daily. Advertise with us.</footer></body></html>`, it.title, it.title, it.body)
			return
		}
	}
	http.NotFound(w, r)
}

func feedConfig(t *testing.T, feedURL string) string {
	p := filepath.Join(t.TempDir(), "newsbot.toml")
	body := fmt.Sprintf("[[feeds]]\nurl = %q\nname = \"Loopback Daily\"\ninterval = \"1m\"\n\n[fetch]\nallow_private = true\n", feedURL)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const damBody = "The Kariba dam reopened its northern turbines on Tuesday after a drought. Engineers said output would reach 800 megawatts by March, enough for two million homes. The utility thanked residents for their patience during months of rationing."

// TestIngestFeedsAndLatest ingests a feed once, lets it gain a newer item
// about the same story, ingests again, and checks that a "latest" question
// quotes the newer article with its date and source.
func TestIngestFeedsAndLatest(t *testing.T) {
	site := newNewsSite(t)
	old := time.Now().AddDate(0, 0, -20).Truncate(time.Second)
	site.add(siteItem{"dam-old", "Kariba dam output falls", "The Kariba dam cut its output to 300 megawatts on Monday as the drought deepened. Engineers said the turbines could restart once the rains return.", old})
	cfg := feedConfig(t, site.srv.URL+"/feed.xml")
	m, out, errb := testMain(t, nil)
	ctx := context.Background()
	if err := m.Run(ctx, []string{"--config", cfg, "ingest", "--feeds"}); err != nil {
		t.Fatalf("ingest --feeds: %v\n%s", err, errb)
	}
	out.Reset()
	if err := m.Run(ctx, []string{"--config", cfg, "feeds"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Loopback Daily") {
		t.Errorf("feeds table:\n%s", out)
	}

	recent := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	site.add(siteItem{"dam-new", "Kariba dam turbines restart", damBody, recent})
	if err := m.Run(ctx, []string{"--config", cfg, "ingest", "--feeds"}); err != nil {
		t.Fatalf("second ingest --feeds: %v\n%s", err, errb)
	}
	a := askJSON(t, m, out, "What's the latest on the Kariba dam turbines?")
	if !a.Answered {
		t.Fatalf("not answered: %+v", a)
	}
	q := a.Quotes[0]
	if !strings.Contains(damBody, q.Text) {
		t.Errorf("latest question quoted the older article: %q", q.Text)
	}
	if q.Source != "Loopback Daily" || q.Published != recent.UTC().Format(time.RFC3339) {
		t.Errorf("citation source %q published %q, want Loopback Daily %s", q.Source, q.Published, recent.UTC().Format(time.RFC3339))
	}
	if strings.Contains(q.URL, "utm_source") || !strings.HasSuffix(q.URL, "/news/dam-new") {
		t.Errorf("stored URL %q should be canonical", q.URL)
	}
	for _, junk := range []string{"Subscribe", "Advertise"} {
		if strings.Contains(a.Message, junk) {
			t.Errorf("page boilerplate %q reached the answer", junk)
		}
	}
}

// TestServePollsFeeds runs serve with only a feed configured: its first
// poll stores the items, and questions about them are answered while serve
// runs.
func TestServePollsFeeds(t *testing.T) {
	site := newNewsSite(t)
	site.add(siteItem{"dam-new", "Kariba dam turbines restart", damBody, time.Now().Add(-time.Hour)})
	cfg := feedConfig(t, site.srv.URL+"/feed.xml")
	m, _, errb := testMain(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"--config", cfg, "serve"}) }()
	// Like a user running `newsbot ask` beside the server: each poll saves
	// the store, and a second process sees what it stored.
	deadline := time.Now().Add(30 * time.Second)
	var ans cli.JSONAnswer
	for time.Now().Before(deadline) && !ans.Answered {
		time.Sleep(300 * time.Millisecond)
		m2, out2, _ := testMain(t, map[string]string{"XDG_DATA_HOME": m.Getenv("XDG_DATA_HOME")})
		if err := m2.Run(ctx, []string{"ask", "--json", "How much power will the Kariba dam produce by March?"}); err != nil {
			continue
		}
		json.Unmarshal(out2.Bytes(), &ans)
		m2.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, errb)
	}
	if !ans.Answered {
		t.Fatalf("the polled article was never answered from; log:\n%s", errb)
	}
	// The polled article must be quoted with its citation. Which of its
	// sentences comes first is the answer model's business: "power" /
	// "produce" against "output would reach 800 megawatts" is a paraphrase it
	// does not rank first yet (README, Answer quality), so it is not asserted.
	if q := ans.Quotes[0]; !strings.HasSuffix(q.ArticleID, "/news/dam-new") || q.Published == "" || q.Source != "Loopback Daily" {
		t.Errorf("quote %+v", q)
	}
	if !strings.Contains(damBody, ans.Quotes[0].Text) {
		t.Errorf("quote %q is not from the polled article", ans.Quotes[0].Text)
	}
}
