package feeds

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// testLeases is a bot.Leaser in memory, shared by the pollers of a test
// as a store is by replicas.
type testLeases struct {
	mu      sync.Mutex
	holders map[string]string
	expires map[string]time.Time
	noFree  bool // Release does nothing, as when a process is killed
}

func newTestLeases() *testLeases {
	return &testLeases{holders: map[string]string{}, expires: map[string]time.Time{}}
}

func (l *testLeases) Acquire(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.holders[name]; h != "" && h != holder && time.Now().Before(l.expires[name]) {
		return false, nil
	}
	l.holders[name], l.expires[name] = holder, time.Now().Add(ttl)
	return true, nil
}

func (l *testLeases) Release(_ context.Context, name, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.noFree && l.holders[name] == holder {
		delete(l.holders, name)
	}
	return nil
}

func (l *testLeases) holder(name string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Now().Before(l.expires[name]) {
		return l.holders[name]
	}
	return ""
}

// uaLog records the User-Agent of every fetch of a feed: each replica
// has its own.
type uaLog struct {
	mu      sync.Mutex
	agents  []string
	changed chan struct{}
}

func (u *uaLog) handler(feed string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.agents = append(u.agents, r.Header.Get("User-Agent"))
		close(u.changed)
		u.changed = make(chan struct{})
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, feed)
	}
}

func (u *uaLog) count(ua string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := 0
	for _, a := range u.agents {
		if a == ua {
			n++
		}
	}
	return n
}

// waitCount waits until ua has fetched n times.
func (u *uaLog) waitCount(t *testing.T, ua string, n int) {
	t.Helper()
	guard := time.After(20 * time.Second) // hang guard only
	for {
		u.mu.Lock()
		ch := u.changed
		u.mu.Unlock()
		if u.count(ua) >= n {
			return
		}
		select {
		case <-ch:
		case <-guard:
			t.Fatalf("%s fetched %d times, want %d", ua, u.count(ua), n)
		}
	}
}

// leasedReplica runs a Poller named ua with a short interval until the
// returned stop is called.
func leasedReplica(t *testing.T, s *site, l *testLeases, ua string, interval time.Duration, opts ...PollerOption) (stop func()) {
	t.Helper()
	f := testFetcher(nil, WithUserAgent(ua))
	opts = append([]PollerOption{WithLeaser(l, ua), WithPollerLogger(f.log)}, opts...)
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}}, f, newCollector().sink, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, fe := range p.feeds {
		fe.interval = interval // below MinInterval, for the test's sake
	}
	p.rand = func() float64 { return 0.5 } // no jitter, no startup spread beyond interval/20
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(20 * time.Second): // hang guard only
				t.Error("Run did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func TestLeasedPollingOneReplicaAndFailover(t *testing.T) {
	s := newSite(t)
	uas := &uaLog{changed: make(chan struct{})}
	s.handle("/rss.xml", uas.handler(rssFeed(s.URL, "alpha")))
	leases := newTestLeases()
	leases.noFree = true // replica A is killed, not stopped
	const interval = time.Second
	stopA := leasedReplica(t, s, leases, "replica-a", interval)
	uas.waitCount(t, "replica-a", 1)
	leasedReplica(t, s, leases, "replica-b", interval)
	uas.waitCount(t, "replica-a", 4)
	if n := uas.count("replica-b"); n != 0 {
		t.Fatalf("the standby fetched the feed %d times while the holder was alive", n)
	}
	stopA()
	before := uas.count("replica-a")
	uas.waitCount(t, "replica-b", 2)
	if n := uas.count("replica-a"); n != before {
		t.Errorf("the dead replica fetched %d more times", n-before)
	}
}

func TestLeasesReleasedAtShutdown(t *testing.T) {
	s := newSite(t)
	uas := &uaLog{changed: make(chan struct{})}
	s.handle("/rss.xml", uas.handler(rssFeed(s.URL, "alpha")))
	leases := newTestLeases()
	stop := leasedReplica(t, s, leases, "replica-a", 10*time.Second)
	uas.waitCount(t, "replica-a", 1)
	name := "feed:" + feedKey(s.URL+"/rss.xml")
	if h := leases.holder(name); h != "replica-a" {
		t.Fatalf("lease %s held by %q while polling", name, h)
	}
	stop()
	if h := leases.holder(name); h != "" {
		t.Errorf("lease still held by %q after a clean shutdown", h)
	}
}

func TestRetentionOnOneReplica(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss.xml", "application/rss+xml", rssFeed(s.URL, "alpha"))
	leases := newTestLeases()
	var mu sync.Mutex
	deletes := map[string]int{}
	del := func(who string) DeleteFunc {
		return func(context.Context, time.Time) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			deletes[who]++
			return 0, nil
		}
	}
	if ok, _ := leases.Acquire(context.Background(), RetentionLease, "replica-a", time.Hour); !ok {
		t.Fatal("could not take the retention lease")
	}
	// pruneLoop prunes (or skips) once, then waits for ctx: done already.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var logs bytes.Buffer
	for _, who := range []string{"replica-a", "replica-b"} {
		f := testFetcher(&logs)
		p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}, MaxAgeDays: 1}, f, newCollector().sink,
			WithLeaser(leases, who), WithRetention(del(who)), WithPollerLogger(f.log))
		if err != nil {
			t.Fatal(err)
		}
		p.pruneLoop(ctx)
	}
	if deletes["replica-a"] != 1 || deletes["replica-b"] != 0 {
		t.Errorf("retention runs: %v; want one, on the lease holder", deletes)
	}
	if !strings.Contains(logs.String(), "lease=retention") {
		t.Errorf("skipping retention is not logged:\n%s", logs.String())
	}
}
