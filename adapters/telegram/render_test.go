package telegram

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
	"newsbot/internal/golden"
)

// checkMessages asserts that every message is HTML Telegram accepts and
// within limit, and returns the parsed messages.
func checkMessages(t *testing.T, msgs []string, limit int) []tgHTML {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no messages")
	}
	var out []tgHTML
	for i, m := range msgs {
		if n := utf16Len(m); n > limit {
			t.Errorf("message %d is %d UTF-16 units, over the limit %d", i+1, n, limit)
		}
		p, err := parseTelegramHTML(m)
		if err != nil {
			t.Errorf("message %d: Telegram would reject it: %v\n%s", i+1, err, m)
		}
		out = append(out, p)
	}
	return out
}

// quotedText returns all blockquote text of msgs, in order.
func quotedText(msgs []tgHTML) string {
	var b strings.Builder
	for _, m := range msgs {
		for _, q := range m.Quotes {
			b.WriteString(q)
		}
	}
	return b.String()
}

func TestRenderAnswerGolden(t *testing.T) {
	long := longArticle()
	tests := []struct {
		name  string
		limit int
		ans   func(t *testing.T) bot.Answer
	}{
		{"answer_simple", maxMessageUTF16, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "what did Meloni say?", Answered: true, Quotes: []bot.Quote{
				quoteOf(t, romeArticle, "\"We will not raise taxes on families,\" Meloni told the Senate."),
				quoteOf(t, kyivArticle, "He said talks on air defence were \"productive\"."),
			}}
		}},
		{"answer_summary", maxMessageUTF16, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "budget?", Answered: true,
				Summary: "Meloni said she won't raise taxes [1] & the opposition disagreed [2] <sic>.",
				Quotes: []bot.Quote{
					quoteOf(t, romeArticle, "\"We will not raise taxes on families,\" Meloni told the Senate."),
					quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic."),
				}}
		}},
		{"answer_escaping", maxMessageUTF16, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "what bug?", Answered: true, Quotes: []bot.Quote{
				quoteOf(t, scriptArticle, `Researchers showed that <script>alert("x")</script> ran in AT&T's portal.`),
				quoteOf(t, scriptArticle, `They said 3 < 4 && 5 > 2 is how the filter failed.`),
			}}
		}},
		{"answer_missing_parts", maxMessageUTF16, func(t *testing.T) bot.Answer {
			base := quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic.")
			noURL, noDate, noTitle, bare, js := base, base, base, base, base
			noURL.URL = ""
			noDate.Published = time.Time{}
			noTitle.Title = ""
			bare.Title, bare.Source, bare.URL, bare.Published = "", "", "https://news.example.com/x", time.Time{}
			js.URL, js.Title = "javascript:alert(1)", "  A   title\nwith   spaces "
			return bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{noURL, noDate, noTitle, bare, js}}
		}},
		{"answer_refusal", maxMessageUTF16, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "who won the match?"}
		}},
		{"answer_refusal_closest", maxMessageUTF16, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "how many people does the Senate employ?", Closest: []bot.Citation{
				citationOf(romeArticle), citationOf(scriptArticle),
				{ArticleID: "odd", Title: "  Untrusted\n<b>title</b> ", URL: "javascript:alert(1)"},
			}}
		}},
		{"answer_refusal_closest_small", 200, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "q", Closest: []bot.Citation{citationOf(romeArticle), citationOf(kyivArticle)}}
		}},
		{"answer_split_small", 300, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{
				quoteOf(t, romeArticle, romeArticle.Text),
				quoteOf(t, kyivArticle, kyivArticle.Text),
				quoteOf(t, scriptArticle, scriptArticle.Text),
			}}
		}},
		{"answer_split_long", maxMessageUTF16, func(t *testing.T) bot.Answer {
			return bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{
				quoteOf(t, long, "Short opening sentence."),
				quoteOf(t, long, strings.TrimPrefix(long.Text, "Short opening sentence. ")),
				quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic."),
			}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := tt.ans(t)
			msgs := renderAnswer(ans, tt.limit)
			parsed := checkMessages(t, msgs, tt.limit)
			var want strings.Builder
			for _, q := range ans.Quotes {
				want.WriteString(q.Text)
			}
			if got := quotedText(parsed); got != want.String() {
				t.Errorf("quoted text altered:\n got %q\nwant %q", got, want.String())
			}
			golden.Check(t, tt.name, strings.Join(msgs, messageBreak))
		})
	}
}

// TestRenderNoAnswer checks that a refusal reads, once Telegram has parsed
// it, as the plain refusal with the closest articles' titles, sources and
// dates exactly as stored, and that their links survive escaping.
func TestRenderNoAnswer(t *testing.T) {
	tricky := bot.Citation{ArticleID: "t", Title: `A <i>"title"</i> & more`, Source: "R&D <Wire>",
		URL: `https://example.net/p?a=1&b="2"`, Published: march5}
	tests := []struct {
		name      string
		closest   []bot.Citation
		limit     int
		wantText  string
		wantLinks []tgLink
	}{
		{"no closest", nil, maxMessageUTF16, bot.NoAnswer, nil},
		{"one", []bot.Citation{tricky}, maxMessageUTF16,
			bot.NoAnswer + " Closest: " + tricky.Title + " (R&D <Wire>, 5 March 2026)",
			[]tgLink{{Href: tricky.URL, Text: tricky.Title}}},
		{"two, unknown parts left out", []bot.Citation{citationOf(kyivArticle), {Title: "Bare"}}, maxMessageUTF16,
			bot.NoAnswer + " Closest: Zelensky meets EU leaders (AP, 2 March 2026); Bare",
			[]tgLink{{Href: kyivArticle.URL, Text: kyivArticle.Title}}},
		{"links dropped to fit", []bot.Citation{citationOf(kyivArticle)}, 120,
			bot.NoAnswer + " Closest: Zelensky meets EU leaders (AP, 2 March 2026)", nil},
		{"items dropped to fit", []bot.Citation{citationOf(kyivArticle)}, 60, bot.NoAnswer, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := renderNoAnswer(tt.closest, tt.limit)
			p := checkMessages(t, []string{msg}, tt.limit)[0]
			if p.Text != tt.wantText {
				t.Errorf("visible text %q\nwant %q", p.Text, tt.wantText)
			}
			if fmt.Sprint(p.Links) != fmt.Sprint(tt.wantLinks) {
				t.Errorf("links %v, want %v", p.Links, tt.wantLinks)
			}
		})
	}
}

func TestRenderAnswerSplitsOnQuoteBoundaries(t *testing.T) {
	// Three quotes that fit two to a message must not be cut.
	q := quoteOf(t, romeArticle, "\"We will not raise taxes on families,\" Meloni told the Senate.")
	ans := bot.Answer{Answered: true, Quotes: []bot.Quote{q, q, q}}
	one := utf16Len(quoteBlocks(1, q, maxMessageUTF16)[0])
	limit := 2*one + 2 + 10
	msgs := renderAnswer(ans, limit)
	parsed := checkMessages(t, msgs, limit)
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	for i, p := range parsed {
		for _, text := range p.Quotes {
			if text != q.Text {
				t.Errorf("message %d: quote cut to %q", i+1, text)
			}
		}
	}
}

func TestRenderAnswerSplitProperties(t *testing.T) {
	long := longArticle()
	texts := map[string]string{
		"words":    long.Text,
		"no space": strings.Repeat("a&b<c>d😀", 900),
		"newlines": strings.Repeat("Line one.\nLine two & three\n\n", 300),
		"cjk":      strings.Repeat("日本語の文章です。", 800),
	}
	for name, text := range texts {
		for _, limit := range []int{120, 500, 1000, maxMessageUTF16} {
			a := &bot.Article{ID: "x", Title: "T", URL: "https://e.com", Text: text}
			ans := bot.Answer{Answered: true, Summary: strings.Repeat("Summary & <b> text. ", 300),
				Quotes: []bot.Quote{quoteOf(t, a, text)}}
			msgs := renderAnswer(ans, limit)
			parsed := checkMessages(t, msgs, limit)
			if got := quotedText(parsed); got != text {
				t.Errorf("%s/%d: quote altered by splitting", name, limit)
			}
			if n := strings.Count(strings.Join(msgs, ""), "[1] "); n != 1 {
				t.Errorf("%s/%d: citation appears %d times, want 1", name, limit, n)
			}
		}
	}
}

func TestSplitRaw(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		budget int
		want   []string
	}{
		{"fits", "One. Two.", 100, []string{"One. Two."}},
		{"sentence", "One one one. Two two. Three three.", 25, []string{"One one one. Two two. ", "Three three."}},
		{"word when sentence is early", "One. two three four five six", 20, []string{"One. two three four ", "five six"}},
		{"newline is a sentence end", "one two\nthree four five", 15, []string{"one two\n", "three four five"}},
		{"quote after period", `He said "no." Then left.`, 16, []string{`He said "no." `, "Then left."}},
		{"hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"escapes count", "a&b&c", 6, []string{"a&", "b&", "c"}},
		{"surrogates count two", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"rune wider than budget", "😀", 1, []string{"😀"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitRaw(tt.s, tt.budget)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("splitRaw(%q, %d) = %q, want %q", tt.s, tt.budget, got, tt.want)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	in := `<a href="x">Tom & Jerry</a> 3 > 2 ` + "\xff"
	if got, want := escapeText(in), `&lt;a href="x"&gt;Tom &amp; Jerry&lt;/a&gt; 3 &gt; 2 `+"\uFFFD"; got != want {
		t.Errorf("escapeText = %q, want %q", got, want)
	}
	if got, want := escapeAttr(`a"b&c`), `a&quot;b&amp;c`; got != want {
		t.Errorf("escapeAttr = %q, want %q", got, want)
	}
}

func TestRenderHelpGolden(t *testing.T) {
	info := &bot.Info{Articles: 12345, Newest: march5, Oldest: march2}
	tests := []struct {
		name           string
		info           *bot.Info
		start, follows bool
	}{
		{"help", info, false, false},
		{"help_start", info, true, false},
		{"help_no_info", nil, false, false},
		{"help_empty", &bot.Info{}, false, false},
		{"help_one", &bot.Info{Articles: 1}, false, false},
		{"help_follows", info, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := renderHelp(tt.info, "newsbot_bot", tt.start, tt.follows)
			checkMessages(t, []string{msg}, maxMessageUTF16)
			golden.Check(t, tt.name, msg)
		})
	}
}

func TestRenderSourcesGolden(t *testing.T) {
	full := bot.Answer{Question: "what about <budgets> & taxes?", Answered: true, Quotes: []bot.Quote{
		quoteOf(t, romeArticle, "\"We will not raise taxes on families,\" Meloni told the Senate."),
		quoteOf(t, scriptArticle, "Fixed since."),
		quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic."),
	}}
	noLink := quoteOf(t, kyivArticle, "He said talks on air defence were \"productive\".")
	noLink.URL, noLink.Published, noLink.Title = "ftp://example.org/file", time.Time{}, ""
	tests := []struct {
		name string
		ans  *bot.Answer
	}{
		{"sources", &full},
		{"sources_missing_parts", &bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{noLink}}},
		{"sources_none", nil},
		{"sources_refusal", &bot.Answer{Question: "q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := renderSources(tt.ans, maxMessageUTF16)
			checkMessages(t, msgs, maxMessageUTF16)
			golden.Check(t, tt.name, strings.Join(msgs, messageBreak))
		})
	}
}

func TestRenderNotices(t *testing.T) {
	tests := []struct {
		name, got string
	}{
		{"rate_limited", renderRateLimited(41*time.Second + time.Millisecond)},
		{"refusal", renderRefusal(4242)},
		{"ask_usage", renderAskUsage()},
		{"unknown_command", renderUnknownCommand()},
		{"greeting_private", renderGreeting("newsbot_bot", true)},
		{"greeting_group", renderGreeting("newsbot_bot", false)},
		{"thanks", convo.ThanksReply},
		{"goodbye", convo.GoodbyeReply},
	}
	var all []string
	for _, tt := range tests {
		msg := escapeText(tt.got)
		checkMessages(t, []string{msg}, maxMessageUTF16)
		all = append(all, tt.name+": "+msg)
	}
	golden.Check(t, "notices", strings.Join(all, "\n"))
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"  a  b\n c ", 10, "a b c"},
		{"abcdef", 6, "abcdef"},
		{"abc def", 5, "abc…"},
		{"éééééé", 3, "éé…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	long := quoteOf(t, romeArticle, "Opposition leaders called the plan unrealistic.")
	long.Title = strings.Repeat("Long title ", 100)
	if c := citation(1, long, maxMessageUTF16); utf16Len(c) > maxTitleRunes+200 {
		t.Errorf("citation with a long title is %d units long", utf16Len(c))
	}
}
