package follow

import (
	"context"

	"newsbot/bot"
	"newsbot/bot/answer"
)

// Answerer is the answer logic a Matcher scores follows with: the very
// one ask answers with, its trained reader included when configured.
// *answer.Extractor implements it. It is the package's only use of the
// answer logic's types.
type Answerer interface {
	// Pool retrieves passages for q (restricted to q.Articles) and
	// computes their sentences' features.
	Pool(ctx context.Context, q bot.Question) (answer.Pool, error)
	// Compose scores the pool with m and answers when the best sentence
	// is at least threshold likely to answer.
	Compose(p answer.Pool, m *answer.Model, threshold float64) bot.Answer
	// Model returns the answer model and the refusal threshold.
	Model() (*answer.Model, float64)
}

// score answers q with a, restricted to q.Articles, at threshold; it
// returns the answer whatever its confidence.
func score(ctx context.Context, a Answerer, q bot.Question, threshold float64) (bot.Answer, error) {
	p, err := a.Pool(ctx, q)
	if err != nil {
		return bot.Answer{}, err
	}
	m, _ := a.Model()
	return a.Compose(p, m, threshold), nil
}
