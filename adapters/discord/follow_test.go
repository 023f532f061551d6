package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbot/adapters/internal/convo"
	"newsbot/adapters/internal/followtest"
	"newsbot/bot"
	"newsbot/internal/golden"
)

const fisheries = "fisheries vote"

// startFollowing runs an adapter with a fake Follower that knows the best
// quote for fisheries.
func startFollowing(t *testing.T, f *fakeDiscord, edit func(*Config)) (*running, *followtest.Follower, bot.Quote) {
	t.Helper()
	ff := followtest.New(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	q := quote(t, artProposal, "A final vote is expected in June.")
	ff.Best(fisheries, q)
	return start(t, f, newFakeAsker(), edit, WithFollower(ff)), ff, q
}

// interactionReply waits for interaction id's callback and returns it.
func interactionReply(t *testing.T, f *fakeDiscord, id string) callback {
	t.Helper()
	var c callback
	f.waitRequests(1, "POST", `^/interactions/`+id+`/[^/]+/callback$`)[0].JSON(t, &c)
	return c
}

func opt(name, value string) map[string]any {
	return map[string]any{"name": name, "type": 3, "value": value}
}

func TestFollowSlashCommands(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	r, ff, q := startFollowing(t, f, nil)

	var cmds []struct {
		Name    string
		Options []struct {
			Name     string
			Required bool
		}
	}
	f.requests("PUT", `^/applications/`+fakeAppID+`/commands$`)[0].JSON(t, &cmds)
	var names []string
	for _, c := range cmds {
		var opts []string
		for _, o := range c.Options {
			opts = append(opts, fmt.Sprintf("%s:%v", o.Name, o.Required))
		}
		names = append(names, c.Name+"("+strings.Join(opts, ",")+")")
	}
	want := []string{"ask(question:true)", "sources()", "help()", "follow(topic:true,daily:false)", "following()", "unfollow(which:true)"}
	if !slices.Equal(names, want) {
		t.Fatalf("registered %q, want %q", names, want)
	}

	// /follow defers, then answers in the channel with the best quote.
	f.dispatch("INTERACTION_CREATE", cmdEvent("810000000000000001", guildID, channelID, alice, "follow", opt(optTopic, "  "+fisheries+" ")))
	if c := interactionReply(t, f, "810000000000000001"); c.Type != 5 {
		t.Fatalf("/follow first response type %d, want 5 (deferred)", c.Type)
	}
	edits := decodeSent(t, f.waitRequests(1, "PATCH", `@original$`))
	golden.Check(t, "follow_confirm", edits[0].Content)
	if !strings.Contains(edits[0].Content, "(<"+q.Link()+">)") || !strings.Contains(q.Link(), "#:~:text=") {
		t.Errorf("confirmation lacks the quote's text-fragment link %s", q.Link())
	}
	checkNoPings(t, edits[0], false)

	f.dispatch("INTERACTION_CREATE", cmdEvent("810000000000000002", guildID, channelID, bob, "follow",
		opt(optTopic, "Danish *presidency*"), opt(optDaily, "08:00 Europe/Copenhagen")))
	edits = decodeSent(t, f.waitRequests(2, "PATCH", `@original$`))
	golden.Check(t, "follow_none", edits[1].Content)

	// /following is for its user's eyes only.
	f.dispatch("INTERACTION_CREATE", cmdEvent("810000000000000003", guildID, channelID, alice, "following"))
	c := interactionReply(t, f, "810000000000000003")
	if c.Type != 4 || c.Data == nil || c.Data.Flags&64 == 0 {
		t.Fatalf("/following = %+v, want an ephemeral message", c)
	}
	golden.Check(t, "following", c.Data.Content)

	f.dispatch("INTERACTION_CREATE", cmdEvent("810000000000000004", guildID, channelID, alice, "unfollow", opt(optWhich, "1")))
	if c := interactionReply(t, f, "810000000000000004"); c.Data == nil || c.Data.Flags&64 != 0 || c.Data.Content != "Stopped follow number 1. /following lists the rest." {
		t.Errorf("/unfollow 1 = %+v, want it in the channel", c.Data)
	}
	f.dispatch("INTERACTION_CREATE", cmdEvent("810000000000000005", guildID, channelID, alice, "unfollow", opt(optWhich, "All")))
	if c := interactionReply(t, f, "810000000000000005"); c.Data == nil || c.Data.Content != "Stopped the one follow in this chat." {
		t.Errorf("/unfollow all = %+v", c.Data)
	}
	f.dispatch("INTERACTION_CREATE", cmdEvent("810000000000000006", guildID, channelID, alice, "unfollow", opt(optWhich, "first")))
	if c := interactionReply(t, f, "810000000000000006"); c.Data == nil || c.Data.Content != escape(convo.UnfollowUsage) {
		t.Errorf("/unfollow first = %+v", c.Data)
	}
	r.stop(t)
	wantCalls := []string{
		`Follow(discord:` + channelID + ` "fisheries vote" n=0 all=false)`,
		`Follow(discord:` + channelID + ` "Danish *presidency* daily 08:00 Europe/Copenhagen" n=0 all=false)`,
		`Following(discord:` + channelID + ` "" n=0 all=false)`,
		`Unfollow(discord:` + channelID + ` "" n=1 all=false)`,
		`Unfollow(discord:` + channelID + ` "" n=0 all=true)`,
	}
	if got := ff.CallStrings(); !slices.Equal(got, wantCalls) {
		t.Errorf("Follower calls\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantCalls, "\n"))
	}
}

func TestFollowMentionForm(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	r, ff, q := startFollowing(t, f, nil)
	mention := "<@" + fakeBotID + "> "
	steps := []struct{ id, text string }{
		{"710000000000000001", mention + "follow " + fisheries},
		{"710000000000000002", mention + " Following "},
		{"710000000000000003", mention + "unfollow 1"},
		{"710000000000000004", mention + "unfollow all"},
		{"710000000000000005", mention + "follow"},
	}
	for i, s := range steps {
		f.dispatch("MESSAGE_CREATE", msgEvent(s.id, guildID, channelID, alice, s.text, botUsr))
		msgs := decodeSent(t, f.waitRequests(i+1, "POST", `^/channels/`+channelID+`/messages$`))
		if ref := msgs[i].Reference; ref == nil || ref.MessageID != s.id {
			t.Errorf("step %d: reply references %+v, want %s", i+1, ref, s.id)
		}
		checkNoPings(t, msgs[i], true)
	}
	msgs := decodeSent(t, f.requests("POST", `^/channels/`+channelID+`/messages$`))
	if want := renderReply(convo.Reply{Text: "x", Answer: &bot.Answer{Answered: true, Quotes: []bot.Quote{q}}})[0]; !strings.HasSuffix(msgs[0].Content, strings.TrimPrefix(want, "x")) {
		t.Errorf("mention follow = %q, want the best quote rendered as an answer", msgs[0].Content)
	}
	if !strings.HasPrefix(msgs[1].Content, "Followed in this chat:\n1\\. “fisheries vote” — last push: never") {
		t.Errorf("mention following = %q", msgs[1].Content)
	}
	if msgs[3].Content != "Nothing was followed in this chat." || msgs[4].Content != escape(convo.FollowUsage) {
		t.Errorf("unfollow all = %q, follow alone = %q", msgs[3].Content, msgs[4].Content)
	}
	// In a DM the words alone are the command, for the DM channel.
	f.dispatch("MESSAGE_CREATE", msgEvent("710000000000000006", "", dmChannel, bob, "follow "+fisheries))
	f.waitRequests(1, "POST", `^/channels/`+dmChannel+`/messages$`)
	r.stop(t)
	want := []string{
		`Follow(discord:` + channelID + ` "fisheries vote" n=0 all=false)`,
		`Following(discord:` + channelID + ` "" n=0 all=false)`,
		`Unfollow(discord:` + channelID + ` "" n=1 all=false)`,
		`Unfollow(discord:` + channelID + ` "" n=0 all=true)`,
		`Follow(discord:` + dmChannel + ` "fisheries vote" n=0 all=false)`,
	}
	if got := ff.CallStrings(); !slices.Equal(got, want) {
		t.Errorf("Follower calls\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if qs := r.asker.questions(); len(qs) != 0 {
		t.Errorf("follow commands were asked as questions: %+v", qs)
	}
}

func TestFollowNotEnabled(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	r := start(t, f, newFakeAsker(), nil)
	f.dispatch("MESSAGE_CREATE", msgEvent("720000000000000001", guildID, channelID, alice, "<@"+fakeBotID+"> follow "+fisheries, botUsr))
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`))
	if msgs[0].Content != escape(convo.NotEnabled) {
		t.Errorf("mention follow without a Follower = %q", msgs[0].Content)
	}
	f.dispatch("INTERACTION_CREATE", cmdEvent("820000000000000001", guildID, channelID, alice, "following"))
	if c := interactionReply(t, f, "820000000000000001"); c.Data == nil || c.Data.Content != escape(convo.NotEnabled) {
		t.Errorf("/following without a Follower = %+v", c.Data)
	}
	r.stop(t)
	if qs := r.asker.questions(); len(qs) != 0 {
		t.Errorf("asked %+v", qs)
	}
}

func TestFollowCommandsGuarded(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	r, ff, _ := startFollowing(t, f, func(c *Config) { c.AllowedChannels = []string{channelID}; c.RatePerMinute = 1 })
	const elsewhere = "600000000000000002"
	f.dispatch("INTERACTION_CREATE", cmdEvent("830000000000000001", guildID, elsewhere, alice, "follow", opt(optTopic, fisheries)))
	if c := interactionReply(t, f, "830000000000000001"); c.Data == nil || c.Data.Content != notHere || c.Data.Flags&64 == 0 {
		t.Errorf("/follow outside the allowlist = %+v", c.Data)
	}
	f.dispatch("MESSAGE_CREATE", msgEvent("730000000000000001", guildID, elsewhere, alice, "<@"+fakeBotID+"> follow x", botUsr))
	r.logs.waitFor(t, `ignoring message outside the allowlist`)

	f.dispatch("INTERACTION_CREATE", cmdEvent("830000000000000002", guildID, channelID, alice, "following"))
	interactionReply(t, f, "830000000000000002")
	f.dispatch("INTERACTION_CREATE", cmdEvent("830000000000000003", guildID, channelID, alice, "unfollow", opt(optWhich, "all")))
	if c := interactionReply(t, f, "830000000000000003"); c.Data == nil || !strings.HasPrefix(c.Data.Content, "You're asking questions faster") {
		t.Errorf("second command within the minute = %+v, want the rate-limit notice", c.Data)
	}
	r.stop(t)
	if got := ff.CallStrings(); !slices.Equal(got, []string{`Following(discord:` + channelID + ` "" n=0 all=false)`}) {
		t.Errorf("Follower calls %q: only the admitted command may reach it", got)
	}
	if n := len(f.requests("POST", `^/channels/`+elsewhere+`/messages$`)); n != 0 {
		t.Errorf("%d messages sent outside the allowlist", n)
	}
}

func TestPusherPostsInChannel(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	r := start(t, f, newFakeAsker(), nil)
	p := r.a.Pusher()
	fl := bot.Follow{ID: 3, Chat: chatOf(channelID), Query: "the @everyone *vote*"}
	q := quote(t, artProposal, "The proposal was confirmed by the Danish presidency on Friday.")
	if err := p.Push(context.Background(), fl, followtest.Pushes(fl, q)); err != nil {
		t.Fatal(err)
	}
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`))
	golden.Check(t, "push_one", showMessages([]string{msgs[0].Content}))
	if got := quotedTexts(msgs[0].Content); !slices.Equal(got, []string{q.Text}) {
		t.Errorf("pushed quotes %q, want %q", got, q.Text)
	}
	if !strings.Contains(msgs[0].Content, "(<"+q.Link()+">)") || !strings.HasPrefix(q.Link(), artProposal.URL+"#:~:text=") {
		t.Errorf("push lacks the text-fragment link %s:\n%s", q.Link(), msgs[0].Content)
	}
	if msgs[0].Reference != nil || msgs[0].Flags&int(discordgo.MessageFlagsSuppressEmbeds) == 0 {
		t.Errorf("push sent as a reply or with embeds: %+v", msgs[0])
	}
	checkNoPings(t, msgs[0], false)

	_, long := longArticle(t, 40)
	digest := followtest.Pushes(fl, q, long, quote(t, artHostile, artHostile.Text))
	if err := p.Push(context.Background(), fl, digest); err != nil {
		t.Fatal(err)
	}
	want := renderPush(fl, digest)
	msgs = decodeSent(t, f.waitRequests(1+len(want), "POST", `^/channels/`+channelID+`/messages$`))[1:]
	var got []string
	for _, m := range msgs {
		got = append(got, m.Content)
		if loc := mentionRE.FindStringIndex(m.Content); loc != nil {
			t.Errorf("digest has an unescaped mention %q", m.Content[loc[0]:loc[1]])
		}
	}
	if len(want) < 2 || !slices.Equal(got, want) {
		t.Errorf("digest arrived as %d messages, want the %d rendered", len(got), len(want))
	}
	golden.Check(t, "push_digest", showMessages(got))
}

func TestPusherChannelGone(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	p, err := NewPusher(Config{Token: f.token, APIURL: f.apiURL()}, WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	q := quote(t, artProposal, "A final vote is expected in June.")
	tests := []struct {
		channel string
		code    int
		gone    bool
	}{
		{"600000000000000011", 0, false},
		{"600000000000000012", discordgo.ErrCodeUnknownChannel, true},
		{"600000000000000013", discordgo.ErrCodeMissingAccess, true},
		{"600000000000000014", discordgo.ErrCodeCannotSendMessagesToThisUser, true},
		{"600000000000000015", discordgo.ErrCodeMissingPermissions, false},
	}
	f.mu.Lock()
	for _, tt := range tests {
		if tt.code != 0 {
			f.gone[tt.channel] = tt.code
		}
	}
	f.mu.Unlock()
	for _, tt := range tests {
		fl := bot.Follow{ID: 1, Chat: chatOf(tt.channel), Query: "q"}
		err := p.Push(context.Background(), fl, followtest.Pushes(fl, q))
		switch {
		case tt.code == 0 && err != nil:
			t.Errorf("channel %s: %v", tt.channel, err)
		case tt.code != 0 && (err == nil || errors.Is(err, bot.ErrChatGone) != tt.gone):
			t.Errorf("code %d: err %v, want gone %v", tt.code, err, tt.gone)
		case err != nil && strings.Contains(err.Error(), f.token):
			t.Errorf("error reveals the token: %v", err)
		}
	}
	if err := p.Push(context.Background(), bot.Follow{Chat: bot.Chat{Platform: "telegram", ID: "1"}}, followtest.Pushes(bot.Follow{}, q)); err == nil || errors.Is(err, bot.ErrChatGone) {
		t.Errorf("push to a Telegram chat: %v, want a plain error", err)
	}
	if n := len(f.requests(http.MethodPost, `^/channels/600000000000000011/messages$`)); n != 1 {
		t.Errorf("%d messages in the live channel, want 1", n)
	}
}
