package feeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"newsbot/bot"
	"newsbot/retrieval/ingest"
)

// item is a feed entry reduced to what an article needs.
type item struct {
	// id is the article ID: the canonical link, or for an item without a
	// usable link the feed URL with the item's GUID.
	id string
	// link is the page to fetch; empty when the item has none.
	link      string
	title     string
	source    string
	author    string
	published time.Time
	// content is the item's own HTML content or summary: the fallback text.
	content string
	// version changes when the feed says the item changed.
	version string
}

// feedItems turns the first max items of feed, fetched from feedURL, into
// items. source names the feed; empty means the feed's title, else the
// host.
func feedItems(feed *gofeed.Feed, feedURL *url.URL, source string, max int) []item {
	if source == "" {
		source = oneLine(plainTitle(feed.Title))
	}
	if source == "" {
		source = hostName(feedURL)
	}
	base := feedURL
	if l, err := feedURL.Parse(feed.Link); err == nil && feed.Link != "" {
		base = l
	}
	feedID, _ := ingest.CanonicalURL(feedURL.String())
	var items []item
	for _, fi := range feed.Items {
		if len(items) == max {
			break
		}
		if fi == nil {
			continue
		}
		it := item{
			title:   oneLine(plainTitle(fi.Title)),
			source:  source,
			author:  authors(fi.Authors),
			content: fi.Content,
		}
		if len(strings.TrimSpace(it.content)) < len(strings.TrimSpace(fi.Description)) {
			it.content = fi.Description
		}
		switch {
		case fi.PublishedParsed != nil && ingest.StorableDate(*fi.PublishedParsed):
			it.published = fi.PublishedParsed.UTC()
		case fi.UpdatedParsed != nil && ingest.StorableDate(*fi.UpdatedParsed):
			it.published = fi.UpdatedParsed.UTC()
		}
		it.link, it.id = itemLink(fi, base)
		if it.id == "" {
			key := fi.GUID
			if key == "" {
				key = hash(fi.Title + "\n" + it.content)
			}
			it.id = feedID + "#" + key
		}
		it.version = itemVersion(fi, it)
		items = append(items, it)
	}
	return items
}

// itemLink finds the item's article URL, resolved against the feed's
// site, and its canonical form: the link, else another link, else a GUID
// that is a URL.
func itemLink(fi *gofeed.Item, base *url.URL) (link, id string) {
	candidates := append([]string{fi.Link}, fi.Links...)
	if fi.GUID != "" {
		candidates = append(candidates, fi.GUID)
	}
	for _, c := range candidates {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		u, err := base.Parse(c)
		if err != nil {
			continue
		}
		if id, err := ingest.CanonicalURL(u.String()); err == nil {
			return u.String(), id
		}
	}
	return "", ""
}

// itemVersion identifies one version of an item: its update time if the
// feed gives one, else a hash of what it says.
func itemVersion(fi *gofeed.Item, it item) string {
	if fi.UpdatedParsed != nil {
		return fi.UpdatedParsed.UTC().Format(time.RFC3339)
	}
	return hash(it.title + "\n" + it.published.Format(time.RFC3339) + "\n" + it.content)
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func authors(ps []*gofeed.Person) string {
	var names []string
	for _, p := range ps {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			names = append(names, oneLine(p.Name))
		}
	}
	return strings.Join(names, ", ")
}

// plainTitle removes markup some feeds put in titles.
func plainTitle(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	if t, err := ingest.HTMLText(s); err == nil {
		return t
	}
	return s
}

// pageWorkers bounds how many item pages of one feed are fetched at once;
// the Fetcher's per-host limit applies on top.
const pageWorkers = 4

// itemArticles fetches each item's page and builds its article, keeping
// the items' order. Items that yield no text at all are reported in errs.
func (f *Fetcher) itemArticles(ctx context.Context, items []item) (arts []bot.Article, errs []error) {
	results := make([]*bot.Article, len(items))
	failed := make([]error, len(items))
	sem := make(chan struct{}, pageWorkers)
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			a, err := f.itemArticle(ctx, it)
			if err != nil {
				failed[i] = err
				return
			}
			results[i] = &a
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for i := range items {
		if results[i] != nil && !ids[results[i].ID] { // one link listed twice
			ids[results[i].ID] = true
			arts = append(arts, *results[i])
		}
		if failed[i] != nil {
			errs = append(errs, failed[i])
		}
	}
	return arts, errs
}

// itemArticle builds one item's article from its page, or from the item's
// own content when the page cannot be fetched or extracted, or yields
// less text than the feed itself carries (a teaser or paywall page).
func (f *Fetcher) itemArticle(ctx context.Context, it item) (bot.Article, error) {
	fallback, ferr := ingest.HTMLText(it.content)
	var page bot.Article
	var perr error
	if it.link == "" {
		perr = fmt.Errorf("item has no link")
	} else {
		page, perr = f.fetchPage(ctx, it.link)
	}
	a := bot.Article{ID: it.id, Title: it.title, Source: it.source, URL: it.id, Author: it.author, Published: it.published}
	if it.link == "" {
		a.URL = ""
	}
	switch {
	case perr == nil && (ferr != nil || len(page.Text)*2 >= len(fallback)):
		a.Text = page.Text
		a.Title = firstNonEmpty(a.Title, page.Title)
		a.Author = firstNonEmpty(a.Author, page.Author)
		if a.Published.IsZero() {
			a.Published = page.Published
		}
	case ferr == nil:
		if perr != nil {
			f.log.Warn("article page unavailable; using the feed's own text",
				"url", redact(it.link), "err", perr)
		} else {
			f.log.Info("article page shorter than the feed's text; using the feed's text",
				"url", redact(it.link))
		}
		a.Text = fallback
	default:
		return bot.Article{}, fmt.Errorf("item %q: page: %v; feed has no text", firstNonEmpty(it.title, it.id), perr)
	}
	if a.Title == "" {
		a.Title = ingest.TitleFromText(a.Text)
	}
	return a, nil
}

// fetchPage fetches and extracts one article page.
func (f *Fetcher) fetchPage(ctx context.Context, link string) (bot.Article, error) {
	resp, err := f.Get(ctx, link, Validators{})
	if err != nil {
		return bot.Article{}, err
	}
	if sniff(resp.ContentType, resp.Body) != kindPage {
		return bot.Article{}, fmt.Errorf("not an HTML page (Content-Type %q)", resp.ContentType)
	}
	return pageArticle(resp, link)
}

// firstNonEmpty returns a unless it is empty, else b.
func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// redact hides a URL's password for logs.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
