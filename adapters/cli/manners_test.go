package cli

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// TestChatSmallTalk checks that greetings, thanks, help and quit without
// the slash get what a chat program would say or do, and are never put
// to the news as questions; a question that only starts like small talk
// is still a question.
func TestChatSmallTalk(t *testing.T) {
	tests := []struct {
		line  string
		reply string // what the chat prints; "" for a question put to the bot
		quits bool
	}{
		{"hi", greetingReply + "\n\n", false},
		{"Hello!", greetingReply + "\n\n", false},
		{"thanks!", convo.ThanksReply + "\n\n", false},
		{"Thank you.", convo.ThanksReply + "\n\n", false},
		{"help", help + "\n\n", false},
		{"?", help + "\n\n", false},
		{"hi, when did the dam reopen?", "", false},
		{"quit smoking campaign?", "", false},
		{"why did Brexit mean exit?", "", false},
		{"quit", "", true},
		{"Quit", "", true},
		{"exit", "", true},
		{"bye!", "", true},
		{"/quit", "", true},
	}
	for _, tt := range tests {
		r := &recorder{}
		var out strings.Builder
		got := NewChat(r, strings.NewReader(""), &out, nil).handle(context.Background(), tt.line)
		if (got == quit) != tt.quits {
			t.Errorf("%q: outcome %v, want quit %v", tt.line, got, tt.quits)
		}
		asked := len(r.got) == 1 && r.got[0].Text == tt.line
		switch {
		case tt.quits:
			if len(r.got) > 0 || out.Len() > 0 {
				t.Errorf("%q: leaving asked %+v and printed %q", tt.line, r.got, out.String())
			}
		case tt.reply == "":
			if !asked {
				t.Errorf("%q was not put to the bot as a question (asked %+v)", tt.line, r.got)
			}
		case len(r.got) > 0 || out.String() != tt.reply:
			t.Errorf("%q: asked %+v, printed %q; want %q and no question", tt.line, r.got, out.String(), tt.reply)
		}
	}
}

// TestChatEcho checks that with echo each question is printed, after the
// prompt, before its answer, so a piped transcript reads as a
// conversation.
func TestChatEcho(t *testing.T) {
	var out strings.Builder
	in := strings.NewReader("When did the dam reopen?\n\nthanks\n")
	if err := NewChat(&recorder{}, in, &out, nil, WithEcho(true)).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "? When did the dam reopen?\n> The Kariba dam reopened on Monday.\n— [1] " +
		Citation(quote(article, "The Kariba dam reopened on Monday.")) + "\n\n? thanks\n" + convo.ThanksReply + "\n\n"
	if out.String() != want {
		t.Errorf("echoed chat:\n%q\nwant\n%q", out.String(), want)
	}
}

// TestChatRejectedOutOfHistory checks that a question the bot refuses to
// take (too long) is reported as rejected and is not a follow-up's
// context.
func TestChatRejectedOutOfHistory(t *testing.T) {
	r := &rejecter{}
	c := NewChat(r, strings.NewReader(""), &strings.Builder{}, nil)
	long := strings.Repeat("word ", 600)
	if got := c.handle(context.Background(), long); got != rejected {
		t.Errorf("a 3,000-character question: outcome %v, want rejected", got)
	}
	if got := c.handle(context.Background(), "When did the dam reopen?"); got != handled {
		t.Errorf("a question: outcome %v, want handled", got)
	}
	if len(r.got) != 2 || len(r.got[1].Previous) != 0 {
		t.Errorf("the rejected question became context: %+v", r.got)
	}
}

// rejecter refuses questions of 2,000 characters or more, as the bot does.
type rejecter struct{ recorder }

func (r *rejecter) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if len(q.Text) >= 2000 {
		r.got = append(r.got, q)
		return bot.Answer{}, &bot.Error{Message: "That question is too long.", Err: bot.ErrInvalidQuestion}
	}
	return r.recorder.Ask(ctx, q)
}

// TestWrapWords checks that wrapping breaks lines between words only,
// keeps every word whole and in order, and leaves a fitting line alone.
func TestWrapWords(t *testing.T) {
	s := "Zelensky is scheduled to visit Washington on Monday for discussions with Trump, officials said."
	for _, width := range []int{10, 20, 33, 40, 80} {
		lines := wrap(s, width)
		if strings.Join(lines, " ") != s {
			t.Errorf("width %d: words changed: %q", width, lines)
		}
		for _, l := range lines {
			if utf8.RuneCountInString(l) > width && strings.Contains(l, " ") {
				t.Errorf("width %d: line %q is too wide", width, l)
			}
		}
	}
	if got := wrap("supercalifragilistic word", 8); len(got) != 2 || got[0] != "supercalifragilistic" {
		t.Errorf("a long word: %q", got)
	}
	if got := wrap("  kept  as is ", 0); len(got) != 1 || got[0] != "  kept  as is " {
		t.Errorf("no width: %q", got)
	}
}

// TestRenderTerminalStyle checks the terminal rendering: quotes wrapped at
// word boundaries under "> ", and a refusal's titles without Markdown
// asterisks.
func TestRenderTerminalStyle(t *testing.T) {
	text := "The Kariba dam reopened on Monday after two years of repairs, the operator said in a statement."
	a := &bot.Article{ID: "d", Title: "Dam reopens", Source: "Wire", Text: text}
	ans := bot.Answer{Answered: true, Quotes: []bot.Quote{quote(a, text)}}
	got := RenderStyle(ans, Style{Width: 40, Plain: true})
	var words []string
	for _, l := range strings.Split(got, "\n") {
		if len(l) > 40 {
			t.Errorf("line wider than 40: %q", l)
		}
		if strings.HasPrefix(l, "> ") {
			words = append(words, strings.Fields(l[2:])...)
		}
	}
	if strings.Join(words, " ") != text {
		t.Errorf("the wrapped quote is not the quote:\n%s", got)
	}
	ref := RenderStyle(bot.Answer{Closest: []bot.Citation{{Title: "Dam reopens", Source: "Wire"}}}, Style{Width: 80, Plain: true})
	if strings.Contains(ref, "*") || !strings.Contains(ref, "Dam reopens (Wire)") {
		t.Errorf("terminal refusal: %q", ref)
	}
	if !strings.Contains(Render(bot.Answer{Closest: []bot.Citation{{Title: "Dam reopens"}}}), "*Dam reopens*") {
		t.Errorf("the plain-text refusal lost its emphasis")
	}
}
