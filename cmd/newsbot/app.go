package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/dustin/go-humanize/english"

	"newsbot/adapters/ops"
	"newsbot/bot"
	"newsbot/retrieval"
	"newsbot/retrieval/reader"
	"newsbot/retrieval/store"
)

// Main is the program: its I/O, configuration and the parts wired from it.
// The end-to-end tests run commands through it exactly as main does.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// Embedder, when set, replaces the configured embedder (tests).
	Embedder retrieval.Embedder

	Config Config
	Log    *slog.Logger

	db    store.DB
	store *retrieval.Store
	bot   *bot.Bot

	replica string       // this process in leases and /healthz; see replicaName
	engine  string       // the store's engine, for /healthz
	metrics *ops.Metrics // serve's counters; nil in other commands
	// leaseReports tell which leases serve's services hold, for /healthz.
	leaseReports []func() []string
	// services are serve's services with their state, for /healthz.
	services []*serviceState
}

// NewMain returns a Main on the process's standard streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// usageError is a mistake in the command line; main exits 2 for it.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errReported is returned when the command already told the user what went
// wrong and only the exit status is left to set.
var errReported = errors.New("reported")

const usage = `newsbot answers questions about ingested news with verbatim, cited quotes.

Usage: newsbot [--config FILE] [--data DIR] [--verbose] [--log-format json|text|human] COMMAND [ARGS]

Commands:
  chat                 interactive chat (ingests the bundled seed news on first use)
  ask [--json] Q       answer one question
  ingest PATH|URL...   ingest files, directories, feeds or pages (--feeds: the configured feeds)
  stats                what is stored, and where
  articles             the stored articles, newest first (--source, --since, --json)
  rm ID...             remove articles (or --source S / --before DATE)
  export [--id ID]...  print stored articles as JSON Lines (the format ingest reads)
  feeds                the configured feeds and how their last fetch went
  serve                run the Telegram and Discord bots and poll feeds
  eval                 measure retrieval and quote quality on a QA set
  bench                measure ingest and query speed
  completion SHELL     shell completion script for bash, zsh or fish

Run "newsbot COMMAND -h" for a command's flags.`

// Run parses global flags and runs one command.
func (m *Main) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("newsbot", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		fmt.Fprintln(fs.Output(), "\nGlobal flags:")
		fs.PrintDefaults()
	}
	cfgPath := fs.String("config", "", "TOML config `file`")
	dataDir := fs.String("data", "", "data `dir` (overrides the config)")
	verbose := fs.Bool("verbose", false, "log at debug level")
	logFormat := fs.String("log-format", "", "log line `format`: json or text (key=value) for services, human for lines like the other messages (default: human on a terminal, text elsewhere)")
	// As for commands, a mistake gets one line: flag's own report and
	// the usage are kept for -h.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(m.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return nil
		}
		return usageError{fmt.Sprintf("%v (run newsbot help)", err)}
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(m.Stderr, usage)
		return usageError{"no command given"}
	}
	if *cfgPath == "" {
		*cfgPath = m.Getenv("NEWSBOT_CONFIG")
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	cfg, err := loadConfig(*cfgPath, m.Getenv)
	if err != nil {
		return m.setupFailure(cmd, rest, configError{err})
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	if *logFormat != "" {
		if !validLogFormat(*logFormat) {
			return m.setupFailure(cmd, rest, usageError{fmt.Sprintf("--log-format %q: use json, text or human", *logFormat)})
		}
		cfg.LogFormat = *logFormat
	}
	m.Config = cfg
	m.Log = m.logger(cmd, *verbose)
	switch cmd {
	case "chat":
		return m.runChat(ctx, rest)
	case "ask":
		return m.runAsk(ctx, rest)
	case "ingest":
		return m.runIngest(ctx, rest)
	case "stats":
		return m.runStats(ctx, rest)
	case "export":
		return m.runExport(ctx, rest)
	case "eval":
		return m.runEval(ctx, rest)
	case "bench":
		return m.runBench(ctx, rest)
	case "serve":
		return m.runServe(ctx, rest)
	case "feeds":
		return m.runFeeds(ctx, rest)
	case "articles":
		return m.runArticles(ctx, rest)
	case "rm":
		return m.runRm(ctx, rest)
	case "completion":
		return m.runCompletion(rest)
	case "help":
		fmt.Fprintln(m.Stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q (try: newsbot help)", cmd)}
}

// flagSet returns a command's flag set, reporting to the Main's stderr.
func (m *Main) flagSet(cmd string) *flag.FlagSet {
	fl := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	return fl
}

// parseFlags parses a command's flags: -h prints its usage and ends the
// command (help is true), a bad flag is a usage error.
func parseFlags(fl *flag.FlagSet, args []string) (help bool, err error) {
	// A mistake gets one line, not the whole usage: flag's own report is
	// silenced and the usage printed only when asked for.
	out := fl.Output()
	fl.SetOutput(io.Discard)
	err = fl.Parse(args)
	fl.SetOutput(out)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fl.Usage()
			return true, nil
		}
		return false, usageError{fmt.Sprintf("%s: %v (see newsbot %s -h)", fl.Name(), err, fl.Name())}
	}
	return false, nil
}

// logger logs to stderr: at info for long-running commands, at warn for the
// interactive ones so that answers are not buried.
func (m *Main) logger(cmd string, verbose bool) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(m.Config.LogLevel)))
	if cmd == "chat" || cmd == "ask" || cmd == "eval" || cmd == "bench" || cmd == "stats" {
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
	m.db, m.store = nil, nil
	return err
}

// embedder returns the configured embedder.
func (m *Main) embedder() (retrieval.Embedder, error) {
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
		return retrieval.NewOllamaEmbedder(e.Model, base), nil
	case "openai":
		base := e.BaseURL
		if base == "" {
			base = "https://api.openai.com/v1"
		}
		return retrieval.NewOpenAIEmbedder(e.Model, base, e.APIKey), nil
	}
	return retrieval.NewBuiltinEmbedder()
}

// openStore opens the store of record in the data dir, the index over it
// and the bot.
func (m *Main) openStore(ctx context.Context) error {
	if m.store != nil {
		return nil
	}
	emb, err := m.embedder()
	if err != nil {
		return err
	}
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	st, err := retrieval.Open(ctx, m.db, emb, retrieval.WithLogger(m.Log))
	if err != nil {
		return err
	}
	m.store = st
	m.bot, err = m.newBot(st)
	return err
}

// ensureDB opens the store of record, importing an old snapshot store
// left in the data dir on first use.
func (m *Main) ensureDB(ctx context.Context) error {
	if m.db != nil {
		return nil
	}
	db, err := m.openDB(ctx, m.Config.DataDir)
	if err != nil {
		return err
	}
	n, err := retrieval.ImportSnapshot(ctx, m.Config.DataDir, db)
	if err != nil {
		db.Close()
		return err
	}
	if n > 0 {
		fmt.Fprintf(m.Stderr, "newsbot: imported %d article(s) from the old store format; its files are in %s.\n",
			n, filepath.Join(m.Config.DataDir, retrieval.ImportedDir))
	}
	m.db = db
	return nil
}

// follow keeps the store in step with what other processes commit until
// the returned stop function is called; stop waits for the follower.
func (m *Main) follow(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = m.store.Follow(ctx) // logs its own errors and returns nil
	}()
	return func() {
		cancel()
		<-done
	}
}

// newBot builds the bot over r from the configuration.
func (m *Main) newBot(r bot.Retriever) (*bot.Bot, error) {
	opts := []bot.Option{bot.WithLogger(m.Log), bot.WithMaxQuotes(m.Config.Answer.MaxQuotes),
		bot.WithCandidates(m.Config.Answer.Candidates)}
	if t := m.Config.Answer.Threshold; t != nil {
		opts = append(opts, bot.WithThreshold(*t))
	}
	w, err := m.writer()
	if err != nil {
		return nil, err
	}
	if w != nil {
		opts = append(opts, bot.WithWriter(w), bot.WithWriterTimeout(m.Config.LLM.Timeout))
	}
	if on := m.Config.Answer.Reader; on == nil || *on {
		load := reader.Load
		if p := os.Getenv("NEWSBOT_READER_WEIGHTS"); p != "" {
			// Reader weights from a training run, for experiments
			// (docs/answer-quality.md); never needed in use.
			load = func() (*reader.Reader, error) { return reader.LoadFile(p) }
		}
		rd, err := load()
		if err != nil {
			return nil, err
		}
		opts = append(opts, bot.WithReader(rd))
	}
	return bot.New(r, opts...), nil
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
	if inf, _ := m.store.Info(ctx); inf.Articles > 0 {
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
