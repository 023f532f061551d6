package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"newsbot/adapters/internal/refusal"
	"newsbot/bot"
)

// Render returns the answer as the chat shows it: the optional summary,
// then each quote verbatim as a "> " block, with its numbered citation
// below. A refusal is bot.NoAnswer, followed by the closest articles when
// there are any (see Refusal), or by the answer's Note. Characters that
// could reorder or hide text, or that a terminal would obey, are dropped
// from quotes and summary (bot.Display); metadata goes through plainText.
func Render(a bot.Answer) string { return RenderStyle(a, Style{}) }

// Style is how RenderStyle lays an answer out.
type Style struct {
	// Width, when positive, wraps quotes, citations and refusals at word
	// boundaries to this many columns; words are never split.
	Width int
	// Plain leaves out the Markdown emphasis of titles, which a terminal
	// would show as raw asterisks.
	Plain bool
}

// TerminalStyle is the style for w: wrapped to its width and plain when w
// is a terminal, the zero Style (Render's) otherwise.
func TerminalStyle(w io.Writer) Style {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return Style{}
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return Style{Width: width, Plain: true}
}

// RenderFor renders a for the writer it goes to (see TerminalStyle).
func RenderFor(a bot.Answer, w io.Writer) string { return RenderStyle(a, TerminalStyle(w)) }

// RenderStyle is Render in style s. Wrapping only breaks lines between
// words: the quoted words are never changed.
func RenderStyle(a bot.Answer, s Style) string {
	if !a.Answered || len(a.Quotes) == 0 {
		if a.Note != "" {
			return strings.Join(wrap(a.RefusalMessage(), s.Width), "\n")
		}
		return strings.Join(wrap(refusalStyle(a.Closest, s.Plain), s.Width), "\n")
	}
	var b strings.Builder
	if a.Summary != "" {
		for _, l := range wrap(a.Summary, s.Width) {
			b.WriteString(l + "\n")
		}
		b.WriteString("\n")
	}
	for i, q := range a.Quotes {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, line := range strings.Split(q.Text, "\n") {
			for _, l := range wrap(line, s.Width-2) {
				fmt.Fprintf(&b, "> %s\n", l)
			}
		}
		// Continuation lines are indented by two: all lines wrap two short.
		for j, l := range wrap(fmt.Sprintf("— [%d] %s", i+1, Citation(q)), s.Width-2) {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(l + "\n")
		}
	}
	return bot.Display(strings.TrimRight(b.String(), "\n"))
}

// Citation is a quote's source in one line: title, source, date and link,
// leaving out what is unknown. The link opens the article at the quote
// (bot.Quote.Link). Metadata is made terminal-safe (see plainText); the
// quote itself is not part of it.
func Citation(q bot.Quote) string {
	parts := []string{plainText(q.Title)}
	if s := plainText(q.Source); s != "" {
		parts = append(parts, s)
	}
	if d := q.Date(); d != "" {
		parts = append(parts, d)
	}
	if u := plainText(q.Link()); u != "" {
		parts = append(parts, u)
	}
	return strings.Join(parts, " · ")
}

// Refusal is the one-line refusal: bot.NoAnswer, then, when closest is not
// empty, "Closest: *Title* (Source, 2 January 2006); …" with whatever of
// source and date is known. The titles are named, never quoted.
func Refusal(closest []bot.Citation) string { return refusalStyle(closest, false) }

// refusalStyle is Refusal, with plain titles when plain.
func refusalStyle(closest []bot.Citation, plain bool) string {
	// The bot's own sentences need no escaping on a terminal.
	same := func(s string) string { return s }
	item := func(c bot.Citation, _ bool) string { return closestItem(c, plain) }
	return refusal.Render(closest, refusal.Format{Escape: same, Item: item})
}

// closestItem renders "*Title* (Source, Date)", or with plain "Title
// (Source, Date)"; a terminal has no links.
func closestItem(c bot.Citation, plain bool) string {
	em := "*"
	if plain {
		em = ""
	}
	title := plainText(c.Title)
	if title == "" {
		title = "untitled article"
	}
	var meta []string
	if s := plainText(c.Source); s != "" {
		meta = append(meta, s)
	}
	if d := c.Date(); d != "" {
		meta = append(meta, d)
	}
	if len(meta) == 0 {
		return em + title + em
	}
	return em + title + em + " (" + strings.Join(meta, ", ") + ")"
}

// Sources lists the full citations of an answer, one per line, numbered as
// in the answer.
func Sources(a bot.Answer) string {
	if len(a.Quotes) == 0 {
		return "No sources: the last answer quoted nothing."
	}
	var b strings.Builder
	for i, q := range a.Quotes {
		fmt.Fprintf(&b, "[%d] %s\n", i+1, plainText(q.Title))
		if s := plainText(q.Source); s != "" {
			fmt.Fprintf(&b, "    source:    %s\n", s)
		}
		if !q.Published.IsZero() {
			fmt.Fprintf(&b, "    published: %s\n", q.Published.Format(time.RFC1123))
		}
		if u := plainText(q.URL); u != "" {
			fmt.Fprintf(&b, "    link:      %s\n", u)
		}
		fmt.Fprintf(&b, "    article:   %s, bytes %d–%d\n", plainText(q.ArticleID), q.Start, q.End)
	}
	return strings.TrimRight(b.String(), "\n")
}
