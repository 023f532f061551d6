package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// Default timings; see the matching options.
const (
	defaultAnswerTimeout   = 2 * time.Minute
	defaultShutdownTimeout = 10 * time.Second
	defaultHTTPTimeout     = 20 * time.Second
)

// Adapter connects a bot.Asker to Discord: it answers slash commands,
// mentions and DMs. Create it with New and start it with Run.
type Adapter struct {
	connected func() // WithConnected; nil: none
	cfg       Config
	asker     bot.Asker
	log       *slog.Logger
	sc        scrubber
	http      *http.Client

	answerTimeout   time.Duration
	shutdownTimeout time.Duration

	access  access
	gate    convo.Gate    // questions, follow commands and rate-limit notices per user
	follows convo.Follows // WithFollower; no Follower: following is not enabled
	limits  convo.Limits
	mem     *convo.Memory[string, string]
	// shared holds conversations for every replica; nil: this process only.
	shared    bot.Memory
	sharedTTL time.Duration

	mu       sync.Mutex
	running  bool
	closing  bool
	inflight sync.WaitGroup
	hctx     context.Context // parent of every answer; outlives Run's ctx by the shutdown grace
}

// Option configures an Adapter.
type Option func(*Adapter)

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(a *Adapter) { a.log = l } }

// WithHTTPClient sets the HTTP client for REST calls. It is copied, not
// modified; its Transport (or http.DefaultTransport) carries the requests.
func WithHTTPClient(c *http.Client) Option { return func(a *Adapter) { a.http = c } }

// WithAnswerTimeout bounds how long one question may take, from receipt to
// the last message sent (default 2 minutes; Discord's interaction token
// lasts 15).
func WithAnswerTimeout(d time.Duration) Option { return func(a *Adapter) { a.answerTimeout = d } }

// WithShutdownTimeout bounds how long Run waits, once its context is done,
// for answers in flight to be sent before closing the session (default 10s).
func WithShutdownTimeout(d time.Duration) Option { return func(a *Adapter) { a.shutdownTimeout = d } }

// New validates cfg and returns an Adapter answering with asker. Errors
// never contain the token.
func New(cfg Config, asker bot.Asker, opts ...Option) (*Adapter, error) {
	if asker == nil {
		return nil, errors.New("discord: nil Asker")
	}
	return newAdapter(cfg, asker, opts...)
}

// newAdapter is New without the check of asker, which NewPusher leaves
// nil: an Adapter that only sends.
func newAdapter(cfg Config, asker bot.Asker, opts ...Option) (*Adapter, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	a := &Adapter{
		cfg:             cfg,
		asker:           asker,
		log:             slog.Default(),
		sc:              scrubber{token: cfg.Token},
		answerTimeout:   defaultAnswerTimeout,
		shutdownTimeout: defaultShutdownTimeout,
		access:          newAccess(cfg.AllowedGuilds, cfg.AllowedChannels),
		gate:            convo.NewGate(cfg.RatePerMinute),
		limits:          defaultLimits,
	}
	for _, o := range opts {
		o(a)
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	a.follows.Scrub = a.sc.scrub
	a.mem = a.newMemory()
	if a.answerTimeout <= 0 {
		a.answerTimeout = defaultAnswerTimeout
	}
	if a.shutdownTimeout <= 0 {
		a.shutdownTimeout = defaultShutdownTimeout
	}
	client := &http.Client{Timeout: defaultHTTPTimeout}
	if a.http != nil {
		c := *a.http
		client = &c
	}
	if cfg.APIURL != DefaultAPIURL {
		t, err := newRewriteTransport(client.Transport, cfg.APIURL)
		if err != nil {
			return nil, fmt.Errorf("discord: api_url: %w", err)
		}
		client.Transport = t
	}
	a.http = client
	return a, nil
}

// newSession returns a discordgo session set up for this adapter. Intents
// are the non-privileged guild and DM message events, plus Message Content
// only when configured. discordgo's own logging is switched off: at debug
// level it prints the Identify payload, token included, and it writes to the
// standard logger rather than ours; connection changes are logged from
// events instead (see addHandlers).
func (a *Adapter) newSession() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + a.cfg.Token)
	if err != nil {
		return nil, a.sc.wrap(err)
	}
	s.LogLevel = -1 // below LogError: nothing is logged
	s.Client = a.http
	s.StateEnabled = false // only Ready (our user ID) is needed
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if a.cfg.MessageContent {
		s.Identify.Intents |= discordgo.IntentsMessageContent
	}
	if a.cfg.ShardCount > 1 {
		s.ShardID, s.ShardCount = a.cfg.ShardID, a.cfg.ShardCount
	}
	return s, nil
}

// Run connects to Discord, registers the slash commands and answers until
// ctx is done; then it stops taking questions, waits (at most the shutdown
// timeout) for answers in flight and closes the gateway connection. It
// returns nil after a shutdown through ctx, or the error that prevented
// connecting. Gateway drops after connecting are not errors: discordgo
// reconnects (resuming the session when it can) and answers keep flowing.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return errors.New("discord: Run called twice")
	}
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	a.running, a.closing, a.hctx = true, false, hctx
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.running = false
		a.mu.Unlock()
	}()

	a.warnInsecure()
	s, err := a.newSession()
	if err != nil {
		return err
	}
	a.addHandlers(s)
	if err := s.Open(); err != nil {
		return fmt.Errorf("discord: connect to %s: %w", a.apiRoot(), a.sc.wrap(a.dialled(err)))
	}
	self, app := identity(s)
	a.log.Info("connected to Discord", "user", self.Username, "user_id", self.ID, "application_id", app,
		"shard", a.cfg.ShardID, "shards", max(a.cfg.ShardCount, 1))
	if a.connected != nil {
		a.connected()
	}
	if !a.cfg.registersCommands() {
		a.log.Info("slash commands are registered by shard 0")
	} else if err := a.registerCommands(ctx, s, app); err != nil {
		// Mentions and DMs work without commands, so keep serving.
		a.log.Error("registering slash commands failed", "err", a.sc.scrub(err.Error()))
	}
	a.log.Info("serving questions")

	<-ctx.Done()
	a.shutdown(s, cancel)
	return nil
}

// shutdown stops new questions, waits for answers in flight (cancelling
// them after the grace period) and closes the session.
func (a *Adapter) shutdown(s io.Closer, cancel context.CancelFunc) {
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	a.log.Info("shutting down; finishing answers in flight", "grace", a.shutdownTimeout)
	done := make(chan struct{})
	go func() { a.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(a.shutdownTimeout):
		a.log.Warn("shutting down with answers still in flight; cancelling them")
		cancel()
		select {
		case <-done:
		case <-time.After(a.shutdownTimeout):
		}
	}
	if err := s.Close(); err != nil {
		a.log.Warn("closing the gateway connection failed", "err", a.sc.scrub(err.Error()))
	}
	a.log.Info("disconnected from Discord")
}

// begin registers an event being handled and returns the context for it,
// or false when shutting down.
func (a *Adapter) begin() (context.Context, context.CancelFunc, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing || a.hctx == nil {
		return nil, nil, false
	}
	a.inflight.Add(1)
	ctx, cancel := context.WithTimeout(a.hctx, a.answerTimeout)
	return ctx, func() { cancel(); a.inflight.Done() }, true
}

// identity returns the bot's user and application ID from the Ready event,
// which discordgo has processed when Open returns. Bots created before
// 2020 may have an application ID different from their user ID.
func identity(s *discordgo.Session) (discordgo.User, string) {
	s.State.RLock()
	defer s.State.RUnlock()
	var u discordgo.User
	if s.State.User != nil {
		u = *s.State.User
	}
	app := u.ID
	if s.State.Application != nil && s.State.Application.ID != "" {
		app = s.State.Application.ID
	}
	return u, app
}

// selfID returns the bot's user ID.
func selfID(s *discordgo.Session) string {
	u, _ := identity(s)
	return u.ID
}

// warnInsecure logs when the token would travel in clear text to a
// non-loopback host.
func (a *Adapter) warnInsecure() {
	u, err := url.Parse(a.cfg.APIURL)
	if err != nil || u.Scheme != "http" {
		return
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
		return
	}
	a.log.Warn("api_url uses plain http to a non-loopback host; the bot token is sent unencrypted", "host", host)
}

// addHandlers wires the gateway events to the adapter.
func (a *Adapter) addHandlers(s *discordgo.Session) {
	s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		a.guard("message", func() { a.onMessage(s, m.Message) })
	})
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		a.guard("interaction", func() { a.onInteraction(s, i.Interaction) })
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.log.Info("gateway disconnected; discordgo reconnects unless shutting down")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) { a.log.Debug("gateway connected") })
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { a.log.Info("gateway session resumed") })
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) {
		a.log.Warn("Discord rate limit; retrying", "url", a.destination(r.URL), "retry_after", r.RetryAfter)
	})
}

// guard runs an event handler, turning a panic into a log line: discordgo
// calls handlers on their own goroutines, where a panic would end the
// process.
func (a *Adapter) guard(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("handler panicked", "event", what, "panic", a.sc.scrub(fmt.Sprint(r)))
		}
	}()
	f()
}
