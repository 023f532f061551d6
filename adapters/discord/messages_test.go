package discord

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// direct returns an adapter and a session wired to f without a gateway, so
// handlers can be called synchronously: when one returns, everything it
// would send has been sent.
func direct(t *testing.T, f *fakeDiscord, fa *fakeAsker, edit func(*Config)) (*Adapter, *discordgo.Session) {
	t.Helper()
	cfg := Config{Token: f.token, APIURL: f.apiURL()}
	if edit != nil {
		edit(&cfg)
	}
	a, err := New(cfg, fa)
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.newSession()
	if err != nil {
		t.Fatal(err)
	}
	s.State.User = &discordgo.User{ID: fakeBotID, Username: "newsbot", Bot: true}
	a.hctx = context.Background()
	return a, s
}

// message decodes an event payload as discordgo would.
func message(t *testing.T, ev map[string]any) *discordgo.Message {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var m discordgo.Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

func TestMessagesTheBotIgnores(t *testing.T) {
	mention := "<@" + fakeBotID + "> " + askedQ
	webhook := msgEvent("1", guildID, channelID, alice, mention, botUsr)
	webhook["webhook_id"] = "55"
	join := msgEvent("2", guildID, channelID, alice, mention, botUsr)
	join["type"] = 7
	silentReply := replyEvent("3", "999", alice, "") // reply ping off, no Message Content intent
	tests := []struct {
		name string
		ev   map[string]any
		want int // messages sent
	}{
		{"control: a mention is answered", msgEvent("4", guildID, channelID, alice, mention, botUsr), 1},
		{"control: a mention without question gets usage", msgEvent("5", guildID, channelID, alice, "<@"+fakeBotID+">", botUsr), 1},
		{"own message", msgEvent("6", guildID, channelID, botUsr, mention, botUsr), 0},
		{"other bot", msgEvent("7", guildID, channelID, other, mention, botUsr), 0},
		{"webhook", webhook, 0},
		{"system message", join, 0},
		{"no mention in a guild", msgEvent("8", guildID, channelID, alice, askedQ), 0},
		{"mention of someone else", msgEvent("9", guildID, channelID, alice, "<@"+bob.ID+"> "+askedQ, bob), 0},
		{"empty reply without ping", silentReply, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			fa := newFakeAsker()
			proposalAnswer(t, fa)
			a, s := direct(t, f, fa, nil)
			a.onMessage(s, message(t, tt.ev))
			if got := len(f.requests("POST", `/messages$`)); got != tt.want {
				t.Errorf("%d messages sent, want %d", got, tt.want)
			}
		})
	}
}

func TestQuestionText(t *testing.T) {
	m := message(t, msgEvent("1", guildID, channelID, alice,
		"<@"+fakeBotID+">  what did <@!"+bob.ID+"> say\n about <@"+fakeBotID+"> ?", botUsr, bob))
	if got, want := questionText(m, fakeBotID), "what did @bob say about ?"; got != want {
		t.Errorf("questionText = %q, want %q", got, want)
	}
}
