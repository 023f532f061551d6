package answer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
	"newsbot/bot/answer/lexicon"
)

// FeatureNames name the answer model's features, in the order of a
// Features vector. The weights file lists them too, so a file fitted for
// another set of features is refused rather than misread.
var FeatureNames = []string{
	fCov:        "cov",              // weighted share of question words in the sentence (words and irregular forms)
	fRelated:    "cov_related",      // the same, counting derivationally related words ("invasion" for "invading")
	fFocus:      "cov_focus",        // share of the question's non-name words in the sentence, related words counted
	fNames:      "cov_names",        // share of the question's names in the sentence or its neighbours
	fNeighbour:  "cov_neighbour",    // the better related-word share of the sentence before or after
	fPairs:      "pairs",            // share of adjacent question word pairs found adjacent in the sentence
	fArticle:    "art_cov",          // share of question words anywhere in the article (title and text)
	fChunk:      "chunk_score",      // the chunk's fused retrieval score
	fDense:      "chunk_dense",      // the chunk's cosine similarity to the question
	fType:       "type_match",       // the sentence holds the kind of answer asked for (number, time, name, place, reason)
	fNoType:     "type_missing",     // the question asks for a kind of answer the sentence lacks
	fTypeFocus:  "type_focus",       // a number next to the counted thing ("how many people" → "1,200 people")
	fSays:       "says",             // the question asks what someone said and the sentence reports speech
	fLead:       "lead",             // the sentence opens its article
	fLength:     "length",           // the sentence's words / 40, at most 1
	fNovel:      "novel",            // the sentence names something (a capitalised word or a number) the question does not
	fGapRel:     "gap_related",      // cov_related minus the best cov_related among all candidates (≤ 0)
	fGapFocus:   "gap_focus",        // cov_focus minus the best cov_focus among all candidates (≤ 0)
	fUnseen:     "unseen_name",      // the question names something no stored text mentions
	fBeyond:     "cov_beyond_title", // share of the question words missing from the title that the sentence holds
	fGapBeyond:  "gap_beyond_title", // cov_beyond_title minus the best of the same article's candidates (≤ 0)
	fSoft:       "cov_soft",         // cov_related, with a missing word counting as much as its nearest GloVe neighbour in the sentence
	fGapSoft:    "gap_soft",         // cov_soft minus the best cov_soft among all candidates (≤ 0)
	fNoValue:    "value_missing",    // the question asks for a number or a sum and the sentence has none
	fBeyondLead: "cov_beyond_lead",  // cov_beyond_title, with the words of the article's first sentence counted as the title's
	fGapLead:    "gap_beyond_lead",  // cov_beyond_lead minus the best of the same article's candidates (≤ 0)
	fTypeNear:   "type_near",        // an answer of the asked-for type stands within 40 bytes of a question word the title and lead lack
	fTypeClass:  "type_class",       // for who / where: a name after a word for a person ("sculptor Richard Wentworth"), or a place WordNet knows
	fNoTime:     "time_missing",     // the question asks when and the sentence names no time
	fReader:     "reader",           // the trained reader's log-odds that the sentence answers (0 when unread)
	fGapReader:  "gap_reader",       // reader minus the best reader log-odds among the candidates (≤ 0; 0 when unread)
	fUnread:     "unread",           // 1 when the reader did not score the sentence (not among the preselected, or no reader)
}

// Indices of the features in a Features vector.
const (
	fCov = iota
	fRelated
	fFocus
	fNames
	fNeighbour
	fPairs
	fArticle
	fChunk
	fDense
	fType
	fNoType
	fTypeFocus
	fSays
	fLead
	fLength
	fNovel
	fGapRel
	fGapFocus
	fUnseen
	fBeyond
	fGapBeyond
	fSoft
	fGapSoft
	fNoValue
	fBeyondLead
	fGapLead
	fTypeNear
	fTypeClass
	fNoTime
	fReader
	fGapReader
	fUnread
	// NumFeatures is the number of features, len(FeatureNames).
	NumFeatures
)

// Features are one candidate sentence's feature values, in FeatureNames order.
type Features [NumFeatures]float64

// Candidate is one sentence considered for quoting, with its features.
type Candidate struct {
	Passage  *bot.Passage
	Span     bot.Span
	Features Features
	// Prob is the answer model's probability that the sentence answers the
	// question; filled by Model.Score.
	Prob float64
}

// Text returns the candidate sentence.
func (c Candidate) Text() string { return c.Passage.Article.Text[c.Span.Start:c.Span.End] }

// featurize computes the features of every sentence of the passages.
func featurize(a *analysis, ps []bot.Passage) []Candidate {
	var out []Candidate
	articles := map[*bot.Article]match{}
	// Per article: which question terms its title lacks, and which its
	// title and lead both lack.
	beyond := map[*bot.Article][2][]bool{}
	vc := vectorCache{}
	for pi := range ps {
		p := &ps[pi]
		am, ok := articles[p.Article]
		if !ok {
			am = a.matchText(Terms(p.Article.Title + "\n" + p.Article.Text))
			articles[p.Article] = am
		}
		artCov := a.share(am.related, nil)
		// A lead sentence restates the title's topic; the sentence with the
		// fact holds the question's other words, so they count on their own.
		heads, ok := beyond[p.Article]
		if !ok {
			tm := a.matchText(Terms(p.Article.Title))
			lm := a.matchText(Terms(leadOf(p.Article.Text)))
			heads = [2][]bool{make([]bool, len(a.terms)), make([]bool, len(a.terms))}
			for i := range a.terms {
				heads[0][i] = !tm.related[i]
				heads[1][i] = !tm.related[i] && !lm.related[i]
			}
			beyond[p.Article] = heads
		}
		notTitle, notLead := heads[0], heads[1]
		n := len(p.Sentences)
		terms := make([][]Term, n)
		ms := make([]match, n)
		rel := make([]float64, n)
		for j, s := range p.Sentences {
			terms[j] = Terms(p.Article.Text[s.Start:s.End])
			ms[j] = a.matchText(terms[j])
			rel[j] = a.share(ms[j].related, nil)
		}
		for j, s := range p.Sentences {
			text := p.Article.Text[s.Start:s.End]
			m := ms[j]
			var f Features
			f[fUnread] = 1 // until the reader scores it (reader.go)
			f[fCov] = a.share(m.exact, nil)
			f[fRelated] = rel[j]
			f[fFocus] = a.share(m.related, isNotName)
			names := make([]bool, len(a.terms))
			for i := range names {
				names[i] = m.related[i] || (j > 0 && ms[j-1].related[i]) || (j+1 < n && ms[j+1].related[i])
			}
			f[fNames] = a.share(names, isName)
			if j > 0 {
				f[fNeighbour] = rel[j-1]
			}
			if j+1 < n {
				f[fNeighbour] = max(f[fNeighbour], rel[j+1])
			}
			f[fPairs] = m.pair
			f[fArticle] = artCov
			f[fChunk], f[fDense] = p.Score, p.Dense
			if a.typ != qOther {
				spans := a.typ.answers(text, terms[j], a.qwords)
				if len(spans) > 0 {
					f[fType] = 1
				}
				// Near a word the title and lead lack: the asked-for fact,
				// not the story's topic.
				f[fTypeNear] = typedNear(spans, terms[j], a, func(i int) bool { return notLead[i] })
				f[fNoType] = 1 - f[fType]
				// Fitted apart: a count is nearly always written as a
				// number, while "when" is also answered by a clause
				// ("when the immune system is weak").
				switch a.typ {
				case qNumber, qMoney:
					f[fNoValue], f[fNoType] = f[fNoType], 0
				case qTime:
					f[fNoTime], f[fNoType] = f[fNoType], 0
				}
			}
			f[fTypeFocus] = focusMatch(a, terms[j], text)
			if a.typ == qPerson || a.typ == qPlace {
				f[fTypeClass] = classMatch(a, terms[j], text)
			}
			if a.saying && reports(text, terms[j]) {
				f[fSays] = 1
			}
			if strings.TrimSpace(p.Article.Text[:s.Start]) == "" {
				f[fLead] = 1
			}
			f[fLength] = min(float64(len(strings.Fields(text)))/40, 1)
			f[fNovel] = novel(text, terms[j], a.qwords)
			f[fBeyond] = a.shareOf(m.related, func(i int) bool { return notTitle[i] })
			f[fBeyondLead] = a.shareOf(m.related, func(i int) bool { return notLead[i] })
			f[fSoft] = a.softShare(m.related, vc.of(text, terms[j]))
			if a.unseenName {
				f[fUnseen] = 1
			}
			out = append(out, Candidate{Passage: p, Span: s, Features: f})
		}
	}
	// Gaps to the best candidate: whether a sentence is the best match
	// among those found matters more than how good the matches are.
	for _, g := range [][2]int{{fRelated, fGapRel}, {fFocus, fGapFocus}, {fSoft, fGapSoft}} {
		best := 0.0
		for _, c := range out {
			best = max(best, c.Features[g[0]])
		}
		for i := range out {
			out[i].Features[g[1]] = out[i].Features[g[0]] - best
		}
	}
	for _, g := range [][2]int{{fBeyond, fGapBeyond}, {fBeyondLead, fGapLead}} {
		best := map[*bot.Article]float64{}
		for _, c := range out {
			best[c.Passage.Article] = max(best[c.Passage.Article], c.Features[g[0]])
		}
		for i := range out {
			out[i].Features[g[1]] = out[i].Features[g[0]] - best[out[i].Passage.Article]
		}
	}
	return out
}

// novel is 1 when the sentence has a number, or a capitalised word past its
// first, that the question does not: something new that may be the answer.
func novel(text string, terms []Term, qwords map[string]bool) float64 {
	for _, t := range terms {
		if qwords[t.Stem] {
			continue
		}
		if isDigitByte(text[t.Start]) || capitalisedInside(text, t) {
			return 1
		}
	}
	return 0
}

// focusMatch is 1 when the sentence counts the question's focus: a number
// at most three words before the focus noun or one of its forms, in the
// same clause ("how many people" → "1,200 people", "11 householders",
// "500 new jobs"). A share, a sum of money or a year counts nothing
// ("25% to £1.04bn, but investment in branch operations"). terms are the
// sentence's words, so only the few bytes before a focus word are read
// again.
func focusMatch(a *analysis, terms []Term, text string) float64 {
	for _, t := range terms {
		if !a.focusForms[t.Stem] {
			continue
		}
		lo := max(t.Start-focusWindow, 0)
		for lo > 0 && !utf8.RuneStart(text[lo]) {
			lo++
		}
		toks := focusToken.FindAllString(text[lo:t.Start], -1)
		for b := len(toks) - 1; b >= 0 && b >= len(toks)-4; b-- {
			if isCount(toks[b]) {
				return 1
			}
			if !unicode.IsLetter([]rune(toks[b])[0]) {
				break // punctuation, a sum or a share ends the phrase
			}
		}
	}
	return 0
}

// focusWindow is how many bytes before a focus word focusMatch reads: room
// for the four tokens it looks at.
const focusWindow = 100

// focusToken splits text for focusMatch: numbers with their signs and
// suffixes ("£1.04bn", "25%", "1,200"), words, and single punctuation marks.
var focusToken = regexp.MustCompile(`[£$€¥]?\d[\d,.]*(?:%|bn|m|k|s)?|\pL+(?:['’-]\pL+)*|[^\s\pL\d]`)

// isCount reports whether a focusToken token is a plain count: a number
// (numberRe) that is not a sum, a share or a year.
func isCount(tok string) bool {
	l := strings.ToLower(tok)
	if strings.HasSuffix(l, "%") || strings.IndexAny(l, "£$€¥") >= 0 || yearRe.MatchString(strings.TrimRight(l, ",.")) {
		return false
	}
	return numberRe.MatchString(l)
}

// leadOf returns an article's first sentence, roughly: the text up to the
// first line break or full stop and space after its twentieth byte, at
// most 400 bytes. It only says which words the article opens with.
func leadOf(text string) string {
	for i := 20; i < len(text) && i < 400; i++ {
		if text[i] == '\n' || (text[i] == '.' && i+1 < len(text) && text[i+1] == ' ') {
			return text[:i]
		}
	}
	return text[:min(len(text), 400)]
}

// typedNear is 1 when one of the answer spans stands within 40 bytes of a
// word of the sentence that is a question term keep accepts (and is not
// that word itself).
func typedNear(spans [][2]int, terms []Term, a *analysis, keep func(i int) bool) float64 {
	for _, t := range terms {
		i, ok := a.forms[t.Stem]
		if !ok || !keep(i) {
			continue
		}
		for _, sp := range spans {
			if sp[0] < t.End+40 && t.Start < sp[1]+40 && !(sp[0] >= t.Start && sp[1] <= t.End) {
				return 1
			}
		}
	}
	return 0
}

// classMatch is 1 when, for a "who" question, the sentence has a name
// (a capitalised word the question lacks) within three words after a
// word for a person ("sculptor Richard Wentworth") or a title ("Mr
// Clarke"), or, for "where", a name WordNet knows as a place ("Cumbria").
// WordNet's common nouns for places are no cue: "waste" is one.
func classMatch(a *analysis, terms []Term, text string) float64 {
	for k, t := range terms {
		if !capitalisedInside(text, t) || a.qwords[t.Stem] {
			continue
		}
		w := strings.ToLower(text[t.Start:t.End])
		if a.typ == qPlace && strings.ContainsRune(lexicon.Classes(w), lexicon.LocationName) {
			return 1
		}
		if a.typ != qPerson {
			continue
		}
		for b := max(k-3, 0); b < k; b++ {
			pw := text[terms[b].Start:terms[b].End]
			if pw == "Mr" || pw == "Mrs" || pw == "Ms" || pw == "Dr" ||
				!startsUpper(pw) && strings.ContainsRune(lexicon.Classes(pw), lexicon.Person) {
				return 1
			}
		}
	}
	return 0
}
