package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"newsbot/adapters/discord"
	"newsbot/adapters/telegram"
)

// service is one long-running part of serve: a chat adapter or the feed
// poller.
type service struct {
	name string
	run  func(context.Context) error
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(m.Stderr, "Usage: newsbot serve\n\nRuns the Telegram and Discord bots configured in the config file (or NEWSBOT_TELEGRAM_TOKEN /\nNEWSBOT_DISCORD_TOKEN) and polls the configured feeds, until SIGINT or SIGTERM.")
			return nil
		}
		return usageError{"serve takes no arguments"}
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if err := m.ensureSeeded(ctx); err != nil {
		return err
	}
	// Following the store is not a reason to run on its own: it joins the
	// services only when there is something to serve.
	var svcs []service
	if m.Config.Telegram.Token != "" {
		tg, err := telegram.New(m.Config.Telegram, m.bot, telegram.WithLogger(m.Log.With("adapter", "telegram")))
		if err != nil {
			return err
		}
		svcs = append(svcs, service{"telegram", tg.Run})
	}
	if m.Config.Discord.Token != "" {
		dc, err := discord.New(m.Config.Discord, m.bot, discord.WithLogger(m.Log.With("adapter", "discord")))
		if err != nil {
			return err
		}
		svcs = append(svcs, service{"discord", dc.Run})
	}
	feedSvc, err := m.feedService(ctx)
	if err != nil {
		return err
	}
	if feedSvc != nil {
		svcs = append(svcs, *feedSvc)
	}
	if len(svcs) == 0 {
		return errors.New("serve: nothing to run: set a [telegram] or [discord] token (or NEWSBOT_TELEGRAM_TOKEN / NEWSBOT_DISCORD_TOKEN), or add [[feeds]]")
	}
	svcs = append(svcs, service{"store", m.store.Follow})
	return m.runServices(ctx, svcs)
}

// runServices runs every service until ctx ends or one fails; a failure
// stops the others, and serve returns once all have shut down.
func (m *Main) runServices(ctx context.Context, svcs []service) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	errs := make([]error, len(svcs))
	for i, s := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Log.Info("starting", "service", s.name)
			if err := s.run(ctx); err != nil && ctx.Err() == nil {
				errs[i] = fmt.Errorf("%s: %w", s.name, err)
				m.Log.Error("service stopped", "service", s.name, "err", err)
				cancel(errs[i])
				return
			}
			m.Log.Info("stopped", "service", s.name)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
