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
)

// commands are the slash commands newsbot registers.
func commands() []*discordgo.ApplicationCommand {
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
		_, err := s.ApplicationCommandBulkOverwrite(appID, g, commands(), discordgo.WithContext(ctx))
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
