package answer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

// memRetriever is an in-memory Retriever: every article is one passage of
// its sentences (split at ". "), scored by shared words with the query.
type memRetriever struct {
	arts    []*bot.Article
	queries []bot.Query
	err     error
}

// newBot returns a bot that answers, with no writer, by an Extractor over r
// with opts: Ask as the program wires it.
func newBot(r bot.Retriever, opts ...Option) *bot.Bot { return bot.New(New(r, opts...)) }

func (m *memRetriever) Info(context.Context) (bot.Info, error) {
	return bot.Info{Articles: len(m.arts)}, nil
}

func (m *memRetriever) Search(_ context.Context, q bot.Query) ([]bot.Passage, error) {
	m.queries = append(m.queries, q)
	if m.err != nil {
		return nil, m.err
	}
	qs := map[string]bool{}
	for _, s := range Stems(q.Text) {
		qs[s] = true
	}
	var out []bot.Passage
	for _, a := range m.arts {
		if !q.Since.IsZero() && a.Published.Before(q.Since) {
			continue
		}
		hits := map[string]bool{}
		for _, s := range Stems(a.Text) {
			if qs[s] {
				hits[s] = true
			}
		}
		if len(hits) == 0 {
			continue
		}
		// A stand-in for cosine similarity: the share of query words matched.
		dense := 0.2 + 0.5*float64(len(hits))/float64(len(qs))
		p := bot.Passage{Article: a, Span: bot.Span{Start: 0, End: len(a.Text)}, Score: 1, Dense: dense}
		start := 0
		for i := 0; i < len(a.Text); i++ {
			if a.Text[i] == '.' && (i+1 == len(a.Text) || a.Text[i+1] == ' ') {
				p.Sentences = append(p.Sentences, bot.Span{Start: start, End: i + 1})
				start = i + 2
			}
		}
		out = append(out, p)
	}
	return out, nil
}

var (
	kenya = &bot.Article{ID: "k", Title: "Harvest", Source: "Wire", URL: "https://example.org/k",
		Published: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC),
		Text:      "Farmers in Kenya reported a record maize harvest. Prices fell sharply in Nairobi markets. The weather was mild."}
	rates = &bot.Article{ID: "r", Title: "Rates", Source: "Wire",
		Published: time.Date(2025, 8, 2, 0, 0, 0, 0, time.UTC),
		Text:      "The central bank raised interest rates by 0.25 points on Tuesday. Inflation stayed above 4 percent."}
)

func TestAskQuotesAreVerbatim(t *testing.T) {
	b := newBot(&memRetriever{arts: []*bot.Article{kenya, rates}})
	tests := []struct {
		q    string
		want string
	}{
		{"What happened to maize prices in Nairobi?", "Prices fell sharply in Nairobi markets."},
		{"How much did the central bank raise rates?", "The central bank raised interest rates by 0.25 points on Tuesday."},
		{"Where did farmers report a record harvest?", "Farmers in Kenya reported a record maize harvest."},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			ans, err := b.Ask(context.Background(), bot.Question{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if !ans.Answered || len(ans.Quotes) == 0 {
				t.Fatalf("not answered: %+v", ans)
			}
			if ans.Quotes[0].Text != tt.want {
				t.Errorf("first quote %q, want %q", ans.Quotes[0].Text, tt.want)
			}
			for _, q := range ans.Quotes {
				a := map[string]*bot.Article{"k": kenya, "r": rates}[q.ArticleID]
				if a.Text[q.Start:q.End] != q.Text {
					t.Errorf("quote %q is not article[%d:%d]", q.Text, q.Start, q.End)
				}
				if q.Title != a.Title || q.URL != a.URL || !q.Published.Equal(a.Published) {
					t.Errorf("citation %+v does not match article", q)
				}
			}
		})
	}
}

func TestAskRefuses(t *testing.T) {
	b := newBot(&memRetriever{arts: []*bot.Article{kenya, rates}})
	for _, q := range []string{"Who won the football cup final?", "What is the capital of Peru?", "How many tractors did Peruvian farmers buy in Lima?"} {
		ans, err := b.Ask(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Answered || len(ans.Quotes) != 0 {
			t.Errorf("%q answered with %+v", q, ans.Quotes)
		}
	}
}

func TestAskBadQuestions(t *testing.T) {
	r := &memRetriever{arts: []*bot.Article{kenya}}
	b := newBot(r)
	for _, q := range []string{"", "   ", strings.Repeat("why ", 2500), "caf\xe9?"} {
		_, err := b.Ask(context.Background(), bot.Question{Text: q})
		var e *bot.Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Errorf("Ask(%.20q) = %v, want a *bot.Error with a user message", q, err)
		}
	}
	if len(r.queries) != 0 {
		t.Errorf("bad questions reached the retriever: %d", len(r.queries))
	}
	r.err = errors.New("disk on fire at /secret/path")
	_, err := b.Ask(context.Background(), bot.Question{Text: "maize?"})
	if err == nil || strings.Contains(bot.UserMessage(err), "secret") {
		t.Errorf("retriever failure: user sees %q", bot.UserMessage(err))
	}
}

func TestAskDeduplicatesQuotes(t *testing.T) {
	dup := *kenya
	dup.ID = "k2"
	b := newBot(&memRetriever{arts: []*bot.Article{kenya, &dup}})
	ans, _ := b.Ask(context.Background(), bot.Question{Text: "maize harvest Kenya farmers"})
	seen := map[string]bool{}
	for _, q := range ans.Quotes {
		if seen[q.Text] {
			t.Errorf("quote repeated: %q", q.Text)
		}
		seen[q.Text] = true
	}
}

func TestFollowUpContext(t *testing.T) {
	prev := []string{"What did Meloni say about Article 5?"}
	tests := []struct {
		q        bot.Question
		wantPrev bool
	}{
		{bot.Question{Text: "And what did Zelensky say?", Previous: prev}, true},
		{bot.Question{Text: "Why did she say it?", Previous: prev}, true},
		{bot.Question{Text: "How did the central bank change interest rates?", Previous: prev}, false},
		{bot.Question{Text: "And what did Zelensky say?"}, false},
	}
	for _, tt := range tests {
		got := followUpContext(tt.q)
		if has := got == prev[0]; has != tt.wantPrev {
			t.Errorf("followUpContext(%q) = %q; want the previous question: %v", tt.q.Text, got, tt.wantPrev)
		}
	}
}

func TestTimeHints(t *testing.T) {
	now := time.Date(2025, 8, 20, 15, 0, 0, 0, time.UTC)
	day := time.Date(2025, 8, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		q       string
		since   time.Time
		recency bool
	}{
		{"What happened today?", day, true},
		{"Any news from yesterday?", day.AddDate(0, 0, -1), true},
		{"What happened this week in Kenya?", day.AddDate(0, 0, -7), true},
		{"What's the latest on the maize harvest?", time.Time{}, true},
		{"Who raised interest rates?", time.Time{}, false},
	}
	for _, tt := range tests {
		since, rec := timeHints(tt.q, now)
		if !since.Equal(tt.since) || (rec > 0) != tt.recency {
			t.Errorf("timeHints(%q) = %v, %v", tt.q, since, rec)
		}
	}
}

func TestAskTodayFallsBackToNewest(t *testing.T) {
	r := &memRetriever{arts: []*bot.Article{kenya, rates}}
	b := newBot(r, WithClock(func() time.Time { return time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC) }))
	ans, err := b.Ask(context.Background(), bot.Question{Text: "What happened to interest rates today?"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.queries) != 2 || r.queries[0].Since.IsZero() || !r.queries[1].Since.IsZero() || r.queries[1].Recency == 0 {
		t.Fatalf("queries %+v", r.queries)
	}
	if !ans.Answered {
		t.Fatal("want the newest matching article when nothing is from today")
	}
}

// BenchmarkAsk measures the bot's own work — sentence scoring and quoting —
// over an in-memory retriever.
func BenchmarkAsk(b *testing.B) {
	arts := []*bot.Article{kenya, rates}
	for i := range 50 {
		a := *rates
		a.ID = "r" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		arts = append(arts, &a)
	}
	bt := newBot(&memRetriever{arts: arts}, WithCandidates(10))
	ctx := context.Background()
	for b.Loop() {
		if _, err := bt.Ask(ctx, bot.Question{Text: "How much did the central bank raise interest rates?"}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRefusalNotEnglish checks that a refusal of a question in another
// language says the model reads English, and that an English refusal and
// an answer in English do not.
func TestRefusalNotEnglish(t *testing.T) {
	b := newBot(&memRetriever{arts: []*bot.Article{kenya, rates}})
	tests := []struct {
		q    string
		want string
	}{
		{"¿Qué dijo el presidente sobre la economía?", bot.NoAnswer + " " + bot.NotEnglishNote},
		{"Что сказал президент?", bot.NoAnswer + " " + bot.NotEnglishNote},
		{"Who won the football cup final?", bot.NoAnswer},
	}
	for _, tt := range tests {
		ans, err := b.Ask(context.Background(), bot.Question{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Answered || ans.RefusalMessage() != tt.want || (ans.Note != "" && len(ans.Closest) > 0) {
			t.Errorf("%q: answered=%v, message %q (closest %v), want %q", tt.q, ans.Answered, ans.RefusalMessage(), ans.Closest, tt.want)
		}
	}
}

// TestPoolArticles passes a question's Articles to the Retriever, on the
// fallback search too: a follow is matched against its new article only.
func TestPoolArticles(t *testing.T) {
	for _, q := range []string{"What happened to maize prices?", "What happened to maize prices today?"} {
		m := &memRetriever{arts: []*bot.Article{kenya, rates}}
		b := New(m)
		if _, err := b.Pool(context.Background(), bot.Question{Text: q, Articles: []string{"k"}}); err != nil {
			t.Fatal(err)
		}
		if len(m.queries) == 0 {
			t.Fatalf("%q: no search", q)
		}
		for _, sq := range m.queries {
			if len(sq.Articles) != 1 || sq.Articles[0] != "k" {
				t.Errorf("%q: searched %+v, want articles [k]", q, sq)
			}
		}
	}
}
