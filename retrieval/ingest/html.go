package ingest

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
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
// go-trafilatura (with its readability and DOM-distiller fallbacks):
// navigation, comments, related links, captions, newsletter boxes and ads
// are dropped, paragraphs are separated by blank lines, and the text is
// normalised like any other. Title, Author (byline cleaned of "By", dates
// and numbers) and Source (site name from og:site_name or JSON-LD, else the
// URL's host) come from the page's metadata; Published from go-htmldate
// (meta tags, <time datetime>, itemprop, JSON-LD, URL and text), a date
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
	// The extractors are large ports of Python and JavaScript code; a page
	// that trips one must fail alone, not take the process down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("extract article: extractor panicked: %v", p)
		}
	}()
	if !hasContent(doc) {
		return a, nil, fmt.Errorf("%w: no article text found (only navigation, header or footer)", ErrEmpty)
	}
	date := publishedDate(doc, base)
	raw, m, err := mainText(doc, base, date)
	if err != nil {
		return a, nil, err
	}
	if base != nil && (m.source == "" || strings.EqualFold(m.source, base.Host)) {
		// trafilatura falls back to the URL's host, port included.
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

// maxTrafilaturaElements bounds the pages go-trafilatura extracts: its time
// grows faster than the page (on this project's machine 5,000 paragraphs
// took about a second, 20,000 over ten), and a feed's page must not stall
// a poll. Larger pages go to go-readability, which stays near linear.
const maxTrafilaturaElements = 10000

// mainText extracts the page's main text (paragraphs as rendered text)
// with its title, site name and cleaned byline.
func mainText(doc *html.Node, base *url.URL, date time.Time) (string, meta, error) {
	noText := fmt.Errorf("%w: no article text found", ErrEmpty)
	if countElements(doc, maxTrafilaturaElements+1) > maxTrafilaturaElements {
		parser := readability.NewParser()
		ra, err := parser.ParseAndMutate(doc, base)
		if err != nil || ra.Node == nil {
			return "", meta{}, noText
		}
		return render.InnerText(ra.Node), meta{title: ra.Title(), source: ra.SiteName(), author: cleanByline(ra.Byline())}, nil
	}
	res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL: base, EnableFallback: true, ExcludeComments: true,
		HtmlDateOverride: &htmldate.Result{DateTime: date},
	})
	if err != nil || res.ContentNode == nil {
		return "", meta{}, noText
	}
	md := res.Metadata
	return render.InnerText(res.ContentNode), meta{title: md.Title, source: md.Sitename, author: cleanByline(md.Author)}, nil
}

// countElements counts n's elements, stopping at limit.
func countElements(n *html.Node, limit int) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && count < limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				count++
			}
			walk(c)
		}
	}
	walk(n)
	return count
}

// hasContent reports whether the page has any text outside navigation,
// headers, footers, asides, forms and scripts: a page of links alone
// ("Home News Sport") has no article, whatever an extractor makes of it.
func hasContent(n *html.Node) bool {
	switch {
	case n.Type == html.TextNode:
		return strings.TrimSpace(n.Data) != ""
	case n.Type == html.ElementNode:
		switch n.DataAtom {
		case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Menu, atom.Form, atom.Script, atom.Style,
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
