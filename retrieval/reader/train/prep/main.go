// Command prep writes what the reader's trainer (../train.py) reads: the
// USE-lite base parameters, and the training questions as groups of
// (question, sentence) token sequences with labels, tokenized exactly as
// the Go reader tokenizes them. Run it through ../train.sh.
//
// A group holds one question and the sentences it is trained against: for
// an answerable question, its gold sentence (label 1), other sentences of
// the same article, and the sentences of other articles that share the
// most rare words with the question (hard negatives, label 0); for an
// unanswerable one, the same without a positive. Only articles of
// train_articles.txt are read, and every group carries the fold of its
// article (a hash of the id), so validation holds out whole articles.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"

	"newsbot/bot/text"
	"newsbot/retrieval/reader/traindata"
	"newsbot/retrieval/use"
)

// pair is one token sequence: the question's QLen tokens, then the
// sentence's (segments 0 and 1 of use.PairIDs).
type pair struct {
	IDs   []int `json:"ids"`
	QLen  int   `json:"qlen"`
	Label int   `json:"label"`
}

func newPair(ids []int, seg []uint8, label int) pair {
	q := 0
	for q < len(seg) && seg[q] == 0 {
		q++
	}
	return pair{IDs: ids, QLen: q, Label: label}
}

type group struct {
	QID   string `json:"qid"`
	Fold  int    `json:"fold"`
	Type  string `json:"type,omitempty"`
	Main  bool   `json:"main,omitempty"`
	Pairs []pair `json:"pairs"`
}

type sentence struct {
	doc  string
	text string
}

func main() {
	shared := flag.String("shared", "../shared", "the shared folder")
	data := flag.String("data", "retrieval/reader/traindata", "folder of training rows")
	out := flag.String("out", "", "output folder (required)")
	inArticle := flag.Int("in-article", 3, "negatives from the gold article, at most")
	inArticleHard := flag.Int("in-article-hard", 2, "of which the ones sharing the most rare question words")
	hard := flag.Int("hard", 1, "hard negatives from other articles")
	limit := flag.Int("limit", 0, "use only the first N rows (0: all), for the learning curve")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	corpus, err := traindata.LoadCorpus(filepath.Join(*shared, "eval/bbc/news_corpus.jsonl"))
	check(err)
	allowed, err := traindata.LoadIDs(filepath.Join(*shared, "eval/news/train_articles.txt"))
	check(err)
	rows, err := traindata.LoadRows(*data)
	check(err)
	if *limit > 0 && *limit < len(rows) {
		// A random subset, the same for a given seed, keeps the mix of
		// writers and types that the whole set has.
		r := rand.New(rand.NewPCG(*seed, 7))
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		rows = rows[:*limit]
	}
	m, err := use.Load()
	check(err)
	check(os.MkdirAll(*out, 0o755))

	base, err := use.BaseParams()
	check(err)
	f, err := os.Create(filepath.Join(*out, "base.bin"))
	check(err)
	check(use.WriteParams(f, base, false))
	check(f.Close())

	// Every sentence of the allowed articles, with an inverted index of
	// their stems for the hard negatives.
	var sents []sentence
	byDoc := map[string][]int{}
	postings := map[string][]int32{}
	ids := make([]string, 0, len(allowed))
	for id := range allowed {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a := corpus[id]
		if a == nil {
			continue
		}
		for _, sp := range text.Sentences(a.Text) {
			i := len(sents)
			sents = append(sents, sentence{doc: id, text: a.Text[sp.Start:sp.End]})
			byDoc[id] = append(byDoc[id], i)
			seen := map[string]bool{}
			for _, st := range text.Stems(sents[i].text) {
				if !seen[st] {
					seen[st] = true
					postings[st] = append(postings[st], int32(i))
				}
			}
		}
	}
	idf := func(st string) float64 {
		return math.Log(float64(len(sents)+1) / float64(len(postings[st])+1))
	}
	rng := rand.New(rand.NewPCG(*seed, 1))
	gf, err := os.Create(filepath.Join(*out, "groups.jsonl"))
	check(err)
	w := bufio.NewWriter(gf)
	enc := json.NewEncoder(w)
	var nGroups, nPairs int
	for _, r := range rows {
		g := group{QID: r.ID, Type: r.Type, Main: r.Main}
		var gold string
		if r.DocID != "" {
			g.Fold = traindata.Fold(r.DocID)
		} else {
			g.Fold = traindata.Fold(r.ID)
		}
		if !r.Unanswerable {
			gold = corpus[r.DocID].Text[r.Start:r.End]
			ids, seg := m.PairIDs(r.Question, gold)
			g.Pairs = append(g.Pairs, newPair(ids, seg, 1))
		}
		add := func(i int) {
			if sents[i].text == gold {
				return // the same sentence in a duplicate article answers too
			}
			ids, seg := m.PairIDs(r.Question, sents[i].text)
			g.Pairs = append(g.Pairs, newPair(ids, seg, 0))
		}
		// Negatives from the question's own article: the ones sharing the
		// most rare question words first (the ones a reader must learn to
		// pass over), then others at random.
		qw := map[string]float64{}
		for _, st := range text.Stems(r.Question) {
			qw[st] = idf(st)
		}
		if r.DocID != "" {
			own := append([]int(nil), byDoc[r.DocID]...)
			rng.Shuffle(len(own), func(i, j int) { own[i], own[j] = own[j], own[i] })
			// Each sentence's rare-word overlap with the question, computed
			// once rather than in every comparison of the sort.
			overlap := map[int]float64{}
			for _, i := range own {
				seen := map[string]bool{}
				for _, st := range text.Stems(sents[i].text) {
					if !seen[st] {
						seen[st] = true
						overlap[i] += qw[st]
					}
				}
			}
			byOverlap := append([]int(nil), own...)
			sort.SliceStable(byOverlap, func(a, b int) bool { return overlap[byOverlap[a]] > overlap[byOverlap[b]] })
			picked := map[int]bool{}
			take := func(list []int, limit int) {
				for _, i := range list {
					if len(picked) >= limit {
						return
					}
					if sents[i].text != gold && !picked[i] {
						picked[i] = true
						add(i)
					}
				}
			}
			take(byOverlap, *inArticleHard)
			take(own, *inArticle)
		}
		// Hard negatives: other articles' sentences sharing the most rare
		// question words.
		score := map[int32]float64{}
		seen := map[string]bool{}
		for _, st := range text.Stems(r.Question) {
			if seen[st] {
				continue
			}
			seen[st] = true
			w := idf(st)
			for _, i := range postings[st] {
				score[i] += w
			}
		}
		cand := make([]int32, 0, len(score))
		for i := range score {
			if sents[i].doc != r.DocID {
				cand = append(cand, i)
			}
		}
		sort.Slice(cand, func(a, b int) bool {
			if score[cand[a]] != score[cand[b]] {
				return score[cand[a]] > score[cand[b]]
			}
			return cand[a] < cand[b]
		})
		for k := 0; k < len(cand) && k < *hard; k++ {
			add(int(cand[k]))
		}
		if len(g.Pairs) == 0 {
			continue
		}
		check(enc.Encode(g))
		nGroups++
		nPairs += len(g.Pairs)
	}
	check(w.Flush())
	check(gf.Close())
	fmt.Printf("prep: %d groups, %d pairs, %d sentences indexed, written to %s\n", nGroups, nPairs, len(sents), *out)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
