package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot"
)

// fakeAsker answers from canned answers; anything else gets a refusal.
type fakeAsker struct {
	mu      sync.Mutex
	answers map[string]bot.Answer
	gates   map[string]chan struct{} // Ask waits for these to close
	asked   []bot.Question
	askedCh chan struct{} // closed and replaced on every Ask
	info    bot.Info
	infoErr error
	ctxErrs []error // ctx.Err() of Asks that gave up waiting
}

func newFakeAsker() *fakeAsker {
	return &fakeAsker{
		answers: map[string]bot.Answer{}, gates: map[string]chan struct{}{}, askedCh: make(chan struct{}),
		info: bot.Info{Articles: 12345, Chunks: 40000, Newest: march5, Oldest: march2, Embedder: "fake"},
	}
}

// on makes q answered with quotes.
func (f *fakeAsker) on(q string, quotes ...bot.Quote) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[q] = bot.Answer{Question: q, Answered: true, Quotes: quotes}
}

// gate makes Ask(q) wait until the returned func is called.
func (f *fakeAsker) gate(q string) (release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan struct{})
	f.gates[q] = ch
	return sync.OnceFunc(func() { close(ch) })
}

func (f *fakeAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	f.mu.Lock()
	f.asked = append(f.asked, q)
	close(f.askedCh)
	f.askedCh = make(chan struct{})
	gate := f.gates[q.Text]
	ans, ok := f.answers[q.Text]
	if !ok {
		ans = bot.Answer{Question: q.Text}
	}
	f.mu.Unlock()
	if strings.TrimSpace(q.Text) == "" {
		return bot.Answer{}, &bot.Error{Message: "Please ask a question."}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			f.mu.Lock()
			f.ctxErrs = append(f.ctxErrs, ctx.Err())
			f.mu.Unlock()
			return bot.Answer{}, bot.Errorf("Sorry, I ran out of time.", "ask: %w", ctx.Err())
		}
	}
	return ans, nil
}

func (f *fakeAsker) Info(context.Context) (bot.Info, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.info, f.infoErr
}

func (f *fakeAsker) questions() []bot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Question(nil), f.asked...)
}

// waitAsked waits until n questions have been asked.
func (f *fakeAsker) waitAsked(t *testing.T, n int) {
	t.Helper()
	guard := time.After(10 * time.Second) // hang guard only
	for {
		f.mu.Lock()
		got, ch := len(f.asked), f.askedCh
		f.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ch:
		case <-guard:
			t.Fatalf("timed out waiting for %d questions, got %d", n, got)
		}
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness runs an Adapter against a fakeAPI and a fakeAsker.
type harness struct {
	t       *testing.T
	api     *fakeAPI
	asker   *fakeAsker
	a       *Adapter
	logs    *syncBuffer
	cfg     Config
	cancel  context.CancelFunc
	done    chan error
	started time.Time
	stopped bool
	runErr  error
	handled atomic.Int64 // updates fully handled
}

const testPollTimeout = 20 * time.Second

// start runs an adapter for cfg (token and API URL filled in) until the
// test ends, checking on the way out that nothing secret was logged,
// nothing sent was invalid, and polling did not spin.
func start(t *testing.T, cfg Config, opts ...Option) *harness {
	t.Helper()
	h := &harness{t: t, api: newFakeAPI(t), asker: newFakeAsker(), logs: &syncBuffer{}, done: make(chan error, 1)}
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	cfg.APIURL = h.api.srv.URL
	h.cfg = cfg
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]Option{WithLogger(logger), WithPollTimeout(testPollTimeout)}, opts...)
	a, err := New(cfg, h.asker, opts...)
	if err != nil {
		t.Fatal(err)
	}
	h.a = a
	a.handled = func() { h.handled.Add(1) }
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.started = time.Now()
	go func() { h.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		h.stop()
		h.checkLogs()
		sent, calls := h.api.snapshot()
		h.api.mu.Lock()
		rejected, polls, pushes := h.api.rejected, h.api.polls, h.api.pushes
		h.api.mu.Unlock()
		for _, r := range rejected {
			t.Errorf("Telegram would have rejected a message: %s", r)
		}
		for _, s := range sent {
			if !s.PreviewDisabled {
				t.Errorf("message %d was sent with link previews on", s.ID)
			}
		}
		if cfg.WebhookURL == "" {
			// Every getUpdates must be a long poll, each returning because
			// updates came or its timeout passed: no busy loop.
			allowed := pushes + 2 + int(time.Since(h.started)/(testPollTimeout-time.Second))
			if len(polls) > allowed {
				t.Errorf("getUpdates called %d times for %d updates: polling spins", len(polls), pushes)
			}
			for _, p := range polls {
				if p <= 0 {
					t.Errorf("getUpdates with timeout %d: not a long poll", p)
				}
			}
		} else if calls["getUpdates"] > 0 {
			t.Errorf("getUpdates called %d times in webhook mode", calls["getUpdates"])
		}
	})
	return h
}

// stop cancels Run and waits for it to return.
func (h *harness) stop() error {
	h.t.Helper()
	if h.stopped {
		return h.runErr
	}
	h.stopped = true
	h.cancel()
	select {
	case h.runErr = <-h.done:
	case <-time.After(20 * time.Second): // hang guard only
		h.t.Fatal("Run did not return after its context was cancelled")
	}
	return h.runErr
}

// checkLogs fails the test if the logs reveal the token or its secret part.
func (h *harness) checkLogs() {
	h.t.Helper()
	logs := h.logs.String()
	_, secret, _ := strings.Cut(h.cfg.Token, ":")
	if strings.Contains(logs, secret) {
		h.t.Errorf("logs reveal the bot token:\n%s", logs)
	}
	if h.cfg.SecretToken != "" && strings.Contains(logs, h.cfg.SecretToken) {
		h.t.Errorf("logs reveal the webhook secret:\n%s", logs)
	}
}

// ask pushes m, waits for the n-th message sent overall, and then until
// every update pushed so far has been handled to the end.
func (h *harness) ask(m models.Message, n int) (models.Message, sentMessage) {
	h.t.Helper()
	m = h.api.push(m)
	sent := h.api.waitSent(n)
	h.settle()
	return m, sent[n-1]
}

// settle waits until every update pushed so far has been handled.
func (h *harness) settle() {
	h.t.Helper()
	h.api.mu.Lock()
	pushes := int64(h.api.pushes)
	h.api.mu.Unlock()
	guard := time.Now().Add(10 * time.Second) // hang guard only
	for h.handled.Load() < pushes {
		if time.Now().After(guard) {
			h.t.Fatalf("timed out: %d of %d updates handled", h.handled.Load(), pushes)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
