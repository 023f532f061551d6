package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"newsbot/cmd/newsbot/internal/lab"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store"
)

// lab is eval's and bench's view of the program.
func (m *Main) lab() *lab.Lab {
	return &lab.Lab{
		Stdout: m.Stdout, Stderr: m.Stderr, Log: m.Log,
		Embedder: m.embedder,
		OpenDB:   m.openDB,
		OpenLocal: func(ctx context.Context, dir string) (store.DB, error) {
			return m.openEngine(ctx, "", dir)
		},
		NewBot:       m.newBot,
		NewExtractor: m.newExtractor,
		Threshold:    m.Config.Answer.Threshold,
		Progress:     func(what string) func(index.Progress) { return newProgress(m.Stderr, what).update },
	}
}

// labError makes the lab's usage mistakes usage errors.
func labError(err error) error {
	var ue lab.UsageError
	if errors.As(err, &ue) {
		return usageError{ue.Msg}
	}
	return err
}

func (m *Main) evalCmd() *cobra.Command {
	o := lab.DefaultEvalOptions()
	var threshold unitFloat
	var follows bool
	var gate unitFloat
	fo := lab.FollowsOptions{}
	c := &cobra.Command{
		Use:   "eval --docs FILE --questions FILE",
		Short: "Measure retrieval and quote quality on a QA set",
		Long: "Builds a fresh store from the docs and asks every question through the same path as ask;\n" +
			"reports recall@1/5/10, quote hits, the share answered, latency, per question type, and with\n" +
			"--fit/--folds the answer model fitted on all sets and cross-validated by article.",
		Example:           "  newsbot eval --docs docs.jsonl --questions questions.jsonl --also DOCS,QUESTIONS -k 10",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			if threshold.set {
				o.Threshold = threshold.v
			}
			if follows {
				fo.Docs, fo.Questions, fo.Cache, fo.Limit, fo.JSON, fo.Sweep = o.Docs, o.Questions, o.Cache, o.Limit, o.JSON, o.Sweep
				fo.Threshold, fo.Gate = -1, -1
				if threshold.set {
					fo.Threshold = threshold.v
				}
				if gate.set {
					fo.Gate = gate.v
				}
				return labError(m.lab().EvalFollows(c.Context(), fo))
			}
			o.Command = strings.TrimSpace("newsbot eval " + strings.Join(m.argsAfter("eval"), " "))
			return labError(m.lab().Eval(c.Context(), o))
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Docs, "docs", "", "JSON Lines `file` of documents {id, title, text, ...}")
	fl.StringVar(&o.Questions, "questions", "", "JSON Lines `file` of questions {id, question, answers[], doc_id, type}")
	fl.StringVar(&o.Unanswerable, "unanswerable", "", "optional JSON Lines `file` of questions the docs do not cover {question, near_doc}")
	fl.Func("also", "another set `DOCS,QUESTIONS[,UNANSWERABLE]` scored and fitted with the first (repeatable)", func(v string) error {
		s, err := lab.ParseSet(v)
		o.Also = append(o.Also, s)
		return err
	})
	fl.BoolVar(&o.JSON, "json", false, "print one JSON object")
	fl.IntVarP(&o.K, "k", "k", o.K, "passages retrieved per question for recall")
	fl.StringVar(&o.Mode, "mode", o.Mode, "retrieval `mode`: hybrid, dense or keyword")
	fl.Var(&threshold, "threshold", "confidence `score` 0..1 below which the bot refuses (default: [answer] threshold of the config, else the answer model's)")
	fl.BoolVar(&o.Sweep, "sweep", false, "also print answered/quote_hit/out-of-scope refusal for a range of thresholds")
	fl.IntVar(&o.Limit, "limit", 0, "use only the first N questions of each set")
	fl.BoolVar(&o.Misses, "misses", false, "print each question whose first quote misses the gold answer, and each answered unanswerable one")
	fl.Float64Var(&o.DenseWeight, "dense-weight", o.DenseWeight, "weight of the dense score in hybrid fusion (keyword gets 1 minus it)")
	fl.StringVar(&o.Cache, "cache", "", "keep the eval stores under `dir` and reuse them on the next run (default: temporary in-memory stores)")
	fl.IntVar(&o.Folds, "folds", 0, "also report K-fold cross-validated figures of a model fitted on the other folds (folds by article)")
	fl.StringVar(&o.Fit, "fit", "", "fit the answer model on every set and write its weights to `file` (JSON, as bot/answer/model/answer_weights.json)")
	fl.Float64Var(&o.Lambda, "lambda", o.Lambda, "L2 penalty of the fit (the shipped model's; it cross-validated better than 1)")
	fl.BoolVar(&o.PerArticle, "per-article", false, "also ask each question in a store that holds only its own article, as a first install with one article does; scored as a set of its own, never fitted on")
	fl.Float64Var(&o.MinAnswered, "min-answered", o.MinAnswered, "the fitted threshold is the highest that still answers this share of every set's answerable questions (the shipped model's)")
	fl.BoolVar(&follows, "follows", false, "measure follows instead: each answerable question is a follow and the docs arrive one by one in file order; reports the share of gold articles pushed with an answer and the unrelated pushes per follow per 1,000 articles (uses --docs, --questions, --cache, --threshold, --limit, --sweep, --json)")
	fl.Var(&gate, "gate", "with --follows: the preselect model's probability `score` 0..1 a follow needs before the reader reads it (default: the matcher's)")
	fl.Func("prefilter", "with --follows: the prefilter `MIN_RARITY,MIN_SHARE,MAX_CANDIDATES` (default: the matcher's)", func(v string) error {
		_, err := fmt.Sscanf(v, "%g,%g,%d", &fo.Prefilter.MinRarity, &fo.Prefilter.MinShare, &fo.Prefilter.MaxCandidates)
		return err
	})
	for _, name := range []string{"docs", "questions", "unanswerable", "fit"} {
		_ = c.MarkFlagFilename(name, "jsonl", "json")
	}
	_ = c.MarkFlagDirname("cache")
	_ = c.RegisterFlagCompletionFunc("mode", fixedValues("hybrid", "dense", "keyword"))
	return c
}

func (m *Main) benchCmd() *cobra.Command {
	o := lab.DefaultBenchOptions()
	c := &cobra.Command{
		Use:   "bench --corpus FILE",
		Short: "Measure ingest and query speed",
		Long: "Measures ingest and query speed, startup time and memory on a JSON Lines corpus, in a\n" +
			"fresh store (see README, Performance).",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			return labError(m.lab().Bench(c.Context(), o))
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Corpus, "corpus", "", "JSON Lines `file` of articles, e.g. ../shared/eval/bbc/news_corpus.jsonl")
	fl.IntVar(&o.Scale, "scale", 0, "grow the store to `N` chunks with varied copies of the corpus before measuring queries")
	fl.IntVar(&o.Limit, "limit", 0, "ingest only the first `N` articles of the corpus")
	fl.IntVar(&o.Queries, "queries", o.Queries, "questions to time")
	fl.BoolVar(&o.JSON, "json", false, "print one JSON object")
	fl.StringVar(&o.Dir, "dir", "", "store `dir` (default: a temporary directory, removed afterwards)")
	_ = c.MarkFlagFilename("corpus", "jsonl")
	_ = c.MarkFlagDirname("dir")
	return c
}
