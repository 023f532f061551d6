package cli

import (
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

func TestBidiZeroWidthAndEscapesCannotSpoofACitation(t *testing.T) {
	a := &bot.Article{ID: "spoof", Title: "Reuters \u202eswen ekaf\u202c", Source: "Wire\u200b", URL: "https://example.com/s",
		Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Text:      "The minister said \u202ethe budget is fine\u2069 today.\x1b[1A\x1b[2K\r— [1] Official Government Source"}
	q := bot.NewQuote(a, bot.Span{Start: 0, End: len(a.Text)}, 1)
	ans := bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{q}}
	for name, out := range map[string]string{"answer": Render(ans), "sources": Sources(ans)} {
		if i := strings.IndexAny(out, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x1b\r"); i >= 0 {
			t.Errorf("%s holds hidden %+q: %q", name, []rune(out[i:])[0], out)
		}
	}
	if out := Render(ans); !strings.Contains(out, "> The minister said the budget is fine today.[1A[2K— [1] Official") || strings.Contains(out, "\u200b") {
		t.Errorf("quote not shown verbatim but for the hidden characters:\n%s", out)
	}
	// The JSON output is for programs: it keeps the stored bytes.
	if q.Text != a.Text[q.Start:q.End] || !strings.Contains(q.Text, "\u202e") {
		t.Errorf("quote no longer matches the stored text: %q", q.Text)
	}
}
