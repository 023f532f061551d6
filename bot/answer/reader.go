package answer

import (
	"context"
	_ "embed"
	"fmt"
	"slices"

	"newsbot/bot"
)

// ReaderCandidates is how many candidate sentences, the best by the
// preselect model, the reader scores for each question. The rest keep
// unread = 1 and, with the shipped weights, never outrank a read one.
const ReaderCandidates = 10

//go:embed model/preselect_weights.json
var preselectFile []byte

// readerFeatures are the features only a reader fills.
var readerFeatures = []string{FeatureNames[fReader], FeatureNames[fGapReader], FeatureNames[fUnread]}

// PreselectModel returns the answer model fitted on the hand-built
// features alone (bot/answer/model/preselect_weights.json): it picks the
// sentences the reader scores and answers on its own when there is no
// reader.
func PreselectModel() *Model {
	m, err := parseModel(preselectFile, readerFeatures)
	if err != nil {
		panic("answer: embedded preselect model: " + err.Error()) // a build defect, caught by the tests
	}
	return m
}

var preselectModel = PreselectModel()

// WithReader makes the Extractor score its best candidate sentences with r and,
// unless WithModel says otherwise, answer with the answer model fitted on
// r's output (DefaultModel). Without it, the bot answers with the
// preselect model alone.
func WithReader(r bot.Reader) Option { return func(e *Extractor) { e.reader = r } }

// read scores the preselect model's best ReaderCandidates candidates with
// the reader and fills their reader features.
func (e *Extractor) read(ctx context.Context, question string, cands []Candidate) error {
	if e.reader == nil || len(cands) == 0 {
		return nil
	}
	order := make([]int, len(cands))
	pre := make([]float64, len(cands))
	for i := range cands {
		order[i] = i
		pre[i] = preselectModel.Prob(cands[i].Features)
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case pre[x] > pre[y]:
			return -1
		case pre[x] < pre[y]:
			return 1
		}
		return 0
	})
	order = order[:min(len(order), ReaderCandidates)]
	texts := make([]string, len(order))
	for k, i := range order {
		texts[k] = cands[i].Text()
	}
	z, err := e.reader.Logits(ctx, question, texts)
	if err != nil {
		return fmt.Errorf("read candidates: %w", err)
	}
	best := slices.Max(z)
	for k, i := range order {
		f := &cands[i].Features
		f[fReader] = float64(z[k])
		f[fGapReader] = float64(z[k] - best)
		f[fUnread] = 0
	}
	return nil
}
