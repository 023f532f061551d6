package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	"newsbot/adapters/discord"
	"newsbot/adapters/ops"
	"newsbot/adapters/telegram"
)

// service is one long-running part of serve: a chat adapter or the feed
// poller.
type service struct {
	name string
	run  func(context.Context) error
}

func (m *Main) serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the Telegram and Discord bots and poll feeds",
		Long: "Runs the Telegram and Discord bots configured in the config file (or NEWSBOT_TELEGRAM_TOKEN /\n" +
			"NEWSBOT_DISCORD_TOKEN) and polls the configured feeds, until SIGINT or SIGTERM. Creates\n" +
			"the data dir if it does not exist.",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			m.createData = true
			return m.runServe(c.Context())
		},
	}
}

func (m *Main) runServe(ctx context.Context) error {
	if err := m.openSeeded(ctx); err != nil {
		return err
	}
	m.metrics = ops.NewMetrics(m.opsStatus)
	// Following the store is not a reason to run on its own: it joins the
	// services only when there is something to serve.
	var svcs []service
	if m.Config.Telegram.Token != "" {
		tg, err := telegram.New(m.Config.Telegram, m.metrics.Asker(m.bot, "telegram"), m.telegramOptions()...)
		if err != nil {
			return err
		}
		svcs = append(svcs, service{"telegram", tg.Run})
		m.leaseReports = append(m.leaseReports, func() []string {
			if tg.HoldsPollLease() {
				return []string{telegram.PollLease}
			}
			return nil
		})
	}
	if m.Config.Discord.Token != "" {
		dc, err := discord.New(m.Config.Discord, m.metrics.Asker(m.bot, "discord"), m.discordOptions()...)
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
	if o := m.opsService(ctx); o != nil {
		svcs = append(svcs, *o)
	}
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
