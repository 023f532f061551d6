package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// noPings allows no mention of any kind to notify anyone: escaped article
// text cannot ping, and even an unescaped "@everyone" or "<@id>" would not.
func noPings() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// askerOnly is noPings plus the reply notification to the asker.
func askerOnly() *discordgo.MessageAllowedMentions {
	m := noPings()
	m.RepliedUser = true
	return m
}

// reply sends parts in m's channel: the first as a reply to m, which
// notifies only m's author, the rest as plain messages that notify nobody.
// It returns the IDs of the messages sent, even on a partial failure.
func (a *Adapter) reply(ctx context.Context, s *discordgo.Session, m *discordgo.Message, parts []string) ([]string, error) {
	var ids []string
	for i, p := range parts {
		msg := &discordgo.MessageSend{Content: p, AllowedMentions: noPings(), Flags: discordgo.MessageFlagsSuppressEmbeds}
		if i == 0 {
			msg.Reference = m.SoftReference() // still sent if the question was deleted
			msg.AllowedMentions = askerOnly()
		}
		sent, err := s.ChannelMessageSendComplex(m.ChannelID, msg, discordgo.WithContext(ctx))
		if err != nil {
			return ids, a.sc.wrap(err)
		}
		ids = append(ids, sent.ID)
	}
	return ids, nil
}

// respondNow answers an interaction immediately with parts; ephemeral ones
// are seen only by the user who invoked the command.
func (a *Adapter) respondNow(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, parts []string, ephemeral bool) error {
	flags := discordgo.MessageFlagsSuppressEmbeds
	if ephemeral {
		flags |= discordgo.MessageFlagsEphemeral
	}
	err := s.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: parts[0], AllowedMentions: noPings(), Flags: flags},
	}, discordgo.WithContext(ctx))
	if err != nil {
		return a.sc.wrap(err)
	}
	_, err = a.followUp(ctx, s, i, parts[1:], flags)
	return err
}

// defer acknowledges an interaction within Discord's three seconds; the
// user sees "newsbot is thinking…" until deliver edits the response.
func (a *Adapter) deferResponse(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) error {
	err := s.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	}, discordgo.WithContext(ctx))
	return a.sc.wrap(err)
}

// deliver replaces a deferred response with parts[0] and sends the other
// parts as follow-ups. It returns the IDs of the messages, even on a
// partial failure.
func (a *Adapter) deliver(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, parts []string) ([]string, error) {
	first := parts[0]
	msg, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &first, AllowedMentions: noPings()},
		discordgo.WithContext(ctx))
	if err != nil {
		return nil, a.sc.wrap(err)
	}
	ids := []string{msg.ID}
	more, err := a.followUp(ctx, s, i, parts[1:], discordgo.MessageFlagsSuppressEmbeds)
	return append(ids, more...), err
}

// followUp sends parts as interaction follow-up messages.
func (a *Adapter) followUp(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, parts []string, flags discordgo.MessageFlags) ([]string, error) {
	var ids []string
	for _, p := range parts {
		msg, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
			Content: p, AllowedMentions: noPings(), Flags: flags,
		}, discordgo.WithContext(ctx))
		if err != nil {
			return ids, a.sc.wrap(err)
		}
		ids = append(ids, msg.ID)
	}
	return ids, nil
}
