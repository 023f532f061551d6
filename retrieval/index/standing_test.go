package index

import (
	"context"
	"fmt"
	"math"
	"testing"

	"newsbot/bot"
)

// TestSearchArticles restricts searches to named articles: only their
// chunks come back, each with the raw scores an unrestricted search gives
// it, and a standing query is embedded once however often it is asked.
func TestSearchArticles(t *testing.T) {
	ctx := context.Background()
	emb := &hashEmbedder{}
	st, err := Open(ctx, nil, emb)
	if err != nil {
		t.Fatal(err)
	}
	arts := append([]bot.Article(nil), corpus...)
	arts = append(arts, art("a4", "More maize", "Maize prices rose again in Kenya after the harvest was counted."))
	if _, err := st.Put(ctx, arts, nil); err != nil {
		t.Fatal(err)
	}
	const q = "maize harvest in Kenya"
	all, err := st.Search(ctx, bot.Query{Text: q, K: 10})
	if err != nil {
		t.Fatal(err)
	}
	byArticle := map[string]bot.Passage{}
	for _, p := range all {
		byArticle[p.Article.ID] = p
	}
	for _, tc := range []struct {
		ids  []string
		want []string
	}{
		{[]string{"a4"}, []string{"a4"}},
		{[]string{"a1", "a4"}, []string{"a1", "a4"}},
		{[]string{"a3"}, []string{"a3"}}, // shares no word: still its only candidate
		{[]string{"nope"}, nil},
	} {
		t.Run(fmt.Sprint(tc.ids), func(t *testing.T) {
			ps, err := st.Search(ctx, bot.Query{Text: q, K: 10, Articles: tc.ids})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, p := range ps {
				got[p.Article.ID] = true
				if w, ok := byArticle[p.Article.ID]; ok {
					if math.Abs(p.Dense-w.Dense) > 1e-6 || math.Abs(p.Keyword-w.Keyword) > 1e-6 {
						t.Errorf("%s: dense %v keyword %v, unrestricted %v %v", p.Article.ID, p.Dense, p.Keyword, w.Dense, w.Keyword)
					}
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("articles %v, want %v", got, tc.want)
			}
			for _, id := range tc.want {
				if !got[id] {
					t.Errorf("article %s missing from %v", id, got)
				}
			}
		})
	}
	before := emb.Calls()
	for range 3 {
		if _, err := st.Search(ctx, bot.Query{Text: q, K: 10, Articles: []string{"a1"}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := emb.Calls() - before; n != 0 {
		t.Errorf("a standing query was embedded %d more times", n)
	}
}

// TestScoreChunksAfterReplace keeps the binary search over postings right
// once an article is replaced and its old chunks tombstoned and compacted.
func TestScoreChunksAfterReplace(t *testing.T) {
	x := newKeywordIndex()
	x.add(0, countTerms([]string{"maiz", "harvest"}))
	x.add(1, countTerms([]string{"maiz", "price", "maiz"}))
	x.add(2, countTerms([]string{"price"}))
	x.remove(0)
	x.compact()
	x.add(3, countTerms([]string{"maiz", "harvest", "kenya"}))
	stems := []string{"maiz", "harvest", "price"}
	want := map[int32]float64{}
	for _, h := range x.search(stems, 10, nil) {
		want[h.chunk] = h.score
	}
	chunks := []int32{0, 1, 2, 3}
	for i, got := range x.scoreChunks(stems, chunks) {
		if got != want[chunks[i]] {
			t.Errorf("chunk %d: %v, search gives %v", chunks[i], got, want[chunks[i]])
		}
	}
}

// TestSearchOneChunkArticle: a search restricted to an article of one
// chunk has one candidate, which is the best the dense search found, as
// the best chunk of an unrestricted search is. Its fused score must not
// lose the dense half (min-max over one value): short feed items would
// then never clear a follow's threshold.
func TestSearchOneChunkArticle(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, nil, &hashEmbedder{})
	if err != nil {
		t.Fatal(err)
	}
	one := art("short", "Rates rise", "The central bank raised interest rates on Tuesday.")
	if _, err := st.Put(ctx, append(append([]bot.Article(nil), corpus...), one), nil); err != nil {
		t.Fatal(err)
	}
	ps, err := st.Search(ctx, bot.Query{Text: "interest rates", K: 10, Articles: []string{"short"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("%d passages, want the article's one chunk", len(ps))
	}
	// Best on both halves: dense normalised to 1, keyword divided by the best (itself).
	if math.Abs(ps[0].Score-1) > 1e-9 {
		t.Errorf("fused score %v, want 1 (the best dense and the best keyword score)", ps[0].Score)
	}
}
