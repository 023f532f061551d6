package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"newsbot/bot"
	"newsbot/retrieval"
	"newsbot/retrieval/ingest"
	"newsbot/retrieval/store"
)

// evalQuestion is one line of a questions file.
type evalQuestion struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Answers  []string `json:"answers"`
	DocID    string   `json:"doc_id"`
}

// evalReport is what eval measures; with --json it is printed as is.
type evalReport struct {
	Questions   int     `json:"questions"`
	RecallAt1   float64 `json:"recall_at_1"`
	RecallAt5   float64 `json:"recall_at_5"`
	RecallAt10  float64 `json:"recall_at_10"`
	QuoteHit    float64 `json:"quote_hit"`
	TopQuoteHit float64 `json:"top_quote_hit"`
	Answered    float64 `json:"answered"`
	P50Ms       float64 `json:"p50_ms"`
	P95Ms       float64 `json:"p95_ms"`
	// OutOfScopeRefused is the share of --unanswerable questions refused;
	// present only when that flag is given.
	OutOfScopeRefused *float64 `json:"out_of_scope_refused,omitempty"`
}

// modeRetriever searches a store with one retriever mode, for eval.
type modeRetriever struct {
	*retrieval.Store
	mode string
}

func (r modeRetriever) Search(ctx context.Context, q bot.Query) ([]bot.Passage, error) {
	return r.Store.SearchMode(ctx, q, r.mode)
}

func (m *Main) runEval(ctx context.Context, args []string) error {
	fl := m.command("eval", "eval --docs FILE --questions FILE [--json] [-k N]", "Builds a fresh store from the docs and asks every question through the same path as ask;\nreports recall@1/5/10, quote hits, the share answered and latency.")
	docs := fl.String("docs", "", "JSON Lines `file` of documents {id, title, text, ...}")
	questions := fl.String("questions", "", "JSON Lines `file` of questions {id, question, answers[], doc_id}")
	unanswerable := fl.String("unanswerable", "", "optional JSON Lines `file` of questions the docs do not cover {question}")
	asJSON := fl.Bool("json", false, "print one JSON object")
	k := fl.Int("k", 10, "passages retrieved per question for recall")
	mode := fl.String("mode", "hybrid", "retrieval: hybrid, dense or keyword")
	var threshold unitFloat
	fl.Var(&threshold, "threshold", "evidence `score` 0..1 below which the bot refuses (default: [answer] threshold of the config, else 0.45)")
	sweep := fl.Bool("sweep", false, "also print answered/quote_hit/out-of-scope refusal for a range of thresholds")
	limit := fl.Int("limit", 0, "use only the first N questions")
	misses := fl.Bool("misses", false, "print each question whose quotes miss the gold answer")
	dw := fl.Float64("dense-weight", retrieval.DenseWeight, "weight of the dense score in hybrid fusion (keyword gets 1 minus it)")
	cache := fl.String("cache", "", "keep the eval store in `dir` and reuse it on the next run (default: a temporary in-memory store)")
	if help, err := parseFlags(fl, args); help || err != nil {
		return err
	}
	if *docs == "" || *questions == "" {
		return usageError{"eval: --docs and --questions are required"}
	}
	if !slices.Contains([]string{"hybrid", "dense", "keyword"}, *mode) {
		return usageError{fmt.Sprintf("eval: --mode %q: use hybrid, dense or keyword", *mode)}
	}
	if *dw < 0 || *dw > 1 {
		return usageError{"eval: --dense-weight must be within 0..1"}
	}
	retrieval.DenseWeight, retrieval.KeywordWeight = *dw, 1-*dw
	if err := mustExist("--docs", *docs); err != nil {
		return err
	}
	arts, err := ingest.File(*docs)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	qs, err := readEvalQuestions(*questions)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if *limit > 0 && *limit < len(qs) {
		qs = qs[:*limit]
	}
	var oos []evalQuestion
	if *unanswerable != "" {
		if oos, err = readEvalQuestions(*unanswerable); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	emb, err := m.embedder()
	if err != nil {
		return err
	}
	var db store.DB // in memory unless --cache names a dir
	if *cache != "" {
		// Always embedded: eval must never write its documents into a
		// deployment's shared store.
		if db, err = m.openEngine(ctx, "", *cache); err != nil {
			return err
		}
		defer db.Close()
	}
	st, err := retrieval.Open(ctx, db, emb, retrieval.WithLogger(m.Log))
	if err != nil {
		return err
	}
	if _, err := st.Put(ctx, arts, newProgress(m.Stderr, "documents").update); err != nil {
		return err
	}
	b, err := m.newBot(modeRetriever{st, *mode})
	if err != nil {
		return err
	}
	if threshold.set {
		b = bot.New(modeRetriever{st, *mode}, bot.WithThreshold(threshold.v), bot.WithLogger(m.Log),
			bot.WithMaxQuotes(m.Config.Answer.MaxQuotes), bot.WithCandidates(m.Config.Answer.Candidates))
	}
	// For the sweep, answers are taken at threshold 0 and cut afterwards.
	b0 := bot.New(modeRetriever{st, *mode}, bot.WithThreshold(0), bot.WithLogger(m.Log),
		bot.WithMaxQuotes(m.Config.Answer.MaxQuotes), bot.WithCandidates(m.Config.Answer.Candidates))

	rep := evalReport{Questions: len(qs)}
	var lat []float64
	type point struct {
		ev       float64
		hit, top bool
	}
	var pts []point
	for _, q := range qs {
		gold := lowerAll(q.Answers)
		ps, err := st.SearchMode(ctx, bot.Query{Text: q.Question, K: *k}, *mode)
		if err != nil {
			return err
		}
		for i, p := range ps {
			if containsAny(strings.ToLower(p.Text()), gold) {
				if i < 1 {
					rep.RecallAt1++
				}
				if i < 5 {
					rep.RecallAt5++
				}
				if i < 10 {
					rep.RecallAt10++
				}
				break
			}
		}
		t0 := time.Now()
		ans, err := b.Ask(ctx, bot.Question{Text: q.Question})
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		if err != nil {
			return fmt.Errorf("eval: question %s: %w", q.ID, err)
		}
		if ans.Answered {
			rep.Answered++
		}
		hit, top := quoteHits(ans, gold)
		if hit {
			rep.QuoteHit++
		}
		if top {
			rep.TopQuoteHit++
		}
		if *misses && !top {
			first := "(refused)"
			if len(ans.Quotes) > 0 {
				first = ans.Quotes[0].Text
			}
			fmt.Fprintf(m.Stdout, "MISS %s ev=%.2f hit=%v\n  Q: %s\n  gold: %v\n  top: %s\n", q.ID, ans.Evidence, hit, q.Question, q.Answers, first)
		}
		if *sweep {
			a0, _ := b0.Ask(ctx, bot.Question{Text: q.Question})
			h0, t0 := quoteHits(a0, gold)
			pts = append(pts, point{a0.Evidence, h0, t0})
		}
	}
	var oosEv []float64
	if len(oos) > 0 {
		refused := 0.0
		for _, q := range oos {
			ans, err := b.Ask(ctx, bot.Question{Text: q.Question})
			if err != nil {
				return err
			}
			if !ans.Answered {
				refused++
			} else if *misses {
				fmt.Fprintf(m.Stdout, "ANSWERED out-of-scope ev=%.2f\n  Q: %s\n  top: %s\n", ans.Evidence, q.Question, ans.Quotes[0].Text)
			}
			a0, _ := b0.Ask(ctx, bot.Question{Text: q.Question})
			oosEv = append(oosEv, a0.Evidence)
		}
		refused /= float64(len(oos))
		rep.OutOfScopeRefused = &refused
	}
	n := float64(max(len(qs), 1))
	rep.RecallAt1 /= n
	rep.RecallAt5 /= n
	rep.RecallAt10 /= n
	rep.QuoteHit /= n
	rep.TopQuoteHit /= n
	rep.Answered /= n
	rep.P50Ms, rep.P95Ms = percentile(lat, 50), percentile(lat, 95)
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(m.Stdout, "mode %s, %d docs, %d questions\n", *mode, len(arts), rep.Questions)
	fmt.Fprintf(m.Stdout, "recall@1 %.3f  recall@5 %.3f  recall@10 %.3f\n", rep.RecallAt1, rep.RecallAt5, rep.RecallAt10)
	fmt.Fprintf(m.Stdout, "quote_hit %.3f  top_quote_hit %.3f  answered %.3f\n", rep.QuoteHit, rep.TopQuoteHit, rep.Answered)
	fmt.Fprintf(m.Stdout, "latency p50 %.1f ms  p95 %.1f ms\n", rep.P50Ms, rep.P95Ms)
	if rep.OutOfScopeRefused != nil {
		fmt.Fprintf(m.Stdout, "out-of-scope refused %.3f (%d questions)\n", *rep.OutOfScopeRefused, len(oos))
	}
	if *sweep {
		fmt.Fprintln(m.Stdout, "threshold  answered  quote_hit  top_quote_hit  oos_refused")
		for t := 0.0; t <= 0.801; t += 0.05 {
			var ans, hit, top, ref float64
			for _, p := range pts {
				if p.ev >= t {
					ans++
					if p.hit {
						hit++
					}
					if p.top {
						top++
					}
				}
			}
			for _, e := range oosEv {
				if e < t {
					ref++
				}
			}
			fmt.Fprintf(m.Stdout, "%9.2f  %8.3f  %9.3f  %13.3f  %11.3f\n", t, ans/n, hit/n, top/n, ref/float64(max(len(oosEv), 1)))
		}
	}
	return nil
}

func quoteHits(a bot.Answer, gold []string) (hit, top bool) {
	for i, q := range a.Quotes {
		if containsAny(strings.ToLower(q.Text), gold) {
			hit = true
			if i == 0 {
				top = true
			}
		}
	}
	return hit, top
}

func readEvalQuestions(path string) ([]evalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []evalQuestion
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if q.Question == "" {
			return nil, fmt.Errorf("%s:%d: no question", path, line)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if x != "" && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// percentile returns the p-th percentile of xs (nearest rank).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
