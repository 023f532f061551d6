package cli

import (
	"strings"

	"github.com/mattn/go-runewidth"
)

// wrap breaks s into lines of at most width columns, between words only:
// a word wider than width gets a line of its own, whole. Runs of spaces
// between words become one space. With width <= 0 (or a line that fits)
// s comes back as its only line, unchanged.
func wrap(s string, width int) []string {
	if width <= 0 || runewidth.StringWidth(s) <= width {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	for _, w := range strings.Fields(s) {
		ww := runewidth.StringWidth(w)
		if curW > 0 && curW+1+ww > width {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		cur.WriteString(w)
		curW += ww
	}
	if curW > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
