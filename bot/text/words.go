package text

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Term is one word of a text that is not a stop word: its stem, and where
// the word stands.
type Term struct {
	Stem  string
	Start int // byte offset of the word in the text
	End   int
}

// Terms splits s into lower-cased, stemmed words (see Words and Stem),
// dropping stop words. The keyword index and the sentence scorer share it,
// so a question and an article are always analysed the same way.
func Terms(s string) []Term {
	var out []Term
	analyseText(s, func(stem string, start, end int) {
		out = append(out, Term{Stem: stem, Start: start, End: end})
	})
	return out
}

// Stems returns just the stems of Terms(s).
func Stems(s string) []string {
	// About one word in eight bytes of news text survives the stop list.
	out := make([]string, 0, len(s)/8+1)
	analyseText(s, func(stem string, _, _ int) {
		out = append(out, stem)
	})
	return out
}

// Words calls fn for each word of s, with its byte range: each run of
// letters and digits. Apostrophes inside a word ("Italy's", "don't") end
// it, so possessives match the bare name; a decimal point or comma between
// digits ("1.13", "2,225") joins.
func Words(s string, fn func(w string, start, end int)) {
	start := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !word && start >= 0 && (r == '.' || r == ',') && i > 0 && isDigitByte(s[i-1]) && i+1 < len(s) && isDigitByte(s[i+1]) {
			word = true
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			fn(s[start:i], start, i)
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fn(s[start:], start, len(s))
	}
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// wordAnalysis is what analyseWord finds for one word as written.
type wordAnalysis struct {
	stem string
	stop bool
}

// wordCache holds analyseWord's result by the word as written, so that the
// common case (loading a store analyses every chunk again) is one map
// lookup: no lower-casing, no stop-list lookup, no stemming, and every
// chunk shares the same stem strings. The vocabulary of news is small;
// maxWords bounds what junk text can add.
var (
	wordsMu   sync.RWMutex
	wordCache = map[string]wordAnalysis{}
)

const maxWords = 1 << 20

// analyseText calls fn with the stem and byte range of each word of s that
// is not a stop word, in order. It takes the cache's read lock once for the
// whole text, since workers loading a store call it together, and adds the
// words it had not seen afterwards under the write lock.
func analyseText(s string, fn func(stem string, start, end int)) {
	type fresh struct {
		word string
		a    wordAnalysis
	}
	var missed []fresh
	wordsMu.RLock()
	Words(s, func(w string, start, end int) {
		a, ok := wordCache[w]
		if !ok {
			a = analyseWord(w)
			missed = append(missed, fresh{w, a})
		}
		if !a.stop {
			fn(a.stem, start, end)
		}
	})
	wordsMu.RUnlock()
	if len(missed) == 0 {
		return
	}
	wordsMu.Lock()
	for _, m := range missed {
		if len(wordCache) < maxWords {
			// A clone, so that the key does not keep the whole text it came from.
			wordCache[strings.Clone(m.word)] = m.a
		}
	}
	wordsMu.Unlock()
}

// analyseWord lower-cases w, and stems it unless it is a stop word.
func analyseWord(w string) wordAnalysis {
	lw := strings.ToLower(w)
	a := wordAnalysis{stop: stopWords[lw]}
	if !a.stop {
		a.stem = Stem(lw)
	}
	return a
}

// Stem returns the Snowball English stem of the lower-case word w; numbers
// and words of one or two letters are their own stems.
func Stem(w string) string {
	if len(w) > 2 && !isDigitByte(w[0]) {
		return strings.Clone(english.Stem(w, false))
	}
	return strings.Clone(w)
}

// IsStopWord reports whether the lower-case word w is one that Terms drops.
func IsStopWord(w string) bool { return stopWords[w] }

// stopWords are dropped from both questions and articles: they carry no
// evidence, and question words ("who", "when") are read separately for the
// answer type.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but if of at by for with about against between into through
	during before after above below to from up down in out on off over under again further then once here there
	when where why how all any both each few more most other some such no nor not only own same so than too very
	s t can will just don should now is are was were be been being have has had having do does did doing i me my
	myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its
	itself they them their theirs themselves what which who whom whose this that these those am would could shall
	may might must also as said says tell told know did does many much`) {
		m[w] = true
	}
	return m
}()
