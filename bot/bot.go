package bot

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionBytes bounds a question: it must be shorter than this many
// characters (Unicode code points, so that the limit a user is told about
// is the one applied whatever the language). Despite the name, it is not a
// byte count.
const MaxQuestionBytes = 2000

// Bot answers questions with verbatim quotes from what its Retriever finds.
type Bot struct {
	r         Retriever
	w         Writer
	log       *slog.Logger
	k         int
	threshold float64
	model     *Model
	reader    Reader // nil: the preselect model answers alone (reader.go)
	maxQuotes int
	sum       summaryConfig // see summary.go
	now       func() time.Time
}

// Option configures a Bot.
type Option func(*Bot)

// WithWriter makes the Bot open answers with a verified LLM summary.
func WithWriter(w Writer) Option { return func(b *Bot) { b.w = w } }

// WithLogger sets the logger; the default discards nothing and uses slog.Default.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// WithThreshold sets the answer model's probability, in [0, 1], below which
// the bot refuses (default: the model's own threshold, DefaultThreshold).
func WithThreshold(t float64) Option { return func(b *Bot) { b.threshold = t } }

// WithModel replaces the answer model (default: DefaultModel() with a
// reader, PreselectModel() without).
func WithModel(m *Model) Option { return func(b *Bot) { b.model = m } }

// WithMaxQuotes sets the most quotes an answer carries (1-3 by default 3).
func WithMaxQuotes(n int) Option { return func(b *Bot) { b.maxQuotes = n } }

// WithClock sets the clock that "today" and "latest" are read against.
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// WithCandidates sets how many passages are retrieved per question.
func WithCandidates(k int) Option { return func(b *Bot) { b.k = k } }

// New returns a Bot over r.
func New(r Retriever, opts ...Option) *Bot {
	b := &Bot{r: r, log: slog.Default(), k: 10, threshold: -1, maxQuotes: 3, now: time.Now}
	for _, o := range opts {
		o(b)
	}
	if b.model == nil {
		b.model = preselectModel
		if b.reader != nil {
			b.model = defaultModel
		}
	}
	if b.threshold < 0 {
		b.threshold = b.model.Threshold
	}
	return b
}

// Model returns the answer model and refusal threshold the bot uses.
func (b *Bot) Model() (*Model, float64) { return b.model, b.threshold }

// Info implements Asker.
func (b *Bot) Info(ctx context.Context) (Info, error) { return b.r.Info(ctx) }

// controlChar reports a C0 control character other than tab, newline and
// carriage return (text pasted with CRLF line ends):
// typed text has none, so a question with one is binary or a terminal
// escape, never something to search for or echo back.
func controlChar(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }

// visible reports whether r shows as something: not a space, nor a
// format character (bidi controls, zero-width space and joiners, BOM,
// directional marks), nor anything else Display drops.
func visible(r rune) bool { return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !hidden(r) }

// Ask implements Asker.
func (b *Bot) Ask(ctx context.Context, q Question) (Answer, error) {
	text := strings.TrimSpace(q.Text)
	switch {
	case text == "":
		return Answer{}, invalidQuestion("Please ask a question.")
	case !strings.ContainsFunc(text, visible):
		return Answer{}, invalidQuestion("That question has no visible characters (only spaces, bidi or zero-width marks); please type a question.")
	case utf8.RuneCountInString(text) >= MaxQuestionBytes:
		return Answer{}, invalidQuestion("That question is too long; please keep it under 2,000 characters.")
	case !utf8.ValidString(text) || strings.ContainsFunc(text, controlChar):
		return Answer{}, invalidQuestion("That question isn't valid text.")
	}
	ans, err := b.extract(ctx, Question{Text: text, Previous: q.Previous})
	if err != nil {
		return Answer{}, err
	}
	if !ans.Answered && NotEnglish(text) {
		// The closest articles to a question the model cannot read are noise.
		ans.Note, ans.Closest = NotEnglishNote, nil
	}
	if ans.Answered && b.w != nil {
		ans = b.summarize(ctx, q, ans)
	}
	return ans, nil
}
