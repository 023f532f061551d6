package main

import (
	"context"
	"fmt"
	"strings"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

func (m *Main) runAsk(ctx context.Context, args []string) error {
	fl := m.command("ask", "ask [--json] QUESTION", "Answers one question with verbatim quotes from the stored articles, or says the news\ndoes not cover it. A failure exits with status 2 (usage), 3 (invalid_question),\n4 (store_unavailable), 5 (config), 130 (interrupted) or 1 (internal). With --json\nevery outcome is one JSON object, a failure {\"error\": {\"message\", \"code\"}}.")
	asJSON := fl.Bool("json", false, "print every outcome as one JSON object")
	help, err := parseFlags(fl, args)
	if help {
		return nil
	}
	fail := func(err error) error { return m.askFailure(err, *asJSON) }
	if err != nil {
		return fail(err)
	}
	q := strings.TrimSpace(strings.Join(fl.Args(), " "))
	if q == "" {
		if !*asJSON {
			fl.Usage()
		}
		return fail(usageError{"ask: no question given"})
	}
	if err := m.openSeeded(ctx); err != nil {
		return fail(storeError{err})
	}
	ans, err := m.bot.Ask(ctx, bot.Question{Text: q})
	if err != nil {
		return fail(err)
	}
	if *asJSON {
		_, err = m.Stdout.Write(cli.MarshalAnswer(ans))
		return err
	}
	_, err = fmt.Fprintln(m.Stdout, cli.Render(ans))
	return err
}
