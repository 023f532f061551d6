package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/adapters/cli"
)

// TestServeTelegram runs `serve` through Main against a fake Bot API: the
// bundled seed news is ingested, a private question gets its quoted answer,
// and cancelling the context (as SIGTERM does) shuts serve down cleanly.
func TestServeTelegram(t *testing.T) {
	api := newBotAPI()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)
	stop, logs := serveReplica(t, t.TempDir(), cfg)
	api.push("When will Zelensky visit Washington?", 0)
	sent, _ := api.waitSent(t, 1)
	stop()
	if !strings.Contains(sent[0], "Zelensky is scheduled to visit Washington on Monday") {
		t.Fatalf("sent %q", sent)
	}
	if strings.Contains(logs.String(), "SECRETsecret") {
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
