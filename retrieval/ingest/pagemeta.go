package ingest

import (
	"regexp"
	"strings"
	"unicode"
)

// cleanByline keeps the names of a byline: "By Ana Lima, 21 April 2025"
// is "Ana Lima"; parts that are dates, numbers, times or not names at all
// are dropped, and a byline of only those is empty.
func cleanByline(s string) string {
	var names []string
	for _, part := range bylineSep.Split(trimBy(s), -1) {
		part = strings.TrimSpace(trimBy(part))
		if isName(part) {
			names = append(names, part)
		}
	}
	return strings.Join(names, ", ")
}

var bylineSep = regexp.MustCompile(`\s*(?:[,;|•·]|\s-\s|\s–\s|\band\b)\s*`)

// isName reports whether a byline part can be a person's or desk's name:
// letters, at most six words, no digits, not a date word.
func isName(s string) bool {
	if s == "" || strings.IndexFunc(s, unicode.IsDigit) >= 0 || strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 6 {
		return false
	}
	for _, w := range words {
		if dateWords[strings.ToLower(strings.Trim(w, ".:"))] {
			return false
		}
	}
	return true
}

var dateWords = wordSet(`published updated posted modified am pm today yesterday ago min mins minutes hours
	january february march april may june july august september october november december
	jan feb mar apr jun jul aug sep sept oct nov dec
	monday tuesday wednesday thursday friday saturday sunday`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// articleText turns the extractor's text into the stored text: normalised,
// without a first paragraph that repeats the title or the byline, and
// without paragraphs that are page furniture the extractor kept (an
// "ADVERTISEMENT" label, a "Read more:" link, a newsletter sign-up).
func articleText(raw, title, author string) string {
	var keep []string
	for i, p := range strings.Split(tidy(dropControls(raw)), "\n\n") {
		line := oneLine(p)
		switch {
		case i == 0 && title != "" && strings.EqualFold(line, oneLine(title)):
		case author != "" && cleanByline(line) == author && len(keep) == 0:
		case isFurniture(line):
		default:
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n\n")
}

// furnitureLabel is a paragraph that is only an ad or promotion label;
// furniturePrefix starts a cross-link; newsletter is a sign-up pitch.
var (
	furnitureLabel  = regexp.MustCompile(`(?i)^(?:advertisement|advertising|sponsored(?: content)?|ad|paid content|story continues below(?: advertisement)?|continue reading below|skip advert(?:isement)?)$`)
	furniturePrefix = regexp.MustCompile(`(?i)^(?:read more|read next|related|see also|also read|more on this story|recommended|watch)\s*:`)
	newsletter      = regexp.MustCompile(`(?i)\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,80}\b(?:sign up|subscribe)\b`)
)

func isFurniture(p string) bool {
	return isDateLine(p) || furnitureLabel.MatchString(strings.Trim(p, " -–—·•|")) || furniturePrefix.MatchString(p) ||
		(newsletter.MatchString(p) && len(strings.Fields(p)) < 40)
}

// isDateLine reports whether a paragraph is only a date or time
// ("21 April 2025", "Updated 10:32 BST"): a dateline element the
// extractor kept, never a sentence to quote.
func isDateLine(p string) bool {
	words := strings.Fields(p)
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	dated := false
	for _, w := range words {
		w = strings.ToLower(strings.Trim(w, ".,:;|()–-"))
		switch {
		case w == "" || w == "at" || w == "on" || isZone(w):
		case dateWords[w]:
			dated = true
		case strings.Trim(w, "0123456789:/.apm") == "" || strings.TrimRight(strings.TrimLeft(w, "0123456789"), "stndrh") == "":
			dated = dated || strings.ContainsAny(w, "0123456789")
		default:
			return false
		}
	}
	return dated
}

func isZone(w string) bool {
	_, ok := zoneOffsets[strings.ToUpper(w)]
	return ok && len(w) > 1
}

// trimBy removes a leading "By " from a byline.
func trimBy(s string) string {
	s = oneLine(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		return strings.TrimSpace(s[3:])
	}
	return s
}
