// Package postgres is the PostgreSQL engine of store.DB, for running many
// newsbot processes on one shared store.
//
// It needs no extension: vectors are bytea (little-endian float32) and
// dense search stays in-process. Every Put and deletion appends a row to
// the changes table (a bigserial) and sends a NOTIFY in the same
// transaction; Watch LISTENs on a dedicated connection that reconnects
// with backoff, and readers also poll Changes, so a dropped connection
// only delays them. Schema migrations run on Open under an advisory lock,
// so many processes can start at once.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"newsbot/internal/redact"
	"newsbot/retrieval/store"
)

// DB is a store.DB on a PostgreSQL database. It is safe for concurrent use.
type DB struct {
	pool     *pgxpool.Pool
	log      *slog.Logger
	location string // the URL without its password
	scrub    func(string) string
	schema   int

	listen     *listener
	history    history
	compacting *throttle // the change history
	sweeping   *throttle // expired values
	closeMu    sync.Mutex
	isClosed   bool
}

var _ store.DB = (*DB)(nil)

// Option changes how Open connects.
type Option func(*options)

type options struct {
	log      *slog.Logger
	maxConns int32
	history  history
}

// WithLogger sets where reconnections and other background events are
// logged (default: slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// WithChangeHistory sets how much of the change sequence is kept: at
// least the latest keep changes and every change younger than age
// (default 10,000 and 24 h, as the embedded store). A reader further
// behind gets store.ErrHistoryGone and scans again.
func WithChangeHistory(keep int, age time.Duration) Option {
	return func(o *options) { o.history.keep, o.history.age = int64(keep), age }
}

// WithCompactEvery sets how often a process compacts the change history
// after its writes (default once a minute; 0: after every write).
func WithCompactEvery(d time.Duration) Option {
	return func(o *options) { o.history.every = d }
}

// WithMaxConns caps the connections the pool opens (default: pgxpool's,
// the larger of 4 and the number of CPUs). The Watch listener uses one
// more of its own.
func WithMaxConns(n int) Option {
	return func(o *options) { o.maxConns = int32(n) }
}

// Open connects to the PostgreSQL database at url (a postgres:// URL or a
// key=value DSN, as libpq accepts), applies any pending schema migrations
// and returns the DB. Errors never contain the password.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	o := options{log: slog.Default(), history: history{keep: 10000, age: 24 * time.Hour, every: time.Minute}}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors may quote the URL with its password.
		return nil, errors.New("store url: cannot parse it as a PostgreSQL URL (postgres://user:password@host:port/database) or key=value DSN")
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	}
	cfg.ConnConfig.DialFunc = dialer(cfg.ConnConfig.ConnectTimeout).DialContext
	scrub := scrubber(cfg.ConnConfig.Password)
	db := &DB{
		log:        o.log,
		location:   location(cfg.ConnConfig),
		scrub:      scrub,
		history:    o.history,
		compacting: &throttle{every: o.history.every},
		sweeping:   &throttle{every: sweepEvery},
	}
	db.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, redact.Wrap(fmt.Errorf("store: open %s: %w", db.location, err), scrub)
	}
	if db.schema, err = migrate(ctx, db.pool, db.log); err != nil {
		db.pool.Close()
		return nil, redact.Wrap(fmt.Errorf("store: open %s: %w", db.location, err), scrub)
	}
	db.listen = newListener(cfg.ConnConfig, db.log, scrub)
	return db, nil
}

// scrubber returns a function that masks password in a message and puts
// it on one line (pgx lists each address it tried on a line of its own).
func scrubber(password string) func(string) string {
	oneLine := strings.NewReplacer(":\n\t", ": ", "\n\t", "; ", "\n", " ")
	return func(s string) string {
		if password != "" {
			s = strings.ReplaceAll(s, password, "xxxxx")
		}
		return oneLine.Replace(s)
	}
}

// location describes where cfg connects, without the password.
func location(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// wrap adds what failed to err and masks the password, which a server or
// driver message might echo.
func (db *DB) wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return redact.Wrap(fmt.Errorf(format+": %w", append(args, err)...), db.scrub)
}

// Close stops the Watch listener and closes every connection. Calling it
// again does nothing.
func (db *DB) Close() error {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	if db.isClosed {
		return nil
	}
	db.isClosed = true
	db.listen.close()
	db.pool.Close()
	return nil
}
