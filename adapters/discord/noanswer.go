package discord

import "newsbot/bot"

// renderNoAnswer renders a refusal as one message of at most limit:
// bot.NoAnswer, then "Closest: *Title* (Source, Date); …" for the articles
// in closest, each title a masked link to its article when it has a usable
// link. An item that does not fit is shown without its link, and if it
// still does not fit, it and the rest are left out, so the refusal itself
// always arrives.
func renderNoAnswer(closest []bot.Citation, limit int) string {
	msg := escape(bot.NoAnswer)
	for i, c := range closest {
		sep := "; "
		if i == 0 {
			sep = " " + escape(bot.ClosestLead)
		}
		item := closestItem(c, true)
		if discordLen(msg+sep+item) > limit {
			item = closestItem(c, false)
		}
		if discordLen(msg+sep+item) > limit {
			break
		}
		msg += sep + item
	}
	return msg
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
