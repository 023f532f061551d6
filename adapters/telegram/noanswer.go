package telegram

import (
	"strings"

	"newsbot/bot"
)

// renderNoAnswer renders a refusal as one HTML message of at most limit
// UTF-16 units: bot.NoAnswer, then "Closest: <i>Title</i> (Source, Date); …"
// for the articles in closest, each title linked to its article when it has
// a usable link. An item that does not fit is shown without its link, and
// if it still does not fit, it and the rest are left out, so the refusal
// itself always arrives.
func renderNoAnswer(closest []bot.Citation, limit int) string {
	msg := escapeText(bot.NoAnswer)
	for i, c := range closest {
		sep := "; "
		if i == 0 {
			sep = " " + escapeText(bot.ClosestLead)
		}
		item := closestItem(c, true)
		if utf16Len(msg+sep+item) > limit {
			item = closestItem(c, false)
		}
		if utf16Len(msg+sep+item) > limit {
			break
		}
		msg += sep + item
	}
	return msg
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
