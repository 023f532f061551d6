//go:build load

package telegram

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"
	"time"

	"newsbot/adapters/internal/loadstats"
	"newsbot/bot"
)

// TestLoad drives the adapter with 1,000 questions from 200 users over
// about 10 s against the fake Bot API injecting the fault mix:
// 10% of sends answered 429, 5% 502 with an HTML page, 5% "can't parse
// entities", 10% of long polls dropped. It prints questions, answered,
// lost, duplicated and the p50/p99 time from a question being queued to
// its answer being accepted. Run it with
//
//	go test -tags load -run Load -v ./adapters/telegram
//
// It fails if an answer is lost or duplicated; the latencies are reported,
// not asserted.
func TestLoad(t *testing.T) {
	const questions, users = 1000, 200
	rng := rand.New(rand.NewPCG(1, 2))
	h := start(t, Config{RatePerMinute: -1}, WithMaxConcurrent(DefaultMaxConcurrent))
	for i := range questions {
		a := &bot.Article{ID: fmt.Sprint("art-", i), Title: "Story", Source: "Wire", URL: "https://example.com/s",
			Published: march2, Text: fmt.Sprintf("Answer number %d <b>&amp; more</b>.", i)}
		h.asker.on(loadQuestion(i), bot.NewQuote(a, bot.Span{Start: 0, End: len(a.Text)}, 1))
	}
	h.api.mu.Lock()
	h.api.pushedAt = map[string]time.Time{}
	h.api.faults = func(method string) fault {
		p := rng.Float64()
		switch method {
		case "sendMessage":
			switch {
			case p < 0.10:
				return faultTooMany
			case p < 0.15:
				return faultBadGateway
			case p < 0.20:
				return faultParse
			}
		case "getUpdates":
			if p < 0.10 {
				return faultDrop
			}
		}
		return faultNone
	}
	h.api.mu.Unlock()

	began := time.Now()
	for i := range questions {
		h.api.push(privateMsg(int64(1000+i%users), loadQuestion(i)))
		time.Sleep(10 * time.Millisecond) // 1,000 in about 10 s
	}
	// Wait for every answer, or until nothing more arrives.
	for last, idle := -1, 0; idle < 100; idle++ { // at most 100 × 100 ms without progress
		sent, _ := h.api.snapshot()
		if len(sent) >= questions {
			break
		}
		if len(sent) != last {
			last, idle = len(sent), 0
		}
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(began)
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}

	sent, calls := h.api.snapshot()
	h.api.mu.Lock()
	injected, pushedAt := h.api.injected, h.api.pushedAt
	h.api.mu.Unlock()
	number := regexp.MustCompile(`Answer number (\d+) `)
	tally := loadstats.New()
	for i := range questions {
		tally.Asked(loadQuestion(i), pushedAt[loadQuestion(i)])
	}
	for _, s := range sent {
		m := number.FindStringSubmatch(s.Text)
		if m == nil {
			t.Errorf("unexpected message %q", s.Text)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		tally.Answered(loadQuestion(n), s.At)
	}
	r := tally.Result()
	fmt.Printf("telegram load: %v users=%d wall=%v\n", r, users, took.Round(time.Millisecond))
	fmt.Printf("telegram load: injected 429=%d 502=%d parse=%d dropped_polls=%d; sendMessage calls=%d getUpdates calls=%d\n",
		injected[faultTooMany], injected[faultBadGateway], injected[faultParse], injected[faultDrop], calls["sendMessage"], calls["getUpdates"])
	if r.Lost > 0 || r.Duplicated > 0 {
		t.Errorf("%d answers lost, %d duplicated", r.Lost, r.Duplicated)
	}
}

func loadQuestion(i int) string { return fmt.Sprintf("load question %d", i) }
