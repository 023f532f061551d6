//go:build load

package discord

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/internal/loadstats"
)

// TestLoad sends 500 mentions from 100 users over about 5 s while the fake
// answers 10% of the answers' POSTs (50) with 429, and prints questions,
// answered, lost, duplicated and p50/p99 from the mention's dispatch to its
// answer being accepted. Run it with
//
//	go test -tags load -run Load -v ./adapters/discord
//
// It fails if an answer is lost or duplicated; latencies are reported, not
// asserted.
func TestLoad(t *testing.T) {
	const mentions, users = 500, 100
	f := newFakeDiscord(t)
	fa := newFakeAsker()
	proposalAnswer(t, fa)
	go func() { // the fake asker reports every question on a bounded channel
		for range fa.askedCh {
		}
	}()
	r := start(t, f, fa, func(c *Config) { c.RatePerMinute = -1 })
	f.rateLimit("/channels/"+channelID+"/messages", mentions/10)

	tally := loadstats.New()
	began := time.Now()
	for i := range mentions {
		from := user{ID: fmt.Sprintf("4000000000000%05d", i%users), Username: fmt.Sprintf("user%d", i%users)}
		id := fmt.Sprintf("70000000000%07d", i)
		tally.Asked(id, time.Now())
		f.dispatch("MESSAGE_CREATE", msgEvent(id, guildID, channelID, from, "<@"+fakeBotID+"> "+askedQ, botUsr))
		time.Sleep(10 * time.Millisecond)
	}
	path := `^/channels/` + channelID + `/messages$`
	answered := func() int {
		n := 0
		for _, q := range f.reqs {
			if q.Method == "POST" && strings.HasPrefix(q.Path, "/channels/"+channelID+"/messages") && q.Status == 200 {
				n++
			}
		}
		return n
	}
	f.waitFor(fmt.Sprintf("%d answers", mentions), func() bool { return answered() >= mentions })
	took := time.Since(began)
	r.stop(t)

	reqs := f.requests("POST", path)
	limited := 0
	for i, m := range decodeSent(t, reqs) {
		if reqs[i].Status == 429 {
			limited++
			continue
		}
		if reqs[i].Status == 200 && m.Reference != nil {
			tally.Answered(m.Reference.MessageID, reqs[i].At)
		}
	}
	res := tally.Result()
	fmt.Printf("discord load: %v users=%d wall=%v 429s=%d\n", res, users, took.Round(time.Millisecond), limited)
	if res.Lost > 0 || res.Duplicated > 0 {
		t.Errorf("%d answers lost, %d duplicated", res.Lost, res.Duplicated)
	}
}
