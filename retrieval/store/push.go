package store

import (
	"encoding/json"
	"fmt"
	"time"

	"newsbot/bot"
)

// Now is the current time as every engine keeps the times of follows and
// pushes: to the microsecond (PostgreSQL's resolution), in UTC.
func Now() time.Time { return time.Now().Truncate(time.Microsecond).UTC() }

// NewPush is p as an engine's AddPush records it at now (from Now): Created
// now, unsent, a zero Due made now, Due kept to the microsecond; with p's
// quote encoded by EncodeQuote. The engine sets ID, and Chat and Query from
// the follow.
func NewPush(p bot.Push, now time.Time) (bot.Push, []byte, error) {
	quote, err := EncodeQuote(p.Quote)
	if err != nil {
		return p, nil, fmt.Errorf("add push for follow %d: %w", p.FollowID, err)
	}
	p.Created, p.Sent = now, time.Time{}
	if p.Due.IsZero() {
		p.Due = now
	}
	p.Due = p.Due.Truncate(time.Microsecond).UTC()
	return p, quote, nil
}

// storedQuote is how a bot.Quote is kept in a push's quote column: JSON
// with every field, Published in RFC 3339 with its offset ("" when
// unknown), since bot.Quote leaves Published out of its own JSON.
type storedQuote struct {
	Text       string  `json:"text"`
	ArticleID  string  `json:"article_id"`
	Title      string  `json:"title"`
	URL        string  `json:"url"`
	Source     string  `json:"source"`
	Published  string  `json:"published"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Score      float64 `json:"score"`
	Confidence float64 `json:"confidence"`
}

// EncodeQuote encodes q for an engine's quote column, so that every
// engine stores a quote alike. Strings must be valid UTF-8 to come back
// byte for byte (JSON replaces invalid bytes); floats come back bit for
// bit, NaN and infinities are refused.
func EncodeQuote(q bot.Quote) ([]byte, error) {
	sq := storedQuote{Text: q.Text, ArticleID: q.ArticleID, Title: q.Title, URL: q.URL, Source: q.Source,
		Start: q.Start, End: q.End, Score: q.Score, Confidence: q.Confidence}
	if !q.Published.IsZero() {
		sq.Published = q.Published.Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(sq)
	if err != nil {
		return nil, fmt.Errorf("encode quote of %q: %w", q.ArticleID, err)
	}
	return b, nil
}

// DecodeQuote reverses EncodeQuote.
func DecodeQuote(b []byte) (bot.Quote, error) {
	var sq storedQuote
	if err := json.Unmarshal(b, &sq); err != nil {
		return bot.Quote{}, fmt.Errorf("decode quote: %w", err)
	}
	q := bot.Quote{Text: sq.Text, ArticleID: sq.ArticleID, Title: sq.Title, URL: sq.URL, Source: sq.Source,
		Start: sq.Start, End: sq.End, Score: sq.Score, Confidence: sq.Confidence}
	if sq.Published != "" {
		t, err := time.Parse(time.RFC3339Nano, sq.Published)
		if err != nil {
			return bot.Quote{}, fmt.Errorf("decode quote of %q: published: %w", sq.ArticleID, err)
		}
		q.Published = t
	}
	return q, nil
}
