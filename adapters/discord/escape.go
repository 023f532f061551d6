package discord

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"newsbot/bot"
	"newsbot/bot/text"
)

// maxMessageLen is Discord's limit on a message's content. Discord counts
// characters; we count UTF-16 code units, which is never fewer, so a
// message we accept is never rejected.
const maxMessageLen = 2000

// discordLen is the length of s as measured against maxMessageLen.
func discordLen(s string) int { return text.UTF16Len(s) }

// alwaysEscaped are the characters Discord Markdown can give a meaning to
// anywhere in a line: emphasis (* _), strikethrough (~), inline code and
// code blocks (`), spoilers (|), mentions, channels, emoji and timestamps
// (<), masked links ([ ]), block quotes (>), and @everyone/@here (@). The
// backslash itself is escaped so a literal one cannot start an escape.
const alwaysEscaped = "\\*_~`|<>[]@"

// lineStartEscaped have a meaning only as the first non-blank character of
// a line: headings and subtext (#, -#) and list bullets (- + *).
const lineStartEscaped = "#-+"

// bareURL matches an http(s) URL much as Discord autolinks it: it stops at
// whitespace and angle brackets and leaves out trailing punctuation.
var bareURL = regexp.MustCompile(`(?i)^https?://[^\s<>]*[^\s<>.,:;"'!?)\]]`)

// scheme matches the start of anything Discord might autolink.
var scheme = regexp.MustCompile(`(?i)^https?:`)

// escapeText makes s display verbatim in Discord Markdown.
//
// Every character that could format, link or mention is preceded by a
// backslash. Discord renders "\x", for any ASCII punctuation x, as x alone
// and hides the backslash, so readers see exactly the article's words:
// "\@everyone" shows as "@everyone" in plain text, is not highlighted and
// pings nobody, unlike a zero-width space after "@", which would change the
// characters a reader copies. Pings are additionally blocked by the
// AllowedMentions sent with every message (see noPings), so an escape
// missed here can still never notify anyone.
//
// Bare http(s) URLs are wrapped in <>: Discord then shows the URL unchanged,
// as a link, without fetching an embed, and escapes inside the URL (where
// Discord would keep the backslashes) are avoided.
//
// With linkText set the result is safe inside the text of a masked link:
// URLs are not wrapped but their scheme's colon, like every colon, is
// escaped so no autolink nests inside the link.
//
// Characters that could reorder or hide text are dropped (bot.Display).
func escapeText(s string, linkText bool) string {
	s = bot.Display(s) // nothing may reorder or hide the text around it
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		// Discord autolinks URLs even in the middle of a word, so look at
		// every 'h'. A URL is wrapped; anything else starting "http(s):",
		// such as a URL broken by a '<', and every URL in link text, gets
		// its colon escaped, so the backslashes added after it can never
		// end up inside an autolink.
		if (c == 'h' || c == 'H') && scheme.MatchString(s[i:]) {
			if m := bareURL.FindString(s[i:]); m != "" && !linkText {
				b.WriteByte('<')
				b.WriteString(m)
				b.WriteByte('>')
				i += len(m)
				lineStart = false
				continue
			}
			m := scheme.FindString(s[i:])
			b.WriteString(m[:len(m)-1])
			b.WriteString(`\:`)
			i += len(m)
			lineStart = false
			continue
		}
		switch {
		case c == '\n':
			b.WriteByte(c)
			i++
			lineStart = true
			continue
		case lineStart && (c == ' ' || c == '\t'):
			b.WriteByte(c)
			i++
			continue
		case lineStart && c >= '0' && c <= '9':
			// "1. item" and "1) item" start ordered lists: escape the dot.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString(s[i:j])
			if j < len(s) && (s[j] == '.' || s[j] == ')') {
				b.WriteByte('\\')
				b.WriteByte(s[j])
				j++
			}
			i = j
			lineStart = false
			continue
		case strings.IndexByte(alwaysEscaped, c) >= 0,
			lineStart && strings.IndexByte(lineStartEscaped, c) >= 0,
			linkText && c == ':':
			b.WriteByte('\\')
			b.WriteByte(c)
			i++
			lineStart = false
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+size])
		i += size
		lineStart = false
	}
	return b.String()
}

// escape makes running text (summaries, questions, sources) display
// verbatim.
func escape(s string) string { return escapeText(s, false) }

// quoteLines renders text as a Discord block quote: every line, including
// empty ones, gets the "> " prefix so a multi-line quote stays one block.
func quoteLines(text string) string {
	return "> " + strings.ReplaceAll(escape(text), "\n", "\n> ")
}
