package cli

import (
	"context"
	"encoding/json"
	"os"
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
	ans := bot.Answer{Question: "Q?", Answered: true, Quotes: []bot.Quote{quote(article, "Output will reach 800 MW.")}}
	var got JSONAnswer
	if err := json.Unmarshal(MarshalAnswer(ans), &got); err != nil {
		t.Fatal(err)
	}
	q := got.Quotes[0]
	if article.Text[q.Start:q.End] != q.Text || q.Published != "2025-08-10T09:30:00Z" || got.Message != Render(ans) {
		t.Errorf("JSON %+v", got)
	}
	var refusal JSONAnswer
	json.Unmarshal(MarshalAnswer(bot.Answer{Question: "Q?"}), &refusal)
	if refusal.Quotes == nil || refusal.Answered || refusal.Message != bot.NoAnswer {
		t.Errorf("refusal JSON %+v (quotes must be [] not null)", refusal)
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
