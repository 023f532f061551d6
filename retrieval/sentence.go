package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
)

// Sentences splits text into sentences and returns their byte spans, with
// surrounding white space excluded. A line break always ends a sentence
// (news text puts one paragraph on a line); within a line a sentence ends at
// '.', '!' or '?' (plus any closing quotes or brackets) followed by space and
// a plausible sentence start, except after abbreviations ("U.S.", "Dr."),
// initials ("J. K.") and inside numbers ("1.5").
func Sentences(text string) []bot.Span {
	var out []bot.Span
	emit := func(s, e int) {
		for s < e {
			r, n := utf8.DecodeRuneInString(text[s:])
			if !unicode.IsSpace(r) {
				break
			}
			s += n
		}
		for e > s {
			r, n := utf8.DecodeLastRuneInString(text[s:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= n
		}
		if e > s {
			out = append(out, bot.Span{Start: s, End: e})
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			emit(start, i)
			start = i + n
		case r == '.' || r == '!' || r == '?' || r == '…':
			end := i + n
			// Swallow runs like "?!" or "..." and closing quotes/brackets.
			for end < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[end:])
				if r2 == '.' || r2 == '!' || r2 == '?' || isCloser(r2) {
					end += n2
					continue
				}
				break
			}
			if isBoundary(text, start, i, r, end) {
				emit(start, end)
				start = end
			}
			i = end
			continue
		}
		i += n
	}
	emit(start, len(text))
	return out
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«':
		return true
	}
	return false
}

// isBoundary decides whether the punctuation r at text[i] (with closers up
// to end) ends the sentence that began at start.
func isBoundary(text string, start, i int, r rune, end int) bool {
	if end >= len(text) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[end:])
	if !unicode.IsSpace(next) {
		return false // "1.5", "U.S.-led", "example.com"
	}
	// Find the first character of what follows.
	j := end
	for j < len(text) {
		c, n := utf8.DecodeRuneInString(text[j:])
		if c == '\n' {
			return true
		}
		if !unicode.IsSpace(c) {
			break
		}
		j += n
	}
	if j >= len(text) {
		return true
	}
	follow, fn := utf8.DecodeRuneInString(text[j:])
	if isOpener(follow) && j+fn < len(text) {
		follow, _ = utf8.DecodeRuneInString(text[j+fn:])
	}
	if unicode.IsLower(follow) {
		return false // "… said the U.S. official"
	}
	if r != '.' {
		return true
	}
	// What word does the period end?
	ws := i
	for ws > start {
		c, n := utf8.DecodeLastRuneInString(text[start:ws])
		if unicode.IsSpace(c) || isOpener(c) {
			break
		}
		ws -= n
	}
	word := text[ws:i]
	if word == "" {
		return true
	}
	// Single letters are initials: "J. K. Rowling", "U.S." has inner dots.
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]) {
		return false
	}
	if strings.Contains(word, ".") && !strings.Contains(strings.Trim(word, "."), "..") {
		// "U.S." "e.g." "a.m." — an abbreviation with inner dots ends a
		// sentence only when what follows cannot continue it.
		return unicode.IsDigit(follow) == false && !continuesAbbrev(text[j:])
	}
	return !abbreviations[strings.ToLower(word)]
}

// continuesAbbrev reports whether the text after "U.S." reads as the same
// sentence: a capitalised word that commonly follows such abbreviations
// ("U.S. President", "U.S. officials" starts lower case and is handled above).
func continuesAbbrev(rest string) bool {
	w := rest
	if k := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }); k > 0 {
		w = rest[:k]
	}
	return titleWords[strings.ToLower(w)]
}

var titleWords = map[string]bool{
	"president": true, "secretary": true, "senator": true, "sen": true, "rep": true, "army": true, "navy": true,
	"government": true, "administration": true, "congress": true, "state": true, "department": true,
	"embassy": true, "ambassador": true, "forces": true, "military": true, "court": true, "supreme": true,
	"treasury": true, "house": true, "senate": true, "official": true, "officials": true, "dollar": true,
	"economy": true, "envoy": true, "defense": true, "defence": true, "special": true, "national": true,
	"federal": true, "central": true, "intelligence": true, "vice": true, "general": true, "attorney": true,
}

var abbreviations = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm maj gov sen rep
	pres rev hon supt insp det no nos vs v etc inc ltd co corp bros dept est fig approx jan feb mar apr jun jul
	aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun ave blvd rd al`) {
		m[w] = true
	}
	return m
}()
