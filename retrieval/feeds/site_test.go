package feeds

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/bot"
)

// site is a loopback news site for tests: article pages wrapped in
// navigation and ads, feeds in three formats, and misbehaving endpoints.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
	// feeds maps a path to a feed document and its Content-Type.
	feeds map[string]doc
	// extra maps a path to a handler for special cases.
	extra map[string]http.HandlerFunc
}

type doc struct{ contentType, body string }

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{hits: map[string]int{}, feeds: map[string]doc{}, extra: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	h, special := s.extra[r.URL.Path]
	d, isFeed := s.feeds[r.URL.Path]
	s.mu.Unlock()
	switch {
	case special:
		h(w, r)
	case isFeed:
		w.Header().Set("Content-Type", d.contentType)
		fmt.Fprint(w, d.body)
	case strings.HasPrefix(r.URL.Path, "/news/"):
		slug := strings.TrimPrefix(r.URL.Path, "/news/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage(slug))
	default:
		http.NotFound(w, r)
	}
}

func (s *site) setFeed(path, contentType, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[path] = doc{contentType, body}
}

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extra[path] = h
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// bodyText is the article text of the page for slug: what must be stored.
func bodyText(slug string) []string {
	return []string{
		fmt.Sprintf("Officials confirmed the %s story on Tuesday after a long investigation into the matter by the regional council.", slug),
		fmt.Sprintf("The report on %s runs to two hundred pages and makes thirty recommendations, most of which the council accepted in full.", slug),
		"Critics said the changes did not go far enough, and promised to keep up the pressure until the next election in the spring.",
	}
}

// boilerplate is text from the page chrome that must not be stored.
var boilerplate = []string{"NAVLINK", "ADVERT", "SIDEBAR", "FOOTER", "Subscribe now"}

func articlePage(slug string) string {
	var paras strings.Builder
	for _, p := range bodyText(slug) {
		fmt.Fprintf(&paras, "<p>%s</p>\n", html.EscapeString(p))
	}
	return `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>` + slug + ` | Test Herald</title>
<meta property="og:site_name" content="Test Herald">
<meta property="og:title" content="Page title for ` + slug + `">
<meta name="author" content="Page Author">
</head><body>
<header><nav class="menu"><ul><li><a href="/">Home NAVLINK</a></li><li><a href="/a">World NAVLINK</a></li>
<li><a href="/b">Sport NAVLINK</a></li><li><a href="/c">Weather NAVLINK</a></li></ul></nav></header>
<div class="advertisement ad-banner">ADVERT: cheap flights, Subscribe now!</div>
<article><h1>` + slug + `</h1>
` + paras.String() + `</article>
<aside class="sidebar"><h3>Most read SIDEBAR</h3><ul><li><a href="/x">One SIDEBAR</a></li><li><a href="/y">Two SIDEBAR</a></li></ul></aside>
<footer class="footer">FOOTER © Test Herald</footer>
</body></html>`
}

func rssFeed(base string, items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Test Herald RSS</title><link>` + base + `/</link><description>News</description>`)
	for i, slug := range items {
		fmt.Fprintf(&b, `<item><title>Item %s</title><link>%s/news/%s?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">guid-%s</guid><pubDate>Tue, 0%d Apr 2024 08:00:00 GMT</pubDate>
<dc:creator>Writer %s</dc:creator><description>Summary of %s.</description></item>`, slug, base, slug, slug, i+1, slug, slug)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func atomFeed(base string, items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Test Herald Atom</title><id>urn:test</id>
<updated>2024-04-09T08:00:00Z</updated><link href="` + base + `/"/>`)
	for i, slug := range items {
		fmt.Fprintf(&b, `<entry><title>Item %s</title><link href="%s/news/%s#comments"/><id>urn:%s</id>
<published>2024-04-0%dT08:00:00Z</published><updated>2024-04-0%dT08:00:00Z</updated>
<author><name>Writer %s</name></author><summary>Summary of %s.</summary></entry>`, slug, base, slug, slug, i+1, i+1, slug, slug)
	}
	b.WriteString(`</feed>`)
	return b.String()
}

func jsonFeed(base string, items ...string) string {
	var entries []string
	for i, slug := range items {
		entries = append(entries, fmt.Sprintf(`{"id": "j-%s", "url": "%s/news/%s?fbclid=abc", "title": "Item %s",
"summary": "Summary of %s.", "date_published": "2024-04-0%dT08:00:00Z", "authors": [{"name": "Writer %s"}]}`,
			slug, base, slug, slug, slug, i+1, slug))
	}
	return `{"version": "https://jsonfeed.org/version/1.1", "title": "Test Herald JSON", "home_page_url": "` + base + `/",
"items": [` + strings.Join(entries, ",") + `]}`
}

// testFetcher allows loopback (the test site) and logs into buf.
func testFetcher(buf *bytes.Buffer, opts ...Option) *Fetcher {
	var w = &lockedWriter{buf: buf}
	base := []Option{WithAllowPrivate(true), WithTimeout(5 * time.Second),
		WithLogger(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	return NewFetcher(append(base, opts...)...)
}

// lockedWriter serialises log writes from concurrent fetches.
type lockedWriter struct {
	mu  sync.Mutex
	buf *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf == nil {
		return len(p), nil
	}
	return l.buf.Write(p)
}

// hangGuard bounds a test that could hang if the code under test is wrong.
func hangGuard(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// collector is a Sink that records what it stores, like a store keyed by ID.
type collector struct {
	mu      sync.Mutex
	calls   int
	byID    map[string]bot.Article
	history []string // IDs in the order stored
	fail    error
}

func newCollector() *collector { return &collector{byID: map[string]bot.Article{}} }

func (c *collector) sink(_ context.Context, arts []bot.Article) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.fail != nil {
		return c.fail
	}
	for _, a := range arts {
		c.byID[a.ID] = a
		c.history = append(c.history, a.ID)
	}
	return nil
}

func (c *collector) stored() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.history...)
}

func mustContainAll(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("missing %q in:\n%s", sub, s)
		}
	}
}

func mustContainNone(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("unexpected %q in:\n%s", sub, s)
		}
	}
}
