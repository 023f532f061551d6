package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

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
		source = ingest.HostSource(feedURL)
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
			title:   oneLine(plainTitle(firstNonEmpty(fi.Title, mediaText(fi, "title")))),
			source:  source,
			author:  authors(fi.Authors),
			content: fi.Content,
		}
		if len(strings.TrimSpace(it.content)) < len(strings.TrimSpace(fi.Description)) {
			it.content = fi.Description
		}
		if strings.TrimSpace(it.content) == "" {
			// Video and podcast feeds: gofeed already reads itunes:summary
			// as the description; Media RSS it leaves in extensions.
			it.content = mediaText(fi, "description")
		}
		it.published = itemDate(fi)
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
// that is itself an absolute http(s) URL and not declared
// isPermaLink="false". A GUID is never resolved against the site: "abc123"
// is an identifier, and http://site/abc123 a page nobody linked to.
func itemLink(fi *gofeed.Item, base *url.URL) (link, id string) {
	for _, c := range append([]string{fi.Link}, fi.Links...) {
		if c = strings.TrimSpace(c); c == "" {
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
	if g := strings.TrimSpace(fi.GUID); g != "" && fi.Custom[customNonPermalink] == "" {
		if u, err := url.Parse(g); err == nil && u.IsAbs() && u.Host != "" {
			if id, err := ingest.CanonicalURL(g); err == nil {
				return g, id
			}
		}
	}
	return "", ""
}

// itemDate is the item's publication date, else its update date, read by
// the same parser as files so that a zone abbreviation means the same
// instant on every path; gofeed's own reading is the fallback for forms
// that parser does not know.
func itemDate(fi *gofeed.Item) time.Time {
	for _, d := range []struct {
		raw    string
		parsed *time.Time
	}{{fi.Published, fi.PublishedParsed}, {fi.Updated, fi.UpdatedParsed}} {
		if t, err := ingest.ParseDate(d.raw); err == nil && d.raw != "" {
			return t
		}
		if d.parsed != nil && ingest.StorableDate(*d.parsed) { // gofeed may read a zone into year 10000
			return d.parsed.UTC()
		}
	}
	return time.Time{}
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

// firstNonEmpty returns a unless it is empty, else b.
func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// redact is RedactURL, for logs.
func redact(raw string) string { return RedactURL(raw) }

// RedactURL returns raw without what may be a credential: the user
// information (user and password) is dropped, and the value of every
// query parameter whose name looks like a secret (see SecretParam) is
// replaced by "REDACTED". It is the form a feed's URL is printed in (logs,
// "newsbot feeds", /healthz) and stored in (feed state, lease names); the
// full URL stays only in the config. An unparseable URL gives
// "(unparseable URL)".
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	u.User = nil
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			name, _, hasValue := strings.Cut(p, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			if hasValue && SecretParam(name) {
				parts[i] = url.QueryEscape(name) + "=REDACTED"
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.String()
}

// secretWords are the parts of a query parameter name that mark its value
// as a credential.
var secretWords = []string{"token", "key", "secret", "passw", "pwd", "sig", "auth", "credential", "session"}

// SecretParam reports whether a query parameter named name probably
// carries a credential: its name (any case) contains token, key, secret,
// passw(ord), pwd, sig(nature), auth, credential or session.
func SecretParam(name string) bool {
	name = strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
