package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/peterh/liner"
)

// prompt cannot be mistaken for a quote line ("> ").
const prompt = "? "

// runTerminal is the chat on a terminal, through liner: Emacs-style editing
// (Home/End, Ctrl-A/E/K/U/W, Alt-B/F, Alt-arrows and Ctrl-arrows by word),
// Ctrl-R history search, wide characters, and a history kept between
// sessions.
// Ctrl-C clears the line; Ctrl-D on an empty line leaves.
func (c *Chat) runTerminal(ctx context.Context) error {
	ln, err := newLiner()
	if err != nil {
		return c.runLines(ctx)
	}
	defer ln.Close()
	ln.SetCtrlCAborts(false)
	c.loadHistory(ln)
	defer c.saveHistory(ln)
	fmt.Fprintln(c.out, "newsbot — ask about the news. help for commands, quit to leave.")
	type read struct {
		line string
		err  error
	}
	for {
		// liner cannot be interrupted, so ctx (SIGTERM) is watched beside it.
		got := make(chan read, 1)
		go func() {
			l, err := ln.Prompt(prompt)
			got <- read{l, err}
		}()
		var r read
		select {
		case <-ctx.Done():
			fmt.Fprintln(c.out)
			return nil
		case r = <-got:
		}
		switch {
		case errors.Is(r.err, io.EOF):
			// Leave the shell's prompt on a line of its own.
			fmt.Fprintln(c.out)
			return nil
		case errors.Is(r.err, liner.ErrPromptAborted):
			continue
		case r.err != nil:
			return fmt.Errorf("read question: %w", r.err)
		}
		switch c.handle(ctx, r.line) {
		case quit:
			return nil
		case handled:
			if strings.TrimSpace(r.line) != "" {
				ln.AppendHistory(r.line)
			}
		}
	}
}

// newLiner returns liner on the terminal, reading the keys through
// altArrows. liner reads whatever os.Stdin is when it starts (the terminal
// modes it sets go to fd 0 itself), so os.Stdin is the rewriter's pipe
// for that moment only. The copying goroutine lives as long as the
// process: a read of the terminal cannot be interrupted.
func newLiner() (*liner.State, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	tty := os.Stdin
	go func() {
		_, _ = io.Copy(pw, &altArrows{r: tty})
		pw.Close()
	}()
	os.Stdin = pr
	defer func() { os.Stdin = tty }()
	return liner.NewLiner(), nil
}

func (c *Chat) loadHistory(ln *liner.State) {
	if c.historyFile == "" {
		return
	}
	f, err := os.Open(c.historyFile)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			c.log.Warn("chat history not read", "err", err)
		}
		return
	}
	defer f.Close()
	if _, err := ln.ReadHistory(f); err != nil {
		c.log.Warn("chat history not read", "path", c.historyFile, "err", err)
	}
}

func (c *Chat) saveHistory(ln *liner.State) {
	if c.historyFile == "" {
		return
	}
	f, err := os.OpenFile(c.historyFile, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err == nil {
		_, err = ln.WriteHistory(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		c.log.Warn("chat history not saved", "err", err)
	}
}
