package telegram

import (
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

// messageBreak separates the messages of one reply in golden files.
const messageBreak = "\n----- next message -----\n"

var (
	march2 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	march5 = time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC)
)

// Articles the fake asker quotes from.
var (
	romeArticle = &bot.Article{
		ID: "rome-1", Title: "Meloni defends budget in Senate", Source: "Reuters",
		URL: "https://example.com/world/meloni-budget", Published: march5,
		Text: "ROME — Italian Prime Minister Giorgia Meloni defended her budget on Tuesday. " +
			"\"We will not raise taxes on families,\" Meloni told the Senate. " +
			"Opposition leaders called the plan unrealistic.",
	}
	kyivArticle = &bot.Article{
		ID: "kyiv-7", Title: "Zelensky meets EU leaders", Source: "AP",
		URL: "https://example.org/kyiv?id=7&lang=en", Published: march2,
		Text: "Ukrainian President Volodymyr Zelensky met EU leaders in Brussels. " +
			"He said talks on air defence were \"productive\".",
	}
	scriptArticle = &bot.Article{
		ID: "sec-1", Title: `Browser bug: <script> tags & "quotes"`, Source: "Tech & Co <News>",
		URL: `https://example.net/a?b=1&c="2"`, Published: march2,
		Text: `Researchers showed that <script>alert("x")</script> ran in AT&T's portal. ` +
			`They said 3 < 4 && 5 > 2 is how the filter failed. Fixed since.`,
	}
)

// quoteOf cuts sentence out of a, as the Bot would.
func quoteOf(t testing.TB, a *bot.Article, sentence string) bot.Quote {
	t.Helper()
	i := strings.Index(a.Text, sentence)
	if i < 0 {
		t.Fatalf("%q is not in article %s", sentence, a.ID)
	}
	q := bot.NewQuote(a, bot.Span{Start: i, End: i + len(sentence)}, 1)
	if q.Text != a.Text[q.Start:q.End] {
		t.Fatal("quote offsets are wrong")
	}
	return q
}

// citationOf names a, as a refusal's closest article.
func citationOf(a *bot.Article) bot.Citation {
	return bot.Citation{ArticleID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published}
}

// longArticle returns an article whose one sentence is far longer than a
// Telegram message, full of characters that escape or take two UTF-16
// units.
func longArticle() *bot.Article {
	var b strings.Builder
	b.WriteString("Short opening sentence. ")
	words := []string{"markets", "R&D", "<budget>", "growth", "🇮🇹", "inflation", "😀😀", "x>y", "Brussels", "reform"}
	for i := range 1600 {
		b.WriteString(words[i%len(words)])
		b.WriteString(" ")
	}
	b.WriteString("end of the long sentence.")
	return &bot.Article{
		ID: "long-1", Title: "A very long report", Source: "Example Wire",
		URL: "https://example.com/long", Published: march2, Text: b.String(),
	}
}
