package discord

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"newsbot/bot"
)

// autolink is Discord's <URL> syntax as escapeText produces it.
var autolink = regexp.MustCompile(`(?i)^<(https?://[^\s<>]+)>`)

// discordURL is the pattern Discord autolinks in plain text (matched
// case-insensitively here, to be safe).
var discordURL = regexp.MustCompile(`(?i)^https?://[^\s<]+[^<.,:;"')\]\s]`)

// display mimics what Discord shows for escaped text: "<URL>" shows the
// URL, and a backslash before ASCII punctuation shows the punctuation
// alone. It is the inverse escapeText must satisfy.
func display(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if m := autolink.FindStringSubmatch(s[i:]); m != nil {
				b.WriteString(m[1])
				i += len(m[0])
				continue
			}
		}
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i += 2
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')
}

// quotedTexts returns the text of each block quote in a rendered message,
// as Discord would display it.
func quotedTexts(msg string) []string {
	var out, cur []string
	flush := func() {
		if cur != nil {
			out = append(out, display(strings.Join(cur, "\n")))
			cur = nil
		}
	}
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(line, "> ") {
			cur = append(cur, strings.TrimPrefix(line, "> "))
			continue
		}
		flush()
	}
	flush()
	return out
}

// orderedItem starts an ordered list item.
var orderedItem = regexp.MustCompile(`^[0-9]+[.)]`)

// markdownChars can format, quote, link or mention anywhere in a line
// (kept apart from escape.go's list so a change there is caught here).
const markdownChars = "\\*_~`|<>[]@"

// activeMarkup returns the first character in escaped output that Discord
// could still treat as Markdown or a mention, or "" if there is none.
func activeMarkup(s string) string {
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '<' {
			if m := autolink.FindString(s[i:]); m != "" {
				i += len(m) - 1
				lineStart = false
				continue
			}
		}
		if c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
			lineStart = false
			continue
		}
		if strings.IndexByte(markdownChars, c) >= 0 {
			return s[i:min(len(s), i+20)]
		}
		if lineStart && c != ' ' && c != '\t' && c != '\n' {
			if strings.IndexByte("#-+", c) >= 0 {
				return s[i:min(len(s), i+20)]
			}
			if m := orderedItem.FindString(s[i:]); m != "" {
				return m
			}
			lineStart = false
		}
		if c == '\n' {
			lineStart = true
		}
		if m := discordURL.FindString(s[i:]); m != "" {
			return m // a URL Discord would autolink, with escapes inside it
		}
	}
	return ""
}

var hostileTexts = []string{
	"plain words",
	"@everyone look: @here and a@b.com",
	"*bold* **strong** _it_ __under__ ~~gone~~ ||spoil|| `code` ```block```",
	"<@123456789012345678> <@!1> <@&2> <#3> <:emoji:4> <t:1700000000:R> </ask:5>",
	"# heading\n## sub\n-# small\n- item\n+ item\n* item\n1. one\n22) two\n> quote\n>>> all",
	"[masked](https://evil.example) and (parens) and [brackets]",
	`back\slash \* not escaped \\ double`,
	"see https://example.com/a_b*c?x=1&y=[2]. and http://x.y/z) end",
	"nohttps://inside.word/x_y and HTTPS://UPPER.CASE/x_y",
	"https:// alone, https://",
	"  leading spaces\n\n\nblank lines\n   - indented bullet",
	"unicode: café — “quotes” – 日本語 🎉 \u200b zero-width",
	"trailing backslash \\",
	"https://a.b/<x>y",
	"12. Mai 2025 und 3.5 Prozent",
	"",
}

func TestEscapeDisplaysExactTextAndNeutralisesMarkup(t *testing.T) {
	for _, s := range hostileTexts {
		for _, link := range []bool{false, true} {
			esc := escapeText(s, link)
			if got := display(esc); got != bot.Display(s) {
				t.Errorf("display(escapeText(%q, %v)) = %q", s, link, got)
			}
			if !link {
				if m := activeMarkup(esc); m != "" {
					t.Errorf("escape(%q) = %q leaves %q active", s, esc, m)
				}
			}
		}
	}
}

func TestEscapeExamples(t *testing.T) {
	tests := []struct{ in, want string }{
		{"@everyone", `\@everyone`},
		{"a *b* c", `a \*b\* c`},
		{"# Title", `\# Title`},
		{"x # y", `x # y`},
		{"1. one", `1\. one`},
		{"2025 was long", `2025 was long`},
		{"go https://x.io/a_b.", `go <https://x.io/a_b>.`},
		{"<@1>", `\<\@1\>`},
		{`a\b`, `a\\b`},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := escapeText("Breaking: https://x.io", true); got != `Breaking\: https\://x.io` {
		t.Errorf("link text escape = %q", got)
	}
}

func TestQuoteLinesRoundTrip(t *testing.T) {
	for _, s := range hostileTexts {
		r := quoteLines(s)
		for i, line := range strings.Split(r, "\n") {
			if !strings.HasPrefix(line, "> ") {
				t.Errorf("quoteLines(%q) line %d %q lacks the quote prefix", s, i, line)
			}
		}
		if got := quotedTexts(r); len(got) != 1 || got[0] != bot.Display(s) {
			t.Errorf("quotedTexts(quoteLines(%q)) = %q", s, got)
		}
	}
}

// TestEscapeRandom round-trips random mixes of the troublesome pieces.
func TestEscapeRandom(t *testing.T) {
	atoms := []string{"@", "everyone", "here", "*", "_", "~", "`", "|", ">", "<", "[", "]", "(", ")", "#", "-", "+",
		"\\", "\n", " ", "  ", "1.", "9)", "https://", "http://a.b/", "x", "é", "🎉", ":", ".", "!", "<@1>", "\t"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := rng.Intn(25); n > 0; n-- {
			b.WriteString(atoms[rng.Intn(len(atoms))])
		}
		s := b.String()
		esc := escape(s)
		if display(esc) != s {
			t.Fatalf("round trip failed for %q: %q", s, esc)
		}
		if m := activeMarkup(esc); m != "" {
			t.Fatalf("escape(%q) = %q leaves %q active", s, esc, m)
		}
	}
}
