package answer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"newsbot/bot"
)

// FuzzFeaturize feeds the answer model fuzzed questions and article texts
// (split into two sentences at an arbitrary byte): every feature must be a
// finite number within its range, and the probability within [0, 1].
func FuzzFeaturize(f *testing.F) {
	f.Add("How many people does Acme employ?", "Acme opened a plant in Leeds. It employs 1,200 people.", 29)
	f.Add("What did Macron say?", "İSTANBUL — Ünal said “no”.\nThe İ is two bytes, its lower case three.", 7)
	f.Add("When?", "", 0)
	f.Add("Why did the £5m deal fail in 2004?", "\xff\xfe broken bytes. 2004 was the year.", 3)
	f.Fuzz(func(t *testing.T, question, text string, cut int) {
		if !utf8.ValidString(text) || len(text) > 4000 || len(question) > 500 {
			return
		}
		cut = min(max(cut, 0), len(text))
		for cut > 0 && cut < len(text) && !utf8.RuneStart(text[cut]) {
			cut--
		}
		idf := func(s string) float64 { return float64(len(s) % 3) }
		respell := func(s string) string {
			if len(s) > 6 {
				return s[:len(s)-1]
			}
			return ""
		}
		a := analyse(question, "", idf, respell)
		art := &bot.Article{ID: "f", Title: question, Text: text}
		ps := []bot.Passage{{Article: art, Span: bot.Span{Start: 0, End: len(text)}, Sentences: []bot.Span{{Start: 0, End: cut}, {Start: cut, End: len(text)}}, Score: 1, Dense: 0.5}}
		for _, c := range featurize(a, ps) {
			for i, v := range c.Features {
				lo, hi := 0.0, 1.0
				if strings.HasPrefix(FeatureNames[i], "gap_") {
					lo, hi = -1, 0
				}
				if v != v || v < lo-1e-9 || v > hi+1e-9 {
					t.Fatalf("%s = %v for %q in %q", FeatureNames[i], v, question, text)
				}
			}
			if p := defaultModel.Prob(c.Features); p < 0 || p > 1 || p != p {
				t.Fatalf("probability %v", p)
			}
		}
	})
}
