package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"newsbot/bot"
	"newsbot/retrieval/ingest"
)

// pageWorkers bounds how many item pages of one feed are fetched at once;
// the Fetcher's per-host limit applies on top.
const pageWorkers = 4

// hostGiveUp is how many timeouts from one host make the rest of a feed's
// items on that host use the feed's own text without trying: a host that
// accepts connections and never answers would otherwise cost a timeout
// per item.
const hostGiveUp = 2

// itemArticles fetches each item's page and builds its article, keeping
// the items' order. All page fetches of one call share the feed deadline
// (WithFeedDeadline): items not fetched by then, and items on a host that
// has timed out hostGiveUp times, use the feed's own text. Items that yield
// no text at all are reported in errs.
func (f *Fetcher) itemArticles(ctx context.Context, items []item) (arts []bot.Article, errs []error) {
	pageCtx, cancel := context.WithTimeout(ctx, f.feedDeadline)
	defer cancel()
	slow := &slowHosts{n: map[string]int{}}
	results := make([]*bot.Article, len(items))
	failed := make([]error, len(items))
	sem := make(chan struct{}, pageWorkers)
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			a, err := f.itemArticle(pageCtx, it, slow)
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

// slowHosts counts timeouts per host during one feed's fetch.
type slowHosts struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *slowHosts) timedOut(host string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n[host]++
}

func (s *slowHosts) givenUp(host string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n[host] >= hostGiveUp
}

// itemArticle builds one item's article from its page, or from the item's
// own content when the page cannot be fetched or extracted, yields less
// text than the feed itself carries (a teaser), looks like a consent or
// paywall interstitial, or shares almost nothing with the item (a front
// page served for an unknown path).
func (f *Fetcher) itemArticle(ctx context.Context, it item, slow *slowHosts) (bot.Article, error) {
	fallback, ferr := feedText(it.content)
	page, perr := f.itemPage(ctx, it, slow)
	usePage := perr == nil && (ferr != nil || len(page.Text)*2 >= len(fallback))
	if usePage {
		if why := unrelatedPage(page.Text, it.title, fallback); why != "" {
			usePage, perr = false, errors.New(why)
		}
	}
	a := bot.Article{ID: it.id, Title: it.title, Source: it.source, URL: it.id, Author: it.author, Published: it.published}
	if it.link == "" {
		a.URL = ""
	}
	switch {
	case usePage:
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
		return bot.Article{}, fmt.Errorf("item %q: page: %v; feed: %v", firstNonEmpty(it.title, it.id), perr, ferr)
	}
	if a.Title == "" {
		a.Title = ingest.TitleFromText(a.Text)
	}
	return a, nil
}

// itemPage fetches the item's page unless there is none, the feed's
// deadline has passed or its host has given up.
func (f *Fetcher) itemPage(ctx context.Context, it item, slow *slowHosts) (bot.Article, error) {
	if it.link == "" {
		return bot.Article{}, errors.New("item has no link")
	}
	host := ""
	if u, err := url.Parse(it.link); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	// Asked before the request and again once the host's slot is free:
	// items queued behind requests that timed out are not sent.
	ready := func() error {
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("not fetched: the feed's deadline of %v passed", f.feedDeadline)
		case slow.givenUp(host):
			return fmt.Errorf("not fetched: %s timed out %d times", host, hostGiveUp)
		}
		return nil
	}
	if err := ready(); err != nil {
		return bot.Article{}, err
	}
	page, err := f.fetchPage(ctx, it.link, &hostHooks{ready: ready, timedOut: func() { slow.timedOut(host) }})
	if err != nil && !errors.Is(err, ErrTimeout) && ctx.Err() != nil {
		// Waiting for the host's slot outlasted the feed's deadline.
		return page, fmt.Errorf("not fetched: the feed's deadline of %v passed", f.feedDeadline)
	}
	return page, err
}

// fetchPage fetches and extracts one article page; hooks are as for get.
func (f *Fetcher) fetchPage(ctx context.Context, link string, hooks *hostHooks) (bot.Article, error) {
	resp, err := f.get(ctx, link, Validators{}, hooks)
	if err != nil {
		return bot.Article{}, err
	}
	if k, _ := sniff(resp.ContentType, resp.Body); k != kindPage {
		return bot.Article{}, fmt.Errorf("not an HTML page (Content-Type %q)", resp.ContentType)
	}
	return pageArticle(resp, link, f.log)
}
