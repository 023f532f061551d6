package index

import (
	"github.com/agnivade/levenshtein"
)

// respell returns the indexed stem that stem most likely misspells: one
// with the same first letter within one edit (stems of eight to eleven
// letters) or two edits (twelve or more), the nearest first and then the
// commonest; "" when there is none or stem is indexed itself. Shorter
// stems are never respelt: one edit turns many short names into another
// person's ("Obama" / "Osama", "Merkel" / "Markel") or a word ("Macron" /
// "macro"), and quoting the wrong person is worse than refusing. It reads
// every indexed stem, so it is for the rare name the store lacks, not for
// every word (BenchmarkRespell: about 2 ms over 100,000 stems).
func (x *keywordIndex) respell(stem string) string {
	n := len(stem)
	if n < 8 || len(x.postings[stem]) > 0 {
		return ""
	}
	limit := 1
	if n >= 12 {
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
