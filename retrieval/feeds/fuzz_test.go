package feeds

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFeedItems parses a fuzzed RSS, Atom or JSON Feed document and turns
// it into items: it must not panic, and every item must have an ID, a
// one-line valid title and a date that can be stored.
func FuzzFeedItems(f *testing.F) {
	seeds := []string{
		`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://x.org/</link>` +
			`<item><title>A &amp; B</title><link>/a?utm_source=x</link><pubDate>Mon, 02 Jan 2006 15:04:05 -0700</pubDate>` +
			`<description>&lt;p&gt;Hi&lt;/p&gt;</description></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><title type="html">&lt;b&gt;x&lt;/b&gt;</title>` +
			`<id>urn:uuid:1</id><updated>9999-12-31T23:59:59-23:59</updated><content>c</content></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://x.org/1","content_text":"t","date_published":"2024-01-02T00:00:00Z"}]}`,
		`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>`,
		`<rss><channel><item><title>` + "\u202eevil\u200b" + `</title><guid>javascript:alert(1)</guid></item></channel></rss>`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(10))
	}
	feedURL, _ := url.Parse("https://feeds.example.org/rss.xml")
	f.Fuzz(func(t *testing.T, body []byte, max uint8) {
		feed, err := parseFeed(body)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		items := feedItems(feed, feedURL, "", int(max))
		if len(items) > int(max) {
			t.Fatalf("%d items, more than the maximum %d", len(items), max)
		}
		for i, it := range items {
			if it.id == "" || it.version == "" {
				t.Fatalf("item %d has no ID or version: %+v", i, it)
			}
			if strings.ContainsAny(it.title, "\r\n") || it.title != strings.TrimSpace(it.title) {
				t.Fatalf("item %d title is not one trimmed line: %q", i, it.title)
			}
			if !utf8.ValidString(it.title) || !utf8.ValidString(it.source) {
				t.Fatalf("item %d title or source is not UTF-8: %q, %q", i, it.title, it.source)
			}
			if y := it.published.Year(); !it.published.IsZero() && (y < 0 || y > 9999) {
				t.Fatalf("item %d date %v cannot be stored", i, it.published)
			}
		}
	})
}
