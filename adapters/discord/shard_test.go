package discord

import (
	"fmt"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in        string
		id, count int
		err       bool
	}{
		{"0/4", 0, 4, false},
		{" 3 / 4 ", 3, 4, false},
		{"0/1", 0, 1, false},
		{"4/4", 0, 0, true},
		{"-1/4", 0, 0, true},
		{"1/0", 0, 0, true},
		{"1", 0, 0, true},
		{"a/b", 0, 0, true},
		{"0/99999", 0, 0, true},
	}
	for _, tt := range tests {
		id, count, err := ParseShard(tt.in)
		if (err != nil) != tt.err || id != tt.id || count != tt.count {
			t.Errorf("ParseShard(%q) = %d, %d, %v", tt.in, id, count, err)
		}
	}
}

func TestShardConfigValidation(t *testing.T) {
	for _, tt := range []struct{ id, count int }{{1, 0}, {2, 2}, {-1, 2}, {0, -3}} {
		_, err := Config{Token: "t", ShardID: tt.id, ShardCount: tt.count}.normalized()
		if err == nil {
			t.Errorf("shard %d/%d accepted", tt.id, tt.count)
		}
	}
}

// Each shard identifies as itself; only shard 0 registers the commands,
// and every shard answers the messages its gateway delivers.
func TestShardsIdentifyAndRegisterOnce(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		id, count int
		want      string // the Identify's shard field
		registers bool
	}{
		{0, 0, "<nil>", true},
		{0, 2, "&[0 2]", true},
		{1, 2, "&[1 2]", false},
	} {
		t.Run(fmt.Sprintf("%d of %d", tt.id, tt.count), func(t *testing.T) {
			t.Parallel()
			f := newFakeDiscord(t)
			fa := newFakeAsker()
			proposalAnswer(t, fa)
			r := start(t, f, fa, func(c *Config) { c.ShardID, c.ShardCount = tt.id, tt.count })
			f.mu.Lock()
			got := fmt.Sprint(f.shard)
			f.mu.Unlock()
			if got != tt.want {
				t.Errorf("Identify shard = %s, want %s", got, tt.want)
			}
			regs := len(f.requests("PUT", `/applications/`+fakeAppID+`/commands`))
			if tt.registers != (regs > 0) {
				t.Errorf("shard %d of %d: %d command registrations", tt.id, tt.count, regs)
			}
			f.dispatch("MESSAGE_CREATE", msgEvent("700000000000000050", guildID, channelID, alice, "<@"+fakeBotID+"> "+askedQ, botUsr))
			r.logs.waitFor(t, `msg=answered`)
		})
	}
}
