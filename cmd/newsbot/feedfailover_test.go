package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// feedInterval is the poll interval of the replica tests' feed: short, so
// that several intervals pass in a test, which the test children allow
// (see childMain); long enough that the holder renews its lease (1.25
// intervals) well before it expires on a loaded machine.
const feedInterval = 2 * time.Second

// feedPoll is one fetch of the feed: who fetched it (the replica's
// User-Agent) and when it arrived.
type feedPoll struct {
	agent string
	at    time.Time
}

// countingSite is a newsSite that records every fetch of its feed.
type countingSite struct {
	*newsSite
	mu    sync.Mutex
	polls []feedPoll
}

func newCountingSite(t *testing.T) *countingSite {
	c := &countingSite{newsSite: &newsSite{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			c.mu.Lock()
			c.polls = append(c.polls, feedPoll{r.UserAgent(), time.Now()})
			c.mu.Unlock()
		}
		c.serve(w, r)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// waitPolls waits until the feed was fetched n times in all and returns
// every fetch so far.
func (c *countingSite) waitPolls(t *testing.T, n int) []feedPoll {
	t.Helper()
	polls, _ := c.waitFor(t, fmt.Sprintf("%d fetches of the feed", n), func(p []feedPoll) int {
		if len(p) >= n {
			return 0
		}
		return -1
	})
	return polls
}

// waitPollBy waits for a fetch by agent after the first from fetches and
// returns every fetch so far and the index of that one.
func (c *countingSite) waitPollBy(t *testing.T, agent string, from int) ([]feedPoll, int) {
	t.Helper()
	return c.waitFor(t, fmt.Sprintf("a fetch by %s after fetch %d", agent, from), func(p []feedPoll) int {
		for i := from; i < len(p); i++ {
			if p[i].agent == agent {
				return i
			}
		}
		return -1
	})
}

// waitFor waits until find, given every fetch so far, returns an index
// other than -1, and returns the fetches and that index.
func (c *countingSite) waitFor(t *testing.T, what string, find func([]feedPoll) int) ([]feedPoll, int) {
	t.Helper()
	guard := time.Now().Add(3 * time.Minute) // hang guard only
	for {
		c.mu.Lock()
		polls := append([]feedPoll(nil), c.polls...)
		c.mu.Unlock()
		if i := find(polls); i >= 0 {
			return polls, i
		}
		if time.Now().After(guard) {
			t.Fatalf("timed out waiting for %s; fetches: %v", what, polls)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// feedReplica starts a `serve` child with only the site's feed to poll,
// fetching as agent, logging at debug level (which logs each turn it
// stands by for another replica).
func feedReplica(t *testing.T, site *countingSite, dir, agent string) (*exec.Cmd, *syncWriter) {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	body := fmt.Sprintf("[[feeds]]\nurl = %q\ninterval = %q\n\n[fetch]\nallow_private = true\nuser_agent = %q\n",
		site.srv.URL+"/feed.xml", feedInterval.String(), agent)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := child(t, dir, 0, "--config", cfg, "--verbose", "serve")
	cmd.Env = append(cmd.Env, "NEWSBOT_TELEGRAM_TOKEN=", "NEWSBOT_DISCORD_TOKEN=")
	return startServe(t, cmd)
}

// standbyTurn is what a replica logs (at debug level) each time it finds
// the feed's lease held by another.
const standbyTurn = "another replica holds the lease; skipping this turn"

// TestFeedPolledOnceAcrossReplicas runs two `serve` processes on one
// store, embedded and PostgreSQL, polling one loopback feed: together they
// fetch it once per interval, not once each; after kill -9 of the replica
// that polls, the other takes the feed over within two intervals.
func TestFeedPolledOnceAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("polls a feed for about ten intervals")
	}
	forEachEngine(t, testFeedPolledOnceAcrossReplicas)
}

func testFeedPolledOnceAcrossReplicas(t *testing.T, st sharedStore) {
	site := newCountingSite(t)
	site.add(siteItem{"dam", "Kariba dam reopens", damBody, time.Now().Add(-time.Hour).Truncate(time.Second)})
	procs := map[string]*exec.Cmd{}
	logs := map[string]*syncWriter{}
	procs["replica-a"], logs["replica-a"] = feedReplica(t, site, st.dir(), "replica-a")
	site.waitPollBy(t, "replica-a", 0) // A holds the feed before B exists
	procs["replica-b"], logs["replica-b"] = feedReplica(t, site, st.dir(), "replica-b")
	// B's poller runs: its first turn comes within an interval, long
	// before the count below ends.
	waitLog(t, logs["replica-b"], "service=feeds")

	// One poll per interval in all: count fetches, from now, until n more
	// came, and compare with how many intervals that took. Each poller
	// waits at least 0.9 interval (its jitter) between polls, so the n-1
	// gaps span at least 0.9·(n-1) intervals; one fetch of slack covers a
	// boundary (a request that arrived late or a handover). Two replicas
	// polling on their own would need only half that. A loaded machine
	// slows polls down, which can only make the count smaller.
	const n = 8
	start := len(site.waitPolls(t, 0))
	polls := site.waitPolls(t, start+n)
	window := polls[start : start+n]
	span := window[n-1].at.Sub(window[0].at)
	allowed := int(span/(feedInterval*9/10)) + 1
	byAgent := map[string]int{}
	for _, p := range window {
		byAgent[p.agent]++
	}
	t.Logf("%d fetches in %.1f intervals by both replicas: %v", n, float64(span)/float64(feedInterval), byAgent)
	if n-1 > allowed {
		t.Fatalf("%d fetches in %.1f intervals: more than one per interval across the replicas (%v)",
			n, float64(span)/float64(feedInterval), byAgent)
	}

	// kill -9 the replica that polled last: it holds the lease, and dies
	// without giving it up.
	poller := window[n-1].agent
	other := "replica-a"
	if poller == other {
		other = "replica-b"
	}
	standbyMark := len(logs[other].String())
	if err := procs[poller].Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	procs[poller].Wait()
	after, i := site.waitPollBy(t, other, start+n)
	got := after[i].at
	// The lease expires at most 1.25 intervals after the kill, and the
	// standby asks again every 0.45 to 0.55 intervals, so within two
	// intervals it stands by at most 4 turns: a count, which a slow
	// machine can only lower. A measurement is logged besides.
	turns := strings.Count(logs[other].String()[standbyMark:], standbyTurn)
	t.Logf("%s took the feed over after %d standby turns, %.1f intervals after kill -9 of %s",
		other, turns, float64(got.Sub(killed))/float64(feedInterval), poller)
	if turns > 4 {
		t.Errorf("%s stood by %d turns after the poller died, more than two intervals' worth:\n%s",
			other, turns, logs[other].String()[standbyMark:])
	}
}
