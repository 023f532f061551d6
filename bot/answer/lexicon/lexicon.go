// Package lexicon gives the bot related word forms from WordNet 3.0:
// irregular inflections ("took" → "take") and derivationally related words
// ("invade" / "invasion"), as pairs of stems in the embedded table
// wordnet.tsv.gz; and which nouns name or denote people and places, in
// classes.tsv.gz. Both are built by gen.go from Debian's wordnet-base. The
// WordNet license is in LICENSE-WordNet beside the tables.
package lexicon

//go:generate go run gen.go -o wordnet.tsv.gz -classes classes.tsv.gz

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// Kind says how two stems are related.
type Kind byte

const (
	// Inflection links an irregular form to its base ("said" / "say").
	Inflection Kind = 'i'
	// Derivation links derivationally related words ("invade" / "invasion").
	Derivation Kind = 'd'
)

// Relation is one stem related to the stem looked up.
type Relation struct {
	Stem string
	Kind Kind
}

//go:embed wordnet.tsv.gz
var table []byte

var (
	once      sync.Once
	relations map[string][]Relation
)

// Related returns the stems related to stem (as text.Terms stems words), or
// nil. The table is read once, on first use (about 10k pairs).
func Related(stem string) []Relation {
	once.Do(load)
	return relations[stem]
}

func load() {
	relations = map[string][]Relation{}
	zr, err := gzip.NewReader(bytes.NewReader(table))
	if err != nil {
		panic("lexicon: embedded table: " + err.Error()) // a build defect, caught by the tests
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		a, rest, ok1 := strings.Cut(sc.Text(), "\t")
		b, k, ok2 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || len(k) != 1 {
			panic("lexicon: embedded table: bad line " + sc.Text())
		}
		relations[a] = append(relations[a], Relation{b, Kind(k[0])})
		relations[b] = append(relations[b], Relation{a, Kind(k[0])})
	}
	if err := sc.Err(); err != nil {
		panic("lexicon: embedded table: " + err.Error())
	}
}

// Noun classes from WordNet's lexicographer files.
const (
	Person       = 'p' // a common noun for a person ("sculptor", "chairman")
	PersonName   = 'P' // a person's name ("Einstein")
	Location     = 'l' // a common noun for a place ("city", "port")
	LocationName = 'L' // a place's name ("Cumbria", "Alaska")
)

//go:embed classes.tsv.gz
var classTable []byte

var (
	classOnce sync.Once
	classes   map[string]string
)

// Classes returns the noun classes of a lower-cased word (some of Person,
// PersonName, Location, LocationName), or "".
func Classes(word string) string {
	classOnce.Do(func() {
		classes = map[string]string{}
		zr, err := gzip.NewReader(bytes.NewReader(classTable))
		if err != nil {
			panic("lexicon: embedded classes: " + err.Error())
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			w, c, _ := strings.Cut(sc.Text(), "\t")
			classes[w] = c
		}
	})
	return classes[word]
}
