package discord

import (
	"newsbot/adapters/internal/refusal"
	"newsbot/bot"
)

// renderNoAnswer renders a refusal as one message of at most limit:
// bot.NoAnswer, then "Closest: *Title* (Source, Date); …" for the articles
// in closest, each title a masked link to its article when it has a usable
// link (see refusal.Render for what is left out to fit).
func renderNoAnswer(closest []bot.Citation, limit int) string {
	return refusal.Render(closest, refusal.Format{Escape: escape, Item: closestItem, Len: discordLen, Limit: limit})
}

// closestItem renders "*Title* (Source, Date)", leaving out what is
// unknown; with link set, the title is a masked link to the article.
func closestItem(c bot.Citation, link bool) string {
	url := ""
	if link {
		url = c.URL
	}
	out := "*" + titleLink(c.Title, url) + "*"
	if meta := metaParts(c.Source, c.Date()); meta != "" {
		out += " (" + meta + ")"
	}
	return out
}
