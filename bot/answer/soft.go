package answer

import (
	"strings"

	"newsbot/bot/answer/wordvec"
)

// softFloor is the cosine below which two words count as unrelated. In
// GloVe's 100-dimensional vectors a word's paraphrases mostly score 0.5 to
// 0.8 against it, but so do its co-hyponyms ("measles" / "smallpox"), and
// any sentence has a word within 0.3 or so of most words by chance.
// Measured cross-validated (README, Answer quality): 0.4 let XQuAD's
// out-of-scope questions match other diseases and prices; 0.5 and 0.6
// rank alike; 0.5 answers a little more.
const softFloor = 0.5

// sentenceVectors holds the GloVe vectors of a sentence's words.
type sentenceVectors []wordvec.Vector

// vectorCache looks up each lower-cased word once per question.
type vectorCache map[string]wordvec.Vector

func (vc vectorCache) of(text string, terms []Term) sentenceVectors {
	out := make(sentenceVectors, 0, len(terms))
	for _, t := range terms {
		w := text[t.Start:t.End]
		v, ok := vc[w]
		if !ok {
			v, _ = wordvec.Lookup(strings.ToLower(w))
			vc[w] = v
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

// softShare is the weighted share of the question's words that the
// sentence holds, where a word the sentence lacks still counts for as much
// as its nearest sentence word is like it (cosine above softFloor, scaled
// to 0..1). Names count only when found: another name is another person.
func (a *analysis) softShare(found []bool, sv sentenceVectors) float64 {
	var s, total float64
	for i, t := range a.terms {
		total += t.weight
		switch {
		case found[i]:
			s += t.weight
		case t.name || t.vec == nil:
		default:
			best := 0.0
			for _, v := range sv {
				best = max(best, wordvec.Cosine(t.vec, v))
			}
			if best > softFloor {
				s += t.weight * (best - softFloor) / (1 - softFloor)
			}
		}
	}
	if total <= 0 {
		return 0
	}
	return s / total
}
