package discord

import (
	"net/url"
	"newsbot/internal/redact"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// WithConnected sets a function Run calls once the gateway session is
// open, before it starts serving. serve uses it to report the platform as
// up.
func WithConnected(f func()) Option { return func(a *Adapter) { a.connected = f } }

// dialled rewrites the URLs in err's message that discordgo built on its
// own API root (https://discord.com/api) to the configured api_url, which
// is where the request really went: an error must name the address that
// was dialled.
func (a *Adapter) dialled(err error) error {
	from := strings.TrimSuffix(discordgo.EndpointDiscord, "/") + "/api"
	if err == nil || a.cfg.APIURL == "" || a.cfg.APIURL == from {
		return err
	}
	return redact.Wrap(err, func(s string) string { return strings.ReplaceAll(s, from, a.cfg.APIURL) })
}

// apiRoot is the configured api_url fit for a message (password hidden).
func (a *Adapter) apiRoot() string {
	u, err := url.Parse(a.cfg.APIURL)
	if err != nil {
		return "the configured api_url"
	}
	return u.Redacted()
}
