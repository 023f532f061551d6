package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// Defaults for the Options.
const (
	// DefaultPollTimeout is how long one getUpdates long poll may wait.
	DefaultPollTimeout = 60 * time.Second
	// DefaultShutdownTimeout bounds how long Run waits for answers in
	// flight once its context is done.
	DefaultShutdownTimeout = 10 * time.Second
	// DefaultFollowUpWindow is how soon a new question in a private chat
	// must come to be taken as a follow-up of the last one.
	DefaultFollowUpWindow = 5 * time.Minute
	// DefaultMaxConcurrent bounds the updates handled at once.
	DefaultMaxConcurrent = 16
)

// Adapter serves a bot.Asker on Telegram. Create it with New and start it
// with Run.
type Adapter struct {
	connected func() // WithConnected; nil: none
	cfg       Config
	asker     bot.Asker
	log       *slog.Logger

	client          *http.Client
	pollTimeout     time.Duration
	shutdownTimeout time.Duration
	followUpWindow  time.Duration
	maxConcurrent   int
	listener        net.Listener
	now             func() time.Time
	retry           retryPolicy // zero: defaultRetry

	tg           *tgbot.Bot
	gate         convo.Gate    // questions, follow commands and notices per user
	follows      convo.Follows // WithFollower; no Follower: following is not enabled
	limits       convo.Limits
	mem          *convo.Memory[int64, int]
	shared       bot.Memory    // conversations shared with other replicas; nil: this process only
	sharedTTL    time.Duration // of what is saved to shared
	lease        *leaseConfig  // long polling only while holding it; nil: always
	polling      atomic.Bool   // holds the lease and polls (lease mode only)
	allowedChats map[int64]bool
	allowedUsers map[int64]bool

	running    atomic.Bool
	me         models.User     // set by Run before any update is handled
	workCtx    context.Context // outlives Run's context by the shutdown timeout
	cancelWork context.CancelFunc
	sem        chan struct{}
	inflight   sync.WaitGroup
	handled    func() // test hook: called after each update is handled
}

// Option configures an Adapter.
type Option func(*Adapter)

// WithLogger sets the logger; the default is slog.Default(). Nothing logged
// contains the bot token.
func WithLogger(l *slog.Logger) Option {
	return func(a *Adapter) {
		if l != nil {
			a.log = l
		}
	}
}

// WithHTTPClient sets the client for Bot API requests. Its Timeout must
// exceed the poll timeout, or every long poll fails. The default has a
// timeout of the poll timeout plus 15 seconds.
func WithHTTPClient(c *http.Client) Option { return func(a *Adapter) { a.client = c } }

// WithPollTimeout sets how long one getUpdates long poll may wait for
// updates (DefaultPollTimeout). Telegram holds the request open that long
// when there is nothing to deliver.
func WithPollTimeout(d time.Duration) Option { return func(a *Adapter) { a.pollTimeout = d } }

// WithShutdownTimeout bounds how long Run waits for answers in flight once
// its context is done (DefaultShutdownTimeout); after that they are
// cancelled.
func WithShutdownTimeout(d time.Duration) Option {
	return func(a *Adapter) { a.shutdownTimeout = d }
}

// WithFollowUpWindow sets how soon a question in a private chat must follow
// the previous answer to be taken as its follow-up (DefaultFollowUpWindow).
// Replies to the bot's answers are follow-ups however late they come.
func WithFollowUpWindow(d time.Duration) Option { return func(a *Adapter) { a.followUpWindow = d } }

// WithMaxConcurrent bounds how many updates are handled at once
// (DefaultMaxConcurrent); further updates wait for a free slot.
func WithMaxConcurrent(n int) Option { return func(a *Adapter) { a.maxConcurrent = n } }

// WithWebhookListener makes the webhook server accept connections on l
// instead of listening on Config.Listen; Run closes it. For tests and
// socket activation.
func WithWebhookListener(l net.Listener) Option { return func(a *Adapter) { a.listener = l } }

// New returns an Adapter for cfg that answers with asker. It validates cfg
// but does not contact Telegram; Run does.
func New(cfg Config, asker bot.Asker, opts ...Option) (*Adapter, error) {
	if asker == nil {
		return nil, errors.New("telegram: nil asker")
	}
	return newAdapter(cfg, asker, opts...)
}

// newAdapter is New without the check of asker, which NewPusher leaves
// nil: an Adapter that only sends.
func newAdapter(cfg Config, asker bot.Asker, opts ...Option) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	a := &Adapter{
		cfg:             cfg,
		asker:           asker,
		log:             slog.Default(),
		pollTimeout:     DefaultPollTimeout,
		shutdownTimeout: DefaultShutdownTimeout,
		followUpWindow:  DefaultFollowUpWindow,
		maxConcurrent:   DefaultMaxConcurrent,
		now:             time.Now,
		gate:            convo.NewGate(cfg.RatePerMinute),
		limits:          defaultLimits,
		allowedChats:    idSet(cfg.AllowedChats),
		allowedUsers:    idSet(cfg.AllowedUsers),
	}
	for _, o := range opts {
		o(a)
	}
	a.follows.Scrub = a.scrub
	a.mem = a.newMemory()
	if a.pollTimeout < 2*time.Second {
		// The library asks Telegram to wait pollTimeout-1s; less than a
		// second would turn long polling into busy polling.
		return nil, errors.New("telegram: poll timeout must be at least 2s")
	}
	if a.maxConcurrent < 1 {
		a.maxConcurrent = 1
	}
	if a.client == nil {
		a.client = &http.Client{Timeout: a.pollTimeout + 15*time.Second}
	}
	a.sem = make(chan struct{}, a.maxConcurrent)
	tg, err := tgbot.New(cfg.Token,
		tgbot.WithSkipGetMe(), // Run calls getMe with its context
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithHTTPClient(a.pollTimeout, withStatusErrors(a.client)),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{"message"}),
		tgbot.WithDefaultHandler(a.dispatch),
		// dispatch starts its own goroutine, so that it can count it
		// before Run starts waiting for in-flight answers.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithErrorsHandler(func(err error) {
			a.log.Warn("telegram: bot API error", "err", a.redact(err))
		}),
		tgbot.WithWebhookSecretToken(cfg.SecretToken),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", a.redact(err))
	}
	a.tg = tg
	return a, nil
}

func idSet(ids []int64) map[int64]bool {
	if len(ids) == 0 {
		return nil
	}
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Run serves updates until ctx is done: by long polling, or as a webhook
// server when Config.WebhookURL is set. It then waits for the answers in
// flight, at most the shutdown timeout, and returns nil. It returns an
// error early if Telegram cannot be reached, rejects the token, or the
// webhook cannot be set up. Run may be called once.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	me, err := withRetry(ctx, a, "getMe", func(ctx context.Context) (*models.User, error) {
		return a.tg.GetMe(ctx)
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil // shut down before connecting: not a failure
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return fmt.Errorf("telegram: the Bot API rejected the bot token; check [telegram] token or NEWSBOT_TELEGRAM_TOKEN: %w", a.redact(err))
		}
		return fmt.Errorf("telegram: getMe: %w", a.redact(err))
	}
	a.me = *me
	a.log.Info("telegram: connected", "bot", "@"+me.Username, "id", me.ID, "webhook", a.cfg.WebhookURL != "")
	if a.connected != nil {
		a.connected()
	}

	a.workCtx, a.cancelWork = context.WithCancel(context.WithoutCancel(ctx))
	defer a.cancelWork()
	a.setCommands(ctx)

	switch {
	case a.cfg.WebhookURL != "":
		err = a.serveWebhook(ctx)
	case a.lease != nil:
		err = a.pollLeased(ctx)
	default:
		a.poll(ctx)
	}
	a.drain()
	return err
}

// poll receives updates by long polling until ctx is done.
func (a *Adapter) poll(ctx context.Context) {
	// getUpdates fails while a webhook is set, e.g. by an earlier run in
	// webhook mode; pending updates are kept.
	if _, err := withRetry(ctx, a, "deleteWebhook", func(ctx context.Context) (bool, error) {
		return a.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
	}); err != nil && ctx.Err() == nil {
		a.log.Warn("telegram: could not delete webhook; polling may fail", "err", a.redact(err))
	}
	a.tg.Start(ctx) // returns once ctx is done and no update is being dispatched
}

// drain waits for the answers in flight, at most the shutdown timeout,
// then cancels those left.
func (a *Adapter) drain() {
	done := make(chan struct{})
	go func() { a.inflight.Wait(); close(done) }()
	t := time.NewTimer(a.shutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
		return
	case <-t.C:
	}
	a.log.Warn("telegram: shutdown timeout; cancelling answers in flight", "timeout", a.shutdownTimeout)
	a.cancelWork()
	select {
	case <-done:
	case <-time.After(time.Second):
		a.log.Warn("telegram: answers still in flight after cancellation; leaving them")
	}
}

// setCommands registers the command menu Telegram shows; failure is only
// cosmetic.
func (a *Adapter) setCommands(ctx context.Context) {
	_, err := withRetry(ctx, a, "setMyCommands", func(ctx context.Context) (bool, error) {
		return a.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: a.commands()})
	})
	if err != nil && ctx.Err() == nil {
		a.log.Warn("telegram: could not set the command menu", "err", a.redact(err))
	}
}

// commands is the command menu: the follow commands only when following
// is enabled.
func (a *Adapter) commands() []models.BotCommand {
	cmds := []models.BotCommand{
		{Command: "ask", Description: "Ask a question about the news"},
		{Command: "sources", Description: "Full citations of my last answer"},
	}
	if a.follows.Enabled() {
		cmds = append(cmds,
			models.BotCommand{Command: "follow", Description: "Get new quotes on a story as the news comes in"},
			models.BotCommand{Command: "following", Description: "What this chat follows"},
			models.BotCommand{Command: "unfollow", Description: "Stop following a story: a number, or all"},
		)
	}
	return append(cmds, models.BotCommand{Command: "help", Description: "What I know and how to ask"})
}

// dispatch hands an update to a goroutine of its own, waiting for a free
// slot. The library calls it synchronously from its workers, so every
// inflight.Add happens before Start returns and Run waits.
func (a *Adapter) dispatch(ctx context.Context, _ *tgbot.Bot, upd *models.Update) {
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		a.log.Warn("telegram: update dropped at shutdown", "update_id", upd.ID)
		return
	}
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		defer func() { <-a.sem }()
		a.handleOne(upd)
	}()
}

// handleOne answers one update in a slot of sem, surviving a panic.
func (a *Adapter) handleOne(upd *models.Update) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("telegram: panic handling update", "update_id", upd.ID, "panic", fmt.Sprint(p))
		}
	}()
	a.handleOnce(a.workCtx, upd)
	if a.handled != nil {
		a.handled()
	}
}

// userKey is the rate limiter's key for a user.
func userKey(id int64) string { return strconv.FormatInt(id, 10) }
