package follow_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/bot/follow"
	"newsbot/bot/text"
	"newsbot/retrieval/index"
	"newsbot/retrieval/reader"
	"newsbot/retrieval/reader/traindata"
)

// shared is the read-only data beside the repository.
const shared = "../../../shared"

// benchArticles is how many training articles the benchmark's index
// holds: enough for the words' rarity, few enough to embed in a minute.
const benchArticles = 300

// BenchmarkMatch10k matches one new article against 10,000 follows as
// the match loop does: the real embedder's index, the default prefilter
// and thresholds, and the answer model with the trained reader behind the
// preselect gate (reader) or without it (preselect). The follows are this project's own training questions
// (retrieval/reader/traindata) and topics made of training articles'
// titles, never evaluation questions; the articles are training articles,
// taken in turn (ns/op is the mean over them). Every follow's query
// vector is cached by a first round, as it is for standing follows.
func BenchmarkMatch10k(b *testing.B) {
	if _, err := os.Stat(filepath.Join(shared, "eval/bbc/news_corpus.jsonl")); err != nil {
		b.Skip("../shared/eval absent")
	}
	bc, err := loadBench()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("reader", func(b *testing.B) { benchMatch(b, bc.reader, bc) })
	b.Run("preselect", func(b *testing.B) { benchMatch(b, bc.preselect, bc) })
}

func benchMatch(b *testing.B, m *follow.Matcher, bc *benchSetup) {
	ctx := context.Background()
	follows, news := bc.follows, bc.news
	candidates, matched := 0, 0
	for _, a := range news { // a first round embeds every candidate follow once
		if _, err := m.Match(ctx, a, follows); err != nil {
			b.Fatal(err)
		}
		candidates += len(m.Candidates(a, follows))
	}
	i := 0
	for b.Loop() {
		ms, err := m.Match(ctx, news[i%len(news)], follows)
		if err != nil {
			b.Fatal(err)
		}
		matched += len(ms)
		i++
	}
	b.ReportMetric(float64(candidates)/float64(len(news)), "candidates/op")
	b.ReportMetric(float64(matched)/float64(i), "matches/op")
}

// benchSetup is what every run of the benchmark shares: building the
// index embeds the articles, which takes minutes on a busy machine.
type benchSetup struct {
	// reader matches as the match loop does when the reader is on (the
	// default), preselect as it does when it is off.
	reader, preselect *follow.Matcher
	follows           []bot.Follow
	news              []bot.Article
}

var loadBench = sync.OnceValues(func() (*benchSetup, error) {
	ctx := context.Background()
	corpus, err := traindata.LoadCorpus(filepath.Join(shared, "eval/bbc/news_corpus.jsonl"))
	if err != nil {
		return nil, err
	}
	allowed, err := traindata.LoadIDs(filepath.Join(shared, "eval/news/train_articles.txt"))
	if err != nil {
		return nil, err
	}
	rows, err := traindata.LoadRows("../../retrieval/reader/traindata")
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(allowed))
	for id := range allowed {
		if corpus[id] != nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var arts []bot.Article
	for _, id := range ids[:benchArticles] {
		a := corpus[id]
		arts = append(arts, bot.Article{ID: a.ID, Title: a.Title, Text: a.Text, Source: "BBC"})
	}
	emb, err := index.NewBuiltinEmbedder()
	if err != nil {
		return nil, err
	}
	st, err := index.Open(ctx, nil, emb)
	if err != nil {
		return nil, err
	}
	if _, err := st.Put(ctx, arts, nil); err != nil {
		return nil, err
	}
	rd, err := reader.Load()
	if err != nil {
		return nil, err
	}
	bc := &benchSetup{follows: benchFollows(rows, corpus, ids, 10000)}
	bc.reader = follow.NewMatcher(answer.New(st, answer.WithReader(rd)), st, follow.WithPreselect(answer.New(st), follow.DefaultGate))
	bc.preselect = follow.NewMatcher(answer.New(st), st, follow.WithThreshold(follow.PreselectThreshold))
	// The articles matched in turn: those with training questions, so that
	// some follows are about them.
	asked := map[string]bool{}
	for _, r := range rows {
		asked[r.DocID] = true
	}
	for _, a := range arts {
		if asked[a.ID] && len(bc.news) < 20 {
			stored, _ := st.Article(a.ID)
			bc.news = append(bc.news, stored)
		}
	}
	return bc, nil
})

// benchFollows returns n follows: every training question, then topics
// made of the training articles' titles and of their first words.
func benchFollows(rows []traindata.Row, corpus map[string]*traindata.Article, ids []string, n int) []bot.Follow {
	var qs []string
	for _, r := range rows {
		qs = append(qs, r.Question)
	}
	for _, id := range ids {
		qs = append(qs, corpus[id].Title)
	}
	for _, id := range ids {
		var words []string
		for _, t := range text.Terms(corpus[id].Text) {
			if len(words) == 3 {
				break
			}
			words = append(words, corpus[id].Text[t.Start:t.End])
		}
		qs = append(qs, strings.Join(words, " "))
	}
	fs := make([]bot.Follow, min(n, len(qs)))
	for i := range fs {
		fs[i] = bot.Follow{ID: int64(i + 1), Query: qs[i], Chat: bot.Chat{Platform: "telegram", ID: "1"}}
	}
	return fs
}
