package convo

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/internal/followtest"
	"newsbot/bot"
)

func TestFollowWords(t *testing.T) {
	tests := []struct {
		text string
		cmd  FollowCommand
		args string
	}{
		{"follow Ukraine security guarantees", Follow, "Ukraine security guarantees"},
		{"  FOLLOW   rates daily 08:00 Europe/London ", Follow, "rates daily 08:00 Europe/London"},
		{"follow", Follow, ""},
		{"following", Following, ""},
		{"Following the vote, who won?", NotFollow, ""},
		{"unfollow 2", Unfollow, "2"},
		{"unfollow all", Unfollow, "all"},
		{"follow-up on the budget?", NotFollow, ""},
		{"who follows the rules?", NotFollow, ""},
		{"", NotFollow, ""},
	}
	for _, tt := range tests {
		cmd, args := FollowWords(tt.text)
		if cmd != tt.cmd || args != tt.args {
			t.Errorf("FollowWords(%q) = %d, %q; want %d, %q", tt.text, cmd, args, tt.cmd, tt.args)
		}
	}
}

func TestFollowsRun(t *testing.T) {
	ctx := context.Background()
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	chat := bot.Chat{Platform: "test", ID: "c1"}
	now := time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC)
	fl := followtest.New(now)
	a := &bot.Article{ID: "a", Title: "T", URL: "https://example.com/a", Text: "Rates will fall in June."}
	fl.Best("interest rates", bot.NewQuote(a, bot.Span{Start: 0, End: len(a.Text)}, 1))
	pushed := fl.Add(bot.Follow{Chat: chat, Query: "older", LastPush: time.Date(2026, 3, 4, 7, 5, 0, 0, time.UTC), Daily: "08:00", Zone: "Europe/London"})
	fl.Add(bot.Follow{Chat: bot.Chat{Platform: "test", ID: "other"}, Query: "another chat's"})
	f := Follows{Follower: fl, Scrub: func(s string) string { return strings.ReplaceAll(s, "SECRET", "<token>") }}

	steps := []struct {
		cmd        FollowCommand
		args       string
		want       string
		wantAnswer bool
	}{
		{Follow, "  ", FollowUsage, false},
		{Follow, "interest   rates", "Following “interest rates” in this chat. I'll post new quotes that answer it as articles arrive, at most 3 an hour; the rest come in a digest at the start of the next hour.\n\nThe best quote so far:", true},
		{Follow, "Ukraine daily 08:00 Europe/London", "Following “Ukraine” in this chat. I'll post new quotes that answer it as articles arrive, at most 3 an hour; the rest come in a digest every day at 08:00 Europe/London.\n\nNothing in the news answers it yet.", false},
		{Following, "", "Followed in this chat:\n1. “older” (digest daily at 08:00 Europe/London) — last push: 4 March 2026, 07:05 GMT\n2. “interest rates” — last push: never\n3. “Ukraine” (digest daily at 08:00 Europe/London) — last push: never\n\nStop one with /unfollow and its number, or all with /unfollow all.", false},
		{Unfollow, "", UnfollowUsage, false},
		{Unfollow, "0", UnfollowUsage, false},
		{Unfollow, "two", UnfollowUsage, false},
		{Unfollow, "9", "There is no follow number 9 in this chat; /following lists them.", false},
		{Unfollow, "#1", "Stopped follow number 1. /following lists the rest.", false},
		{Unfollow, "ALL", "Stopped all 2 follows in this chat.", false},
		{Unfollow, "all", "Nothing was followed in this chat.", false},
		{Following, "", "Nothing is followed in this chat. Start with /follow and a topic or question.", false},
	}
	for i, s := range steps {
		r := f.Run(ctx, log, chat, s.cmd, s.args)
		if r.Text != s.want {
			t.Errorf("step %d: reply\n%q\nwant\n%q", i+1, r.Text, s.want)
		}
		if (r.Answer != nil) != s.wantAnswer {
			t.Errorf("step %d: answer %+v, want one: %v", i+1, r.Answer, s.wantAnswer)
		}
	}
	if r := f.Run(ctx, log, chat, Follow, "interest rates"); r.Answer == nil || r.Answer.Quotes[0].Text != a.Text {
		t.Errorf("the best quote is not the Follower's: %+v", r.Answer)
	}
	got := fl.CallStrings()
	want := []string{
		`Follow(test:c1 "interest rates" n=0 all=false)`,
		`Follow(test:c1 "Ukraine daily 08:00 Europe/London" n=0 all=false)`,
		`Following(test:c1 "" n=0 all=false)`,
		`Unfollow(test:c1 "" n=9 all=false)`,
		`Unfollow(test:c1 "" n=1 all=false)`,
		`Unfollow(test:c1 "" n=0 all=true)`,
		`Unfollow(test:c1 "" n=0 all=true)`,
		`Following(test:c1 "" n=0 all=false)`,
		`Follow(test:c1 "interest rates" n=0 all=false)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rest := fl.Follows(); len(rest) != 2 || rest[0].Chat.ID != "other" || rest[0].ID == pushed.ID {
		t.Errorf("follows left %+v: another chat's must stay", rest)
	}

	// Failures: the user gets the error's user message, the log the details
	// without secrets.
	fl.Fail("Follow", &bot.Error{Message: "This chat follows 10 stories already; /unfollow one first.", Err: errors.New("limit SECRET")})
	fl.Fail("Following", errors.New("db down SECRET"))
	if r := f.Run(ctx, log, chat, Follow, "x"); r.Text != "This chat follows 10 stories already; /unfollow one first." {
		t.Errorf("limit reply %q", r.Text)
	}
	if r := f.Run(ctx, log, chat, Following, ""); r.Text != bot.UserMessage(errors.New("")) {
		t.Errorf("failure reply %q", r.Text)
	}
	if strings.Contains(logs.String(), "SECRET") || !strings.Contains(logs.String(), "db down <token>") {
		t.Errorf("log:\n%s", logs.String())
	}

	// Without a Follower every command says so.
	for _, cmd := range []FollowCommand{Follow, Following, Unfollow} {
		if r := (Follows{}).Run(ctx, log, chat, cmd, "1"); r.Text != NotEnabled || r.Answer != nil {
			t.Errorf("command %d without a Follower: %+v", cmd, r)
		}
	}
}

func TestPush(t *testing.T) {
	a := &bot.Article{ID: "a", Title: "T", URL: "https://example.com/a", Text: "One. Two."}
	q1 := bot.NewQuote(a, bot.Span{Start: 0, End: 4}, 1)
	q2 := bot.NewQuote(a, bot.Span{Start: 5, End: 9}, 1)
	f := bot.Follow{ID: 7, Query: "  the   story "}
	one := Push(f, []bot.Push{{FollowID: 7, Quote: q1}})
	if one.Text != "New on your follow “the story”:" || len(one.Answer.Quotes) != 1 || !one.Answer.Answered {
		t.Errorf("one push: %+v", one)
	}
	two := Push(bot.Follow{ID: 7}, []bot.Push{{Query: "from the push", Quote: q1}, {Quote: q2}})
	if two.Text != "2 new quotes on your follow “from the push”:" || len(two.Answer.Quotes) != 2 || two.Answer.Quotes[1].Text != "Two." {
		t.Errorf("digest: %+v", two)
	}
}
