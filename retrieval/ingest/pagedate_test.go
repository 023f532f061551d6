package ingest

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestPublishedDate(t *testing.T) {
	tests := []struct{ name, head, body, url, want string }{
		{"JSON-LD article", `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","datePublished":"2001-01-01"},{"@type":"NewsArticle","datePublished":"2025-04-24T06:30:00-04:00","dateModified":"2025-04-25T06:30:00-04:00"}]}</script>`, "", "", "2025-04-24T10:30:00Z"},
		{"broken JSON-LD", `<script type="application/ld+json">{"@type":"NewsArticle", "headline": "a "quoted" word", "datePublished": "2019-11-18T16:06:51-05:00"}</script>`, "", "", "2019-11-18T21:06:51Z"},
		{"article:published_time over a time element", `<meta property="article:published_time" content="2024-04-09T08:15:00+01:00">`, `<article><time datetime="2020-01-01">then</time></article>`, "", "2024-04-09T07:15:00Z"},
		{"meta date, a day", `<meta name="date" content="2025-05-03">`, "", "", "2025-05-03T00:00:00Z"},
		{"pdate without separators", `<meta name="pdate" content="20250610">`, "", "", "2025-06-10T00:00:00Z"},
		{"meta with a zone name", `<meta property="article:published_time" content="November 19, 2019, 07:47 PM EST">`, "", "", "2019-11-20T00:47:00Z"},
		{"modified is not published", `<meta property="article:modified_time" content="2025-01-02">`, `<time class="updated" datetime="2025-01-02">x</time>`, "", ""},
		{"itemprop", "", `<span itemprop="datePublished" content="2025-08-06">6 August</span>`, "", "2025-08-06T00:00:00Z"},
		{"publish class", "", `<input type="hidden" class="published_date" value="2019-11-18 23:41:18">`, "", "2019-11-18T23:41:18Z"},
		{"first time of the article", "", `<aside><time datetime="2020-01-01">old</time></aside><article><p>x</p><time datetime="2025-04-21T08:15:00+01:00">21 April</time><time datetime="2025-04-22">y</time></article>`, "", "2025-04-21T07:15:00Z"},
		{"URL", "", "", "https://example.org/2019/11/18/story.html", "2019-11-18T00:00:00Z"},
		{"URL suffix", "", "", "https://example.org/tuft-cells-20191115/", "2019-11-15T00:00:00Z"},
		{"implausible", `<meta name="date" content="1970-01-01">`, "", "", ""},
		{"nothing", "", "<p>No date here.</p>", "https://example.org/news/story", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader("<html><head>" + tt.head + "</head><body>" + tt.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			var base *url.URL
			if tt.url != "" {
				base, _ = url.Parse(tt.url)
			}
			got := ""
			if d := publishedDate(doc, base); !d.IsZero() {
				got = d.Format("2006-01-02T15:04:05Z07:00")
			}
			if got != tt.want {
				t.Errorf("published %q, want %q", got, tt.want)
			}
		})
	}
}

// TestJSONLDAuthor: the author of a JSON-LD article is read without the
// "@context" go-readability insists on, from a string, an object or a list.
func TestJSONLDAuthor(t *testing.T) {
	for src, want := range map[string]string{
		`{"@type":"NewsArticle","author":{"@type":"Person","name":"Lena Fox"}}`:                    "Lena Fox",
		`{"@graph":[{"@type":"WebPage"},{"@type":"BlogPosting","author":[{"name":"A B"},"C D"]}]}`: "A B, C D",
		`{"@type":"Organization","author":"Nobody"}`:                                               "",
	} {
		doc, err := html.Parse(strings.NewReader(`<html><head><script type="application/ld+json">` + src + `</script></head><body></body></html>`))
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonLDAuthor(doc); got != want {
			t.Errorf("%s: author %q, want %q", src, got, want)
		}
	}
}
