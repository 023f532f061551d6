package main

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/spf13/cobra"

	"newsbot/adapters/cli"
)

// historyFileName is the chat's line-editing history, in the data dir.
const historyFileName = "chat_history"

func (m *Main) chatCmd() *cobra.Command {
	var echo bool
	c := &cobra.Command{
		Use:   "chat",
		Short: "Interactive chat (ingests the bundled sample news on first use)",
		Long: "Ask questions, one per line; help lists the commands. On a terminal: line editing,\n" +
			"history (Ctrl-R searches it), Ctrl-C clears the line or stops an answer, Ctrl-D or quit\n" +
			"leaves. With piped input: one question per line, no prompt, each question printed\n" +
			"before its answer (--echo=false leaves it out).",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			if !c.Flags().Changed("echo") {
				echo = !cli.IsTerminal(m.Stdin)
			}
			return m.runChat(c.Context(), echo)
		},
	}
	c.Flags().BoolVar(&echo, "echo", false, "print each question before its answer (default: on when stdin is not a terminal)")
	return c
}

func (m *Main) runChat(ctx context.Context, echo bool) error {
	if err := m.openSeeded(ctx); err != nil {
		return err
	}
	// Articles that other processes add, replace or delete show up here.
	defer m.follow(ctx)()
	opts := []cli.ChatOption{cli.WithHistoryFile(filepath.Join(m.Config.DataDir, historyFileName)), cli.WithEcho(echo)}
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
