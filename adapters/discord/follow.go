package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// Platform is the bot.Chat platform of Discord channels; their ID is the
// channel ID.
const Platform = "discord"

// WithFollower enables /follow, /following and /unfollow and their mention
// forms, managed by f; the slash commands are registered only then.
// Without it those commands answer that following is not enabled.
func WithFollower(f bot.Follower) Option { return func(a *Adapter) { a.follows.Follower = f } }

// chatOf names a channel for the Follower: follows are per channel.
func chatOf(channelID string) bot.Chat { return bot.Chat{Platform: Platform, ID: channelID} }

// onFollow answers /follow (deferred, as finding the best quote so far can
// outlast Discord's three seconds, and in the channel, which gets the
// pushes), /following (seen by its user only) and /unfollow (in the
// channel).
func (a *Adapter) onFollow(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) {
	log := a.log.With("channel", i.ChannelID)
	if !a.admit(ctx, s, i, log) {
		return
	}
	cmd := convo.FollowCommandNamed(data.Name)
	var args string
	switch cmd {
	case convo.Follow:
		args = optionString(data.Options, optTopic)
		if d := strings.TrimSpace(optionString(data.Options, optDaily)); d != "" {
			args += " daily " + d
		}
	case convo.Unfollow:
		args = optionString(data.Options, optWhich)
	}
	if cmd != convo.Follow {
		a.respond(ctx, s, i, renderReply(a.follows.Run(ctx, log, chatOf(i.ChannelID), cmd, args)), cmd == convo.Following)
		return
	}
	if err := a.deferResponse(ctx, s, i); err != nil {
		a.log.Error("deferring /follow failed", "err", err.Error())
		return
	}
	parts := renderReply(a.follows.Run(ctx, log, chatOf(i.ChannelID), cmd, args))
	if ids, err := a.deliver(ctx, s, i, parts); err != nil {
		a.log.Error("sending /follow reply failed", "channel", i.ChannelID, "sent", len(ids), "of", len(parts), "err", err.Error())
	}
}

// renderReply renders r as Discord messages: its text, then its answer as
// renderAnswer renders answers.
func renderReply(r convo.Reply) []string {
	blocks := splitBlock(strings.TrimSpace(r.Text), escape, maxMessageLen)
	if r.Answer != nil {
		blocks = append(blocks, renderAnswer(*r.Answer, "")...)
	}
	return pack(blocks, maxMessageLen)
}

// renderPush renders a follow's pushes (see convo.Push).
func renderPush(f bot.Follow, ps []bot.Push) []string { return renderReply(convo.Push(f, ps)) }

// Pusher returns a bot.Pusher that posts follows' pushes in their channels
// over the REST API. It needs no gateway connection: any process with the
// token can deliver, whichever shard serves the channel.
func (a *Adapter) Pusher() bot.Pusher { return &pusher{a: a} }

// NewPusher returns a bot.Pusher for cfg that only posts pushes: for a
// process that delivers follows without serving the chat, or to build the
// Pusher before the Follower the Adapter needs.
func NewPusher(cfg Config, opts ...Option) (bot.Pusher, error) {
	a, err := newAdapter(cfg, nil, opts...)
	if err != nil {
		return nil, err
	}
	return a.Pusher(), nil
}

type pusher struct {
	a    *Adapter
	once sync.Once
	s    *discordgo.Session // REST only, made on first use
	err  error              // making s failed
}

// Push implements bot.Pusher: one message for one push, a digest for
// several, split at Discord's message limit, pinging nobody and without
// embeds. Discord's unknown channel (10003), missing access (50001) and
// cannot message this user (50007) wrap bot.ErrChatGone.
func (p *pusher) Push(ctx context.Context, f bot.Follow, ps []bot.Push) error {
	if len(ps) == 0 {
		return nil
	}
	if f.Chat.Platform != Platform || f.Chat.ID == "" {
		return fmt.Errorf("discord: push for follow %d: %s chat %q is not a Discord channel", f.ID, f.Chat.Platform, f.Chat.ID)
	}
	p.once.Do(func() { p.s, p.err = p.a.newSession() })
	if p.err != nil {
		return fmt.Errorf("discord: push: %w", p.err)
	}
	parts := renderPush(f, ps)
	for i, part := range parts {
		msg := &discordgo.MessageSend{Content: part, AllowedMentions: noPings(), Flags: discordgo.MessageFlagsSuppressEmbeds}
		if _, err := p.s.ChannelMessageSendComplex(f.Chat.ID, msg, discordgo.WithContext(ctx)); err != nil {
			err = p.a.sc.wrap(err)
			if channelGone(err) {
				return fmt.Errorf("discord: push to channel %s: %w: %w", f.Chat.ID, bot.ErrChatGone, err)
			}
			return fmt.Errorf("discord: push to channel %s (message %d of %d): %w", f.Chat.ID, i+1, len(parts), err)
		}
	}
	p.a.log.Debug("pushed", "channel", f.Chat.ID, "follow_id", f.ID, "pushes", len(ps), "messages", len(parts))
	return nil
}

// channelGone reports whether err is Discord saying the channel cannot be
// posted to any more: it was deleted (unknown channel), the bot lost access
// to it (left or was removed from the guild), or, for a DM, the user no
// longer accepts the bot's messages.
func channelGone(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Message == nil {
		return false
	}
	switch re.Message.Code {
	case discordgo.ErrCodeUnknownChannel, discordgo.ErrCodeMissingAccess, discordgo.ErrCodeCannotSendMessagesToThisUser:
		return true
	}
	return false
}
