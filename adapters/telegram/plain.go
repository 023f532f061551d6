package telegram

import (
	"strings"

	"golang.org/x/net/html"
)

// visibleText returns what a reader sees of a Telegram HTML message: its
// text with the tags dropped and the entities decoded. Rendering only
// escapes, so visibleText(render(x)) shows x unchanged.
func visibleText(s string) string {
	var b strings.Builder
	z := html.NewTokenizerFragment(strings.NewReader(s), "div")
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}
