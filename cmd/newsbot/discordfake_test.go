package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeDiscord is a loopback Discord for the tests that run serve (the
// soak, the follows), after adapters/discord's fake (which lives in that
// package's tests): the REST routes newsbot uses and a gateway that, like
// Discord's, replays the events a resumed session missed. It records the
// messages the bot posts; with faultEvery set, every faultEvery-th message
// POST gets a 429 or a 502 instead.
type fakeDiscord struct {
	srv        *httptest.Server
	faultEvery int               // 0: no faults
	posted     func(discordPost) // told of every message posted, if set

	mu         sync.Mutex
	conn       *gwConn // the identified (or resumed) connection
	seq        int64
	events     []map[string]any // every dispatch, for replay
	posts      int
	msgs       map[string][]string // channel → the messages posted in it
	gone       map[string]int      // channel → the error code its posts get
	tokens     map[string]string   // interaction token → its channel
	injected   map[string]int
	unknown    map[string]int
	conns      int
	identifies int
	resumes    int
	nextID     int
}

// discordPost is a message the bot posted: in a channel, or as an
// interaction's response (then in the interaction's channel).
type discordPost struct {
	channel, content string
	ref              string // the message it replies to, if any
}

const (
	discordToken     = "FAKE.bot-token.FOR-TESTS-0123456789abcdef"
	discordBotID     = "100000000000000001"
	discordAppID     = "200000000000000002"
	discordGuildID   = "500000000000000001"
	discordChannelID = "600000000000000001"
)

// newFakeDiscord starts a fake Discord: every faultEvery-th message POST
// fails (never, if 0), and posted, if not nil, is told of every message.
func newFakeDiscord(faultEvery int, posted func(discordPost)) *fakeDiscord {
	f := &fakeDiscord{faultEvery: faultEvery, posted: posted, msgs: map[string][]string{},
		gone: map[string]int{}, tokens: map[string]string{}, injected: map[string]int{}, unknown: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.rest)
	mux.HandleFunc("/gateway/", f.gateway)
	f.srv = httptest.NewServer(mux)
	return f
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

var discordAPIPrefix = regexp.MustCompile(`^/api/v[0-9]+`)

func (f *fakeDiscord) rest(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := discordAPIPrefix.ReplaceAllString(r.URL.Path, "")
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if v != nil {
			json.NewEncoder(w).Encode(v)
		}
	}
	seg := strings.Split(strings.Trim(path, "/"), "/")
	authed := seg[0] == "interactions" || seg[0] == "webhooks" // the token is in the path
	if !authed && r.Header.Get("Authorization") != "Bot "+discordToken {
		reply(http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		return
	}
	switch {
	case r.Method == http.MethodGet && (path == "/gateway" || path == "/gateway/bot"):
		reply(http.StatusOK, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway/", "shards": 1})
	case r.Method == http.MethodPut && seg[0] == "applications" && seg[len(seg)-1] == "commands":
		var cmds []map[string]any
		json.Unmarshal(body, &cmds)
		for i, c := range cmds {
			c["id"], c["application_id"] = strconv.Itoa(300+i), seg[1]
		}
		reply(http.StatusOK, cmds)
	case r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "channels" && seg[2] == "typing":
		reply(http.StatusNoContent, nil)
	case r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "channels" && seg[2] == "messages":
		f.mu.Lock()
		f.posts++
		fault := ""
		if code := f.gone[seg[1]]; code != 0 {
			fault = strconv.Itoa(code)
		} else if f.faultEvery > 0 && f.posts%f.faultEvery == 0 {
			fault = []string{"429", "502"}[f.posts/f.faultEvery%2]
			f.injected[fault]++
			f.injected["total"]++
		}
		f.mu.Unlock()
		switch fault {
		case "":
		case "429":
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-RateLimit-Limit", "5")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", "0.05")
			w.Header().Set("X-RateLimit-Bucket", "fake")
			reply(http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": 0.05, "global": false})
			return
		case "502":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
			return
		case "10003":
			reply(http.StatusNotFound, map[string]any{"message": "Unknown Channel", "code": 10003})
			return
		default:
			reply(http.StatusForbidden, map[string]any{"message": "Missing Access", "code": 50001})
			return
		}
		var m struct {
			Content   string `json:"content"`
			Reference *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		json.Unmarshal(body, &m)
		p := discordPost{channel: seg[1], content: m.Content}
		if m.Reference != nil {
			p.ref = m.Reference.MessageID
		}
		reply(http.StatusOK, f.post(p))
	case r.Method == http.MethodPost && len(seg) == 4 && seg[0] == "interactions" && seg[3] == "callback":
		var cb struct {
			Type int `json:"type"`
			Data struct {
				Content string `json:"content"`
			} `json:"data"`
		}
		json.Unmarshal(body, &cb)
		if cb.Type == 4 { // a message now; 5 (deferred) is edited later
			f.post(discordPost{channel: f.channelOf(seg[2]), content: cb.Data.Content})
		}
		reply(http.StatusNoContent, nil)
	case (r.Method == http.MethodPatch && len(seg) == 5 && seg[0] == "webhooks" && seg[4] == "@original") ||
		(r.Method == http.MethodPost && len(seg) == 3 && seg[0] == "webhooks"):
		var m struct {
			Content string `json:"content"`
		}
		json.Unmarshal(body, &m)
		reply(http.StatusOK, f.post(discordPost{channel: f.channelOf(seg[2]), content: m.Content}))
	default:
		f.mu.Lock()
		f.unknown[r.Method+" "+path]++
		f.mu.Unlock()
		reply(http.StatusNotFound, map[string]any{"message": "Unknown route " + r.Method + " " + path})
	}
}

var discordUpgrader = websocket.Upgrader{}

// gateway serves one websocket connection: Hello, heartbeat ACKs,
// Identify (Ready) and Resume (the missed events, then Resumed).
func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := discordUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	f.mu.Lock()
	f.conns++
	f.mu.Unlock()
	defer func() {
		ws.Close()
		f.mu.Lock()
		if f.conn == c {
			f.conn = nil
		}
		f.mu.Unlock()
	}()
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
			c.send(map[string]any{"op": 11})
		case 2:
			var id struct {
				Token string `json:"token"`
			}
			json.Unmarshal(p.D, &id)
			if id.Token != "Bot "+discordToken {
				ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
				return
			}
			f.mu.Lock()
			f.seq++
			c.send(map[string]any{"op": 0, "s": f.seq, "t": "READY", "d": map[string]any{
				"v": 9, "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway/",
				"user":        map[string]any{"id": discordBotID, "username": "newsbot", "bot": true},
				"application": map[string]any{"id": discordAppID, "flags": 0},
				"guilds":      []any{},
			}})
			f.identifies++
			f.conn = c
			f.mu.Unlock()
		case 6:
			var res struct {
				Seq int64 `json:"seq"`
			}
			json.Unmarshal(p.D, &res)
			// Under f.mu no dispatch slips between the replay and the
			// connection taking over.
			f.mu.Lock()
			for _, e := range f.events {
				if e["s"].(int64) > res.Seq {
					c.send(e)
				}
			}
			f.seq++
			c.send(map[string]any{"op": 0, "s": f.seq, "t": "RESUMED", "d": map[string]any{}})
			f.resumes++
			f.conn = c
			f.mu.Unlock()
		}
	}
}

// dispatch logs an event and sends it to the connected bot, if any; a
// bot that is not connected gets it when it resumes.
func (f *fakeDiscord) dispatch(typ string, d any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	e := map[string]any{"op": 0, "s": f.seq, "t": typ, "d": d}
	f.events = append(f.events, e)
	if f.conn != nil {
		f.conn.send(e)
	}
}

// drop closes the gateway connection abruptly, as a network failure would.
func (f *fakeDiscord) drop() {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.mu.Unlock()
	if c != nil {
		c.ws.NetConn().Close()
	}
}

// post records p as a message the bot posted and returns the message.
func (f *fakeDiscord) post(p discordPost) map[string]any {
	f.mu.Lock()
	f.nextID++
	id := fmt.Sprintf("9%017d", f.nextID)
	f.msgs[p.channel] = append(f.msgs[p.channel], p.content)
	f.mu.Unlock()
	if f.posted != nil {
		f.posted(p)
	}
	return map[string]any{"id": id, "channel_id": p.channel, "content": p.content, "type": 0,
		"author": map[string]any{"id": discordBotID, "username": "newsbot", "bot": true}}
}

// channelOf is the channel of the interaction whose token is token.
func (f *fakeDiscord) channelOf(token string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[token]
}

// in returns the messages posted in channel so far.
func (f *fakeDiscord) in(channel string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.msgs[channel])
}

// waitIn waits until n messages have been posted in channel and returns
// them.
func (f *fakeDiscord) waitIn(t *testing.T, channel string, n int) []string {
	t.Helper()
	var got []string
	waitUntil(t, func() bool { got = f.in(channel); return len(got) >= n })
	return got
}

// goneChannel makes every post to channel fail with Discord's error code
// (10003 unknown channel; anything else, 50001 missing access).
func (f *fakeDiscord) goneChannel(channel string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gone[channel] = code
}

// mention dispatches a message in a guild channel that mentions the bot,
// from user: "<@bot> text".
func (f *fakeDiscord) mention(id, channel, user, text string) {
	f.dispatch("MESSAGE_CREATE", map[string]any{"id": id, "channel_id": channel, "guild_id": discordGuildID,
		"author": map[string]any{"id": user, "username": "user" + user}, "type": 0,
		"timestamp": time.Now().UTC().Format(time.RFC3339), "content": "<@" + discordBotID + "> " + text,
		"mentions": []any{map[string]any{"id": discordBotID, "username": "newsbot", "bot": true}}})
}

// command dispatches a slash command in a guild channel, from user, with
// string options (name, value, name, value, …).
func (f *fakeDiscord) command(id, channel, user, name string, opts ...string) {
	token := "interaction-token-" + id + "-abcdefghijklmnop"
	f.mu.Lock()
	f.tokens[token] = channel
	f.mu.Unlock()
	var options []map[string]any
	for i := 0; i+1 < len(opts); i += 2 {
		options = append(options, map[string]any{"name": opts[i], "type": 3, "value": opts[i+1]})
	}
	f.dispatch("INTERACTION_CREATE", map[string]any{"id": id, "application_id": discordAppID, "type": 2,
		"channel_id": channel, "guild_id": discordGuildID, "token": token, "version": 1,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "user" + user}},
		"data":   map[string]any{"id": "300", "name": name, "type": 1, "options": options}})
}

func (f *fakeDiscord) counts() (injected map[string]int, conns, identifies, resumes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.injected), f.conns, f.identifies, f.resumes
}

func (f *fakeDiscord) unknownRoutes() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.unknown)
}
