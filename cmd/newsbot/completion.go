package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// completionCmd prints cobra's completion scripts: commands, flags and
// their values come from the command tree itself.
func (m *Main) completionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Shell completion script for bash, zsh or fish",
		Long: "Prints a shell completion script for commands, flags and their values. Load it with\n" +
			"  bash: source <(newsbot completion bash)        (or save it in ~/.local/share/bash-completion/completions/newsbot)\n" +
			"  zsh:  source <(newsbot completion zsh)         (in ~/.zshrc, after compinit)\n" +
			"  fish: newsbot completion fish > ~/.config/fish/completions/newsbot.fish",
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"completion: name one shell: bash, zsh or fish"}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			root, w := c.Root(), m.Stdout
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, true)
			}
			return usageError{fmt.Sprintf("completion: %q is not a shell newsbot knows; use bash, zsh or fish", args[0])}
		},
	}
}
