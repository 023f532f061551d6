package main

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"

	"newsbot/adapters/cli"
)

// historyFileName is the chat's line-editing history, in the data dir.
const historyFileName = "chat_history"

func (m *Main) runChat(ctx context.Context, args []string) error {
	fl := m.command("chat", "chat", "Ask questions, one per line; /help lists the commands. On a terminal: line editing,\nhistory (Ctrl-R searches it), Ctrl-C clears the line or stops an answer, Ctrl-D leaves.\nWith piped input: one question per line, no prompt.")
	if help, err := parseNoArgs(fl, args); help || err != nil {
		return err
	}
	if err := m.openSeeded(ctx); err != nil {
		return err
	}
	// Articles that other processes add, replace or delete show up here.
	defer m.follow(ctx)()
	opts := []cli.ChatOption{cli.WithHistoryFile(filepath.Join(m.Config.DataDir, historyFileName))}
	if cli.Interactive(m.Stdin, m.Stdout) {
		// main's context ends at the first SIGINT; in a terminal chat Ctrl-C
		// must stop only the answer in progress, so the chat takes it over.
		signal.Reset(os.Interrupt)
		intr := make(chan os.Signal, 1)
		signal.Notify(intr, os.Interrupt)
		defer signal.Stop(intr)
		opts = append(opts, cli.WithInterrupts(intr))
	}
	return cli.NewChat(m.bot, m.Stdin, m.Stdout, m.Log, opts...).Run(ctx)
}
