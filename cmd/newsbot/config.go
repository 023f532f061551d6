package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"newsbot/adapters/discord"
	"newsbot/adapters/llm"
	"newsbot/adapters/telegram"
	"newsbot/retrieval/feeds"
)

// Config is newsbot's configuration: config.example.toml documents every
// key with its default.
type Config struct {
	// DataDir holds the store; default $XDG_DATA_HOME/newsbot.
	DataDir  string `toml:"data_dir"`
	LogLevel string `toml:"log_level"`
	// LogFormat is "json" or "text" (slog's key=value); empty means lines
	// like newsbot's other messages on a terminal, text elsewhere.
	LogFormat string `toml:"log_format"`

	Store    StoreConfig        `toml:"store"`
	Embedder EmbedderConfig     `toml:"embedder"`
	Answer   AnswerConfig       `toml:"answer"`
	LLM      llm.Config         `toml:"llm"`
	Telegram telegram.Config    `toml:"telegram"`
	Discord  discord.Config     `toml:"discord"`
	Feeds    []feeds.FeedConfig `toml:"feeds"`
	Fetch    feeds.FetchConfig  `toml:"fetch"`
	Serve    ServeConfig        `toml:"serve"`
	Follows  FollowsConfig      `toml:"follows"`
}

// EmbedderConfig chooses the embedding model.
type EmbedderConfig struct {
	// Provider is "builtin" (the embedded USE-lite model, offline),
	// "ollama" or "openai" (any OpenAI-compatible /embeddings endpoint).
	Provider string `toml:"provider"`
	Model    string `toml:"model"`
	BaseURL  string `toml:"base_url"`
	APIKey   string `toml:"api_key"`
}

// AnswerConfig tunes how answers are picked.
type AnswerConfig struct {
	Threshold  *float64 `toml:"threshold"`
	MaxQuotes  int      `toml:"max_quotes"`
	Candidates int      `toml:"candidates"`
	// Reader turns the trained reader off when false (default true): the
	// preselect model then answers alone, faster and less accurately.
	Reader *bool `toml:"reader"`
}

// defaultConfig is the configuration with no file and no environment.
func defaultConfig() Config {
	return Config{LogLevel: "info", Embedder: EmbedderConfig{Provider: "builtin"},
		Answer: AnswerConfig{MaxQuotes: 3, Candidates: 10}, Follows: defaultFollows()}
}

// loadConfig reads path (if not empty) over the defaults, then applies the
// environment. Unknown keys are errors: a typo should not silently leave a
// default in place.
func loadConfig(path string, getenv func(string) string) (Config, error) {
	c := defaultConfig()
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		if err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return c, fmt.Errorf("config %s: %s", path, pe.Error())
			}
			return c, fmt.Errorf("config %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			keys := make([]string, len(und))
			for i, k := range und {
				keys[i] = k.String()
			}
			return c, fmt.Errorf("config %s: unknown key(s): %s", path, strings.Join(keys, ", "))
		}
	}
	if v := getenv("NEWSBOT_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	if v := getenv("NEWSBOT_STORE_URL"); v != "" {
		c.Store.URL = v
	}
	if v := getenv("NEWSBOT_EMBEDDER_API_KEY"); v != "" {
		c.Embedder.APIKey = v
	}
	applySecretEnv(&c, getenv)
	if err := applyReplicaEnv(&c, getenv); err != nil {
		return c, err
	}
	if c.DataDir == "" {
		c.DataDir = defaultDataDir(getenv)
	}
	return c, c.validate()
}

func (c Config) validate() error {
	switch c.Embedder.Provider {
	case "builtin", "":
	case "ollama", "openai":
		if c.Embedder.Model == "" {
			return fmt.Errorf("config: [embedder] provider %q needs a model", c.Embedder.Provider)
		}
	default:
		return fmt.Errorf("config: [embedder] provider %q unknown; use builtin, ollama or openai", c.Embedder.Provider)
	}
	if t := c.Answer.Threshold; t != nil && (*t < 0 || *t > 1) {
		return fmt.Errorf("config: [answer] threshold %v out of range 0..1", *t)
	}
	if c.Answer.MaxQuotes < 1 || c.Answer.MaxQuotes > 3 {
		return fmt.Errorf("config: [answer] max_quotes %d out of range 1..3", c.Answer.MaxQuotes)
	}
	if c.Answer.Candidates < 1 || c.Answer.Candidates > 100 {
		return fmt.Errorf("config: [answer] candidates %d out of range 1..100", c.Answer.Candidates)
	}
	if err := c.Store.validate(); err != nil {
		return err
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log_level %q unknown; use debug, info, warn or error", c.LogLevel)
	}
	if !validLogFormat(c.LogFormat) {
		return fmt.Errorf("config: log_format %q unknown; use json, text or human (or leave it empty)", c.LogFormat)
	}
	if err := c.Serve.validate(); err != nil {
		return err
	}
	if err := c.Follows.validate(); err != nil {
		return err
	}
	return c.validateServices()
}

// defaultDataDir follows the XDG base directory spec.
func defaultDataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "newsbot")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "newsbot")
	}
	return "newsbot-data"
}
