package feeds

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsbot/retrieval/ingest"
)

// errOnlyLinks is the feed text of an item whose description is only a
// link ("<a href=…>Comments</a>"), which is no text to quote.
var errOnlyLinks = errors.New("feed text is only links")

// feedText is the item's own text, or an error when it has none: empty,
// or nothing but link labels such as "Comments".
func feedText(content string) (string, error) {
	text, err := ingest.HTMLText(content)
	if err != nil {
		return "", errors.New("feed has no text")
	}
	if onlyLinks(content) {
		return "", errOnlyLinks
	}
	return text, nil
}

// onlyLinks reports whether an HTML fragment has links and fewer than
// three words outside them.
func onlyLinks(fragment string) bool {
	if !strings.Contains(fragment, "<") {
		return false
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return false
	}
	links, words := 0, 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && n.DataAtom == atom.A:
			links++
			return
		case n.Type == html.TextNode:
			words += len(strings.Fields(n.Data))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return links > 0 && words < 3
}

// interstitialPhrases are what consent walls, paywalls and bot checks say.
var interstitialPhrases = []string{
	"we value your privacy", "use cookies", "uses cookies", "cookie policy", "cookie settings",
	"accept all", "reject all", "manage preferences", "manage consent", "your consent",
	"subscribe to continue", "subscribe to read", "already a subscriber", "subscribers only",
	"sign in to continue", "log in to continue", "to continue reading", "reached your limit",
	"free articles", "enable javascript", "verify you are human", "are you a robot",
}

// unrelatedPage returns why a fetched page should not stand for the item,
// or "": it reads like a consent, paywall or bot-check interstitial, or it
// shares almost none of the words of the item's title and feed text (a
// front page answering an unknown path).
func unrelatedPage(page, title, feed string) string {
	lp := strings.ToLower(page)
	hits := 0
	for _, p := range interstitialPhrases {
		if strings.Contains(lp, p) {
			hits++
		}
	}
	if hits >= 2 && len(strings.Fields(page)) < 400 {
		return "page looks like a consent or paywall interstitial"
	}
	want := contentWords(title + " " + feed)
	if len(want) < 4 {
		return ""
	}
	have := contentWords(page)
	shared := 0
	for w := range want {
		if have[w] {
			shared++
		}
	}
	if shared*100 < len(want)*15 {
		return "page shares almost nothing with the item's title and text"
	}
	return ""
}

// contentWords are the distinct lower-case words of four letters or more.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 4 {
			out[w] = true
		}
	}
	return out
}
