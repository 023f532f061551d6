package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

func (m *Main) askCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "ask QUESTION",
		Short: "Answer one question",
		Long: "Answers one question with verbatim quotes from the stored articles, or says the news\n" +
			"does not cover it. Flags may come before or after the question. With --json every\n" +
			"outcome is one JSON object, a failure {\"error\": {\"message\", \"code\"}}; the exit\n" +
			"status is the same either way (README, \"Exit status\").",
		Example: `  newsbot ask "When will Zelensky visit Washington?"
  newsbot ask --json "Who confirmed the call?"`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			return m.runAsk(c.Context(), args, asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print every outcome as one JSON object")
	return c
}

func (m *Main) runAsk(ctx context.Context, args []string, asJSON bool) error {
	q := strings.TrimSpace(strings.Join(args, " "))
	if len(args) == 0 {
		return usageError{"ask: no question given"}
	}
	if q == "" {
		return emptyQuestion{}
	}
	if err := m.openSeeded(ctx); err != nil {
		return err
	}
	ans, err := m.bot.Ask(ctx, bot.Question{Text: q})
	if err != nil {
		return err
	}
	if asJSON {
		_, err = m.Stdout.Write(cli.MarshalAnswer(ans))
		return err
	}
	_, err = fmt.Fprintln(m.Stdout, cli.RenderFor(ans, m.Stdout))
	return err
}
