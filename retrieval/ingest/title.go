package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
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

// firstSentence returns the text up to the end of its first sentence or
// line, whichever comes first. A full stop after a single capital letter or
// a common abbreviation (U.S., Mr.) does not end the sentence.
func firstSentence(text string) string {
	text = strings.TrimSpace(text)
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		end := i + 1
		// Closing quotes and brackets belong to the sentence.
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if !strings.ContainsRune(`"')]’”»`, r) {
				break
			}
			end += n
		}
		if end < len(text) && text[end] != ' ' {
			continue
		}
		if c == '.' && isAbbreviation(text[:i]) {
			continue
		}
		return strings.TrimSpace(text[:end])
	}
	return text
}

var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"jr": true, "sr": true, "gen": true, "gov": true, "sen": true, "rep": true,
	"no": true, "vs": true, "etc": true, "inc": true, "corp": true, "ltd": true,
	"co": true, "jan": true, "feb": true, "aug": true, "sept": true, "oct": true,
	"nov": true, "dec": true,
}

// isAbbreviation reports whether the word ending just before a full stop is
// an abbreviation or an initial ("U.S", "J", "Mr").
func isAbbreviation(before string) bool {
	word := before
	if i := strings.LastIndexAny(before, " (\"“"); i >= 0 {
		_, n := utf8.DecodeRuneInString(before[i:])
		word = before[i+n:]
	}
	if strings.Contains(word, ".") { // U.S, e.g
		return true
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r)
	}
	return abbreviations[strings.ToLower(word)]
}
