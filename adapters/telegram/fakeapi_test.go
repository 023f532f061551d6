package telegram

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// botUser is who the fake Bot API says the bot is; its ID matches testToken.
var botUser = models.User{ID: 123456, IsBot: true, FirstName: "newsbot", Username: "newsbot_bot"}

// fakeAPI is a Bot API server on loopback, just enough of it for the
// adapter: getMe, getUpdates (a real long poll), sendMessage (which rejects
// what Telegram would reject), setWebhook, deleteWebhook, setMyCommands.
type fakeAPI struct {
	t       *testing.T
	token   string
	srv     *httptest.Server
	closing chan struct{}

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	queue      []models.Update
	pushes     int
	nextUpdate int64
	nextMsg    int
	sent       []sentMessage
	rejected   []string // why sendMessage requests were refused as invalid
	calls      map[string]int
	polls      []int // the timeout parameter of each getUpdates
	polling    int   // getUpdates requests open now
	maxPolling int   // the most open at once: Telegram allows one consumer
	webhook    map[string]string
	tooMany    int // answer this many sendMessage calls with 429
	tooManyAt  []time.Time
	failSends  int      // answer this many sendMessage calls with 400
	forbidden  int      // answer this many sendMessage calls with 403: the bot was blocked
	commands   []string // the command menu last set, by name
	failPolls  int      // answer this many getUpdates calls with a 502 page
	sendTimes  []time.Time
	// faults, if set, picks a failure to inject into a call of method;
	// faultNone lets the call through. It is called with f.mu held.
	faults func(method string) fault
	// injected counts the faults injected, by kind.
	injected map[fault]int
	// pushedAt, if not nil, records when each question text was queued.
	pushedAt map[string]time.Time
}

// fault is a failure the fake injects instead of doing what was asked.
type fault int

const (
	faultNone       fault = iota
	faultTooMany          // 429 with retry_after 1
	faultBadGateway       // 502 with a proxy's HTML page
	faultReset            // the connection is reset before any answer
	faultParse            // 400 "can't parse entities" for an HTML message
	faultDrop             // a long poll's connection is closed mid-wait
)

// faultSequence returns a faults func that injects the given faults, in
// order, into calls of method, and then none.
func faultSequence(method string, seq ...fault) func(string) fault {
	return func(m string) fault {
		if m != method || len(seq) == 0 {
			return faultNone
		}
		next := seq[0]
		seq = seq[1:]
		return next
	}
}

// sentMessage is a sendMessage request as the fake received it.
type sentMessage struct {
	ID              int
	ChatID          int64
	Thread          int
	Text            string
	ParseMode       string
	ReplyTo         int
	PreviewDisabled bool
	At              time.Time // when the fake accepted it
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{
		t: t, token: testToken, closing: make(chan struct{}), changed: make(chan struct{}),
		nextUpdate: 1000, nextMsg: 1, calls: map[string]int{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		close(f.closing)
		f.srv.Close()
	})
	return f
}

// changedLocked wakes everyone waiting for a change; f.mu must be held.
func (f *fakeAPI) changedLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.token+"/")
	if !ok {
		reply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && r.ContentLength != 0 && method != "getMe" {
		// The client gave up mid-request (at shutdown); nothing to record.
		reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
		return
	}
	f.mu.Lock()
	f.calls[method]++
	injected := faultNone
	if f.faults != nil {
		injected = f.faults(method)
		if injected != faultNone {
			if f.injected == nil {
				f.injected = map[fault]int{}
			}
			f.injected[injected]++
			f.changedLocked()
		}
	}
	f.mu.Unlock()
	switch injected {
	case faultTooMany:
		reply(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error_code": 429,
			"description": "Too Many Requests: retry after 1", "parameters": map[string]any{"retry_after": 1}})
		return
	case faultBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		return
	case faultReset:
		resetConn(f.t, w)
		return
	case faultParse:
		if r.FormValue("parse_mode") == "HTML" {
			reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400,
				"description": "Bad Request: can't parse entities: unexpected end tag at byte offset 3"})
			return
		}
	case faultDrop:
		// Hold the poll a moment, as a proxy timing out would, then drop it.
		time.Sleep(10 * time.Millisecond)
		resetConn(f.t, w)
		return
	}
	switch method {
	case "getMe":
		ok200(w, botUser)
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage":
		f.sendMessage(w, r)
	case "setWebhook":
		f.mu.Lock()
		f.webhook = map[string]string{}
		for k, v := range r.MultipartForm.Value {
			f.webhook[k] = v[0]
		}
		f.changedLocked()
		f.mu.Unlock()
		ok200(w, true)
	case "setMyCommands":
		var cmds []models.BotCommand
		if err := json.Unmarshal([]byte(r.FormValue("commands")), &cmds); err != nil {
			f.t.Errorf("bad commands %q: %v", r.FormValue("commands"), err)
		}
		f.mu.Lock()
		f.commands = nil
		for _, c := range cmds {
			f.commands = append(f.commands, c.Command)
		}
		f.changedLocked()
		f.mu.Unlock()
		ok200(w, true)
	case "deleteWebhook":
		ok200(w, true)
	default:
		reply(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found: method not found"})
	}
}

// getUpdates holds the request until an update is queued, the timeout the
// client asked for passes, or the client gives up.
func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.ParseInt(r.FormValue("offset"), 10, 64)
	timeout, _ := strconv.Atoi(r.FormValue("timeout"))
	f.mu.Lock()
	f.polls = append(f.polls, timeout)
	if f.failPolls > 0 {
		f.failPolls--
		f.mu.Unlock()
		// Proxies' error pages may echo the path, and with it the token.
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html>502 Bad Gateway for %s</html>", r.URL.Path)
		return
	}
	f.polling++
	f.maxPolling = max(f.maxPolling, f.polling)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.polling--
		f.mu.Unlock()
	}()
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		for len(f.queue) > 0 && f.queue[0].ID < offset {
			f.queue = f.queue[1:] // confirmed by the offset
		}
		batch, changed := append([]models.Update(nil), f.queue...), f.changed
		f.mu.Unlock()
		if len(batch) > 0 {
			ok200(w, batch)
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			ok200(w, []models.Update{})
			return
		case <-r.Context().Done():
			return
		case <-f.closing:
			return
		}
	}
}

func (f *fakeAPI) sendMessage(w http.ResponseWriter, r *http.Request) {
	m := sentMessage{Text: r.FormValue("text"), ParseMode: r.FormValue("parse_mode")}
	m.ChatID, _ = strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	m.Thread, _ = strconv.Atoi(r.FormValue("message_thread_id"))
	if s := r.FormValue("reply_parameters"); s != "" {
		var rp models.ReplyParameters
		if err := json.Unmarshal([]byte(s), &rp); err != nil {
			f.t.Errorf("bad reply_parameters %q: %v", s, err)
		}
		m.ReplyTo = rp.MessageID
	}
	if s := r.FormValue("link_preview_options"); s != "" {
		var lp models.LinkPreviewOptions
		if err := json.Unmarshal([]byte(s), &lp); err != nil {
			f.t.Errorf("bad link_preview_options %q: %v", s, err)
		}
		m.PreviewDisabled = lp.IsDisabled != nil && *lp.IsDisabled
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	f.sendTimes = append(f.sendTimes, time.Now())
	f.changedLocked()
	if f.tooMany > 0 {
		f.tooMany--
		f.tooManyAt = append(f.tooManyAt, time.Now())
		reply(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error_code": 429,
			"description": "Too Many Requests: retry after 1", "parameters": map[string]any{"retry_after": 1}})
		return
	}
	if f.forbidden > 0 {
		f.forbidden--
		reply(w, http.StatusForbidden, map[string]any{"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
		return
	}
	if f.failSends > 0 {
		f.failSends--
		reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: chat not found"})
		return
	}
	switch {
	case m.ParseMode == "" && f.injected[faultParse] > 0:
		// A plain-text resend after an injected parse error.
	case m.ParseMode != "HTML":
		f.rejectLocked(w, "parse_mode is %q, want HTML", m.ParseMode)
		return
	}
	if n := utf16Len(m.Text); n > maxMessageUTF16 {
		f.rejectLocked(w, "message is too long: %d UTF-16 units", n)
		return
	}
	if _, err := parseTelegramHTML(m.Text); m.ParseMode == "HTML" && err != nil {
		f.rejectLocked(w, "can't parse entities: %v", err)
		return
	}
	m.ID = f.nextMsg
	f.nextMsg++
	m.At = time.Now()
	f.sent = append(f.sent, m)
	f.changedLocked()
	ok200(w, models.Message{ID: m.ID, Date: int(time.Now().Unix()), From: &botUser,
		Chat: models.Chat{ID: m.ChatID, Type: "private"}, Text: m.Text})
}

// rejectLocked answers 400 as Telegram does for a message it will not take.
func (f *fakeAPI) rejectLocked(w http.ResponseWriter, format string, args ...any) {
	desc := "Bad Request: " + fmt.Sprintf(format, args...)
	f.rejected = append(f.rejected, desc)
	reply(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": desc})
}

// resetConn closes the connection under w with a TCP reset, as a crashed
// proxy or a NAT timeout would.
func resetConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

func ok200(w http.ResponseWriter, result any) {
	reply(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// push queues m as an update and returns it with its message ID set.
func (f *fakeAPI) push(m models.Message) models.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	m.ID = f.nextMsg
	f.nextMsg++
	m.Date = int(time.Now().Unix())
	f.nextUpdate++
	f.queue = append(f.queue, models.Update{ID: f.nextUpdate, Message: &m})
	f.pushes++
	if f.pushedAt != nil {
		f.pushedAt[m.Text] = time.Now()
	}
	f.changedLocked()
	return m
}

// waitSent waits until at least n messages have been sent and returns them.
func (f *fakeAPI) waitSent(n int) []sentMessage {
	f.t.Helper()
	var out []sentMessage
	f.waitFor(fmt.Sprintf("%d sent messages", n), func() bool {
		out = append([]sentMessage(nil), f.sent...)
		return len(f.sent) >= n
	})
	return out
}

// waitFor waits until cond, called with f.mu held, holds.
func (f *fakeAPI) waitFor(what string, cond func() bool) {
	f.t.Helper()
	guard := time.NewTimer(10 * time.Second) // hang guard only
	defer guard.Stop()
	for {
		f.mu.Lock()
		ok, changed := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-guard.C:
			f.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (f *fakeAPI) snapshot() (sent []sentMessage, calls map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	calls = map[string]int{}
	for k, v := range f.calls {
		calls[k] = v
	}
	return append([]sentMessage(nil), f.sent...), calls
}

// Messages as Telegram would deliver them.

func privateMsg(user int64, text string) models.Message {
	return models.Message{
		Chat: models.Chat{ID: user, Type: models.ChatTypePrivate, FirstName: "User"},
		From: &models.User{ID: user, FirstName: "User"}, Text: text,
	}
}

func groupMsg(chat, user int64, text string) models.Message {
	return models.Message{
		Chat: models.Chat{ID: chat, Type: models.ChatTypeSupergroup, Title: "News fans"},
		From: &models.User{ID: user, FirstName: "Member"}, Text: text,
	}
}

// replyTo makes m a reply to the bot's message s.
func replyTo(m models.Message, s sentMessage) models.Message {
	m.ReplyToMessage = &models.Message{ID: s.ID, From: &botUser, Chat: m.Chat, Text: s.Text}
	return m
}
