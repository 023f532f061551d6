package telegram

import (
	"strings"
	"testing"

	"newsbot/bot"
)

// spoofArticle's title and text carry a right-to-left override (which
// would show "evil.exe" as "exe.live" and run into the citation after it),
// isolates, a zero-width space and a terminal escape.
var spoofArticle = &bot.Article{
	ID: "spoof", Title: "Reuters \u202eswen ekaf\u202c", Source: "Wire\u200b", URL: "https://example.com/s",
	Published: march2, Text: "The minister said \u202ethe budget is fine\u2069\u2067 today. \x1b[2J Next sentence.",
}

// hiddenRunes are the characters no rendered message may contain.
const hiddenRunes = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\x1b"

func TestBidiAndZeroWidthCannotSpoofACitation(t *testing.T) {
	q := quoteOf(t, spoofArticle, "The minister said \u202ethe budget is fine\u2069\u2067 today.")
	ans := bot.Answer{Question: "what did the minister say \u202e?", Answered: true, Quotes: []bot.Quote{q}}
	msgs := append(renderAnswer(ans, maxMessageUTF16), renderSources(&ans, maxMessageUTF16)...)
	for _, m := range msgs {
		if i := strings.IndexAny(m, hiddenRunes); i >= 0 {
			t.Errorf("message holds hidden %+q: %q", []rune(m[i:])[0], m)
		}
	}
	parsed, err := parseTelegramHTML(msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := "The minister said the budget is fine today."; len(parsed.Quotes) != 1 || parsed.Quotes[0] != want {
		t.Errorf("quote shows as %q, want %q", parsed.Quotes, want)
	}
	// Only the rendering changed: the quote is still the stored bytes.
	if q.Text != spoofArticle.Text[q.Start:q.End] || !strings.Contains(q.Text, "\u202e") {
		t.Errorf("quote no longer matches the stored text: %q", q.Text)
	}
}
