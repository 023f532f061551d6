package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"newsbot/bot"
)

// history is how many earlier questions a chat keeps as context.
const history = 3

// Chat is an interactive question-and-answer session.
type Chat struct {
	asker bot.Asker
	in    io.Reader
	out   io.Writer
	log   *slog.Logger

	last     bot.Answer
	previous []string
}

// NewChat returns a chat that reads questions from in and writes answers
// to out.
func NewChat(asker bot.Asker, in io.Reader, out io.Writer, log *slog.Logger) *Chat {
	if log == nil {
		log = slog.Default()
	}
	return &Chat{asker: asker, in: in, out: out, log: log}
}

const help = `Ask a question about the news, in your own words. Answers are quoted
word for word from the ingested articles, with their sources.
Commands:
  /sources   full citations of the last answer
  /help      this text
  /quit      leave (or Ctrl-D)`

// Run reads questions until end of input, /quit or ctx ends. On a terminal
// it offers line editing and history; otherwise it reads one question per
// line, so it can be scripted.
func (c *Chat) Run(ctx context.Context) error {
	if f, ok := c.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, ok := c.out.(*os.File); ok && term.IsTerminal(int(w.Fd())) {
			return c.runTerminal(ctx, f)
		}
	}
	return c.runLines(ctx)
}

func (c *Chat) runLines(ctx context.Context) error {
	sc := bufio.NewScanner(c.in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		if quit := c.handle(ctx, sc.Text(), c.out); quit {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("read question: a line is longer than 1 MB")
		}
		return fmt.Errorf("read question: %w", err)
	}
	return nil
}

func (c *Chat) runTerminal(ctx context.Context, f *os.File) error {
	old, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return c.runLines(ctx)
	}
	defer term.Restore(int(f.Fd()), old)
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{f, c.out}, "? ")
	fmt.Fprintln(t, "newsbot — ask about the news. /help for commands, /quit to leave.")
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		for {
			l, err := t.ReadLine()
			if err != nil {
				errc <- err
				return
			}
			lines <- l
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read question: %w", err)
		case l := <-lines:
			if c.handle(ctx, l, t) {
				return nil
			}
		}
	}
}

// handle answers one line and reports whether the user asked to quit.
func (c *Chat) handle(ctx context.Context, line string, out io.Writer) bool {
	line = strings.TrimSpace(line)
	switch strings.ToLower(line) {
	case "":
		return false
	case "/quit", "/exit", "/q":
		return true
	case "/help", "/start":
		fmt.Fprintln(out, help)
		return false
	case "/sources":
		fmt.Fprintln(out, Sources(c.last))
		return false
	}
	if strings.HasPrefix(line, "/") {
		fmt.Fprintf(out, "Unknown command %s. Try /help.\n", strings.Fields(line)[0])
		return false
	}
	ans, err := c.asker.Ask(ctx, bot.Question{Text: line, Previous: c.previous})
	if err != nil {
		c.log.Error("ask", "err", err)
		fmt.Fprintln(out, bot.UserMessage(err))
		return false
	}
	c.last = ans
	c.previous = append(c.previous, line)
	if len(c.previous) > history {
		c.previous = c.previous[1:]
	}
	fmt.Fprintln(out, Render(ans))
	fmt.Fprintln(out)
	return false
}
