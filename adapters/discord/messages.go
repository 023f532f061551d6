package discord

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// onMessage answers a message that mentions the bot, is a DM to it, or
// replies to one of its answers. Everything else, and anything from a bot
// (itself included) or a webhook, is ignored. Without the Message Content
// intent Discord sends content only for mentions and DMs, which is all
// this needs; a reply with its ping switched off then arrives empty and is
// ignored.
func (a *Adapter) onMessage(s *discordgo.Session, m *discordgo.Message) {
	if m.Author == nil || m.Author.Bot || m.WebhookID != "" ||
		(m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply) {
		return
	}
	self := selfID(s)
	if self == "" || m.Author.ID == self {
		return
	}
	ctx, done, ok := a.begin()
	if !ok {
		return
	}
	defer done()
	prev, replyToBot := a.replyChain(ctx, m, self)
	dm := m.GuildID == ""
	mentioned := mentions(m, self)
	if !dm && !mentioned && !replyToBot {
		return
	}
	allowed := a.access.allowed(m.GuildID, m.ChannelID)
	text := questionText(m, self)
	if allowed && text == "" && !dm && !mentioned {
		return // a reply without ping and without the Message Content intent
	}
	log := a.log.With("channel", m.ChannelID)
	limited := func(wait time.Duration, notify bool) {
		if notify {
			a.send(ctx, s, m, []string{rateNotice(wait)})
		}
	}
	if !a.gate.Admit(log, m.Author.ID, allowed, nil, limited) {
		return
	}
	if text == "" {
		a.send(ctx, s, m, []string{usage(self)})
		return
	}
	if cmd, args := convo.FollowWords(text); cmd != convo.NotFollow {
		stop := a.typing(ctx, s, m.ChannelID)
		r := a.follows.Run(ctx, log, chatOf(m.ChannelID), cmd, args)
		stop()
		a.send(ctx, s, m, renderReply(r))
		return
	}
	if reply := a.smallTalkReply(ctx, convo.SmallTalk(text), self); reply != "" {
		a.send(ctx, s, m, []string{reply})
		return
	}
	convo.Ask(ctx, log, a.sc.scrub, a.asker, a.mem, convo.Question[string, string]{
		Place:    m.ChannelID,
		Text:     text,
		Previous: prev,
		Working: func(ctx context.Context) (func(), bool) {
			return a.typing(ctx, s, m.ChannelID), true
		},
		Send: func(ctx context.Context, ans bot.Answer) []string { return a.send(ctx, s, m, renderAnswer(ans, "")) },
		Fail: func(ctx context.Context, msg string) { a.send(ctx, s, m, []string{msg}) },
	})
}

// send replies with parts, logging a failure; it returns the IDs sent.
func (a *Adapter) send(ctx context.Context, s *discordgo.Session, m *discordgo.Message, parts []string) []string {
	ids, err := a.reply(ctx, s, m, parts)
	if err != nil {
		a.log.Error("sending reply failed", "channel", m.ChannelID, "sent", len(ids), "of", len(parts), "err", err.Error())
	}
	return ids
}

// replyChain reports whether m replies to one of the bot's messages and,
// if that message answered a question the bot remembers, returns that
// question chain (oldest first) as context for the follow-up.
//
// The shared memory is asked only when the referenced message is the
// bot's or unknown: replies between people cost no lookup.
func (a *Adapter) replyChain(ctx context.Context, m *discordgo.Message, self string) ([]string, bool) {
	ref := m.MessageReference
	if ref == nil || ref.MessageID == "" || ref.Type != discordgo.MessageReferenceTypeDefault {
		return nil, false
	}
	refMsg := m.ReferencedMessage
	byBot := refMsg != nil && refMsg.Author != nil && refMsg.Author.ID == self
	var t *bot.Turn
	if byBot || refMsg == nil {
		t = a.mem.Message(ctx, m.ChannelID, ref.MessageID)
	} else {
		t = a.mem.Local(m.ChannelID, ref.MessageID)
	}
	if t == nil {
		return nil, byBot
	}
	return slices.Clone(t.Chain), true
}

// mentions reports whether m mentions the user self.
func mentions(m *discordgo.Message, self string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	return false
}

// questionText is m's content without the bot's mention, with other user
// mentions turned into @names so retrieval sees words, not IDs.
func questionText(m *discordgo.Message, self string) string {
	text := m.Content
	text = strings.ReplaceAll(text, "<@"+self+">", " ")
	text = strings.ReplaceAll(text, "<@!"+self+">", " ")
	for _, u := range m.Mentions {
		if u == nil || u.ID == self {
			continue
		}
		name := "@" + u.Username
		text = strings.ReplaceAll(text, "<@"+u.ID+">", name)
		text = strings.ReplaceAll(text, "<@!"+u.ID+">", name)
	}
	return strings.Join(strings.Fields(text), " ")
}

// usage is the hint for a mention without a question.
func usage(self string) string {
	return fmt.Sprintf("Ask me a question about the news, for example: <@%s> who confirmed the proposal? — or use `/ask`. `/help` tells you more.", self)
}

// greeting answers a greeting: hello, and how to ask.
func greeting(self string) string { return "Hello! " + usage(self) }

// smallTalkReply is the reply to small talk (see convo.SmallTalk), or ""
// when the message is a question for the news.
func (a *Adapter) smallTalkReply(ctx context.Context, talk convo.Talk, self string) string {
	switch talk {
	case convo.Greeting:
		return greeting(self)
	case convo.Thanks:
		return convo.ThanksReply
	case convo.Help:
		return a.help(ctx, self)
	case convo.Goodbye:
		return convo.GoodbyeReply
	}
	return ""
}

// rateNotice tells a user to slow down.
func rateNotice(wait time.Duration) string {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return fmt.Sprintf("You're asking questions faster than I can take them. Please try again in %d seconds.", secs)
}

// typingEvery renews the typing indicator, which Discord clears after about
// ten seconds or when the bot sends a message.
const typingEvery = 8 * time.Second

// typing shows "newsbot is typing…" in channelID until the returned stop
// is called, so a slow answer does not look like no answer.
func (a *Adapter) typing(ctx context.Context, s *discordgo.Session, channelID string) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	send := func() {
		if err := s.ChannelTyping(channelID, discordgo.WithContext(ctx)); err != nil && ctx.Err() == nil {
			a.log.Debug("typing indicator failed", "err", a.sc.scrub(err.Error()))
		}
	}
	send()
	go func() {
		t := time.NewTicker(typingEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				send()
			}
		}
	}()
	return cancel
}
