package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// botAPI is a Bot API fake with an update queue that several `serve`
// processes can long-poll, as they would Telegram.
type botAPI struct {
	mu      sync.Mutex
	changed chan struct{}
	queue   []map[string]any
	nextUpd int
	nextMsg int
	sent    []string
	polling int // getUpdates open now
	maxPoll int
}

func newBotAPI() *botAPI { return &botAPI{changed: make(chan struct{}), nextUpd: 1, nextMsg: 100} }

func (f *botAPI) changedLocked() { close(f.changed); f.changed = make(chan struct{}) }

func (f *botAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	r.ParseMultipartForm(1 << 20)
	ok := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
	switch method {
	case "getMe":
		ok(map[string]any{"id": 42, "is_bot": true, "first_name": "newsbot", "username": "newsbot_bot"})
	case "getUpdates":
		offset, _ := strconv.Atoi(r.FormValue("offset"))
		f.mu.Lock()
		f.polling++
		f.maxPoll = max(f.maxPoll, f.polling)
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.polling--; f.mu.Unlock() }()
		timeout := time.After(5 * time.Second)
		for {
			f.mu.Lock()
			var batch []map[string]any
			for _, u := range f.queue {
				if u["update_id"].(int) >= offset {
					batch = append(batch, u)
				}
			}
			ch := f.changed
			f.mu.Unlock()
			if len(batch) > 0 {
				ok(batch)
				return
			}
			select {
			case <-ch:
			case <-timeout:
				ok([]any{})
				return
			case <-r.Context().Done():
				return
			}
		}
	case "sendMessage":
		f.mu.Lock()
		id := f.nextMsg
		f.nextMsg++
		f.sent = append(f.sent, r.FormValue("text"))
		f.changedLocked()
		f.mu.Unlock()
		ok(map[string]any{"message_id": id, "date": time.Now().Unix(), "chat": map[string]any{"id": 1001, "type": "private"},
			"from": map[string]any{"id": 42, "is_bot": true, "first_name": "newsbot", "username": "newsbot_bot"}})
	default:
		ok(true)
	}
}

// push queues a private message from user 1001, replying to the bot's
// message replyTo when it is not 0.
func (f *botAPI) push(text string, replyTo int) {
	chat := map[string]any{"id": 1001, "type": "private"}
	msg := map[string]any{"text": text, "chat": chat, "from": map[string]any{"id": 1001, "is_bot": false, "first_name": "Ann"}}
	if replyTo != 0 {
		msg["reply_to_message"] = map[string]any{"message_id": replyTo, "date": time.Now().Unix(), "chat": chat,
			"from": map[string]any{"id": 42, "is_bot": true, "first_name": "newsbot", "username": "newsbot_bot"}}
	}
	f.pushMessage(msg)
}

// pushMessage queues msg (chat, from, text…) as an update, giving it the
// next message ID and the date, and returns the ID.
func (f *botAPI) pushMessage(msg map[string]any) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextMsg
	f.nextMsg++
	msg["message_id"], msg["date"] = id, time.Now().Unix()
	f.queue = append(f.queue, map[string]any{"update_id": f.nextUpd, "message": msg})
	f.nextUpd++
	f.changedLocked()
	return id
}

// waitSent waits for n sent messages and returns them with the ID of the last.
func (f *botAPI) waitSent(t *testing.T, n int) ([]string, int) {
	t.Helper()
	guard := time.After(30 * time.Second) // hang guard only
	for {
		f.mu.Lock()
		sent, ch, last := append([]string(nil), f.sent...), f.changed, f.nextMsg-1
		f.mu.Unlock()
		if len(sent) >= n {
			return sent, last
		}
		select {
		case <-ch:
		case <-guard:
			t.Fatalf("timed out waiting for %d sent messages, got %q", n, sent)
		}
	}
}

// serveReplica runs `serve` through a Main of its own on the data dir
// under dataHome; stop shuts it down as SIGTERM would, after which logs
// holds everything it logged.
func serveReplica(t *testing.T, dataHome, cfg string) (stop func(), logs *bytes.Buffer) {
	t.Helper()
	m, _, errb := testMain(t, map[string]string{"XDG_DATA_HOME": dataHome, "NEWSBOT_TELEGRAM_TOKEN": "123456:SECRETsecretSECRET"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"--config", cfg, "serve"}) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve: %v\n%s", err, errb)
				}
			case <-time.After(30 * time.Second): // hang guard only
				t.Error("serve did not shut down")
			}
		})
	}
	t.Cleanup(stop)
	return stop, errb
}

// TestReplicasShareTelegram runs two `serve` processes (two Mains) on one
// store against one fake Bot API: only the lease holder polls; when it
// stops, the other takes over, and /sources in reply to the first
// replica's answer lists that answer's sources from the shared memory.
func TestReplicasShareTelegram(t *testing.T) {
	api := newBotAPI()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close) // after the replicas' cleanups, which stop them
	dataHome := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)

	stopA, _ := serveReplica(t, dataHome, cfg)
	api.push("When will Zelensky visit Washington?", 0)
	sent, answerID := api.waitSent(t, 1)
	if !strings.Contains(sent[0], "Zelensky is scheduled to visit Washington on Monday") {
		t.Fatalf("first answer %q", sent[0])
	}
	serveReplica(t, dataHome, cfg)
	stopA()

	api.push("/sources", answerID)
	sent, _ = api.waitSent(t, 2)
	if !strings.Contains(sent[1], "Sources") || !strings.Contains(sent[1], "newsbot sample news") {
		t.Errorf("/sources on the other replica: %q", sent[1])
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if api.maxPoll != 1 {
		t.Errorf("%d getUpdates open at once; Telegram allows one consumer", api.maxPoll)
	}
}
