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

	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
	"newsbot/retrieval/store/postgres/pgtest"
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

// sharedStore is the store of record that a test's replicas share, on one
// engine.
type sharedStore struct {
	// dir returns the data dir for the next replica: the one shared dir
	// of the embedded store, or a dir of its own next to PostgreSQL, so
	// that all the replicas share is the database.
	dir func() string
	// open opens the shared store from the test process.
	open func(t *testing.T) store.DB
}

// forEachEngine runs test as a subtest on the embedded store and on a
// fresh PostgreSQL database; the PostgreSQL subtest skips loudly when
// pgtest.EnvURL is unset. NEWSBOT_STORE_URL, which the children inherit,
// names the engine.
func forEachEngine(t *testing.T, test func(t *testing.T, st sharedStore)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Setenv("NEWSBOT_STORE_URL", "")
		dir := t.TempDir()
		test(t, sharedStore{
			dir: func() string { return dir },
			open: func(t *testing.T) store.DB {
				db, err := sqlite.Open(context.Background(), dir)
				if err != nil {
					t.Fatal(err)
				}
				return db
			},
		})
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.FreshDatabase(t)
		t.Setenv("NEWSBOT_STORE_URL", url)
		test(t, sharedStore{
			dir: t.TempDir,
			open: func(t *testing.T) store.DB {
				db, err := postgres.Open(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				return db
			},
		})
	})
}

// serveChild starts `serve` as a real process on dir with cfg and a
// Telegram token.
func serveChild(t *testing.T, dir, cfg string) (*exec.Cmd, *syncWriter) {
	t.Helper()
	cmd := child(t, dir, 0, "--config", cfg, "serve")
	cmd.Env = append(cmd.Env, "NEWSBOT_TELEGRAM_TOKEN=123456:SECRETsecretSECRET")
	return startServe(t, cmd)
}

// startServe starts cmd, a `serve` child, collecting its stderr; the test's
// cleanup stops it as an operator would, with SIGTERM.
func startServe(t *testing.T, cmd *exec.Cmd) (*exec.Cmd, *syncWriter) {
	t.Helper()
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

// TestTelegramFailoverAfterKill runs two `serve` processes on one store,
// embedded and PostgreSQL, against one fake Bot API: only the lease holder
// polls; after kill -9 of the holder the other takes over (once the 15 s
// lease expires) and answers a follow-up, /sources for the dead replica's
// answer, from the conversation memory in the shared store.
func TestTelegramFailoverAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a 15 s lease to expire")
	}
	forEachEngine(t, testTelegramFailoverAfterKill)
}

func testTelegramFailoverAfterKill(t *testing.T, st sharedStore) {
	api := newBotAPI()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n"), 0o644)

	a, logsA := serveChild(t, st.dir(), cfg)
	waitLog(t, logsA, "holding the polling lease")
	_, logsB := serveChild(t, st.dir(), cfg)
	waitLog(t, logsB, "telegram: connected")
	api.push("When will Zelensky visit Washington?", 0)
	sent, answerID := api.waitSent(t, 1)
	if !strings.Contains(sent[0], "Zelensky") {
		t.Fatalf("first answer %q", sent[0])
	}

	// As a person reads before replying, let A finish recording the
	// answer (the update's handled mark is its last write).
	db := st.open(t)
	defer db.Close()
	waitValue(t, db, "telegram", "update:1")
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

// waitValue waits until db holds (namespace, key).
func waitValue(t *testing.T, db store.DB, namespace, key string) {
	t.Helper()
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
