package bot

import (
	"context"
	"log/slog"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionBytes bounds a question: it must be shorter than this many
// characters (Unicode code points, so that the limit a user is told about
// is the one applied whatever the language). Despite the name, it is not a
// byte count.
const MaxQuestionBytes = 2000

// Extractor finds the answer to a question in the news: the verbatim
// quotes that answer it, or a refusal naming the closest articles. It is
// the extractive step of Ask; bot/answer implements it.
type Extractor interface {
	// Extract answers q, whose text is already valid and trimmed. A
	// question the news does not cover yields an Answer with Answered ==
	// false; errors are *Error values with a user message.
	Extract(ctx context.Context, q Question) (Answer, error)
	// Info describes what the extractor searches.
	Info(ctx context.Context) (Info, error)
}

// Bot answers questions with verbatim quotes found by its Extractor,
// optionally opened by a verified summary of its Writer.
type Bot struct {
	x   Extractor
	w   Writer
	log *slog.Logger
	sum summaryConfig // see summary.go
}

// Option configures a Bot.
type Option func(*Bot)

// WithWriter makes the Bot open answers with a verified LLM summary.
func WithWriter(w Writer) Option { return func(b *Bot) { b.w = w } }

// WithLogger sets the logger; the default discards nothing and uses slog.Default.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// New returns a Bot that answers with x.
func New(x Extractor, opts ...Option) *Bot {
	b := &Bot{x: x, log: slog.Default()}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Info implements Asker.
func (b *Bot) Info(ctx context.Context) (Info, error) { return b.x.Info(ctx) }

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
	ans, err := b.x.Extract(ctx, Question{Text: text, Previous: q.Previous})
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
