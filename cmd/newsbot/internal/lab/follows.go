package lab

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/bot/follow"
	"newsbot/retrieval/index"
)

// FollowsOptions are the settings of eval --follows.
type FollowsOptions struct {
	Docs, Questions string
	// Cache keeps the set's store in a dir between runs.
	Cache string
	// Threshold is the push threshold reported; negative: the matcher's
	// default for the answer model in use.
	Threshold float64
	// Gate is the preselect gate in front of the reader; negative: the
	// matcher's default. Unused without a reader.
	Gate float64
	// Limit keeps the first N questions (0: all).
	Limit int
	// Prefilter overrides the matcher's prefilter when not zero.
	Prefilter follow.Prefilter
	JSON      bool
	Sweep     bool
}

// followRecord is one article scored for one follow: what the matcher
// would push at any threshold.
type followRecord struct {
	article   int // position in the corpus
	follow    int
	conf, pre float64
	share     float64 // of the follow's word weight the article holds
	gold      bool    // the follow's own article (or one with its text)
	hit       bool    // gold, and the quote holds an answer
	answer    bool    // the quote holds an answer string, whatever the article
	story     string
}

// followsReport is eval --follows' result at one threshold.
type followsReport struct {
	Set      string `json:"set"`
	Follows  int    `json:"follows"`
	Articles int    `json:"articles"`
	cut
	// GoldCandidate is the share of follows whose gold article the
	// prefilter let through.
	GoldCandidate float64 `json:"gold_candidate"`
	// CandidatesPerArticle is the mean number of follows scored per
	// article.
	CandidatesPerArticle float64 `json:"candidates_per_article"`
	// GoldPushed is the share of follows whose gold article triggered a
	// push whose quote holds an answer string; GoldAny any push from it.
	GoldPushed float64 `json:"gold_pushed"`
	GoldAny    float64 `json:"gold_any"`
	// OtherPer1000 is the pushes from other articles per follow per 1,000
	// articles; UnrelatedPer1000 those of them whose quote holds no answer
	// string.
	OtherPer1000     float64 `json:"other_per_follow_per_1000"`
	UnrelatedPer1000 float64 `json:"unrelated_per_follow_per_1000"`
	// MatchMS is the time to match one article against every follow
	// (median, 95th percentile), with the thresholds eval scores at.
	MatchP50MS float64 `json:"match_p50_ms"`
	MatchP95MS float64 `json:"match_p95_ms"`
	// ScoredPerArticle is how many follows per article the cut lets reach
	// the answer model (past the prefilter's share and the gate).
	ScoredPerArticle float64         `json:"scored_per_article"`
	Sweep            []followsReport `json:"sweep,omitempty"`
	// Fit is the best cut on this set per gate, the best first (see
	// fitFollows).
	Fit []followsReport `json:"fit,omitempty"`
}

// EvalFollows runs eval --follows: every answerable question of the set
// becomes a follow, and the set's documents arrive one by one in file
// order (the BBC corpus has no dates); each is matched against every
// follow as a new article is.
func (l *Lab) EvalFollows(ctx context.Context, o FollowsOptions) error {
	if o.Docs == "" || o.Questions == "" {
		return UsageError{"eval --follows: --docs and --questions are required"}
	}
	s := Set{name: "follows", docs: o.Docs, questions: o.Questions}
	arts, qs, _, err := s.read(o.Limit)
	if err != nil {
		return err
	}
	st, closeDB, err := l.openSetStore(ctx, arts, o.Cache)
	if err != nil {
		return err
	}
	defer closeDB()
	ask, err := l.NewExtractor(st)
	if err != nil {
		return err
	}
	model, _ := ask.Model()
	withReader := model.Weights[slices.Index(answer.FeatureNames, "reader")] != 0
	threshold, gate := follow.PreselectThreshold, -1.0
	if withReader {
		threshold, gate = follow.DefaultThreshold, follow.DefaultGate
		if o.Gate >= 0 {
			gate = o.Gate
		}
	}
	if o.Threshold >= 0 {
		threshold = o.Threshold
	}
	// Every candidate is scored to the end (threshold 0) so that one run
	// gives the figures at every threshold; the gate stays where it is.
	opts := []follow.MatcherOption{follow.WithThreshold(0), follow.WithMatcherLogger(l.Log)}
	if withReader {
		opts = append(opts, follow.WithPreselect(answer.New(st, answer.WithLogger(l.Log)), gate))
	}
	if o.Prefilter != (follow.Prefilter{}) {
		opts = append(opts, follow.WithPrefilter(o.Prefilter))
	}
	m := follow.NewMatcher(ask, st, opts...)

	texts := map[string]string{}
	for _, a := range arts {
		texts[a.ID] = a.Text
	}
	follows := make([]bot.Follow, len(qs))
	items := make([]*evalItem, len(qs))
	for i, q := range qs {
		follows[i] = bot.Follow{ID: int64(i + 1), Query: q.Question}
		items[i] = &evalItem{q: q, answerable: true, gold: lowerAll(q.Answers), goldText: texts[q.DocID]}
	}
	var recs []followRecord
	var lat []float64
	candidate := make([]bool, len(qs))
	scored, stored := 0, 0
	progress := l.Progress("articles matched")
	for n, a := range arts {
		stored1, ok := st.Article(a.ID)
		if !ok {
			continue // the text of an earlier article, not stored again
		}
		stored++
		isGold := func(i int) bool {
			return items[i].q.DocID == a.ID || (items[i].goldText != "" && items[i].goldText == a.Text)
		}
		cs := m.Candidates(stored1, follows)
		scored += len(cs)
		for _, f := range cs {
			if isGold(int(f.ID - 1)) {
				candidate[f.ID-1] = true
			}
		}
		t0 := time.Now()
		ms, err := m.Match(ctx, stored1, follows)
		if err != nil {
			return fmt.Errorf("eval --follows: %w", err)
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		for _, x := range ms {
			i := int(x.Follow.ID - 1)
			it := items[i]
			answer := containsAny(strings.ToLower(x.Quote.Text), it.gold)
			recs = append(recs, followRecord{article: n, follow: i, conf: x.Quote.Confidence, pre: x.Preselect, share: x.Share,
				gold: isGold(i), hit: isGold(i) && answer, answer: answer, story: x.Story})
		}
		progress(index.Progress{Done: n + 1, Total: len(arts)})
	}
	minShare := follow.DefaultPrefilter.MinShare
	if o.Prefilter != (follow.Prefilter{}) {
		minShare = o.Prefilter.MinShare
	}
	at := cut{Threshold: threshold, MinShare: minShare, Gate: max(gate, 0)}
	rep := followsAt(recs, len(qs), stored, at)
	rep.Set = o.Questions
	rep.GoldCandidate = share(candidate)
	rep.CandidatesPerArticle = float64(scored) / float64(max(stored, 1))
	rep.MatchP50MS, rep.MatchP95MS = percentile(lat, 50), percentile(lat, 95)
	if o.Sweep {
		for t := 0.05; t < 0.96; t += 0.05 {
			c := at
			c.Threshold = t
			rep.Sweep = append(rep.Sweep, followsAt(recs, len(qs), stored, c))
		}
		rep.Fit = fitFollows(recs, len(qs), stored, at)
	}
	if o.JSON {
		enc := json.NewEncoder(l.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(l.Stdout)
	return nil
}

// cut is where pushes are cut off: the answer model's probability, the
// share of the follow's words the article holds, and the preselect gate.
type cut struct {
	Threshold float64 `json:"threshold"`
	MinShare  float64 `json:"min_share"`
	Gate      float64 `json:"gate,omitempty"`
}

func (c cut) pushes(r followRecord) bool {
	return r.conf >= c.Threshold && r.share >= c.MinShare && r.pre >= c.Gate
}

// followsAt scores the records at cut c: a follow's pushes are those c
// lets through, one per story, in corpus order.
func followsAt(recs []followRecord, follows, articles int, c cut) followsReport {
	rep := followsReport{Follows: follows, Articles: articles, cut: c}
	read := 0
	goldHit, goldAny := make([]bool, follows), make([]bool, follows)
	stories := map[[2]string]bool{}
	var other, unrelated int
	for _, r := range recs {
		if r.share >= c.MinShare && r.pre >= c.Gate {
			read++
		}
		if !c.pushes(r) {
			continue
		}
		k := [2]string{fmt.Sprint(r.follow), r.story}
		if stories[k] {
			continue
		}
		stories[k] = true
		switch {
		case r.gold:
			goldAny[r.follow] = true
			goldHit[r.follow] = goldHit[r.follow] || r.hit
		default:
			other++
			if !r.answer {
				unrelated++
			}
		}
	}
	rep.GoldPushed, rep.GoldAny = share(goldHit), share(goldAny)
	per := float64(max(follows, 1)) * float64(max(articles, 1)) / 1000
	rep.OtherPer1000, rep.UnrelatedPer1000 = float64(other)/per, float64(unrelated)/per
	rep.ScoredPerArticle = float64(read) / float64(max(articles, 1))
	return rep
}

// maxUnrelated is the target for unrelated pushes per follow per 1,000
// articles.
const maxUnrelated = 1.0

// fitFollows returns, for each gate no lower than the run's, the cut no
// looser than from (the run's prefilter) that pushes the most gold
// articles with an answer while keeping unrelated pushes within
// maxUnrelated; the best of them first.
func fitFollows(recs []followRecord, follows, articles int, from cut) []followsReport {
	var out []followsReport
	gates := []float64{from.Gate}
	if from.Gate > 0 { // a run with the reader: a higher gate reads less
		gates = append(gates, 0.1, 0.2, 0.3, 0.5)
	}
	for _, g := range gates {
		if g < from.Gate || (len(out) > 0 && g == from.Gate) {
			continue
		}
		var best followsReport
		for _, sh := range []float64{from.MinShare, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8} {
			if sh < from.MinShare {
				continue
			}
			for t := 0.05; t < 0.96; t += 0.05 {
				r := followsAt(recs, follows, articles, cut{Threshold: t, MinShare: sh, Gate: g})
				if r.UnrelatedPer1000 <= maxUnrelated && r.GoldPushed > best.GoldPushed {
					best = r
				}
			}
		}
		if best.GoldPushed > 0 {
			out = append(out, best)
		}
	}
	slices.SortStableFunc(out, func(a, b followsReport) int { return cmp.Compare(b.GoldPushed, a.GoldPushed) })
	return out
}

func share(bs []bool) float64 {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return float64(n) / float64(max(len(bs), 1))
}

func (r followsReport) print(w io.Writer) {
	fmt.Fprintf(w, "set                            %s\n", r.Set)
	fmt.Fprintf(w, "follows / articles             %d / %d\n", r.Follows, r.Articles)
	fmt.Fprintf(w, "gold_candidate                 %.3f (candidates per article %.1f)\n", r.GoldCandidate, r.CandidatesPerArticle)
	fmt.Fprintf(w, "threshold / min_share / gate   %.2f / %.2f / %.2f\n", r.Threshold, r.MinShare, r.Gate)
	fmt.Fprintf(w, "gold_pushed (answer in quote)  %.3f (any push from the gold article %.3f)\n", r.GoldPushed, r.GoldAny)
	fmt.Fprintf(w, "unrelated per follow per 1000  %.2f (all other-article pushes %.2f)\n", r.UnrelatedPer1000, r.OtherPer1000)
	fmt.Fprintf(w, "match ms p50 / p95             %.1f / %.1f (every candidate scored; %.1f per article at this cut)\n", r.MatchP50MS, r.MatchP95MS, r.ScoredPerArticle)
	if len(r.Sweep) > 0 {
		fmt.Fprintln(w, "threshold  gold_pushed  gold_any  unrelated/1000  other/1000")
		for _, s := range r.Sweep {
			fmt.Fprintf(w, "%9.2f  %11.3f  %8.3f  %14.2f  %10.2f\n", s.Threshold, s.GoldPushed, s.GoldAny, s.UnrelatedPer1000, s.OtherPer1000)
		}
	}
	for _, f := range r.Fit {
		fmt.Fprintf(w, "fit (most gold_pushed with unrelated <= %g): threshold %.2f min_share %.2f gate %.2f -> gold_pushed %.3f (any %.3f), unrelated %.2f (other %.2f), scored per article %.1f\n",
			maxUnrelated, f.Threshold, f.MinShare, f.Gate, f.GoldPushed, f.GoldAny, f.UnrelatedPer1000, f.OtherPer1000, f.ScoredPerArticle)
	}
}
