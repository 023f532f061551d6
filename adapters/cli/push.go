package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
)

// Platform is the bot.Chat platform of the command line; its chat ID is
// "".
const Platform = "cli"

// RenderPush renders a follow's pushes for the terminal in style s, as the
// chats show them: "New on your follow “query”:" (or, for several, "N new
// quotes on your follow “query”:"), then the quotes with their citations
// and links, as RenderStyle renders an answer's.
func RenderPush(f bot.Follow, ps []bot.Push, s Style) string {
	if len(ps) == 0 {
		return ""
	}
	r := convo.Push(f, ps)
	return strings.Join(wrap(plainText(r.Text), s.Width), "\n") + "\n" + RenderStyle(*r.Answer, s)
}

// JSONPush is the --json form of one push, one per line (JSON Lines), so
// that a program can follow the stream as it comes.
type JSONPush struct {
	FollowID int64  `json:"follow_id"`
	Query    string `json:"query"`
	// Story identifies the story: a follow gets one push per story.
	Story string `json:"story"`
	// Created is when the push was recorded, RFC 3339.
	Created string `json:"created"`
	// Digest is true when the push came in a digest.
	Digest bool `json:"digest"`
	// Message is the push as the terminal shows it (RenderPush).
	Message string    `json:"message"`
	Quote   JSONQuote `json:"quote"`
}

// MarshalPushes returns the JSON Lines of a follow's pushes: one object a
// line, each with a newline.
func MarshalPushes(f bot.Follow, ps []bot.Push) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, p := range ps {
		q := f.Query
		if q == "" {
			q = p.Query
		}
		_ = enc.Encode(JSONPush{ // cannot fail: strings, booleans and finite numbers only
			FollowID: p.FollowID, Query: q, Story: p.Story, Created: rfc3339(p.Created), Digest: p.Digest,
			Message: RenderPush(f, []bot.Push{p}, Style{}), Quote: toJSONQuote(p.Quote),
		})
	}
	return b.Bytes()
}

// Pusher is a bot.Pusher that prints pushes: for `newsbot follow`, which
// shows new quotes on a story as they are stored. It is safe for
// concurrent use; pushes are printed whole, one after another.
type Pusher struct {
	mu    sync.Mutex
	w     io.Writer
	json  bool
	style Style
}

// NewPusher returns a Pusher printing to w: as text in w's TerminalStyle,
// separated by blank lines, or with asJSON as JSON Lines (MarshalPushes).
func NewPusher(w io.Writer, asJSON bool) *Pusher {
	return &Pusher{w: w, json: asJSON, style: TerminalStyle(w)}
}

// Push implements bot.Pusher.
func (p *Pusher) Push(_ context.Context, f bot.Follow, ps []bot.Push) error {
	if len(ps) == 0 {
		return nil
	}
	out := MarshalPushes(f, ps)
	if !p.json {
		out = []byte(RenderPush(f, ps, p.style) + "\n\n")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.w.Write(out); err != nil {
		return fmt.Errorf("cli: print push for follow %d: %w", f.ID, err)
	}
	return nil
}

var _ bot.Pusher = (*Pusher)(nil)
