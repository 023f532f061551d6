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

	"newsbot/bot"
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

// The follow tests' question and the stories that answer it.
const (
	followQuestion = "How big was the maize harvest in Kenya this year?"
	storyLargest   = "The maize harvest in Kenya this year was the largest since 1988, farmers said."
	storyExports   = "Kenya will export 500,000 tonnes of this year's maize harvest to Uganda, the trade minister said."
)

// followConfig writes serve's config file for the follow tests: the
// sections in platform, /healthz on addr and the feeds "Wire" and "Paper"
// polled every second.
func followConfig(t *testing.T, platform, addr string, wire, paper *newsSite) string {
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	err := os.WriteFile(cfg, []byte(fmt.Sprintf(`log_level = "debug"
%s[serve]
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
`, platform, addr, wire.srv.URL+"/feed.xml", paper.srv.URL+"/feed.xml")), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// followServe runs serve with the config file cfg and env, the follow
// service's loops quick and its clock an offsetClock, until the test ends;
// it returns serve's store (opened beside it, once the match loop runs),
// its log and the clock.
func followServe(t *testing.T, cfg string, env map[string]string) (store.DB, *lockedBuffer, *offsetClock) {
	t.Helper()
	oldMin, oldOpts := feeds.MinInterval, followOptions
	clock := &offsetClock{}
	feeds.MinInterval = time.Second
	followOptions = []follow.Option{follow.WithIntervals(50*time.Millisecond, 30*time.Second, 2*time.Minute), follow.WithClock(clock.now)}
	t.Cleanup(func() { feeds.MinInterval, followOptions = oldMin, oldOpts })

	home := t.TempDir()
	env["XDG_DATA_HOME"] = home
	m, _, _ := testMain(t, env)
	logs := &lockedBuffer{}
	m.Stderr = logs
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
	return db, logs, clock
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
	api := newChatAPI()
	tgSrv := httptest.NewServer(api)
	t.Cleanup(tgSrv.Close)
	wire, paper := newNewsSite(t), newNewsSite(t)
	addr := freeAddr(t)
	cfg := followConfig(t, fmt.Sprintf("[telegram]\napi_url = %q\n[follows]\nper_hour = 1\n", tgSrv.URL), addr, wire, paper)
	db, logs, clock := followServe(t, cfg, map[string]string{"NEWSBOT_TELEGRAM_TOKEN": "123456:SECRETsecretSECRET"})

	const ann, bob = 1001, 2002
	api.say(ann, "/follow "+followQuestion)
	if got := api.waitTo(t, ann, 1); !strings.Contains(got[0], "Following “"+followQuestion+"”") || !strings.Contains(got[0], "at most 1 an hour") {
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
	wire.add(siteItem{"largest", "Kenya maize harvest figures", storyLargest, now})
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
	api.say(bob, "/follow "+followQuestion)
	api.waitTo(t, bob, 1)
	clock.add(2 * time.Hour) // no hourly limit in the way
	wire.add(siteItem{"exports", "Kenya maize exports", storyExports, now})
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

// TestServeFollowDiscord is TestServeFollowEndToEnd on the fake Discord:
// a channel follows a question by mentioning the bot and gets the
// confirmation; a new article from a fake feed on loopback is pushed to
// that channel once, the quote escaped as Discord renders it and its link
// opening at the quote; the same story from the other feed is not pushed
// again; /following (the slash command) shows the last push; after
// "unfollow 1" nothing more comes, while another channel that followed
// with /follow gets the next story; when Discord then says that channel
// is unknown, its follows are dropped.
func TestServeFollowDiscord(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve with the embedder and the reader")
	}
	dc := newFakeDiscord(0, nil)
	t.Cleanup(dc.srv.Close)
	wire, paper := newNewsSite(t), newNewsSite(t)
	cfg := followConfig(t, fmt.Sprintf("[discord]\napi_url = %q\nrate_per_minute = -1\n", dc.srv.URL+"/api"), freeAddr(t), wire, paper)
	db, _, clock := followServe(t, cfg, map[string]string{"NEWSBOT_DISCORD_TOKEN": discordToken})
	waitUntil(t, func() bool { _, _, identified, _ := dc.counts(); return identified > 0 })

	const news, other = discordChannelID, "600000000000000002"
	dc.mention("700000000000000001", news, "400000000000000001", "follow "+followQuestion)
	if got := dc.waitIn(t, news, 1); !strings.Contains(got[0], "Following “"+followQuestion+"”") {
		t.Fatalf("confirmation %q", got[0])
	}

	const harvest = "Farmers in Kenya brought in a record maize harvest of 4.2 million tonnes this year, the agriculture ministry told the *Daily Nation*."
	now := time.Now().Add(-time.Minute).Truncate(time.Second)
	wire.add(siteItem{"harvest", "Kenya's record maize harvest", harvest + " Prices of maize flour fell in Nairobi markets. Exporters expect more sales to Uganda.", now})
	got := dc.waitIn(t, news, 2)
	escaped := strings.ReplaceAll(harvest, "*", `\*`) // as Discord shows it: *Daily Nation*, not italics
	if !strings.Contains(got[1], "New on your follow") || !strings.Contains(got[1], escaped) || !strings.Contains(got[1], "#:~:text=Farmers") {
		t.Fatalf("push %q, want the quote %q and a link to it", got[1], escaped)
	}

	// The same story from the other feed is not pushed again.
	paper.add(siteItem{"kenya-harvest", "Record harvest", "NAIROBI (Paper) - " + harvest + " Copyright Paper.", now})
	matchedPast(t, db, "/news/kenya-harvest")
	dc.command("800000000000000001", news, "400000000000000001", "following")
	if got := dc.waitIn(t, news, 3); !strings.Contains(got[2], `1\. “`+followQuestion+"”") || strings.Contains(got[2], "last push: never") {
		t.Fatalf("/following %q: want the follow and its push", got[2])
	}
	dc.mention("700000000000000002", news, "400000000000000001", "unfollow 1")
	if got := dc.waitIn(t, news, 4); !strings.Contains(got[3], "Stopped follow number 1") {
		t.Fatalf("unfollow reply %q", got[3])
	}

	// Another channel follows with /follow and gets the next story; the
	// first gets nothing more.
	dc.command("800000000000000002", other, "400000000000000002", "follow", "topic", followQuestion)
	if got := dc.waitIn(t, other, 1); !strings.Contains(got[0], "Following “"+followQuestion+"”") {
		t.Fatalf("/follow confirmation %q", got[0])
	}
	wire.add(siteItem{"exports", "Kenya maize exports", storyExports, now})
	if got := dc.waitIn(t, other, 2); !strings.Contains(got[1], "500,000 tonnes") {
		t.Fatalf("push to the other channel %q", got[1])
	}
	if got := dc.in(news); len(got) != 4 {
		t.Errorf("after unfollow the channel got %q", got[4:])
	}

	// The other channel is deleted: Discord answers the next push with
	// unknown channel, and its follows are dropped.
	dc.goneChannel(other, 10003)
	clock.add(2 * time.Hour) // no hourly limit in the way
	wire.add(siteItem{"largest", "Kenya maize harvest figures", storyLargest, now})
	waitUntil(t, func() bool {
		fs, err := db.Follows(context.Background(), bot.Chat{Platform: "discord", ID: other})
		return err == nil && len(fs) == 0
	})
	if got := dc.in(other); len(got) != 2 {
		t.Errorf("the deleted channel was sent %q", got[2:])
	}
	// Nothing waits for anyone.
	if ps, err := db.ClaimPushes(context.Background(), "probe", clock.now().Add(48*time.Hour), time.Minute, 10); err != nil || len(ps) != 0 {
		t.Errorf("pushes pending: %+v %v", ps, err)
	}
}
