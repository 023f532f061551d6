package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Memory is a small key-value store shared by every replica of newsbot,
// where the chat adapters keep conversation state (follow-up chains, the
// answers /sources lists), so that a reply handled by another replica
// still has its context. Implementations are safe for concurrent use.
type Memory interface {
	// Load returns the value stored under key, or nil and a nil error when
	// there is none (never stored, deleted or expired).
	Load(ctx context.Context, key string) ([]byte, error)
	// Save stores value under key; with ttl > 0 it expires after ttl. A
	// nil value deletes the key.
	Save(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// DefaultTurnTTL is how long a Turn saved to a shared Memory is kept:
// replies to week-old answers still continue their conversation.
const DefaultTurnTTL = 7 * 24 * time.Hour

// Turn is one answered question and the conversation it ended, as a chat
// adapter remembers it for follow-ups and /sources.
type Turn struct {
	// Chain holds the conversation's questions, oldest first, ending with
	// the one Answer answers.
	Chain []string
	// Answer is the answer sent, quotes included.
	Answer Answer
	// At is when the answer was sent.
	At time.Time
}

// turnVersion is the encoding's version; a value of another version is
// treated as absent rather than misread.
const turnVersion = 1

// turnWire is Turn's stored form. Quote hides Published from JSON (the
// ask --json output shows it otherwise), so quotes have a wire form too.
type turnWire struct {
	V        int         `json:"v"`
	Chain    []string    `json:"chain"`
	At       time.Time   `json:"at"`
	Question string      `json:"question"`
	Answered bool        `json:"answered"`
	Summary  string      `json:"summary,omitempty"`
	Evidence float64     `json:"evidence"`
	Quotes   []quoteWire `json:"quotes,omitempty"`
}

type quoteWire struct {
	Quote
	Published time.Time `json:"published,omitzero"`
}

// SaveTurn stores t under every key in keys (e.g. one per message the
// answer was sent as, and the chat's "last"), each expiring after ttl
// (DefaultTurnTTL when ttl <= 0: conversations are never kept forever).
// It returns the first error, after trying every key.
func SaveTurn(ctx context.Context, m Memory, t Turn, ttl time.Duration, keys ...string) error {
	if ttl <= 0 {
		ttl = DefaultTurnTTL
	}
	w := turnWire{V: turnVersion, Chain: t.Chain, At: t.At, Question: t.Answer.Question,
		Answered: t.Answer.Answered, Summary: t.Answer.Summary, Evidence: t.Answer.Evidence}
	for _, q := range t.Answer.Quotes {
		w.Quotes = append(w.Quotes, quoteWire{Quote: q, Published: q.Published})
	}
	b, err := json.Marshal(w)
	if err != nil {
		return fmt.Errorf("encode conversation turn: %w", err)
	}
	var first error
	for _, k := range keys {
		if err := m.Save(ctx, k, b, ttl); err != nil && first == nil {
			first = fmt.Errorf("save conversation turn %s: %w", k, err)
		}
	}
	return first
}

// LoadTurn returns the Turn stored under key; ok is false when there is
// none, or when what is stored is not a Turn this version can read.
func LoadTurn(ctx context.Context, m Memory, key string) (t Turn, ok bool, err error) {
	b, err := m.Load(ctx, key)
	if err != nil {
		return Turn{}, false, fmt.Errorf("load conversation turn %s: %w", key, err)
	}
	if b == nil {
		return Turn{}, false, nil
	}
	var w turnWire
	if err := json.Unmarshal(b, &w); err != nil || w.V != turnVersion {
		return Turn{}, false, nil
	}
	t = Turn{Chain: w.Chain, At: w.At, Answer: Answer{Question: w.Question, Answered: w.Answered,
		Summary: w.Summary, Evidence: w.Evidence}}
	for _, q := range w.Quotes {
		q.Quote.Published = q.Published
		t.Answer.Quotes = append(t.Answer.Quotes, q.Quote)
	}
	return t, true, nil
}
