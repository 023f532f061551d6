package discord

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"newsbot/internal/redact"
)

// discordgo builds every REST URL from package-level variables
// (EndpointAPI and friends) computed once, at init, from EndpointDiscord.
// Reassigning them would change every session in the process, so two
// adapters (or two parallel tests) with different api_url values would
// race. Instead each Adapter gives its session an http.Client whose
// transport rewrites requests aimed at Discord's API root to the configured
// api_url. The gateway needs no rewriting: discordgo dials whatever URL
// GET /gateway returns, so whoever answers the REST calls chooses it.

// rewriteTransport sends requests for Discord's API root to another root.
type rewriteTransport struct {
	base     http.RoundTripper
	fromHost string // e.g. "discord.com"
	fromPath string // e.g. "/api/"
	to       *url.URL
}

// newRewriteTransport returns a transport sending Discord API requests to
// apiURL (a root such as "http://127.0.0.1:8080/api") through base.
func newRewriteTransport(base http.RoundTripper, apiURL string) (*rewriteTransport, error) {
	from, err := url.Parse(discordgo.EndpointDiscord)
	if err != nil {
		return nil, err
	}
	to, err := url.Parse(strings.TrimRight(apiURL, "/"))
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &rewriteTransport{base: base, fromHost: from.Host, fromPath: from.Path + "api/", to: to}, nil
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	u, ok := t.rewrite(req.URL)
	if !ok {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = ""
	return t.base.RoundTrip(r)
}

// rewrite returns where a request for u really goes, and whether that
// differs from u.
func (t *rewriteTransport) rewrite(in *url.URL) (*url.URL, bool) {
	if in.Host != t.fromHost || !strings.HasPrefix(in.Path, t.fromPath) {
		return in, false
	}
	u := *in
	rest := "/" + strings.TrimPrefix(in.Path, t.fromPath)
	u.Scheme, u.Host, u.User = t.to.Scheme, t.to.Host, t.to.User
	u.Path = t.to.Path + rest
	u.RawPath = ""
	if in.RawPath != "" {
		u.RawPath = t.to.EscapedPath() + "/" + strings.TrimPrefix(in.RawPath, t.fromPath)
	}
	return &u, true
}

// destination returns the URL a request for raw is really sent to (the
// configured api_url, not discordgo's built-in one), scrubbed for logs.
func (a *Adapter) destination(raw string) string {
	if rt, ok := a.http.Transport.(*rewriteTransport); ok {
		if in, err := url.Parse(raw); err == nil {
			if u, ok := rt.rewrite(in); ok {
				raw = u.String()
			}
		}
	}
	return a.sc.scrub(raw)
}

// secretPath matches the token segment of webhook and interaction URLs
// (interaction tokens are short-lived secrets that let anyone answer as the
// bot).
var secretPath = regexp.MustCompile(`((?:webhooks|interactions)/[^/\s"]+/)[A-Za-z0-9._\-]{16,}`)

// scrubber removes secrets from text bound for logs and errors.
type scrubber struct{ token string }

// scrub returns s with the bot token and any interaction or webhook token
// replaced.
func (sc scrubber) scrub(s string) string {
	if sc.token != "" {
		s = strings.ReplaceAll(s, sc.token, "[REDACTED]")
	}
	return secretPath.ReplaceAllString(s, "${1}[REDACTED]")
}

// wrap returns err with its message scrubbed, or nil.
func (sc scrubber) wrap(err error) error {
	return redact.Wrap(err, sc.scrub)
}
