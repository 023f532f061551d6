package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

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
	// connect, set instead of run for a chat platform, runs one attempt
	// to connect and serve; it calls up once connected. serve retries it
	// forever (see supervise), so an unreachable platform never stops
	// the other services.
	connect func(ctx context.Context, up func()) error
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
	fsvc, err := m.serveFollows()
	if err != nil {
		return err
	}
	if m.Config.Telegram.Token != "" {
		// An adapter runs once: each attempt gets a new one. The first is
		// made now, so a config error stops serve at once.
		newTG := func(up func()) (*telegram.Adapter, error) {
			opts := append(m.telegramOptions(), telegram.WithConnected(up))
			if fsvc != nil {
				opts = append(opts, telegram.WithFollower(fsvc))
			}
			return telegram.New(m.Config.Telegram, m.metrics.Asker(m.bot, "telegram"), opts...)
		}
		if _, err := newTG(nil); err != nil {
			return err
		}
		var cur atomic.Pointer[telegram.Adapter]
		svcs = append(svcs, service{name: "telegram", connect: func(ctx context.Context, up func()) error {
			tg, err := newTG(up)
			if err != nil {
				return err
			}
			cur.Store(tg)
			return tg.Run(ctx)
		}})
		m.leaseReports = append(m.leaseReports, func() []string {
			if tg := cur.Load(); tg != nil && tg.HoldsPollLease() {
				return []string{telegram.PollLease}
			}
			return nil
		})
	}
	if m.Config.Discord.Token != "" {
		newDC := func(up func()) (*discord.Adapter, error) {
			opts := append(m.discordOptions(), discord.WithConnected(up))
			if fsvc != nil {
				opts = append(opts, discord.WithFollower(fsvc))
			}
			return discord.New(m.Config.Discord, m.metrics.Asker(m.bot, "discord"), opts...)
		}
		if _, err := newDC(nil); err != nil {
			return err
		}
		svcs = append(svcs, service{name: "discord", connect: func(ctx context.Context, up func()) error {
			dc, err := newDC(up)
			if err != nil {
				return err
			}
			return dc.Run(ctx)
		}})
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
	if fsvc != nil {
		svcs = append(svcs, followsService(fsvc))
	}
	svcs = append(svcs, service{name: "store", run: m.index.Follow})
	if o := m.opsService(ctx); o != nil {
		svcs = append(svcs, *o)
	}
	return m.runServices(ctx, svcs)
}

// runServices runs every service until ctx ends or one fails; a failure
// stops the others, and serve returns once all have shut down. A chat
// platform (a service with connect) never fails: it is retried until ctx
// ends, and its state is in /healthz.
func (m *Main) runServices(ctx context.Context, svcs []service) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	errs := make([]error, len(svcs))
	m.services = make([]*serviceState, len(svcs))
	for i, s := range svcs {
		m.services[i] = newServiceState(s.name, s.connect != nil)
	}
	for i, s := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Log.Info("starting", "service", s.name)
			if s.connect != nil {
				m.supervise(ctx, s, m.services[i])
				m.Log.Info("stopped", "service", s.name)
				return
			}
			if err := s.run(ctx); err != nil && ctx.Err() == nil {
				m.services[i].set("down", oneLine(err))
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
