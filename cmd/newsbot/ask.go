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
	fl := m.flagSet("ask")
	asJSON := fl.Bool("json", false, "print the answer as one JSON object")
	fl.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: newsbot ask [--json] QUESTION")
		fl.PrintDefaults()
	}
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

func (m *Main) runChat(ctx context.Context, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(m.Stderr, "Usage: newsbot chat\n\nAsk questions, one per line; /help lists the commands.")
		return nil
	}
	if len(args) > 0 {
		return usageError{"chat takes no arguments"}
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if err := m.ensureSeeded(ctx); err != nil {
		return err
	}
	defer m.follow(ctx)()
	return cli.NewChat(m.bot, m.Stdin, m.Stdout, m.Log).Run(ctx)
}
