package answer

import (
	"strings"

	"newsbot/bot"
)

// MaxClosest is the most articles a refusal names as the closest coverage.
const MaxClosest = 3

// closest returns the first n distinct articles among ps, in the
// Retriever's order (best first), as citations. Articles are distinct by id
// and also by title and source, so that one story stored twice (a feed copy
// and a file, say) is not named twice.
func closest(ps []bot.Passage, n int) []bot.Citation {
	type story struct{ title, source string }
	var out []bot.Citation
	ids, stories := map[string]bool{}, map[story]bool{}
	for _, p := range ps {
		if len(out) == n {
			break
		}
		a := p.Article
		if a == nil {
			continue
		}
		st := story{strings.ToLower(strings.Join(strings.Fields(a.Title), " ")), a.Source}
		if ids[a.ID] || (st.title != "" && stories[st]) {
			continue
		}
		ids[a.ID], stories[st] = true, true
		out = append(out, bot.Citation{ArticleID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published})
	}
	return out
}
