// Package refusal writes the refusal that names the closest articles, the
// same way on every platform: bot.NoAnswer, then bot.ClosestLead and the
// articles joined by Separator. Each adapter supplies how to escape text and
// how to write one article; this package decides what fits.
package refusal

import "newsbot/bot"

// Separator joins the closest articles.
const Separator = "; "

// Format is how one platform writes a refusal.
type Format struct {
	// Escape makes plain text (bot.NoAnswer, bot.ClosestLead) safe for the
	// platform.
	Escape func(string) string
	// Item writes one closest article, its title linked to the article when
	// link is set and the platform has links.
	Item func(c bot.Citation, link bool) string
	// Len measures a message in the unit Limit is in. Nil means there is no
	// limit.
	Len func(string) int
	// Limit is the longest message the platform accepts, measured by Len.
	Limit int
}

// Render returns the refusal for closest, best first. Within f.Limit, an
// article that does not fit with its link is written without it; one that
// still does not fit is left out together with the rest, so the refusal
// itself always gets through. With no closest articles it is the plain
// refusal.
func Render(closest []bot.Citation, f Format) string {
	msg := f.Escape(bot.NoAnswer)
	fits := func(s string) bool { return f.Len == nil || f.Len(s) <= f.Limit }
	for i, c := range closest {
		sep := Separator
		if i == 0 {
			sep = " " + f.Escape(bot.ClosestLead)
		}
		item := f.Item(c, true)
		if !fits(msg + sep + item) {
			item = f.Item(c, false)
		}
		if !fits(msg + sep + item) {
			break
		}
		msg += sep + item
	}
	return msg
}
