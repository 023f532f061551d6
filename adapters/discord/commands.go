package discord

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"newsbot/bot"
)

// Slash command and option names.
const (
	cmdAsk      = "ask"
	cmdSources  = "sources"
	cmdHelp     = "help"
	optQuestion = "question"

	cmdFollow    = "follow"
	cmdFollowing = "following"
	cmdUnfollow  = "unfollow"
	optTopic     = "topic"
	optDaily     = "daily"
	optWhich     = "which"
)

// commands are the slash commands newsbot registers: the follow commands
// only when following is enabled.
func commands(follows bool) []*discordgo.ApplicationCommand {
	cmds := baseCommands()
	if follows {
		cmds = append(cmds, followCommands()...)
	}
	return cmds
}

// baseCommands are the commands for questions.
func baseCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{
			Name:        cmdAsk,
			Description: "Ask a question about the ingested news",
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        optQuestion,
				Description: "Your question",
				Required:    true,
				MaxLength:   bot.MaxQuestionBytes - 1, // "under 2,000 characters"
			}},
		},
		{Name: cmdSources, Description: "Show the full citations of the last answer in this channel"},
		{Name: cmdHelp, Description: "How to use newsbot and what news it has ingested"},
	}
}

// followCommands are /follow, /following and /unfollow.
func followCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{
			Name:        cmdFollow,
			Description: "Post new quotes on a story in this channel as the news comes in",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optTopic,
					Description: "A topic or question, e.g. Ukraine security guarantees",
					Required:    true,
					MaxLength:   bot.MaxQuestionBytes - 1,
				},
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optDaily,
					Description: "Send what waits in a digest once a day at this time, e.g. 08:00 Europe/London",
					MaxLength:   100,
				},
			},
		},
		{Name: cmdFollowing, Description: "List what this channel follows, with the last push of each"},
		{
			Name:        cmdUnfollow,
			Description: "Stop following a story in this channel",
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        optWhich,
				Description: "Its number in /following, or all",
				Required:    true,
				MaxLength:   20,
			}},
		},
	}
}

// registerCommands overwrites the application's slash commands: in each
// configured guild (visible at once) or, with no guild_ids, globally
// (clients may take up to an hour to show changes). A bulk overwrite makes
// registration idempotent across restarts. Switching from global to guild
// registration leaves the global commands in place; they then show twice
// in those guilds until removed.
func (a *Adapter) registerCommands(ctx context.Context, s *discordgo.Session, appID string) error {
	if appID == "" {
		return fmt.Errorf("register commands: no application ID in READY")
	}
	guilds := a.cfg.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	var errs []error
	for _, g := range guilds {
		_, err := s.ApplicationCommandBulkOverwrite(appID, g, commands(a.follows.Enabled()), discordgo.WithContext(ctx))
		scope := "global"
		if g != "" {
			scope = "guild " + g
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("register commands (%s): %w", scope, a.sc.wrap(err)))
			continue
		}
		a.log.Info("registered slash commands", "scope", scope)
	}
	return errors.Join(errs...)
}
