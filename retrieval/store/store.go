// Package store defines the store of record: where newsbot's data lives
// between processes. Each engine is a package of its own implementing DB
// (store/sqlite, the embedded default; store/postgres, for scale-out).
//
// The in-memory indexes (chromem-go for dense search, BM25 for keywords)
// in package retrieval/index are caches of a DB: they are loaded from it at
// start and follow its change sequence, so every process sharing a DB sees
// the same articles within seconds.
package store

import (
	"context"
	"errors"
	"time"

	"newsbot/bot"
)

// Record is one article as stored, with everything needed to index it
// without embedding again.
type Record struct {
	// Article holds all metadata and the exact text quotes are cut from.
	Article bot.Article
	// Hash fingerprints every field of Article (see retrieval's
	// hashArticle); an unchanged article is not stored again.
	Hash string
	// TextHash is the hex SHA-256 of Article.Text (normalised at ingest),
	// for finding exact copies stored under another id: it is unique
	// among stored articles.
	TextHash string
	// Embedder names the model that made the vectors (e.g. "use-lite-en").
	Embedder string
	// Chunks are the article's chunks in text order.
	Chunks []Chunk
}

// Chunk is one chunk of an article with its vector.
type Chunk struct {
	// Span is the chunk's byte range in the article's text.
	Span bot.Span
	// Sentences are the byte ranges of its sentences, within Span.
	Sentences []bot.Span
	// Vector is the chunk's L2-normalised embedding, stored as compact
	// little-endian float32.
	Vector []float32
}

// Change is one entry of a DB's change sequence.
type Change struct {
	// Seq is the change's position; sequences only grow.
	Seq int64
	// ID is the article that was put or deleted.
	ID string
	// Deleted is true when the article was removed; otherwise it was
	// added or replaced and Get returns its current version.
	Deleted bool
}

// ErrNotFound is returned by Get for an id that is not stored.
var ErrNotFound = errors.New("not found")

// ErrDuplicateText is returned (wrapped) by Put when another article, under
// another id, already holds the very same text. Every engine enforces it
// with a unique key on the text hash, so of two writers racing to store one
// text under two ids exactly one succeeds, however many processes write.
var ErrDuplicateText = errors.New("another article with the same text is stored")

// DB is a store of record. Implementations are safe for concurrent use by
// many goroutines and by many processes sharing the same database.
type DB interface {
	// Put stores r in one transaction, replacing any article with the same
	// id, whole or not at all. It returns the change's sequence number and
	// whether an older version was replaced. If an article with another id
	// holds the same TextHash, nothing is stored and the error wraps
	// ErrDuplicateText.
	Put(ctx context.Context, r Record) (seq int64, replaced bool, err error)
	// Delete removes the articles with the given ids (unknown ids are
	// ignored) with their chunks and vectors; it returns how many it
	// removed.
	Delete(ctx context.Context, ids ...string) (int, error)
	// Get returns the stored record with id, vectors included, or
	// ErrNotFound.
	Get(ctx context.Context, id string) (Record, error)
	// Scan calls fn for every stored record, in no particular order, and
	// returns the change sequence number the scan is consistent with: a
	// reader then follows Changes(since that number). An error from fn
	// stops the scan and is returned.
	Scan(ctx context.Context, fn func(Record) error) (seq int64, err error)
	// Changes returns the changes after seq, oldest first, at most limit of
	// them (limit <= 0: all). Compacted history is reported as
	// ErrHistoryGone: the caller must Scan again.
	Changes(ctx context.Context, since int64, limit int) ([]Change, error)
	// Watch returns a channel that receives a value (coalesced) whenever
	// the DB may have changed, by this process or another; it is closed
	// when ctx ends. Readers still poll Changes now and then: a missed
	// notification only delays them.
	Watch(ctx context.Context) <-chan struct{}

	// Value returns the value stored under (namespace, key), or nil and
	// ErrNotFound. Namespaces keep small state apart: "feed" (poller
	// state), "telegram" and "discord" (conversation memory).
	Value(ctx context.Context, namespace, key string) ([]byte, error)
	// SetValue stores value under (namespace, key); with ttl > 0 it
	// expires after ttl. A nil value deletes the key.
	SetValue(ctx context.Context, namespace, key string, value []byte, ttl time.Duration) error

	// Acquire takes or renews the named lease for holder until ttl from
	// now, and reports whether holder has it. A lease whose holder did not
	// renew it before it expired goes to the next caller.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives up holder's lease, if it holds it.
	Release(ctx context.Context, name, holder string) error

	// Info describes the database: engine, schema version, size.
	Info(ctx context.Context) (Info, error)
	// Close releases the database.
	Close() error

	// FollowStore keeps the chats' follows and their pushes (issue 22).
	// Beyond its doc comments, every engine keeps times to the
	// microsecond (what it is given is truncated to it), takes a zero
	// Push.Due as "at once" (its Created), ignores a new push's Sent and
	// its Chat and Query (the follow's are stored), adds nothing for a
	// follow that is gone (AddPush reports false: it raced an unfollow),
	// claims oldest Created first, treats limit <= 0 as no limit and
	// ignores unknown or already sent ids in MarkSent and Defer.
	// MarkSent never moves a follow's LastPush back, and keeps a push's
	// first Sent. Claims expire by the callers' clocks (the now passed to
	// ClaimPushes), so replicas' clocks must agree to well within a
	// claim's ttl.
	bot.FollowStore
}

// ErrHistoryGone is returned by Changes when the changes after the asked
// sequence number were compacted away.
var ErrHistoryGone = errors.New("change history compacted; scan again")

// Info describes a DB for "newsbot stats" and health checks.
type Info struct {
	// Engine is "sqlite" or "postgres".
	Engine string
	// Location is the file path or the URL with its password removed.
	Location string
	// SchemaVersion is the version of the schema migrations applied.
	SchemaVersion int
	// Bytes is the database's size on disk, when known.
	Bytes int64
	// Seq is the latest change sequence number.
	Seq int64
}
