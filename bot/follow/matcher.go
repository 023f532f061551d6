package follow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"newsbot/bot"
	"newsbot/bot/text"
)

// DefaultThreshold is the answer model's probability at or above which a
// new article's sentence is pushed to a follow, for the model with the
// trained reader (answer.DefaultModel). With DefaultPrefilter and
// DefaultGate it is the cut that pushed the most gold articles with an
// answer while keeping unrelated pushes within 1 per follow per 1,000
// articles on the held-out fold of the training questions (see the
// package doc).
const DefaultThreshold = 0.10

// PreselectThreshold is DefaultThreshold for the answer model without
// the reader (answer.PreselectModel), fitted the same way: use it with
// WithThreshold when the reader is off.
const PreselectThreshold = 0.15

// DefaultGate is the preselect model's probability a follow needs before
// the reader reads the new article for it (WithPreselect).
const DefaultGate = 0.1

// Match is one follow a new article answers.
type Match struct {
	Follow bot.Follow
	// Quote is the sentence to push, with its citation; its Confidence is
	// the answer model's probability.
	Quote bot.Quote
	// Story is the push's story key (see Story).
	Story string
	// Share is the share of the follow's word weight the article holds
	// (see Prefilter.MinShare).
	Share float64
	// Preselect is the preselect model's probability for the quote's
	// follow when the Matcher has a preselect gate (WithPreselect), else 0.
	Preselect float64
}

// Matcher finds the follows a new article answers: a prefilter on rare
// words picks the follows worth scoring, and the answer model, restricted
// to the article, scores each of them as ask would answer it. It is safe
// for concurrent use.
type Matcher struct {
	a         Answerer
	weigher   bot.TermWeigher
	threshold float64
	pre       Answerer // nil: no gate
	preThr    float64
	filter    Prefilter
	workers   int
	log       *slog.Logger

	mu  sync.Mutex
	idx *index // the follows last matched
}

// MatcherOption configures a Matcher.
type MatcherOption func(*Matcher)

// WithThreshold sets the probability at or above which a sentence is
// pushed (default DefaultThreshold).
func WithThreshold(t float64) MatcherOption { return func(m *Matcher) { m.threshold = t } }

// WithPreselect puts a cheaper answerer (the same answer logic without
// the reader) before the Answerer: a follow whose best sentence it finds
// less than threshold likely to answer is not read by the reader. It
// bounds the matcher's cost when a reader is configured.
func WithPreselect(a Answerer, threshold float64) MatcherOption {
	return func(m *Matcher) { m.pre, m.preThr = a, threshold }
}

// WithPrefilter replaces DefaultPrefilter.
func WithPrefilter(p Prefilter) MatcherOption { return func(m *Matcher) { m.filter = p } }

// WithWorkers sets how many follows are scored at once (default
// GOMAXPROCS).
func WithWorkers(n int) MatcherOption { return func(m *Matcher) { m.workers = max(n, 1) } }

// WithMatcherLogger sets the logger (default slog.Default).
func WithMatcherLogger(l *slog.Logger) MatcherOption { return func(m *Matcher) { m.log = l } }

// NewMatcher returns a Matcher that scores follows with a and weighs
// words by w, the retriever's IDF (nil: every word weighs the same).
func NewMatcher(a Answerer, w bot.TermWeigher, opts ...MatcherOption) *Matcher {
	m := &Matcher{a: a, weigher: w, threshold: DefaultThreshold, filter: DefaultPrefilter,
		workers: runtime.GOMAXPROCS(0), log: slog.Default()}
	for _, o := range opts {
		o(m)
	}
	return m
}

// index returns the prefilter's index over follows, rebuilt only when
// they changed since the last call.
func (m *Matcher) index(follows []bot.Follow) *index {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.idx.same(follows) {
		m.idx = build(follows, m.idx)
	}
	return m.idx
}

func (m *Matcher) idf(stem string) float64 {
	if m.weigher == nil {
		return 1
	}
	return m.weigher.IDF(stem)
}

// candidates runs the prefilter.
func (m *Matcher) candidates(a bot.Article, follows []bot.Follow) []candidate {
	stems := text.Stems(a.Title + "\n" + a.Text)
	slices.Sort(stems)
	return m.index(follows).candidates(slices.Compact(stems), m.idf, m.filter)
}

// Candidates returns the follows the prefilter lets through for a, the
// likeliest first: the only ones Match scores.
func (m *Matcher) Candidates(a bot.Article, follows []bot.Follow) []bot.Follow {
	cs := m.candidates(a, follows)
	out := make([]bot.Follow, len(cs))
	for i, c := range cs {
		out[i] = c.entry.f
	}
	return out
}

// Match returns the follows article a answers, each with the quote to
// push, in the order of follows. a must be in the index the Answerer
// searches: it is found there by its ID.
func (m *Matcher) Match(ctx context.Context, a bot.Article, follows []bot.Follow) ([]Match, error) {
	cs := m.candidates(a, follows)
	found := make([]*Match, len(cs))
	errs := make([]error, len(cs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(m.workers, len(cs)) {
		wg.Go(func() {
			for i := range next {
				found[i], errs[i] = m.score(ctx, a.ID, cs[i])
			}
		})
	}
	for i := range cs {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []Match
	for i, f := range found {
		if errs[i] != nil {
			return nil, fmt.Errorf("match follow %d against article %s: %w", cs[i].entry.f.ID, a.ID, errs[i])
		}
		if f != nil {
			out = append(out, *f)
		}
	}
	order := map[int64]int{}
	for i, f := range follows {
		order[f.ID] = i
	}
	slices.SortFunc(out, func(x, y Match) int { return order[x.Follow.ID] - order[y.Follow.ID] })
	return out, nil
}

// score answers f's query from the article with id alone, and returns the
// match when the best sentence clears the threshold.
func (m *Matcher) score(ctx context.Context, id string, c candidate) (*Match, error) {
	f := c.entry.f
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q := bot.Question{Text: f.Query, Articles: []string{id}}
	var pre float64
	if m.pre != nil {
		ans, err := score(ctx, m.pre, q, m.preThr)
		if err != nil {
			return nil, err
		}
		if !ans.Answered {
			m.log.Debug("follow below the gate", "follow", f.ID, "article", id, "preselect", ans.Confidence)
			return nil, nil
		}
		pre = ans.Confidence
	}
	ans, err := score(ctx, m.a, q, m.threshold)
	if err != nil {
		return nil, err
	}
	if !ans.Answered || len(ans.Quotes) == 0 {
		m.log.Debug("follow below the threshold", "follow", f.ID, "article", id, "confidence", ans.Confidence)
		return nil, nil
	}
	m.log.Debug("follow matched", "follow", f.ID, "article", id, "confidence", ans.Confidence)
	return &Match{Follow: f, Quote: ans.Quotes[0], Story: Story(ans.Quotes[0]), Share: c.share, Preselect: pre}, nil
}

// Story is the story key of a push of quote q: a hash of the quoted
// sentence's words, lower-cased, without punctuation, and without a
// dateline ("NAIROBI (Reuters) - ") that a wire copy opens with. The same
// sentence from another feed, or from an updated copy of the article (a
// changed headline, a corrected typo, a paragraph added elsewhere), is one
// story, pushed once; an update that changes the quoted sentence itself (a
// new figure, a new fact) is news, and pushed again. A story retold in
// other words by another outlet is not recognised as the same.
func Story(q bot.Quote) string {
	var b strings.Builder
	s := q.Text
	if loc := dateline.FindStringIndex(s); loc != nil {
		s = s[loc[1]:]
	}
	text.Words(s, func(w string, _, _ int) {
		b.WriteString(strings.ToLower(w))
		b.WriteByte(' ')
	})
	h := sha256.Sum256([]byte(b.String()))
	return "s1:" + hex.EncodeToString(h[:16])
}

// dateline matches the dateline a wire story opens with: a place in
// capitals, optionally a date after a comma and the agency in brackets,
// then a dash ("LONDON, March 3 (Reuters) - ", "NAIROBI — ").
var dateline = regexp.MustCompile(`^\s*\p{Lu}[\p{Lu}\p{N} .'’/]*(?:,[^-–—()\n]{0,40})?(?:\s*\([^)\n]{1,40}\))?\s*[-–—]+\s+`)
