package index

import (
	"context"
	"slices"
	"sync"

	"newsbot/bot"
	"newsbot/bot/text"
)

// standingCap bounds the cached vectors of standing queries: 16,384
// vectors of 512 floats take 32 MB. Past it, an eighth of the cache is
// dropped and those queries are embedded again when next asked.
const standingCap = 16384

// vectorCache keeps the vectors of standing queries (bot.Query.Articles:
// follows, matched against every new article) so that each is embedded
// once, not once per article.
type vectorCache struct {
	mu sync.Mutex
	m  map[string][]float32
}

func (c *vectorCache) get(q string) ([]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[q]
	return v, ok
}

func (c *vectorCache) put(q string, v []float32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]float32{}
	}
	if len(c.m) >= standingCap {
		drop := standingCap / 8
		for k := range c.m { // map order is random enough to evict by
			if drop == 0 {
				break
			}
			delete(c.m, k)
			drop--
		}
	}
	c.m[q] = v
}

// standingVector is QueryVector through the cache of standing queries.
func (s *Index) standingVector(ctx context.Context, q string) ([]float32, error) {
	if v, ok := s.standing.get(q); ok {
		return v, nil
	}
	v, err := s.QueryVector(ctx, q)
	if err != nil {
		return nil, err
	}
	s.standing.put(q, v)
	return v, nil
}

// searchArticles is search restricted to the chunks of q.Articles: every
// chunk of those articles is a candidate, scored against the query vector
// directly and by BM25 through the postings, never by a scan of the whole
// collection. The scores are fused as search fuses them, over these chunks.
func (s *Index) searchArticles(ctx context.Context, q bot.Query, wd, wk float64) ([]bot.Passage, error) {
	qv, err := s.standingVector(ctx, q.Text)
	if err != nil {
		return nil, err
	}
	stems := text.Stems(q.Text)
	s.mu.RLock()
	defer s.mu.RUnlock()
	cands := map[int32]*cand{}
	var chunks []int32
	for _, id := range q.Articles {
		r, ok := s.articles[id]
		if !ok || !bot.PublishedSince(r.Published, q.Since) {
			continue
		}
		for _, c := range r.chunks {
			if _, dup := cands[c]; !dup {
				cands[c] = &cand{dense: dot(qv, s.chunks[c].vec)}
				chunks = append(chunks, c)
			}
		}
	}
	if wk > 0 {
		for i, sc := range s.kw.scoreChunks(stems, chunks) {
			cands[chunks[i]].kw = sc
		}
	}
	return s.fuseLocked(cands, q, wd, wk), nil
}

// scoreChunks returns the BM25 score of each of chunks for the query
// stems: what search gives them, found by binary search in the postings
// (which are in chunk order: chunks are numbered as they are added)
// rather than by walking them.
func (x *keywordIndex) scoreChunks(stems []string, chunks []int32) []float64 {
	out := make([]float64, len(chunks))
	if x.live == 0 {
		return out
	}
	acc := make([]float32, len(chunks)) // summed as search sums them
	avg := float64(x.total) / float64(x.live)
	x.eachTerm(stems, func(ps []posting, idf float64) {
		for i, c := range chunks {
			l := x.length[c]
			j, ok := slices.BinarySearchFunc(ps, c, func(p posting, c int32) int { return int(p.chunk - c) })
			if !ok || l == 0 {
				continue
			}
			acc[i] += float32(bm25(idf, ps[j].tf, l, avg))
		}
	})
	for i, a := range acc {
		out[i] = float64(a)
	}
	return out
}
