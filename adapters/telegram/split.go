package telegram

import (
	"unicode"
	"unicode/utf8"

	"newsbot/bot/text"
)

// utf16Len returns the length of s in UTF-16 code units, the unit of
// Telegram's limits.
func utf16Len(s string) int { return text.UTF16Len(s) }

// escapedUTF16 is the UTF-16 length of r once escaped by escapeText.
func escapedUTF16(r rune) int {
	switch r {
	case '&':
		return len("&amp;")
	case '<':
		return len("&lt;")
	case '>':
		return len("&gt;")
	}
	return text.RuneUTF16(r)
}

// splitRaw cuts unescaped text s into consecutive pieces whose escaped
// forms are at most budget UTF-16 units each, so that escaping a piece
// never straddles a cut. It prefers to cut after a sentence, then after a
// word, and cuts inside a word only when a word alone exceeds the budget.
// The pieces concatenate back to s exactly.
func splitRaw(s string, budget int) []string {
	var parts []string
	for s != "" {
		i := cutPoint(s, budget)
		parts = append(parts, s[:i])
		s = s[i:]
	}
	return parts
}

// cutPoint returns the byte length of the first piece of s for splitRaw.
// Cuts go just after whitespace, which stays with the earlier piece. It
// prefers the last sentence end if that keeps at least half the budget,
// then the last word end, then any rune boundary, and always makes progress.
func cutPoint(s string, budget int) int {
	var (
		cost, word, sentence, sentenceCost int
		runStart                           int // where the last run of white space began
		prev                               rune
		newlineInRun                       bool
	)
	ends := text.SentenceEnds(s)
	for i, r := range s {
		if i > 0 && unicode.IsSpace(prev) {
			word = i
			if newlineInRun || ends[runStart] {
				sentence, sentenceCost = i, cost
			}
		}
		c := escapedUTF16(r)
		if cost+c > budget {
			switch {
			case sentence > 0 && sentenceCost*2 >= budget:
				return sentence
			case word > 0:
				return word
			case i > 0:
				return i
			}
			// Not even one rune fits: send it alone rather than loop.
			_, n := utf8.DecodeRuneInString(s)
			return n
		}
		cost += c
		if unicode.IsSpace(r) {
			if i == 0 || !unicode.IsSpace(prev) {
				runStart = i
			}
			newlineInRun = newlineInRun || r == '\n'
		} else {
			newlineInRun = false
		}
		prev = r
	}
	return len(s)
}
