package discord

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// DefaultAPIURL is Discord's REST API root, without the version segment.
const DefaultAPIURL = "https://discord.com/api"

// DefaultRatePerMinute is how many questions one user may ask per minute
// when Config.RatePerMinute is zero.
const DefaultRatePerMinute = 6

// Config is the [discord] section of the newsbot configuration.
type Config struct {
	// Token is the bot token from the developer portal (Bot → Reset Token).
	// A leading "Bot " is accepted and ignored.
	Token string `toml:"token"`
	// APIURL is the REST API root; empty means DefaultAPIURL. It must not
	// include the version ("/v9"): discordgo appends it. The gateway URL is
	// whatever GET {api_url}/v9/gateway returns, so a REST proxy (or a test
	// fake) also decides where the websocket goes.
	APIURL string `toml:"api_url"`
	// GuildIDs, when set, registers the slash commands in these guilds only
	// (instant updates) instead of globally (cached by clients for up to an
	// hour).
	GuildIDs []string `toml:"guild_ids"`
	// AllowedGuilds, when set, limits the bot to these guilds; DMs are then
	// refused too, because they belong to no guild.
	AllowedGuilds []string `toml:"allowed_guilds"`
	// AllowedChannels, when set, limits the bot to these channels (threads
	// and DM channels have their own IDs and must be listed themselves).
	AllowedChannels []string `toml:"allowed_channels"`
	// RatePerMinute is the per-user question limit; 0 means
	// DefaultRatePerMinute and a negative value disables the limit.
	RatePerMinute int `toml:"rate_per_minute"`
	// MessageContent requests the privileged Message Content intent. It is
	// not needed for mentions, DMs or slash commands; with it, replies to the
	// bot's answers are treated as follow-ups even when the user switched
	// the reply ping off.
	MessageContent bool `toml:"message_content_intent"`
	// ShardID and ShardCount split the gateway between processes: this one
	// receives the events of the guilds Discord assigns to shard ShardID
	// of ShardCount (DMs go to shard 0). 0 and 0 (or 1) mean one process
	// for everything. Only shard 0 registers the slash commands.
	ShardID    int `toml:"shard_id"`
	ShardCount int `toml:"shard_count"`
}

var (
	snowflake  = regexp.MustCompile(`^[0-9]{1,20}$`)
	versionSeg = regexp.MustCompile(`/v[0-9]+/?$`)
)

// normalized returns c with defaults applied and the token trimmed. It
// reports problems without ever echoing the token.
func (c Config) normalized() (Config, error) {
	c.Token = strings.TrimSpace(c.Token)
	c.Token = strings.TrimSpace(strings.TrimPrefix(c.Token, "Bot "))
	if c.Token == "" {
		return c, errors.New("discord: token is empty (set [discord] token or NEWSBOT_DISCORD_TOKEN)")
	}
	if strings.IndexFunc(c.Token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return c, errors.New("discord: token contains whitespace or control characters")
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	u, err := url.Parse(c.APIURL)
	if err != nil {
		return c, errors.New("discord: api_url is not a valid URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return c, fmt.Errorf("discord: api_url %q must be http or https", u.Redacted())
	case u.Host == "":
		return c, fmt.Errorf("discord: api_url %q has no host", u.Redacted())
	case u.RawQuery != "" || u.Fragment != "":
		return c, fmt.Errorf("discord: api_url %q must not have a query or fragment", u.Redacted())
	case versionSeg.MatchString(u.Path):
		return c, fmt.Errorf("discord: api_url %q must not include the API version (discordgo adds /v9)", u.Redacted())
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	for _, list := range []struct {
		name string
		ids  []string
	}{{"guild_ids", c.GuildIDs}, {"allowed_guilds", c.AllowedGuilds}, {"allowed_channels", c.AllowedChannels}} {
		for i, id := range list.ids {
			if !snowflake.MatchString(id) {
				return c, fmt.Errorf("discord: %s[%d] = %q is not a Discord ID (digits only)", list.name, i, id)
			}
		}
	}
	if err := checkShard(c.ShardID, c.ShardCount); err != nil {
		return c, fmt.Errorf("discord: %w", err)
	}
	if c.RatePerMinute == 0 {
		c.RatePerMinute = DefaultRatePerMinute
	}
	return c, nil
}

// Validate reports the first problem with c, in words fit for the person
// editing the configuration; it never includes the token.
func (c Config) Validate() error {
	_, err := c.normalized()
	return err
}
