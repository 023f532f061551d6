package ingest

import (
	"fmt"
	"regexp"
	"strings"

	"newsbot/bot"
)

// headerLine matches a "Key: value" header of a text file.
var headerLine = regexp.MustCompile(`^([A-Za-z_]+)[ \t]*:[ \t]*(.*)$`)

// parseText reads a plain-text article: optional "Title:", "Source:",
// "URL:", "Published:" (or "Date:"), "Author:" and "ID:" header lines, in
// any order and any letter case, up to the first line that is not one; one
// blank line after them; then the body.
func parseText(base string, data []byte) (bot.Article, []LineError, error) {
	text, err := Normalize(data)
	if err != nil {
		return bot.Article{}, nil, err
	}
	var m meta
	body := text
	for body != "" {
		line, rest, _ := strings.Cut(body, "\n")
		sm := headerLine.FindStringSubmatch(line)
		if sm == nil || !m.set(sm[1], sm[2]) {
			break
		}
		body = rest
	}
	// Normalize leaves at most one blank line, so this skips the separator
	// after the headers (and any indentation of the first body line, which
	// the whole-text trim would have removed had there been no headers).
	body = strings.TrimSpace(body)
	if body == "" {
		return bot.Article{}, nil, fmt.Errorf("%w: no article text after the headers", ErrEmpty)
	}
	a, warns := m.article(base, body)
	return a, warns, nil
}
