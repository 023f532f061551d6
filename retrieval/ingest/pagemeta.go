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
		if isName(part) && !strings.EqualFold(part, "by") {
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
	monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
	last edited`)

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
		// A paragraph's lines (a <div>'s, or a caption's under a photo)
		// are judged one by one.
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if !isFurniture(oneLine(l)) {
				lines = append(lines, l)
			}
		}
		p = strings.Join(lines, "\n")
		line := oneLine(p)
		switch {
		case line == "":
		case i == 0 && title != "" && strings.EqualFold(line, oneLine(title)):
		case author != "" && cleanByline(line) == author && len(keep) == 0:
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
	furniturePrefix = regexp.MustCompile(`(?i)^(?:read more|read next|related|see also|see more|also read|more on this story|recommended|watch|most read|read also|more)\s*:`)
	newsletter      = regexp.MustCompile(`(?i)\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,80}\b(?:sign up|subscribe)\b`)
)

func isFurniture(p string) bool {
	return !strings.ContainsFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) || isDateLine(p) || isPhotoCredit(p) || uiLabel.MatchString(strings.Trim(p, " .…:|-–—·•»›")) || furnitureLabel.MatchString(strings.Trim(p, " -–—·•|")) || furniturePrefix.MatchString(p) ||
		(newsletter.MatchString(p) && len(strings.Fields(p)) < 40)
}

// uiLabel is a line that is only a control's or a section's label.
var uiLabel = regexp.MustCompile(`(?i)^(?:sign in|log in|sign up|close|caption|share|share this( article| story)?|menu|search|breaking news|image \d* ?of ?/? ?\d*|` +
	`you (?:may|might) also like|more from [\w ]{1,30}|related (?:articles|stories|posts)|recommended for you|most (?:read|popular)|trending now|comments?|\d+ comments?|leave a (?:comment|reply)|` +
	`this (?:post|article) (?:may )?contains? affiliate.*|back to top|print|email|next article|previous article|view comments|listen to this article|don'?t miss|must see|more stories|top stories|latest news|trending(?: news| stories)?|by|advertisement)$`)

// photoCredit is a picture credit or a caption that ends in one.
var photoCredit = regexp.MustCompile(`(?i)\((?:AP|AFP|Reuters)? ?Photo[:/ ]|\bPhoto(?:graph)?: [^.]{0,60}$|\b(?:Image|Photo|Picture) (?:credit|copyright|source)\b|(?:Credit|Copyright): ?[^.]{0,60}(?:Getty|Images|Shutterstock|Reuters|AFP|AP|PA|EPA)\b|\|\s*Getty Images$|\bvia Getty Images$`)

// isPhotoCredit reports whether a line is a photo credit or a caption
// ending in one ("… in Littleton, Colo. (AP Photo/David Zalubowski)",
// "Natalie Naccache | Bloomberg | Getty Images").
func isPhotoCredit(p string) bool {
	return len(strings.Fields(p)) <= 80 && photoCredit.MatchString(p)
}

// isDateLine reports whether a paragraph is only a date or time
// ("21 April 2025", "Updated 10:32 BST"): a dateline element the
// extractor kept, never a sentence to quote.
func isDateLine(p string) bool {
	words := strings.FieldsFunc(p, func(r rune) bool { return r == ' ' || r == ';' || r == '|' || r == ',' || r == '•' || r == '·' })
	if len(words) == 0 || len(words) > 14 {
		return false
	}
	// "By Regan September 15, 2014": a byline's name before the date.
	if strings.EqualFold(words[0], "by") {
		words = words[1:]
		for len(words) > 0 && isCapitalised(words[0]) && !dateWords[strings.ToLower(strings.Trim(words[0], ".,:"))] {
			words = words[1:]
		}
	}
	dated := false
	for _, w := range words {
		w = strings.ToLower(strings.Trim(w, ".,:;|()–-"))
		switch {
		case w == "" || w == "at" || w == "on" || w == "of" || w == "et" || w == "pt" || w == "ct" || isZone(w):
		case dateWords[w]:
			dated = true
		case strings.Trim(w, "0123456789:/.-apm") == "" || strings.TrimRight(strings.TrimLeft(w, "0123456789"), "stndrh") == "":
			dated = dated || strings.ContainsAny(w, "0123456789")
		default:
			return false
		}
	}
	return dated
}

func isCapitalised(w string) bool {
	r := []rune(w)
	return len(r) > 0 && unicode.IsUpper(r[0])
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
