package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// httpGet fetches url, retrying while the server is not up yet.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	guard := time.Now().Add(20 * time.Second) // hang guard only
	for {
		resp, err := http.Get(url)
		if err == nil {
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if time.Now().After(guard) {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeOps runs `serve` through Main with [serve] listen: /healthz
// reports the store and the index over real HTTP, and /metrics counts the
// question the fake Telegram delivered.
func TestServeOps(t *testing.T) {
	api := newBotAPI()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	addr := freeAddr(t)
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n[serve]\nlisten = \""+addr+"\"\n"), 0o644)
	stop, _ := serveReplica(t, t.TempDir(), cfg)
	api.push("When will Zelensky visit Washington?", 0)
	api.waitSent(t, 1)

	code, body := httpGet(t, "http://"+addr+"/healthz")
	var h map[string]any
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("/healthz is not JSON: %v\n%s", err, body)
	}
	if code != http.StatusOK || h["status"] != "ok" || h["store_reachable"] != true || h["engine"] != "sqlite" {
		t.Errorf("/healthz = %d %s", code, body)
	}
	if n, _ := h["articles"].(float64); n < 1 {
		t.Errorf("/healthz shows %v articles; the seeds are stored", h["articles"])
	}
	if fmt.Sprint(h["leases"]) != "[telegram:poll]" {
		t.Errorf("/healthz leases %v; the only replica polls Telegram", h["leases"])
	}
	if r, _ := h["replica"].(string); !strings.Contains(r, "-") {
		t.Errorf("/healthz replica %q", h["replica"])
	}

	_, metrics := httpGet(t, "http://"+addr+"/metrics")
	for _, want := range []string{`newsbot_questions_total{adapter="telegram"} 1`, `newsbot_refusals_total{adapter="telegram"} 0`,
		`newsbot_answer_duration_seconds_count{adapter="telegram"} 1`, "newsbot_store_up 1", "newsbot_index_chunks "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	stop()
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("the ops server still answers after serve ended")
	}
}

func TestServeConfigErrors(t *testing.T) {
	for _, tt := range []struct{ body, env, want string }{
		{"[serve]\nlisten = \"9090\"\n", "", "[serve] listen"},
		{"", "5/4", "NEWSBOT_DISCORD_SHARD"},
		{"[discord]\ntoken = \"t\"\nshard_id = 3\nshard_count = 2\n", "", "shard_id 3"},
	} {
		p := filepath.Join(t.TempDir(), "c.toml")
		os.WriteFile(p, []byte(tt.body), 0o644)
		m, _, _ := testMain(t, map[string]string{"NEWSBOT_DISCORD_SHARD": tt.env})
		err := m.Run(context.Background(), []string{"--config", p, "stats"})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q / %q: %v, want it to mention %q", tt.body, tt.env, err, tt.want)
		}
	}
}
