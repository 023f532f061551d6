package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"newsbot/adapters/internal/convo"
	"newsbot/adapters/internal/followtest"
	"newsbot/bot"
	"newsbot/internal/golden"
)

// startFollowing runs an adapter with a fake Follower.
func startFollowing(t *testing.T, cfg Config) (*harness, *followtest.Follower) {
	t.Helper()
	ff := followtest.New(march5)
	return start(t, cfg, WithFollower(ff)), ff
}

// linksOf returns the hrefs of the links in an HTML message.
func linksOf(t *testing.T, html string) []string {
	t.Helper()
	p, err := parseTelegramHTML(html)
	if err != nil {
		t.Fatalf("Telegram would reject %q: %v", html, err)
	}
	var out []string
	for _, l := range p.Links {
		out = append(out, l.Href)
	}
	return out
}

func TestFollowCommandsPrivate(t *testing.T) {
	h, ff := startFollowing(t, Config{})
	q := melonisQuote(t)
	ff.Best("Meloni budget", q)
	ff.Add(bot.Follow{Chat: chatOf(alice), Query: "Italian <taxes> & budgets", LastPush: march2})

	_, got := h.ask(privateMsg(alice, "/follow   Meloni budget"), 1)
	if got.ChatID != alice || got.ReplyTo != 0 {
		t.Errorf("sent %+v, want a message to chat %d", got, alice)
	}
	golden.Check(t, "follow_confirm", got.Text)
	if links := linksOf(t, got.Text); !slices.Equal(links, []string{q.Link()}) || !strings.Contains(links[0], "#:~:text=") {
		t.Errorf("confirmation links %q, want the quote's text-fragment link", links)
	}
	_, got = h.ask(privateMsg(alice, "/follow Ukraine talks daily 08:00 Europe/London"), 2)
	golden.Check(t, "follow_none", got.Text)
	_, got = h.ask(privateMsg(alice, "/following"), 3)
	golden.Check(t, "following", got.Text)
	_, got = h.ask(privateMsg(alice, "/unfollow 1"), 4)
	if got.Text != "Stopped follow number 1. /following lists the rest." {
		t.Errorf("/unfollow 1: %q", got.Text)
	}
	_, got = h.ask(privateMsg(alice, "/following"), 5)
	if !strings.Contains(got.Text, "1. “Meloni budget” — last push: never\n2. “Ukraine talks”") {
		t.Errorf("/following after /unfollow 1: %q", got.Text)
	}
	_, got = h.ask(privateMsg(alice, "/unfollow all"), 6)
	if got.Text != "Stopped all 2 follows in this chat." {
		t.Errorf("/unfollow all: %q", got.Text)
	}
	_, got = h.ask(privateMsg(alice, "/unfollow"), 7)
	if got.Text != escapeText(convo.UnfollowUsage) {
		t.Errorf("/unfollow alone: %q", got.Text)
	}
	_, got = h.ask(privateMsg(alice, "/follow"), 8)
	if got.Text != escapeText(convo.FollowUsage) {
		t.Errorf("/follow alone: %q", got.Text)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`Follow(telegram:111 "Meloni budget" n=0 all=false)`,
		`Follow(telegram:111 "Ukraine talks daily 08:00 Europe/London" n=0 all=false)`,
		`Following(telegram:111 "" n=0 all=false)`,
		`Unfollow(telegram:111 "" n=1 all=false)`,
		`Following(telegram:111 "" n=0 all=false)`,
		`Unfollow(telegram:111 "" n=0 all=true)`,
	}
	if got := ff.CallStrings(); !slices.Equal(got, want) {
		t.Errorf("Follower calls\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(h.asker.questions()) != 0 {
		t.Errorf("follow commands were asked as questions: %+v", h.asker.questions())
	}
	h.api.mu.Lock()
	menu := h.api.commands
	h.api.mu.Unlock()
	if want := []string{"ask", "sources", "follow", "following", "unfollow", "help"}; !slices.Equal(menu, want) {
		t.Errorf("command menu %q, want %q", menu, want)
	}
}

func TestFollowCommandsInGroup(t *testing.T) {
	h, ff := startFollowing(t, Config{})
	ff.Best("Meloni budget", melonisQuote(t))
	// Not for this bot.
	h.api.push(groupMsg(group, bob, "/follow@otherbot Meloni budget"))
	h.api.push(groupMsg(group, bob, "/following@newsbot_botx"))

	steps := []string{
		"/follow@newsbot_bot Meloni budget",
		"/following@NewsBot_Bot",
		"/follow @newsbot_bot  Ukraine",
		"/unfollow@newsbot_bot all",
	}
	var sent []sentMessage
	for i, s := range steps {
		m, got := h.ask(groupMsg(group, bob, s), i+1)
		if got.ChatID != group || got.ReplyTo != m.ID {
			t.Errorf("step %d: sent to %d replying to %d, want %d replying to %d", i+1, got.ChatID, got.ReplyTo, group, m.ID)
		}
		sent = append(sent, got)
	}
	if !strings.HasPrefix(sent[0].Text, "Following “Meloni budget” in this chat.") || !strings.Contains(sent[0].Text, "<blockquote>") {
		t.Errorf("group /follow: %q", sent[0].Text)
	}
	if !strings.Contains(sent[1].Text, "1. “Meloni budget”") {
		t.Errorf("group /following: %q", sent[1].Text)
	}
	if sent[3].Text != "Stopped all 2 follows in this chat." {
		t.Errorf("group /unfollow all: %q", sent[3].Text)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`Follow(telegram:-1001 "Meloni budget" n=0 all=false)`,
		`Following(telegram:-1001 "" n=0 all=false)`,
		`Follow(telegram:-1001 "Ukraine" n=0 all=false)`,
		`Unfollow(telegram:-1001 "" n=0 all=true)`,
	}
	if got := ff.CallStrings(); !slices.Equal(got, want) {
		t.Errorf("Follower calls\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if all, _ := h.api.snapshot(); len(all) != len(steps) {
		t.Errorf("sent %d messages, want %d: another bot's command was answered", len(all), len(steps))
	}
}

func TestFollowNotEnabled(t *testing.T) {
	h := start(t, Config{})
	for i, cmd := range []string{"/follow Meloni budget", "/following", "/unfollow 1"} {
		if _, got := h.ask(privateMsg(alice, cmd), i+1); got.Text != escapeText(convo.NotEnabled) {
			t.Errorf("%s without a Follower: %q", cmd, got.Text)
		}
	}
	h.api.mu.Lock()
	menu := h.api.commands
	h.api.mu.Unlock()
	if slices.Contains(menu, "follow") {
		t.Errorf("command menu %q offers /follow, which is not enabled", menu)
	}
}

func TestFollowCommandsGuarded(t *testing.T) {
	h, ff := startFollowing(t, Config{AllowedUsers: []int64{alice}, RatePerMinute: 1})
	_, got := h.ask(privateMsg(eve, "/follow Meloni budget"), 1)
	if got.Text != escapeText(renderRefusal(eve)) {
		t.Errorf("/follow outside the allowlist: %q", got.Text)
	}
	h.api.push(groupMsg(-1002, eve, "/following@newsbot_bot")) // silence in groups
	h.ask(privateMsg(alice, "/following"), 2)
	_, got = h.ask(privateMsg(alice, "/unfollow all"), 3)
	if !strings.HasPrefix(got.Text, "You're asking faster than I can read") {
		t.Errorf("a second command within the minute got %q, want the rate-limit notice", got.Text)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if got := ff.CallStrings(); !slices.Equal(got, []string{`Following(telegram:111 "" n=0 all=false)`}) {
		t.Errorf("Follower calls %q: only the admitted command may reach it", got)
	}
}

func TestPusherDelivers(t *testing.T) {
	h := start(t, Config{})
	p := h.a.Pusher()
	f := bot.Follow{ID: 4, Chat: chatOf(alice), Query: "Meloni & the <budget>"}
	q := melonisQuote(t)
	if err := p.Push(context.Background(), f, followtest.Pushes(f, q)); err != nil {
		t.Fatal(err)
	}
	got := h.api.waitSent(1)[0]
	if got.ChatID != alice || got.ReplyTo != 0 || !got.PreviewDisabled {
		t.Errorf("push sent as %+v", got)
	}
	golden.Check(t, "push_one", got.Text)
	parsed := checkMessages(t, []string{got.Text}, maxMessageUTF16)[0]
	if !slices.Equal(parsed.Quotes, []string{q.Text}) {
		t.Errorf("pushed quotes %q, want %q", parsed.Quotes, q.Text)
	}
	if links := linksOf(t, got.Text); len(links) != 1 || links[0] != q.Link() || !strings.HasPrefix(links[0], romeArticle.URL+"#:~:text=") {
		t.Errorf("push links %q, want the quote's text-fragment link %q", links, q.Link())
	}

	digest := followtest.Pushes(f, q, zelenskysQuote(t), quoteOf(t, scriptArticle, `They said 3 < 4 && 5 > 2 is how the filter failed.`))
	if err := p.Push(context.Background(), f, digest); err != nil {
		t.Fatal(err)
	}
	got = h.api.waitSent(2)[1]
	golden.Check(t, "push_digest", got.Text)
	if links := linksOf(t, got.Text); len(links) != 3 || links[2] != digest[2].Quote.Link() {
		t.Errorf("digest links %q", links)
	}
}

func TestPusherChatGone(t *testing.T) {
	api := newFakeAPI(t)
	var logs syncBuffer
	p, err := NewPusher(Config{Token: testToken, APIURL: api.srv.URL}, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	f := bot.Follow{ID: 1, Chat: chatOf(bob), Query: "q"}
	ps := followtest.Pushes(f, zelenskysQuote(t))
	ctx := context.Background()

	// Without Run: a push-only client still delivers.
	if err := p.Push(ctx, f, ps); err != nil {
		t.Fatalf("push: %v", err)
	}
	if sent := api.waitSent(1); sent[0].ChatID != bob {
		t.Errorf("pushed to %d, want %d", sent[0].ChatID, bob)
	}
	api.mu.Lock()
	api.forbidden = 1
	api.mu.Unlock()
	if err := p.Push(ctx, f, ps); !errors.Is(err, bot.ErrChatGone) {
		t.Errorf("403 blocked: err %v, want ErrChatGone", err)
	}
	api.mu.Lock()
	api.failSends = 1
	api.mu.Unlock()
	if err := p.Push(ctx, f, ps); !errors.Is(err, bot.ErrChatGone) || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("400 chat not found: err %v, want ErrChatGone", err)
	}
	other := f
	other.Chat = bot.Chat{Platform: "discord", ID: "600000000000000001"}
	if err := p.Push(ctx, other, ps); err == nil || errors.Is(err, bot.ErrChatGone) {
		t.Errorf("push to a Discord chat: err %v, want a plain error", err)
	}
	if err := p.Push(ctx, f, nil); err != nil {
		t.Errorf("no pushes: %v", err)
	}
	if sent, _ := api.snapshot(); len(sent) != 1 {
		t.Errorf("%d messages delivered, want 1", len(sent))
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("log reveals the token:\n%s", logs.String())
	}
}

func TestChatGone(t *testing.T) {
	tests := []struct {
		err  error
		gone bool
	}{
		{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tgbot.ErrorForbidden), true},
		{fmt.Errorf("%w, Forbidden: bot was kicked from the supergroup chat", tgbot.ErrorForbidden), true},
		{fmt.Errorf("%w, Bad Request: chat not found", tgbot.ErrorBadRequest), true},
		{fmt.Errorf("%w, Bad Request: message is too long", tgbot.ErrorBadRequest), false},
		{&tgbot.TooManyRequestsError{Message: "Too Many Requests", RetryAfter: 5}, false},
		{errors.New("connection reset by peer"), false},
	}
	for _, tt := range tests {
		if got := chatGone(tt.err); got != tt.gone {
			t.Errorf("chatGone(%v) = %v, want %v", tt.err, got, tt.gone)
		}
	}
}

func TestRenderPushSplits(t *testing.T) {
	long := longArticle()
	f := bot.Follow{ID: 2, Chat: chatOf(alice), Query: "markets"}
	ps := followtest.Pushes(f, quoteOf(t, long, long.Text), melonisQuote(t), quoteOf(t, long, "Short opening sentence."))
	for _, limit := range []int{500, maxMessageUTF16} {
		msgs := renderPush(f, ps, limit)
		parsed := checkMessages(t, msgs, limit)
		var want strings.Builder
		for _, p := range ps {
			want.WriteString(p.Quote.Text)
		}
		if got := quotedText(parsed); got != want.String() {
			t.Errorf("limit %d: quotes altered by splitting", limit)
		}
		if len(msgs) < 2 || !strings.HasPrefix(msgs[0], "3 new quotes on your follow “markets”:") {
			t.Errorf("limit %d: %d messages starting %q", limit, len(msgs), msgs[0][:min(60, len(msgs[0]))])
		}
	}
}

func TestRenderReplyGolden(t *testing.T) {
	fs := []bot.Follow{
		{Query: "Meloni budget", LastPush: time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC)},
		{Query: "rates <&> \"hikes\"", Daily: "08:00", Zone: "Europe/London"},
	}
	ff := followtest.New(march5)
	for _, fl := range fs {
		ff.Add(bot.Follow{Chat: chatOf(alice), Query: fl.Query, LastPush: fl.LastPush, Daily: fl.Daily, Zone: fl.Zone})
	}
	r := convo.Follows{Follower: ff}.Run(context.Background(), slog.New(slog.DiscardHandler), chatOf(alice), convo.Following, "")
	msgs := renderReply(r, maxMessageUTF16)
	checkMessages(t, msgs, maxMessageUTF16)
	golden.Check(t, "following_escaped", strings.Join(msgs, messageBreak))
}
