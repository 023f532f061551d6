package ingest

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"newsbot/bot"
)

// MaxHTMLBytes is the default limit on what HTML reads.
const MaxHTMLBytes = 10 << 20

// HTMLOption configures HTML.
type HTMLOption func(*htmlConfig)

type htmlConfig struct {
	contentType string
	maxBytes    int64
}

// WithContentType passes the Content-Type header the page was served with,
// whose charset parameter outranks the page's own <meta charset>.
func WithContentType(ct string) HTMLOption { return func(c *htmlConfig) { c.contentType = ct } }

// WithMaxBytes changes the most HTML reads before refusing the page
// (default MaxHTMLBytes).
func WithMaxBytes(n int64) HTMLOption { return func(c *htmlConfig) { c.maxBytes = n } }

// HTML extracts the article from an HTML page with go-readability:
// navigation, ads and other boilerplate are dropped, paragraphs of the main
// text are separated by blank lines, and the text is normalised like any
// other. Title, Author (byline, "By " removed), Source (site name) and
// Published come from the page's metadata (meta tags, JSON-LD); a
// published date the page gives but that cannot be parsed is left zero.
//
// pageURL, when not nil, is where the page was fetched: relative links are
// resolved against it and it becomes the article's URL and, canonicalised,
// its ID. Without it, the page's <link rel="canonical"> or og:url is used
// when it is an http(s) URL, and ID is left empty for the caller to set.
// The page's charset is honoured (Content-Type via WithContentType, BOM,
// <meta charset>); text without one is taken as UTF-8 if valid, else
// Windows-1252.
func HTML(r io.Reader, pageURL *url.URL, opts ...HTMLOption) (bot.Article, error) {
	cfg := htmlConfig{maxBytes: MaxHTMLBytes}
	for _, o := range opts {
		o(&cfg)
	}
	data, err := readLimited(r, cfg.maxBytes)
	if err != nil {
		return bot.Article{}, err
	}
	a, _, err := extractHTML(data, pageURL, cfg.contentType)
	return a, err
}

// parseHTMLFile reads an .html file: like HTML, with the base name as the
// fallback ID and an unparseable date reported as a warning.
func parseHTMLFile(base string, data []byte) (bot.Article, []LineError, error) {
	a, warns, err := extractHTML(data, nil, "")
	if err != nil {
		return bot.Article{}, nil, err
	}
	if a.ID == "" {
		a.ID = base
	}
	return a, warns, nil
}

func extractHTML(data []byte, pageURL *url.URL, contentType string) (a bot.Article, warns []LineError, err error) {
	enc, _, _ := charset.DetermineEncoding(data, contentType)
	decoded, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return a, nil, fmt.Errorf("decode HTML: %w", err)
	}
	decoded = bytes.TrimPrefix(decoded, bomUTF8)
	if bytes.IndexByte(decoded, 0) >= 0 {
		return a, nil, ErrBinary
	}
	doc, err := html.Parse(bytes.NewReader(decoded))
	if err != nil {
		return a, nil, fmt.Errorf("parse HTML: %w", err)
	}
	canonical := canonicalLink(doc)
	// go-readability is a large port of Readability.js; a page that trips
	// it must fail alone, not take the process down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("extract article: readability panicked: %v", p)
		}
	}()
	parser := readability.NewParser()
	ra, err := parser.ParseAndMutate(doc, pageURL)
	if err != nil {
		return a, nil, fmt.Errorf("extract article: %w", err)
	}
	if ra.Node == nil {
		return a, nil, fmt.Errorf("%w: no article text found", ErrEmpty)
	}
	text := tidy(dropControls(render.InnerText(ra.Node)))
	if text == "" {
		return a, nil, fmt.Errorf("%w: no article text found", ErrEmpty)
	}
	m := meta{
		title:  ra.Title(),
		source: ra.SiteName(),
		author: trimBy(ra.Byline()),
	}
	switch {
	case pageURL != nil:
		m.url = pageURL.String()
	case canonical != "":
		m.url = canonical
	}
	text = dropByline(text, m.author)
	a, warns = m.article("", text)
	if t, err := ra.PublishedTime(); err == nil {
		a.Published = t.UTC()
	} else if err != readability.ErrTimestampMissing {
		warns = append(warns, LineError{Err: fmt.Errorf("published date ignored: %w", err)})
	}
	return a, warns, nil
}

// dropControls removes control characters other than tab and newline,
// which a web page may carry invisibly; refusing the page for them, as
// Normalize does for text files, would be too strict.
func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// dropByline removes a first paragraph that only repeats the byline,
// which readability leaves in when it found the author in the metadata.
func dropByline(text, author string) string {
	if author == "" {
		return text
	}
	first, rest, ok := strings.Cut(text, "\n\n")
	if ok && trimBy(first) == author {
		return rest
	}
	return text
}

// trimBy removes a leading "By " from a byline.
func trimBy(s string) string {
	s = oneLine(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		return strings.TrimSpace(s[3:])
	}
	return s
}

// canonicalLink returns the page's <link rel="canonical"> href, else its
// og:url, if it is an absolute http(s) URL.
func canonicalLink(doc *html.Node) string {
	var link, og string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "link":
				if hasToken(attr(n, "rel"), "canonical") && link == "" {
					link = attr(n, "href")
				}
			case "meta":
				if attr(n, "property") == "og:url" && og == "" {
					og = attr(n, "content")
				}
			case "body":
				return // metadata lives in <head>
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, u := range []string{link, og} {
		if _, err := CanonicalURL(u); err == nil {
			return strings.TrimSpace(u)
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// HTMLText renders an HTML fragment, such as a feed item's content or
// summary, as normalised plain text: every element's text is kept (there is
// no boilerplate detection, unlike HTML), block elements become line or
// paragraph breaks. Plain text without tags passes through normalised.
// It returns ErrEmpty for a fragment without text.
func HTMLText(fragment string) (string, error) {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return "", fmt.Errorf("parse HTML: %w", err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	text := tidy(dropControls(render.InnerText(root)))
	if text == "" {
		return "", ErrEmpty
	}
	return text, nil
}
