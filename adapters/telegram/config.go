package telegram

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Defaults applied by New to the zero values of Config.
const (
	// DefaultAPIURL is Telegram's public Bot API server.
	DefaultAPIURL = "https://api.telegram.org"
	// DefaultListen is where the webhook server listens when webhook_url is
	// set and listen is not. TLS is expected to end at a reverse proxy.
	DefaultListen = ":8080"
	// DefaultRatePerMinute is how many questions a user may ask per minute
	// when rate_per_minute is 0.
	DefaultRatePerMinute = 10
)

// Config is the [telegram] section of newsbot's configuration.
//
// The zero value of every field except Token means "use the default". The
// token is never printed: String, GoString and LogValue redact it.
type Config struct {
	// Token is the bot token from BotFather ("123456:ABC-DEF...").
	Token string `toml:"token"`
	// APIURL is the Bot API server; set it to use a self-hosted one.
	// Default DefaultAPIURL.
	APIURL string `toml:"api_url"`
	// WebhookURL, when set, switches from long polling to webhook mode:
	// Telegram POSTs updates to this public URL, which must reach Listen
	// (usually through a TLS-terminating reverse proxy). Its path is the
	// path the webhook server answers on.
	WebhookURL string `toml:"webhook_url"`
	// Listen is the address of the webhook server. Default DefaultListen.
	Listen string `toml:"listen"`
	// SecretToken is checked against X-Telegram-Bot-Api-Secret-Token on
	// every webhook request. Required in webhook mode: 1-256 characters of
	// A-Z, a-z, 0-9, _ and -.
	SecretToken string `toml:"secret_token"`
	// AllowedChats and AllowedUsers restrict who is answered. When both are
	// empty everyone is. Otherwise a message is answered if its chat is in
	// AllowedChats or its sender is in AllowedUsers (a private chat's ID is
	// the user's ID).
	AllowedChats []int64 `toml:"allowed_chats"`
	AllowedUsers []int64 `toml:"allowed_users"`
	// RatePerMinute is how many questions and commands one user may send
	// per minute. 0 means DefaultRatePerMinute; a negative value disables
	// the limit.
	RatePerMinute int `toml:"rate_per_minute"`
}

// Validate reports the first problem with c, in words fit for the person
// editing the configuration. It never includes the token.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Token) == "" {
		return errors.New("telegram: no bot token: set [telegram] token or NEWSBOT_TELEGRAM_TOKEN (create one with @BotFather)")
	}
	if !validToken(c.Token) {
		return errors.New("telegram: the bot token is malformed: expected <bot id>:<secret> as given by @BotFather")
	}
	if c.APIURL != "" {
		if err := checkHTTPURL(c.APIURL); err != nil {
			return fmt.Errorf("telegram: api_url: %w", err)
		}
	}
	if c.WebhookURL == "" {
		return nil
	}
	if err := checkHTTPURL(c.WebhookURL); err != nil {
		return fmt.Errorf("telegram: webhook_url: %w", err)
	}
	if c.SecretToken == "" {
		return errors.New("telegram: webhook mode needs secret_token, so that only Telegram can post updates")
	}
	if !validSecret(c.SecretToken) {
		return errors.New("telegram: secret_token must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return nil
}

// withDefaults returns c with the defaults filled in.
func (c Config) withDefaults() Config {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.WebhookURL != "" && c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.RatePerMinute == 0 {
		c.RatePerMinute = DefaultRatePerMinute
	}
	return c
}

// redacted returns a copy of c safe to print.
func (c Config) redacted() configView {
	v := configView(c)
	if v.Token != "" {
		v.Token = "[redacted]"
	}
	if v.SecretToken != "" {
		v.SecretToken = "[redacted]"
	}
	return v
}

// configView has Config's fields but none of its methods, so that printing
// it does not recurse into String.
type configView Config

// String implements fmt.Stringer without revealing the token or secret.
func (c Config) String() string { return fmt.Sprintf("%+v", c.redacted()) }

// GoString implements fmt.GoStringer without revealing the token or secret.
func (c Config) GoString() string { return fmt.Sprintf("%#v", c.redacted()) }

// LogValue implements slog.LogValuer without revealing the token or secret.
func (c Config) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// validToken reports whether t has BotFather's shape: digits, a colon, then
// URL-safe characters. Anything else would at best fail every request and
// at worst alter the request path the token is put into.
func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || id == "" || secret == "" {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return validSecret(secret)
}

// validSecret reports whether s is 1-256 characters of A-Z, a-z, 0-9, _ and -.
func validSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// checkHTTPURL reports whether s is an absolute http or https URL.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", s)
	}
	return nil
}
