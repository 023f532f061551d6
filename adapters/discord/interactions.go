package discord

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

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
		ans, ok := a.lastAnswer(ctx, i.ChannelID)
		a.respond(ctx, s, i, renderSources(ans, ok), true)
	case cmdHelp:
		ictx, cancel := context.WithTimeout(ctx, helpInfoTimeout)
		info, err := a.asker.Info(ictx)
		cancel()
		if err != nil {
			a.log.Warn("reading ingest info failed", "err", a.sc.scrub(err.Error()))
		}
		a.respond(ctx, s, i, []string{renderHelp(info, err, selfID(s))}, true)
	default:
		a.respond(ctx, s, i, []string{"I don't know that command. Try `/help`."}, true)
	}
}

// onAsk answers /ask: it defers at once (retrieval can outlast Discord's
// three-second window), then edits the deferred response with the answer.
func (a *Adapter) onAsk(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, question string) {
	question = strings.Join(strings.Fields(question), " ")
	if question == "" {
		a.respond(ctx, s, i, []string{"Please include a question, e.g. `/ask question: who confirmed the proposal?`"}, true)
		return
	}
	user := interactionUser(i)
	if ok, wait := a.limiter.Allow(user); !ok {
		a.respond(ctx, s, i, []string{rateNotice(wait)}, true)
		return
	}
	if err := a.deferResponse(ctx, s, i); err != nil {
		a.log.Error("deferring /ask failed", "err", err.Error())
		return
	}
	ans, askErr := a.asker.Ask(ctx, bot.Question{Text: question})
	var parts []string
	if askErr != nil {
		a.log.Error("answering failed", "channel", i.ChannelID, "err", a.sc.scrub(askErr.Error()))
		parts = []string{bot.UserMessage(askErr)}
	} else {
		if ans.Question == "" {
			ans.Question = question
		}
		parts = renderAnswer(ans, question)
	}
	ids, err := a.deliver(ctx, s, i, parts)
	if err != nil {
		a.log.Error("sending /ask answer failed", "channel", i.ChannelID, "sent", len(ids), "of", len(parts), "err", err.Error())
	}
	if askErr == nil {
		a.remember(ctx, i.ChannelID, ids, []string{question}, ans)
		a.log.Debug("answered", "channel", i.ChannelID, "answered", ans.Answered, "messages", len(ids), "follow_up", false)
	}
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
