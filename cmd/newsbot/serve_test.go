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

	"newsbot/adapters/cli"
)

// fakeTelegram is the smallest Bot API that lets `serve` answer one
// private message: getMe, one update from getUpdates, sendMessage.
type fakeTelegram struct {
	mu   sync.Mutex
	sent []string
	got  chan struct{}
	once sync.Once
}

// botAPIMethod returns the Bot API method r calls and a function writing
// a successful result.
func botAPIMethod(w http.ResponseWriter, r *http.Request) (method string, ok func(result any)) {
	return r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
}

// fakeBotUser is what the fake Bot APIs answer to getMe.
var fakeBotUser = map[string]any{"id": 42, "is_bot": true, "first_name": "newsbot", "username": "newsbot_bot"}

func (f *fakeTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := botAPIMethod(w, r)
	switch method {
	case "getMe":
		ok(fakeBotUser)
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

// TestAskWithLLM wires [llm] through the config against a fake Ollama on
// loopback: a verified summary heads the answer; a fabricated quotation is
// dropped and the quotes alone are shown.
func TestAskWithLLM(t *testing.T) {
	reply := "Zelensky is to visit Washington on Monday [1]."
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"model": "m", "done": true, "done_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": reply}})
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[llm]\nprovider = \"ollama\"\nmodel = \"m\"\nbase_url = \""+srv.URL+"\"\n"), 0o644)
	m, out, _ := testMain(t, nil)
	ask := func() cli.JSONAnswer {
		out.Reset()
		if err := m.Run(context.Background(), []string{"--config", cfg, "ask", "--json", "When will Zelensky visit Washington?"}); err != nil {
			t.Fatal(err)
		}
		var a cli.JSONAnswer
		json.Unmarshal(out.Bytes(), &a)
		return a
	}
	a := ask()
	if !strings.HasPrefix(a.Message, reply) || len(a.Quotes) == 0 {
		t.Fatalf("verified summary not shown first: %q", a.Message)
	}
	reply = `Zelensky said "I will never go to Washington" [1].`
	a = ask()
	if strings.Contains(a.Message, "never go") || !a.Answered || !strings.HasPrefix(a.Message, "> ") {
		t.Fatalf("fabricated quotation not rejected: %q", a.Message)
	}
}
