package discord

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestRateLimitStormLosesNothing(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	proposalAnswer(t, fa)
	r := start(t, f, fa, func(c *Config) { c.RatePerMinute = -1 })
	const mentions, storm = 40, 80
	f.rateLimit("/channels/"+channelID+"/messages", storm)

	for i := range mentions {
		from := user{ID: fmt.Sprintf("4000000000000001%02d", i%20), Username: fmt.Sprintf("user%d", i%20)}
		id := fmt.Sprintf("7000000000000010%02d", i)
		f.dispatch("MESSAGE_CREATE", msgEvent(id, guildID, channelID, from, "<@"+fakeBotID+"> "+askedQ, botUsr))
	}
	path := `^/channels/` + channelID + `/messages$`
	f.waitFor(fmt.Sprintf("%d answers", mentions), func() bool {
		n := 0
		for _, q := range f.reqs {
			if q.Method == "POST" && strings.HasPrefix(q.Path, "/channels/"+channelID+"/messages") && q.Status == 200 {
				n++
			}
		}
		return n >= mentions
	})
	r.stop(t)

	reqs := f.requests("POST", path)
	answered := map[string]int{}
	limited := 0
	for i, m := range decodeSent(t, reqs) {
		switch reqs[i].Status {
		case 429:
			limited++
		case 200:
			if m.Reference == nil {
				t.Fatalf("answer %d is not a reply", i)
			}
			answered[m.Reference.MessageID]++
		}
	}
	if limited != storm {
		t.Errorf("%d requests were rate limited, want %d", limited, storm)
	}
	for i := range mentions {
		id := fmt.Sprintf("7000000000000010%02d", i)
		if answered[id] != 1 {
			t.Errorf("mention %s answered %d times, want 1", id, answered[id])
		}
	}
	// The log names where requests really went, not discord.com.
	api, _ := url.Parse(f.apiURL())
	logs := r.logs.String()
	if !strings.Contains(logs, "Discord rate limit; retrying") || !strings.Contains(logs, "url=http://"+api.Host+"/api/") {
		t.Errorf("rate-limit log lines do not name the configured api_url %s:\n%.2000s", f.apiURL(), logs)
	}
	if strings.Contains(logs, "discord.com/api") {
		t.Errorf("rate-limit log lines name discord.com although requests go to %s", f.apiURL())
	}
}
