package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/mmcdole/gofeed"

	"newsbot/bot"
	"newsbot/retrieval/ingest"
)

// kind is what a fetched document turned out to be.
type kind int

const (
	kindOther kind = iota
	kindFeed
	kindPage
)

// sniff decides between feed and page from the Content-Type and the first
// bytes, since servers often label feeds text/html or text/plain. It
// returns the feed document: the body, or the Atom feed an XML or XHTML
// document carries inside it.
func sniff(contentType string, body []byte) (kind, []byte) {
	head := body[:min(len(body), 4096)]
	if gofeed.DetectFeedType(bytes.NewReader(head)) != gofeed.FeedTypeUnknown {
		return kindFeed, body
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "" || strings.Contains(mt, "xml") || bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) {
		if atom := embeddedAtom(body); atom != nil {
			return kindFeed, atom
		}
	}
	return sniffPage(mt, head), body
}

func sniffPage(mt string, head []byte) kind {
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return kindPage
	case mt == "" || mt == "application/octet-stream" || mt == "text/plain":
		if strings.HasPrefix(http.DetectContentType(head), "text/html") {
			return kindPage
		}
	}
	return kindOther
}

// FetchURL fetches a feed or an article page and returns its articles: for
// a feed, one per item (each item's page fetched and its main text
// extracted, falling back to the item's own content when the page cannot
// be fetched or extracted); for a page, the one article. Source is the
// feed's title or the page's site name, else the host.
func (f *Fetcher) FetchURL(ctx context.Context, rawURL string) ([]bot.Article, error) {
	resp, err := f.Get(ctx, rawURL, Validators{})
	if err != nil {
		return nil, err
	}
	k, doc := sniff(resp.ContentType, resp.Body)
	switch k {
	case kindFeed:
		feed, err := parseFeed(doc)
		if err != nil {
			return nil, err
		}
		items := feedItems(feed, resp.URL, "", f.maxItems)
		arts, errs := f.itemArticles(ctx, items)
		if len(arts) == 0 && len(errs) > 0 {
			return nil, fmt.Errorf("no article from feed: %w", errors.Join(errs...))
		}
		return arts, nil
	case kindPage:
		a, err := pageArticle(resp, rawURL, f.log)
		if err != nil {
			return nil, err
		}
		return []bot.Article{a}, nil
	}
	return nil, fmt.Errorf("not a feed or an HTML page (Content-Type %q)", resp.ContentType)
}

// pageArticle extracts the article from a fetched HTML page. Its ID and
// URL come from the URL asked for (canonicalised), not the final one, so
// that the ID matches what a feed linking to it produces.
func pageArticle(resp *Response, asked string, log *slog.Logger) (bot.Article, error) {
	a, err := ingest.HTML(bytes.NewReader(resp.Body), resp.URL, ingest.WithContentType(resp.ContentType), ingest.WithLogger(log))
	if err != nil {
		return bot.Article{}, fmt.Errorf("extract article: %w", err)
	}
	if id, err := ingest.CanonicalURL(asked); err == nil {
		a.ID, a.URL = id, id
	}
	return a, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
