package answer

import (
	"strings"

	"newsbot/bot/text"
)

// The bot reads questions and sentences with bot/text's word analysis, the
// one the keyword index uses; these names are its shorthand for it.

// Term is a word of a text with its stem: text.Term.
type Term = text.Term

// Terms is text.Terms: the stemmed words of s, stop words dropped.
func Terms(s string) []Term { return text.Terms(s) }

// Stems is text.Stems: just the stems of Terms(s).
func Stems(s string) []string { return text.Stems(s) }

// stem is text.Stem.
func stem(w string) string { return text.Stem(w) }

// isDigitByte reports whether b is an ASCII digit.
func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// stemSet returns the stems of the space-separated lower-case words.
func stemSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[stem(w)] = true
	}
	return m
}

// hasStem reports whether a word of text has a stem in set.
func hasStem(text string, set map[string]bool) bool {
	for _, t := range Terms(text) {
		if set[t.Stem] {
			return true
		}
	}
	return false
}
