package discord

import (
	"strings"
	"testing"
)

func TestConfigValidation(t *testing.T) {
	const tok = "MTIz.secret-token.XYZ"
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"ok", Config{Token: tok}, ""},
		{"bot prefix accepted", Config{Token: "Bot " + tok}, ""},
		{"empty token", Config{Token: "  "}, "token is empty"},
		{"token with space", Config{Token: "abc " + tok}, "whitespace"},
		{"token with newline", Config{Token: tok + "\nx"}, "whitespace"},
		{"bad scheme", Config{Token: tok, APIURL: "ftp://x/api"}, "http or https"},
		{"no host", Config{Token: tok, APIURL: "http:///api"}, "no host"},
		{"version in url", Config{Token: tok, APIURL: "http://127.0.0.1:1/api/v10"}, "API version"},
		{"query", Config{Token: tok, APIURL: "http://127.0.0.1:1/api?x=1"}, "query"},
		{"bad guild id", Config{Token: tok, GuildIDs: []string{"123", "abc"}}, "guild_ids[1]"},
		{"bad channel id", Config{Token: tok, AllowedChannels: []string{"#general"}}, "allowed_channels[0]"},
		{"bad allowed guild", Config{Token: tok, AllowedGuilds: []string{""}}, "allowed_guilds[0]"},
		{"userinfo redacted", Config{Token: tok, APIURL: "ftp://u:" + tok + "@x/api"}, "http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, newFakeAsker())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want it to mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "secret-token") {
				t.Errorf("error reveals the token: %v", err)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := Config{Token: "Bot x.y.z", APIURL: "http://127.0.0.1:9/api/"}.normalized()
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != "x.y.z" || c.APIURL != "http://127.0.0.1:9/api" || c.RatePerMinute != DefaultRatePerMinute {
		t.Errorf("normalized = %+v", c)
	}
	c, _ = Config{Token: "t"}.normalized()
	if c.APIURL != DefaultAPIURL {
		t.Errorf("default api_url = %q", c.APIURL)
	}
	c, _ = Config{Token: "t", RatePerMinute: -1}.normalized()
	if c.RatePerMinute != -1 {
		t.Errorf("negative rate changed to %d", c.RatePerMinute)
	}
	if _, err := New(Config{Token: "t"}, nil); err == nil {
		t.Error("New accepted a nil Asker")
	}
}

func TestAccess(t *testing.T) {
	tests := []struct {
		guilds, channels []string
		guild, channel   string
		want             bool
	}{
		{nil, nil, "", "dm", true},
		{nil, nil, "g1", "c1", true},
		{[]string{"g1"}, nil, "g1", "c9", true},
		{[]string{"g1"}, nil, "g2", "c1", false},
		{[]string{"g1"}, nil, "", "dm", false},
		{nil, []string{"c1"}, "g2", "c1", true},
		{nil, []string{"c1"}, "g1", "c2", false},
		{[]string{"g1"}, []string{"c1"}, "g2", "c1", false},
		{[]string{"g1"}, []string{"c1"}, "g1", "c1", true},
		{nil, []string{"dm"}, "", "dm", true},
	}
	for _, tt := range tests {
		if got := newAccess(tt.guilds, tt.channels).allowed(tt.guild, tt.channel); got != tt.want {
			t.Errorf("guilds %v channels %v: allowed(%q, %q) = %v", tt.guilds, tt.channels, tt.guild, tt.channel, got)
		}
	}
}
