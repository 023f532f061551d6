package lab

import (
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strings"

	"newsbot/bot"
	"newsbot/bot/answer"
)

// evalItem is one question asked during eval, with what the bot considered.
type evalItem struct {
	set        int
	foldSet    int // the set whose folds it shares (its own, or the full store's for a one-article store)
	q          evalQuestion
	answerable bool
	gold       []string // lower-cased answers
	goldText   string   // the text of the gold article, "" when unknown
	pool       answer.Pool
	labels     []bool // per candidate: does it answer the question?
	x          *answer.Extractor
}

// holds reports whether text, cut from article a, holds a gold answer. With
// a doc_id the text must come from that article or from one with identical
// text (an exact duplicate stored under another id): short answers such as
// "London" or "2007" are in many articles, and quoting another is no hit.
func (it *evalItem) holds(a *bot.Article, text string) bool {
	if it.q.DocID != "" && a.ID != it.q.DocID && (it.goldText == "" || a.Text != it.goldText) {
		return false
	}
	return containsAny(strings.ToLower(text), it.gold)
}

// fold puts the question in one of k folds by its article (doc_id, else
// near_doc, else its own id), so that no article's questions are both
// fitted and scored.
func (it *evalItem) fold(k int) int {
	g := it.q.DocID
	if g == "" {
		g = it.q.NearDoc
	}
	if g == "" {
		g = "q:" + it.q.ID + it.q.Question
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%d/%s", it.foldSet, g)
	return int(h.Sum32() % uint32(k))
}

// evalScores are the answer measures of one model over one set.
type evalScores struct {
	QuoteHit    float64 `json:"quote_hit"`
	TopQuoteHit float64 `json:"top_quote_hit"`
	Answered    float64 `json:"answered"`
	// RankedTop is top_quote_hit with no refusals (threshold 0): how well
	// the model ranks, apart from when it refuses.
	RankedTop float64 `json:"ranked_top"`
	// OutOfScopeRefused is the share of --unanswerable questions refused;
	// present only when that flag is given.
	OutOfScopeRefused *float64               `json:"out_of_scope_refused,omitempty"`
	ByType            map[string]*typeScores `json:"by_type,omitempty"`
	// Folds is the number of folds of cross-validated figures (0 otherwise).
	Folds int `json:"folds,omitempty"`
}

// typeScores are the measures for one question type.
type typeScores struct {
	Questions   int     `json:"questions"`
	QuoteHit    float64 `json:"quote_hit"`
	TopQuoteHit float64 `json:"top_quote_hit"`
	Answered    float64 `json:"answered"`
}

// evalReport is what eval measures for one set; with --json it is printed
// as is.
type evalReport struct {
	Set        string  `json:"-"`
	Docs       int     `json:"-"`
	Questions  int     `json:"questions"`
	RecallAt1  float64 `json:"recall_at_1"`
	RecallAt5  float64 `json:"recall_at_5"`
	RecallAt10 float64 `json:"recall_at_10"`
	evalScores
	P50Ms float64 `json:"p50_ms"`
	P95Ms float64 `json:"p95_ms"`
	// Fitted and CrossValidated are the figures of a model fitted on all the
	// sets, and of models fitted on the other folds (--fit, --folds).
	Fitted         *evalScores   `json:"fitted,omitempty"`
	CrossValidated *evalScores   `json:"cross_validated,omitempty"`
	Also           []*evalReport `json:"also,omitempty"`

	unanswerable int
}

// finish turns the recall counts of n answerable questions into shares
// and sets the latency percentiles (ms).
func (r *evalReport) finish(n int, lat []float64) {
	d := float64(max(n, 1))
	r.RecallAt1 /= d
	r.RecallAt5 /= d
	r.RecallAt10 /= d
	r.P50Ms, r.P95Ms = percentile(lat, 50), percentile(lat, 95)
}

func (r *evalReport) recall(rank int) {
	if rank < 1 {
		r.RecallAt1++
	}
	if rank < 5 {
		r.RecallAt5++
	}
	if rank < 10 {
		r.RecallAt10++
	}
}

// outcome composes the item's answer under a model and threshold and says
// whether a quote, and the first quote, answer it.
func (it *evalItem) outcome(m *answer.Model, threshold float64) (ans bot.Answer, hit, top bool) {
	ans = it.x.Compose(it.pool, m, threshold)
	for i, q := range ans.Quotes {
		a := &bot.Article{ID: q.ArticleID, Text: it.articleText(q)}
		if it.answerable && it.holds(a, q.Text) {
			hit = true
			top = top || i == 0
		}
	}
	return ans, hit, top
}

// articleText finds the full text of the article a quote came from.
func (it *evalItem) articleText(q bot.Quote) string {
	for _, c := range it.pool.Candidates {
		if c.Passage.Article.ID == q.ArticleID {
			return c.Passage.Article.Text
		}
	}
	return ""
}

// score fills s from the items of one set, each composed with the model and
// threshold modelFor gives it.
func (s *evalScores) score(items []*evalItem, modelFor func(*evalItem) (*answer.Model, float64)) {
	var n, oos, refused float64
	s.ByType = nil
	for _, it := range items {
		m, t := modelFor(it)
		ans, hit, top := it.outcome(m, t)
		if !it.answerable {
			oos++
			if !ans.Answered {
				refused++
			}
			continue
		}
		n++
		if _, _, top0 := it.outcome(m, 0); top0 {
			s.RankedTop++
		}
		if it.q.Type != "" {
			if s.ByType == nil {
				s.ByType = map[string]*typeScores{}
			}
			ts := s.ByType[it.q.Type]
			if ts == nil {
				ts = &typeScores{}
				s.ByType[it.q.Type] = ts
			}
			ts.Questions++
			ts.QuoteHit += b2f(hit)
			ts.TopQuoteHit += b2f(top)
			ts.Answered += b2f(ans.Answered)
		}
		s.QuoteHit += b2f(hit)
		s.TopQuoteHit += b2f(top)
		s.Answered += b2f(ans.Answered)
	}
	n = max(n, 1)
	s.QuoteHit /= n
	s.TopQuoteHit /= n
	s.Answered /= n
	s.RankedTop /= n
	for _, ts := range s.ByType {
		q := float64(ts.Questions)
		ts.QuoteHit, ts.TopQuoteHit, ts.Answered = ts.QuoteHit/q, ts.TopQuoteHit/q, ts.Answered/q
	}
	s.OutOfScopeRefused = nil
	if oos > 0 {
		r := refused / oos
		s.OutOfScopeRefused = &r
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func filter(items []*evalItem, set int) []*evalItem {
	return slices.DeleteFunc(slices.Clone(items), func(it *evalItem) bool { return it.set != set })
}

// fittable drops the questions asked of one-article stores
// (--per-article): they are scored, never fitted on.
func fittable(items []*evalItem) []*evalItem {
	return slices.DeleteFunc(slices.Clone(items), func(it *evalItem) bool { return it.set != it.foldSet })
}

// samples are the labelled candidates of the items keep accepts (nil: all).
func samples(items []*evalItem, keep func(*evalItem) bool) []answer.Sample {
	var out []answer.Sample
	for _, it := range items {
		if keep != nil && !keep(it) {
			continue
		}
		for j, c := range it.pool.Candidates {
			out = append(out, answer.Sample{X: c.Features, Y: it.labels[j]})
		}
	}
	return out
}

// fitItems fits the answer model on the items keep accepts and picks its
// threshold on the same items (see pickThreshold).
func fitItems(items []*evalItem, lambda, minAnswered float64, keep func(*evalItem) bool) (*answer.Model, error) {
	items = fittable(items)
	m, err := answer.FitModel(samples(items, keep), lambda)
	if err != nil {
		return nil, err
	}
	var train []*evalItem
	for _, it := range items {
		if keep == nil || keep(it) {
			train = append(train, it)
		}
	}
	m.Threshold = pickThreshold(train, m, minAnswered)
	return m, nil
}

// pickThreshold returns the highest threshold, on a 0.01 grid, at which
// every set still answers at least minAnswered of its answerable questions:
// refusing out-of-scope questions matters, but not at the cost of leaving
// real questions unanswered.
func pickThreshold(items []*evalItem, m *answer.Model, minAnswered float64) float64 {
	type pt struct {
		p   float64
		set int
	}
	var pts []pt
	n := map[int]float64{}
	for _, it := range items {
		if !it.answerable {
			continue
		}
		ans, _, _ := it.outcome(m, 0)
		pts = append(pts, pt{ans.Confidence, it.set})
		n[it.set]++
	}
	best := 0.0
	for t := 0.01; t < 0.991; t += 0.01 {
		answered := map[int]float64{}
		for _, p := range pts {
			if p.p >= t {
				answered[p.set]++
			}
		}
		ok := true
		for set, c := range n {
			ok = ok && answered[set]/c >= minAnswered
		}
		if !ok {
			break
		}
		best = t
	}
	return float64(int(best*100+0.5)) / 100
}

func (r *evalReport) print(w io.Writer, name, mode string) {
	fmt.Fprintf(w, "== %s: mode %s, %d docs, %d questions\n", name, mode, r.Docs, r.Questions)
	fmt.Fprintf(w, "recall@1 %.3f  recall@5 %.3f  recall@10 %.3f\n", r.RecallAt1, r.RecallAt5, r.RecallAt10)
	fmt.Fprintf(w, "latency p50 %.1f ms  p95 %.1f ms\n", r.P50Ms, r.P95Ms)
	r.evalScores.print(w, "shipped model")
	if r.Fitted != nil {
		r.Fitted.print(w, "fitted on all")
	}
	if r.CrossValidated != nil {
		r.CrossValidated.print(w, fmt.Sprintf("cross-validated, %d folds by article", r.CrossValidated.Folds))
	}
}

func (s *evalScores) print(w io.Writer, label string) {
	fmt.Fprintf(w, "[%s] quote_hit %.3f  top_quote_hit %.3f  answered %.3f  ranked_top %.3f", label, s.QuoteHit, s.TopQuoteHit, s.Answered, s.RankedTop)
	if s.OutOfScopeRefused != nil {
		fmt.Fprintf(w, "  out_of_scope_refused %.3f", *s.OutOfScopeRefused)
	}
	fmt.Fprintln(w)
	types := make([]string, 0, len(s.ByType))
	for t := range s.ByType {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		ts := s.ByType[t]
		fmt.Fprintf(w, "  %-18s n=%-3d quote_hit %.3f  top %.3f  answered %.3f\n", t, ts.Questions, ts.QuoteHit, ts.TopQuoteHit, ts.Answered)
	}
}

// printSweep prints the trade-off of the confidence threshold.
func printSweep(w io.Writer, items []*evalItem, m *answer.Model) {
	fmt.Fprintln(w, "threshold  answered  quote_hit  top_quote_hit  oos_refused")
	for t := 0.0; t <= 0.951; t += 0.05 {
		var s evalScores
		s.score(items, func(*evalItem) (*answer.Model, float64) { return m, t })
		ref := -1.0
		if s.OutOfScopeRefused != nil {
			ref = *s.OutOfScopeRefused
		}
		fmt.Fprintf(w, "%9.2f  %8.3f  %9.3f  %13.3f  %11.3f\n", t, s.Answered, s.QuoteHit, s.TopQuoteHit, ref)
	}
}

// printMisses prints the answerable questions whose first quote misses and
// the unanswerable ones that were answered.
func printMisses(w io.Writer, items []*evalItem, m *answer.Model, t float64) {
	for _, it := range items {
		ans, hit, top := it.outcome(m, t)
		first := "(refused)"
		if len(ans.Quotes) > 0 {
			first = fmt.Sprintf("[%s] %s", ans.Quotes[0].ArticleID, ans.Quotes[0].Text)
		}
		switch {
		case it.answerable && !top:
			fmt.Fprintf(w, "MISS %s (%s) conf=%.2f hit=%v gold_in_pool=%v\n  Q: %s\n  gold: %v [%s]\n  top: %s\n",
				it.q.ID, it.q.Type, ans.Confidence, hit, slices.Contains(it.labels, true), it.q.Question, it.q.Answers, it.q.DocID, first)
		case !it.answerable && ans.Answered:
			fmt.Fprintf(w, "ANSWERED %s conf=%.2f\n  Q: %s\n  top: %s\n", it.q.ID, ans.Confidence, it.q.Question, first)
		}
	}
}
