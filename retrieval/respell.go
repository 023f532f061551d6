package retrieval

import (
	"github.com/agnivade/levenshtein"
)

// respell returns the indexed stem that stem most likely misspells: one
// with the same first letter within one edit (stems of five to eight
// letters) or two edits (nine or more), the nearest first and then the
// commonest; "" when there is none or stem is indexed itself. Shorter stems
// are never respelt: at four letters one edit turns most names into
// another real word. It reads every indexed stem, so it is for the rare
// name the store lacks, not for every word (BenchmarkRespell: about 2 ms
// over 100,000 stems).
func (x *keywordIndex) respell(stem string) string {
	n := len(stem)
	if n < 5 || len(x.postings[stem]) > 0 {
		return ""
	}
	limit := 1
	if n >= 9 {
		limit = 2
	}
	best, bestDist, bestDF := "", limit+1, 0
	for t, ps := range x.postings {
		if len(t) < n-limit || len(t) > n+limit || t[0] != stem[0] {
			continue
		}
		d := levenshtein.ComputeDistance(stem, t)
		df := len(ps)
		if d < bestDist || (d == bestDist && (df > bestDF || df == bestDF && t < best)) {
			best, bestDist, bestDF = t, d, df
		}
	}
	if bestDist > limit {
		return ""
	}
	return best
}
