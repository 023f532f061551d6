package bot

import "strings"

// Display returns s (valid UTF-8) as safe to show next to a citation: the characters
// that could reorder or hide text around them are removed, and nothing
// else changes. It is for rendering only; stored text, quotes and their
// offsets keep every character.
//
// Removed are the explicit bidirectional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069), which could make a quote or a
// title appear in another order or run into the citation after it; the
// invisible zero-width space, word joiner, byte-order mark, Mongolian vowel
// separator and invisible operators, which only hide boundaries; and
// control characters other than tab and newline (C0, DEL, C1), which a
// terminal may obey. Kept are the zero-width joiner and non-joiner and the
// directional marks (U+200C–U+200F, U+061C): emoji sequences and Arabic,
// Persian and Hebrew text need them, and they cannot carry direction past
// the next strong character.
func Display(s string) string {
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if hidden(r) {
			return -1
		}
		return r
	}, s)
}

// hidden reports whether Display removes r.
func hidden(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200B, r == 0x2060, r >= 0x2061 && r <= 0x2064, r == 0xFEFF, r == 0x180E:
		return true
	}
	return false
}
