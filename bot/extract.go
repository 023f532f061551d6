package bot

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
)

// DefaultThreshold is the evidence score below which the bot refuses. The
// evidence score is the geometric mean of the IDF-weighted share of the
// question's words found in the best sentence (or its neighbours) and the
// dense similarity of its chunk, so that neither alone can carry an answer. Calibrated with `newsbot eval --sweep` on
// XQuAD plus out-of-scope questions: see README, "Answer quality".
const DefaultThreshold = 0.45

// passagesForSentences is how many of the best passages the sentence
// picker reads.
const passagesForSentences = 6

// candidate is one sentence considered for quoting.
type candidate struct {
	p        *Passage
	span     Span
	score    float64
	evidence float64
}

// extract is the extractive answer path: retrieve, pick sentences, quote.
func (b *Bot) extract(ctx context.Context, q Question) (Answer, error) {
	query := retrievalText(q)
	since, recency := timeHints(q.Text, b.now())
	ps, err := b.r.Search(ctx, Query{Text: query, K: b.k, Since: since, Recency: recency})
	if err == nil && len(ps) == 0 && !since.IsZero() {
		// Nothing that recent: fall back to the newest that matches.
		ps, err = b.r.Search(ctx, Query{Text: query, K: b.k, Recency: max(recency, 0.3)})
	}
	if err != nil {
		return Answer{}, Errorf("Sorry, I couldn't search the news just now.", "search: %w", err)
	}
	ans := Answer{Question: q.Text}
	cands := b.rank(q.Text, query, ps)
	if len(cands) > 0 {
		ans.Evidence = cands[0].evidence
		ans.Confidence = confidence(ans.Evidence)
	}
	if len(cands) == 0 || cands[0].evidence < b.threshold {
		if len(cands) > 0 {
			b.log.Debug("refused", "question", q.Text, "evidence", cands[0].evidence, "threshold", b.threshold)
		}
		ans.Closest = closest(ps, MaxClosest)
		return ans, nil
	}
	best := cands[0].score
	if recency > 0 {
		newestFirst(cands, 0.8*best, b.threshold)
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if len(ans.Quotes) == b.maxQuotes {
			break
		}
		// Later quotes must be nearly as good as the first and carry evidence
		// of their own; the same sentence from a duplicate article is shown once.
		if len(ans.Quotes) > 0 && (c.score < 0.8*best || c.evidence < b.threshold) {
			continue
		}
		text := c.p.Article.Text[c.span.Start:c.span.End]
		if seen[text] {
			continue
		}
		seen[text] = true
		quote := NewQuote(c.p.Article, c.span, c.score)
		quote.Confidence = confidence(c.evidence)
		ans.Quotes = append(ans.Quotes, quote)
	}
	ans.Answered = true
	return ans, nil
}

// rank scores every sentence of the best passages against the question,
// best first.
func (b *Bot) rank(question, query string, ps []Passage) []candidate {
	own := uniqueStems(question)
	qterms := slices.DeleteFunc(uniqueStems(query), func(t string) bool { return metaStems[t] })
	if len(qterms) == 0 {
		return nil
	}
	weigher, _ := b.r.(TermWeigher)
	w := make(map[string]float64, len(qterms))
	var total float64
	for _, t := range qterms {
		wt := 1.0
		if weigher != nil {
			wt = max(weigher.IDF(t), 0.05)
		}
		// Words carried over from the previous question give context; the
		// sentence must answer the new one.
		if !slices.Contains(own, t) {
			wt *= 0.3
		}
		w[t] = wt
		total += wt
	}
	qt := questionType(question)
	qwords := map[string]bool{}
	for _, t := range Terms(question) {
		qwords[t.Stem] = true
	}
	var out []candidate
	for i := range ps[:min(len(ps), passagesForSentences)] {
		p := &ps[i]
		covs := make([]float64, len(p.Sentences))
		for j, s := range p.Sentences {
			covs[j] = coverage(p.Article.Text[s.Start:s.End], w) / total
		}
		for j, s := range p.Sentences {
			nb := 0.0
			if j > 0 {
				nb = covs[j-1]
			}
			if j+1 < len(covs) {
				nb = max(nb, covs[j+1])
			}
			text := p.Article.Text[s.Start:s.End]
			typed := qt.matches(text, qwords)
			// Weights tuned on XQuAD (newsbot eval): the chunk's retrieval
			// score matters as much as the sentence's own word overlap.
			score := 0.35*covs[j] + 0.10*nb + 0.45*p.Score + 0.10*typed
			ev := math.Sqrt(max(covs[j], 0.8*nb) * clamp01((p.Dense-0.1)/0.5))
			out = append(out, candidate{p: p, span: s, score: score, evidence: ev})
		}
	}
	slices.SortStableFunc(out, func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	return out
}

// newestFirst reorders, for "latest" questions, the candidates that score
// at least floor with enough evidence so that newer articles come first;
// the rest keep their order behind them.
func newestFirst(cs []candidate, floor, threshold float64) {
	n := 0
	for n < len(cs) && cs[n].score >= floor && cs[n].evidence >= threshold {
		n++
	}
	slices.SortStableFunc(cs[:n], func(a, b candidate) int {
		return b.p.Article.Published.Compare(a.p.Article.Published)
	})
}

// metaStems are question words about the news itself or its timing
// ("latest", "today", "news"): timeHints reads them, and no sentence is
// expected to contain them.
var metaStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("latest newest recent recently today yesterday week news update updates happen happened happening currently") {
		m[stem(w)] = true
	}
	return m
}()

// coverage sums the weights of the distinct question stems in text.
func coverage(text string, w map[string]float64) float64 {
	var s float64
	got := map[string]bool{}
	for _, t := range Terms(text) {
		if wt, ok := w[t.Stem]; ok && !got[t.Stem] {
			got[t.Stem] = true
			s += wt
		}
	}
	return s
}

func uniqueStems(s string) []string {
	var out []string
	for _, t := range Stems(s) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// followUpWords start questions that lean on the one before.
var followUpWords = []string{"and ", "what about", "how about", "also ", "but ", "then ", "so "}

// retrievalText is what is searched for: the question, plus the previous
// question when this one reads as a follow-up ("and what did Zelensky
// say?", "what about him?") and would be ambiguous alone.
func retrievalText(q Question) string {
	if len(q.Previous) == 0 {
		return q.Text
	}
	lt := strings.ToLower(q.Text)
	follow := len(Stems(q.Text)) <= 2
	for _, w := range followUpWords {
		if strings.HasPrefix(lt, w) {
			follow = true
		}
	}
	for _, w := range strings.Fields(lt) {
		switch strings.Trim(w, "?.,!") {
		case "he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "that", "this", "there":
			follow = true
		}
	}
	if !follow {
		return q.Text
	}
	return q.Previous[len(q.Previous)-1] + " " + q.Text
}

// timeHints reads "today", "yesterday", "this week", "latest" and the like:
// a date filter for the first three, and a recency bonus for all.
func timeHints(question string, now time.Time) (since time.Time, recency float64) {
	lq := " " + strings.ToLower(question) + " "
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch {
	case strings.Contains(lq, " today"):
		return day, 0.3
	case strings.Contains(lq, " yesterday"):
		return day.AddDate(0, 0, -1), 0.3
	case strings.Contains(lq, "this week"), strings.Contains(lq, "past week"), strings.Contains(lq, "last week"):
		return day.AddDate(0, 0, -7), 0.2
	}
	for _, w := range []string{" latest", " newest", " recent", " new ", " now", " update", "currently", " so far"} {
		if strings.Contains(lq, w) {
			return time.Time{}, 0.3
		}
	}
	return time.Time{}, 0
}

// NewQuote cuts the quote s out of a, with its citation.
func NewQuote(a *Article, s Span, score float64) Quote {
	return Quote{
		Text: a.Text[s.Start:s.End], ArticleID: a.ID, Title: a.Title, URL: a.URL,
		Source: a.Source, Published: a.Published, Start: s.Start, End: s.End, Score: score,
	}
}
