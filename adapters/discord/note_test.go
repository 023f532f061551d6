package discord

import (
	"strings"
	"testing"

	"newsbot/bot"
)

// TestRefusalNote checks that a refusal with a Note (a question not in
// English) says NoAnswer and the note, escaped, and names no closest
// article.
func TestRefusalNote(t *testing.T) {
	ans := bot.Answer{Note: bot.NotEnglishNote, Closest: []bot.Citation{{Title: "Dam *opens*"}}}
	msgs := renderAnswer(ans, "")
	if len(msgs) != 1 || msgs[0] != escape(bot.NoAnswer+" "+bot.NotEnglishNote) || strings.Contains(msgs[0], "Dam") {
		t.Errorf("refusal with a note: %q", msgs)
	}
}
