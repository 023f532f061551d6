package telegram

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsbot/bot"
	"newsbot/bot/text"
)

// maxMessageUTF16 is Telegram's limit on the length of a message, in UTF-16
// code units. Telegram applies it to the text after parsing the HTML;
// applying it to the HTML source is stricter, so what passes here fits.
const maxMessageUTF16 = 4096

// Bounds on citation parts, so that one citation always fits in a message
// with room to spare for its quote. Titles and sources are metadata, not
// quotes, so shortening them alters nothing quoted.
const (
	maxTitleRunes  = 300
	maxSourceRunes = 100
	maxURLBytes    = 2000 // of the escaped href, which "&" makes five times longer
)

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// escapeText escapes s for the body of a Telegram HTML message. Invalid
// UTF-8 would make Telegram reject the whole message, so it is replaced;
// characters that could reorder or hide text are dropped (bot.Display).
func escapeText(s string) string {
	return textEscaper.Replace(bot.Display(strings.ToValidUTF8(s, "\uFFFD")))
}

// escapeAttr escapes s for a double-quoted attribute value.
func escapeAttr(s string) string { return attrEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }

// renderAnswer renders ans as one or more HTML messages of at most limit
// UTF-16 units each: the summary, if any, then every quote in a blockquote
// followed by its numbered citation. A refusal is one message (see
// renderNoAnswer).
func renderAnswer(ans bot.Answer, limit int) []string {
	if !ans.Answered || len(ans.Quotes) == 0 {
		if ans.Note != "" {
			return []string{escapeText(ans.RefusalMessage())}
		}
		return []string{renderNoAnswer(ans.Closest, limit)}
	}
	var blocks []string
	if s := strings.TrimSpace(ans.Summary); s != "" {
		for _, part := range splitRaw(s, limit) {
			blocks = append(blocks, escapeText(part))
		}
	}
	for i, q := range ans.Quotes {
		blocks = append(blocks, quoteBlocks(i+1, q, limit)...)
	}
	return pack(blocks, limit)
}

const (
	openQuote  = "<blockquote>"
	closeQuote = "</blockquote>"
)

// quoteBlocks renders quote number n with its citation. A quote too long for
// one message is cut into several blockquotes, each a whole fragment, with
// the citation after the last.
func quoteBlocks(n int, q bot.Quote, limit int) []string {
	if strings.TrimSpace(q.Text) == "" {
		return nil
	}
	cite := citation(n, q, limit)
	whole := openQuote + escapeText(q.Text) + closeQuote + "\n" + cite
	if utf16Len(whole) <= limit {
		return []string{whole}
	}
	// Every part is budgeted as if it carried the citation, so the last one
	// can without a second pass.
	budget := limit - utf16Len(openQuote+closeQuote+"\n") - utf16Len(cite)
	parts := splitRaw(q.Text, budget)
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = openQuote + escapeText(p) + closeQuote
	}
	out[len(out)-1] += "\n" + cite
	return out
}

// citation renders "[n] <a href=URL>Title</a> — Source, Date", leaving out
// what is unknown. The link opens the article at the quote (bot.Quote.Link)
// when that link is usable and the citation with it takes at most half of
// limit, leaving room for the quote; else it opens the article at its top.
func citation(n int, q bot.Quote, limit int) string {
	if link := linkURL(q.Link()); link != "" {
		if c := citeWith(n, q, link); utf16Len(c) <= limit/2 {
			return c
		}
	}
	return citeWith(n, q, linkURL(q.URL))
}

// citeWith is citation with link, a usable link or "".
func citeWith(n int, q bot.Quote, link string) string {
	title, source := clip(q.Title, maxTitleRunes), clip(q.Source, maxSourceRunes)
	label := title
	switch {
	case label != "":
	case source != "":
		label, source = source, ""
	case link != "":
		u, _ := url.Parse(link)
		label = u.Hostname()
	default:
		label = "untitled article"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%d] ", n)
	if link != "" {
		b.WriteString(`<a href="` + escapeAttr(link) + `">` + escapeText(label) + "</a>")
	} else {
		b.WriteString(escapeText(label))
	}
	var tail []string
	if source != "" {
		tail = append(tail, escapeText(source))
	}
	if d := q.Date(); d != "" {
		tail = append(tail, d)
	}
	if len(tail) > 0 {
		b.WriteString(" — " + strings.Join(tail, ", "))
	}
	return b.String()
}

// linkURL returns u if it is a reasonable http(s) link, else "": anything
// else (javascript:, tg:, relative paths) and a link too long once escaped
// are not made clickable.
func linkURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || !utf8.ValidString(u) || utf16Len(escapeAttr(u)) > maxURLBytes {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	if s := strings.ToLower(p.Scheme); s != "http" && s != "https" {
		return ""
	}
	return u
}

// clip trims s and shortens it to at most n runes, marking the cut.
func clip(s string, n int) string {
	return text.Truncate(strings.Join(strings.Fields(s), " "), n)
}

// pack joins blocks, each at most limit long, into as few messages of at
// most limit as keeps their order, separated by blank lines.
func pack(blocks []string, limit int) []string {
	var msgs []string
	cur, curLen := "", 0
	for _, b := range blocks {
		n := utf16Len(b)
		switch {
		case cur == "":
			cur, curLen = b, n
		case curLen+2+n <= limit:
			cur, curLen = cur+"\n\n"+b, curLen+2+n
		default:
			msgs = append(msgs, cur)
			cur, curLen = b, n
		}
	}
	if cur != "" {
		msgs = append(msgs, cur)
	}
	return msgs
}

// renderHelp renders /help, or /start's greeting when start is set. info is
// nil when what the bot knows could not be found out. follows adds the
// follow commands.
func renderHelp(info *bot.Info, username string, start, follows bool) string {
	var b strings.Builder
	if start {
		b.WriteString("Hi! ")
	}
	b.WriteString("I answer questions about the news I have read, only with <b>verbatim quotes</b> from the articles, each with its source.\n\n")
	switch {
	case info == nil:
		b.WriteString("(I couldn't check my news archive just now.)\n\n")
	case info.Articles == 0:
		b.WriteString("I haven't read any articles yet.\n\n")
	default:
		fmt.Fprintf(&b, "I know %s %s", thousands(info.Articles), plural(info.Articles, "article", "articles"))
		if !info.Newest.IsZero() {
			fmt.Fprintf(&b, ", the newest from %s", info.Newest.Format("2 January 2006"))
		}
		b.WriteString(".\n\n")
	}
	mention := "@" + escapeText(username)
	b.WriteString("<b>How to ask</b>\n")
	b.WriteString("• In a private chat, just send your question.\n")
	fmt.Fprintf(&b, "• In a group, mention me (%s what did Meloni say?), reply to one of my messages, or use /ask followed by your question.\n", mention)
	b.WriteString("• Reply to one of my answers to ask a follow-up.\n\n")
	b.WriteString("<b>Commands</b>\n")
	b.WriteString("/ask <i>question</i> — ask a question\n")
	b.WriteString("/sources — full citations of my last answer in this chat (or of the answer you reply to)\n")
	if follows {
		b.WriteString("/follow <i>topic or question</i> — new quotes on it, posted here as the news comes in (add <i>daily 08:00 Europe/London</i> for a daily digest)\n")
		b.WriteString("/following — what this chat follows\n")
		b.WriteString("/unfollow <i>number</i> or <i>all</i> — stop following\n")
	}
	b.WriteString("/help — this message")
	return b.String()
}

// renderSources renders the full citations of ans, one entry per article,
// numbered as in the answer.
func renderSources(ans *bot.Answer, limit int) []string {
	if ans == nil {
		return []string{"I haven't answered anything in this chat yet."}
	}
	if !ans.Answered || len(ans.Quotes) == 0 {
		return []string{"My last answer here didn't quote any articles."}
	}
	type entry struct {
		nums []string
		q    bot.Quote
	}
	var entries []*entry
	seen := map[string]*entry{}
	for i, q := range ans.Quotes {
		key := q.ArticleID
		if key == "" {
			key = q.URL + "\x00" + q.Title
		}
		e := seen[key]
		if e == nil {
			e = &entry{q: q}
			seen[key] = e
			entries = append(entries, e)
		}
		e.nums = append(e.nums, strconv.Itoa(i+1))
	}
	head := "<b>Sources</b>"
	if q := clip(ans.Question, maxTitleRunes); q != "" {
		head += " for “" + escapeText(q) + "”"
	}
	blocks := []string{head}
	for _, e := range entries {
		var b strings.Builder
		b.WriteString("[" + strings.Join(e.nums, ", ") + "] ")
		title := clip(e.q.Title, maxTitleRunes)
		if title == "" {
			title = "untitled article"
		}
		b.WriteString("<b>" + escapeText(title) + "</b>")
		var meta []string
		if s := clip(e.q.Source, maxSourceRunes); s != "" {
			meta = append(meta, escapeText(s))
		}
		if d := e.q.Date(); d != "" {
			meta = append(meta, d)
		}
		if len(meta) > 0 {
			b.WriteString("\n" + strings.Join(meta, ", "))
		}
		if link := linkURL(e.q.URL); link != "" {
			b.WriteString("\n" + `<a href="` + escapeAttr(link) + `">` + escapeText(link) + "</a>")
		} else if u := clip(e.q.URL, maxTitleRunes); u != "" {
			b.WriteString("\n" + escapeText(u))
		}
		blocks = append(blocks, b.String())
	}
	return pack(blocks, limit)
}

// renderRateLimited tells a user to slow down for wait.
func renderRateLimited(wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return fmt.Sprintf("You're asking faster than I can read — please wait %d %s and try again.", secs, plural(secs, "second", "seconds"))
}

// renderRefusal is what a user outside the allowlists sees in a private
// chat. Their ID is what the bot's owner needs to let them in.
func renderRefusal(userID int64) string {
	return fmt.Sprintf("Sorry, I only answer in chats I've been set up for. (Your user ID is %d.)", userID)
}

// renderGreeting answers a greeting (convo.Greeting): hello, and how to
// ask where the greeting came from.
func renderGreeting(username string, private bool) string {
	if private {
		return "Hello! Send me a question about the news, e.g. what did Meloni say? /help tells you more."
	}
	return "Hello! Mention me with a question about the news, e.g. @" + username + " what did Meloni say? /help tells you more."
}

// renderAskUsage explains /ask when it comes without a question.
func renderAskUsage() string {
	return "Put your question after the command, e.g. /ask what did Meloni say?"
}

// renderUnknownCommand answers a command addressed to the bot that it does
// not have.
func renderUnknownCommand() string {
	return "I don't know that command. Send /help to see what I can do."
}

// thousands formats n with comma separators: 12345 → "12,345".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
