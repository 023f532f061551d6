package index

import (
	"math/rand/v2"
	"testing"

	"newsbot/bot/text"
)

func TestRespell(t *testing.T) {
	x := newKeywordIndex()
	for i, s := range []string{
		"In 1857 John Sheepshanks donated 233 paintings to the museum.",
		"The ARPANET was an early packet network.",
		"Sheepshanks gave drawings as well.",
		"Mason and Masson met in Paris.",
		"Osama was named, and the macro outlook, and Schwarzenegger.",
	} {
		x.add(int32(i), countTerms(text.Stems(s)))
	}
	st := func(w string) string { return text.Stems(w)[0] }
	tests := []struct{ word, want string }{
		{"Sheeshanks", st("Sheepshanks")},       // one letter dropped, nine letters: found
		{"Schwarzeneger", st("Schwarzenegger")}, // thirteen letters: two edits allowed
		{"Sheepshanks", ""},                     // indexed itself: nothing to respell
		{"Obama", ""},                           // short names are never respelt: another person
		{"Macron", ""},                          // nor into a word ("macro")
		{"ARPNET", ""},                          // six letters
		{"Lheepshanks", ""},                     // the first letter must agree
	}
	for _, tt := range tests {
		if got := x.respell(st(tt.word)); got != tt.want {
			t.Errorf("respell(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// BenchmarkRespell respells against 100,000 distinct stems, about the
// vocabulary of a 100,000-chunk news store.
func BenchmarkRespell(b *testing.B) {
	x := newKeywordIndex()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 100_000 {
		w := make([]byte, 4+r.IntN(8))
		for k := range w {
			w[k] = byte('a' + r.IntN(26))
		}
		x.add(int32(i), termCounts{terms: []termCount{{stem: string(w), tf: 1}}, length: 1})
	}
	b.ResetTimer()
	for range b.N {
		x.respell("zelenskyyy")
	}
}
