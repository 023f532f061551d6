package discord

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot/text"
)

// splitText cuts s into pieces for which fits reports true, preferring to
// cut after a sentence, then between words, and only as a last resort
// inside a word (at a rune boundary). The whitespace at a cut is dropped;
// everything else of s is kept, in order. fits must accept any single rune.
func splitText(s string, fits func(string) bool) []string {
	var out []string
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	for s != "" {
		if fits(s) {
			return append(out, s)
		}
		k := cutPoint(s, fits)
		out = append(out, strings.TrimRightFunc(s[:k], unicode.IsSpace))
		s = strings.TrimLeftFunc(s[k:], unicode.IsSpace)
	}
	return out
}

// cutPoint returns where the first piece of s should end.
func cutPoint(s string, fits func(string) bool) int {
	var sentences, words []int
	ends := text.SentenceEnds(s)
	for i, r := range s {
		if !unicode.IsSpace(r) || i == 0 {
			continue
		}
		words = append(words, i)
		if r == '\n' || ends[i] {
			sentences = append(sentences, i)
		}
	}
	piece := func(k int) string { return strings.TrimRightFunc(s[:k], unicode.IsSpace) }
	sent := longestFitting(sentences, piece, fits)
	word := longestFitting(words, piece, fits)
	// A sentence cut that leaves most of the room unused reads worse than
	// a cut between words, so take it only when it uses half of it.
	switch {
	case sent > 0 && sent*2 >= word:
		return sent
	case word > 0:
		return word
	}
	var runes []int
	for i := range s {
		if i > 0 {
			runes = append(runes, i)
		}
	}
	if k := longestFitting(runes, func(k int) string { return s[:k] }, fits); k > 0 {
		return k
	}
	_, size := utf8.DecodeRuneInString(s)
	return size
}

// longestFitting returns the largest cut in cuts (ascending) whose piece
// fits and is not empty, or 0. Rendered length grows with the prefix, so a
// binary search finds it; every returned cut has been checked.
func longestFitting(cuts []int, piece func(int) string, fits func(string) bool) int {
	n := sort.Search(len(cuts), func(i int) bool { return !fits(piece(cuts[i])) })
	for i := n - 1; i >= 0; i-- {
		if p := piece(cuts[i]); p != "" && fits(p) {
			return cuts[i]
		}
	}
	return 0
}

// pack joins blocks into as few messages as possible, blank-line separated,
// each at most limit long. Blocks must each fit on their own.
func pack(blocks []string, limit int) []string {
	var msgs []string
	cur := ""
	for _, b := range blocks {
		switch {
		case cur == "":
			cur = b
		case discordLen(cur)+2+discordLen(b) <= limit:
			cur += "\n\n" + b
		default:
			msgs = append(msgs, cur)
			cur = b
		}
	}
	if cur != "" {
		msgs = append(msgs, cur)
	}
	return msgs
}
