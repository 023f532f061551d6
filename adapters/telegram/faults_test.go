package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"newsbot/bot"
)

// fastRetry keeps the back-off of 5xx and resets short in tests; 429s
// still wait the second Telegram asks for.
func fastRetry(a *Adapter) {
	a.retry = retryPolicy{attempts: 6, first: time.Millisecond, most: 5 * time.Millisecond, total: 20 * time.Second}
}

func TestSendSurvivesTransientFailures(t *testing.T) {
	tests := []struct {
		name   string
		faults []fault
		plain  bool // sent without markup
	}{
		{"502 page", []fault{faultBadGateway}, false},
		{"connection reset", []fault{faultReset}, false},
		{"mixed", []fault{faultBadGateway, faultReset, faultTooMany, faultBadGateway}, false},
		{"can't parse entities", []fault{faultParse}, true},
		{"parse error then 502 and reset", []fault{faultParse, faultBadGateway, faultReset}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, Config{}, fastRetry)
			q := quoteOf(t, scriptArticle, `Researchers showed that <script>alert("x")</script> ran in AT&T's portal.`)
			h.asker.on("what about the bug?", q)
			h.api.mu.Lock()
			h.api.faults = faultSequence("sendMessage", tt.faults...)
			h.api.mu.Unlock()

			_, got := h.ask(privateMsg(alice, "what about the bug?"), 1)
			if err := h.stop(); err != nil {
				t.Fatal(err)
			}
			sent, calls := h.api.snapshot()
			if len(sent) != 1 {
				t.Fatalf("%d messages sent, want exactly 1: %+v", len(sent), sent)
			}
			if want := len(tt.faults) + 1; calls["sendMessage"] != want {
				t.Errorf("sendMessage called %d times, want %d (each fault once, then success)", calls["sendMessage"], want)
			}
			html := renderAnswer(bot.Answer{Question: "what about the bug?", Answered: true, Quotes: []bot.Quote{q}}, maxMessageUTF16)[0]
			want, mode := html, "HTML"
			if tt.plain {
				want, mode = visibleText(html), ""
			}
			if got.Text != want || got.ParseMode != mode {
				t.Errorf("sent %q (parse_mode %q)\nwant %q (parse_mode %q)", got.Text, got.ParseMode, want, mode)
			}
			if tt.plain && !strings.Contains(got.Text, q.Text) {
				t.Errorf("plain resend does not hold the quote verbatim: %q", got.Text)
			}
			if tt.plain && !strings.Contains(h.logs.String(), "rejected HTML") {
				t.Error("the rejected HTML is not logged at debug level")
			}
		})
	}
}

func TestSendGivesUpAfterBoundedAttempts(t *testing.T) {
	h := start(t, Config{}, fastRetry)
	h.asker.on("what did Meloni say?", melonisQuote(t))
	persistent := make([]fault, 6)
	for i := range persistent {
		persistent[i] = faultBadGateway
	}
	h.api.mu.Lock()
	h.api.faults = faultSequence("sendMessage", persistent...)
	h.api.mu.Unlock()

	h.api.push(privateMsg(alice, "what did Meloni say?"))
	h.api.waitFor("six failed sends", func() bool { return h.api.injected[faultBadGateway] == 6 })
	// The failure ends that answer only; the next question is answered.
	_, got := h.ask(privateMsg(bob, "what did Meloni say?"), 1)
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	sent, calls := h.api.snapshot()
	if len(sent) != 1 || got.ChatID != bob {
		t.Errorf("sent %+v, want one answer to bob", sent)
	}
	if calls["sendMessage"] != 7 {
		t.Errorf("sendMessage called %d times, want 6 for alice and 1 for bob", calls["sendMessage"])
	}
	if !strings.Contains(h.logs.String(), "send message failed") {
		t.Errorf("the lost answer is not logged:\n%s", h.logs.String())
	}
}

// TestSendRidesOutAnOutage (issue #23, found by the soak test): an answer
// whose send meets a Telegram outage far longer than a setup call's six
// tries (here 20 failures in a row) is still delivered, once, when
// Telegram is back: its question will not be delivered again. Connections
// closed without an answer make the next try write to a closed
// connection, which the soak saw end a send.
func TestSendRidesOutAnOutage(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault fault
	}{{"connection reset", faultReset}, {"connection closed", faultClose}, {"502 page", faultBadGateway}} {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, Config{}, func(a *Adapter) {
				fastRetry(a)
				a.sendRetry = retryPolicy{first: time.Millisecond, most: 5 * time.Millisecond, total: 20 * time.Second}
			})
			h.asker.on("what did Meloni say?", melonisQuote(t))
			outage := make([]fault, 20)
			for i := range outage {
				outage[i] = tt.fault
			}
			h.api.mu.Lock()
			h.api.faults = faultSequence("sendMessage", outage...)
			h.api.mu.Unlock()

			_, got := h.ask(privateMsg(alice, "what did Meloni say?"), 1)
			if err := h.stop(); err != nil {
				t.Fatal(err)
			}
			sent, calls := h.api.snapshot()
			if len(sent) != 1 || got.ChatID != alice {
				t.Fatalf("sent %+v, want one answer to alice", sent)
			}
			if calls["sendMessage"] != len(outage)+1 {
				t.Errorf("sendMessage called %d times, want %d (each failure once, then success)", calls["sendMessage"], len(outage)+1)
			}
		})
	}
}

// TestTransient checks which failures are tried again: those where the
// request cannot have been taken, or the server said to, never a refusal.
func TestTransient(t *testing.T) {
	post := func(err error) error {
		return fmt.Errorf("error do request for method sendMessage, %w", &url.Error{Op: "Post", URL: "http://x/bot/sendMessage", Err: err})
	}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"EOF", post(io.EOF), true},
		{"reset", post(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), true},
		{"refused", post(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"written to a closed connection", post(&net.OpError{Op: "write", Net: "tcp", Err: net.ErrClosed}), true},
		{"bad request", errors.New("bad request, Bad Request: chat not found"), false},
		{"canceled", post(context.Canceled), false},
	} {
		if got := transient(tt.err); got != tt.want {
			t.Errorf("%s: transient(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestDroppedPollsLoseNothing(t *testing.T) {
	h := start(t, Config{}, fastRetry)
	h.api.mu.Lock()
	h.api.faults = faultSequence("getUpdates", faultDrop, faultBadGateway, faultDrop)
	h.api.mu.Unlock()
	for i, user := range []int64{alice, bob} {
		h.ask(privateMsg(user, fmt.Sprintf("question %d", i)), i+1)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	sent, _ := h.api.snapshot()
	if len(sent) != 2 || sent[0].ChatID != alice || sent[1].ChatID != bob {
		t.Errorf("sent %+v, want one answer each to alice and bob", sent)
	}
}

// postUpdate posts m as update id to the webhook at url and returns the
// status, or an error if the server did not take the request.
func postUpdate(t *testing.T, url, secret string, id int64, m models.Message) (int, error) {
	body := fmt.Sprintf(`{"update_id": %d, "message": %s}`, id, mustJSON(t, m))
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestWebhookShutdownAnswersWhatItReceived(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cret-token_value"
	// One slot: the updates after the first wait for it, as they would
	// under load.
	h := start(t, Config{WebhookURL: "https://bot.example.test/hook", SecretToken: secret},
		WithWebhookListener(ln), WithMaxConcurrent(1))
	h.api.waitFor("setWebhook", func() bool { return h.api.webhook != nil })
	url := "http://" + ln.Addr().String() + "/hook"
	release := h.asker.gate("slow")
	defer release()

	users := []int64{alice, bob, 333, 444}
	for i, user := range users {
		text := "slow"
		if i > 0 {
			text = fmt.Sprintf("question %d", i)
		}
		if status, err := postUpdate(t, url, secret, int64(10+i), privateMsg(user, text)); err != nil || status != http.StatusOK {
			t.Fatalf("update %d: status %d, %v", i, status, err)
		}
		if i == 0 {
			h.asker.waitAsked(t, 1)
		}
	}
	h.cancel() // SIGTERM while one answer is being written and three wait

	// The server stops accepting: a later update is refused, and
	// Telegram keeps it for the next run.
	const late = int64(999)
	guard := time.Now().Add(10 * time.Second) // hang guard only
	for {
		status, err := postUpdate(t, url, secret, 99, privateMsg(late, "too late"))
		if err != nil {
			break
		}
		if status == http.StatusOK {
			users = append(users, late) // accepted before shutdown: must be answered too
		}
		if time.Now().After(guard) {
			t.Fatal("the webhook still accepts updates after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	release()
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	sent, _ := h.api.snapshot()
	answers := map[int64]int{}
	for _, s := range sent {
		answers[s.ChatID]++
	}
	for _, user := range users {
		if answers[user] != 1 {
			t.Errorf("user %d got %d answers, want 1", user, answers[user])
		}
	}
	if len(sent) != len(users) {
		t.Errorf("%d messages sent for %d accepted updates: %+v", len(sent), len(users), sent)
	}
}
