package text

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// softBreaks returns the byte offsets of newlines that do not end a
// sentence because they only wrap a paragraph: in a hard-wrapped paragraph
// (isWrapped) every single newline is one unless a list item follows, and
// anywhere a newline between a
// line without closing punctuation and a line starting in lower case is
// one. A blank line always separates paragraphs.
func softBreaks(text string) map[int]bool {
	soft := map[int]bool{}
	for off := 0; off < len(text); {
		end := strings.Index(text[off:], "\n\n")
		if end < 0 {
			end = len(text)
		} else {
			end += off
		}
		para := text[off:end]
		lines := strings.Split(para, "\n")
		wrapped := isWrapped(lines)
		pos := off
		for k, l := range lines[:len(lines)-1] {
			pos += len(l)
			if !startsItem(lines[k+1]) && (wrapped || (!endsSentence(l) && startsLower(lines[k+1]))) {
				soft[pos] = true
			}
			pos++ // the newline
		}
		off = end + 2
	}
	return soft
}

// isWrapped reports whether a paragraph's lines were wrapped at a width:
// most lines but the last come close to the longest, which is at least 40
// characters, and most do not end a sentence. Paragraphs of one line per
// sentence, lists and short headline lines fail the test.
func isWrapped(lines []string) bool {
	if len(lines) < 2 {
		return false
	}
	body := lines[:len(lines)-1]
	width := 0
	for _, l := range body {
		width = max(width, utf8.RuneCountInString(l))
	}
	if width < 40 {
		return false
	}
	near, ends := 0, 0
	for _, l := range body {
		if utf8.RuneCountInString(l)*10 >= width*6 {
			near++
		}
		if endsSentence(l) {
			ends++
		}
	}
	return near*3 >= len(body)*2 && ends*2 < len(body)
}

// endsSentence reports whether a line ends in closing punctuation.
func endsSentence(line string) bool {
	line = strings.TrimRightFunc(line, func(r rune) bool { return unicode.IsSpace(r) || isCloser(r) })
	r, _ := utf8.DecodeLastRuneInString(line)
	switch r {
	case '.', '!', '?', '…', ':', ';':
		return true
	}
	return false
}

// listItem matches the start of a list item: "- ", "* ", "• ", "1. ", "2) ".
var listItem = regexp.MustCompile(`^\s*(?:[-*+•–]|\d{1,3}[.)])\s`)

// startsItem reports whether a line starts a list item, which a wrapped
// line never does.
func startsItem(line string) bool { return listItem.MatchString(line) }

func startsLower(line string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(line, unicode.IsSpace))
	return unicode.IsLower(r)
}
