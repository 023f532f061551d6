package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"newsbot/bot"
)

// slowAsker blocks on questions containing "slow" until their context
// ends, telling started when it begins waiting.
type slowAsker struct {
	recorder
	started chan struct{}
}

func (s *slowAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if strings.Contains(q.Text, "slow") {
		close(s.started)
		<-ctx.Done()
		return bot.Answer{}, fmt.Errorf("search: %w", ctx.Err())
	}
	return s.recorder.Ask(ctx, q)
}

// TestChatInterruptStopsAnswer checks that an interrupt cancels only the
// answer in progress: the chat says so and answers the next question.
func TestChatInterruptStopsAnswer(t *testing.T) {
	a := &slowAsker{started: make(chan struct{})}
	intr := make(chan os.Signal, 1)
	go func() {
		<-a.started
		intr <- os.Interrupt
	}()
	var out strings.Builder
	in := strings.NewReader("a slow question\nWhen did the dam reopen?\n")
	if err := NewChat(a, in, &out, nil, WithInterrupts(intr)).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "Stopped.\n") || !strings.Contains(got, "The Kariba dam reopened on Monday.") {
		t.Errorf("chat output:\n%s", got)
	}
	if len(a.got) != 1 || a.got[0].Text != "When did the dam reopen?" {
		t.Errorf("questions after the interrupt: %+v", a.got)
	}
}

// TestChatUserErrorsNotLogged checks that a user's mistake (a question
// too long) is answered with its message and leaves no log line in the
// chat, while the piped chat prints no prompt or escape code.
func TestChatUserErrorsNotLogged(t *testing.T) {
	var logs, out strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := NewChat(&recorder{}, strings.NewReader("boom\n"), &out, log).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if out.String() != "That question is too long.\n" {
		t.Errorf("chat output %q", out.String())
	}
	if logs.Len() != 0 {
		t.Errorf("a user error was logged in the chat: %s", logs.String())
	}
}

// TestChatPipedPlain checks the piped chat: no banner, no prompt, no
// escape code, only the answers, one per question line.
func TestChatPipedPlain(t *testing.T) {
	var out strings.Builder
	in := strings.NewReader("When did the dam reopen?\n/quit\n")
	if err := NewChat(&recorder{}, in, &out, nil).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "> The Kariba dam reopened on Monday.\n— [1] " + Citation(quote(article, "The Kariba dam reopened on Monday.")) + "\n\n"
	if out.String() != want {
		t.Errorf("piped chat printed %q, want %q", out.String(), want)
	}
}

// TestRenderRefusalNote checks that a refusal with a Note shows NoAnswer
// and the note, and no closest article.
func TestRenderRefusalNote(t *testing.T) {
	ans := bot.Answer{Note: bot.NotEnglishNote, Closest: []bot.Citation{{Title: "Dam opens"}}}
	if got := Render(ans); got != bot.NoAnswer+" "+bot.NotEnglishNote {
		t.Errorf("Render = %q", got)
	}
}
