package cli

import (
	"strings"
	"unicode"
)

// plainText makes article metadata (titles, sources, links) safe to print
// on a terminal in one line. These come from feeds and files, so they may
// carry escape sequences that would recolour or clear the screen, carriage
// returns that would overwrite the line, or bidi controls that reorder what
// is shown. Whitespace runs become one space; control and bidi characters
// and invalid UTF-8 become U+FFFD, so the reader sees that something was
// there. Quotes never pass through here: they are printed as stored.
func plainText(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
