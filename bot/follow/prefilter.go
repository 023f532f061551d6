package follow

import (
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
	"newsbot/bot/text"
)

// Prefilter is the cheap first step of matching: an inverted index from
// the stems of the follows' queries to the follows, so that of thousands
// of follows only those sharing rare enough words with a new article are
// scored by the answer model.
type Prefilter struct {
	// MinRarity is how rare a stem must be to bring a follow in, as a
	// share of the rarity (the retriever's inverse document frequency) of
	// the article's rarest stem: a follow shares at least one such stem
	// with the article. Relative, so that it means the same in a store of
	// ten articles and in one of a million.
	MinRarity float64
	// MinShare is the share of a follow's stem weight (each stem weighed
	// by its IDF) the article must hold.
	MinShare float64
	// MaxCandidates bounds the follows scored per article, the best
	// shares first (0: no bound).
	MaxCandidates int
}

// DefaultPrefilter is the prefilter fitted on the held-out fold of the
// training questions (see the package doc).
var DefaultPrefilter = Prefilter{MinRarity: 0.3, MinShare: 0.65, MaxCandidates: 40}

// entry is one follow as the prefilter sees it.
type entry struct {
	f     bot.Follow
	stems []string // distinct
	names []string // the stems of its names: capitalised words past the first, acronyms
}

// index is the inverted index over one set of follows.
type index struct {
	entries  []entry
	postings map[string][]int32 // stem → entries holding it
	key      []followKey        // what the index was built from, in order
}

// followKey identifies a follow's version: a follow is never edited, but
// an id could in principle be reused by a store after a delete.
type followKey struct {
	id    int64
	query string
}

// analyse reads a follow's query for the index.
func analyse(f bot.Follow) entry {
	e := entry{f: f}
	seen := map[string]bool{}
	first := true
	for _, t := range text.Terms(f.Query) {
		if !seen[t.Stem] {
			seen[t.Stem] = true
			e.stems = append(e.stems, t.Stem)
		}
		w := f.Query[t.Start:t.End]
		if isName(w, first || sentenceStart(f.Query, t.Start)) && !slices.Contains(e.names, t.Stem) {
			e.names = append(e.names, t.Stem)
		}
		first = false
	}
	return e
}

// isName reports whether the word w reads as a name: capitalised where a
// sentence does not begin, or an acronym anywhere.
func isName(w string, atStart bool) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	if !atStart {
		return true
	}
	caps := 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return caps >= 2 && caps == utf8.RuneCountInString(w)
}

// sentenceStart reports whether only spaces and quotes stand between the
// previous full stop, question or exclamation mark and offset i of s.
func sentenceStart(s string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case r == '.' || r == '?' || r == '!':
			return true
		case unicode.IsSpace(r) || r == '"' || r == '\'' || r == '“' || r == '‘':
			i -= n
		default:
			return false
		}
	}
	return true
}

// build indexes fs, reusing the analyses of old where a follow is the
// same.
func build(fs []bot.Follow, old *index) *index {
	prev := map[followKey]entry{}
	if old != nil {
		for _, e := range old.entries {
			prev[followKey{e.f.ID, e.f.Query}] = e
		}
	}
	x := &index{entries: make([]entry, len(fs)), postings: map[string][]int32{}, key: make([]followKey, len(fs))}
	for i, f := range fs {
		k := followKey{f.ID, f.Query}
		e, ok := prev[k]
		if !ok {
			e = analyse(f)
		}
		e.f = f // the rest of a follow (its schedule, its last push) may have changed
		x.entries[i], x.key[i] = e, k
		for _, s := range e.stems {
			x.postings[s] = append(x.postings[s], int32(i))
		}
	}
	return x
}

// same reports whether x was built from fs.
func (x *index) same(fs []bot.Follow) bool {
	if x == nil || len(x.key) != len(fs) {
		return false
	}
	for i, f := range fs {
		if x.key[i] != (followKey{f.ID, f.Query}) {
			return false
		}
	}
	return true
}

// candidate is a follow the prefilter lets through, with the share of its
// weight the article holds.
type candidate struct {
	entry *entry
	share float64
}

// candidates returns the follows of x that an article with stems
// (distinct) may answer, the best shares first. idf weighs a stem; a
// follow's stem it gives 0 (no stored text has it, so not the article
// either) weighs as much as the article's rarest.
func (x *index) candidates(stems []string, idf func(string) float64, p Prefilter) []candidate {
	inArticle := make(map[string]float64, len(stems))
	rarest := 0.0
	for _, s := range stems {
		w := idf(s)
		inArticle[s] = w
		rarest = max(rarest, w)
	}
	touched := map[int32]bool{}
	for s, w := range inArticle {
		if w > 0 && w >= p.MinRarity*rarest {
			for _, i := range x.postings[s] {
				touched[i] = true
			}
		}
	}
	memo := map[string]float64{}
	weight := func(s string) float64 {
		if w, ok := inArticle[s]; ok {
			return w
		}
		w, ok := memo[s]
		if !ok {
			if w = idf(s); w <= 0 {
				w = rarest
			}
			memo[s] = w
		}
		return w
	}
	var out []candidate
	for i := range touched {
		e := &x.entries[i]
		if len(e.names) > 0 && !slices.ContainsFunc(e.names, func(n string) bool { _, ok := inArticle[n]; return ok }) {
			continue // none of its names is in the article
		}
		var held, total float64
		for _, s := range e.stems {
			w := weight(s)
			total += w
			if _, ok := inArticle[s]; ok {
				held += w
			}
		}
		if total > 0 && held/total >= p.MinShare {
			out = append(out, candidate{entry: e, share: held / total})
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if c := cmp.Compare(b.share, a.share); c != 0 {
			return c
		}
		return cmp.Compare(a.entry.f.ID, b.entry.f.ID)
	})
	if p.MaxCandidates > 0 && len(out) > p.MaxCandidates {
		out = out[:p.MaxCandidates]
	}
	return out
}
