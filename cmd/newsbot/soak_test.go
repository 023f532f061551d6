//go:build soak

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"newsbot/bot"
)

// The soak test (issue #23) runs the real program's `serve` (the test
// binary re-executed as newsbot, built-in model) as a child process for
// NEWSBOT_SOAK (a Go duration, default 30m) against loopback fakes:
//
//   - a Telegram Bot API (botAPI, with an update queue and offsets as
//     Telegram keeps them) that gets a question a second, mentioning the
//     bot in one of five groups, and that injects a fault into every fifth
//     sendMessage (a 502 page, a connection reset, a 429, an HTML parse
//     error) and every ninth getUpdates (a dropped poll, a 502), and is
//     wholly unreachable for 30 s at 3, 13 and 23 minutes;
//   - a Discord (REST and gateway) that gets a question every two
//     seconds, as a DM or a guild mention, that answers every sixth
//     message POST with a 429 or a 502, and whose gateway connection is
//     dropped every four minutes (the bot resumes and missed events are
//     replayed, as Discord does);
//   - a feed polled every minute whose items change on every poll, with
//     a 503 on every seventh poll and a 500 or a stall on some article
//     pages.
//
// Every NEWSBOT_SOAK_EVERY (default 30s) it samples the child's RSS and
// open descriptors (/proc) and its goroutines and heap (/metrics). Then
// it stops asking, waits until every question is answered, and stops
// serve with SIGTERM. Run it with
//
//	nice -n 19 go test -tags soak -run Soak -timeout 40m -v ./cmd/newsbot
//
// It fails if a question is lost (no reply) or duplicated (two replies),
// if a reply is the generic failure message, if serve ends early or not
// cleanly, or if RSS, goroutines or descriptors grow more than 10% from
// the window after the warm-up (NEWSBOT_SOAK_WARMUP, default 5m) to the
// last window (NEWSBOT_SOAK_WINDOW, default 5m), medians compared.
func TestSoak(t *testing.T) {
	dur := envDuration(t, "NEWSBOT_SOAK", 30*time.Minute)
	every := envDuration(t, "NEWSBOT_SOAK_EVERY", 30*time.Second)
	warm := envDuration(t, "NEWSBOT_SOAK_WARMUP", 5*time.Minute)
	win := envDuration(t, "NEWSBOT_SOAK_WINDOW", 5*time.Minute)
	if dur < warm+2*win {
		t.Fatalf("NEWSBOT_SOAK %v leaves no room for the warm-up %v and two windows of %v", dur, warm, win)
	}

	ledger := newSoakLedger()
	feed := &changingFeed{}
	feedSrv := httptest.NewServer(feed)
	defer feedSrv.Close()
	feed.base = feedSrv.URL
	tg := &soakTelegram{api: newBotAPI(), ledger: ledger, calls: map[string]int{}, injected: map[string]int{}}
	tgDown := &outage{api: tg}
	tgSrv := httptest.NewServer(tgDown)
	defer tgSrv.Close()
	dc := newFakeDiscord(6, func(p discordPost) {
		if p.ref != "" {
			ledger.reply("dc:"+p.ref, p.content)
		}
	})
	defer dc.srv.Close()

	dir := t.TempDir()
	addr := freeAddr(t)
	cfg := filepath.Join(dir, "newsbot.toml")
	conf := fmt.Sprintf(`[telegram]
api_url = %q
rate_per_minute = -1

[discord]
api_url = %q
rate_per_minute = -1

[serve]
listen = %q

[[feeds]]
url = %q
interval = "1m"

[fetch]
allow_private = true
`, tgSrv.URL, dc.srv.URL+"/api", addr, feedSrv.URL+"/feed.xml")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "--data", filepath.Join(dir, "data"), "--config", cfg, "serve")
	cmd.Env = []string{"NEWSBOT_TEST_MAIN=1", "HOME=" + dir, "PATH=" + os.Getenv("PATH"),
		"NEWSBOT_TELEGRAM_TOKEN=123456:SOAKsoakSOAKsoak", "NEWSBOT_DISCORD_TOKEN=" + discordToken}
	cmd, logs := startServe(t, cmd)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Start the clock once both platforms are connected (hang guard only).
	guard := time.Now().Add(10 * time.Minute)
	for !soakUp(addr) {
		select {
		case err := <-exited:
			t.Fatalf("serve ended at start: %v\n%s", err, tail(logs.String(), 3000))
		case <-time.After(time.Second):
		}
		if time.Now().After(guard) {
			t.Fatalf("telegram and discord never both ok:\n%s", tail(logs.String(), 3000))
		}
	}
	start := time.Now()
	t.Logf("serve up (pid %d); soaking for %v", cmd.Process.Pid, dur)

	ctx, stopAsking := context.WithCancel(context.Background())
	var askers sync.WaitGroup
	askers.Go(func() { tg.ask(ctx, time.Second) })
	askers.Go(func() { dc.ask(ctx, ledger, 2*time.Second) })
	askers.Go(func() { faults(ctx, start, tgDown, dc) })

	var samples []soakSample
	tick := time.NewTicker(every)
	defer tick.Stop()
	for time.Since(start) < dur {
		select {
		case err := <-exited:
			stopAsking()
			t.Fatalf("serve ended early: %v\n%s", err, tail(logs.String(), 3000))
		case <-tick.C:
		}
		s, err := sampleChild(cmd.Process.Pid, addr, time.Since(start))
		if err != nil {
			t.Errorf("sample: %v", err)
			continue
		}
		s.polls, s.asked, s.answered = feed.polls.Load(), int64(ledger.asked()), int64(ledger.answered())
		samples = append(samples, s)
		t.Logf("t=%-6s rss=%6.1fMB heap=%6.1fMB goroutines=%4d fds=%3d health=%s polls=%d asked=%d answered=%d",
			s.at.Round(time.Second), s.rssMB, s.heapMB, s.goroutines, s.fds, s.health, s.polls, s.asked, s.answered)
	}
	stopAsking()
	askers.Wait()
	tgDown.set(false)

	// Every question gets its reply before serve stops (hang guard only);
	// then a few quiet seconds let a late duplicate show.
	guard = time.Now().Add(5 * time.Minute)
	for ledger.answered() < ledger.asked() && time.Now().Before(guard) {
		time.Sleep(time.Second)
	}
	time.Sleep(15 * time.Second)
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve did not stop cleanly: %v\n%s", err, tail(logs.String(), 3000))
		}
	case <-time.After(60 * time.Second): // hang guard only
		t.Errorf("serve did not stop within a minute of SIGTERM")
	}

	report(t, samples, win)
	asked, lost, dup := ledger.check()
	tgCalls, tgFaults := tg.counts()
	dcFaults, conns, identifies, resumes := dc.counts()
	t.Logf("questions: %d asked (telegram %d, discord %d), %d answered, %d lost, %d duplicated, %d failure replies",
		asked, ledger.askedOn("tg:"), ledger.askedOn("dc:"), ledger.answered(), len(lost), len(dup), ledger.failures())
	t.Logf("telegram: calls %v, faults injected %v, refused while down %d", tgCalls, tgFaults, tgDown.refused())
	t.Logf("discord: faults injected %v, gateway connections %d (identify %d, resume %d), unknown routes %v",
		dcFaults, conns, identifies, resumes, dc.unknownRoutes())
	t.Logf("feed: %d polls, %d pages, %d faults", feed.polls.Load(), feed.pages.Load(), feed.faults.Load())
	t.Logf("log (warnings and errors by message):%s", logSummary(logs.String()))

	if asked == 0 || feed.polls.Load() < 2 || ledger.askedOn("tg:") == 0 || ledger.askedOn("dc:") == 0 {
		t.Fatalf("nothing happened: %d questions, %d polls\n%s", asked, feed.polls.Load(), tail(logs.String(), 3000))
	}
	if len(lost) > 0 {
		for i := range lost {
			lost[i] += fmt.Sprintf(" (asked at %v)", ledger.askedAt(lost[i]).Sub(start).Round(time.Second))
		}
		t.Errorf("%d questions got no reply: %s", len(lost), firsts(lost, 20))
	}
	if len(dup) > 0 {
		t.Errorf("%d questions got more than one reply: %s", len(dup), firsts(dup, 20))
	}
	if t.Failed() {
		t.Logf("serve's errors:%s", grepLines(logs.String(), "level=ERROR"))
	}
	if n := ledger.failures(); n > 0 {
		t.Errorf("%d replies were the generic failure message", n)
	}
	if tgFaults["total"] == 0 || dcFaults["total"] == 0 || feed.faults.Load() == 0 || tgDown.refused() == 0 || resumes == 0 {
		t.Errorf("not every fault happened: telegram %v (down: %d refused), discord %v (%d resumes), feed %d",
			tgFaults, tgDown.refused(), dcFaults, resumes, feed.faults.Load())
	}
	first := between(samples, warm, warm+win)
	last := between(samples, dur-win, dur)
	if len(first) == 0 || len(last) == 0 {
		t.Fatalf("no samples in a window: NEWSBOT_SOAK_EVERY %v too long for NEWSBOT_SOAK_WINDOW %v", every, win)
	}
	for _, m := range []struct {
		name  string
		get   func(soakSample) float64
		slack float64 // absolute allowance for small counts
	}{
		{"rss MB", func(s soakSample) float64 { return s.rssMB }, 0},
		{"goroutines", func(s soakSample) float64 { return float64(s.goroutines) }, 3},
		{"open fds", func(s soakSample) float64 { return float64(s.fds) }, 2},
	} {
		a, b := median(first, m.get), median(last, m.get)
		t.Logf("%s: median %.1f after warm-up (%v–%v), %.1f at the end (%v–%v): %+.1f%%",
			m.name, a, warm, warm+win, b, dur-win, dur, 100*(b-a)/a)
		if b > 1.10*a+m.slack {
			t.Errorf("%s grew more than 10%%: median %.1f after warm-up, %.1f at the end", m.name, a, b)
		}
	}
}

// firsts lists at most n of keys.
func firsts(keys []string, n int) string {
	if len(keys) > n {
		return strings.Join(keys[:n], ", ") + fmt.Sprintf(", … (%d more)", len(keys)-n)
	}
	return strings.Join(keys, ", ")
}

// grepLines returns the lines of logs that contain s, each on a line of
// its own.
func grepLines(logs, s string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(line, s) {
			b.WriteString("\n  " + line)
		}
	}
	return b.String()
}

// logSummary counts serve's warning and error lines by level and
// message, one per line.
func logSummary(logs string) string {
	re := regexp.MustCompile(`level=(WARN|ERROR) msg=("[^"]*"|\S+)`)
	counts := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(logs, -1) {
		counts[m[1]+" "+m[2]]++
	}
	var lines []string
	for k, n := range counts {
		lines = append(lines, fmt.Sprintf("\n  %5d %s", n, k))
	}
	slices.Sort(lines)
	return strings.Join(lines, "")
}

// faults runs the scheduled outages: Telegram unreachable for 30 s at 3,
// 13 and 23 minutes, the Discord gateway dropped every four minutes.
func faults(ctx context.Context, start time.Time, tg *outage, dc *fakeDiscord) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	dropped := -1 // the minute of the last drop
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		at := time.Since(start)
		m := int(at / time.Minute)
		tg.set(m%10 == 3 && at%time.Minute < 30*time.Second)
		if m%4 == 2 && m != dropped {
			dropped = m
			dc.drop()
		}
	}
}

// soakLedger counts the questions the fakes delivered and the replies to
// each, by key ("tg:<message id>", "dc:<message id>").
type soakLedger struct {
	mu       sync.Mutex
	asks     map[string]int
	at       map[string]time.Time // when each question was asked
	replies  map[string]int
	failed   int
	failText string
}

func newSoakLedger() *soakLedger {
	return &soakLedger{asks: map[string]int{}, at: map[string]time.Time{}, replies: map[string]int{},
		failText: bot.UserMessage(errors.New("any failure"))}
}

func (l *soakLedger) ask(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asks[key]++
	l.at[key] = time.Now()
}

func (l *soakLedger) askedAt(key string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.at[key]
}

// reply records a reply to the question key, with its text.
func (l *soakLedger) reply(key, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.replies[key]++
	if strings.Contains(text, l.failText) {
		l.failed++
	}
}

func (l *soakLedger) asked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.asks)
}

func (l *soakLedger) askedOn(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for k := range l.asks {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// answered is how many questions got at least one reply.
func (l *soakLedger) answered() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for k := range l.asks {
		if l.replies[k] > 0 {
			n++
		}
	}
	return n
}

func (l *soakLedger) failures() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failed
}

// check returns how many questions were asked, those without a reply and
// those with more than one (a reply to no question asked counts too).
func (l *soakLedger) check() (asked int, lost, dup []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, n := range l.asks {
		if n != 1 {
			dup = append(dup, k+" (asked twice)")
		}
		switch r := l.replies[k]; {
		case r == 0:
			lost = append(lost, k)
		case r > 1:
			dup = append(dup, fmt.Sprintf("%s (%d replies)", k, r))
		}
	}
	for k := range l.replies {
		if l.asks[k] == 0 {
			dup = append(dup, k+" (reply to no question)")
		}
	}
	slices.Sort(lost)
	slices.Sort(dup)
	return len(l.asks), lost, dup
}

type soakSample struct {
	at                     time.Duration
	rssMB, heapMB          float64
	goroutines, fds        int
	health                 string
	polls, asked, answered int64
}

// sampleChild reads pid's RSS and descriptors from /proc and its
// goroutines and heap from /metrics at addr, and the /healthz status.
func sampleChild(pid int, addr string, at time.Duration) (soakSample, error) {
	s := soakSample{at: at}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("read status: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			s.rssMB = float64(kb) / 1024
		}
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return s, fmt.Errorf("read fds: %w", err)
	}
	s.fds = len(fds)
	metrics, err := soakGet("http://" + addr + "/metrics")
	if err != nil {
		return s, err
	}
	sc := bufio.NewScanner(strings.NewReader(metrics))
	for sc.Scan() {
		name, v, _ := strings.Cut(sc.Text(), " ")
		f, _ := strconv.ParseFloat(v, 64)
		switch name {
		case "go_goroutines":
			s.goroutines = int(f)
		case "go_memstats_heap_inuse_bytes":
			s.heapMB = f / (1 << 20)
		}
	}
	h, err := soakGet("http://" + addr + "/healthz")
	if err != nil {
		return s, err
	}
	var hz struct {
		Status   string `json:"status"`
		Services []struct {
			Name, State string
		} `json:"services"`
	}
	json.Unmarshal([]byte(h), &hz)
	s.health = hz.Status
	for _, sv := range hz.Services {
		if sv.State != "ok" {
			s.health += "(" + sv.Name + " " + sv.State + ")"
		}
	}
	return s, nil
}

// soakUp reports whether /healthz at addr says telegram and discord are
// both connected.
func soakUp(addr string) bool {
	h, err := soakGet("http://" + addr + "/healthz")
	if err != nil {
		return false
	}
	var hz struct {
		Services []struct{ Name, State string } `json:"services"`
	}
	json.Unmarshal([]byte(h), &hz)
	up := 0
	for _, s := range hz.Services {
		if (s.Name == "telegram" || s.Name == "discord") && s.State == "ok" {
			up++
		}
	}
	return up == 2
}

func soakGet(url string) (string, error) {
	c := http.Client{Timeout: 20 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "", fmt.Errorf("get %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("get %s: %w", url, err)
	}
	return string(b), nil
}

// between returns the samples taken in [from, to).
func between(samples []soakSample, from, to time.Duration) []soakSample {
	var out []soakSample
	for _, s := range samples {
		if s.at >= from && s.at < to {
			out = append(out, s)
		}
	}
	return out
}

// report logs min/median/max of each figure per window of win.
func report(t *testing.T, samples []soakSample, win time.Duration) {
	if len(samples) == 0 {
		return
	}
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
	fmt.Fprintf(&b, "\n%-9s", "window")
	for _, m := range metrics {
		fmt.Fprintf(&b, " | %-22s", m.name+" min/med/max")
	}
	for from := time.Duration(0); from <= samples[len(samples)-1].at; from += win {
		w := between(samples, from, from+win)
		if len(w) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%-9s", fmt.Sprintf("%v–%v", from, from+win))
		for _, m := range metrics {
			fmt.Fprintf(&b, " | %6.1f %6.1f %6.1f   ", minOf(w, m.get), median(w, m.get), maxOf(w, m.get))
		}
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
// request, and a page for every item. Every seventh poll gets a 503;
// every thirteenth page a 500 and every seventeenth stalls for 20 s (the
// items' own text is then kept).
type changingFeed struct {
	base                 string
	polls, pages, faults atomic.Int64
}

var soakWords = []string{"minister", "budget", "parliament", "election", "storm", "harbour", "railway", "vaccine", "festival", "court"}

func (f *changingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if n, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		i, _ := strconv.Atoi(n)
		f.pages.Add(1)
		switch {
		case i%13 == 0:
			f.faults.Add(1)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		case i%17 == 0:
			f.faults.Add(1)
			select {
			case <-time.After(20 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>Story %d</title></head><body><article><h1>Story %d</h1><p>%s</p></article></body></html>", i, i, soakText(i))
		return
	}
	poll := int(f.polls.Add(1))
	if poll%7 == 0 {
		f.faults.Add(1)
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
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

// soakQuestion returns the n-th question: mostly about the feed's news,
// every fifth one about nothing it holds.
func soakQuestion(n int) string {
	if n%5 == 4 {
		return "What is the population of the third moon of Neptune?"
	}
	return fmt.Sprintf("What happened with the %s?", soakWords[n%len(soakWords)])
}

// soakTelegram is botAPI (the Bot API fake with offsets) with faults
// injected as adapters/telegram's fake injects them, and a ledger of the
// questions pushed and the replies sent.
type soakTelegram struct {
	api    *botAPI
	ledger *soakLedger

	mu       sync.Mutex
	calls    map[string]int
	injected map[string]int
}

func (s *soakTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	r.ParseMultipartForm(1 << 20)
	s.mu.Lock()
	s.calls[method]++
	n := s.calls[method]
	fault := ""
	switch {
	case method == "sendMessage" && n%5 == 0:
		fault = []string{"502", "reset", "429", "parse"}[n/5%4]
		if fault == "parse" && r.FormValue("parse_mode") != "HTML" {
			fault = ""
		}
	case method == "getUpdates" && n%9 == 0:
		fault = []string{"drop", "502"}[n/9%2]
	}
	if fault != "" {
		s.injected[fault]++
		s.injected["total"]++
	}
	s.mu.Unlock()
	switch fault {
	case "502":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		return
	case "reset", "drop":
		if fault == "drop" {
			time.Sleep(10 * time.Millisecond) // a proxy timing the poll out
		}
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
			c.Close()
		}
		return
	case "429":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
		return
	case "parse":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: unexpected end tag at byte offset 3"}`)
		return
	}
	s.api.ServeHTTP(w, r)
	if method == "sendMessage" {
		var rp struct {
			MessageID int `json:"message_id"`
		}
		if json.Unmarshal([]byte(r.FormValue("reply_parameters")), &rp) == nil && rp.MessageID != 0 {
			s.ledger.reply("tg:"+strconv.Itoa(rp.MessageID), r.FormValue("text"))
		}
		// A part after an answer's first is no reply; in a group every
		// answer's first part is.
	}
}

// ask pushes a question every interval until ctx ends: a mention of the
// bot in one of five groups, from one of fifty users.
func (s *soakTelegram) ask(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		user, chat := 3000+n%50, -100500-n%5
		id := s.api.pushMessage(map[string]any{"text": "@newsbot_bot " + soakQuestion(n),
			"chat": map[string]any{"id": chat, "type": "supergroup", "title": "News fans"},
			"from": map[string]any{"id": user, "is_bot": false, "first_name": "User"}})
		s.ledger.ask("tg:" + strconv.Itoa(id))
	}
}

func (s *soakTelegram) counts() (calls, injected map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls), maps.Clone(s.injected)
}

func (o *outage) refused() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.failed
}

// ask dispatches a question every interval until ctx ends, alternately
// a DM and a mention in a guild channel, from one of twenty users.
func (f *fakeDiscord) ask(ctx context.Context, ledger *soakLedger, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		id := fmt.Sprintf("7%017d", n+1)
		from := map[string]any{"id": fmt.Sprintf("4%017d", n%20+1), "username": fmt.Sprintf("user%d", n%20)}
		m := map[string]any{"id": id, "author": from, "type": 0, "timestamp": time.Now().UTC().Format(time.RFC3339)}
		if n%2 == 0 {
			m["channel_id"] = fmt.Sprintf("6%017d", 100+n%20) // the user's DM channel
			m["content"], m["mentions"] = soakQuestion(n), []any{}
		} else {
			m["channel_id"], m["guild_id"] = discordChannelID, discordGuildID
			m["content"] = "<@" + discordBotID + "> " + soakQuestion(n)
			m["mentions"] = []any{map[string]any{"id": discordBotID, "username": "newsbot", "bot": true}}
		}
		ledger.ask("dc:" + id)
		f.dispatch("MESSAGE_CREATE", m)
	}
}
