package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"newsbot/retrieval/feeds"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/sqlite"
)

// fullDisk is a store of record whose writes fail, while full is set, with
// the error the SQLite store gives for SQLITE_FULL; reads go on working,
// as they do on a full disk.
type fullDisk struct {
	store.DB
	full    atomic.Bool
	refused atomic.Int64 // writes refused
}

func (d *fullDisk) refuse() error {
	if !d.full.Load() {
		return nil
	}
	d.refused.Add(1)
	return fmt.Errorf("disk full: database or disk is full: %w", syscall.ENOSPC)
}

func (d *fullDisk) Put(ctx context.Context, r store.Record) (int64, bool, error) {
	if err := d.refuse(); err != nil {
		return 0, false, err
	}
	return d.DB.Put(ctx, r)
}

func (d *fullDisk) Delete(ctx context.Context, ids ...string) (int, error) {
	if err := d.refuse(); err != nil {
		return 0, err
	}
	return d.DB.Delete(ctx, ids...)
}

func (d *fullDisk) SetValue(ctx context.Context, namespace, key string, value []byte, ttl time.Duration) error {
	if err := d.refuse(); err != nil {
		return err
	}
	return d.DB.SetValue(ctx, namespace, key, value, ttl)
}

func (d *fullDisk) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := d.refuse(); err != nil {
		return false, err
	}
	return d.DB.Acquire(ctx, name, holder, ttl)
}

func (d *fullDisk) Release(ctx context.Context, name, holder string) error {
	if err := d.refuse(); err != nil {
		return err
	}
	return d.DB.Release(ctx, name, holder)
}

// storyFeed serves a feed of stories 1…n, n set by the test, and their pages.
type storyFeed struct {
	base string
	n    atomic.Int64
}

func (f *storyFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>Story %s</title></head><body><article><h1>Story %s</h1><p>%s</p></article></body></html>", id, id, storyText(id))
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Stories</title><link>` + f.base + `/</link>`)
	for i := f.n.Load(); i > 0; i-- {
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>%s/a/%d</link><guid>%s/a/%d</guid><description>%s</description></item>",
			i, f.base, i, f.base, i, storyText(fmt.Sprint(i)))
	}
	b.WriteString("</channel></rss>")
	fmt.Fprint(w, b.String())
}

func storyText(id string) string {
	return fmt.Sprintf("The harbour crane number %s was repaired on Tuesday. Dock workers said crane %s would lift containers again by Friday.", id, id)
}

// TestServeOnFullDisk runs serve on a store of record whose writes all
// fail as on a full disk (reads go on), then recover. serve keeps running;
// the feed turns and Telegram's polling are skipped while their leases
// (writes) fail; once space is back the feed's new items are stored (its
// state did not move past them), the question asked meanwhile is answered
// once, and every article committed before is still there. The wrapper
// stands in for a full disk, which this machine cannot make; the SQLite
// store's own SQLITE_FULL path is TestFullDiskKeepsCommitted's.
func TestServeOnFullDisk(t *testing.T) {
	old := feeds.MinInterval
	feeds.MinInterval = time.Second
	t.Cleanup(func() { feeds.MinInterval = old })

	ctx := context.Background()
	sdb, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := &fullDisk{DB: sdb}
	feed := &storyFeed{}
	feed.n.Store(1)
	feedSrv := httptest.NewServer(feed)
	t.Cleanup(feedSrv.Close)
	feed.base = feedSrv.URL
	api := newBotAPI()
	tgSrv := httptest.NewServer(api)
	t.Cleanup(tgSrv.Close)
	addr := freeAddr(t)
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("[telegram]\napi_url = %q\n[serve]\nlisten = %q\n[[feeds]]\nurl = %q\ninterval = \"1s\"\n[fetch]\nallow_private = true\n",
		tgSrv.URL, addr, feedSrv.URL+"/feed.xml")), 0o600)

	m, _, errb := testMain(t, map[string]string{"NEWSBOT_TELEGRAM_TOKEN": "123456:SECRETsecretSECRET"})
	m.db = db
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(sctx, []string{"--config", cfg, "serve"}) }()

	articles := func() int {
		n := 0
		if _, err := sdb.Scan(ctx, func(store.Record) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		guard := time.Now().Add(60 * time.Second) // hang guard only
		for !cond() {
			select {
			case err := <-done:
				t.Fatalf("serve ended while waiting for %s: %v\n%s", what, err, errb.String())
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(guard) {
				t.Fatalf("timed out waiting for %s\n%s", what, errb.String())
			}
		}
	}
	waitUntil("story 1 stored", func() bool { return articles() > 1 })
	api.push("When will Zelensky visit Washington?", 0)
	api.waitSent(t, 1)
	var committed []string
	sdb.Scan(ctx, func(r store.Record) error { committed = append(committed, r.Article.ID); return nil })

	// The disk fills up, and the feed has two new stories. Telegram's
	// polling lease is a write too: once it cannot be renewed the bot
	// stands by, and a question waits at Telegram.
	db.full.Store(true)
	feed.n.Store(3)
	logged := func(s string) func() bool { return func() bool { return strings.Contains(errb.String(), s) } }
	waitUntil("the feed turn skipped", logged("feeds: lease unavailable; skipping this turn"))
	waitUntil("telegram standing by", logged("telegram: lost the polling lease; standing by"))
	api.push("When will Zelensky visit Washington?", 0)
	all, tg := healthz(t, addr, "telegram")
	t.Logf("/healthz with the disk full: status %v, telegram %v, leases %v", all["status"], tg["state"], all["leases"])

	// Space is back: the new stories are stored, the waiting question is
	// answered, and every article committed before is still there.
	db.full.Store(false)
	waitUntil("stories 2 and 3 stored", func() bool { return articles() == len(committed)+2 })
	sent, _ := api.waitSent(t, 2)
	if !strings.Contains(sent[1], "Zelensky is scheduled to visit Washington on Monday") {
		t.Errorf("the question asked on a full disk was answered %q", sent[1])
	}
	for _, id := range committed {
		if _, err := sdb.Get(ctx, id); err != nil {
			t.Errorf("article %s committed before the disk filled: %v", id, err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if len(api.sent) != 2 {
		t.Errorf("%d answers sent, want 2: %q", len(api.sent), api.sent)
	}
}
