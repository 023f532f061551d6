package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"newsbot/bot"
	"newsbot/bot/text"
)

// DefaultDenseWeight is the weight of the dense score in the hybrid score;
// the keyword score gets 1 minus it. Each part is normalised over the
// candidates (dense: min-max; keyword: divided by the best), then summed
// with these weights. Measured on XQuAD with `newsbot eval`: see README.
// WithDenseWeight sets another for one store.
const DefaultDenseWeight = 0.5

// candidates is how many chunks each retriever proposes per query before
// fusion.
const candidates = 50

// Search implements bot.Retriever: it fuses dense similarity from chromem-go
// with BM25 keyword scores and returns the best q.K passages.
func (s *Index) Search(ctx context.Context, q bot.Query) ([]bot.Passage, error) {
	return s.search(ctx, q, s.denseWeight, 1-s.denseWeight)
}

// SearchMode runs Search with only the dense ("dense"), only the keyword
// ("keyword") or both ("hybrid") retrievers, for evaluation.
func (s *Index) SearchMode(ctx context.Context, q bot.Query, mode string) ([]bot.Passage, error) {
	switch mode {
	case "dense":
		return s.search(ctx, q, 1, 0)
	case "keyword":
		return s.search(ctx, q, 0, 1)
	case "hybrid", "":
		return s.Search(ctx, q)
	}
	return nil, fmt.Errorf("unknown search mode %q", mode)
}

// QueryVector embeds a query.
func (s *Index) QueryVector(ctx context.Context, text string) ([]float32, error) {
	v, err := s.emb.Embed(ctx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("embed query: %w", err)
	}
	return normalize(v[0]), nil
}

func (s *Index) search(ctx context.Context, q bot.Query, wd, wk float64) ([]bot.Passage, error) {
	if q.K <= 0 {
		q.K = 10
	}
	if len(q.Articles) > 0 {
		return s.searchArticles(ctx, q, wd, wk)
	}
	// The query vector is needed even for keyword-only searches: each
	// passage carries its dense similarity, which the bot weighs as evidence.
	qv, err := s.QueryVector(ctx, q.Text)
	if err != nil {
		return nil, err
	}
	stems := text.Stems(q.Text)

	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.kw.live == 0 {
		return nil, nil
	}
	keep := func(c int32) bool {
		a := s.chunks[c].art
		return a != nil && bot.PublishedSince(a.Published, q.Since)
	}
	cands := map[int32]*cand{}
	n := candidates
	if !q.Since.IsZero() {
		n *= 4 // the date filter runs after chromem-go's scan
	}
	if wd > 0 {
		res, err := s.col.QueryEmbedding(ctx, qv, min(n, s.col.Count()), nil, nil)
		if err != nil {
			return nil, fmt.Errorf("dense search: %w", err)
		}
		for _, r := range res {
			id, err := strconv.Atoi(r.ID)
			if err != nil || !keep(int32(id)) {
				continue
			}
			cands[int32(id)] = &cand{dense: float64(r.Similarity)}
		}
	}
	if wk > 0 {
		for _, h := range s.kw.search(stems, candidates, keep) {
			c, ok := cands[h.chunk]
			if !ok {
				c = &cand{dense: dot(qv, s.chunks[h.chunk].vec)}
				cands[h.chunk] = c
			}
			c.kw = h.score
		}
	}
	return s.fuseLocked(cands, q, wd, wk), nil
}

// cand is one chunk's raw dense and keyword scores before fusion.
type cand struct {
	dense, kw float64
}

// fuseLocked normalises the candidates' scores, fuses them with weights wd
// (dense) and wk (keyword), and returns the best q.K passages. s.mu must
// be held for reading.
func (s *Index) fuseLocked(cands map[int32]*cand, q bot.Query, wd, wk float64) []bot.Passage {
	if len(cands) == 0 {
		return nil
	}
	dmin, dmax, kmax := math.Inf(1), math.Inf(-1), 0.0
	for _, c := range cands {
		dmin, dmax, kmax = min(dmin, c.dense), max(dmax, c.dense), max(kmax, c.kw)
	}
	now := time.Now()
	out := make([]bot.Passage, 0, len(cands))
	for id, c := range cands {
		// All candidates equally close (in practice one candidate: a search
		// restricted to a one-chunk article, as a follow's is) are all the
		// best the dense search found, as the best chunk of a wider search
		// is: 1, not 0, or a short article would lose the dense half of its
		// score and every follow it answers.
		dn, kn := 1.0, 0.0
		if dmax > dmin {
			dn = (c.dense - dmin) / (dmax - dmin)
		}
		if kmax > 0 {
			kn = c.kw / kmax
		}
		sl := s.chunks[id]
		score := (wd*dn + wk*kn) / (wd + wk)
		if q.Recency > 0 && !sl.art.Published.IsZero() {
			// Half the bonus for a day-old article, a quarter at two days.
			age := max(now.Sub(sl.art.Published).Hours()/24, 0)
			score += q.Recency * math.Exp2(-age)
		}
		out = append(out, bot.Passage{
			Article: &sl.art.Article, Span: sl.span, Sentences: sl.sentences,
			Score: score, Dense: c.dense, Keyword: c.kw,
		})
	}
	slices.SortFunc(out, func(a, b bot.Passage) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		if a.Article.ID != b.Article.ID {
			if a.Article.ID < b.Article.ID {
				return -1
			}
			return 1
		}
		return a.Span.Start - b.Span.Start
	})
	return out[:min(q.K, len(out))]
}

// IDF implements bot.TermWeigher.
func (s *Index) IDF(stem string) float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.kw.IDF(stem)
}

// Respell implements bot.TermSpeller.
func (s *Index) Respell(stem string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.kw.respell(stem)
}

func dot(a, b []float32) float64 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return float64(s)
}
