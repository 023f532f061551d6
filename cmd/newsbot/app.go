package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/dustin/go-humanize/english"

	"newsbot/adapters/ops"
	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/retrieval/index"
	"newsbot/retrieval/reader"
	"newsbot/retrieval/store"
	"newsbot/retrieval/use"
)

// Main is the program: its I/O, configuration and the parts wired from it.
// The end-to-end tests run commands through it exactly as main does.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// Embedder, when set, replaces the configured embedder (tests).
	Embedder index.Embedder

	Config Config
	Log    *slog.Logger

	db    store.DB
	index *index.Index // the in-memory search index over db
	bot   *bot.Bot

	replica string       // this process in leases and /healthz; see replicaName
	engine  string       // the store's engine, for /healthz
	metrics *ops.Metrics // serve's counters; nil in other commands
	// leaseReports tell which leases serve's services hold, for /healthz.
	leaseReports []func() []string
	// defaultData is true when the data dir is the default one, which any
	// command creates on first use; a dir named by --data, the environment
	// or the config must exist unless the command writes (ingest, serve).
	defaultData bool
	// createData is set by the commands that may create the data dir.
	createData bool
	// args is the command line Run was given.
	args []string
	// services are serve's services with their state, for /healthz.
	services []*serviceState
}

// NewMain returns a Main on the process's standard streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// logger logs to stderr: at info for long-running commands, at warn for the
// interactive ones so that answers are not buried.
func (m *Main) logger(cmd string, verbose bool) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(m.Config.LogLevel)))
	if cmd == "chat" || cmd == "ask" || cmd == "eval" || cmd == "bench" || cmd == "stats" || cmd == "follow" {
		lvl = max(lvl, slog.LevelWarn)
	}
	if verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(logHandler(m.Stderr, m.Config.LogFormat, lvl))
}

// Close releases what Run opened. Every article is committed as it is
// stored, so there is nothing left to save.
func (m *Main) Close() error {
	if m.db == nil {
		return nil
	}
	err := m.db.Close()
	m.db, m.index, m.bot = nil, nil, nil
	return err
}

// embedder returns the configured embedder.
func (m *Main) embedder() (index.Embedder, error) {
	if m.Embedder != nil {
		return m.Embedder, nil
	}
	e := m.Config.Embedder
	switch e.Provider {
	case "ollama":
		base := e.BaseURL
		if base == "" {
			base = "http://localhost:11434/api"
		}
		return index.NewOllamaEmbedder(e.Model, base), nil
	case "openai":
		base := e.BaseURL
		if base == "" {
			base = "https://api.openai.com/v1"
		}
		return index.NewOpenAIEmbedder(e.Model, base, e.APIKey), nil
	}
	go use.Shared() // decodes while the caller opens the store: see builtinEmbedder
	return builtinEmbedder{}, nil
}

// builtinEmbedder is the embedded model, which loads in the background
// from the moment it is asked for: opening a store needs only its name, so
// the weights decode while the store's index loads. Embed waits for them.
type builtinEmbedder struct{}

func (builtinEmbedder) Name() string { return use.Name }

func (builtinEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e, err := index.NewBuiltinEmbedder() // the model loaded once, shared
	if err != nil {
		return nil, err
	}
	return e.Embed(ctx, texts)
}

// openStore opens the store of record in the data dir and the index over
// it.
func (m *Main) openStore(ctx context.Context) error {
	if m.index != nil {
		return nil
	}
	emb, err := m.embedder()
	if err != nil {
		return storeError{err}
	}
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	st, err := index.Open(ctx, m.db, emb, index.WithLogger(m.Log))
	if err != nil {
		return storeError{err}
	}
	if _, ok := emb.(builtinEmbedder); ok {
		// The model is loaded by now at the latest; a broken one fails here,
		// as a store error, not at the first question.
		if _, err := index.NewBuiltinEmbedder(); err != nil {
			return storeError{err}
		}
	}
	m.index = st
	return nil
}

// ensureDB opens the store of record, importing an old snapshot store
// left in the data dir on first use.
func (m *Main) ensureDB(ctx context.Context) error {
	if m.db != nil {
		return nil
	}
	if err := m.checkDataDir(); err != nil {
		return err
	}
	db, err := m.openDB(ctx, m.Config.DataDir)
	if err != nil {
		return storeError{err}
	}
	n, err := index.ImportSnapshot(ctx, m.Config.DataDir, db)
	if err != nil {
		db.Close()
		return storeError{err}
	}
	if n > 0 {
		fmt.Fprintf(m.Stderr, "newsbot: imported %d article(s) from the old store format; its files are in %s.\n",
			n, filepath.Join(m.Config.DataDir, index.ImportedDir))
	}
	m.db = db
	return nil
}

// checkDataDir refuses a data dir that does not exist unless it is the
// default one (a fresh install) or the command writes (ingest, serve): a
// mistyped --data must not quietly become a new store. A PostgreSQL store
// keeps nothing in the data dir.
func (m *Main) checkDataDir() error {
	if m.Config.Store.URL != "" || m.defaultData || m.createData {
		return nil
	}
	fi, err := os.Stat(m.Config.DataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return storeError{fmt.Errorf("data dir %s does not exist (check --data; newsbot ingest creates it)", m.Config.DataDir)}
	case err != nil:
		return storeError{fmt.Errorf("data dir: %w", err)}
	case !fi.IsDir():
		return storeError{fmt.Errorf("data dir %s is not a directory", m.Config.DataDir)}
	}
	return nil
}

// follow keeps the store in step with what other processes commit until
// the returned stop function is called; stop waits for the follower.
func (m *Main) follow(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = m.index.Follow(ctx) // logs its own errors and returns nil
	}()
	return func() {
		cancel()
		<-done
	}
}

// newBot builds the bot over r from the configuration.
func (m *Main) newBot(r bot.Retriever) (*bot.Bot, error) {
	opts := []bot.Option{bot.WithLogger(m.Log)}
	w, err := m.writer()
	if err != nil {
		return nil, err
	}
	if w != nil {
		opts = append(opts, bot.WithWriter(w), bot.WithWriterTimeout(m.Config.LLM.Timeout))
	}
	x, err := m.newExtractor(r)
	if err != nil {
		return nil, err
	}
	return bot.New(x, opts...), nil
}

// newExtractor builds the bot's answer extractor over r from the
// configuration: the answer model, its threshold and the reader.
func (m *Main) newExtractor(r bot.Retriever) (*answer.Extractor, error) {
	opts := []answer.Option{answer.WithLogger(m.Log), answer.WithMaxQuotes(m.Config.Answer.MaxQuotes),
		answer.WithCandidates(m.Config.Answer.Candidates)}
	if t := m.Config.Answer.Threshold; t != nil {
		opts = append(opts, answer.WithThreshold(*t))
	}
	if load := m.readerLoad(); load != nil {
		rd, err := load()
		if err != nil {
			return nil, err
		}
		opts = append(opts, answer.WithReader(rd))
	}
	return answer.New(r, opts...), nil
}

// readerLoad returns what loads the configured reader (once per process),
// or nil when answers go without one.
func (m *Main) readerLoad() func() (*reader.Reader, error) {
	if on := m.Config.Answer.Reader; on != nil && !*on {
		return nil
	}
	if p := os.Getenv("NEWSBOT_READER_WEIGHTS"); p != "" {
		// Reader weights from a training run, for experiments
		// (docs/answer-quality.md); never needed in use.
		return func() (*reader.Reader, error) { return reader.LoadFile(p) }
	}
	return reader.Load
}

// ensureSeeded ingests the bundled seed news into a store that was never
// seeded, so a fresh install answers right away; a store emptied on
// purpose (newsbot rm) stays empty. A store that holds articles counts as
// seeded.
func (m *Main) ensureSeeded(ctx context.Context) error {
	seeded, err := m.seeded(ctx)
	if err != nil || seeded {
		return err
	}
	if inf, _ := m.index.Info(ctx); inf.Articles > 0 {
		return m.markSeeded(ctx)
	}
	fmt.Fprintf(m.Stderr, "newsbot: empty store at %s; ingesting the bundled sample news first.\n", m.Config.DataDir)
	rep, err := m.ingestSeeds(ctx)
	if err != nil {
		return err
	}
	if err := m.markSeeded(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "newsbot: %s ingested.\n", english.Plural(rep.Added+rep.Replaced, "sample article", ""))
	return nil
}

// The store's key-value record that it was seeded (or filled by hand).
const (
	metaNamespace = "meta"
	seededKey     = "seeded"
)

// seeded reports whether the store was ever seeded or filled.
func (m *Main) seeded(ctx context.Context) (bool, error) {
	_, err := m.db.Value(ctx, metaNamespace, seededKey)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	}
	return false, storeError{fmt.Errorf("read whether the store was seeded: %w", err)}
}

// markSeeded records that the store needs no sample news any more.
func (m *Main) markSeeded(ctx context.Context) error {
	if err := m.db.SetValue(ctx, metaNamespace, seededKey, []byte("1"), 0); err != nil {
		return storeError{fmt.Errorf("record that the store was seeded: %w", err)}
	}
	return nil
}
