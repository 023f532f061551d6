//go:build soak

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The soak test runs `serve` through Main for NEWSBOT_SOAK (a Go duration,
// default 30m) against a loopback feed whose items change on every poll
// and a fake Bot API that delivers a question every second, sampling the
// process's RSS, goroutines and open file descriptors every
// NEWSBOT_SOAK_EVERY (default 30s). It prints every sample, then
// min/median/max per 5-minute window. Run it with
//
//	nice -n 19 go test -tags soak -run Soak -timeout 40m -v ./cmd/newsbot
//
// It fails if goroutines or descriptors keep growing: the last window's
// median above twice the first window's maximum (plus a small allowance).
// The figures include the fakes, which live in the same process.
func TestSoak(t *testing.T) {
	dur := envDuration(t, "NEWSBOT_SOAK", 30*time.Minute)
	every := envDuration(t, "NEWSBOT_SOAK_EVERY", 30*time.Second)

	feed := &changingFeed{}
	feedSrv := httptest.NewServer(feed)
	defer feedSrv.Close()
	feed.base = feedSrv.URL
	tg := &questionsAPI{}
	tgSrv := httptest.NewServer(tg)
	defer tgSrv.Close()

	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	conf := fmt.Sprintf("[telegram]\napi_url = %q\nrate_per_minute = -1\n\n[[feeds]]\nurl = %q\ninterval = \"1m\"\n\n[fetch]\nallow_private = true\n",
		tgSrv.URL, feedSrv.URL+"/feed.xml")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _, errb := testMain(t, map[string]string{"NEWSBOT_TELEGRAM_TOKEN": "123456:SOAKsoakSOAKsoak"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"--config", cfg, "serve"}) }()

	var samples []soakSample
	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for time.Since(start) < dur {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, tail(errb.String(), 2000))
		case <-tick.C:
		}
		s := sample(time.Since(start))
		s.polls, s.asked, s.answered = feed.polls.Load(), tg.asked.Load(), tg.answered.Load()
		samples = append(samples, s)
		t.Logf("t=%-6s rss=%6.1fMB heap=%6.1fMB goroutines=%4d fds=%3d polls=%d asked=%d answered=%d",
			s.at.Round(time.Second), s.rssMB, s.heapMB, s.goroutines, s.fds, s.polls, s.asked, s.answered)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	report(t, samples)
	if len(samples) == 0 {
		t.Fatal("no samples: NEWSBOT_SOAK shorter than NEWSBOT_SOAK_EVERY")
	}
	if tg.answered.Load() == 0 || feed.polls.Load() < 2 {
		t.Fatalf("nothing happened: %d answers, %d polls\n%s", tg.answered.Load(), feed.polls.Load(), tail(errb.String(), 2000))
	}
	first, last := window(samples, 0), window(samples, len(samples)-1)
	if g := median(last, func(s soakSample) float64 { return float64(s.goroutines) }); g > 2*maxOf(first, func(s soakSample) float64 { return float64(s.goroutines) })+20 {
		t.Errorf("goroutines grow: last window median %v", g)
	}
	if f := median(last, func(s soakSample) float64 { return float64(s.fds) }); f > 2*maxOf(first, func(s soakSample) float64 { return float64(s.fds) })+10 {
		t.Errorf("file descriptors grow: last window median %v", f)
	}
}

type soakSample struct {
	at                     time.Duration
	rssMB, heapMB          float64
	goroutines, fds        int
	polls, asked, answered int64
}

func sample(at time.Duration) soakSample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := soakSample{at: at, heapMB: float64(ms.HeapInuse) / (1 << 20), goroutines: runtime.NumGoroutine()}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
				s.rssMB = float64(kb) / 1024
			}
		}
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		s.fds = len(fds)
	}
	return s
}

// window returns the samples in the same 5-minute window as samples[i].
func window(samples []soakSample, i int) []soakSample {
	w := samples[i].at / (5 * time.Minute)
	var out []soakSample
	for _, s := range samples {
		if s.at/(5*time.Minute) == w {
			out = append(out, s)
		}
	}
	return out
}

func report(t *testing.T, samples []soakSample) {
	metrics := []struct {
		name string
		get  func(soakSample) float64
	}{
		{"rss MB", func(s soakSample) float64 { return s.rssMB }},
		{"heap MB", func(s soakSample) float64 { return s.heapMB }},
		{"goroutines", func(s soakSample) float64 { return float64(s.goroutines) }},
		{"open fds", func(s soakSample) float64 { return float64(s.fds) }},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-8s", "window")
	for _, m := range metrics {
		fmt.Fprintf(&b, " | %-22s", m.name+" min/med/max")
	}
	for i := 0; i < len(samples); {
		w := window(samples, i)
		fmt.Fprintf(&b, "\n%-8s", fmt.Sprintf("%d-%dm", int(w[0].at/(5*time.Minute))*5, int(w[0].at/(5*time.Minute))*5+5))
		for _, m := range metrics {
			fmt.Fprintf(&b, " | %6.1f %6.1f %6.1f   ", minOf(w, m.get), median(w, m.get), maxOf(w, m.get))
		}
		i += len(w)
	}
	t.Log(b.String())
}

func values(w []soakSample, get func(soakSample) float64) []float64 {
	v := make([]float64, len(w))
	for i, s := range w {
		v[i] = get(s)
	}
	slices.Sort(v)
	return v
}

func minOf(w []soakSample, get func(soakSample) float64) float64 { return values(w, get)[0] }
func maxOf(w []soakSample, get func(soakSample) float64) float64 {
	v := values(w, get)
	return v[len(v)-1]
}
func median(w []soakSample, get func(soakSample) float64) float64 {
	v := values(w, get)
	return v[len(v)/2]
}

func envDuration(t *testing.T, key string, def time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return d
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// changingFeed serves an RSS feed whose newest items change on every
// request, and a page for every item.
type changingFeed struct {
	base  string
	polls atomic.Int64
}

var soakWords = []string{"minister", "budget", "parliament", "election", "storm", "harbour", "railway", "vaccine", "festival", "court"}

func (f *changingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if n, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		i, _ := strconv.Atoi(n)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>Story %d</title></head><body><article><h1>Story %d</h1><p>%s</p></article></body></html>", i, i, soakText(i))
		return
	}
	poll := int(f.polls.Add(1))
	w.Header().Set("Content-Type", "application/rss+xml")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Soak</title><link>` + f.base + `/</link>`)
	for i := poll * 5; i > poll*5-20 && i > 0; i-- { // 5 new items a poll, 20 listed
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>%s/a/%d</link><guid>%s/a/%d</guid><pubDate>%s</pubDate><description>%s</description></item>",
			i, f.base, i, f.base, i, time.Now().Add(-time.Duration(poll*5-i)*time.Minute).Format(time.RFC1123Z), soakText(i))
	}
	b.WriteString("</channel></rss>")
	fmt.Fprint(w, b.String())
}

func soakText(i int) string {
	w := soakWords[i%len(soakWords)]
	return fmt.Sprintf("The %s story number %d developed on Monday. Officials said the %s issue would be reviewed by %d experts. Residents welcomed the %s decision.", w, i, w, i%50+2, w)
}

// questionsAPI is a Bot API whose long poll delivers one question a second
// from a rotating set of users, and which counts the answers.
type questionsAPI struct {
	mu       sync.Mutex
	next     int64
	asked    atomic.Int64
	answered atomic.Int64
}

func (f *questionsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := botAPIMethod(w, r)
	switch method {
	case "getMe":
		ok(fakeBotUser)
	case "getUpdates":
		select {
		case <-r.Context().Done():
			return
		case <-time.After(time.Second):
		}
		f.mu.Lock()
		f.next++
		id := f.next
		f.mu.Unlock()
		f.asked.Add(1)
		user := 1000 + id%50
		ok([]map[string]any{{"update_id": id, "message": map[string]any{
			"message_id": id, "date": time.Now().Unix(),
			"chat": map[string]any{"id": user, "type": "private"},
			"from": map[string]any{"id": user, "is_bot": false, "first_name": "U"},
			"text": fmt.Sprintf("What happened with the %s?", soakWords[id%int64(len(soakWords))]),
		}}})
	case "sendMessage":
		r.ParseMultipartForm(1 << 20)
		f.answered.Add(1)
		ok(map[string]any{"message_id": 1, "date": time.Now().Unix(), "chat": map[string]any{"id": 1, "type": "private"}})
	default:
		ok(true)
	}
}

// botAPIMethod returns the Bot API method r calls and a function writing
// a successful result.
func botAPIMethod(w http.ResponseWriter, r *http.Request) (method string, ok func(result any)) {
	return r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
}

// fakeBotUser is what the fake Bot API answers to getMe.
var fakeBotUser = map[string]any{"id": 42, "is_bot": true, "first_name": "newsbot", "username": "newsbot_bot"}
