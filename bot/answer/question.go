package answer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot/answer/lexicon"
	"newsbot/bot/answer/wordvec"
	"newsbot/bot/text"
)

// qterm is one content word of a question, weighed by how rare it is.
type qterm struct {
	stem   string
	weight float64
	// name is true for words written with a capital inside the question
	// ("Meloni", "NATO"): the people and things asked about.
	name bool
	// context is true for words carried over from the previous question to
	// resolve "he", "it", "they": they say what is meant, not what is asked.
	context bool
	// capital is true for a word capitalised inside the question, the
	// first content word included ("Macron" in "What did Macron say?");
	// upper for one written in capitals only ("NATO").
	capital, upper bool
	// year is true for a year in digits ("2022"): like a name, it
	// says which events are meant.
	year bool
	// vec is the word's GloVe vector as written in the question, nil when
	// the table lacks it.
	vec wordvec.Vector
}

// analysis is what the answer model reads from a question once.
type analysis struct {
	typ   qtype
	focus []string // stems of the noun phrase an answer type is tied to ("people" in "how many people"), or nil
	// focusForms are the focus stems and every form that counts as one of
	// them ("employee" for "employ"), for focusMatch.
	focusForms map[string]bool
	saying     bool // the question asks what someone said
	terms      []qterm
	total      float64 // sum of term weights
	// forms maps every stem that counts as a question term to its index in
	// terms; related reports whether the match is only a derivation
	// ("invasion" for "invading").
	forms   map[string]int
	related map[string]bool
	pairs   map[[2]int]bool // adjacent question terms, for phrase matches
	qwords  map[string]bool // every stem of the question, for answer-type matching
	// unseenName is true when the question names someone or something no
	// stored text mentions.
	unseenName bool
}

// analyse reads the question q, with context the words of the earlier
// question that its pronouns refer to ("" when none). idf weighs a stem: 0
// means the store has never seen it, and then the word is neutral (it says
// nothing about any sentence) unless a related form is known. respell
// (nil: none) finds the stored stem an unseen name misspells, which then
// counts as the name.
func analyse(q, context string, idf func(string) float64, respell func(string) string) *analysis {
	a := &analysis{typ: questionType(q), forms: map[string]int{}, related: map[string]bool{},
		pairs: map[[2]int]bool{}, qwords: map[string]bool{}}
	a.focus = focusOf(q, a.typ)
	a.saying = asksSaying(q)
	prev := -1
	add := func(text string, ctx bool) {
		first := true
		for _, t := range Terms(text) {
			w := text[t.Start:t.End]
			// The first content word is not taken for a name even when it
			// stands inside the question ("What did Macron say?"): tried
			// (capitalisedInside), it cost XQuAD a point cross-validated,
			// through acronyms and misspellings taken for unseen names.
			isName := !first && startsUpper(w)
			first = false
			if !ctx {
				a.qwords[t.Stem] = true
			}
			if metaStems[t.Stem] || sayStems[t.Stem] {
				prev = -1
				continue
			}
			i, seen := a.forms[t.Stem]
			if seen && !a.related[t.Stem] {
				if ctx == false && a.terms[i].context {
					a.terms[i].context = false
				}
				if prev >= 0 && prev != i {
					a.pairs[[2]int{prev, i}] = true
				}
				prev = i
				continue
			}
			i = len(a.terms)
			vec, _ := wordvec.Lookup(strings.ToLower(w))
			a.terms = append(a.terms, qterm{stem: t.Stem, name: isName || (ctx && startsUpper(w)), context: ctx, vec: vec,
				capital: capitalisedInside(text, t), upper: strings.ToUpper(w) == w,
				year: yearRe.MatchString(w)})
			a.forms[t.Stem] = i
			delete(a.related, t.Stem)
			for _, r := range lexicon.Related(t.Stem) {
				if _, ok := a.forms[r.Stem]; ok {
					continue
				}
				a.forms[r.Stem] = i
				if r.Kind != lexicon.Inflection {
					a.related[r.Stem] = true
				}
			}
			if prev >= 0 {
				a.pairs[[2]int{prev, i}] = true
			}
			prev = i
		}
		prev = -1
	}
	add(q, false)
	if context != "" {
		add(context, true)
	}
	var unseenNames []int
	top := 0.0
	for i := range a.terms {
		t := &a.terms[i]
		w := 1.0
		if idf != nil {
			w = idf(t.stem)
			if w <= 0 {
				// Unseen: borrow the weight of a known related form, if any.
				for s, j := range a.forms {
					if j == i && s != t.stem {
						w = max(w, idf(s))
					}
				}
			}
			// The first content word is no name for weighing, but an unseen
			// one still says the question is about someone the news never
			// mentions ("What did Macron say?") — unless it is an acronym,
			// which the store may spell out ("UMC", "United Methodist
			// Church").
			// A year is a name for this: "2022" in a store of 2005 news
			// says the question is about events it lacks. Other numbers
			// are written too many ways ("15th", "fifteenth") to tell.
			named := t.name || (t.capital && !t.upper) || t.year
			if w <= 0 && named && !t.year && !t.context && respell != nil {
				if r := respell(t.stem); r != "" {
					if _, taken := a.forms[r]; !taken {
						a.forms[r] = i
					}
					w = idf(r)
				}
			}
			if w <= 0 && named && !t.context {
				unseenNames = append(unseenNames, i)
			}
		}
		if t.context {
			w *= 0.3
		}
		t.weight = w
		top = max(top, w)
	}
	// An unseen common word ("say" in a store that only has "said") is
	// neutral, but a name nobody wrote about ("Macron" in a store without
	// him) says the question is about news the store lacks: it weighs as
	// much as the rarest known word.
	for _, i := range unseenNames {
		a.terms[i].weight = max(top, 1)
	}
	a.unseenName = len(unseenNames) > 0
	if len(a.focus) > 0 {
		a.focusForms = map[string]bool{}
		for _, f := range a.focus {
			a.focusForms[f] = true
			if fi, ok := a.forms[f]; ok {
				for s, j := range a.forms {
					if j == fi {
						a.focusForms[s] = true
					}
				}
			}
		}
	}
	for _, t := range a.terms {
		a.total += t.weight
	}
	return a
}

// match is how a text matches the question's terms.
type match struct {
	exact   []bool // term i appears (itself or an inflection)
	related []bool // term i appears, or a derivationally related word
	pair    float64
}

// matchText finds the question's terms in the analysed words of a text.
func (a *analysis) matchText(terms []Term) match {
	m := match{exact: make([]bool, len(a.terms)), related: make([]bool, len(a.terms))}
	last := -1
	hits := 0
	for _, t := range terms {
		i, ok := a.forms[t.Stem]
		if !ok {
			last = -1
			continue
		}
		m.related[i] = true
		if !a.related[t.Stem] {
			m.exact[i] = true
		}
		if last >= 0 && a.pairs[[2]int{last, i}] {
			hits++
		}
		last = i
	}
	if len(a.pairs) > 0 {
		m.pair = float64(hits) / float64(len(a.pairs))
	}
	return m
}

// share is the weighted share of the terms that found[i] marks, among the
// terms keep accepts (nil keeps all); 0 when no term is kept.
func (a *analysis) share(found []bool, keep func(qterm) bool) float64 {
	return a.shareOf(found, func(i int) bool { return keep == nil || keep(a.terms[i]) })
}

// shareOf is share with the kept terms chosen by their index.
func (a *analysis) shareOf(found []bool, keep func(i int) bool) float64 {
	var s, total float64
	for i, t := range a.terms {
		if !keep(i) {
			continue
		}
		total += t.weight
		if found[i] {
			s += t.weight
		}
	}
	if total <= 0 {
		return 0
	}
	return s / total
}

func isName(t qterm) bool    { return t.name }
func isNotName(t qterm) bool { return !t.name && !t.context }

// capitalisedInside reports whether the word t of text is capitalised
// and is not the text's first word, which is capitalised anyway: a name.
// Stop words are not terms, so this is about the text, not the first term
// ("What did Macron say?": "Macron" is a name).
func capitalisedInside(text string, t Term) bool {
	return startsUpper(text[t.Start:t.End]) && strings.TrimLeft(text[:t.Start], " \t\r\n\"'“‘(") != ""
}

// yearRe matches a year written in digits, 1500 to 2099.
var yearRe = regexp.MustCompile(`^(?:1[5-9]|20)\d\d$`)

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// sayStems are the verbs of "what did X say / tell / think": they ask for a
// statement rather than name something a sentence must contain.
var sayStems = stemSet("say tell think claim describe react respond comment")

// asksSaying reports whether q asks what someone said or thinks.
func asksSaying(q string) bool {
	if hasStem(q, sayStems) {
		return true
	}
	l := strings.ToLower(q)
	return strings.Contains(l, " say") || strings.Contains(l, " tell") || strings.Contains(l, " said")
}

// focusOf returns the stems of the noun phrase the answer type is tied to:
// the first and the last word of the run of content words after "how many"
// or "how much" (at most four). The last is the head noun in "how many
// ethnic minority Conservative MPs"; the first is kept because a verb can
// follow the noun ("how many people work in…"), and word classes are not
// known here. Nil for other questions.
func focusOf(q string, t qtype) []string {
	if t != qNumber && t != qMoney {
		return nil
	}
	ws := strings.Fields(strings.ToLower(q))
	for i := 0; i+2 < len(ws); i++ {
		if ws[i] != "how" || (ws[i+1] != "many" && ws[i+1] != "much") {
			continue
		}
		var run []string
		for _, w := range ws[i+2 : min(len(ws), i+6)] {
			f := strings.Trim(w, "?.,!")
			f = strings.TrimSuffix(strings.TrimSuffix(f, "'s"), "’s")
			if f == "" || text.IsStopWord(f) {
				break
			}
			run = append(run, stem(f))
			if f != strings.Trim(w, "?.,!") || strings.ContainsAny(w, "?.,!") {
				break // a possessive or a clause ends the phrase
			}
		}
		if len(run) == 0 {
			return nil
		}
		if len(run) == 1 || run[0] == run[len(run)-1] {
			return run[:1]
		}
		return []string{run[0], run[len(run)-1]}
	}
	return nil
}

// reportingStems mark a sentence that reports what someone said.
var reportingStems = stemSet(`stated added according insisted argued warned claimed mentioned confirmed
	explained announced believes believed described called urged admitted suggested noted emphasized emphasised
	stressed informed indicated expressed agreed denied`)

// reports tells whether a sentence reports speech: a quotation mark or a
// reporting verb ("said" and "told" are stop words, so they are read from
// the raw text).
func reports(text string, terms []Term) bool {
	if strings.ContainsAny(text, "\"“”") {
		return true
	}
	for _, t := range terms {
		if reportingStems[t.Stem] {
			return true
		}
	}
	l := strings.ToLower(text)
	return slices.ContainsFunc([]string{" said", " says", " told", " tells", "say "}, func(s string) bool { return strings.Contains(l, s) })
}
