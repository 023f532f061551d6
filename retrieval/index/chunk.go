package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
	"newsbot/bot/text"
)

// MaxChunkWords is the default most words a chunk holds. The embedded model
// reads 128 tokens, roughly 100 English words; the title is prepended to
// what is embedded, so chunks stay well under that.
const MaxChunkWords = 80

// Chunk is a run of whole sentences of an article.
type Chunk struct {
	Span      bot.Span
	Sentences []bot.Span
}

// ChunkText splits body into chunks of consecutive sentences holding at most
// maxWords words each. A sentence longer than maxWords is cut at word
// boundaries into pieces that count as sentences of their own, so every
// chunk fits the model and every quote stays within a chunk.
func ChunkText(body string, maxWords int) []Chunk {
	if maxWords <= 0 {
		maxWords = MaxChunkWords
	}
	var chunks []Chunk
	var cur Chunk
	words := 0
	flush := func() {
		if len(cur.Sentences) > 0 {
			cur.Span = bot.Span{Start: cur.Sentences[0].Start, End: cur.Sentences[len(cur.Sentences)-1].End}
			chunks = append(chunks, cur)
		}
		cur, words = Chunk{}, 0
	}
	for _, s := range text.Sentences(body) {
		for _, piece := range splitLong(body, s, maxWords) {
			n := countWords(body[piece.Start:piece.End])
			if words > 0 && words+n > maxWords {
				flush()
			}
			cur.Sentences = append(cur.Sentences, piece)
			words += n
		}
	}
	flush()
	return chunks
}

// splitLong cuts a sentence of more than maxWords words into pieces of at
// most maxWords words at white space.
func splitLong(body string, s bot.Span, maxWords int) []bot.Span {
	if countWords(body[s.Start:s.End]) <= maxWords {
		return []bot.Span{s}
	}
	var out []bot.Span
	start, words, inWord := s.Start, 0, false
	for i := s.Start; i < s.End; {
		r, n := utf8.DecodeRuneInString(body[i:])
		space := unicode.IsSpace(r)
		if !space && !inWord {
			if words == maxWords {
				out = append(out, bot.Span{Start: start, End: start + len(strings.TrimRightFunc(body[start:i], unicode.IsSpace))})
				start, words = i, 0
			}
			words++
		}
		inWord = !space
		i += n
	}
	return append(out, bot.Span{Start: start, End: s.End})
}

func countWords(s string) int { return len(strings.Fields(s)) }
