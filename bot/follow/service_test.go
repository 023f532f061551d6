package follow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/bot/answer"
)

var quiet = slog.New(slog.DiscardHandler)

var (
	tg   = bot.Chat{Platform: "telegram", ID: "42"}
	dc   = bot.Chat{Platform: "discord", ID: "7"}
	noon = time.Date(2025, 3, 29, 12, 10, 0, 0, time.UTC)
)

// harness is one replica's Service over shared fakes.
type harness struct {
	clock  *clock
	store  *memStore
	lib    *library
	cursor *memCursor
	push   map[string]*fakePusher
	svc    *Service
}

// background is filler news, so that the words of a story are rare.
var background = []bot.Article{
	{ID: "bg1", Title: "Rates", Text: "The central bank raised interest rates by 0.25 points on Tuesday. Inflation stayed above 4 percent."},
	{ID: "bg2", Title: "Football", Text: "Arsenal beat Chelsea 3-1 at the Emirates. Saka scored twice in the second half."},
	{ID: "bg3", Title: "Weather", Text: "Storms closed the harbour at Dover for a second day. Ferries were cancelled."},
	{ID: "bg4", Title: "Film", Text: "The festival opened with a French comedy. Critics praised its lead actress."},
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	h := &harness{clock: &clock{t: noon}, lib: newLibrary(), cursor: &memCursor{},
		push: map[string]*fakePusher{"telegram": {}, "discord": {}}}
	h.store = newMemStore(h.clock.now)
	for _, a := range background {
		h.lib.put(a)
	}
	h.svc = h.replica("r1", opts...)
	return h
}

// replica returns another Service over the harness's fakes.
func (h *harness) replica(holder string, opts ...Option) *Service {
	x := answer.New(h.lib)
	m := NewMatcher(x, h.lib, WithThreshold(0.05), WithPrefilter(Prefilter{MinRarity: 0.2, MinShare: 0.3}),
		WithMatcherLogger(quiet))
	pushers := map[string]bot.Pusher{}
	for k, p := range h.push {
		pushers[k] = p
	}
	all := append([]Option{WithMatching(m, h.lib, h.cursor), WithPushers(pushers), WithClock(h.clock.now),
		WithLogger(quiet), WithLeaser(&memLeaser{now: h.clock.now}, holder)}, opts...)
	return NewService(h.store, bot.New(x), all...)
}

func (h *harness) follow(t *testing.T, chat bot.Chat, text string) bot.Follow {
	t.Helper()
	f, _, err := h.svc.Follow(context.Background(), chat, text)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// match runs the match step until the change sequence is consumed.
func (h *harness) match(t *testing.T) {
	t.Helper()
	for {
		n, err := h.svc.MatchNew(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (h *harness) deliver(t *testing.T, s *Service) {
	t.Helper()
	if _, err := s.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
}

const harvest = "Farmers in Kenya reported a record maize harvest. Prices fell sharply in Nairobi markets. The weather was mild."

func TestOnePushPerStory(t *testing.T) {
	tests := []struct {
		name   string
		arts   []bot.Article
		pushes int
	}{
		{"one article", []bot.Article{{ID: "wire-1", Title: "Harvest", Text: harvest}}, 1},
		{"the same story from two feeds", []bot.Article{
			{ID: "wire-1", Title: "Harvest", Source: "Wire", Text: harvest},
			{ID: "paper-9", Title: "Kenya: record harvest", Source: "Paper", Text: "NAIROBI (Paper) - " + strings.ReplaceAll(harvest, ". ", ".  ") + " Copyright Paper."},
		}, 1},
		{"an updated copy", []bot.Article{
			{ID: "wire-1", Title: "Harvest", Text: harvest},
			{ID: "wire-1", Title: "Record harvest (updated)", Text: harvest + " Officials will publish the final figures in June."},
		}, 1},
		{"an update that changes the quoted fact", []bot.Article{
			{ID: "wire-1", Title: "Harvest", Text: harvest},
			{ID: "wire-1", Title: "Harvest", Text: strings.Replace(harvest, "a record maize harvest", "the second-best maize harvest on record", 1)},
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.match(t) // the cursor starts at the end of the back catalogue
			h.follow(t, tg, "Kenya maize harvest")
			for _, a := range tc.arts {
				h.lib.put(a)
				h.match(t)
				h.match(t) // matching again (a restart) adds nothing
			}
			if got := len(h.store.unsent()); got != tc.pushes {
				t.Fatalf("%d pushes, want %d: %+v", got, tc.pushes, h.store.unsent())
			}
			h.deliver(t, h.svc)
			if got := len(h.push["telegram"].messages()); got != tc.pushes {
				t.Errorf("%d messages, want %d", got, tc.pushes)
			}
		})
	}
}

// TestMatchStartsAtTheEnd: a first start pushes nothing from the back
// catalogue; compacted history skips to the latest change.
func TestMatchStartsAtTheEnd(t *testing.T) {
	h := newHarness(t)
	h.lib.put(bot.Article{ID: "old", Title: "Harvest", Text: harvest})
	h.follow(t, tg, "Kenya maize harvest")
	h.match(t)
	if n := len(h.store.unsent()); n != 0 {
		t.Fatalf("%d pushes from the back catalogue", n)
	}
	if seq, ok, _ := h.cursor.Load(context.Background()); !ok || seq != int64(len(background)+1) {
		t.Fatalf("cursor %d %v", seq, ok)
	}
	h.lib.put(bot.Article{ID: "new", Title: "Harvest", Text: "Kenya's maize harvest broke a record again."})
	h.match(t)
	if n := len(h.store.unsent()); n != 1 {
		t.Fatalf("%d pushes for a new article, want 1", n)
	}

	gone := &historyGone{library: h.lib}
	h.svc.source = gone
	h.lib.put(bot.Article{ID: "newer", Title: "Harvest", Text: "The Kenya maize harvest was counted."})
	h.match(t)
	if seq, _, _ := h.cursor.Load(context.Background()); seq != int64(len(h.lib.changes)) {
		t.Errorf("after compacted history the cursor is %d, want the latest %d", seq, len(h.lib.changes))
	}
}

// TestMatchSkipsABrokenArticle retries an article that fails to match,
// then gives up on it, so that later articles are matched.
func TestMatchSkipsABrokenArticle(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	h.match(t)
	h.follow(t, tg, "Kenya maize harvest")
	h.lib.broken = "bad"
	h.lib.put(bot.Article{ID: "bad", Title: "Harvest", Text: "Kenya's maize harvest broke a record."})
	h.lib.put(bot.Article{ID: "good", Title: "Harvest", Text: harvest})
	for attempt := 1; attempt < matchAttempts; attempt++ {
		if _, err := h.svc.MatchNew(ctx); err == nil {
			t.Fatalf("attempt %d: no error", attempt)
		}
		if n := len(h.store.unsent()); n != 0 {
			t.Fatalf("attempt %d: %d pushes", attempt, n)
		}
	}
	h.match(t)
	ps := h.store.unsent()
	if len(ps) != 1 || ps[0].Quote.ArticleID != "good" {
		t.Fatalf("pushes %+v, want one from the good article", ps)
	}
}

type historyGone struct{ *library }

func (historyGone) Changes(context.Context, int64, int) ([]Change, error) {
	return nil, fmt.Errorf("read changes: %w", ErrHistoryGone)
}

// addPushes records n pushes for f, due now.
func (h *harness) addPushes(t *testing.T, f bot.Follow, n int) {
	t.Helper()
	for i := range n {
		q := bot.Quote{Text: fmt.Sprintf("Quote number %d.", i+1), ArticleID: fmt.Sprint("a", i)}
		p := bot.Push{FollowID: f.ID, Chat: f.Chat, Query: f.Query, Quote: q, Story: Story(q), Due: h.clock.now()}
		if _, ok, err := h.store.AddPush(context.Background(), p); err != nil || !ok {
			t.Fatalf("add push: %v %v", ok, err)
		}
		h.clock.add(time.Second)
	}
}

func TestHourlyLimitAndDigest(t *testing.T) {
	tests := []struct {
		name     string
		follow   string
		perHour  int
		pushes   int
		now      time.Time
		instant  int       // sent one by one at once
		digestAt time.Time // when the rest go, as one message
	}{
		{"under the limit", "maize", 0, 2, noon, 2, time.Time{}},
		{"over the default limit", "maize", 0, 5, noon, 3, time.Date(2025, 3, 29, 13, 0, 0, 0, time.UTC)},
		{"a limit of one", "maize", 1, 3, noon, 1, time.Date(2025, 3, 29, 13, 0, 0, 0, time.UTC)},
		{"daily digest across the change to summer time", "maize daily 08:00 Europe/London", 0, 4,
			time.Date(2025, 3, 29, 9, 30, 0, 0, time.UTC), 3, time.Date(2025, 3, 30, 7, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, WithLimits(Limits{PerHour: tc.perHour}))
			h.clock.set(tc.now)
			f := h.follow(t, tg, tc.follow)
			h.addPushes(t, f, tc.pushes)
			h.deliver(t, h.svc)
			msgs := h.push["telegram"].messages()
			if len(msgs) != tc.instant {
				t.Fatalf("%d messages at once, want %d", len(msgs), tc.instant)
			}
			for _, m := range msgs {
				if len(m.quotes) != 1 {
					t.Errorf("a single push carried %d quotes", len(m.quotes))
				}
			}
			held := h.store.unsent()
			if len(held) != tc.pushes-tc.instant {
				t.Fatalf("%d pushes held, want %d", len(held), tc.pushes-tc.instant)
			}
			if len(held) == 0 {
				return
			}
			for _, p := range held {
				if !p.Digest || !p.Due.Equal(tc.digestAt) {
					t.Errorf("held push due %v (digest %v), want the digest at %v", p.Due.UTC(), p.Digest, tc.digestAt)
				}
			}
			// Nothing goes before the digest, however often delivery runs
			// and whatever the hourly count says by then.
			h.clock.set(tc.digestAt.Add(-time.Minute))
			h.deliver(t, h.svc)
			if n := len(h.push["telegram"].messages()); n != tc.instant {
				t.Fatalf("%d messages before the digest's time", n-tc.instant)
			}
			h.clock.set(tc.digestAt)
			h.deliver(t, h.svc)
			msgs = h.push["telegram"].messages()
			if len(msgs) != tc.instant+1 || len(msgs[tc.instant].quotes) != len(held) {
				t.Fatalf("after the digest: %+v, want one more message with %d quotes", msgs, len(held))
			}
			if n := len(h.store.unsent()); n != 0 {
				t.Errorf("%d pushes still unsent", n)
			}
		})
	}
}

func TestChatGoneDropsItsFollows(t *testing.T) {
	h := newHarness(t)
	a := h.follow(t, tg, "maize")
	h.follow(t, tg, "Nairobi prices")
	b := h.follow(t, dc, "maize")
	h.addPushes(t, a, 1)
	h.addPushes(t, b, 1)
	h.push["telegram"].err = fmt.Errorf("telegram: 403 Forbidden: bot was blocked by the user: %w", bot.ErrChatGone)
	h.deliver(t, h.svc)
	if fs, _ := h.store.Follows(context.Background(), tg); len(fs) != 0 {
		t.Errorf("the gone chat keeps %d follows", len(fs))
	}
	if fs, _ := h.store.Follows(context.Background(), dc); len(fs) != 1 {
		t.Errorf("the other chat has %d follows, want 1", len(fs))
	}
	if n := len(h.push["discord"].messages()); n != 1 {
		t.Errorf("the other chat got %d messages, want 1", n)
	}
	if n := len(h.store.unsent()); n != 0 {
		t.Errorf("%d pushes left for a gone chat", n)
	}
}

func TestCrashedDeliveryIsRedelivered(t *testing.T) {
	const ttl = 2 * time.Minute
	for _, tc := range []struct {
		name     string
		crash    func(h *harness)
		messages int // in the end, counting a duplicate
	}{
		{"claimed, not sent", func(h *harness) {
			// The replica claims and dies before sending.
			if _, err := h.store.ClaimPushes(context.Background(), "r1", h.clock.now(), ttl, 10); err != nil {
				panic(err)
			}
		}, 1},
		{"sent, not marked", func(h *harness) {
			// The platform accepts the message; the replica dies before
			// recording it (here: its store is unreachable until then).
			h.store.failMark = true
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, _ = h.svc.Deliver(ctx)
			h.store.failMark = false
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, WithIntervals(time.Second, 30*time.Second, ttl))
			f := h.follow(t, tg, "maize")
			h.addPushes(t, f, 1)
			tc.crash(h)
			other := h.replica("r2", WithIntervals(time.Second, 30*time.Second, ttl))
			h.clock.add(ttl - time.Second)
			h.deliver(t, other)
			if n := len(h.push["telegram"].messages()); n != tc.messages-1 {
				t.Fatalf("%d messages while the claim holds, want %d", n, tc.messages-1)
			}
			h.clock.add(2 * time.Second)
			h.deliver(t, other)
			if n := len(h.push["telegram"].messages()); n != tc.messages {
				t.Fatalf("%d messages after the claim ran out, want %d", n, tc.messages)
			}
			h.clock.add(time.Hour)
			h.deliver(t, other)
			if n := len(h.push["telegram"].messages()); n != tc.messages {
				t.Errorf("%d messages later, want still %d", n, tc.messages)
			}
		})
	}
}

// TestFailedSendBacksOff retries a push the platform refused, after the
// claim runs out and with a growing backoff.
func TestFailedSendBacksOff(t *testing.T) {
	const ttl = time.Minute
	h := newHarness(t, WithIntervals(time.Second, 30*time.Second, ttl))
	f := h.follow(t, tg, "maize")
	h.addPushes(t, f, 1)
	p := h.push["telegram"]
	p.err = errors.New("telegram: 502 Bad Gateway")
	h.deliver(t, h.svc) // fails: backoff one claim
	h.clock.add(ttl + time.Second)
	h.deliver(t, h.svc) // fails again: backoff two claims
	h.clock.add(ttl + time.Second)
	p.err = nil
	h.deliver(t, h.svc) // still backing off
	if n := len(p.messages()); n != 0 {
		t.Fatalf("sent during the backoff")
	}
	h.clock.add(ttl)
	h.deliver(t, h.svc)
	if n := len(p.messages()); n != 1 {
		t.Fatalf("%d messages after the backoff, want 1", n)
	}
}

func TestFollowLimitsAndUnfollow(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, WithLimits(Limits{PerChat: 2, Total: 3}))
	h.lib.put(bot.Article{ID: "h", Title: "Harvest", Text: harvest})
	f, ans, err := h.svc.Follow(ctx, tg, "What happened to maize prices in Nairobi? daily 08:00 Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == 0 || f.Chat != tg || f.Daily != "08:00" || f.Zone != "Europe/London" || f.Query != "What happened to maize prices in Nairobi?" {
		t.Errorf("follow %+v", f)
	}
	if !ans.Answered || ans.Quotes[0].Text != "Prices fell sharply in Nairobi markets." {
		t.Errorf("current answer %+v", ans)
	}
	for _, tc := range []struct {
		chat bot.Chat
		text string
		err  string
	}{
		{tg, "what happened to maize prices in nairobi?", "already follow"},
		{tg, "Zanzibar ferries", ""},
		{tg, "Arsenal", "the most allowed"},
		{dc, "Arsenal", ""},
		{bot.Chat{Platform: "cli"}, "Chelsea", "as many topics"},
		{dc, strings.Repeat("word ", 500), "too long"},
	} {
		_, _, err := h.svc.Follow(ctx, tc.chat, tc.text)
		var be *bot.Error
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.text, err)
		case tc.err != "" && (!errors.As(err, &be) || !strings.Contains(be.Message, tc.err)):
			t.Errorf("%.40q: error %v, want a message with %q", tc.text, err, tc.err)
		}
	}
	if _, err := h.svc.Unfollow(ctx, tg, 3, false); err == nil || !strings.Contains(bot.UserMessage(err), "1 to 2") {
		t.Errorf("unfollow 3 of 2: %v", err)
	}
	if n, err := h.svc.Unfollow(ctx, tg, 1, false); n != 1 || err != nil {
		t.Fatalf("unfollow 1: %d %v", n, err)
	}
	fs, _ := h.svc.Following(ctx, tg)
	if len(fs) != 1 || fs[0].Query != "Zanzibar ferries" {
		t.Fatalf("following after unfollow 1: %+v", fs)
	}
	if n, err := h.svc.Unfollow(ctx, tg, 0, true); n != 1 || err != nil {
		t.Fatalf("unfollow all: %d %v", n, err)
	}
	if _, err := h.svc.Unfollow(ctx, tg, 1, false); err == nil || !strings.Contains(bot.UserMessage(err), "follows nothing") {
		t.Errorf("unfollow in an empty chat: %v", err)
	}
}

// TestRunTwoReplicas runs two replicas' loops on one store: a new
// article is matched by the lease holder only and pushed once.
func TestRunTwoReplicas(t *testing.T) {
	h := newHarness(t, WithIntervals(5*time.Millisecond, time.Minute, time.Minute))
	other := h.replica("r2", WithIntervals(5*time.Millisecond, time.Minute, time.Minute))
	// One lease for both replicas.
	lease := &memLeaser{now: h.clock.now}
	h.svc.leaser, other.leaser = lease, lease
	h.follow(t, tg, "Kenya maize harvest")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	for _, s := range []*Service{h.svc, other} {
		go func() {
			_ = s.Run(ctx)
			done <- struct{}{}
		}()
	}
	defer func() {
		cancel()
		<-done
		<-done
	}()
	waitFor(t, func() bool { _, ok, _ := h.cursor.Load(ctx); return ok })
	h.lib.put(bot.Article{ID: "wire-1", Title: "Harvest", Text: harvest})
	h.lib.put(bot.Article{ID: "paper-1", Title: "Kenya harvest", Text: "NAIROBI - " + harvest})
	waitFor(t, func() bool { return len(h.push["telegram"].messages()) > 0 })
	time.Sleep(50 * time.Millisecond) // room for a wrong second push
	if msgs := h.push["telegram"].messages(); len(msgs) != 1 || msgs[0].quotes[0] != "Farmers in Kenya reported a record maize harvest." {
		t.Errorf("messages %+v, want one with the harvest sentence", msgs)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
