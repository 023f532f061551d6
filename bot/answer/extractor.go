package answer

import (
	"context"
	"log/slog"
	"time"

	"newsbot/bot"
)

// Extractor answers questions with verbatim quotes from what its Retriever
// finds: it implements bot.Extractor, the extractive step of bot.Ask.
type Extractor struct {
	r         bot.Retriever
	log       *slog.Logger
	k         int
	threshold float64
	model     *Model
	reader    bot.Reader // nil: the preselect model answers alone (reader.go)
	maxQuotes int
	now       func() time.Time
}

// Option configures an Extractor.
type Option func(*Extractor)

// WithLogger sets the logger of the refusals logged at debug level
// (default slog.Default).
func WithLogger(l *slog.Logger) Option { return func(e *Extractor) { e.log = l } }

// WithThreshold sets the answer model's probability, in [0, 1], below which
// the bot refuses (default: the model's own threshold, DefaultThreshold).
func WithThreshold(t float64) Option { return func(e *Extractor) { e.threshold = t } }

// WithModel replaces the answer model (default: DefaultModel() with a
// reader, PreselectModel() without).
func WithModel(m *Model) Option { return func(e *Extractor) { e.model = m } }

// WithMaxQuotes sets the most quotes an answer carries (1-3 by default 3).
func WithMaxQuotes(n int) Option { return func(e *Extractor) { e.maxQuotes = n } }

// WithClock sets the clock that "today" and "latest" are read against.
func WithClock(now func() time.Time) Option { return func(e *Extractor) { e.now = now } }

// WithCandidates sets how many passages are retrieved per question.
func WithCandidates(k int) Option { return func(e *Extractor) { e.k = k } }

// New returns an Extractor over r.
func New(r bot.Retriever, opts ...Option) *Extractor {
	e := &Extractor{r: r, log: slog.Default(), k: 10, threshold: -1, maxQuotes: 3, now: time.Now}
	for _, o := range opts {
		o(e)
	}
	if e.model == nil {
		e.model = preselectModel
		if e.reader != nil {
			e.model = defaultModel
		}
	}
	if e.threshold < 0 {
		e.threshold = e.model.Threshold
	}
	return e
}

// Model returns the answer model and refusal threshold the extractor uses.
func (e *Extractor) Model() (*Model, float64) { return e.model, e.threshold }

// Info implements bot.Extractor: it describes the Retriever's store.
func (e *Extractor) Info(ctx context.Context) (bot.Info, error) { return e.r.Info(ctx) }
