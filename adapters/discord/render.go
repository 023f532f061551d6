package discord

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsbot/bot"
	"newsbot/bot/text"
)

// Limits on citation parts, so one citation line always fits in a message
// with room to spare for quote text.
const (
	maxTitleRunes  = 200
	maxSourceRunes = 80
	maxURLBytes    = 1000
)

// renderAnswer formats ans as Discord messages, each within maxMessageLen:
// an optional question line (for /ask, where the channel does not see what
// was asked), the optional summary, then each quote as a block quote
// followed by its citation. Messages break between quotes; a quote too long
// for one message is split on sentence or word boundaries, each part still
// a block quote, with the citation after the last part.
func renderAnswer(ans bot.Answer, question string) []string {
	var blocks []string
	if question != "" {
		blocks = append(blocks, splitBlock(question, func(p string) string {
			return "**Question:** " + escape(p)
		}, maxMessageLen)...)
	}
	if !ans.Answered || len(ans.Quotes) == 0 {
		if ans.Note != "" {
			return pack(append(blocks, escape(ans.RefusalMessage())), maxMessageLen)
		}
		return pack(append(blocks, renderNoAnswer(ans.Closest, maxMessageLen)), maxMessageLen)
	}
	if s := strings.TrimSpace(ans.Summary); s != "" {
		blocks = append(blocks, splitBlock(s, escape, maxMessageLen)...)
	}
	for i, q := range ans.Quotes {
		blocks = append(blocks, quoteBlocks(i+1, q)...)
	}
	return pack(blocks, maxMessageLen)
}

// quoteBlocks renders quote n as one block, or as several when it does not
// fit in one message.
func quoteBlocks(n int, q bot.Quote) []string {
	cite := citation(n, q)
	parts := splitBlock(q.Text, quoteLines, maxMessageLen-discordLen(cite)-1)
	parts[len(parts)-1] += "\n" + cite
	return parts
}

// splitBlock renders text with render, splitting the text first when the
// result would exceed limit. It always returns at least one block.
func splitBlock(text string, render func(string) string, limit int) []string {
	if out := render(text); discordLen(out) <= limit {
		return []string{out}
	}
	pieces := splitText(text, func(p string) bool { return discordLen(render(p)) <= limit })
	blocks := make([]string, len(pieces))
	for i, p := range pieces {
		blocks[i] = render(p)
	}
	if len(blocks) == 0 {
		return []string{render("")}
	}
	return blocks
}

// citation renders "[n] [Title](<URL>) — Source, 2 January 2006". The
// angle brackets keep Discord from embedding a preview of every source.
// The link opens the article at the quote (bot.Quote.Link) when that link
// is usable, else at its top.
func citation(n int, q bot.Quote) string {
	meta := metaParts(q.Source, q.Date())
	if meta != "" {
		meta = " — " + meta
	}
	link := q.Link()
	if _, ok := safeURL(link); !ok {
		link = q.URL
	}
	return "[" + strconv.Itoa(n) + "] " + titleLink(q.Title, link) + meta
}

// titleLink is an article's title, as a masked link when rawURL is a
// usable http(s) URL.
func titleLink(title, rawURL string) string {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		title = "Untitled article"
	}
	t := escapeText(text.Truncate(title, maxTitleRunes), true)
	if u, ok := safeURL(rawURL); ok {
		return "[" + t + "](<" + u + ">)"
	}
	return t
}

// metaParts renders "Source, Date" with whichever parts are known, or "".
func metaParts(source, date string) string {
	var parts []string
	if s := strings.Join(strings.Fields(source), " "); s != "" {
		parts = append(parts, escape(text.Truncate(s, maxSourceRunes)))
	}
	if date != "" {
		parts = append(parts, date)
	}
	return strings.Join(parts, ", ")
}

// safeURL returns raw as a URL fit for a masked link target: absolute
// http(s) with a host, with every byte that could end the link or break
// out of the angle brackets percent-encoded.
func safeURL(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	s := u.String()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("<>()\\\"`[]{}|^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	if b.Len() > maxURLBytes {
		return "", false
	}
	return b.String(), true
}

// renderSources lists the full citations of ans, with visible URLs, for
// /sources.
func renderSources(ans bot.Answer, ok bool) []string {
	if !ok {
		return []string{"I haven't answered a question in this channel yet."}
	}
	if !ans.Answered || len(ans.Quotes) == 0 {
		return []string{"My last answer in this channel quoted no articles."}
	}
	blocks := []string{"**Sources**"}
	if q := strings.TrimSpace(ans.Question); q != "" {
		blocks = splitBlock(q, func(p string) string { return "**Sources for:** " + escape(p) }, maxMessageLen)
	}
	for i, q := range ans.Quotes {
		title := strings.Join(strings.Fields(q.Title), " ")
		if title == "" {
			title = "Untitled article"
		}
		var b strings.Builder
		meta := metaParts(q.Source, q.Date())
		if meta != "" {
			meta = " — " + meta
		}
		fmt.Fprintf(&b, "[%d] **%s**%s", i+1, escapeText(text.Truncate(title, maxTitleRunes), true), meta)
		if u, ok := safeURL(q.URL); ok {
			b.WriteString("\n<" + u + ">")
		}
		if q.ArticleID != "" {
			b.WriteString("\nArticle ID: `" + strings.ReplaceAll(text.Truncate(q.ArticleID, 100), "`", "'") + "`")
		}
		blocks = append(blocks, b.String())
	}
	return pack(blocks, maxMessageLen)
}

// renderHelp explains usage and what is ingested, for /help. botID, when
// known, lets the example show a real mention (it cannot ping: help is sent
// with no mentions allowed). follows adds the follow commands.
func renderHelp(info bot.Info, infoErr error, botID string, follows bool) string {
	mention := "@newsbot"
	if botID != "" {
		mention = "<@" + botID + ">"
	}
	var b strings.Builder
	b.WriteString("I answer questions about the news I have ingested, only with verbatim quotes from the articles, each with its source.\n\n")
	b.WriteString("**Ask**\n")
	b.WriteString("• `/ask question:` followed by your question\n")
	b.WriteString("• mention me: " + mention + " who confirmed the proposal?\n")
	b.WriteString("• or send me a direct message\n")
	b.WriteString("• reply to one of my answers to ask a follow-up\n\n")
	b.WriteString("**Other commands**\n")
	b.WriteString("• `/sources` — the full citations of my last answer in this channel\n")
	b.WriteString("• `/help` — this message\n\n")
	if follows {
		b.WriteString("**Follow a story**\n")
		b.WriteString("• `/follow topic:` a topic or question — I post new quotes on it in this channel as the news comes in (add `daily:` 08:00 Europe/London for a daily digest)\n")
		b.WriteString("• `/following` — what this channel follows; `/unfollow which:` a number from it, or all\n")
		b.WriteString("• or mention me: " + mention + " follow …, " + mention + " following, " + mention + " unfollow 1\n\n")
	}
	b.WriteString("**What I have read**\n")
	b.WriteString(describeInfo(info, infoErr))
	return b.String()
}

// describeInfo summarises the ingested news in one line.
func describeInfo(info bot.Info, err error) string {
	if err != nil {
		return "I couldn't look that up just now."
	}
	if info.Articles == 0 {
		return "Nothing yet: no articles have been ingested."
	}
	s := fmt.Sprintf("%s articles (%s passages)", thousands(info.Articles), thousands(info.Chunks))
	if !info.Oldest.IsZero() && !info.Newest.IsZero() {
		s += ", published " + day(info.Oldest) + " to " + day(info.Newest)
	}
	return s + "."
}

func day(t time.Time) string { return t.Format("2 January 2006") }

// thousands formats n with comma separators.
func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
