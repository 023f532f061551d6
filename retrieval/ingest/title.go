package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot/text"
)

// maxTitleRunes bounds a title made from the first sentence.
const maxTitleRunes = 80

// TitleFromText makes a title for text that has none: its first sentence,
// shortened at a word boundary to at most 80 characters, ending in "…"
// when shortened.
func TitleFromText(text string) string { return fallbackTitle(text) }

// fallbackTitle makes a title from text that has none: its first sentence,
// shortened at a word boundary to about 80 characters with "…".
func fallbackTitle(text string) string {
	s := firstSentence(text)
	if utf8.RuneCountInString(s) <= maxTitleRunes {
		return s
	}
	// cut is the last space before the limit, hard the byte offset of the
	// limit itself, used when the first words are one enormous word.
	cut, hard, n := 0, 0, 0
	for i, r := range s {
		if n == maxTitleRunes-1 {
			hard = i
			break
		}
		if r == ' ' {
			cut = i
		}
		n++
	}
	if cut == 0 {
		cut = hard
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	}) + "…"
}

// firstSentence returns the first sentence of text's first line, as
// text.Sentences splits it (abbreviations such as "U.S." and "Mr.",
// initials and decimals do not end it), or the whole line when that holds
// none, as a Markdown heading does.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if spans := text.Sentences(s); len(spans) > 0 {
		return s[spans[0].Start:spans[0].End]
	}
	return s
}
