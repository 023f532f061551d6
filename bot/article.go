package bot

import (
	"time"

	"newsbot/bot/text"
)

// Article is one news article as stored. Text is the exact text that quotes
// are cut from: every Quote's offsets index into it.
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Source    string    `json:"source,omitempty"`
	URL       string    `json:"url,omitempty"`
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Text      string    `json:"text"`
}

// Span is a half-open byte range [Start, End) in an article's Text. It is
// text.Span, so that sentence spans from bot/text need no conversion.
type Span = text.Span

// Passage is one retrieved chunk of an article: the unit the Retriever ranks.
type Passage struct {
	// Article is the stored article the chunk belongs to, with its full text.
	Article *Article
	// Span is the chunk's byte range in Article.Text.
	Span Span
	// Sentences are the byte ranges of the chunk's sentences in Article.Text,
	// in order; they lie within Span.
	Sentences []Span
	// Score is the fused retrieval score in [0, 1]; higher is better.
	Score float64
	// Dense is the raw cosine similarity of the question and the chunk.
	Dense float64
	// Keyword is the chunk's raw BM25 score for the question (0 when the
	// chunk was found by the dense search alone).
	Keyword float64
}

// Text returns the chunk's text.
func (p Passage) Text() string { return p.Article.Text[p.Span.Start:p.Span.End] }
