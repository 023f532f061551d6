// Package sqlite is the embedded store of record: a store.DB in one SQLite
// file (newsbot.db in the data dir) through modernc.org/sqlite, pure Go,
// so the binary needs no cgo.
//
// The database runs in WAL mode: any number of processes read while one
// writes, and writers queue on a busy timeout instead of failing. Every
// Put and Delete is one transaction that also appends to the change
// sequence, which is how other processes learn what to reload.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"newsbot/retrieval/store"
)

// FileName is the database's file name in the data dir.
const FileName = "newsbot.db"

// DB is a store.DB in a SQLite file. It is safe for concurrent use by many
// goroutines and many processes.
type DB struct {
	path string
	w    *sql.DB // one connection: this process's writes queue here, not on the file lock
	r    *sql.DB // readers, each in its own snapshot
	log  *slog.Logger

	keepChanges int
	keepAge     time.Duration
	watchEvery  time.Duration
	schema      int

	stop   context.CancelFunc // ends Watch loops on Close
	stopCh <-chan struct{}

	vacuumMu sync.Mutex
}

var _ store.DB = (*DB)(nil)

// Option configures a DB.
type Option func(*DB)

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(d *DB) { d.log = l } }

// WithHistory sets how much of the change sequence is kept: a change is
// compacted once it is older than age and more than n newer changes
// exist (default 10,000 changes or 24 hours, whichever keeps more). A
// reader that falls further behind scans the store again.
func WithHistory(n int, age time.Duration) Option {
	return func(d *DB) { d.keepChanges, d.keepAge = n, age }
}

// WithWatchInterval sets how often Watch polls for other processes'
// commits (default 250 ms).
func WithWatchInterval(every time.Duration) Option { return func(d *DB) { d.watchEvery = every } }

// withSchema opens at an older schema version; tests use it to build the
// databases that migrations must upgrade.
func withSchema(v int) Option { return func(d *DB) { d.schema = v } }

// Open opens (creating if needed) the database in dir and brings its schema
// up to date. It commits a small write before returning, so a read-only or
// full data dir fails here, before any work is done.
func Open(ctx context.Context, dir string, opts ...Option) (*DB, error) {
	d := &DB{path: filepath.Join(dir, FileName), log: slog.Default(),
		keepChanges: 10000, keepAge: 24 * time.Hour, watchEvery: 250 * time.Millisecond, schema: SchemaVersion}
	for _, o := range opts {
		o(d)
	}
	if err := prepareFiles(dir, d.path, d.log); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "NORMAL") // WAL + NORMAL: a crash loses no committed transaction, a power cut at most the last ones
	// Checkpoint the WAL every 4 MB (256 pages) and cut it back to 8 MB
	// after: with 16 kB pages the defaults would let it grow to 16 MB.
	q.Add("_pragma", "wal_autocheckpoint(256)")
	q.Add("_pragma", "journal_size_limit(8388608)")
	dsn := "file:" + d.path + "?" + q.Encode()
	var err error
	if d.w, err = sql.Open("sqlite", dsn+"&_txlock=immediate"); err != nil {
		return nil, fmt.Errorf("open store %s: %w", d.path, err)
	}
	d.w.SetMaxOpenConns(1)
	if d.r, err = sql.Open("sqlite", dsn); err != nil {
		d.w.Close()
		return nil, fmt.Errorf("open store %s: %w", d.path, err)
	}
	d.r.SetMaxOpenConns(8)
	// The file's layout, in this order: page size and auto-vacuum only
	// take effect before the first write creates the file (the switch to
	// WAL is one), and are no-ops on an existing database. A chunk row is
	// a 2 kB vector plus a little: on the default 4 kB pages only one fits
	// per page and half the file is slack; 16 kB pages hold seven.
	for _, p := range []string{"page_size = 16384", "auto_vacuum = INCREMENTAL", "journal_mode = WAL"} {
		if _, err := d.w.ExecContext(ctx, "PRAGMA "+p); err != nil {
			d.w.Close()
			d.r.Close()
			return nil, fmt.Errorf("open store %s: %w", d.path, describe(err))
		}
	}
	ctxStop, stop := context.WithCancel(context.Background())
	d.stop, d.stopCh = stop, ctxStop.Done()
	if _, err := migrate(ctx, d.w, d.schema, d.log); err != nil {
		d.Close()
		return nil, fmt.Errorf("open store %s: %w", d.path, describe(err))
	}
	// The probe: a real commit, so that a read-only file or directory and
	// a full disk are found now, not after minutes of embedding.
	if _, err := d.w.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('opened', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		time.Now().UTC().Format(time.RFC3339)); err != nil {
		d.Close()
		return nil, fmt.Errorf("store %s is not writable: %w", d.path, describe(err))
	}
	warnWideModes(dir, d.path, d.log)
	return d, nil
}

// Modes of what Open creates: the data dir and the database file are the
// owner's alone (the file holds every article, the feed state and the
// conversation memory). SQLite gives the -wal and -shm files the
// database file's mode.
const (
	DirMode  os.FileMode = 0o700
	FileMode os.FileMode = 0o600
)

// warnedModes holds the paths whose wider mode was already warned about
// in this process.
var warnedModes sync.Map

// prepareFiles creates dir (DirMode) and an empty database file at path
// (FileMode) if they are missing, so SQLite, which would create the file
// 0644, opens one that only the owner can read. An existing dir or file
// keeps its mode, whatever it is (an administrator may have widened it on
// purpose); see warnWideModes.
func prepareFiles(dir, path string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return err
		}
	case errors.Is(err, fs.ErrExist):
	default:
		// Let SQLite report a read-only directory its own way.
		if !errors.Is(err, fs.ErrPermission) {
			return err
		}
	}
	return nil
}

// warnWideModes warns, once per path and process, about a data dir or
// database file open to group or others. Open calls it only once the
// store works, so a failing open stays one line.
func warnWideModes(dir, path string, log *slog.Logger) {
	for _, p := range []string{dir, path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if _, seen := warnedModes.LoadOrStore(p, true); seen {
			continue
		}
		want := FileMode
		if fi.IsDir() {
			want = DirMode
		}
		log.Warn("store files are readable by other users of this machine; kept as they are: chmod them to restrict",
			"path", p, "mode", fmt.Sprintf("%#o", fi.Mode().Perm()), "suggested", fmt.Sprintf("%#o", want))
	}
}

// Close implements store.DB.
func (d *DB) Close() error {
	d.stop()
	return errors.Join(d.w.Close(), d.r.Close())
}

// Path returns the database file's path.
func (d *DB) Path() string { return d.path }

// describe turns SQLite's result codes that users meet into plain words,
// keeping the original error wrapped.
func describe(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("disk full: %w", err)
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return fmt.Errorf("permission denied or read-only file system: %w", err)
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("the database file is damaged (restore a backup or re-ingest): %w", err)
	case sqlite3.SQLITE_BUSY:
		return fmt.Errorf("the database stayed locked by another process: %w", err)
	}
	return err
}

// Info implements store.DB.
func (d *DB) Info(ctx context.Context) (store.Info, error) {
	inf := store.Info{Engine: "sqlite", Location: d.path}
	if err := d.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&inf.SchemaVersion); err != nil {
		return inf, fmt.Errorf("store info: %w", err)
	}
	seq, err := latestSeq(ctx, d.r)
	if err != nil {
		return inf, fmt.Errorf("store info: %w", err)
	}
	inf.Seq = seq
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(d.path + suffix); err == nil {
			inf.Bytes += fi.Size()
		}
	}
	return inf, nil
}

// queryer is what *sql.DB, *sql.Conn and *sql.Tx share.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// latestSeq is the change sequence's last number, also after compaction
// removed every row.
func latestSeq(ctx context.Context, q queryer) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)`).Scan(&seq)
	return seq, err
}

// inTx runs fn in a write transaction and commits it.
func (d *DB) inTx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, describe(err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, describe(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, describe(err))
	}
	return nil
}

// placeholders is "?,?,…" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
