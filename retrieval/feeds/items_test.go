package feeds

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFeedItems(t *testing.T) {
	feedURL, _ := url.Parse("https://feeds.example.org/rss?utm_source=x")
	const doc = `<?xml version="1.0"?><rss version="2.0"><channel><title>Site &amp; Co</title>
<link>https://www.example.org/</link>
<item><title>Relative &lt;em&gt;link&lt;/em&gt;</title><link>/news/one?utm_medium=rss</link></item>
<item><title>Permalink GUID</title><guid>https://www.example.org/news/two</guid></item>
<item><title>No link</title><guid isPermaLink="false">tag:example.org,2024:3</guid><description>Text only.</description></item>
<item><title>Nothing at all</title><description>Bare.</description></item>
</channel></rss>`
	feed, err := parseFeed([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	items := feedItems(feed, feedURL, "", 10)
	want := []struct{ id, link, title string }{
		{"https://www.example.org/news/one", "https://www.example.org/news/one?utm_medium=rss", "Relative link"},
		{"https://www.example.org/news/two", "https://www.example.org/news/two", "Permalink GUID"},
		{"https://feeds.example.org/rss#tag:example.org,2024:3", "", "No link"},
		{"https://feeds.example.org/rss#" + hash("Nothing at all\nBare."), "", "Nothing at all"},
	}
	if len(items) != len(want) {
		t.Fatalf("got %d items", len(items))
	}
	for i, w := range want {
		it := items[i]
		if it.id != w.id || it.link != w.link || it.title != w.title || it.source != "Site & Co" {
			t.Errorf("item %d = id %q link %q title %q source %q; want %+v", i, it.id, it.link, it.title, it.source, w)
		}
	}
	if got := feedItems(feed, feedURL, "Configured", 2); len(got) != 2 || got[0].source != "Configured" {
		t.Errorf("max items or configured name ignored: %+v", got)
	}
	feed.Title = ""
	if got := feedItems(feed, feedURL, "", 1); got[0].source != "feeds.example.org" {
		t.Errorf("source without a title = %q, want the host", got[0].source)
	}
}

func TestPerHostLimit(t *testing.T) {
	s := newSite(t)
	var mu sync.Mutex
	inFlight, peak := 0, 0
	slugs := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	for _, slug := range slugs {
		s.handle("/news/"+slug, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond) // let requests overlap if the limit allows it
			mu.Lock()
			inFlight--
			mu.Unlock()
			fmt.Fprint(w, articlePage(slug))
		})
	}
	s.setFeed("/rss.xml", "application/rss+xml", rssFeed(s.URL, slugs...))
	arts, err := testFetcher(nil, WithPerHostLimit(2)).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil || len(arts) != len(slugs) {
		t.Fatalf("got %d articles, %v", len(arts), err)
	}
	if peak > 2 {
		t.Errorf("%d concurrent requests to one host, limit 2", peak)
	}
}

func TestPageShorterThanFeedText(t *testing.T) {
	s := newSite(t)
	long := strings.Repeat("The feed carries the full story in its content element. ", 30)
	feed := strings.Replace(rssFeed(s.URL, "teaser"), "<description>Summary of teaser.</description>",
		"<description>"+long+"</description>", 1)
	s.setFeed("/rss.xml", "application/rss+xml", feed)
	s.handle("/news/teaser", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body><article><p>Subscribe to read this story.</p></article></body></html>")
	})
	var log bytes.Buffer
	arts, err := testFetcher(&log).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil || len(arts) != 1 {
		t.Fatalf("got %v, %v", arts, err)
	}
	if arts[0].Text != strings.TrimSpace(long) {
		t.Errorf("text = %.80q, want the feed's fuller text", arts[0].Text)
	}
	mustContainAll(t, log.String(), "shorter than the feed's text")
}
