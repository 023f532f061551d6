package bot

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Term is one analysed word of a text: its stem, and where the word stands.
type Term struct {
	Stem  string
	Start int // byte offset of the word in the analysed text
	End   int
}

// Terms splits s into lower-cased, stemmed words, dropping stop words. The
// keyword index and the sentence scorer share it, so a question and an
// article are always analysed the same way.
func Terms(s string) []Term {
	var out []Term
	forEachWord(s, func(w string, start, end int) {
		lw := strings.ToLower(w)
		if stopWords[lw] {
			return
		}
		out = append(out, Term{Stem: stem(lw), Start: start, End: end})
	})
	return out
}

// Stems returns just the stems of Terms(s).
func Stems(s string) []string {
	ts := Terms(s)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Stem
	}
	return out
}

// forEachWord calls fn for each run of letters and digits in s. Apostrophes
// inside a word ("Italy's", "don't") end it, so possessives match the bare
// name; a decimal point or comma between digits ("1.13", "2,225") joins.
func forEachWord(s string, fn func(w string, start, end int)) {
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

var stemCache sync.Map // string → string; the vocabulary of news is small enough

func stem(w string) string {
	if v, ok := stemCache.Load(w); ok {
		return v.(string)
	}
	s := w
	if len(w) > 2 && !isDigitByte(w[0]) {
		s = english.Stem(w, false)
	}
	stemCache.Store(w, s)
	return s
}

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
