package discord

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// hangGuard bounds every wait in these tests; it is never a performance
// assertion, only a way to fail instead of hanging.
const hangGuard = 15 * time.Second

const (
	fakeBotID = "100000000000000001"
	fakeAppID = "200000000000000002"
)

// fakeRequest is one REST call the fake received.
type fakeRequest struct {
	Method, Path, Query, Auth string
	Body                      []byte
	Status                    int
	At                        time.Time // when the fake received it
}

// JSON decodes the request body into v.
func (r fakeRequest) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: decode body %q: %v", r.Method, r.Path, r.Body, err)
	}
}

// fakeDiscord is a loopback Discord: the REST routes newsbot uses and a
// websocket gateway speaking enough of the protocol for discordgo (Hello,
// Identify/Resume, Ready/Resumed, heartbeat ACKs, dispatches).
type fakeDiscord struct {
	t     *testing.T
	srv   *httptest.Server
	token string

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	reqs       []fakeRequest
	events     []string       // REST calls and gateway closes, in order
	limits     map[string]int // path substring → 429s still to send
	gone       map[string]int // channel ID → the JSON error code posting to it gets
	gatewayErr string         // when set, GET /gateway fails with this body
	conn       *gwConn        // the identified (or resumed) connection
	conns      int
	identifies int
	shard      *[2]int // of the last Identify; nil when unsharded
	resumes    int
	heartbeats int
	closes     int // connections that ended
	seq        int64
	nextID     int
}

// gwConn is one gateway websocket; writes are serialised.
type gwConn struct {
	ws  *websocket.Conn
	wmu sync.Mutex
}

func (c *gwConn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{t: t, token: "FAKE.bot-token.FOR-TESTS-0123456789abcdef", changed: make(chan struct{}), limits: map[string]int{}, gone: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.rest)
	mux.HandleFunc("/gateway/", f.gateway)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is what the adapter's api_url points at.
func (f *fakeDiscord) apiURL() string { return f.srv.URL + "/api" }

// notify wakes waiters; f.mu must be held.
func (f *fakeDiscord) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// waitFor blocks until cond (called with f.mu held) is true.
func (f *fakeDiscord) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.After(hangGuard)
	for {
		f.mu.Lock()
		ok, ch := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			f.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// requests returns the recorded requests matching method and path regexp.
func (f *fakeDiscord) requests(method, pathRE string) []fakeRequest {
	re := regexp.MustCompile(pathRE)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.reqs {
		if r.Method == method && re.MatchString(r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// waitRequests waits until n requests match and returns them.
func (f *fakeDiscord) waitRequests(n int, method, pathRE string) []fakeRequest {
	f.t.Helper()
	re := regexp.MustCompile(pathRE)
	f.waitFor(fmt.Sprintf("%d × %s %s", n, method, pathRE), func() bool {
		c := 0
		for _, r := range f.reqs {
			if r.Method == method && re.MatchString(r.Path) {
				c++
			}
		}
		return c >= n
	})
	return f.requests(method, pathRE)[:n]
}

// rateLimit makes the next n requests whose path contains sub get a 429.
func (f *fakeDiscord) rateLimit(sub string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits[sub] = n
}

var apiPrefix = regexp.MustCompile(`^/api/v[0-9]+`)

// rest serves the REST API.
func (f *fakeDiscord) rest(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := apiPrefix.ReplaceAllString(r.URL.Path, "")
	rec := fakeRequest{Method: r.Method, Path: path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"), Body: body, At: time.Now()}

	f.mu.Lock()
	defer func() {
		f.reqs = append(f.reqs, rec)
		f.events = append(f.events, rec.Method+" "+rec.Path)
		f.notify()
		f.mu.Unlock()
	}()
	reply := func(status int, v any) {
		rec.Status = status
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if v != nil {
			_ = json.NewEncoder(w).Encode(v)
		}
	}
	if !apiPrefix.MatchString(r.URL.Path) {
		reply(http.StatusNotFound, map[string]any{"message": "no API version"})
		return
	}
	authed := strings.HasPrefix(path, "/interactions/") || strings.HasPrefix(path, "/webhooks/")
	if !authed && rec.Auth != "Bot "+f.token {
		reply(http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		return
	}
	for sub, n := range f.limits {
		if n > 0 && strings.Contains(path, sub) && r.Method != http.MethodGet {
			f.limits[sub] = n - 1
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-RateLimit-Limit", "5")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", "0.05")
			w.Header().Set("X-RateLimit-Bucket", "fake")
			reply(http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": 0.05, "global": false})
			return
		}
	}
	seg := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && (path == "/gateway" || path == "/gateway/bot"):
		if f.gatewayErr != "" {
			reply(http.StatusInternalServerError, map[string]any{"message": f.gatewayErr + " " + rec.Auth})
			return
		}
		reply(http.StatusOK, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway/", "shards": 1})
	case r.Method == http.MethodPut && seg[0] == "applications" && seg[len(seg)-1] == "commands":
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			reply(http.StatusBadRequest, map[string]any{"message": err.Error()})
			return
		}
		for i, c := range cmds {
			c["id"] = strconv.Itoa(300 + i)
			c["application_id"] = seg[1]
		}
		reply(http.StatusOK, cmds)
	case r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "channels" && seg[2] == "messages" && f.gone[seg[1]] != 0:
		code := f.gone[seg[1]]
		status, msg := http.StatusForbidden, "Missing Access"
		switch code {
		case 10003:
			status, msg = http.StatusNotFound, "Unknown Channel"
		case 50013:
			msg = "Missing Permissions"
		}
		reply(status, map[string]any{"message": msg, "code": code})
	case r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "channels" && seg[2] == "messages":
		reply(http.StatusOK, f.message(seg[1], body))
	case r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "channels" && seg[2] == "typing":
		reply(http.StatusNoContent, nil)
	case r.Method == http.MethodPost && len(seg) == 4 && seg[0] == "interactions" && seg[3] == "callback":
		reply(http.StatusNoContent, nil)
	case r.Method == http.MethodPatch && len(seg) == 5 && seg[0] == "webhooks" && seg[4] == "@original":
		reply(http.StatusOK, f.message("", body))
	case r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "webhooks":
		reply(http.StatusOK, f.message("", body))
	default:
		reply(http.StatusNotFound, map[string]any{"message": "Unknown route " + r.Method + " " + path})
	}
}

// message returns the created message for body; f.mu must be held.
func (f *fakeDiscord) message(channel string, body []byte) map[string]any {
	f.nextID++
	var in struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(body, &in)
	return map[string]any{
		"id": fmt.Sprintf("9%017d", f.nextID), "channel_id": channel, "content": in.Content, "type": 0,
		"author": map[string]any{"id": fakeBotID, "username": "newsbot", "bot": true},
	}
}

// lastMessageID is the ID of the latest message the fake created.
func (f *fakeDiscord) lastMessageID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprintf("9%017d", f.nextID)
}

var upgrader = websocket.Upgrader{}

// gateway serves one websocket connection.
func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	f.mu.Lock()
	f.conns++
	f.notify()
	f.mu.Unlock()
	defer func() {
		ws.Close()
		f.mu.Lock()
		if f.conn == c {
			f.conn = nil
		}
		f.closes++
		f.events = append(f.events, "gateway closed")
		f.notify()
		f.mu.Unlock()
	}()
	// A long interval keeps discordgo's missed-ACK check (5 intervals) from
	// firing on a busy machine; it still sends one heartbeat at once.
	if c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 5000}}) != nil {
		return
	}
	for {
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := ws.ReadJSON(&p); err != nil {
			return
		}
		switch p.Op {
		case 1:
			f.mu.Lock()
			f.heartbeats++
			f.notify()
			f.mu.Unlock()
			_ = c.send(map[string]any{"op": 11})
		case 2:
			var id struct {
				Token   string  `json:"token"`
				Intents int     `json:"intents"`
				Shard   *[2]int `json:"shard"`
			}
			_ = json.Unmarshal(p.D, &id)
			if id.Token != "Bot "+f.token {
				_ = ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
				return
			}
			f.ready(c, "READY", map[string]any{
				"v": 9, "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway/",
				"user":        map[string]any{"id": fakeBotID, "username": "newsbot", "bot": true},
				"application": map[string]any{"id": fakeAppID, "flags": 0},
				"guilds":      []any{},
			}, func() { f.identifies++; f.shard = id.Shard })
		case 6:
			f.ready(c, "RESUMED", map[string]any{}, func() { f.resumes++ })
		}
	}
}

// ready sends the READY or RESUMED dispatch and makes c the connection
// that later dispatches go to.
func (f *fakeDiscord) ready(c *gwConn, typ string, d any, count func()) {
	f.mu.Lock()
	f.seq++
	seq := f.seq
	// Counted before READY goes out: the bot may act on it (and a test read
	// the count) before this goroutine runs again.
	count()
	f.mu.Unlock()
	_ = c.send(map[string]any{"op": 0, "s": seq, "t": typ, "d": d})
	f.mu.Lock()
	f.conn = c
	f.notify()
	f.mu.Unlock()
}

// dispatch sends an event to the connected bot, waiting for a connection.
func (f *fakeDiscord) dispatch(typ string, d any) {
	f.t.Helper()
	var c *gwConn
	f.waitFor("a ready gateway connection", func() bool { c = f.conn; return c != nil })
	f.mu.Lock()
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	if err := c.send(map[string]any{"op": 0, "s": seq, "t": typ, "d": d}); err != nil {
		f.t.Fatalf("dispatch %s: %v", typ, err)
	}
}

// drop closes the current gateway connection abruptly (no close frame), as
// a network failure would.
func (f *fakeDiscord) drop() {
	f.t.Helper()
	var c *gwConn
	f.waitFor("a ready gateway connection", func() bool { c = f.conn; return c != nil })
	f.mu.Lock()
	f.conn = nil
	f.mu.Unlock()
	_ = c.ws.NetConn().Close()
}

// counts returns the gateway counters.
func (f *fakeDiscord) counts() (conns, identifies, resumes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns, f.identifies, f.resumes
}

// Event payload builders.

type user struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Bot      bool   `json:"bot,omitempty"`
}

var (
	alice  = user{ID: "400000000000000001", Username: "alice"}
	bob    = user{ID: "400000000000000002", Username: "bob"}
	botUsr = user{ID: fakeBotID, Username: "newsbot", Bot: true}
	other  = user{ID: "400000000000000009", Username: "otherbot", Bot: true}
)

const (
	guildID   = "500000000000000001"
	channelID = "600000000000000001"
	dmChannel = "600000000000000099"
)

// msgEvent is a MESSAGE_CREATE payload.
func msgEvent(id, guild, channel string, from user, content string, mentions ...user) map[string]any {
	m := map[string]any{
		"id": id, "channel_id": channel, "author": from, "content": content, "type": 0,
		"mentions": mentions, "timestamp": "2025-06-01T12:00:00.000000+00:00",
	}
	if mentions == nil {
		m["mentions"] = []user{}
	}
	if guild != "" {
		m["guild_id"] = guild
	}
	return m
}

// replyEvent is a MESSAGE_CREATE replying to message ref (by the bot).
func replyEvent(id, ref string, from user, content string, mentions ...user) map[string]any {
	m := msgEvent(id, guildID, channelID, from, content, mentions...)
	m["type"] = 19
	m["message_reference"] = map[string]any{"message_id": ref, "channel_id": channelID, "guild_id": guildID}
	m["referenced_message"] = map[string]any{"id": ref, "channel_id": channelID, "author": botUsr, "content": "", "type": 0}
	return m
}

// cmdEvent is an INTERACTION_CREATE for a slash command.
func cmdEvent(id, guild, channel string, from user, name string, opts ...map[string]any) map[string]any {
	if opts == nil {
		opts = []map[string]any{}
	}
	i := map[string]any{
		"id": id, "application_id": fakeAppID, "type": 2, "channel_id": channel,
		"token": "interaction-token-" + id + "-abcdefghijklmnop", "version": 1,
		"data": map[string]any{"id": "300", "name": name, "type": 1, "options": opts},
	}
	if guild != "" {
		i["guild_id"] = guild
		i["member"] = map[string]any{"user": from}
	} else {
		i["user"] = from
	}
	return i
}

func questionOpt(q string) map[string]any {
	return map[string]any{"name": "question", "type": 3, "value": q}
}
