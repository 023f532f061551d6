package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/bot"
)

// TestFollowsConfig reads the [follows] section: the defaults, and a bad
// value is a config error (exit 5) naming its key.
func TestFollowsConfig(t *testing.T) {
	c, err := loadConfig("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if want := (FollowsConfig{Enabled: true, PerChat: 20, Total: 10000, PerHour: bot.DefaultPerHour}); c.Follows != want {
		t.Errorf("defaults %+v, want %+v", c.Follows, want)
	}
	dir := t.TempDir()
	for _, tt := range []struct{ body, want string }{
		{"[follows]\nper_chat = -1\n", "per_chat"},
		{"[follows]\ntotal = -5\n", "total"},
		{"[follows]\nper_hour = 0\n", "per_hour"},
		{"[follows]\nper_hour = 5000\n", "per_hour"},
		{"[follows]\nper_minute = 1\n", "follows.per_minute"},
		{"[follows]\nenabled = \"yes\"\n", "enabled"},
	} {
		t.Run(tt.body, func(t *testing.T) {
			p := filepath.Join(dir, "c.toml")
			if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			m, _, _ := testMain(t, nil)
			err := m.Run(context.Background(), []string{"--config", p, "stats"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want it to name %q", err, tt.want)
			}
			if f := classify(err); f.status != exitConfig {
				t.Errorf("exit %d, want %d", f.status, exitConfig)
			}
		})
	}
	p := filepath.Join(dir, "ok.toml")
	if err := os.WriteFile(p, []byte("[follows]\nenabled = false\nper_chat = 0\nper_hour = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = loadConfig(p, func(string) string { return "" })
	if err != nil || c.Follows != (FollowsConfig{PerHour: 1, Total: 10000}) {
		t.Errorf("%+v, %v", c.Follows, err)
	}
}
