package postgres

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Timings of the listener. A LISTEN connection is idle by nature, so a
// dead peer is only noticed by asking: every idleCheck without a
// notification, it pings.
const (
	idleCheck      = 15 * time.Second
	pingTimeout    = 5 * time.Second
	backoffInitial = 100 * time.Millisecond
	backoffMax     = 5 * time.Second
)

// listener runs one LISTEN connection per DB, started by the first Watch,
// and fans its notifications out to every watcher.
type listener struct {
	cfg   *pgx.ConnConfig
	log   *slog.Logger
	scrub func(string) string

	mu       sync.Mutex
	watchers map[chan struct{}]struct{}
	started  bool
	closed   bool
	stop     context.CancelFunc
	done     chan struct{} // closed when the DB closes
	exited   chan struct{} // closed when run returns
}

func newListener(cfg *pgx.ConnConfig, log *slog.Logger, scrub func(string) string) *listener {
	cfg = cfg.Copy()
	// Waiting for a notification ends with a deadline on the socket, not a
	// cancel request to the server: the connection stays usable for a ping.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	return &listener{
		cfg:      cfg,
		log:      log,
		scrub:    scrub,
		watchers: map[chan struct{}]struct{}{},
		done:     make(chan struct{}),
		exited:   make(chan struct{}),
	}
}

// Watch returns a channel that receives a value (coalesced) whenever the
// database may have changed: a NOTIFY from any process, a write through
// this DB, or a (re)connection of the listener, after which changes made
// while it was away are found by Changes. The channel closes when ctx
// ends or the DB closes.
func (db *DB) Watch(ctx context.Context) <-chan struct{} {
	return db.listen.watch(ctx)
}

func (l *listener) watch(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		close(ch)
		return ch
	}
	l.watchers[ch] = struct{}{}
	if !l.started {
		l.started = true
		runCtx, stop := context.WithCancel(context.Background())
		l.stop = stop
		go l.run(runCtx)
	}
	go func() {
		select {
		case <-ctx.Done():
		case <-l.done:
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.watchers, ch)
		close(ch) // under mu: poke never sends on a closed channel
	}()
	return ch
}

// poke signals every watcher without blocking; a watcher with a signal
// pending already knows.
func (l *listener) poke() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// close stops the listener and closes every watcher's channel.
func (l *listener) close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	close(l.done)
	started := l.started
	if started {
		l.stop()
	}
	l.mu.Unlock()
	if started {
		<-l.exited
	}
}

// run keeps a LISTEN connection open until ctx ends, reconnecting with
// exponential backoff.
func (l *listener) run(ctx context.Context) {
	defer close(l.exited)
	backoff := backoffInitial
	for ctx.Err() == nil {
		err := l.listenOnce(ctx, func() { backoff = backoffInitial })
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("store: lost the PostgreSQL change listener; reconnecting",
			"err", l.scrub(err.Error()), "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, backoffMax)
	}
}

// listenOnce connects, LISTENs and pokes watchers for each notification
// until the connection fails or ctx ends. connected is called once the
// LISTEN is in place.
func (l *listener) listenOnce(ctx context.Context, connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), pingTimeout)
		defer cancel()
		_ = conn.Close(closeCtx) // the connection is being dropped anyway
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	connected()
	// Changes made while no LISTEN was in place were not announced.
	l.poke()
	for {
		waitCtx, cancel := context.WithTimeout(ctx, idleCheck)
		_, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			l.poke()
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
			if conn.IsClosed() {
				return err
			}
			pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
			err := conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return err
			}
		default:
			return err
		}
	}
}
