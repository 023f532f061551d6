package use

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// space is SentencePiece's word-boundary marker, U+2581.
const space = '\u2581'

// reservedPieces is how many leading vocabulary entries (unknown, <s>, </s>
// and three spares) the runtime keeps out of the lattice.
const reservedPieces = 6

// unknownID is the id of the unknown piece; runs of unknown characters
// collapse into one.
const unknownID = 0

// tokenizer is a port of the TF.js Universal Sentence Encoder tokenizer:
// NFKC, spaces to ▁ with a leading ▁, then a Viterbi search over the
// unigram scores of all vocabulary pieces found by a trie. It reproduces
// the runtime's quirks on purpose, since the model was fed its ids: ties
// go to the later candidate, a best score of exactly 0 counts as unset,
// and the backward pass steps by each piece's UTF-16 length.
type tokenizer struct {
	// children maps a trie edge (node<<21 | rune) to the child node.
	children map[uint64]int32
	// pieceOf is the vocabulary id ending at each trie node, or -1.
	pieceOf []int32
	// score is each piece's log probability (a JSON null counts as 0, as
	// it does in JavaScript arithmetic).
	score []float64
	// width is each piece's length in UTF-16 code units.
	width []int
}

// newTokenizer builds the trie from vocab.json: an array of [piece, score]
// pairs whose index is the token id.
func newTokenizer(vocabJSON []byte) (*tokenizer, error) {
	var raw [][2]json.RawMessage
	if err := json.Unmarshal(vocabJSON, &raw); err != nil {
		return nil, fmt.Errorf("parse vocabulary: %w", err)
	}
	if len(raw) <= reservedPieces {
		return nil, fmt.Errorf("parse vocabulary: only %d pieces", len(raw))
	}
	t := &tokenizer{
		children: make(map[uint64]int32, 4*len(raw)),
		pieceOf:  []int32{-1},
		score:    make([]float64, len(raw)),
		width:    make([]int, len(raw)),
	}
	for id, pair := range raw {
		var piece string
		var score *float64
		if err := json.Unmarshal(pair[0], &piece); err != nil {
			return nil, fmt.Errorf("parse vocabulary piece %d: %w", id, err)
		}
		if err := json.Unmarshal(pair[1], &score); err != nil {
			return nil, fmt.Errorf("parse vocabulary score %d: %w", id, err)
		}
		if score != nil {
			t.score[id] = *score
		}
		t.width[id] = len(utf16.Encode([]rune(piece)))
		if id >= reservedPieces {
			t.insert(piece, int32(id))
		}
	}
	return t, nil
}

func (t *tokenizer) insert(piece string, id int32) {
	node := int32(0)
	for _, r := range piece {
		key := uint64(node)<<21 | uint64(r)
		child, ok := t.children[key]
		if !ok {
			child = int32(len(t.pieceOf))
			t.pieceOf = append(t.pieceOf, -1)
			t.children[key] = child
		}
		node = child
	}
	// A later duplicate overwrites, as in the runtime's trie.
	t.pieceOf[node] = id
}

// normalize is the runtime's processInput: NFKC, and unless the result is
// empty, a leading ▁ with every ASCII space turned into ▁.
func normalize(text string) []rune {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = norm.NFKC.String(text)
	if text == "" {
		return nil
	}
	runes := make([]rune, 0, len(text)+1)
	runes = append(runes, space)
	for _, r := range text {
		if r == ' ' {
			r = space
		}
		runes = append(runes, r)
	}
	return runes
}

// encode returns the token ids of text.
func (t *tokenizer) encode(text string) []int {
	symbols := normalize(text)
	n := len(symbols)
	if n == 0 {
		return nil
	}
	best := make([]float64, n+1)
	words := make([]int32, n+1)
	// The runtime relaxes lattice edges by end position, then start position
	// ascending. Pushing edges forward by ascending start visits the edges
	// into each end in that same order, and best[start] is final by then.
	for start := 0; start < n; start++ {
		node := int32(0)
		matched := false
		for end := start; end < n; end++ {
			child, ok := t.children[uint64(node)<<21|uint64(symbols[end])]
			if !ok {
				break
			}
			node = child
			if id := t.pieceOf[node]; id >= 0 {
				matched = true
				t.relax(best, words, start, end+1, t.score[id], id)
			}
		}
		if !matched {
			t.relax(best, words, start, start+1, 0, unknownID)
		}
	}
	// Backward pass, stepping by UTF-16 width like the runtime.
	var rev []int
	for i := n; i > 0; i -= t.width[words[i]] {
		rev = append(rev, int(words[i]))
	}
	ids := make([]int, 0, len(rev))
	prevUnknown := false
	for _, id := range rev {
		if !(prevUnknown && id == unknownID) {
			ids = append(ids, id)
		}
		prevUnknown = id == unknownID
	}
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	return ids
}

func (t *tokenizer) relax(best []float64, words []int32, start, end int, score float64, id int32) {
	s := score + best[start]
	if best[end] == 0 || s >= best[end] {
		best[end] = s
		words[end] = id
	}
}
