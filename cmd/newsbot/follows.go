package main

import (
	"context"
	"fmt"

	"newsbot/adapters/discord"
	"newsbot/adapters/telegram"
	"newsbot/bot"
	"newsbot/bot/follow"
)

// FollowsConfig is the [follows] section: whether chats may follow a
// story, and the admin's limits. Who may follow is whoever may ask: the
// platforms' allowlists guard the commands.
type FollowsConfig struct {
	// Enabled turns /follow, /following and /unfollow and the pushes on
	// (default true).
	Enabled bool `toml:"enabled"`
	// PerChat bounds one chat's follows (0: no limit).
	PerChat int `toml:"per_chat"`
	// Total bounds the follows of every chat together (0: no limit).
	Total int `toml:"total"`
	// PerHour is the pushes a follow sends in an hour before the rest wait
	// for its digest.
	PerHour int `toml:"per_hour"`
}

// defaultFollows is the [follows] section with no file.
func defaultFollows() FollowsConfig {
	return FollowsConfig{Enabled: true, PerChat: 20, Total: 10000, PerHour: bot.DefaultPerHour}
}

func (c FollowsConfig) validate() error {
	switch {
	case c.PerChat < 0:
		return fmt.Errorf("config: [follows] per_chat %d is negative; use 0 for no limit", c.PerChat)
	case c.Total < 0:
		return fmt.Errorf("config: [follows] total %d is negative; use 0 for no limit", c.Total)
	case c.PerHour < 1 || c.PerHour > 1000:
		return fmt.Errorf("config: [follows] per_hour %d out of range 1..1000", c.PerHour)
	}
	return nil
}

// limits are the service's limits from the config.
func (c FollowsConfig) limits() follow.Limits {
	return follow.Limits{PerChat: c.PerChat, Total: c.Total, PerHour: c.PerHour}
}

// followOptions tune serve's follow service; tests shorten its intervals.
var followOptions []follow.Option

// serveFollows builds serve's follow service when following is enabled and
// a chat platform is configured: it delivers through a send-only Pusher
// of each configured platform. It returns nil when there is nothing to
// follow for.
func (m *Main) serveFollows() (*follow.Service, error) {
	if !m.Config.Follows.Enabled {
		return nil, nil
	}
	pushers := map[string]bot.Pusher{}
	if m.Config.Telegram.Token != "" {
		p, err := telegram.NewPusher(m.Config.Telegram, telegram.WithLogger(m.Log.With("adapter", "telegram", "component", "follows")))
		if err != nil {
			return nil, err
		}
		pushers[telegram.Platform] = p
	}
	if m.Config.Discord.Token != "" {
		p, err := discord.NewPusher(m.Config.Discord, discord.WithLogger(m.Log.With("adapter", "discord", "component", "follows")))
		if err != nil {
			return nil, err
		}
		pushers[discord.Platform] = p
	}
	if len(pushers) == 0 {
		return nil, nil
	}
	return m.followService(pushers, m.Config.Follows.limits(), followOptions...)
}

// followsService runs svc as one of serve's services. Like a chat
// platform it is supervised (see supervise): should it ever stop, it is
// started again after a backoff while the other services keep running.
func followsService(svc *follow.Service) service {
	return service{name: "follows", connect: func(ctx context.Context, up func()) error {
		up()
		if err := svc.Run(ctx); err != nil {
			return fmt.Errorf("follows: %w", err)
		}
		return nil
	}}
}
