package telegram

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/adapters/internal/memtest"
	"newsbot/bot"
)

// replica is an adapter sharing a fake Bot API and a lease with others.
type replica struct {
	a      *Adapter
	asker  *fakeAsker
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// crashLeaser forgets to release, as a killed process does.
type crashLeaser struct{ bot.Leaser }

func (crashLeaser) Release(context.Context, string, string) error { return nil }

const testLeaseTTL = time.Second

// pollCounter counts the getUpdates requests that the replicas sharing it
// have open, as the clients see them: from when one is sent until its
// answer's body is closed or the request fails. That is what a replica
// controls. The fake server's own count also holds requests whose client
// has hung up until the server notices, which on a loaded machine can
// outlast the pause between one holder's last poll and the next one's
// first.
type pollCounter struct {
	base      http.RoundTripper
	mu        sync.Mutex
	open, max int
}

func (c *pollCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "/getUpdates") {
		return c.base.RoundTrip(r)
	}
	c.mu.Lock()
	c.open++
	c.max = max(c.max, c.open)
	c.mu.Unlock()
	done := sync.OnceFunc(func() {
		c.mu.Lock()
		c.open--
		c.mu.Unlock()
	})
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		done()
		return nil, err
	}
	resp.Body = closeHook{resp.Body, done}
	return resp, nil
}

func (c *pollCounter) most() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// closeHook calls done when the body is closed.
type closeHook struct {
	io.ReadCloser
	done func()
}

func (b closeHook) Close() error {
	defer b.done()
	return b.ReadCloser.Close()
}

func startReplica(t *testing.T, api *fakeAPI, l bot.Leaser, mem bot.Memory, holder string, polls ...*pollCounter) *replica {
	t.Helper()
	r := &replica{asker: newFakeAsker(), logs: &syncBuffer{}, done: make(chan error, 1)}
	logger := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := []Option{WithLogger(logger), WithPollTimeout(testPollTimeout), WithPollLease(l, holder, testLeaseTTL), WithMemory(mem, 0)}
	for _, c := range polls {
		opts = append(opts, WithHTTPClient(&http.Client{Timeout: testPollTimeout + 15*time.Second, Transport: c}))
	}
	a, err := New(Config{Token: testToken, APIURL: api.srv.URL}, r.asker, opts...)
	if err != nil {
		t.Fatal(err)
	}
	r.a = a
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- a.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

func (r *replica) stop() {
	r.once.Do(func() {
		r.cancel()
		select {
		case <-r.done:
		case <-time.After(20 * time.Second): // hang guard only
			panic("Run did not return after its context was cancelled")
		}
	})
}

// waitHolder waits until lease PollLease is held by holder.
func waitHolder(t *testing.T, l *memtest.Leases, holder string) {
	t.Helper()
	guard := time.Now().Add(15 * time.Second) // hang guard only
	for l.Holder(PollLease) != holder {
		if time.Now().After(guard) {
			t.Fatalf("lease held by %q, want %q", l.Holder(PollLease), holder)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitLog waits until the replica has logged s.
func (r *replica) waitLog(t *testing.T, s string) {
	t.Helper()
	guard := time.Now().Add(15 * time.Second) // hang guard only
	for !strings.Contains(r.logs.String(), s) {
		if time.Now().After(guard) {
			t.Fatalf("timed out waiting for log %q:\n%s", s, r.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPollLeaseOneConsumerAndFailover(t *testing.T) {
	api := newFakeAPI(t)
	leases, mem, polls := &memtest.Leases{}, &memtest.Map{}, &pollCounter{base: http.DefaultTransport}
	a := startReplica(t, api, crashLeaser{leases}, mem, "replica-a", polls)
	waitHolder(t, leases, "replica-a")
	b := startReplica(t, api, leases, mem, "replica-b", polls)
	b.waitLog(t, "msg=\"telegram: connected\"")

	api.push(privateMsg(alice, "first"))
	api.waitSent(1)
	if n, m := len(a.asker.questions()), len(b.asker.questions()); n != 1 || m != 0 {
		t.Fatalf("holder answered %d, standby %d; want 1 and 0", n, m)
	}

	// The holder dies without releasing: the standby takes over once the
	// lease expires. If the holder died before confirming the update it
	// took, Telegram delivers it again and the new holder must skip it.
	died := time.Now()
	a.stop()
	waitHolder(t, leases, "replica-b")
	// A measurement for the README, not an assertion: the takeover comes
	// between the lease's expiry and one standby period after it.
	t.Logf("takeover %.2f ttl after the holder died (ttl %s)", float64(time.Since(died))/float64(testLeaseTTL), testLeaseTTL)
	api.push(privateMsg(alice, "second"))
	api.waitSent(2)
	if qs := b.asker.questions(); len(qs) != 1 || qs[0].Text != "second" {
		t.Fatalf("after failover the new holder was asked %v", questionTexts(qs))
	}

	// A holder whose renewal is refused stops polling and stands by; it
	// polls again once it gets the lease back.
	leases.Give(PollLease, "someone-else", testLeaseTTL/2)
	b.waitLog(t, "lost the polling lease")
	waitHolder(t, leases, "replica-b")
	api.push(privateMsg(alice, "third"))
	api.waitSent(3)

	b.stop()
	if h := leases.Holder(PollLease); h != "" {
		t.Errorf("after a clean shutdown the lease is still held by %q", h)
	}
	if n := polls.most(); n != 1 {
		t.Errorf("the replicas had %d getUpdates open at once; Telegram allows one consumer", n)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	t.Logf("the fake server saw at most %d getUpdates open at once", api.maxPolling)
}

// A holder that cannot reach the lease store stops polling before its
// lease could expire, so that no two replicas ever poll at once.
func TestPollLeaseUnreachableStopsPolling(t *testing.T) {
	api := newFakeAPI(t)
	leases := &memtest.Leases{}
	r := startReplica(t, api, leases, &memtest.Map{}, "replica-a")
	waitHolder(t, leases, "replica-a")
	r.waitLog(t, "holding the polling lease")
	guard := time.Now().Add(10 * time.Second) // hang guard only
	for !r.a.HoldsPollLease() {
		if time.Now().After(guard) {
			t.Fatal("the holder does not report holding the lease")
		}
		time.Sleep(5 * time.Millisecond)
	}
	leases.SetDown(true)
	r.waitLog(t, "cannot renew the polling lease before it expires")
	r.waitLog(t, "lost the polling lease")
	if r.a.HoldsPollLease() {
		t.Error("a replica that lost the lease still reports holding it")
	}
	api.mu.Lock()
	polls := len(api.polls)
	api.mu.Unlock()
	leases.SetDown(false)
	waitHolder(t, leases, "replica-a")
	api.push(privateMsg(alice, "back"))
	api.waitSent(1)
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.polls) <= polls {
		t.Error("polling did not resume after the lease store came back")
	}
}

// An update another replica recorded as handled is skipped.
func TestPollLeaseSkipsHandledUpdates(t *testing.T) {
	api := newFakeAPI(t)
	leases, mem := &memtest.Leases{}, &memtest.Map{}
	api.mu.Lock()
	next := api.nextUpdate + 1
	api.mu.Unlock()
	if err := mem.Save(context.Background(), "update:"+strconv.FormatInt(next, 10), []byte{1}, time.Hour); err != nil {
		t.Fatal(err)
	}
	r := startReplica(t, api, leases, mem, "replica-a")
	api.push(privateMsg(alice, "taken care of"))
	api.push(privateMsg(alice, "new"))
	api.waitSent(1)
	r.waitLog(t, "already handled by another replica")
	if qs := questionTexts(r.asker.questions()); len(qs) != 1 || qs[0] != "new" {
		t.Errorf("asked %q, want only the new update", qs)
	}
	guard := time.Now().Add(10 * time.Second) // hang guard only
	for {
		if _, ok := mem.Keys()["update:"+strconv.FormatInt(next+1, 10)]; ok {
			break
		}
		if time.Now().After(guard) {
			t.Fatal("a handled update is not recorded for other replicas")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
