package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

func (m *Main) runAsk(ctx context.Context, args []string) error {
	fl := m.command("ask", "ask [--json] QUESTION", "Answers one question with verbatim quotes from the stored articles, or says the news\ndoes not cover it.")
	asJSON := fl.Bool("json", false, "print every outcome as one JSON object; see README for the exit statuses")
	if help, err := parseFlags(fl, args); help || err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(fl.Args(), " "))
	if q == "" {
		fl.Usage()
		return usageError{"ask: no question given"}
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if err := m.ensureSeeded(ctx); err != nil {
		return err
	}
	ans, err := m.bot.Ask(ctx, bot.Question{Text: q})
	if err != nil {
		m.Log.Debug("ask", "err", err)
		return errors.New(bot.UserMessage(err))
	}
	if *asJSON {
		_, err = m.Stdout.Write(cli.MarshalAnswer(ans))
		return err
	}
	_, err = fmt.Fprintln(m.Stdout, cli.Render(ans))
	return err
}
