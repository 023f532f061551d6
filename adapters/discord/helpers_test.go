package discord

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/bot"
)

// Articles the fake asker quotes from. Quotes are cut with bot.NewQuote at
// the offsets where their text occurs, so Text == Article.Text[Start:End].
var (
	artProposal = &bot.Article{
		ID: "a1", Title: "EU ministers back the fisheries proposal", Source: "Example News",
		URL:       "https://news.example.com/eu/fisheries?id=1",
		Published: time.Date(2025, 5, 30, 9, 0, 0, 0, time.UTC),
		Text: "Brussels. The proposal was confirmed by the Danish presidency on Friday. " +
			"Ministers from 27 member states attended. A final vote is expected in June.",
	}
	artHostile = &bot.Article{
		ID: "a2", Title: "Forum *drama* [live] (updates)", Source: "Chat_Weekly", URL: "https://example.org/a(1)",
		Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Text: "Moderators wrote: @everyone please read the __rules__ and ||spoilers|| now. " +
			"Users typed `code`, ~~strike~~, **bold**, > quotes, <@123456789012345678> and <@&987654321098765432> " +
			"and also @here, see https://example.org/x_y*z for details.\n# Not a heading\n- not a list\n1. not a list either",
	}
)

// citationOf names a, as a refusal's closest article.
func citationOf(a *bot.Article) bot.Citation {
	return bot.Citation{ArticleID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published}
}

// quote cuts the first occurrence of text from a.
func quote(t *testing.T, a *bot.Article, text string) bot.Quote {
	t.Helper()
	i := strings.Index(a.Text, text)
	if i < 0 {
		t.Fatalf("quote %q not in article %s", text, a.ID)
	}
	return bot.NewQuote(a, bot.Span{Start: i, End: i + len(text)}, 1)
}

// longArticle returns an article with n sentences containing Markdown,
// mentions and @everyone, and a quote of all of it.
func longArticle(t *testing.T, n int) (*bot.Article, bot.Quote) {
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			b.WriteString("The council said *nothing* about the_budget, @everyone agreed. ")
		case 1:
			b.WriteString("A spokesperson added that `numbers` and ||secrets|| stay > private <@111111111111111111>. ")
		case 2:
			b.WriteString("Critics called it ~~a mistake~~ and posted https://example.com/a_b_c on the forum. ")
		default:
			b.WriteString("@here the vote of 12 to 3 passed without objection [citation needed]. ")
		}
	}
	a := &bot.Article{ID: "long", Title: "Very long report", Source: "Wire", URL: "https://wire.example/long",
		Published: time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC), Text: strings.TrimSpace(b.String())}
	return a, bot.NewQuote(a, bot.Span{Start: 0, End: len(a.Text)}, 1)
}

// fakeAsker returns canned answers by question text and records what it
// was asked.
type fakeAsker struct {
	mu      sync.Mutex
	answers map[string]bot.Answer
	errs    map[string]error
	asked   []bot.Question
	askedCh chan bot.Question
	release chan struct{} // when non-nil, Ask waits for it
	info    bot.Info
}

func newFakeAsker() *fakeAsker {
	return &fakeAsker{answers: map[string]bot.Answer{}, errs: map[string]error{}, askedCh: make(chan bot.Question, 100)}
}

func (f *fakeAsker) answer(q string, quotes ...bot.Quote) bot.Answer {
	ans := bot.Answer{Question: q, Answered: len(quotes) > 0, Quotes: quotes}
	f.mu.Lock()
	f.answers[q] = ans
	f.mu.Unlock()
	return ans
}

func (f *fakeAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	f.mu.Lock()
	f.asked = append(f.asked, q)
	ans, ok := f.answers[q.Text]
	err := f.errs[q.Text]
	release := f.release
	f.mu.Unlock()
	f.askedCh <- q
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return bot.Answer{}, ctx.Err()
		}
	}
	if err != nil {
		return bot.Answer{}, err
	}
	if !ok {
		return bot.Answer{Question: q.Text}, nil
	}
	return ans, nil
}

func (f *fakeAsker) Info(context.Context) (bot.Info, error) { return f.info, nil }

func (f *fakeAsker) questions() []bot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Question(nil), f.asked...)
}

// logBuffer collects log output and lets tests wait for a line.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitFor blocks until the log matches re.
func (l *logBuffer) waitFor(t *testing.T, re string) {
	t.Helper()
	l.waitCount(t, re, 1)
}

// waitCount blocks until re matches n times in the log.
func (l *logBuffer) waitCount(t *testing.T, re string, n int) {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(hangGuard)
	for {
		l.mu.Lock()
		ok, ch := len(rx.FindAllStringIndex(l.buf.String(), -1)) >= n, l.changed
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for log %q; log:\n%s", re, l.String())
		}
	}
}

// running is an adapter started against a fake Discord.
type running struct {
	a      *Adapter
	f      *fakeDiscord
	asker  *fakeAsker
	logs   *logBuffer
	cancel context.CancelFunc
	done   chan error
}

// start runs an adapter against f until the test ends, and checks on the
// way out that Run returned nil and the token never reached the log.
func start(t *testing.T, f *fakeDiscord, asker *fakeAsker, edit func(*Config), opts ...Option) *running {
	t.Helper()
	cfg := Config{Token: f.token, APIURL: f.apiURL()}
	if edit != nil {
		edit(&cfg)
	}
	logs := newLogBuffer()
	opts = append([]Option{WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}, opts...)
	a, err := New(cfg, asker, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{a: a, f: f, asker: asker, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		r.stop(t)
		if strings.Contains(logs.String(), f.token) {
			t.Errorf("bot token appears in the log:\n%s", logs.String())
		}
	})
	// Ready once connected and the commands are registered.
	logs.waitFor(t, `msg="serving questions"`)
	return r
}

// stop cancels Run and waits for it; safe to call twice.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok && err != nil {
			t.Errorf("Run returned %v", err)
		}
		if ok {
			close(r.done)
		}
	case <-time.After(hangGuard):
		t.Fatal("Run did not return after cancel")
	}
}
