package ingest

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"unicode"

	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsbot/bot"
)

// MaxHTMLBytes is the default limit on what HTML reads.
const MaxHTMLBytes = 10 << 20

// HTMLOption configures HTML.
type HTMLOption func(*htmlConfig)

type htmlConfig struct {
	contentType string
	maxBytes    int64
	log         *slog.Logger
}

// WithContentType passes the Content-Type header the page was served with,
// whose charset parameter outranks the page's own <meta charset>.
func WithContentType(ct string) HTMLOption { return func(c *htmlConfig) { c.contentType = ct } }

// WithLogger sets where HTML logs warnings, such as a declared charset that
// was overridden (default slog.Default()).
func WithLogger(l *slog.Logger) HTMLOption { return func(c *htmlConfig) { c.log = l } }

// WithMaxBytes changes the most HTML reads before refusing the page
// (default MaxHTMLBytes).
func WithMaxBytes(n int64) HTMLOption { return func(c *htmlConfig) { c.maxBytes = n } }

// HTML extracts the article from an HTML page. The main text comes from
// go-readability after newsbot removes page furniture (see mainText):
// navigation, comments, related links, captions, newsletter boxes, ads and
// <noscript> are dropped, headings and paragraphs are separated by blank
// lines, and the text is normalised like any other. Title, Author (byline
// cleaned of "By", dates and numbers) and Source (site name from
// og:site_name or JSON-LD, else the URL's host) come from the page's
// metadata; Published from the markup (see publishedDate), a date
// without a time being midnight UTC of that day. A page without article
// text (a navigation-only page) is ErrEmpty.
//
// pageURL, when not nil, is where the page was fetched: relative links are
// resolved against it and it becomes the article's URL and, canonicalised,
// its ID. Without it, the page's <link rel="canonical"> or og:url, wherever
// it is in the page, is used when it is an http(s) URL, and ID is left empty
// for the caller to set. The encoding is chosen as a browser does (see
// decodeHTML).
func HTML(r io.Reader, pageURL *url.URL, opts ...HTMLOption) (bot.Article, error) {
	cfg := htmlConfig{maxBytes: MaxHTMLBytes, log: slog.Default()}
	for _, o := range opts {
		o(&cfg)
	}
	data, err := readLimited(r, cfg.maxBytes)
	if err != nil {
		return bot.Article{}, err
	}
	a, warns, err := extractHTML(data, pageURL, cfg.contentType)
	for _, w := range warns {
		cfg.log.Warn("page read with a warning", "url", redactURL(pageURL), "warning", w.Err)
	}
	return a, err
}

// parseHTMLFile reads an .html file: like HTML, with the base name as the
// fallback ID and warnings (an encoding override) returned.
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
	decoded, warn, err := decodeHTML(data, contentType)
	if err != nil {
		return a, nil, err
	}
	if warn != nil {
		warns = append(warns, LineError{Err: warn})
	}
	if strings.IndexByte(decoded, 0) >= 0 {
		return a, nil, ErrBinary
	}
	doc, err := html.Parse(strings.NewReader(decoded))
	if err != nil {
		return a, nil, fmt.Errorf("parse HTML: %w", err)
	}
	canonical := canonicalLink(doc)
	base := pageURL
	if base == nil && canonical != "" {
		base, _ = url.Parse(canonical)
	}
	// The extractor is a large port of JavaScript code; a page
	// that trips it must fail alone, not take the process down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("extract article: extractor panicked: %v", p)
		}
	}()
	if !hasContent(doc) {
		return a, nil, fmt.Errorf("%w: no article text found (only navigation, header or footer)", ErrEmpty)
	}
	date := publishedDate(doc, base)
	raw, m, err := mainText(doc, base)
	if err != nil {
		return a, nil, err
	}
	if base != nil && (m.source == "" || strings.EqualFold(m.source, base.Host)) {
		m.source = HostSource(base)
	}
	switch {
	case pageURL != nil:
		m.url = pageURL.String()
	case canonical != "":
		m.url = canonical
	}
	text := articleText(raw, m.title, m.author)
	if text == "" {
		return a, nil, fmt.Errorf("%w: no article text found", ErrEmpty)
	}
	a, more := m.article("", text)
	a.Published = date
	return a, append(warns, more...), nil
}

// hasContent reports whether the page has any text outside navigation,
// headers, footers, asides and scripts: a page of links alone ("Home News
// Sport") has no article, whatever an extractor makes of it. Text in a
// <form> counts: some sites wrap the whole page in one.
func hasContent(n *html.Node) bool {
	switch {
	case n.Type == html.TextNode:
		return strings.TrimSpace(n.Data) != ""
	case n.Type == html.ElementNode:
		switch n.DataAtom {
		case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Menu, atom.Script, atom.Style,
			atom.Noscript, atom.Template, atom.Head, atom.Button, atom.Select:
			return false
		}
		if attr(n, "role") == "navigation" {
			return false
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasContent(c) {
			return true
		}
	}
	return false
}

// HostSource is a URL's host in lower case without "www.": the source
// cited for an article when nothing names it.
func HostSource(u *url.URL) string { return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") }

func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Redacted()
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

// canonicalLink returns the page's <link rel="canonical"> href, else its
// og:url, if it is an absolute http(s) URL. The whole document is searched:
// an <iframe> or <div> in the head makes the parser open the body early,
// and the links after it land there.
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
