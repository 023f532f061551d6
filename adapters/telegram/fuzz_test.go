package telegram

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsbot/bot"
)

// FuzzRenderAnswer renders an answer quoting a whole fuzzed article
// (repeated reps times, to reach the splitting) and checks each message as
// Telegram would: at most 4,096 UTF-16 units, tags balanced and known, and
// the blockquotes reading exactly as the article, hidden characters aside.
func FuzzRenderAnswer(f *testing.F) {
	seeds := []struct {
		text, title, source, link string
		reps                      uint8
	}{
		{"Plain quote.", "Title", "Reuters", "https://example.com/a", 0},
		{`<script>alert("x")</script> & AT&T 3 < 4 > 2`, `<b>"T"</b>`, "A & B", `https://x.org/?a=1&b="2"`, 1},
		{"Long 😀 <budget> R&D sentence with 🇮🇹 flags. ", "t", "s", "https://x.org/", 120},
		{"no URL, no title", "", "", "", 0},
		{"url of ampersands", "t", "s", "https://x.org/?" + strings.Repeat("&", 1980), 0},
		{"\u202eevil\u202c quote \u200b with \x1b[31m escapes", "\u2067Title\u2069", "src", "javascript:alert(1)", 2},
		{"caf\xe9 invalid", "bad \xff title", "", "", 0},
	}
	for _, s := range seeds {
		f.Add(s.text, s.title, s.source, s.link, s.reps)
	}
	f.Fuzz(func(t *testing.T, text, title, source, link string, reps uint8) {
		text = strings.Repeat(text, int(reps%120)+1)
		if strings.TrimSpace(text) == "" {
			return
		}
		a := &bot.Article{ID: "a", Title: title, Source: source, URL: link, Text: text,
			Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
		q := bot.NewQuote(a, bot.Span{Start: 0, End: len(text)}, 1)
		parts := renderAnswer(bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{q}}, maxMessageUTF16)
		var quoted strings.Builder
		for i, p := range parts {
			if n := utf16Len(p); n > maxMessageUTF16 {
				t.Fatalf("message %d is %d UTF-16 units, over %d", i, n, maxMessageUTF16)
			}
			parsed, err := parseTelegramHTML(p)
			if err != nil {
				t.Fatalf("message %d would be rejected: %v\n%q", i, err, p)
			}
			if v := visibleText(p); v != parsed.Text {
				t.Fatalf("plain-text fallback of message %d differs from what Telegram shows:\n got %q\nwant %q", i, v, parsed.Text)
			}
			for _, qt := range parsed.Quotes {
				quoted.WriteString(qt)
			}
		}
		want := bot.Display(strings.ToValidUTF8(text, "\uFFFD"))
		if strings.TrimSpace(want) == "" {
			return // nothing visible to quote
		}
		if quoted.String() != want {
			t.Fatalf("quoted text differs from the article:\n got %q\nwant %q", quoted.String(), want)
		}
	})
}

// FuzzSplitRaw checks that splitRaw's pieces join back to the input and
// each escapes to at most the budget, unless it is a single rune that does
// not fit alone.
func FuzzSplitRaw(f *testing.F) {
	f.Add("One. Two! Three? Four…", 10)
	f.Add("R&D <x> 😀😀 words and words", 7)
	f.Add("\n\n  spaced   out\n", 1)
	f.Fuzz(func(t *testing.T, s string, budget int) {
		budget = budget%5000 + 1
		if budget < 1 {
			budget += 5000
		}
		parts := splitRaw(s, budget)
		if strings.Join(parts, "") != s {
			t.Fatalf("pieces %q do not join back to %q", parts, s)
		}
		for _, p := range parts {
			if p == "" {
				t.Fatalf("empty piece in %q", parts)
			}
			if n := utf16Len(escapeText(p)); n > budget && utf8.RuneCountInString(p) > 1 {
				t.Fatalf("piece %q escapes to %d units, over %d", p, n, budget)
			}
		}
	})
}
