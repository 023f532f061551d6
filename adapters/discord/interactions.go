package discord

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// helpInfoTimeout bounds the Info lookup for /help, which must be answered
// within Discord's three seconds.
const helpInfoTimeout = 2 * time.Second

// notHere is the ephemeral refusal outside the allowlist.
const notHere = "Sorry, I'm not enabled in this channel."

// onInteraction handles the slash commands. Outside the allowlist every
// command gets an ephemeral refusal, seen only by its user.
func (a *Adapter) onInteraction(s *discordgo.Session, i *discordgo.Interaction) {
	if i.Type != discordgo.InteractionApplicationCommand {
		return
	}
	ctx, done, ok := a.begin()
	if !ok {
		return
	}
	defer done()
	data := i.ApplicationCommandData()
	if !a.access.allowed(i.GuildID, i.ChannelID) {
		a.respond(ctx, s, i, []string{notHere}, true)
		return
	}
	switch data.Name {
	case cmdAsk:
		a.onAsk(ctx, s, i, optionString(data.Options, optQuestion))
	case cmdSources:
		var ans bot.Answer
		t := a.mem.Last(ctx, i.ChannelID)
		if t != nil {
			ans = t.Answer
		}
		a.respond(ctx, s, i, renderSources(ans, t != nil), true)
	case cmdHelp:
		a.respond(ctx, s, i, []string{a.help(ctx, selfID(s))}, true)
	case cmdFollow, cmdFollowing, cmdUnfollow:
		a.onFollow(ctx, s, i, data)
	default:
		a.respond(ctx, s, i, []string{"I don't know that command. Try `/help`."}, true)
	}
}

// help renders the help text with what is ingested, looked up within
// helpInfoTimeout.
func (a *Adapter) help(ctx context.Context, self string) string {
	ictx, cancel := context.WithTimeout(ctx, helpInfoTimeout)
	info, err := a.asker.Info(ictx)
	cancel()
	if err != nil {
		a.log.Warn("reading ingest info failed", "err", a.sc.scrub(err.Error()))
	}
	return renderHelp(info, err, self, a.follows.Enabled())
}

// onAsk answers /ask: it defers at once (retrieval can outlast Discord's
// three-second window), then edits the deferred response with the answer.
func (a *Adapter) onAsk(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, question string) {
	question = strings.Join(strings.Fields(question), " ")
	if question == "" {
		a.respond(ctx, s, i, []string{"Please include a question, e.g. `/ask question: who confirmed the proposal?`"}, true)
		return
	}
	log := a.log.With("channel", i.ChannelID)
	if !a.admit(ctx, s, i, log) {
		return
	}
	deliver := func(ctx context.Context, parts []string) []string {
		ids, err := a.deliver(ctx, s, i, parts)
		if err != nil {
			a.log.Error("sending /ask answer failed", "channel", i.ChannelID, "sent", len(ids), "of", len(parts), "err", err.Error())
		}
		return ids
	}
	convo.Ask(ctx, log, a.sc.scrub, a.asker, a.mem, convo.Question[string, string]{
		Place: i.ChannelID,
		Text:  question,
		Working: func(ctx context.Context) (func(), bool) {
			if err := a.deferResponse(ctx, s, i); err != nil {
				a.log.Error("deferring /ask failed", "err", err.Error())
				return nil, false
			}
			return func() {}, true
		},
		Send: func(ctx context.Context, ans bot.Answer) []string { return deliver(ctx, renderAnswer(ans, question)) },
		Fail: func(ctx context.Context, msg string) { deliver(ctx, []string{msg}) },
	})
}

// admit runs the invoking user through the Gate (the allowlist has been
// checked), answering with an ephemeral notice when they are too fast.
func (a *Adapter) admit(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, log *slog.Logger) bool {
	limited := func(wait time.Duration, _ bool) {
		// An ephemeral notice is seen by its user only: always sent.
		a.respond(ctx, s, i, []string{rateNotice(wait)}, true)
	}
	return a.gate.Admit(log, interactionUser(i), true, nil, limited)
}

// respond answers an interaction at once, logging a failure.
func (a *Adapter) respond(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, parts []string, ephemeral bool) {
	if err := a.respondNow(ctx, s, i, parts, ephemeral); err != nil {
		a.log.Error("responding to interaction failed", "err", err.Error())
	}
}

// interactionUser is the ID of the user who invoked i: Member.User in
// guilds, User in DMs.
func interactionUser(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// optionString returns the string option name, or "" if absent. (discordgo's
// StringValue panics on a type mismatch.)
func optionString(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o != nil && o.Name == name {
			if s, ok := o.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}
