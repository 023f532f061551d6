package ingest

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// publishedDate finds a page's publication date in the markup news pages
// carry, most trusted first: JSON-LD datePublished (dateCreated, then
// uploadDate, when there is none), a publication <meta> (article:published_time,
// date, pubdate, pdate, dc.date, …), an itemprop="datePublished" element, a
// <time> marked as the publication time (pubdate, a class naming
// "publish"), the first <time datetime> of the article, then a date in the URL
// (/2025/04/21/). Modification dates are never used. A date without a time
// is midnight UTC of that day, a time without a zone is UTC; a date after
// tomorrow or before 1990 is ignored.
func publishedDate(doc *html.Node, base *url.URL) time.Time {
	var s dateScan
	s.walk(doc, false)
	for _, c := range [][]string{s.jsonLD, s.meta, s.itemprop, s.jsonLDOther, s.metaLoose, s.marked, s.times} {
		for _, v := range c {
			if t, ok := pageDate(v); ok {
				return t
			}
		}
	}
	if base != nil {
		if t, ok := urlDate(base.Path); ok {
			return t
		}
	}
	return time.Time{}
}

// dateScan collects the candidate date strings of a page by kind.
type dateScan struct {
	jsonLD, jsonLDOther, meta, metaLoose, itemprop, marked, times []string
	articleTimes                                                  bool
}

// publishedMeta are the <meta> names and properties (lower case) that
// carry a publication date.
var publishedMeta = wordSet(`article:published_time og:published_time og:article:published_time
	article.published published_time published-time publish_date publish-date publishdate
	pubdate pdate date dc.date dc.date.issued dc.date.created dcterms.date dcterms.created dcterms.issued
	sailthru.date parsely-pub-date datepublished date_published originalpublicationdate
	citation_publication_date citation_date rnews:datepublished article_date_original
	publication_date cxenseparse:recs:publishtime displaydate release_date`)

func (s *dateScan) walk(n *html.Node, inArticle bool) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				art, other := jsonLDDates(n.FirstChild.Data)
				s.jsonLD, s.jsonLDOther = append(s.jsonLD, art...), append(s.jsonLDOther, other...)
			}
			return
		case atom.Meta:
			for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
				name := strings.ToLower(strings.TrimSpace(attr(n, k)))
				if publishedMeta[name] {
					s.meta = append(s.meta, attr(n, "content"))
					break
				}
				if publishedName(name) {
					s.metaLoose = append(s.metaLoose, attr(n, "content"))
					break
				}
			}
		case atom.Article, atom.Main:
			inArticle = true
		case atom.Time:
			v := attr(n, "datetime")
			if v == "" {
				v = textOf(n)
			}
			class := strings.ToLower(attr(n, "class"))
			switch {
			case hasAttr(n, "pubdate") || publishedName(class) || strings.Contains(class, "entry-date"):
				s.marked = append(s.marked, v)
			case attr(n, "datetime") != "" && !strings.Contains(class, "updat") && !strings.Contains(class, "modif"):
				// The first <time> of the article wins over earlier ones elsewhere.
				if inArticle && !s.articleTimes {
					s.times, s.articleTimes = append([]string{v}, s.times...), true
				} else {
					s.times = append(s.times, v)
				}
			}
		}
		if n.DataAtom != atom.Time && n.DataAtom != atom.Meta && publishedName(strings.ToLower(attr(n, "class"))) {
			// <input class="published_date" value="…">, <span class="article-publish-date">…</span>
			for _, v := range []string{attr(n, "datetime"), attr(n, "content"), attr(n, "value"), textOf(n)} {
				if strings.TrimSpace(v) != "" {
					s.marked = append(s.marked, v)
					break
				}
			}
		}
		if strings.EqualFold(attr(n, "itemprop"), "datePublished") && n.DataAtom != atom.Meta {
			for _, v := range []string{attr(n, "datetime"), attr(n, "content"), textOf(n)} {
				if strings.TrimSpace(v) != "" {
					s.itemprop = append(s.itemprop, v)
					break
				}
			}
		} else if strings.EqualFold(attr(n, "itemprop"), "datePublished") {
			s.itemprop = append(s.itemprop, attr(n, "content"))
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		s.walk(c, inArticle)
	}
}

// jsonLDDates returns the datePublished values of a JSON-LD block, those
// of article-like objects first, then dateCreated and uploadDate values.
func jsonLDDates(src string) (articles, others []string) {
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(src)), &v) != nil {
		// Broken JSON (a stray comma, an unescaped quote) is common:
		// take the first datePublished written in it.
		if m := jsonLDDatePattern.FindStringSubmatch(src); m != nil {
			return []string{m[1]}, nil
		}
		return nil, nil
	}
	var created []string
	var visit func(any, int)
	visit = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				visit(e, depth+1)
			}
		case map[string]any:
			if d, ok := x["datePublished"].(string); ok {
				if isArticleType(x["@type"]) {
					articles = append(articles, d)
				} else {
					others = append(others, d)
				}
			}
			for _, k := range []string{"dateCreated", "uploadDate"} {
				if d, ok := x[k].(string); ok {
					created = append(created, d)
				}
			}
			for k, e := range x {
				if k == "@graph" || k == "mainEntity" || k == "mainEntityOfPage" || k == "itemListElement" {
					visit(e, depth+1)
				}
			}
		}
	}
	visit(v, 0)
	return articles, append(others, created...)
}

var jsonLDDatePattern = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{6,40})"`)

// publishedName reports whether a meta name or class names a publication
// date ("sn-post-date", "article-publish-date", "pub-date") rather than
// an update or the publisher.
func publishedName(s string) bool {
	switch {
	case s == "" || strings.Contains(s, "publisher"):
		return false
	case strings.Contains(s, "published") || strings.Contains(s, "publish") && strings.Contains(s, "date"):
		return true // WordPress: class="entry-date published updated"
	case strings.Contains(s, "modif") || strings.Contains(s, "updat"):
		return false
	}
	return strings.Contains(s, "pub-date") || strings.Contains(s, "pubdate") || strings.Contains(s, "post-date") || strings.Contains(s, "postdate")
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return strings.Contains(x, "Article") || strings.Contains(x, "Posting") || x == "Report" || x == "WebPage"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// extraDateLayouts are forms pages use that ParseDate does not read.
var extraDateLayouts = []string{
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"20060102",
	"20060102150405",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006.01.02",
	"January 2, 2006 3:04 PM",
	"January 2, 2006, 3:04 PM",
	"January 2, 2006, 3:04 PM -0700",
	"January 2, 2006 15:04",
	"2006-01-02 15:04:05-07:00",
	"January 2, 2006 3:04PM",
	"Jan 2, 2006 3:04 PM",
	"Jan. 2, 2006",
	"2 January 2006 15:04",
}

// pageDate reads one candidate value: ParseDate's forms and a few more.
func pageDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "Published"))
	v = strings.TrimSpace(strings.TrimPrefix(v, ":"))
	if v == "" || len(v) > 64 {
		return time.Time{}, false
	}
	t, err := ParseDate(v)
	if err != nil {
		z, zerr := numericZone(strings.Join(strings.Fields(v), " "))
		if zerr != nil {
			return time.Time{}, false
		}
		for _, l := range extraDateLayouts {
			if t, err = time.Parse(l, z); err == nil {
				t = t.UTC()
				break
			}
		}
	}
	if err != nil {
		return time.Time{}, false
	}
	return t, plausibleDate(t)
}

func plausibleDate(t time.Time) bool {
	return t.Year() >= 1990 && t.Before(time.Now().Add(48*time.Hour))
}

// urlDatePattern finds /2025/04/21/, /2025-04-21 and /20250421 in a path.
var urlDatePattern = regexp.MustCompile(`[/_-]((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)

func urlDate(path string) (time.Time, bool) {
	m := urlDatePattern.FindStringSubmatch(path)
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3])
	if err != nil {
		return time.Time{}, false
	}
	return t, plausibleDate(t)
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// textOf is n's text, in one line.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return oneLine(b.String())
}
