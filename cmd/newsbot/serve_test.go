package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTelegram is the smallest Bot API that lets `serve` answer one
// private message: getMe, one update from getUpdates, sendMessage.
type fakeTelegram struct {
	mu   sync.Mutex
	sent []string
	got  chan struct{}
	once sync.Once
}

func (f *fakeTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	ok := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
	switch method {
	case "getMe":
		ok(map[string]any{"id": 42, "is_bot": true, "first_name": "newsbot", "username": "newsbot_bot"})
	case "getUpdates":
		first := false
		f.once.Do(func() { first = true })
		if first {
			ok([]map[string]any{{"update_id": 1, "message": map[string]any{
				"message_id": 7, "date": time.Now().Unix(),
				"chat": map[string]any{"id": 1001, "type": "private"},
				"from": map[string]any{"id": 1001, "is_bot": false, "first_name": "Ann"},
				"text": "When will Zelensky visit Washington?",
			}}})
			return
		}
		select { // hold the long poll until the client gives up
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
			ok([]any{})
		}
	case "sendMessage":
		r.ParseMultipartForm(1 << 20)
		f.mu.Lock()
		f.sent = append(f.sent, r.FormValue("text"))
		f.mu.Unlock()
		ok(map[string]any{"message_id": 8, "date": time.Now().Unix(), "chat": map[string]any{"id": 1001, "type": "private"}})
		select {
		case f.got <- struct{}{}:
		default:
		}
	default:
		ok(true)
	}
}

// TestServeTelegram runs `serve` through Main against a fake Bot API: the
// bundled seed news is ingested, a private question gets its quoted answer,
// and cancelling the context (as SIGTERM does) shuts serve down cleanly.
func TestServeTelegram(t *testing.T) {
	fake := &fakeTelegram{got: make(chan struct{}, 1)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)
	m, _, errb := testMain(t, map[string]string{"NEWSBOT_TELEGRAM_TOKEN": "123456:SECRETsecretSECRET"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"--config", cfg, "serve"}) }()
	select {
	case <-fake.got:
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, errb)
	case <-time.After(30 * time.Second):
		t.Fatalf("no answer sent; log:\n%s", errb)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.sent) == 0 || !strings.Contains(fake.sent[0], "Zelensky is scheduled to visit Washington on Monday") {
		t.Fatalf("sent %q", fake.sent)
	}
	if strings.Contains(errb.String(), "SECRETsecret") {
		t.Fatal("the token reached the log")
	}
}

func TestServeNothingConfigured(t *testing.T) {
	m, _, _ := testMain(t, nil)
	err := m.Run(context.Background(), []string{"serve"})
	if err == nil || !strings.Contains(err.Error(), "nothing to run") {
		t.Fatalf("serve without adapters: %v", err)
	}
}
