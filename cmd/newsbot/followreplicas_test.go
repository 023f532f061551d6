package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"newsbot/bot"
)

// hangingAPI is chatAPI whose first push (a message "New on your
// follow") is accepted, recorded as delivered, and never answered: the
// platform took it, but the replica that sent it cannot know.
type hangingAPI struct {
	*chatAPI
	mu     sync.Mutex
	hung   bool
	hanged chan struct{} // closed when the first push hangs
	done   chan struct{} // closed by the test's cleanup: stop hanging
}

func (f *hangingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/sendMessage") {
		r.ParseMultipartForm(1 << 20)
		if strings.Contains(r.FormValue("text"), "New on your follow") {
			f.mu.Lock()
			first := !f.hung
			f.hung = true
			f.mu.Unlock()
			if first {
				f.chatAPI.mu.Lock()
				f.msgs = append(f.msgs, chatMessage{1001, r.FormValue("text")})
				f.chatAPI.mu.Unlock()
				close(f.hanged)
				// Read to the body's end, so that the server notices
				// when the sender's connection closes.
				io.Copy(io.Discard, r.Body)
				select { // until the sender dies
				case <-r.Context().Done():
				case <-f.done:
				}
				return
			}
		}
	}
	f.chatAPI.ServeHTTP(w, r)
}

// followReplica starts `serve` as a child process on dir with cfg, a
// Telegram token and a short claim on pushes (claimTTL).
func followReplica(t *testing.T, dir, cfg, claimTTL string) (*exec.Cmd, *syncWriter) {
	t.Helper()
	cmd := child(t, dir, 0, "--config", cfg, "serve")
	cmd.Env = append(cmd.Env, "NEWSBOT_TELEGRAM_TOKEN=123456:SECRETsecretSECRET", "NEWSBOT_TEST_CLAIM_TTL="+claimTTL)
	return startServe(t, cmd)
}

// ingestChild stores the articles through `newsbot ingest` in a child
// process on dir.
func ingestChild(t *testing.T, dir string, arts ...map[string]string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "news.jsonl")
	var lines []string
	for _, a := range arts {
		b, _ := json.Marshal(a)
		lines = append(lines, string(b))
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := child(t, dir, 0, "ingest", p).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
}

const (
	harvestQuote = "Farmers in Kenya brought in a record maize harvest of 4.2 million tonnes this year, the agriculture ministry said."
	exportsQuote = "Kenya will export 500,000 tonnes of this year's maize harvest to Uganda, the trade minister said."
)

var (
	harvestArticle = map[string]string{"id": "wire-1", "title": "Kenya's record maize harvest", "source": "Wire", "url": "https://example.org/wire-1",
		"text": harvestQuote + " Prices of maize flour fell in Nairobi markets."}
	exportsArticle = map[string]string{"id": "wire-2", "title": "Kenya maize exports", "source": "Wire", "url": "https://example.org/wire-2",
		"text": exportsQuote + " Traders welcomed the decision."}
	ann = bot.Chat{Platform: "telegram", ID: "1001"}
)

// followOnStore adds ann's follow of the harvest question to the shared
// store once the match loop of a replica runs (it saved its cursor), so
// that the articles stored next are new to it.
func followOnStore(t *testing.T, st sharedStore) {
	t.Helper()
	db := st.open(t)
	defer db.Close()
	waitValue(t, db, followsNamespace, cursorKey)
	if _, err := db.AddFollow(context.Background(), bot.Follow{Chat: ann, Query: "How big was the maize harvest in Kenya this year?"}); err != nil {
		t.Fatal(err)
	}
}

// TestFollowReplicasPushOnce runs two `serve` processes on one store,
// embedded and PostgreSQL: a new article answering a follow is pushed by
// one of them, once.
func TestFollowReplicasPushOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two serve processes")
	}
	forEachEngine(t, func(t *testing.T, st sharedStore) {
		api := newChatAPI()
		srv := httptest.NewServer(api)
		t.Cleanup(srv.Close)
		cfg := filepath.Join(t.TempDir(), "newsbot.toml")
		os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)
		_, logsA := followReplica(t, st.dir(), cfg, "2m")
		_, logsB := followReplica(t, st.dir(), cfg, "2m")
		waitLog(t, logsA, "telegram: connected")
		waitLog(t, logsB, "telegram: connected")
		followOnStore(t, st)

		ingestChild(t, st.dir(), harvestArticle)
		ingestChild(t, st.dir(), exportsArticle) // a later story: once it is pushed, so was the first
		got := api.waitTo(t, 1001, 2)
		waitUntil(t, func() bool {
			got = api.to(1001)
			return strings.Contains(strings.Join(got, "\n"), "500,000 tonnes")
		})
		if n := strings.Count(strings.Join(got, "\n"), "4.2 million tonnes"); n != 1 {
			t.Errorf("the harvest was pushed %d times, want once: %q", n, got)
		}
	})
}

// TestFollowPushAfterKill kills -9 the replica that is sending a push
// after the platform accepted it and before it could mark it sent; the
// other replica sends it once the dead one's claim has run out. The push
// arrives, with at most the one duplicate the guarantee allows (at least
// once; a replica that dies between the platform's acceptance and
// MarkSent repeats that message).
func TestFollowPushAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve processes and waits for a claim to run out")
	}
	forEachEngine(t, func(t *testing.T, st sharedStore) {
		api := &hangingAPI{chatAPI: newChatAPI(), hanged: make(chan struct{}), done: make(chan struct{})}
		srv := httptest.NewServer(api)
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(api.done) })
		cfg := filepath.Join(t.TempDir(), "newsbot.toml")
		os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)
		const claimTTL = "6s" // the send is given 3 s; the kill comes first
		a, logsA := followReplica(t, st.dir(), cfg, claimTTL)
		waitLog(t, logsA, "telegram: connected")
		followOnStore(t, st)
		ingestChild(t, st.dir(), harvestArticle)
		<-api.hanged // hang guard: the test's own timeout
		// B starts only now, so that A is the one sending.
		_, logsB := followReplica(t, st.dir(), cfg, claimTTL)
		if err := a.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		a.Wait()
		waitLog(t, logsB, "telegram: connected")
		got := api.waitTo(t, 1001, 2)
		for _, m := range got {
			if !strings.Contains(m, "4.2 million tonnes") {
				t.Errorf("message %q", m)
			}
		}
		if len(got) > 2 {
			t.Errorf("%d messages, want at most one duplicate", len(got))
		}
	})
}
