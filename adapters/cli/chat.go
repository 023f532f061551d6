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

	"newsbot/adapters/internal/convo"
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

	historyFile string
	interrupts  <-chan os.Signal
	echo        bool
	style       Style

	last     bot.Answer
	previous []string
}

// ChatOption configures a Chat.
type ChatOption func(*Chat)

// WithHistoryFile keeps the line editor's history in path (created with
// mode 0600: questions can be private). Only the terminal mode uses it.
func WithHistoryFile(path string) ChatOption { return func(c *Chat) { c.historyFile = path } }

// WithInterrupts makes a signal on ch cancel the answer in progress (its
// context) instead of ending the chat. The caller routes SIGINT there.
func WithInterrupts(ch <-chan os.Signal) ChatOption { return func(c *Chat) { c.interrupts = ch } }

// WithEcho prints each question, after the prompt, before its answer: a
// piped chat's output then reads as the conversation it was.
func WithEcho(on bool) ChatOption { return func(c *Chat) { c.echo = on } }

// NewChat returns a chat that reads questions from in and writes answers
// to out.
func NewChat(asker bot.Asker, in io.Reader, out io.Writer, log *slog.Logger, opts ...ChatOption) *Chat {
	if log == nil {
		log = slog.Default()
	}
	c := &Chat{asker: asker, in: in, out: out, log: log, style: TerminalStyle(out)}
	for _, o := range opts {
		o(c)
	}
	return c
}

const help = `Ask a question about the news, in your own words. Answers are quoted
word for word from the ingested articles, with their sources.
Commands:
  /sources       full citations of the last answer
  help, /help    this text
  quit, /quit    leave (or exit, or Ctrl-D on an empty line)
Ctrl-C clears the line, or stops an answer that is taking long.`

// greetingReply is the terminal's answer to a greeting (see
// convo.SmallTalk): hello, and how to ask here.
const greetingReply = "Hello! Ask me a question about the news, or type help to see what I can do."

// Interactive reports whether in and out are both terminals, the case in
// which Run edits lines and shows a prompt.
func Interactive(in io.Reader, out io.Writer) bool {
	return IsTerminal(in) && IsTerminal(out)
}

// IsTerminal reports whether v (a reader or writer) is an *os.File on a
// terminal.
func IsTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Run reads questions until end of input, /quit or ctx ends. On a terminal
// it offers line editing and history; otherwise it reads one question per
// line, with no prompt, so it can be scripted.
func (c *Chat) Run(ctx context.Context) error {
	if Interactive(c.in, c.out) {
		return c.runTerminal(ctx)
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
		if c.handle(ctx, sc.Text()) == quit {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("read question: a line is longer than 1 MiB")
		}
		return fmt.Errorf("read question: %w", err)
	}
	return nil
}

// isQuit reports whether line asks to leave the chat.
func isQuit(line string) bool {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "/quit", "/exit", "/q":
		return true
	}
	return convo.SmallTalk(line) == convo.Goodbye
}

// outcome is what handle made of a line.
type outcome int

const (
	handled  outcome = iota // answered, or a command done
	rejected                // a question the bot refused to take (too long, not text): kept out of the history
	quit                    // the user asked to leave
)

// handle answers one line and says what it was.
func (c *Chat) handle(ctx context.Context, line string) outcome {
	out := c.out
	line = strings.TrimSpace(line)
	if c.echo && line != "" {
		fmt.Fprintln(out, prompt+line)
	}
	if isQuit(line) {
		return quit
	}
	if line == "" {
		return handled
	}
	switch convo.SmallTalk(line) {
	case convo.Greeting:
		fmt.Fprintln(out, greetingReply)
		fmt.Fprintln(out)
		return handled
	case convo.Thanks:
		fmt.Fprintln(out, convo.ThanksReply)
		fmt.Fprintln(out)
		return handled
	case convo.Help:
		fmt.Fprintln(out, help)
		fmt.Fprintln(out)
		return handled
	}
	switch strings.ToLower(line) {
	case "/help", "/start":
		fmt.Fprintln(out, help)
		return handled
	case "/sources":
		fmt.Fprintln(out, Sources(c.last))
		return handled
	}
	if strings.HasPrefix(line, "/") {
		fmt.Fprintf(out, "Unknown command %s. Try help.\n", strings.Fields(line)[0])
		return handled
	}
	ans, err := c.ask(ctx, bot.Question{Text: line, Previous: c.previous})
	if err != nil {
		var be *bot.Error
		switch {
		case ctx.Err() == nil && errors.Is(err, context.Canceled):
			fmt.Fprintln(out, "Stopped.")
		case errors.As(err, &be):
			// The user's own mistake (a question too long): the message says
			// it all, so the details stay out of the chat.
			c.log.Debug("ask", "err", err)
			fmt.Fprintln(out, bot.UserMessage(err))
			if errors.Is(err, bot.ErrInvalidQuestion) {
				return rejected
			}
		default:
			c.log.Error("ask", "err", err)
			fmt.Fprintln(out, bot.UserMessage(err))
		}
		return handled
	}
	c.last = ans
	c.previous = append(c.previous, line)
	if len(c.previous) > history {
		c.previous = c.previous[1:]
	}
	fmt.Fprintln(out, RenderStyle(ans, c.style))
	fmt.Fprintln(out)
	return handled
}

// ask asks q under a context that an interrupt cancels, so Ctrl-C stops a
// slow answer without leaving the chat.
func (c *Chat) ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if c.interrupts == nil {
		return c.asker.Ask(ctx, q)
	}
	// An interrupt that arrived between answers is not meant for this one.
	for drained := false; !drained; {
		select {
		case <-c.interrupts:
		default:
			drained = true
		}
	}
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-c.interrupts:
			cancel()
		case <-done:
		}
	}()
	return c.asker.Ask(actx, q)
}
