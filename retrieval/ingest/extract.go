package ingest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// mainText extracts the page's main text (paragraphs as rendered text)
// with its title, site name and cleaned byline: page furniture is removed
// from the document first (dropFurniture), then go-readability picks the
// article's block and its metadata.
func mainText(doc *html.Node, base *url.URL) (string, meta, error) {
	noText := fmt.Errorf("%w: no article text found", ErrEmpty)
	h1s, ldAuthor, byline := headings(doc), jsonLDAuthor(doc), pageByline(doc)
	siteName := metaContent(doc, "og:site_name")
	dropFurniture(doc)
	parser := readability.NewParser()
	ra, err := parser.ParseAndMutate(doc, base)
	if err != nil || ra.Node == nil {
		return "", meta{}, noText
	}
	if siteName == "" {
		siteName = ra.SiteName()
	}
	m := meta{title: pageTitle(ra.Title(), siteName, h1s), source: siteName, author: cleanByline(ra.Byline())}
	if m.author == "" {
		m.author = cleanByline(ldAuthor)
	}
	if m.author == "" {
		m.author = cleanByline(byline)
	}
	return render.InnerText(ra.Node), m, nil
}

// headings returns the text of the page's <h1> elements.
func headings(doc *html.Node) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.H1 {
			out = append(out, textOf(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// metaContent is the content of the page's first <meta property=…> (or
// name=…) with that value. og:site_name names the site better than a
// JSON-LD publisher, which syndicated stories set to the agency.
func metaContent(doc *html.Node, property string) string {
	var found string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Meta &&
			(strings.EqualFold(attr(n, "property"), property) || strings.EqualFold(attr(n, "name"), property)) {
			found = oneLine(attr(n, "content"))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// jsonLDAuthor returns the author names of the page's JSON-LD article
// (also without the "@context" go-readability requires), joined by ", ".
func jsonLDAuthor(doc *html.Node) string {
	var names []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if names != nil {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Script {
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				var v any
				if json.Unmarshal([]byte(n.FirstChild.Data), &v) == nil {
					names = ldAuthors(v, 0)
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(names, ", ")
}

// ldAuthors finds the first article-like object's author names.
func ldAuthors(v any, depth int) []string {
	if depth > 8 {
		return nil
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if a := ldAuthors(e, depth+1); a != nil {
				return a
			}
		}
	case map[string]any:
		if isArticleType(x["@type"]) {
			if a := authorNames(x["author"]); len(a) > 0 {
				return a
			}
		}
		if g, ok := x["@graph"]; ok {
			return ldAuthors(g, depth+1)
		}
	}
	return nil
}

func authorNames(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case map[string]any:
		if s, ok := x["name"].(string); ok {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, authorNames(e)...)
		}
		return out
	}
	return nil
}

// pageByline finds the byline as go-readability does (rel="author",
// itemprop="author", a class or id saying "byline" or "author", under 100
// characters, the itemprop="name" inside it if any), for pages where
// go-readability removed it before looking, with the <header> it sat in.
func pageByline(doc *html.Node) string {
	var found string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom != atom.Meta && n.DataAtom != atom.Link && n.DataAtom != atom.Script {
			name := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
			if attr(n, "rel") == "author" || strings.Contains(attr(n, "itemprop"), "author") ||
				(strings.Contains(name, "byline") || strings.Contains(name, "author")) && !furnitureName(name) {
				if t := textOf(n); t != "" && len([]rune(t)) < 100 {
					found = t
					if nm := itempropName(n); nm != "" {
						found = nm
					}
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func itempropName(n *html.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && strings.Contains(attr(c, "itemprop"), "name") {
			return textOf(c)
		}
		if s := itempropName(c); s != "" {
			return s
		}
	}
	return ""
}

// titleSeparators part a <title> from the site's name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » "}

// pageTitle cleans go-readability's title: the site's name after (or
// before) a separator is dropped ("Quay 5 reopens | Harbour News"), and
// the page's <h1> is preferred when it is the same title in other letter
// case.
func pageTitle(title, site string, h1s []string) string {
	title = oneLine(title)
	if site = oneLine(site); site != "" {
		for _, sep := range titleSeparators {
			if t, ok := strings.CutSuffix(title, sep+site); ok && t != "" {
				title = t
				break
			}
			if t, ok := strings.CutPrefix(title, site+sep); ok && t != "" {
				title = t
				break
			}
		}
	}
	for _, h := range h1s {
		if strings.EqualFold(h, title) {
			return h
		}
	}
	return title
}

// furnitureTags never hold article text. (Scripts stay: go-readability
// reads JSON-LD metadata from them before removing them.)
var furnitureTags = map[atom.Atom]bool{
	atom.Noscript: true, atom.Style: true, atom.Template: true,
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Form: true, atom.Button: true,
	atom.Select: true, atom.Iframe: true, atom.Svg: true, atom.Figcaption: true,
	atom.Dialog: true, atom.Menu: true,
}

// furnitureRoles are ARIA roles of page furniture.
var furnitureRoles = wordSet(`navigation banner contentinfo complementary dialog alertdialog menu menubar search`)

// furnitureWords are words of class and id values that mark page furniture:
// share bars, related links, newsletter and subscription boxes, promos and
// ads, cookie banners, comments, breadcrumbs, tags, captions and photo
// credits, sidebars, lists of popular or recommended stories.
var furnitureWords = wordSet(`share sharing social sharebar socialbar related newsletter newsletters promo promos
	promotion advert adverts advertisement advertising ad ads adslot sponsor sponsored cookie cookies consent gdpr
	subscribe subscription signup paywall comments comment disqus breadcrumb breadcrumbs tags tag-list taglist
	caption captions credit credits sidebar profile bio biography popular trending recommended recommendations outbrain taboola
	most-read mostread more-stories read-more readmore also-read toolbar modal overlay skip`)

// furnitureShare is the largest share of the page's paragraph text (in
// <p> elements) an
// element marked as furniture may hold and still be removed: a wrapper
// whose class happens to say "related" or "ad" but holds the article stays.
const furnitureShare = 0.3

// dropFurniture removes what is never article text before go-readability
// scores the page: <noscript> (whose "please enable JavaScript" would be
// stored), navigation, asides, footers, forms and captions; elements with
// an ARIA role of furniture, hidden ones, and those whose class or id names
// furniture (see furnitureWords) unless they hold much of the page's text.
func dropFurniture(doc *html.Node) {
	// paraLen is each element's characters of paragraph text (inside <p>),
	// the measure of how much article an element holds.
	paraLen := map[*html.Node]int{}
	var count func(n *html.Node, inP bool) (para, text int)
	count = func(n *html.Node, inP bool) (para, text int) {
		if n.Type == html.TextNode {
			text = len(strings.TrimSpace(n.Data))
			if inP {
				para = text
			}
		}
		inP = inP || n.DataAtom == atom.P
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			p, t := count(c, inP)
			para += p
			text += t
		}
		paraLen[n] = para
		if text >= 100 && n.Type == html.ElementNode {
			defuseByline(n)
		}
		return para, text
	}
	all, _ := count(doc, false)
	var remove []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && isFurnitureElement(n, paraLen[n], all) {
			remove = append(remove, n)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, n := range remove {
		// A list of other stories takes its heading ("Also on …") with it.
		if h := prevElement(n); h != nil && (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol) && isSubheading(h) && isLinkList(n) {
			h.Parent.RemoveChild(h)
		}
		n.Parent.RemoveChild(n)
	}
}

func prevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
		if p.Type == html.TextNode && strings.TrimSpace(p.Data) != "" {
			return nil
		}
	}
	return nil
}

func isSubheading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// bylineWords are what go-readability takes for a byline in a class or id.
var bylineWords = []string{"byline", "author", "dateline", "writtenby"}

// defuseByline removes byline words from the class and id of an element
// with 100 characters of text or more. go-readability removes the first
// element whose class or id says "author" as the byline, however much it
// holds, when an element inside has itemprop="name": a blog's
// <article class="post author-ana"> went with all its text.
func defuseByline(n *html.Node) {
	for i, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		words := strings.Fields(a.Val)
		keep := words[:0]
		for _, w := range words {
			lw := strings.ToLower(w)
			byline := false
			for _, b := range bylineWords {
				byline = byline || strings.Contains(lw, b)
			}
			if !byline {
				keep = append(keep, w)
			}
		}
		n.Attr[i].Val = strings.Join(keep, " ")
	}
}

func isFurnitureElement(n *html.Node, text, all int) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Head, atom.Article, atom.Main, atom.Title, atom.Meta, atom.Link:
		return false
	}
	if furnitureTags[n.DataAtom] {
		// An <aside> or <footer> holding most of the page is its layout, not furniture.
		return (n.DataAtom != atom.Aside && n.DataAtom != atom.Footer && n.DataAtom != atom.Form) || float64(text) < furnitureShare*float64(all)
	}
	if (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol) && isLinkList(n) {
		return true
	}
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" || furnitureRoles[strings.ToLower(attr(n, "role"))] {
		return float64(text) < furnitureShare*float64(all)
	}
	if style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", ""); strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden") {
		return true
	}
	if !furnitureName(attr(n, "class")) && !furnitureName(attr(n, "id")) {
		return false
	}
	return float64(text) < furnitureShare*float64(all)
}

// isLinkList reports whether a list is only links, one per item, at least
// two of them: a list of other stories ("You may also like", "Trending"),
// whatever its class.
func isLinkList(n *html.Node) bool {
	items := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return false
		}
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom != atom.Li {
			return false
		}
		all, linked := linkText(c, false)
		if all == 0 {
			continue
		}
		if linked < all*9/10 {
			return false
		}
		items++
	}
	return items >= 2
}

// linkText counts n's characters of text and those inside links.
func linkText(n *html.Node, inLink bool) (all, linked int) {
	if n.Type == html.TextNode {
		l := len(strings.TrimSpace(n.Data))
		if inLink {
			return l, l
		}
		return l, 0
	}
	inLink = inLink || n.DataAtom == atom.A
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		a, l := linkText(c, inLink)
		all += a
		linked += l
	}
	return all, linked
}

// furnitureName reports whether a class or id value has a furniture word,
// alone or as a part of a hyphenated or underscored name ("share-bar",
// "c-newsletter_box", "ad-slot").
func furnitureName(v string) bool {
	for _, f := range strings.Fields(strings.ToLower(v)) {
		if furnitureWords[f] {
			return true
		}
		for _, part := range strings.FieldsFunc(f, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ':' }) {
			if furnitureWords[part] {
				return true
			}
		}
	}
	return false
}
