package discord

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// sent is a message body newsbot posted (channel message, interaction
// callback data, webhook edit or follow-up).
type sent struct {
	Content         string `json:"content"`
	Flags           int    `json:"flags"`
	AllowedMentions *struct {
		Parse       []string `json:"parse"`
		Users       []string `json:"users"`
		Roles       []string `json:"roles"`
		RepliedUser bool     `json:"replied_user"`
	} `json:"allowed_mentions"`
	Reference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

// callback is an interaction callback body.
type callback struct {
	Type int   `json:"type"`
	Data *sent `json:"data"`
}

func decodeSent(t *testing.T, reqs []fakeRequest) []sent {
	t.Helper()
	out := make([]sent, len(reqs))
	for i, r := range reqs {
		r.JSON(t, &out[i])
	}
	return out
}

// checkNoPings asserts m can ping nobody, except the replied-to asker when
// replyPing is set.
func checkNoPings(t *testing.T, m sent, replyPing bool) {
	t.Helper()
	am := m.AllowedMentions
	if am == nil || am.Parse == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 {
		t.Fatalf("allowed_mentions = %+v, want parse [] and no users/roles", am)
	}
	if am.RepliedUser != replyPing {
		t.Errorf("replied_user = %v, want %v", am.RepliedUser, replyPing)
	}
}

const askedQ = "who confirmed the proposal?"

func proposalAnswer(t *testing.T, fa *fakeAsker) bot.Answer {
	return fa.answer(askedQ,
		quote(t, artProposal, "The proposal was confirmed by the Danish presidency on Friday."),
		quote(t, artProposal, "A final vote is expected in June."))
}

func TestMentionGetsReplyWithQuotes(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	start(t, f, fa, nil)

	// Commands were registered globally, all three.
	var cmds []struct{ Name string }
	f.requests("PUT", `^/applications/`+fakeAppID+`/commands$`)[0].JSON(t, &cmds)
	if len(cmds) != 3 || cmds[0].Name != "ask" || cmds[1].Name != "sources" || cmds[2].Name != "help" {
		t.Fatalf("registered commands = %+v", cmds)
	}

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000001", guildID, channelID, alice,
		"<@"+fakeBotID+"> "+askedQ, botUsr))
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`))

	if got := fa.questions(); len(got) != 1 || got[0].Text != askedQ || len(got[0].Previous) != 0 {
		t.Fatalf("asker got %+v, want %q without mention", got, askedQ)
	}
	want := renderAnswer(ans, "")
	if len(want) != 1 || msgs[0].Content != want[0] {
		t.Fatalf("reply = %q, want %q", msgs[0].Content, want)
	}
	if !strings.Contains(msgs[0].Content, "> The proposal was confirmed by the Danish presidency on Friday.\n[1] [EU ministers back the fisheries proposal](<https://news.example.com/eu/fisheries?id=1#:~:text=The%20proposal%20was%20confirmed%20by%20the%20Danish%20presidency%20on%20Friday%2E>)") {
		t.Errorf("reply lacks the block quote and masked link:\n%s", msgs[0].Content)
	}
	if msgs[0].Reference == nil || msgs[0].Reference.MessageID != "700000000000000001" {
		t.Errorf("reply does not reference the question: %+v", msgs[0].Reference)
	}
	checkNoPings(t, msgs[0], true)
	if len(f.requests("POST", `^/channels/`+channelID+`/typing$`)) != 1 {
		t.Error("no typing indicator before answering")
	}
}

func TestSlashAskDefersThenAnswers(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	start(t, f, fa, func(c *Config) { c.GuildIDs = []string{guildID, "500000000000000002"} })

	for _, g := range []string{guildID, "500000000000000002"} {
		if n := len(f.requests("PUT", `^/applications/`+fakeAppID+`/guilds/`+g+`/commands$`)); n != 1 {
			t.Errorf("guild %s: %d command registrations, want 1", g, n)
		}
	}
	if n := len(f.requests("PUT", `^/applications/`+fakeAppID+`/commands$`)); n != 0 {
		t.Errorf("registered globally too (%d) despite guild_ids", n)
	}

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000001", guildID, channelID, alice, "ask", questionOpt(askedQ)))
	cb := f.waitRequests(1, "POST", `^/interactions/800000000000000001/[^/]+/callback$`)
	var c callback
	cb[0].JSON(t, &c)
	if c.Type != 5 {
		t.Fatalf("first response type = %d, want 5 (deferred)", c.Type)
	}
	edit := decodeSent(t, f.waitRequests(1, "PATCH", `^/webhooks/`+fakeAppID+`/[^/]+/messages/@original$`))
	want := renderAnswer(ans, askedQ)
	if edit[0].Content != want[0] {
		t.Fatalf("answer = %q, want %q", edit[0].Content, want[0])
	}
	if !strings.HasPrefix(edit[0].Content, "**Question:** who confirmed the proposal?\n\n> ") {
		t.Errorf("answer does not start with the question then a quote:\n%s", edit[0].Content)
	}
	checkNoPings(t, edit[0], false)
}

func TestDirectMessageIsAnswered(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	start(t, f, fa, nil)

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000002", "", dmChannel, bob, "  "+askedQ+"  "))
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+dmChannel+`/messages$`))
	if msgs[0].Content != renderAnswer(ans, "")[0] {
		t.Fatalf("DM reply = %q", msgs[0].Content)
	}
}

// TestSmallTalk checks that greetings, thanks, help and goodbyes, in a
// mention or a DM, get a chat's reply and are never put to the news as
// questions.
func TestSmallTalk(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	fa.info = bot.Info{Articles: 1234, Chunks: 56789, Oldest: artProposal.Published, Newest: artHostile.Published}
	fa.answer("hi", quote(t, artProposal, "A final vote is expected in June.")) // what "hi" would get if it were asked
	start(t, f, fa, nil)
	tests := []struct {
		channel, guild, content string
		mention                 bool
		want                    string
	}{
		{channelID, guildID, "<@" + fakeBotID + "> hi", true, greeting(fakeBotID)},
		{dmChannel, "", "Thanks!", false, convo.ThanksReply},
		{dmChannel, "", "help", false, renderHelp(fa.info, nil, fakeBotID, false)},
		{channelID, guildID, "<@" + fakeBotID + "> bye", true, convo.GoodbyeReply},
	}
	perChannel := map[string]int{}
	for i, tt := range tests {
		var mentions []user
		if tt.mention {
			mentions = append(mentions, botUsr)
		}
		f.dispatch("MESSAGE_CREATE", msgEvent(fmt.Sprintf("70000000000000010%d", i), tt.guild, tt.channel, alice, tt.content, mentions...))
		perChannel[tt.channel]++
		msgs := decodeSent(t, f.waitRequests(perChannel[tt.channel], "POST", `^/channels/`+tt.channel+`/messages$`))
		if got := msgs[len(msgs)-1].Content; got != tt.want {
			t.Errorf("%q: replied %q, want %q", tt.content, got, tt.want)
		}
	}
	if qs := fa.questions(); len(qs) != 0 {
		t.Errorf("small talk was asked as questions: %+v", qs)
	}
}

func TestNoEvidenceRefusal(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	fa.errs["break it"] = bot.Errorf("Sorry, I couldn't search the news just now.", "search: %w", errors.New("disk on fire"))
	start(t, f, fa, nil)

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000003", guildID, channelID, alice,
		"<@!"+fakeBotID+"> what is the weather on Mars?", botUsr))
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`))
	if msgs[0].Content != bot.NoAnswer {
		t.Fatalf("refusal = %q, want %q", msgs[0].Content, bot.NoAnswer)
	}

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000002", guildID, channelID, alice, "ask", questionOpt("what is the weather on Mars?")))
	edit := decodeSent(t, f.waitRequests(1, "PATCH", `@original$`))
	if want := "**Question:** what is the weather on Mars?\n\n" + bot.NoAnswer; edit[0].Content != want {
		t.Fatalf("/ask refusal = %q, want %q", edit[0].Content, want)
	}

	// An error shows its user message only; the cause goes to the log.
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000004", guildID, channelID, alice, "<@"+fakeBotID+"> break it", botUsr))
	msgs = decodeSent(t, f.waitRequests(2, "POST", `^/channels/`+channelID+`/messages$`))
	if msgs[1].Content != "Sorry, I couldn't search the news just now." {
		t.Fatalf("error reply = %q", msgs[1].Content)
	}
}

// TestRefusalNamesClosest sends a refusal with closest articles, one of
// them with a hostile title, through the real client: it arrives as
// rendered, with no mention left active and no pings allowed.
func TestRefusalNamesClosest(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	q := "how many fishermen voted?"
	closest := []bot.Citation{citationOf(artProposal), {ArticleID: "h", Title: "@everyone <@123456789012345678> read *this*", Source: "Chat_Weekly"}}
	fa.mu.Lock()
	fa.answers[q] = bot.Answer{Question: q, Closest: closest}
	fa.mu.Unlock()
	start(t, f, fa, nil)

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000009", guildID, channelID, alice, "<@"+fakeBotID+"> "+q, botUsr))
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`))
	if want := renderNoAnswer(closest, maxMessageLen); msgs[0].Content != want {
		t.Fatalf("refusal = %q, want %q", msgs[0].Content, want)
	}
	if !strings.HasPrefix(msgs[0].Content, bot.NoAnswer+" "+bot.ClosestLead) || mentionRE.MatchString(msgs[0].Content) {
		t.Errorf("refusal %q: lead missing or a mention left active", msgs[0].Content)
	}
	checkNoPings(t, msgs[0], true)
}

// mentionRE finds an @everyone/@here or a raw mention that Discord would
// render (not preceded by a backslash).
var mentionRE = regexp.MustCompile(`(^|[^\\])(@everyone|@here|<@[!&]?[0-9]+>)`)

func TestHostileLongArticleIsEscapedAndSplit(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	art, long := longArticle(t, 120)
	q := "what did @everyone say about *the_budget*?"
	ans := fa.answer(q, quote(t, artHostile, artHostile.Text), long)
	start(t, f, fa, nil)

	check := func(t *testing.T, msgs []sent, firstReplyPing bool) {
		t.Helper()
		var quoted []string
		for i, m := range msgs {
			if n := discordLen(m.Content); n > maxMessageLen {
				t.Errorf("message %d is %d long", i, n)
			}
			if loc := mentionRE.FindStringIndex(m.Content); loc != nil {
				t.Errorf("message %d has an unescaped mention %q", i, m.Content[loc[0]:loc[1]])
			}
			checkNoPings(t, m, firstReplyPing && i == 0)
			quoted = append(quoted, quotedTexts(m.Content)...)
		}
		// Quote 1 is whole in one message; quote 2 is split across
		// messages on sentence boundaries and reassembles exactly.
		if len(quoted) < 3 || quoted[0] != artHostile.Text {
			t.Fatalf("first quote renders as %q", quoted)
		}
		if got := strings.Join(quoted[1:], " "); got != art.Text {
			t.Errorf("long quote reassembles to %d bytes, want %d (the article)", len(got), len(art.Text))
		}
		for _, part := range quoted[1 : len(quoted)-1] {
			if !strings.HasSuffix(part, ".") {
				t.Errorf("part does not end on a sentence: %q", part[max(0, len(part)-40):])
			}
		}
	}

	t.Run("mention", func(t *testing.T) {
		f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000005", guildID, channelID, alice,
			"<@"+fakeBotID+"> "+q, botUsr))
		want := renderAnswer(ans, "")
		if len(want) < 3 {
			t.Fatalf("test article too short: %d messages", len(want))
		}
		msgs := decodeSent(t, f.waitRequests(len(want), "POST", `^/channels/`+channelID+`/messages$`))
		for i := range want {
			if msgs[i].Content != want[i] {
				t.Errorf("message %d differs from renderAnswer", i)
			}
			if (msgs[i].Reference != nil) != (i == 0) {
				t.Errorf("message %d: reference %+v; only the first should reply", i, msgs[i].Reference)
			}
		}
		check(t, msgs, true)
	})
	t.Run("slash", func(t *testing.T) {
		f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000003", guildID, channelID, alice, "ask", questionOpt(q)))
		want := renderAnswer(ans, q)
		first := decodeSent(t, f.waitRequests(1, "PATCH", `@original$`))
		rest := decodeSent(t, f.waitRequests(len(want)-1, "POST", `^/webhooks/`+fakeAppID+`/[^/]+$`))
		msgs := append(first, rest...)
		for i := range want {
			if msgs[i].Content != want[i] {
				t.Errorf("message %d differs from renderAnswer", i)
			}
		}
		if !strings.HasPrefix(msgs[0].Content, `**Question:** what did \@everyone say about \*the\_budget\*?`) {
			t.Errorf("question not escaped: %q", msgs[0].Content[:80])
		}
		check(t, msgs, false)
	})
}

func TestOutsideAllowlist(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	r := start(t, f, fa, func(c *Config) { c.AllowedChannels = []string{channelID} })
	const elsewhere = "600000000000000002"

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000006", guildID, elsewhere, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	r.logs.waitFor(t, `ignoring message outside the allowlist.*channel=`+elsewhere)
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000016", "", dmChannel, alice, askedQ))
	r.logs.waitFor(t, `ignoring message outside the allowlist.*channel=`+dmChannel)

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000004", guildID, elsewhere, alice, "ask", questionOpt(askedQ)))
	var c callback
	f.waitRequests(1, "POST", `^/interactions/800000000000000004/`)[0].JSON(t, &c)
	if c.Type != 4 || c.Data == nil || c.Data.Content != notHere || c.Data.Flags&64 == 0 {
		t.Fatalf("refusal = %+v, want ephemeral %q", c, notHere)
	}

	// The allowlisted channel works, and nothing was sent elsewhere.
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000007", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	msgs := decodeSent(t, f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`))
	if msgs[0].Content != renderAnswer(ans, "")[0] {
		t.Fatalf("allowed channel reply = %q", msgs[0].Content)
	}
	if n := len(f.requests("POST", `^/channels/(`+elsewhere+`|`+dmChannel+`)/`)); n != 0 {
		t.Errorf("%d requests to non-allowlisted channels", n)
	}
	if n := len(fa.questions()); n != 1 {
		t.Errorf("asker asked %d times, want 1", n)
	}
}

func TestRateLimitedUserGetsNotice(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	proposalAnswer(t, fa)
	r := start(t, f, fa, func(c *Config) { c.RatePerMinute = 1 })

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000008", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`)
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000009", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	msgs := decodeSent(t, f.waitRequests(2, "POST", `^/channels/`+channelID+`/messages$`))
	if !strings.HasPrefix(msgs[1].Content, "You're asking questions faster") || msgs[1].Reference == nil || msgs[1].Reference.MessageID != "700000000000000009" {
		t.Fatalf("notice = %+v", msgs[1])
	}
	// A third question in the window gets no second notice.
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000010", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	r.logs.waitFor(t, `rate limited.*notified=false`)

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000005", guildID, channelID, alice, "ask", questionOpt(askedQ)))
	var c callback
	f.waitRequests(1, "POST", `^/interactions/800000000000000005/`)[0].JSON(t, &c)
	if c.Type != 4 || c.Data.Flags&64 == 0 || !strings.HasPrefix(c.Data.Content, "You're asking questions faster") {
		t.Fatalf("slash notice = %+v", c)
	}
	if n := len(fa.questions()); n != 1 {
		t.Errorf("asker asked %d times, want 1", n)
	}
	if n := len(f.requests("POST", `^/channels/`+channelID+`/messages$`)); n != 2 {
		t.Errorf("%d messages sent, want 2 (answer, one notice)", n)
	}
	// Another user is not limited.
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000011", guildID, channelID, bob, "<@"+fakeBotID+"> "+askedQ, botUsr))
	f.waitRequests(3, "POST", `^/channels/`+channelID+`/messages$`)
}

func TestRateLimit429IsRetried(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	start(t, f, fa, nil)
	f.rateLimit("/channels/"+channelID+"/messages", 1)

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000012", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	reqs := f.waitRequests(2, "POST", `^/channels/`+channelID+`/messages$`)
	if reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Fatalf("statuses = %d, %d; want 429 then 200", reqs[0].Status, reqs[1].Status)
	}
	msgs := decodeSent(t, reqs)
	if msgs[1].Content != renderAnswer(ans, "")[0] || msgs[0].Content != msgs[1].Content {
		t.Fatalf("retry sent %q", msgs[1].Content)
	}
}

func TestReconnectAfterGatewayDrop(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	start(t, f, fa, nil)

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000013", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	f.waitRequests(1, "POST", `^/channels/`+channelID+`/messages$`)

	f.drop()
	f.waitFor("a resumed or re-identified connection", func() bool {
		return f.conns >= 2 && f.conn != nil && f.resumes+f.identifies >= 2
	})
	if conns, ids, res := f.counts(); ids != 1 || res != 1 {
		t.Errorf("after drop: %d connections, %d identifies, %d resumes; want a resume", conns, ids, res)
	}
	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000014", guildID, channelID, bob, "<@"+fakeBotID+"> "+askedQ, botUsr))
	msgs := decodeSent(t, f.waitRequests(2, "POST", `^/channels/`+channelID+`/messages$`))
	if msgs[1].Content != renderAnswer(ans, "")[0] || msgs[1].Reference == nil || msgs[1].Reference.MessageID != "700000000000000014" {
		t.Fatalf("after reconnect: %+v", msgs[1])
	}
	if n := len(f.requests("GET", `^/gateway`)); n != 1 {
		t.Errorf("GET /gateway %d times; discordgo should reuse the gateway URL", n)
	}
}

func TestFollowUpByReplyCarriesPreviousQuestions(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	proposalAnswer(t, fa)
	r := start(t, f, fa, nil)
	// The bot remembers an answer just after sending it; wait for that
	// before replying, as a human necessarily does.
	answered := func(n int) string {
		r.logs.waitCount(t, `msg=answered`, n)
		return f.lastMessageID()
	}

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000020", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	first := answered(1)

	// A reply to the bot's answer (with the default reply ping) is a
	// follow-up: Previous carries the chain so far.
	f.dispatch("MESSAGE_CREATE", replyEvent("700000000000000021", first, bob, "and when is the vote?", botUsr))
	second := answered(2)
	f.dispatch("MESSAGE_CREATE", replyEvent("700000000000000022", second, alice, "who voted against?", botUsr))
	answered(3)

	// /ask answers can be replied to as well.
	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000006", guildID, channelID, alice, "ask", questionOpt("what did the ministers say?")))
	askMsg := answered(4)
	f.dispatch("MESSAGE_CREATE", replyEvent("700000000000000023", askMsg, alice, "<@"+fakeBotID+"> and Denmark?", botUsr))
	answered(5)

	got := map[string][]string{}
	for _, q := range fa.questions() {
		got[q.Text] = q.Previous
	}
	want := map[string][]string{
		askedQ:                        nil,
		"and when is the vote?":       {askedQ},
		"who voted against?":          {askedQ, "and when is the vote?"},
		"what did the ministers say?": nil,
		"and Denmark?":                {"what did the ministers say?"},
	}
	for q, prev := range want {
		p, ok := got[q]
		if !ok || fmt.Sprint(p) != fmt.Sprint(prev) {
			t.Errorf("%q: Previous = %q (asked: %v), want %q", q, p, ok, prev)
		}
	}
}

func TestSourcesAndHelp(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	fa.info = bot.Info{Articles: 1234, Chunks: 56789, Oldest: artProposal.Published, Newest: artHostile.Published}
	ans := proposalAnswer(t, fa)
	r := start(t, f, fa, nil)

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000007", guildID, channelID, alice, "sources"))
	var c callback
	f.waitRequests(1, "POST", `^/interactions/800000000000000007/`)[0].JSON(t, &c)
	if c.Data == nil || c.Data.Content != "I haven't answered a question in this channel yet." || c.Data.Flags&64 == 0 {
		t.Fatalf("/sources before any answer = %+v", c.Data)
	}

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000030", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	r.logs.waitFor(t, `msg=answered`)
	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000008", guildID, channelID, bob, "sources"))
	f.waitRequests(1, "POST", `^/interactions/800000000000000008/`)[0].JSON(t, &c)
	if want := renderSources(ans, true)[0]; c.Type != 4 || c.Data.Content != want || c.Data.Flags&64 == 0 {
		t.Fatalf("/sources = %+v, want ephemeral %q", c.Data, want)
	}
	if !strings.Contains(c.Data.Content, "\n<https://news.example.com/eu/fisheries?id=1>") {
		t.Errorf("/sources lacks the full URL: %q", c.Data.Content)
	}
	// Another channel has its own last answer.
	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000009", "", dmChannel, bob, "sources"))
	f.waitRequests(1, "POST", `^/interactions/800000000000000009/`)[0].JSON(t, &c)
	if c.Data.Content != "I haven't answered a question in this channel yet." {
		t.Errorf("/sources in a DM shows %q", c.Data.Content)
	}

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000010", guildID, channelID, alice, "help"))
	f.waitRequests(1, "POST", `^/interactions/800000000000000010/`)[0].JSON(t, &c)
	if want := renderHelp(fa.info, nil, fakeBotID, false); c.Data.Content != want || c.Data.Flags&64 == 0 {
		t.Fatalf("/help = %q", c.Data.Content)
	}
	for _, s := range []string{"1,234 articles", "56,789 passages", "30 May 2025 to 1 June 2025", "/ask", "/sources"} {
		if !strings.Contains(c.Data.Content, s) {
			t.Errorf("/help lacks %q", s)
		}
	}
	checkNoPings(t, *c.Data, false)
}

func TestShutdownWaitsForAnswerInFlight(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	ans := proposalAnswer(t, fa)
	fa.release = make(chan struct{})
	r := start(t, f, fa, nil)

	f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000040", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
	select {
	case <-fa.askedCh:
	case <-r.done:
		t.Fatal("Run ended early")
	}
	r.cancel() // shutdown begins while the answer is being computed
	r.logs.waitFor(t, `shutting down; finishing answers in flight`)
	close(fa.release)
	r.stop(t)
	msgs := decodeSent(t, f.requests("POST", `^/channels/`+channelID+`/messages$`))
	if len(msgs) != 1 || msgs[0].Content != renderAnswer(ans, "")[0] {
		t.Fatalf("answer in flight at shutdown: sent %d messages", len(msgs))
	}
	// The session closed only after the answer went out.
	var order []string
	f.waitFor("the gateway connection to close", func() bool { order = f.events; return f.closes >= 1 })
	answer, closed := -1, -1
	for i, e := range order {
		switch {
		case e == "POST /channels/"+channelID+"/messages" && answer < 0:
			answer = i
		case e == "gateway closed" && closed < 0:
			closed = i
		}
	}
	if answer < 0 || closed < answer {
		t.Errorf("events %q: the gateway closed before the answer in flight was sent", order)
	}
}

// countingTransport counts the requests it carries.
type countingTransport struct {
	mu sync.Mutex
	n  int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestSlashAskErrorInDMThroughCustomClient(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	fa.errs["boom"] = errors.New("internal detail that must not reach the chat")
	ct := &countingTransport{}
	start(t, f, fa, nil, WithHTTPClient(&http.Client{Transport: ct}), WithAnswerTimeout(hangGuard))

	f.dispatch("INTERACTION_CREATE", cmdEvent("800000000000000011", "", dmChannel, bob, "ask", questionOpt("boom")))
	edit := decodeSent(t, f.waitRequests(1, "PATCH", `@original$`))
	if edit[0].Content != bot.UserMessage(errors.New("x")) {
		t.Fatalf("error answer = %q", edit[0].Content)
	}
	if q := fa.questions(); len(q) != 1 || q[0].Text != "boom" {
		t.Errorf("asker got %+v", q)
	}
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if ct.n < 3 {
		t.Errorf("custom client carried %d requests, want all of them", ct.n)
	}
}
