package cli

import (
	"fmt"
	"strings"
	"time"

	"newsbot/bot"
)

// Render returns the answer as the chat shows it: the optional summary,
// then each quote verbatim as a "> " block, with its numbered citation
// below. A refusal is bot.NoAnswer. Characters that could reorder or hide
// text, or that a terminal would obey, are dropped (bot.Display).
func Render(a bot.Answer) string {
	if !a.Answered || len(a.Quotes) == 0 {
		return bot.NoAnswer
	}
	var b strings.Builder
	if a.Summary != "" {
		b.WriteString(a.Summary)
		b.WriteString("\n\n")
	}
	for i, q := range a.Quotes {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, line := range strings.Split(q.Text, "\n") {
			fmt.Fprintf(&b, "> %s\n", line)
		}
		fmt.Fprintf(&b, "— [%d] %s\n", i+1, Citation(q))
	}
	return bot.Display(strings.TrimRight(b.String(), "\n"))
}

// Citation is a quote's source in one line: title, source, date and link,
// leaving out what is unknown.
func Citation(q bot.Quote) string {
	parts := []string{q.Title}
	if q.Source != "" {
		parts = append(parts, q.Source)
	}
	if d := q.Date(); d != "" {
		parts = append(parts, d)
	}
	if q.URL != "" {
		parts = append(parts, q.URL)
	}
	return bot.Display(strings.Join(parts, " · "))
}

// Sources lists the full citations of an answer, one per line, numbered as
// in the answer.
func Sources(a bot.Answer) string {
	if len(a.Quotes) == 0 {
		return "No sources: the last answer quoted nothing."
	}
	var b strings.Builder
	for i, q := range a.Quotes {
		fmt.Fprintf(&b, "[%d] %s\n", i+1, q.Title)
		if q.Source != "" {
			fmt.Fprintf(&b, "    source:    %s\n", q.Source)
		}
		if !q.Published.IsZero() {
			fmt.Fprintf(&b, "    published: %s\n", q.Published.Format(time.RFC1123))
		}
		if q.URL != "" {
			fmt.Fprintf(&b, "    link:      %s\n", q.URL)
		}
		fmt.Fprintf(&b, "    article:   %s, bytes %d–%d\n", q.ArticleID, q.Start, q.End)
	}
	return bot.Display(strings.TrimRight(b.String(), "\n"))
}
