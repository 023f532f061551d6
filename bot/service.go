package bot

import (
	"context"
	"time"
)

// Asker answers questions. *Bot implements it; the chat adapters depend on
// this interface only.
type Asker interface {
	// Ask answers one question. A question the news does not cover is not an
	// error: it yields an Answer with Answered == false.
	Ask(ctx context.Context, q Question) (Answer, error)
	// Info describes what the bot knows, for /help and /start.
	Info(ctx context.Context) (Info, error)
}

// Info describes the ingested news.
type Info struct {
	Articles int       `json:"articles"`
	Chunks   int       `json:"chunks"`
	Newest   time.Time `json:"newest,omitzero"`
	Oldest   time.Time `json:"oldest,omitzero"`
	Embedder string    `json:"embedder"`
}

// Query is what the Bot asks a Retriever for.
type Query struct {
	// Text is the text to search for.
	Text string
	// K is the number of passages wanted.
	K int
	// Since, when not zero, keeps only articles published at or after it.
	Since time.Time
	// Recency, when > 0, adds up to that much to the fused score of newer
	// articles, for "latest" questions.
	Recency float64
	// Articles, when not empty, restricts the search to the articles with
	// these ids: a follow is matched against one new article at a time.
	// Such queries are standing ones, asked again for every new article,
	// so a Retriever may cache what it computes from Text.
	Articles []string
}

// Retriever finds the passages that best match a query, best first.
type Retriever interface {
	Search(ctx context.Context, q Query) ([]Passage, error)
	// Info describes the store behind the retriever.
	Info(ctx context.Context) (Info, error)
}

// TermWeigher is implemented by Retrievers that know how rare a word is in
// the ingested news; the Bot then weighs question words by it when it picks
// sentences. Stems are those of Terms. IDF returns 0 for a stem no stored
// text has: such a word is neutral.
type TermWeigher interface {
	IDF(stem string) float64
}

// TermSpeller is implemented by Retrievers that can tell a misspelt name
// from an unknown one. Respell returns the stored stem that stem most
// likely misspells, or "" when none is close: the bot then matches the
// question's "Sheeshanks" to the article's "Sheepshanks", and treats a
// name with no such neighbour as one the news never mentions.
type TermSpeller interface {
	Respell(stem string) string
}

// Reader is a trained model that reads a question and candidate sentences
// and returns, per sentence, the log-odds that it answers the question.
// The answer model of bot/answer takes its output as features (reader,
// gap_reader, unread); retrieval/reader is the shipped implementation.
type Reader interface {
	Logits(ctx context.Context, question string, sentences []string) ([]float32, error)
}

// Writer writes a short answer from numbered sources, citing them as [n]
// (1-based, in the order given). An empty string with a nil error means the
// sources do not answer the question. The Bot verifies what it writes before
// showing it and falls back to the quotes alone when anything fails.
type Writer interface {
	Write(ctx context.Context, question string, sources []Quote) (string, error)
}
