package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// summaryArticle is a real seed article's text; the test quotes are cut from
// it so that Quote.Text == Text[Start:End] holds as it does in production.
var summaryArticle = &Article{
	ID:        "a1",
	Title:     "US suggests security assurances for Ukraine",
	Published: time.Date(2025, time.August, 16, 12, 0, 0, 0, time.UTC),
	URL:       "https://example.com/a1",
	Text: "Italian Prime Minister Giorgia Meloni, who participated in the call with Trump, confirmed that the U.S. president mentioned the idea of a security guarantee “inspired” by Article 5, something she has advocated for over several months.\n" +
		"She emphasized that while NATO’s Article 5 permits military action, “this is not the sole possible response.”\n" +
		"In March, Meloni told Italian senators that any retaliatory   response would not necessarily mean going to war.\n",
}

// summaryQuotes returns one quote per line of summaryArticle.
func summaryQuotes(t *testing.T) []Quote {
	t.Helper()
	var qs []Quote
	start := 0
	for start < len(summaryArticle.Text) {
		end := start + strings.IndexByte(summaryArticle.Text[start:], '\n')
		qs = append(qs, NewQuote(summaryArticle, Span{Start: start, End: end}, 1))
		start = end + 1
	}
	if len(qs) != 3 {
		t.Fatalf("fixture has %d quotes, want 3", len(qs))
	}
	return qs
}

func TestCheckSummaryAccepts(t *testing.T) {
	quotes := summaryQuotes(t)
	tests := []struct {
		name, in, want string // want "" means the input unchanged
	}{
		{"plain quotation", `Meloni said the U.S. president mentioned a guarantee "inspired" by Article 5 [1].`, ""},
		{"curly quotes and apostrophe folded", `She said that while NATO's Article 5 permits military action, “this is not the sole possible response” [2].`, ""},
		{"capital and full stop inside the marks", `Meloni said: “This is not the sole possible response.” [2]`, ""},
		{"whitespace in source collapsed", `Meloni said “any retaliatory response would not necessarily mean going to war” [3].`, ""},
		{"citation after the full stop", `Meloni backs the idea. [1] She told senators a response need not mean war. [3]`, ""},
		{"citation group", `Meloni discussed Article 5 [1, 2].`, ""},
		{"quotation found in one of the cited", `Meloni said “any retaliatory response would not necessarily mean going to war” [1][3].`, ""},
		{"abbreviations are not sentence ends", `Meloni said U.S. President Trump and Mr. Putin discussed it [1]. She spoke in March [3]. She said “this is not the sole possible response” [2].`, ""},
		{"single quotation", `Meloni said the guarantee was 'inspired' by Article 5 [1].`, ""},
		{"guillemets", `Meloni: « this is not the sole possible response » [2].`, ""},
		{"apostrophes are not quotations", `She said NATO's Article 5 isn't the sole response [2].`, ""},
		{"unclosed single mark is an apostrophe", `Meloni said the '90s idea was “inspired” by Article 5 [1].`, ""},
		{"claim supported by the cited source", `Senators heard that retaliation need not mean war [3].`, ""},
		{"numbers from the date", `On 16 August 2025 Meloni mentioned Article 5 [1].`, ""},
		{"leading and trailing space", "  Meloni backs the guarantee [1].  ", "Meloni backs the guarantee [1]."},
		{"leading ellipsis", `She said “…the sole possible response” was not war [2].`, ""},
		{"quotation with full stop then lowercase", `“This is not the sole possible response.” she said [2].`, ""},
		{"brackets without digits are not citations", `Meloni [the Italian premier] backs the guarantee [1].`, ""},
		{"whitespace collapsed and Markdown dropped", "**Meloni**  said\n\"going to war\" was not  necessary [3].\n", `Meloni said "going to war" was not necessary [3].`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkSummary(tt.in, quotes)
			if err != nil {
				t.Fatalf("checkSummary(%q) rejected it: %v", tt.in, err)
			}
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if got != want {
				t.Errorf("checkSummary(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}

func TestCheckSummaryRejects(t *testing.T) {
	quotes := summaryQuotes(t)
	long := "Meloni spoke " + strings.Repeat("at length ", 60) + "[1]."
	tests := []struct {
		name, in, reason string
	}{
		{"fabricated quotation", `Meloni said Italy “will send troops to Ukraine” [1].`, "not in the cited"},
		{"fabricated single quotation", `Meloni called it 'a done deal' [1].`, "not in the cited"},
		{"quotation from an uncited source", `Meloni said a response “would not necessarily mean going to war” [1].`, "not in the cited"},
		{"quotation cited by another sentence", `Meloni spoke to senators [3]. She said it “would not necessarily mean going to war” [1].`, "not in the cited"},
		{"altered words", `Meloni said it “would not mean going to war” [3].`, "not in the cited"},
		{"elision", `Meloni said the U.S. president “mentioned ... Article 5” [1].`, "not in the cited"},
		{"citation out of range", `Meloni backs the guarantee [7].`, "[7] names no source"},
		{"citation zero", `Meloni backs the guarantee [0].`, "[0] names no source"},
		{"out of range in a group", `Meloni backs the guarantee [1, 4].`, "[4] names no source"},
		{"no citation", `Meloni backs the guarantee.`, "cites no source"},
		{"unsupported claim", `Meloni resigned and fled to Brazil [1].`, "words are not in the cited"},
		{"claim supported by an uncited source", `Senators heard that retaliation need not mean war [1].`, "words are not in the cited"},
		{"wrong figure", `Meloni cited Article 7 [1].`, "number 7"},
		{"wrong date", `On 17 August 2025 Meloni mentioned Article 5 [1].`, "number 17"},
		{"a sentence without citation", `Meloni backs the guarantee [1]. Italy will send troops.`, "sentence 2 cites no source"},
		{"malformed range", `Meloni backs the guarantee [1-2].`, "malformed citation"},
		{"malformed word", `Meloni backs the guarantee [source 1].`, "malformed citation"},
		{"unclosed bracket", `Meloni backs the guarantee [1`, "unclosed"},
		{"too many sentences", `Meloni spoke [1]. She spoke again [2]. She spoke in March [3]. She is done [1].`, "4 sentences"},
		{"too long", long, "characters long"},
		{"unbalanced quotation", `Meloni said “inspired by Article 5 [1].`, "unbalanced"},
		{"stray closing mark", `Meloni said inspired” by Article 5 [1].`, "unbalanced"},
		{"link", `Read more at https://evil.example [1].`, "link"},
		{"control character", "Meloni backs the guarantee\a [1].", "control"},
		{"bidi override", "Meloni backs the guarantee \u202e[1].", "control"},
		{"invalid UTF-8", "Meloni \xff [1].", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkSummary(tt.in, quotes)
			if err == nil {
				t.Fatalf("checkSummary(%q) = %q, want rejection", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("checkSummary(%q) error = %q, want it to mention %q", tt.in, err, tt.reason)
			}
		})
	}
}

func TestCheckSummaryEmptyIsDeclined(t *testing.T) {
	for _, in := range []string{"", "  \n\t ", "****"} {
		if _, err := checkSummary(in, summaryQuotes(t)); !errors.Is(err, errSummaryDeclined) {
			t.Errorf("checkSummary(%q) error = %v, want errSummaryDeclined", in, err)
		}
	}
}

func TestSummarySentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`One [1]. Two [2].`, []string{`One [1].`, ` Two [2].`}},
		{`One. [1] Two. [2]`, []string{`One. [1]`, ` Two. [2]`}},
		{`He met U.S. President Trump [1].`, []string{`He met U.S. President Trump [1].`}},
		{`He met J. Smith and Dr. Jones [1].`, []string{`He met J. Smith and Dr. Jones [1].`}},
		{`It hit the U.S. [1] Then it left [2].`, []string{`It hit the U.S. [1]`, ` Then it left [2].`}},
		{`Growth was 3.5 percent [1]! Why? Nobody knows [2]`, []string{`Growth was 3.5 percent [1]!`, ` Why?`, ` Nobody knows [2]`}},
		{`She said “No. Never.” [1] He agreed [2].`, []string{`She said “No. Never.” [1]`, ` He agreed [2].`}},
		{`“No. Never.” she said [1].`, []string{`“No. Never.” she said [1].`}},
		{`It rose (sharply). Then fell [1].`, []string{`It rose (sharply).`, ` Then fell [1].`}},
		{`Wait... what [1]?`, []string{`Wait... what [1]?`}},
	}
	for _, tt := range tests {
		qs, err := summaryQuotations(tt.in)
		if err != nil {
			t.Fatalf("summaryQuotations(%q): %v", tt.in, err)
		}
		cites, err := summaryCitations(tt.in, qs, 3)
		if err != nil {
			t.Fatalf("summaryCitations(%q): %v", tt.in, err)
		}
		var got []string
		for _, s := range summarySentences(tt.in, qs, cites) {
			got = append(got, tt.in[s.start:s.end])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("summarySentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSummaryQuotations(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`a "b" c`, []string{"b"}},
		{`“a ‘b’ c” and „d“ and «e» and 「f」`, []string{"a ‘b’ c", "d", "e", "f"}},
		{`it's the students' 'big day' now`, []string{"big day"}},
		{`‘it’s fine’ she said`, []string{"it’s fine"}},
		// A mis-read, but a safe one: the "quotation" is not in any source,
		// so the summary is rejected rather than a fabrication let through.
		{`the '90s and the 'noughties'`, []string{"90s and the 'noughties"}},
		{`rock 'n' roll`, []string{"n"}},
		{`no quotations at all`, nil},
	}
	for _, tt := range tests {
		qs, err := summaryQuotations(tt.in)
		if err != nil {
			t.Fatalf("summaryQuotations(%q): %v", tt.in, err)
		}
		var got []string
		for _, q := range qs {
			got = append(got, q.text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("summaryQuotations(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// summaryWriter is a fake Writer: it records what it is asked and replies
// with reply or err, or blocks until its context ends when block is set.
type summaryWriter struct {
	reply string
	err   error
	block bool

	mu       sync.Mutex
	question string
	sources  []Quote
	deadline bool
}

func (w *summaryWriter) Write(ctx context.Context, question string, sources []Quote) (string, error) {
	w.mu.Lock()
	w.question, w.sources = question, sources
	_, w.deadline = ctx.Deadline()
	w.mu.Unlock()
	if w.block {
		<-ctx.Done()
		return "", ctx.Err()
	}
	return w.reply, w.err
}

func TestSummarize(t *testing.T) {
	quotes := summaryQuotes(t)
	good := `Meloni said a US guarantee was “inspired” by Article 5 [1], but that it is “not the sole possible response” [2].`
	tests := []struct {
		name    string
		w       *summaryWriter
		want    string // the Summary kept; "" means the extractive fallback
		logWant string
	}{
		{"good answer kept", &summaryWriter{reply: good}, good, "summary accepted"},
		{"fabricated quotation rejected", &summaryWriter{reply: `Meloni said Italy “will send troops” [1].`}, "", "summary rejected"},
		{"citation [7] of 3 rejected", &summaryWriter{reply: `Meloni backs the guarantee [7].`}, "", "[7] names no source"},
		{"no citation rejected", &summaryWriter{reply: `Meloni backs the guarantee.`}, "", "cites no source"},
		{"writer error falls back", &summaryWriter{err: errors.New("connection refused")}, "", "connection refused"},
		{"writer timeout falls back", &summaryWriter{block: true}, "", "timed out"},
		{"empty reply is a decline", &summaryWriter{reply: ""}, "", "summary declined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			b := New(nil, WithWriter(tt.w), WithLogger(log), WithWriterTimeout(20*time.Millisecond))
			in := Answer{Question: "What did Meloni say?", Answered: true, Quotes: quotes}

			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // hang guard
			defer cancel()
			got := b.summarize(ctx, Question{Text: in.Question}, in)

			if got.Summary != tt.want {
				t.Errorf("Summary = %q, want %q", got.Summary, tt.want)
			}
			got.Summary = ""
			if !reflect.DeepEqual(got, in) {
				t.Errorf("summarize changed more than the Summary:\n got %+v\nwant %+v", got, in)
			}
			if !strings.Contains(logs.String(), tt.logWant) {
				t.Errorf("log does not mention %q:\n%s", tt.logWant, logs.String())
			}
			if tt.w.question != in.Question || !reflect.DeepEqual(tt.w.sources, quotes) {
				t.Errorf("writer asked %q with %d sources, want %q with the answer's %d quotes",
					tt.w.question, len(tt.w.sources), in.Question, len(quotes))
			}
			if !tt.w.deadline {
				t.Error("writer's context has no deadline")
			}
		})
	}
}

func TestSummarizeFollowUpQuestion(t *testing.T) {
	w := &summaryWriter{}
	b := New(nil, WithWriter(w), WithLogger(slog.New(slog.DiscardHandler)))
	ans := Answer{Question: "and in March?", Answered: true, Quotes: summaryQuotes(t)}
	b.summarize(context.Background(), Question{Text: "and in March?", Previous: []string{"What did Meloni say?"}}, ans)
	if !strings.Contains(w.question, "and in March?") || !strings.Contains(w.question, "What did Meloni say?") {
		t.Errorf("writer asked %q, want the question and the one it follows", w.question)
	}
}

func TestSummarizeCallerGone(t *testing.T) {
	w := &summaryWriter{block: true}
	b := New(nil, WithWriter(w), WithLogger(slog.New(slog.DiscardHandler)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ans := Answer{Question: "q", Answered: true, Quotes: summaryQuotes(t)}
	if got := b.summarize(ctx, Question{Text: "q"}, ans); !reflect.DeepEqual(got, ans) {
		t.Errorf("summarize with a cancelled context = %+v, want the answer unchanged", got)
	}
}
