package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits text into sentences and returns their byte spans, with
// surrounding white space excluded. A line break ends a sentence (news text
// puts one paragraph on a line) unless the paragraph is hard-wrapped (see
// softBreaks); within a line a sentence ends at '.', '!' or '?' (plus any
// closing quotes or brackets) followed by space and a plausible sentence
// start, except after abbreviations ("U.S.", "Dr.", "e.g.", "9 p.m.
// Friday"), initials ("J. K.") and inside numbers ("1.5"). A Markdown
// heading line ("## Detours") is not a sentence: it gets no span, so it is
// never quoted as an answer. The text itself is never changed.
func Sentences(text string) []Span {
	var out []Span
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
			out = append(out, Span{Start: s, End: e})
		}
	}
	soft := softBreaks(text)
	hard := func(i int) bool { return !soft[i] }
	start := 0
	for i := 0; i < len(text); {
		if i == start || text[i-1] == '\n' {
			if e := headingEnd(text, i); e > i {
				emit(start, i)
				i, start = e, e
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' && hard(i):
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
			if isBoundary(text, start, i, r, end, hard) {
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

// headingEnd returns the end of the Markdown ATX heading line ("#" to
// "######", then a space) starting at i, or i if there is none.
func headingEnd(text string, i int) int {
	j := i
	for j < len(text) && text[j] == '#' && j-i < 6 {
		j++
	}
	if j == i || j >= len(text) || (text[j] != ' ' && text[j] != '\t') {
		return i
	}
	if k := strings.IndexByte(text[j:], '\n'); k >= 0 {
		return j + k
	}
	return len(text)
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
// hard reports whether the newline at a byte offset ends a sentence.
func isBoundary(text string, start, i int, r rune, end int, hard func(int) bool) bool {
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
		if c == '\n' && hard(j) {
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
	if unicode.IsLower(following(text[j:])) {
		return false // "… said the U.S. official"
	}
	if r != '.' {
		return true
	}
	return PeriodEnds(text[start:i], text[j:])
}

// following returns the first letter of rest, looking past one opening
// quotation mark or bracket.
func following(rest string) rune {
	follow, fn := utf8.DecodeRuneInString(rest)
	if isOpener(follow) && fn < len(rest) {
		follow, _ = utf8.DecodeRuneInString(rest[fn:])
	}
	return follow
}

// PeriodEnds reports whether a full stop ends a sentence, given the
// sentence before it (up to the full stop) and rest, the text from the
// next word on (after the white space that follows the full stop). A
// lower-case word never starts a sentence; otherwise it weighs the word
// the full stop closes against the abbreviations, initials and dotted
// letters ("U.S.", "Dr.", "J.", "9 p.m. Friday") as Sentences does.
func PeriodEnds(before, rest string) bool {
	if rest == "" {
		return true
	}
	follow := following(rest)
	if unicode.IsLower(follow) {
		return false
	}
	// What word does the period end?
	ws := len(before)
	for ws > 0 {
		c, n := utf8.DecodeLastRuneInString(before[:ws])
		if unicode.IsSpace(c) || isOpener(c) {
			break
		}
		ws -= n
	}
	return periodEnds(before, before[ws:], rest, follow)
}

// SentenceEnds returns the byte offsets in s at which a sentence of
// Sentences(s) ends, for splitters that prefer to cut there.
func SentenceEnds(s string) map[int]bool {
	ends := map[int]bool{}
	for _, sp := range Sentences(s) {
		ends[sp.End] = true
	}
	return ends
}
