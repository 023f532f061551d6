package discord

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
)

func FuzzEscape(f *testing.F) {
	for _, s := range hostileTexts {
		f.Add(s)
	}
	f.Add("bidi \u202eevil\u202c and zero\u200bwidth")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		esc := escape(s)
		if display(esc) != bot.Display(s) { // hidden characters are dropped, nothing else changes
			t.Fatalf("round trip failed for %q: %q", s, esc)
		}
		if m := activeMarkup(esc); m != "" {
			t.Fatalf("escape(%q) = %q leaves %q active", s, esc, m)
		}
	})
}

// mention matches what Discord would turn into a ping once autolinks are
// removed: an @ or a <@…>, <@&…> or <#…> not escaped by a backslash.
var mention = regexp.MustCompile(`(^|[^\\])(@|<[@#])`)

// FuzzRenderMessages renders an answer quoting a whole fuzzed article
// (repeated reps times, to reach the splitting) and checks that every
// message fits, no mention can fire, and the quoted text reads as the
// article's, white space at the cuts aside.
func FuzzRenderMessages(f *testing.F) {
	for _, s := range hostileTexts {
		f.Add(s, "Title *x*", "Wire", "https://example.com/a", uint8(0))
	}
	f.Add("Long sentence with @everyone inside. ", "t", "s", "https://x.org/?"+strings.Repeat("&", 900), uint8(80))
	f.Add("\u202eevil\u202c quote", "\u202etitle", "src\u200b", "", uint8(3))
	f.Fuzz(func(t *testing.T, text, title, source, link string, reps uint8) {
		text = strings.Repeat(text, int(reps%100)+1)
		if !utf8.ValidString(text) || strings.TrimSpace(text) == "" {
			return
		}
		a := &bot.Article{ID: "a", Title: title, Source: source, URL: link, Text: text,
			Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
		q := bot.NewQuote(a, bot.Span{Start: 0, End: len(text)}, 1)
		msgs := renderAnswer(bot.Answer{Question: "q", Answered: true, Quotes: []bot.Quote{q}}, "")
		var quoted []string
		for i, m := range msgs {
			if n := discordLen(m); n > maxMessageLen {
				t.Fatalf("message %d is %d long, over %d", i, n, maxMessageLen)
			}
			if loc := mention.FindStringIndex(stripAutolinks(m)); loc != nil {
				t.Fatalf("message %d can ping: %q", i, m)
			}
			quoted = append(quoted, quotedTexts(m)...)
		}
		// Each part reads as the next stretch of the article: only the
		// white space at a cut may be dropped, and a word too long for one
		// message is cut inside.
		rest := bot.Display(text)
		for _, part := range quoted {
			part = strings.TrimSpace(part)
			rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
			if !strings.HasPrefix(rest, part) {
				t.Fatalf("quoted part %q is not the next text of the article %q", part, rest)
			}
			rest = rest[len(part):]
		}
		if strings.TrimSpace(rest) != "" {
			t.Fatalf("article text %q not quoted", rest)
		}
	})
}

// stripAutolinks removes every <https://…> autolink, where an @ cannot
// mention anyone.
func stripAutolinks(s string) string {
	return anyAutolink.ReplaceAllString(s, "")
}

var anyAutolink = regexp.MustCompile(`(?i)<https?://[^\s<>]+>`)
