package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsbot/retrieval/store/sqlite"
)

// syncWriter is a goroutine-safe buffer for a child's stderr.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// serveChild starts `serve` as a real process on dir with cfg.
func serveChild(t *testing.T, dir, cfg string) (*exec.Cmd, *syncWriter) {
	t.Helper()
	cmd := child(t, dir, 0, "--config", cfg, "serve")
	cmd.Env = append(cmd.Env, "NEWSBOT_TELEGRAM_TOKEN=123456:SECRETsecretSECRET")
	logs := &syncWriter{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second): // hang guard only
			cmd.Process.Kill()
		}
	})
	return cmd, logs
}

// waitLog waits until logs contain s.
func waitLog(t *testing.T, logs *syncWriter, s string) {
	t.Helper()
	guard := time.Now().Add(60 * time.Second) // hang guard only
	for !strings.Contains(logs.String(), s) {
		if time.Now().After(guard) {
			t.Fatalf("timed out waiting for %q in:\n%s", s, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTelegramFailoverAfterKill runs two `serve` processes on one store
// against one fake Bot API: only the lease holder polls; after kill -9 of
// the holder the other takes over (once the 15 s lease expires) and
// answers /sources for the dead replica's answer from the shared memory.
func TestTelegramFailoverAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a 15 s lease to expire")
	}
	api := newBotAPI()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)

	a, logsA := serveChild(t, dir, cfg)
	waitLog(t, logsA, "holding the polling lease")
	_, logsB := serveChild(t, dir, cfg)
	waitLog(t, logsB, "telegram: connected")
	api.push("When will Zelensky visit Washington?", 0)
	sent, answerID := api.waitSent(t, 1)
	if !strings.Contains(sent[0], "Zelensky") {
		t.Fatalf("first answer %q", sent[0])
	}

	// As a person reads before replying, let A finish recording the
	// answer (the update's handled mark is its last write).
	waitValue(t, dir, "telegram", "update:1")
	if err := a.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	a.Wait()
	api.push("/sources", answerID)
	sent, _ = api.waitSent(t, 2)
	// A measurement for the README, not an assertion.
	t.Logf("answered on the other replica %.1f s after kill -9 of the poller", time.Since(killed).Seconds())
	if !strings.Contains(sent[1], "Sources") || !strings.Contains(sent[1], "newsbot sample news") {
		t.Errorf("/sources on the other replica: %q", sent[1])
	}
	if !strings.Contains(logsB.String(), "holding the polling lease") {
		t.Errorf("the standby never took the lease:\n%s", logsB.String())
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.sent) != 2 {
		t.Errorf("sent %d messages, want 2: an update was answered twice", len(api.sent))
	}
	if api.maxPoll != 1 {
		t.Errorf("%d getUpdates open at once; Telegram allows one consumer", api.maxPoll)
	}
}

// waitValue waits until the store in dir holds (namespace, key).
func waitValue(t *testing.T, dir, namespace, key string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	guard := time.Now().Add(30 * time.Second) // hang guard only
	for {
		if _, err := db.Value(context.Background(), namespace, key); err == nil {
			return
		}
		if time.Now().After(guard) {
			t.Fatalf("%s/%s never stored", namespace, key)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
