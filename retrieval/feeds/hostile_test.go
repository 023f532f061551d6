package feeds

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsbot/bot"
	"newsbot/retrieval/internal/allocs"
)

// serveFeed serves body as an RSS feed on loopback and returns a Fetcher
// allowed to reach it, with the given options.
func serveFeed(t *testing.T, body string, opts ...Option) (*Fetcher, string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, body)
			return
		}
		http.NotFound(w, r) // item pages: the feed's own content is used
	}))
	t.Cleanup(srv.Close)
	opts = append([]Option{WithAllowPrivate(true), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, opts...)
	return NewFetcher(opts...), srv.URL + "/feed.xml"
}

func TestBillionLaughsFeed(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		fmt.Fprintf(&b, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
		prev = name
	}
	b.WriteString(`]><rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title>` +
		`<guid>urn:laugh</guid><description>Entity &lol9; here. A sentence of real text follows it.</description></item></channel></rss>`)
	f, url := serveFeed(t, b.String())
	var arts []bot.Article
	var err error
	mem := allocs.Bytes(func() { arts, err = f.FetchURL(context.Background(), url) })
	// Fully expanded, &lol9; is 10^9 "lol"s: 3 GB. Go's XML decoder does not
	// expand entities declared in a DTD, so the outcome is an error or
	// articles holding at most the entity's name.
	if mem > 64<<20 {
		t.Errorf("parsing allocated %d MB", mem>>20)
	}
	for _, a := range arts {
		if len(a.Text) > 1<<10 || len(a.Title) > 1<<10 || strings.Contains(a.Text, "lollollol") {
			t.Errorf("an entity was expanded: title %d bytes, text %d bytes", len(a.Title), len(a.Text))
		}
	}
	t.Logf("billion laughs: %d articles, err %v, %d KB allocated", len(arts), err, mem>>10)
}

func TestFeedOfHundredThousandItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>`)
	for i := range 100_000 {
		fmt.Fprintf(&b, `<item><title>Item %d</title><guid>urn:item:%d</guid><description>Item %d says hello to the world.</description></item>`, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	body := b.String()

	t.Run("over the size limit", func(t *testing.T) {
		f, url := serveFeed(t, body) // about 11 MB, over the 10 MB default
		arts, err := f.FetchURL(context.Background(), url)
		if err == nil || len(arts) != 0 || strings.Contains(err.Error(), "\n") {
			t.Fatalf("got %d articles and error %v; want a one-line size error", len(arts), err)
		}
		t.Logf("outcome: %v", err)
	})
	t.Run("within a raised limit", func(t *testing.T) {
		if testing.Short() {
			t.Skip("parses 100,000 items: seconds of CPU")
		}
		f, url := serveFeed(t, body, WithMaxBytes(int64(len(body))+1))
		var arts []bot.Article
		var err error
		mem := allocs.Bytes(func() { arts, err = f.FetchURL(context.Background(), url) })
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != DefaultMaxItems {
			t.Errorf("%d articles, want the first %d items only", len(arts), DefaultMaxItems)
		}
		t.Logf("outcome: %d articles, %d MB allocated for a %d MB feed", len(arts), mem>>20, len(body)>>20)
	})
}
