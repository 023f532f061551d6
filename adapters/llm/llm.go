// Package llm implements bot.Writer over a chat-completion API: Ollama's
// /api/chat or any OpenAI-compatible /chat/completions endpoint, with plain
// net/http.
//
// The Writer only drafts. The Bot checks every citation and every quotation
// of the draft against the quotes it sent and falls back to the extractive
// answer when anything fails, so a model can shorten an answer but never
// put words in a source's mouth.
//
// When the model finds nothing in the sources that answers the question it
// is told to say so with a fixed marker; Write then returns "" and a nil
// error, which the Bot reads as "no summary" (see bot.Writer).
//
// Article text goes only into the user message, each source in its own
// escaped <source> element, never into the system message, whose text is a
// constant.
package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"newsbot/bot"
)

// Defaults for the optional Config fields.
const (
	DefaultTimeout       = 20 * time.Second
	DefaultMaxTokens     = 300
	DefaultOllamaBaseURL = "http://localhost:11434"
	DefaultOpenAIBaseURL = "https://api.openai.com/v1"
)

// Providers.
const (
	Ollama = "ollama"
	OpenAI = "openai"
)

// Config is the [llm] section of the configuration. The zero value
// disables LLM answers.
type Config struct {
	// Provider is "" (off), "ollama" or "openai" (any OpenAI-compatible
	// server: OpenAI, llama.cpp, vLLM, LM Studio, Ollama's /v1).
	Provider string `toml:"provider"`
	// BaseURL is the server's address: for ollama without "/api" (default
	// DefaultOllamaBaseURL), for openai including "/v1" (default
	// DefaultOpenAIBaseURL).
	BaseURL string `toml:"base_url"`
	// Model names the model, e.g. "llama3.2" or "gpt-4o-mini". Required.
	Model string `toml:"model"`
	// APIKey is sent as a Bearer token when set. The config loader fills it
	// from NEWSBOT_LLM_API_KEY; it never appears in errors or logs.
	APIKey string `toml:"api_key"`
	// Timeout bounds one answer; 0 means DefaultTimeout.
	Timeout time.Duration `toml:"timeout"`
	// MaxTokens caps the length of the reply (num_predict for Ollama,
	// max_tokens for OpenAI); 0 means DefaultMaxTokens.
	MaxTokens int `toml:"max_tokens"`
}

// Enabled reports whether c asks for LLM answers at all.
func (c Config) Enabled() bool { return strings.TrimSpace(c.Provider) != "" }

// Option configures the Writer New returns.
type Option func(*writer)

// WithHTTPClient sets the HTTP client; the default is a plain
// &http.Client{} (each call is bounded by Config.Timeout through its
// context).
func WithHTTPClient(c *http.Client) Option { return func(w *writer) { w.http = c } }

// WithLogger sets the logger; the default is slog.Default.
func WithLogger(l *slog.Logger) Option { return func(w *writer) { w.log = l } }

// New returns a bot.Writer for cfg, or a nil Writer and nil error when
// cfg is not Enabled. Configuration errors name the key at fault.
func New(cfg Config, opts ...Option) (bot.Writer, error) {
	if !cfg.Enabled() {
		return nil, nil
	}
	w := &writer{http: &http.Client{}, log: slog.Default()}
	for _, o := range opts {
		o(w)
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w.cfg = c
	w.redact = newRedactor(c.APIKey)
	u, _ := url.Parse(c.BaseURL) // validated by withDefaults
	if c.APIKey != "" && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		w.log.Warn("llm: api_key is sent over plain http; use https", "host", u.Host)
	}
	switch c.Provider {
	case Ollama:
		w.endpoint, w.chat = c.BaseURL+"/api/chat", w.ollamaChat
	case OpenAI:
		w.endpoint, w.chat = c.BaseURL+"/chat/completions", w.openaiChat
	}
	return w, nil
}

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	c.Provider = strings.ToLower(strings.TrimSpace(c.Provider))
	c.Model = strings.TrimSpace(c.Model)
	c.BaseURL = strings.TrimRight(strings.TrimSpace(c.BaseURL), "/")
	c.APIKey = strings.TrimSpace(c.APIKey)
	switch c.Provider {
	case Ollama:
		if c.BaseURL == "" {
			c.BaseURL = DefaultOllamaBaseURL
		}
	case OpenAI:
		if c.BaseURL == "" {
			c.BaseURL = DefaultOpenAIBaseURL
		}
	default:
		return c, fmt.Errorf("llm: provider %q unknown; use %s or %s", c.Provider, Ollama, OpenAI)
	}
	if c.Model == "" {
		return c, fmt.Errorf("llm: model is required for provider %s", c.Provider)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, errors.New("llm: base_url must be an http:// or https:// URL with a host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return c, errors.New("llm: base_url must not have a query or fragment")
	}
	if c.Provider == OpenAI && u.Host == "api.openai.com" && c.APIKey == "" {
		return c, errors.New("llm: api_key is required for api.openai.com (set NEWSBOT_LLM_API_KEY)")
	}
	switch {
	case c.Timeout < 0:
		return c, fmt.Errorf("llm: timeout %s is negative", c.Timeout)
	case c.Timeout == 0:
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.MaxTokens < 0:
		return c, fmt.Errorf("llm: max_tokens %d is negative", c.MaxTokens)
	case c.MaxTokens == 0:
		c.MaxTokens = DefaultMaxTokens
	}
	return c, nil
}

// writer implements bot.Writer.
type writer struct {
	cfg      Config
	http     *http.Client
	log      *slog.Logger
	redact   *strings.Replacer
	endpoint string
	// chat sends the two messages and returns the reply's text.
	chat func(ctx context.Context, system, user string) (string, error)
}

// Write implements bot.Writer.
func (w *writer) Write(ctx context.Context, question string, sources []bot.Quote) (string, error) {
	if len(sources) == 0 {
		return "", errors.New("llm: no sources to answer from")
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	start := time.Now()
	raw, err := w.chat(ctx, systemPrompt, userMessage(question, sources))
	if err != nil {
		return "", w.scrub(fmt.Errorf("llm: %s: %w", w.cfg.Provider, err))
	}
	text, declined, err := cleanReply(raw)
	if err != nil {
		return "", w.scrub(fmt.Errorf("llm: %s: %w", w.cfg.Provider, err))
	}
	w.log.Debug("llm reply", "provider", w.cfg.Provider, "model", w.cfg.Model,
		"took", time.Since(start).Round(time.Millisecond), "chars", len(text), "declined", declined)
	return text, nil
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}
