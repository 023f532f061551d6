package feeds

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFetchURLFeeds(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss.xml", "application/rss+xml", rssFeed(s.URL, "alpha", "beta"))
	s.setFeed("/atom.xml", "application/atom+xml", atomFeed(s.URL, "alpha", "beta"))
	s.setFeed("/feed.json", "application/feed+json", jsonFeed(s.URL, "alpha", "beta"))
	// Servers often mislabel feeds; detection must sniff the body.
	s.setFeed("/mislabelled", "text/html", rssFeed(s.URL, "alpha", "beta"))

	tests := []struct{ path, source string }{
		{"/rss.xml", "Test Herald RSS"},
		{"/atom.xml", "Test Herald Atom"},
		{"/feed.json", "Test Herald JSON"},
		{"/mislabelled", "Test Herald RSS"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var log bytes.Buffer
			arts, err := testFetcher(&log).FetchURL(hangGuard(t), s.URL+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(arts) != 2 {
				t.Fatalf("got %d articles, want 2", len(arts))
			}
			for i, slug := range []string{"alpha", "beta"} {
				a := arts[i]
				wantID := s.URL + "/news/" + slug
				if a.ID != wantID || a.URL != wantID {
					t.Errorf("ID, URL = %q, %q; want %q (tracking parameters and fragment dropped)", a.ID, a.URL, wantID)
				}
				if a.Title != "Item "+slug || a.Source != tt.source || a.Author != "Writer "+slug {
					t.Errorf("Title, Source, Author = %q, %q, %q", a.Title, a.Source, a.Author)
				}
				if want := time.Date(2024, 4, i+1, 8, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
					t.Errorf("Published = %v, want %v", a.Published, want)
				}
				// The stored text is the page's article body, not the
				// feed's summary and not the page's chrome.
				mustContainAll(t, a.Text, bodyText(slug)[0]+"\n\n"+bodyText(slug)[1])
				mustContainNone(t, a.Text, append(boilerplate, "Summary of")...)
			}
		})
	}
}

func TestFetchURLPage(t *testing.T) {
	s := newSite(t)
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/news/gamma?utm_campaign=x#top")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 {
		t.Fatalf("got %d articles", len(arts))
	}
	a := arts[0]
	if a.ID != s.URL+"/news/gamma" || a.Source != "Test Herald" || a.Title != "Page title for gamma" || a.Author != "Page Author" {
		t.Errorf("got ID %q Source %q Title %q Author %q", a.ID, a.Source, a.Title, a.Author)
	}
	mustContainAll(t, a.Text, bodyText("gamma")...)
	mustContainNone(t, a.Text, boilerplate...)
}

func TestFetchURLNeither(t *testing.T) {
	s := newSite(t)
	s.setFeed("/data.bin", "application/octet-stream", "\x00\x01\x02binary")
	_, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/data.bin")
	if err == nil || !strings.Contains(err.Error(), "not a feed or an HTML page") {
		t.Errorf("got %v", err)
	}
}

func TestFallbackToItemContent(t *testing.T) {
	s := newSite(t)
	feed := strings.Replace(rssFeed(s.URL, "alpha", "gone"), "<description>Summary of gone.</description>",
		"<description>&lt;p&gt;The feed's own &lt;b&gt;full&lt;/b&gt; text of the gone story.&lt;/p&gt;</description>", 1)
	s.setFeed("/rss.xml", "application/rss+xml", feed)
	s.handle("/news/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })

	var log bytes.Buffer
	arts, err := testFetcher(&log).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[1].Text != "The feed's own full text of the gone story." {
		t.Fatalf("got %+v", arts)
	}
	mustContainAll(t, log.String(), "using the feed's own text", "/news/gone", "HTTP 410 Gone")
}

func TestItemWithoutAnyText(t *testing.T) {
	s := newSite(t)
	feed := strings.Replace(rssFeed(s.URL, "alpha", "gone"), "<description>Summary of gone.</description>", "", 1)
	s.setFeed("/rss.xml", "application/rss+xml", feed)
	s.handle("/news/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil || len(arts) != 1 || arts[0].ID != s.URL+"/news/alpha" {
		t.Errorf("got %d articles, %v; want only alpha", len(arts), err)
	}
}
