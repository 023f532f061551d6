package main

import (
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

// outage wraps a fake Bot API: while down, every connection is closed
// without an answer, as an unreachable Telegram (or a proxy in front of
// it) does.
type outage struct {
	api http.Handler

	mu     sync.Mutex
	down   bool
	failed int // requests refused while down
}

func (o *outage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	down := o.down
	if down {
		o.failed++
	}
	o.mu.Unlock()
	if down {
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
		return
	}
	o.api.ServeHTTP(w, r)
}

func (o *outage) set(down bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down = down
}

// healthz reads /healthz and the named service's entry in it.
func healthz(t *testing.T, addr, service string) (map[string]any, map[string]any) {
	t.Helper()
	_, body := httpGet(t, "http://"+addr+"/healthz")
	var h struct {
		Status   string           `json:"status"`
		Services []map[string]any `json:"services"`
	}
	var all map[string]any
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("/healthz: %v\n%s", err, body)
	}
	json.Unmarshal([]byte(body), &all)
	for _, s := range h.Services {
		if s["name"] == service {
			return all, s
		}
	}
	t.Fatalf("/healthz has no service %q: %s", service, body)
	return nil, nil
}

// TestServeSurvivesTelegramOutage (issue #23, point 1): Telegram is
// unreachable when serve starts. serve keeps running (the ops server
// answers), /healthz reports telegram down with the address dialled,
// serve retries with backoff, and once Telegram is back the bot connects
// and answers; down and up are each logged once.
func TestServeSurvivesTelegramOutage(t *testing.T) {
	old := platformBackoff
	platformBackoff.min, platformBackoff.max = 50*time.Millisecond, 200*time.Millisecond
	t.Cleanup(func() { platformBackoff = old })

	api := newBotAPI()
	o := &outage{api: api, down: true}
	srv := httptest.NewServer(o)
	t.Cleanup(srv.Close)
	addr := freeAddr(t)
	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	os.WriteFile(cfg, []byte("[telegram]\napi_url = \""+srv.URL+"\"\n[serve]\nlisten = \""+addr+"\"\n"), 0o644)
	stop, logs := serveReplica(t, t.TempDir(), cfg)

	// Wait (hang guard only) until a whole attempt failed and /healthz
	// says so: the ops server kept running meanwhile.
	guard := time.Now().Add(60 * time.Second)
	for {
		all, tg := healthz(t, addr, "telegram")
		if tg["state"] == "down" {
			if all["status"] != "degraded" {
				t.Errorf("/healthz status %v with telegram down, want degraded", all["status"])
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			if r, _ := tg["reason"].(string); !strings.Contains(r, host) || strings.Contains(r, "SECRET") {
				t.Errorf("down reason %q should name the address dialled (%s) and no token", r, host)
			}
			break
		}
		if time.Now().After(guard) {
			t.Fatalf("telegram never reported down: %v", tg)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Let at least one more attempt fail (a retry, not a single try).
	o.mu.Lock()
	before := o.failed
	o.mu.Unlock()
	for {
		o.mu.Lock()
		n := o.failed
		o.mu.Unlock()
		if n > before {
			break
		}
		if time.Now().After(guard) {
			t.Fatal("serve stopped trying Telegram")
		}
		time.Sleep(20 * time.Millisecond)
	}

	o.set(false)
	api.push("When will Zelensky visit Washington?", 0)
	sent, _ := api.waitSent(t, 1)
	if !strings.Contains(sent[0], "Zelensky is scheduled to visit Washington on Monday") {
		t.Fatalf("sent %q", sent)
	}
	all, tg := healthz(t, addr, "telegram")
	if tg["state"] != "ok" || all["status"] != "ok" {
		t.Errorf("after the outage /healthz says %v, telegram %v", all["status"], tg)
	}
	stop()
	log := logs.String()
	if n := strings.Count(log, "service down; retrying"); n != 1 {
		t.Errorf("logged the outage %d times, want once:\n%s", n, log)
	}
	if n := strings.Count(log, "service up again"); n != 1 {
		t.Errorf("logged the recovery %d times, want once:\n%s", n, log)
	}
}
