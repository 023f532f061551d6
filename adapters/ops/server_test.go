package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/bot"
)

type stubAsker struct{}

func (stubAsker) Ask(_ context.Context, q bot.Question) (bot.Answer, error) {
	switch q.Text {
	case "answerable":
		return bot.Answer{Question: q.Text, Answered: true}, nil
	case "":
		return bot.Answer{}, &bot.Error{Message: "Please ask a question."}
	}
	return bot.Answer{Question: q.Text}, nil
}

func (stubAsker) Info(context.Context) (bot.Info, error) { return bot.Info{}, nil }

// statusBox is a status that tests change.
type statusBox struct {
	mu sync.Mutex
	s  Status
}

func (b *statusBox) get(context.Context) Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.s
}

func (b *statusBox) set(s Status) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s = s
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHealthz(t *testing.T) {
	box := &statusBox{}
	srv := httptest.NewServer(New("", box.get, NewMetrics(box.get), WithReplica("host-1")).Handler())
	defer srv.Close()
	tests := []struct {
		name   string
		status Status
		code   int
		want   map[string]any
	}{
		{"healthy", Status{StoreReachable: true, Engine: "postgres", StoreSeq: 42, IndexSeq: 40, SyncLag: 1500 * time.Millisecond, Articles: 3, Chunks: 9,
			Leases: []string{"retention", "telegram:poll"}},
			http.StatusOK, map[string]any{"status": "ok", "store_reachable": true, "store_seq": 42.0, "index_seq": 40.0,
				"sync_lag_seconds": 1.5, "articles": 3.0, "chunks": 9.0, "answering": true, "replica": "host-1", "engine": "postgres"}},
		{"store down", Status{StoreError: "connection refused", Articles: 3, Chunks: 9},
			http.StatusServiceUnavailable, map[string]any{"status": "degraded", "store_reachable": false,
				"store_error": "connection refused", "answering": true, "articles": 3.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			box.set(tt.status)
			code, body := get(t, srv.URL+"/healthz")
			if code != tt.code {
				t.Errorf("status %d, want %d", code, tt.code)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (%s)", k, got[k], v, body)
				}
			}
			if want := fmt.Sprint(tt.status.Leases); got["leases"] == nil || fmt.Sprint(got["leases"]) != want {
				t.Errorf("leases = %v, want %v", got["leases"], want)
			}
			if !tt.status.StoreReachable && !strings.Contains(got["note"].(string), "answering from the in-memory index") {
				t.Errorf("degraded status does not say it answers from memory: %s", body)
			}
		})
	}
	resp, err := http.Post(srv.URL+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: %d", resp.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	box := &statusBox{s: Status{StoreReachable: true, Articles: 7, Chunks: 21, StoreSeq: 5, IndexSeq: 5}}
	m := NewMetrics(box.get)
	srv := httptest.NewServer(New("", box.get, m).Handler())
	defer srv.Close()
	a := m.Asker(stubAsker{}, "telegram")
	ctx := context.Background()
	a.Ask(ctx, bot.Question{Text: "answerable"})
	a.Ask(ctx, bot.Question{Text: "off topic"})
	if _, err := a.Ask(ctx, bot.Question{Text: ""}); err == nil {
		t.Fatal("the wrapped asker lost an error")
	}
	m.Ingested(2, 1, 0, 0, 1)
	m.FeedPolled(nil)
	m.FeedPolled(errors.New("boom"))
	m.FeedPolled(errors.New("boom"))

	_, body := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`newsbot_questions_total{adapter="telegram"} 3`,
		`newsbot_refusals_total{adapter="telegram"} 1`,
		`newsbot_answer_errors_total{adapter="telegram"} 1`,
		`newsbot_answer_duration_seconds_count{adapter="telegram"} 2`,
		`newsbot_ingested_articles_total{result="added"} 2`,
		`newsbot_ingested_articles_total{result="failed"} 1`,
		`newsbot_feed_polls_total{result="error"} 2`,
		`newsbot_feed_polls_total{result="ok"} 1`,
		"newsbot_index_articles 7", "newsbot_index_chunks 21", "newsbot_store_up 1",
		"newsbot_sync_lag_seconds 0", "go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	box.set(Status{})
	if _, body := get(t, srv.URL+"/metrics"); !strings.Contains(body, "newsbot_store_up 0") {
		t.Error("/metrics does not show the store down")
	}
}

func TestRunStopsWithContext(t *testing.T) {
	box := &statusBox{s: Status{StoreReachable: true}}
	s := New("127.0.0.1:0", box.get, NewMetrics(box.get))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(10 * time.Second): // hang guard only
		t.Fatal("Run did not return")
	}
	if err := New("256.0.0.1:bad", box.get, NewMetrics(box.get)).Run(context.Background()); err == nil || !strings.Contains(err.Error(), "ops server") {
		t.Errorf("bad address: %v", err)
	}
}

// TestHealthzFromOutside (issue #23, point 7): a request from another
// machine gets only the state, unless it carries the ops token; loopback
// gets everything. The HTTP code is the same for all.
func TestHealthzFromOutside(t *testing.T) {
	box := &statusBox{}
	box.set(Status{StoreReachable: true, Engine: "postgres", Leases: []string{"feed:https://example.org/f?token=REDACTED"}, Articles: 3})
	h := New("", box.get, NewMetrics(box.get), WithReplica("host-1"), WithToken("s3cret-ops")).Handler()
	noToken := New("", box.get, NewMetrics(box.get)).Handler()
	do := func(h http.Handler, remote, auth string) (int, map[string]any) {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.RemoteAddr = remote
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var got map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("%v: %s", err, rec.Body)
		}
		return rec.Code, got
	}
	for _, tt := range []struct {
		name         string
		h            http.Handler
		remote, auth string
		full         bool
	}{
		{"outside", h, "203.0.113.7:4000", "", false},
		{"outside, wrong token", h, "203.0.113.7:4000", "Bearer nope", false},
		{"outside, token", h, "203.0.113.7:4000", "Bearer s3cret-ops", true},
		{"outside, IPv6", h, "[2001:db8::1]:4000", "", false},
		{"outside, no token configured", noToken, "203.0.113.7:4000", "Bearer ", false},
		{"loopback", h, "127.0.0.1:4000", "", true},
		{"loopback IPv6", h, "[::1]:4000", "", true},
	} {
		code, got := do(tt.h, tt.remote, tt.auth)
		if code != http.StatusOK || got["status"] != "ok" {
			t.Errorf("%s: %d %v", tt.name, code, got)
		}
		if full := len(got) > 1; full != tt.full {
			t.Errorf("%s: full status = %v, want %v: %v", tt.name, full, tt.full, got)
		}
	}
	box.set(Status{StoreError: "dial tcp db.internal:5432: connection refused"})
	if code, got := do(h, "203.0.113.7:4000", ""); code != http.StatusServiceUnavailable || got["status"] != "degraded" || len(got) != 1 {
		t.Errorf("store down, from outside: %d %v", code, got)
	}
}
