package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"

	"newsbot/adapters/cli"
)

// page writes text to stdout, through $PAGER (default less) when stdout is
// a terminal and text is taller than it. If the pager cannot be started,
// the text is written directly.
func (m *Main) page(ctx context.Context, text []byte) error {
	f, ok := m.Stdout.(*os.File)
	if !ok || !cli.IsTerminal(f) {
		_, err := m.Stdout.Write(text)
		return err
	}
	if _, rows, err := term.GetSize(int(f.Fd())); err == nil && bytes.Count(text, []byte("\n")) < rows {
		_, err := m.Stdout.Write(text)
		return err
	}
	pager := strings.Fields(m.Getenv("PAGER"))
	if len(pager) == 0 {
		pager = []string{"less"}
	}
	cmd := exec.CommandContext(ctx, pager[0], pager[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(text), f, m.Stderr
	if m.Getenv("LESS") == "" {
		// Quit at once if it fits after all, keep the text on the screen.
		cmd.Env = append(os.Environ(), "LESS=FRX")
	}
	if err := cmd.Run(); err != nil {
		m.Log.Debug("pager failed; writing directly", "pager", pager[0], "err", err)
		if _, started := err.(*exec.ExitError); !started {
			_, err := m.Stdout.Write(text)
			return err
		}
	}
	return nil
}
