package index

import (
	"math"
	"slices"
	"sync"

	"newsbot/bot/text"
)

// BM25 parameters: the usual defaults, which suit passages of similar length.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// posting is one chunk's term frequency for a term.
type posting struct {
	chunk int32
	tf    uint16
}

// keywordIndex is an inverted index over chunk text scored with BM25. Each
// query touches only the postings of its own terms, never all chunk text.
// Chunks are numbered by the store; removed chunks are tombstoned until the
// next compaction so that numbers stay stable.
type keywordIndex struct {
	postings map[string][]posting
	length   []uint16 // terms per chunk; 0 for removed chunks
	live     int
	total    int // sum of live lengths

	scratch sync.Pool // *[]float32 accumulators, len == len(length)
}

func newKeywordIndex() *keywordIndex {
	return &keywordIndex{postings: map[string][]posting{}}
}

// termCounts is one chunk's text analysed for the index: each distinct
// stem with its frequency, and the chunk's length in terms. Counting is
// kept apart from add so that it can run outside the store's lock, on
// several cores, while a large store loads.
type termCounts struct {
	terms  []termCount
	length int
}

type termCount struct {
	stem string
	tf   uint16
}

// countTerms counts the stems of one chunk (text.Stems of its text),
// sorting stems in place: counting by sorting needs no map per chunk, which
// matters when a 100,000-chunk store is indexed at startup.
func countTerms(stems []string) termCounts {
	slices.Sort(stems)
	tc := termCounts{terms: make([]termCount, 0, len(stems)), length: len(stems)}
	for i := 0; i < len(stems); {
		j := i + 1
		for j < len(stems) && stems[j] == stems[i] {
			j++
		}
		tc.terms = append(tc.terms, termCount{stem: stems[i], tf: uint16(min(j-i, math.MaxUint16))})
		i = j
	}
	return tc
}

// add indexes chunk number id (which must be len(length)) from its counted
// terms.
func (x *keywordIndex) add(id int32, tc termCounts) {
	for int(id) >= len(x.length) {
		x.length = append(x.length, 0)
	}
	for _, t := range tc.terms {
		x.postings[t.stem] = append(x.postings[t.stem], posting{chunk: id, tf: t.tf})
	}
	n := min(tc.length, math.MaxUint16)
	x.length[id] = uint16(max(n, 1))
	x.live++
	x.total += n
}

// remove tombstones chunk id; its postings are skipped at query time and
// dropped by compact.
func (x *keywordIndex) remove(id int32) {
	if int(id) < len(x.length) && x.length[id] > 0 {
		x.total -= int(x.length[id])
		x.length[id] = 0
		x.live--
	}
}

// compact drops postings of removed chunks.
func (x *keywordIndex) compact() {
	for t, ps := range x.postings {
		ps = slices.DeleteFunc(ps, func(p posting) bool { return x.length[p.chunk] == 0 })
		if len(ps) == 0 {
			delete(x.postings, t)
		} else {
			x.postings[t] = ps
		}
	}
}

// idf is BM25's inverse document frequency of a term in df chunks.
func (x *keywordIndex) idf(df int) float64 {
	return math.Log(1 + (float64(x.live)-float64(df)+0.5)/(float64(df)+0.5))
}

// IDF returns the inverse document frequency of stem, for weighting terms
// outside the index (sentence scoring), or 0 when no chunk has it: a word
// the store has never seen says nothing about any sentence.
func (x *keywordIndex) IDF(stem string) float64 {
	df := len(x.postings[stem])
	if df == 0 {
		return 0
	}
	return x.idf(df)
}

// eachTerm calls fn with the postings and the IDF of each distinct stem
// of stems that the index holds.
func (x *keywordIndex) eachTerm(stems []string, fn func(ps []posting, idf float64)) {
	seen := map[string]bool{}
	for _, s := range stems {
		if seen[s] {
			continue
		}
		seen[s] = true
		if ps := x.postings[s]; len(ps) > 0 {
			fn(ps, x.idf(len(ps)))
		}
	}
}

// bm25 is the BM25 weight of a term of inverse document frequency idf
// that occurs tf times in a chunk of l terms, avg terms being the mean.
func bm25(idf float64, tf, l uint16, avg float64) float64 {
	t := float64(tf)
	return idf * t * (bm25K1 + 1) / (t + bm25K1*(1-bm25B+bm25B*float64(l)/avg))
}

type scored struct {
	chunk int32
	score float64
}

// search returns the top k chunks for the query stems, best first, among
// chunks for which keep returns true (nil keeps all).
func (x *keywordIndex) search(stems []string, k int, keep func(int32) bool) []scored {
	if x.live == 0 || k <= 0 {
		return nil
	}
	avg := float64(x.total) / float64(x.live)
	acc := x.getScratch()
	defer x.scratch.Put(acc)
	var touched []int32
	x.eachTerm(stems, func(ps []posting, idf float64) {
		for _, p := range ps {
			l := x.length[p.chunk]
			if l == 0 {
				continue
			}
			w := bm25(idf, p.tf, l, avg)
			if (*acc)[p.chunk] == 0 {
				touched = append(touched, p.chunk)
			}
			(*acc)[p.chunk] += float32(w)
		}
	})
	top := make([]scored, 0, k+1)
	for _, c := range touched {
		sc := float64((*acc)[c])
		(*acc)[c] = 0
		if keep != nil && !keep(c) {
			continue
		}
		if len(top) == k && sc <= top[k-1].score {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, sc, func(a scored, t float64) int {
			if a.score > t {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, i, scored{c, sc})
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

func (x *keywordIndex) getScratch() *[]float32 {
	if v, ok := x.scratch.Get().(*[]float32); ok && len(*v) >= len(x.length) {
		return v
	}
	s := make([]float32, len(x.length)+1024)
	return &s
}

// stemsOf analyses chunk text for the index.
func stemsOf(s string) []string { return text.Stems(s) }
