package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsbot/bot/follow"
	"newsbot/retrieval/feeds"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/sqlite"
)

// chatAPI is the replica tests' fake Bot API (botAPI) that also records
// which chat each sent message went to, and takes messages from any
// private chat.
type chatAPI struct {
	*botAPI
	mu   sync.Mutex
	msgs []chatMessage
}

type chatMessage struct {
	chat int64
	text string
}

func newChatAPI() *chatAPI { return &chatAPI{botAPI: newBotAPI()} }

func (f *chatAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/sendMessage") {
		r.ParseMultipartForm(1 << 20)
		chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
		f.mu.Lock()
		f.msgs = append(f.msgs, chatMessage{chat, r.FormValue("text")})
		f.mu.Unlock()
	}
	f.botAPI.ServeHTTP(w, r)
}

// say queues a private message from user (and chat) id.
func (f *chatAPI) say(id int64, text string) {
	f.botAPI.mu.Lock()
	defer f.botAPI.mu.Unlock()
	chat := map[string]any{"id": id, "type": "private"}
	f.queue = append(f.queue, map[string]any{"update_id": f.nextUpd, "message": map[string]any{
		"message_id": f.nextMsg, "date": time.Now().Unix(), "text": text, "chat": chat,
		"from": map[string]any{"id": id, "is_bot": false, "first_name": "U"}}})
	f.nextMsg++
	f.nextUpd++
	f.changedLocked()
}

// to returns the messages sent to chat so far.
func (f *chatAPI) to(chat int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, m := range f.msgs {
		if m.chat == chat {
			out = append(out, m.text)
		}
	}
	return out
}

// waitTo waits until chat has been sent n messages and returns them.
func (f *chatAPI) waitTo(t *testing.T, chat int64, n int) []string {
	t.Helper()
	var got []string
	waitUntil(t, func() bool { got = f.to(chat); return len(got) >= n })
	return got
}

// offsetClock is the real clock moved forward by a settable offset: the
// follow service's clock in the tests, so that its next hour comes at once.
type offsetClock struct{ d atomic.Int64 }

func (c *offsetClock) now() time.Time      { return time.Now().Add(time.Duration(c.d.Load())) }
func (c *offsetClock) add(d time.Duration) { c.d.Add(int64(d)) }

// matchedPast waits until the follows' match loop has gone past the
// stored article whose id ends with suffix.
func matchedPast(t *testing.T, db store.DB, suffix string) {
	t.Helper()
	ctx := context.Background()
	src := followSource{db: db}
	waitUntil(t, func() bool {
		chs, err := db.Changes(ctx, 0, 100000)
		if err != nil {
			return false
		}
		var seq int64 = -1
		for _, c := range chs {
			if strings.HasSuffix(c.ID, suffix) {
				seq = c.Seq
			}
		}
		cur, ok, err := src.Load(ctx)
		return seq >= 0 && ok && err == nil && cur >= seq
	})
}

// TestServeFollowEndToEnd follows a question on the fake Telegram and
// feeds new articles through two fake feeds on loopback to `serve`: one
// push with the quote and its link; the same story from the other feed is
// not pushed again; past the hourly limit (per_hour = 1) the next story
// waits for the digest at the next hour; after /unfollow nothing more
// comes, while another chat following the same question gets the next
// story.
func TestServeFollowEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve with the embedder and the reader")
	}
	oldMin, oldOpts := feeds.MinInterval, followOptions
	clock := &offsetClock{}
	feeds.MinInterval = time.Second
	followOptions = []follow.Option{follow.WithIntervals(50*time.Millisecond, 30*time.Second, 2*time.Minute), follow.WithClock(clock.now)}
	t.Cleanup(func() { feeds.MinInterval, followOptions = oldMin, oldOpts })

	api := newChatAPI()
	tgSrv := httptest.NewServer(api)
	t.Cleanup(tgSrv.Close)
	wire, paper := newNewsSite(t), newNewsSite(t)
	addr := freeAddr(t)
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`log_level = "debug"
[telegram]
api_url = %q
[follows]
per_hour = 1
[serve]
listen = %q
[fetch]
allow_private = true
[[feeds]]
url = %q
name = "Wire"
interval = "1s"
[[feeds]]
url = %q
name = "Paper"
interval = "1s"
`, tgSrv.URL, addr, wire.srv.URL+"/feed.xml", paper.srv.URL+"/feed.xml")), 0o644)

	home := t.TempDir()
	m, _, _ := testMain(t, map[string]string{"XDG_DATA_HOME": home, "NEWSBOT_TELEGRAM_TOKEN": "123456:SECRETsecretSECRET"})
	var logs lockedBuffer
	m.Stderr = &logs
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"--config", cfg, "serve"}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	db, err := sqlite.Open(context.Background(), filepath.Join(home, "newsbot"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	waitValue(t, db, followsNamespace, cursorKey) // the match loop runs

	const ann, bob = 1001, 2002
	const question = "How big was the maize harvest in Kenya this year?"
	api.say(ann, "/follow "+question)
	if got := api.waitTo(t, ann, 1); !strings.Contains(got[0], "Following “"+question+"”") || !strings.Contains(got[0], "at most 1 an hour") {
		t.Fatalf("confirmation %q", got[0])
	}
	if _, svc := healthz(t, addr, "follows"); svc["state"] != "ok" {
		t.Errorf("/healthz follows: %v", svc)
	}

	const harvest = "Farmers in Kenya brought in a record maize harvest of 4.2 million tonnes this year, the agriculture ministry said."
	now := time.Now().Add(-time.Minute).Truncate(time.Second)
	wire.add(siteItem{"harvest", "Kenya's record maize harvest", harvest + " Prices of maize flour fell in Nairobi markets. Exporters expect more sales to Uganda.", now})
	got := api.waitTo(t, ann, 2)
	if !strings.Contains(got[1], "New on your follow") || !strings.Contains(got[1], "4.2 million tonnes") || !strings.Contains(got[1], "#:~:text=Farmers") {
		t.Fatalf("push %q", got[1])
	}

	// The same story from the other feed, then a new one past the hourly
	// limit: it waits for the digest.
	paper.add(siteItem{"kenya-harvest", "Record harvest", "NAIROBI (Paper) - " + harvest + " Copyright Paper.", now})
	matchedPast(t, db, "/news/kenya-harvest")
	const largest = "The maize harvest in Kenya this year was the largest since 1988, farmers said."
	wire.add(siteItem{"largest", "Kenya maize harvest figures", largest, now})
	matchedPast(t, db, "/news/largest")
	waitUntil(t, func() bool { return strings.Contains(logs.String(), "pushes held for the digest") })
	if got := api.to(ann); len(got) != 2 {
		t.Fatalf("past the hourly limit, sent %q", got[2:])
	}
	clock.add(time.Hour) // the next hour: the digest is due
	got = api.waitTo(t, ann, 3)
	if !strings.Contains(got[2], "since 1988") || strings.Contains(got[2], "Farmers in Kenya") || strings.Contains(got[2], "new quotes") {
		t.Errorf("digest %q: want the new story alone", got[2])
	}

	api.say(ann, "/unfollow 1")
	if got := api.waitTo(t, ann, 4); !strings.Contains(got[3], "Stopped follow number 1") {
		t.Fatalf("unfollow reply %q", got[3])
	}
	api.say(bob, "/follow "+question)
	api.waitTo(t, bob, 1)
	clock.add(2 * time.Hour) // no hourly limit in the way
	const exports = "Kenya will export 500,000 tonnes of this year's maize harvest to Uganda, the trade minister said."
	wire.add(siteItem{"exports", "Kenya maize exports", exports, now})
	if got := api.waitTo(t, bob, 2); !strings.Contains(got[1], "500,000 tonnes") {
		t.Fatalf("push to the other chat %q", got[1])
	}
	if got := api.to(ann); len(got) != 4 {
		t.Errorf("after /unfollow the chat got %q", got[4:])
	}
	// Nothing waits for anyone.
	if ps, err := db.ClaimPushes(context.Background(), "probe", clock.now().Add(48*time.Hour), time.Minute, 10); err != nil || len(ps) != 0 {
		t.Errorf("pushes pending: %+v %v", ps, err)
	}
}
