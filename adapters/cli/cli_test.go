package cli

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/internal/golden"
)

var article = &bot.Article{
	ID: "a1", Title: "Dam <reopens> & more", Source: "River News", URL: "https://example.org/dam?x=1&y=2",
	Published: time.Date(2025, 8, 10, 9, 30, 0, 0, time.UTC),
	Text:      "The Kariba dam reopened on Monday. “It is back,” said an engineer. Output will reach 800 MW.",
}

func quote(a *bot.Article, sub string) bot.Quote {
	i := strings.Index(a.Text, sub)
	return bot.NewQuote(a, bot.Span{Start: i, End: i + len(sub)}, 0.5)
}

func TestRenderGolden(t *testing.T) {
	bare := &bot.Article{ID: "b", Title: "Untitled wire copy", Text: "Prices fell."}
	tests := []struct {
		name string
		ans  bot.Answer
	}{
		{"two_quotes", bot.Answer{Answered: true, Quotes: []bot.Quote{
			quote(article, "“It is back,” said an engineer."), quote(article, "Output will reach 800 MW.")}}},
		{"summary", bot.Answer{Answered: true, Summary: "It reopened on Monday [1].", Quotes: []bot.Quote{
			quote(article, "The Kariba dam reopened on Monday.")}}},
		{"no_metadata", bot.Answer{Answered: true, Quotes: []bot.Quote{quote(bare, "Prices fell.")}}},
		{"refusal", bot.Answer{Question: "What?"}},
		{"refusal_closest", bot.Answer{Question: "How many people does the dam employ?", Closest: []bot.Citation{
			{ArticleID: "a1", Title: article.Title, Source: article.Source, URL: article.URL, Published: article.Published},
			{ArticleID: "x", Title: "Red \x1b[31malert\x1b[0m\r\nover *two* lines\u202e", Source: "Wire"},
			{ArticleID: "y", Published: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.ans)
			for _, q := range tt.ans.Quotes {
				if !strings.Contains(got, q.Text) {
					t.Errorf("rendered answer does not hold the quote verbatim: %q", q.Text)
				}
			}
			golden.Check(t, tt.name, got+"\n--- /sources\n"+Sources(tt.ans)+"\n")
		})
	}
}

func TestJSON(t *testing.T) {
	q0 := quote(article, "Output will reach 800 MW.")
	q0.Score, q0.Confidence = 0.1+0.2, 0.7000000000000001
	ans := bot.Answer{Question: "Q?", Answered: true, Confidence: 0.123456, Quotes: []bot.Quote{q0}}
	raw := MarshalAnswer(ans)
	var got JSONAnswer
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	q := got.Quotes[0]
	if article.Text[q.Start:q.End] != q.Text || q.Published != "2025-08-10T09:30:00Z" || got.Message != Render(ans) {
		t.Errorf("JSON %+v", got)
	}
	if q.URL != article.URL || q.Link != article.URL+"#:~:text=Output%20will%20reach%20800%20MW%2E" {
		t.Errorf("JSON url %q, link %q: want the article's URL and the link to the quote", q.URL, q.Link)
	}
	// The numbers as printed, not as parsed back: 0.1+0.2 is 0.30000000000000004.
	for _, want := range []string{`"score": 0.3,`, `"confidence": 0.7`, `"confidence": 0.1235,`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("JSON lacks %s:\n%s", want, raw)
		}
	}
	if !strings.Contains(string(raw), `"message": "> Output will reach 800 MW.`) {
		t.Errorf("message escaped for HTML:\n%s", raw)
	}
	if got.Closest == nil || len(got.Closest) != 0 {
		t.Errorf("closest of an answer = %#v, want []", got.Closest)
	}

	var refusal JSONAnswer
	json.Unmarshal(MarshalAnswer(bot.Answer{Question: "Q?"}), &refusal)
	if refusal.Quotes == nil || refusal.Closest == nil || refusal.Answered || refusal.Message != bot.NoAnswer {
		t.Errorf("refusal JSON %+v (quotes and closest must be [] not null)", refusal)
	}

	near := bot.Answer{Question: "Q?", Confidence: 0.2, Closest: []bot.Citation{
		{ArticleID: article.ID, Title: article.Title, URL: article.URL, Source: article.Source, Published: article.Published},
		{ArticleID: "b", Title: "Undated"},
	}}
	json.Unmarshal(MarshalAnswer(near), &refusal)
	want := []JSONCitation{
		{ArticleID: "a1", Title: article.Title, URL: article.URL, Source: article.Source, Published: "2025-08-10T09:30:00Z"},
		{ArticleID: "b", Title: "Undated"},
	}
	if !slices.Equal(refusal.Closest, want) || refusal.Message != Render(near) || refusal.Confidence != 0.2 {
		t.Errorf("refusal JSON %+v, want closest %+v", refusal, want)
	}
}

func TestRound4(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0.1 + 0.2, 0.3},
		{0.7000000000000001, 0.7},
		{0.123449, 0.1234},
		{0.12345, 0.1235},
		{1, 1},
		{-2.00004, -2},
		{math.NaN(), 0},
		{math.Inf(1), 0},
		{1e305, 1e305},
	}
	for _, tt := range tests {
		if got := round4(tt.in); got != tt.want {
			t.Errorf("round4(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dam <reopens> & *more*", "Dam <reopens> & *more*"},
		{"  two\n\tlines\r\n ", "two lines"},
		{"red \x1b[31mtext", "red \uFFFD[31mtext"},
		{"bell\a and del\x7f", "bell\uFFFD and del\uFFFD"},
		{"abc\u202edcba\u2066x", "abc\uFFFDdcba\uFFFDx"},
		{"caf\xe9", "caf\uFFFD"},
		{"Zürich — “quoted” 😀", "Zürich — “quoted” 😀"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// recorder is a bot.Asker that remembers the questions it got.
type recorder struct{ got []bot.Question }

func (r *recorder) Info(context.Context) (bot.Info, error) { return bot.Info{}, nil }

func (r *recorder) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	r.got = append(r.got, q)
	if strings.Contains(q.Text, "boom") {
		return bot.Answer{}, &bot.Error{Message: "That question is too long.", Err: os.ErrInvalid}
	}
	return bot.Answer{Question: q.Text, Answered: true, Quotes: []bot.Quote{quote(article, "The Kariba dam reopened on Monday.")}}, nil
}

// TestChatFollowUps checks that each question carries the ones before it
// (at most history of them), so follow-ups are retrieved in context, and
// that commands and errors do not enter the history.
func TestChatFollowUps(t *testing.T) {
	r := &recorder{}
	in := "When did the Kariba dam reopen?\n/help\nand who said it was back?\n\nboom\nwhat about output?\nand later?\n/sources\n/quit\nnot read\n"
	var out strings.Builder
	if err := NewChat(r, strings.NewReader(in), &out, nil).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(r.got) != 5 {
		t.Fatalf("asked %d questions, want 5: %+v", len(r.got), r.got)
	}
	q1, q2, q4 := "When did the Kariba dam reopen?", "and who said it was back?", "what about output?"
	want := [][]string{nil, {q1}, {q1, q2}, {q1, q2}, {q1, q2, q4}}
	for i, q := range r.got {
		if strings.Join(q.Previous, "|") != strings.Join(want[i], "|") {
			t.Errorf("question %d %q: previous %q, want %q", i, q.Text, q.Previous, want[i])
		}
	}
	s := out.String()
	for _, w := range []string{"/sources", "That question is too long.", "article:   a1, bytes 0–34"} {
		if !strings.Contains(s, w) {
			t.Errorf("chat output lacks %q:\n%s", w, s)
		}
	}
}
