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

	"newsbot/bot"
	"newsbot/retrieval/store/sqlite"
)

// testLeases is a bot.Leaser in memory, shared by the pollers of a test
// as a store is by replicas.
type testLeases struct {
	mu      sync.Mutex
	holders map[string]string
	expires map[string]time.Time
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
	if l.holders[name] == holder {
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

// leasedReplica runs a Poller named ua with a short interval, keeping its
// state in state (nil: nowhere), until the returned stop is called.
func leasedReplica(t *testing.T, s *site, l bot.Leaser, ua string, interval time.Duration, state StateKeeper) (stop func()) {
	t.Helper()
	f := testFetcher(nil, WithUserAgent(ua))
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}, State: state}, f, newCollector().sink,
		WithLeaser(l, ua), WithPollerLogger(f.log))
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

// crashed forgets to release its leases, as a killed process does.
type crashed struct{ bot.Leaser }

func (crashed) Release(context.Context, string, string) error { return nil }

// The leases in memory and in the embedded store of record behave alike.
func TestLeasedPollingOneReplicaAndFailover(t *testing.T) {
	for _, tt := range []struct {
		name   string
		leaser func(t *testing.T) bot.Leaser
	}{
		{"memory", func(*testing.T) bot.Leaser { return newTestLeases() }},
		{"sqlite", func(t *testing.T) bot.Leaser {
			db, err := sqlite.Open(context.Background(), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			uas := &uaLog{changed: make(chan struct{})}
			s.handle("/rss.xml", uas.handler(rssFeed(s.URL, "alpha")))
			leases := tt.leaser(t)
			const interval = time.Second
			stopA := leasedReplica(t, s, crashed{leases}, "replica-a", interval, nil)
			uas.waitCount(t, "replica-a", 1)
			leasedReplica(t, s, leases, "replica-b", interval, nil)
			uas.waitCount(t, "replica-a", 4)
			if n := uas.count("replica-b"); n != 0 {
				t.Fatalf("the standby fetched the feed %d times while the holder was alive", n)
			}
			died := time.Now()
			stopA()
			before := uas.count("replica-a")
			uas.waitCount(t, "replica-b", 1)
			// A measurement for the README, not an assertion.
			t.Logf("feed taken over %.2f intervals after its poller died", float64(time.Since(died))/float64(interval))
			uas.waitCount(t, "replica-b", 2)
			if n := uas.count("replica-a"); n != before {
				t.Errorf("the dead replica fetched %d more times", n-before)
			}
		})
	}
}

func TestLeasesReleasedAtShutdown(t *testing.T) {
	s := newSite(t)
	uas := &uaLog{changed: make(chan struct{})}
	s.handle("/rss.xml", uas.handler(rssFeed(s.URL, "alpha")))
	leases := newTestLeases()
	stop := leasedReplica(t, s, leases, "replica-a", 10*time.Second, nil)
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
		if got, want := fmt.Sprint(p.Leases()), map[string]string{"replica-a": "[retention]", "replica-b": "[]"}[who]; got != want {
			t.Errorf("%s reports leases %s, want %s", who, got, want)
		}
	}
	if deletes["replica-a"] != 1 || deletes["replica-b"] != 0 {
		t.Errorf("retention runs: %v; want one, on the lease holder", deletes)
	}
	if !strings.Contains(logs.String(), "lease=retention") {
		t.Errorf("skipping retention is not logged:\n%s", logs.String())
	}
}

// memState is a StateKeeper in memory, shared by replicas as the store is.
type memState struct {
	mu   sync.Mutex
	data []byte
}

func (m *memState) ReadState(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]byte(nil), m.data...), nil
}

func (m *memState) WriteState(_ context.Context, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = append([]byte(nil), data...)
	return nil
}

// etagFeed serves feed with an ETag and records, per User-Agent, whether
// each request was conditional.
type etagFeed struct {
	mu          sync.Mutex
	conditional map[string][]bool
	changed     chan struct{}
}

func (e *etagFeed) handler(feed string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cond := r.Header.Get("If-None-Match") == `"v1"`
		e.mu.Lock()
		ua := r.Header.Get("User-Agent")
		e.conditional[ua] = append(e.conditional[ua], cond)
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
		if cond {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, feed)
	}
}

// wait waits until ua has made n requests and returns whether each was
// conditional.
func (e *etagFeed) wait(t *testing.T, ua string, n int) []bool {
	t.Helper()
	guard := time.After(20 * time.Second) // hang guard only
	for {
		e.mu.Lock()
		got, ch := append([]bool(nil), e.conditional[ua]...), e.changed
		e.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-guard:
			t.Fatalf("%s made %d requests, want %d", ua, len(got), n)
		}
	}
}

// A replica taking a feed over starts from the state the previous poller
// saved: its first request is conditional and costs a 304, not a refetch.
func TestTakeoverKeepsFeedState(t *testing.T) {
	s := newSite(t)
	e := &etagFeed{conditional: map[string][]bool{}, changed: make(chan struct{})}
	s.handle("/rss.xml", e.handler(rssFeed(s.URL, "alpha")))
	leases, state := newTestLeases(), &memState{}
	// B starts first, with nothing saved yet, while A holds the lease.
	name := "feed:" + feedKey(s.URL+"/rss.xml")
	leases.Acquire(context.Background(), name, "replica-a", time.Second)
	leasedReplica(t, s, leases, "replica-b", time.Second, state)
	stopA := leasedReplica(t, s, crashed{leases}, "replica-a", time.Second, state)
	e.wait(t, "replica-a", 2)
	stopA()
	if got := e.wait(t, "replica-b", 1); !got[0] {
		t.Errorf("the new poller's first request was not conditional: it lost the feed's state")
	}
	if s.count("/news/alpha") != 1 {
		t.Errorf("the item was fetched %d times; the takeover refetched it", s.count("/news/alpha"))
	}
}

// A poll by hand (ingest --feeds) keeps its results even with a leaser.
func TestPollOnceWithLeaserSavesState(t *testing.T) {
	s := newSite(t)
	e := &etagFeed{conditional: map[string][]bool{}, changed: make(chan struct{})}
	s.handle("/rss.xml", e.handler(rssFeed(s.URL, "alpha")))
	state := &memState{}
	for range 2 {
		f := testFetcher(nil, WithUserAgent("once"))
		p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}, State: state}, f, newCollector().sink,
			WithLeaser(newTestLeases(), "once"), WithPollerLogger(f.log))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.PollOnce(hangGuard(t)); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.wait(t, "once", 2); got[0] || !got[1] {
		t.Errorf("conditional requests %v, want the second run to reuse the first's ETag", got)
	}
}
