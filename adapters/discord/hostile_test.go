package discord

import (
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

// hiddenRunes are the characters no rendered message may contain.
const hiddenRunes = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\x1b"

func TestBidiAndZeroWidthCannotSpoofACitation(t *testing.T) {
	a := &bot.Article{ID: "spoof", Title: "Reuters \u202eswen ekaf\u202c", Source: "Wire\u200b", URL: "https://example.com/s",
		Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Text:      "The minister said \u202ethe budget is fine\u2069\u2067 today. \x1b[2J Next sentence."}
	end := strings.Index(a.Text, " \x1b")
	q := bot.NewQuote(a, bot.Span{Start: 0, End: end}, 1)
	ans := bot.Answer{Question: "what did @everyone \u202esay?", Answered: true, Quotes: []bot.Quote{q}}
	msgs := append(renderAnswer(ans, ans.Question), renderSources(ans, true)...)
	for _, m := range msgs {
		if i := strings.IndexAny(m, hiddenRunes); i >= 0 {
			t.Errorf("message holds hidden %+q: %q", []rune(m[i:])[0], m)
		}
	}
	var quoted []string
	for _, m := range msgs {
		quoted = append(quoted, quotedTexts(m)...)
	}
	if want := "The minister said the budget is fine today."; len(quoted) != 1 || quoted[0] != want {
		t.Errorf("quote shows as %q, want %q", quoted, want)
	}
	if q.Text != a.Text[q.Start:q.End] || !strings.Contains(q.Text, "\u202e") {
		t.Errorf("quote no longer matches the stored text: %q", q.Text)
	}
}
