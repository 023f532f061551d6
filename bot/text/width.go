package text

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// UTF16Len returns the length of s in UTF-16 code units, the unit in which
// Telegram and Discord measure a message. An invalid byte counts as one
// unit, as it becomes U+FFFD when sent.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s { // invalid UTF-8 decodes as U+FFFD, one unit
		n += RuneUTF16(r)
	}
	return n
}

// RuneUTF16 returns the length of r in UTF-16 code units; 1 for a rune
// that is not valid, which is sent as U+FFFD.
func RuneUTF16(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// Truncate shortens s to at most n runes, marking the cut with "…" (the
// last rune kept is the ellipsis, after the text is trimmed of the white
// space the cut leaves).
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
