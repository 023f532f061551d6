package bot

import (
	"net/url"
	"strings"
)

// Bounds on a quote's text fragment (see Link). A short quote on one line is
// matched whole; a longer one by its first and last few words, which the
// browser matches as the start and end of a range: the link stays short
// whatever the quote's length, and still selects the whole sentence.
const (
	// fragmentExactWords is the most words a quote may have to be matched
	// whole.
	fragmentExactWords = 10
	// fragmentEdgeWords is how many words start and end a range.
	fragmentEdgeWords = 5
	// fragmentTermBytes bounds one encoded term (the whole quote, a range's
	// start or its end): past it fewer words are taken, one at the least.
	fragmentTermBytes = 200
)

// fragmentDelimiter starts the fragment directive inside a URL's fragment
// (URL Fragment Text Directives, WICG): what follows it is for the browser
// only and is not part of the page's own fragment.
const fragmentDelimiter = ":~:"

// Link returns the quote's URL with a text fragment ("#:~:text=…", per the
// URL Fragment Text Directives spec) that makes a browser open the article
// scrolled to the quoted sentence and highlight it. The fragment quotes the
// whole text of a short quote on one line, and the first and last words of
// any other ("text=start,end"), its white space collapsed, percent-encoded
// as the spec requires. A URL that already has a fragment keeps it: the
// directive follows it after ":~:", replacing any directive the URL
// carried (it pointed at another passage). A final ".", ":", ";" or "?"
// is encoded as well: linkifiers leave a URL's last punctuation out.
//
// Link returns "" for a quote with no URL, and the URL unchanged when it is
// not an absolute http(s) URL or the quote has no words. The quote's words
// are never altered, only encoded.
func (q Quote) Link() string {
	raw := strings.TrimSpace(q.URL)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
		return q.URL
	}
	dir := textDirective(q.Text)
	if dir == "" {
		return q.URL
	}
	base, frag, _ := strings.Cut(raw, "#")
	if i := strings.Index(frag, fragmentDelimiter); i >= 0 {
		frag = frag[:i]
	}
	link := base + "#" + frag + fragmentDelimiter + dir
	if c := link[len(link)-1]; strings.IndexByte(".:;?", c) >= 0 {
		// Linkifiers leave a URL's last punctuation out of the link, as
		// the end of the sentence around it.
		link = link[:len(link)-1] + percentByte(c)
	}
	return link
}

// textDirective returns "text=…" for quote, or "" when it has no words.
func textDirective(quote string) string {
	var lines [][]string
	for _, l := range strings.Split(Display(strings.ToValidUTF8(quote, "\uFFFD")), "\n") {
		if w := strings.Fields(l); len(w) > 0 {
			lines = append(lines, w)
		}
	}
	switch {
	case len(lines) == 0:
		return ""
	case len(lines) == 1 && len(lines[0]) <= fragmentExactWords:
		// A match without an end does not cross block boundaries, so only
		// a quote on one line is matched whole.
		if exact := encodeTerm(lines[0]); len(exact) <= fragmentTermBytes || len(lines[0]) == 1 {
			return "text=" + exact
		}
	}
	first, last := lines[0], lines[len(lines)-1]
	startMost, endMost := len(first), len(last)
	if len(lines) == 1 {
		// One line: the start and the end must not overlap.
		startMost, endMost = (len(first)+1)/2, len(first)/2
	}
	start := edgeWords(first, startMost, false)
	end := edgeWords(last, endMost, true)
	if end == "" {
		return "text=" + start
	}
	return "text=" + start + "," + end
}

// edgeWords encodes up to fragmentEdgeWords (and at most most) words from
// the start of words, or from its end when fromEnd is set, taking fewer
// when they would pass fragmentTermBytes but always one (when most > 0).
func edgeWords(words []string, most int, fromEnd bool) string {
	n := min(most, fragmentEdgeWords)
	pick := func(k int) []string {
		if fromEnd {
			return words[len(words)-k:]
		}
		return words[:k]
	}
	for ; n > 1; n-- {
		if t := encodeTerm(pick(n)); len(t) <= fragmentTermBytes {
			return t
		}
	}
	if n < 1 {
		return ""
	}
	return encodeTerm(pick(1))
}

// encodeTerm joins words with single spaces and percent-encodes the result
// as a text directive parameter.
func encodeTerm(words []string) string {
	return encodeFragmentParam(strings.Join(words, " "))
}

// encodeFragmentParam percent-encodes s (UTF-8) for a text directive
// parameter. The spec lets only letters, digits and a few punctuation
// characters stand for themselves; "-", ",", "&" (which delimit the
// directive), spaces, "%" and everything outside ASCII must be encoded.
// Fewer characters are left bare here than the spec allows, so the link
// survives Markdown and the linkifiers of chat clients and terminals:
// parentheses, quotes, "*", "!", "+", "$" and "@" (a mention in Discord)
// are encoded too.
func encodeFragmentParam(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; fragmentSafe(c) {
			b.WriteByte(c)
		} else {
			b.WriteString(percentByte(c))
		}
	}
	return b.String()
}

// percentByte is c percent-encoded: "%2C" for ','.
func percentByte(c byte) string {
	const hex = "0123456789ABCDEF"
	return string([]byte{'%', hex[c>>4], hex[c&15]})
}

// fragmentSafe reports whether c may stand for itself in an encoded text
// directive parameter.
func fragmentSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("./:;=?_~", c) >= 0
}
