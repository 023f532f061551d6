package telegram

import (
	"strings"

	"newsbot/adapters/internal/refusal"
	"newsbot/bot"
)

// renderNoAnswer renders a refusal as one HTML message of at most limit
// UTF-16 units: bot.NoAnswer, then "Closest: <i>Title</i> (Source, Date); …"
// for the articles in closest, each title linked to its article when it has
// a usable link (see refusal.Render for what is left out to fit).
func renderNoAnswer(closest []bot.Citation, limit int) string {
	return refusal.Render(closest, refusal.Format{Escape: escapeText, Item: closestItem, Len: utf16Len, Limit: limit})
}

// closestItem renders "<i>Title</i> (Source, Date)", leaving out what is
// unknown; with link set, the title links to the article.
func closestItem(c bot.Citation, link bool) string {
	title := clip(c.Title, maxTitleRunes)
	if title == "" {
		title = "untitled article"
	}
	t := escapeText(title)
	if u := linkURL(c.URL); link && u != "" {
		t = `<a href="` + escapeAttr(u) + `">` + t + "</a>"
	}
	var meta []string
	if s := clip(c.Source, maxSourceRunes); s != "" {
		meta = append(meta, escapeText(s))
	}
	if d := c.Date(); d != "" {
		meta = append(meta, d)
	}
	out := "<i>" + t + "</i>"
	if len(meta) > 0 {
		out += " (" + strings.Join(meta, ", ") + ")"
	}
	return out
}
