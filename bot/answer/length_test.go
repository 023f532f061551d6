package answer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"newsbot/bot"
)

// TestQuestionLengthLimit checks that the limit applied is the one the
// message states: "under 2,000 characters" accepts 1,999 and refuses
// 2,000, counting characters, not bytes.
func TestQuestionLengthLimit(t *testing.T) {
	b := newBot(&memRetriever{arts: []*bot.Article{kenya}})
	tests := []struct {
		name string
		q    string
		ok   bool
	}{
		{"1,999 ASCII", strings.Repeat("a", bot.MaxQuestionBytes-2) + "?", true},
		{"2,000 ASCII", strings.Repeat("a", bot.MaxQuestionBytes-1) + "?", false},
		{"1,999 two-byte", strings.Repeat("é", bot.MaxQuestionBytes-2) + "?", true},
		{"2,000 two-byte", strings.Repeat("é", bot.MaxQuestionBytes-1) + "?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Ask(context.Background(), bot.Question{Text: tt.q})
			var e *bot.Error
			tooLong := errors.As(err, &e) && strings.Contains(e.Message, "under 2,000 characters")
			if tooLong == tt.ok {
				t.Errorf("%d characters: err = %v", len([]rune(tt.q)), err)
			}
		})
	}
}

// TestInvalidQuestionKind checks that only errors about the question
// itself match ErrInvalidQuestion, not failures while answering.
func TestInvalidQuestionKind(t *testing.T) {
	r := &memRetriever{arts: []*bot.Article{kenya}}
	b := newBot(r)
	for _, q := range []string{"", strings.Repeat("a", bot.MaxQuestionBytes), "caf\xe9?"} {
		if _, err := b.Ask(context.Background(), bot.Question{Text: q}); !errors.Is(err, bot.ErrInvalidQuestion) {
			t.Errorf("Ask(%.20q) = %v, want ErrInvalidQuestion", q, err)
		}
	}
	r.err = errors.New("index gone")
	if _, err := b.Ask(context.Background(), bot.Question{Text: "maize?"}); err == nil || errors.Is(err, bot.ErrInvalidQuestion) {
		t.Errorf("a search failure: %v, want an error that is not ErrInvalidQuestion", err)
	}
}

// TestQuestionControlCharacters checks a question with a C0 control
// character other than tab, newline or carriage return (pasted CRLF text) is
// refused as not valid text.
func TestQuestionControlCharacters(t *testing.T) {
	b := newBot(&memRetriever{arts: []*bot.Article{kenya}})
	for _, tt := range []struct {
		name, q string
		invalid bool
	}{
		{"SOH", "maize\x01 prices?", true},
		{"escape", "maize \x1b[31mprices?", true},
		{"NUL", "maize\x00?", true},
		{"CRLF line end", "maize\r\nprices?", false},
		{"tab", "maize\tprices?", false},
		{"newline", "maize\nprices?", false},
		{"plain", "maize prices?", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Ask(context.Background(), bot.Question{Text: tt.q})
			var e *bot.Error
			invalid := errors.Is(err, bot.ErrInvalidQuestion) && errors.As(err, &e) && e.Message == "That question isn't valid text."
			if invalid != tt.invalid {
				t.Errorf("Ask(%q) = %v; invalid %v, want %v", tt.q, err, invalid, tt.invalid)
			}
		})
	}
}

// TestInvisibleQuestion (issue #23, point 8): a question made only of
// characters that show nothing (bidi override and isolate, zero-width
// space, word joiner, BOM, directional marks, with spaces) is refused as
// invalid before any search; one visible character makes it a question.
func TestInvisibleQuestion(t *testing.T) {
	r := &memRetriever{arts: []*bot.Article{kenya}}
	b := newBot(r)
	for _, q := range []string{"\u202e\u2066\u200b", " \u200b \u2060\ufeff ", "\u200e\u200f\u200d\u200c", "\u202a\u2069\n\u00a0"} {
		_, err := b.Ask(context.Background(), bot.Question{Text: q})
		var e *bot.Error
		if !errors.Is(err, bot.ErrInvalidQuestion) || !errors.As(err, &e) || !strings.Contains(e.Message, "no visible characters") {
			t.Errorf("Ask(%+q) = %v, want the invalid question error about visible characters", q, err)
		}
	}
	for _, q := range []string{"\u202e\u2066\u200bmaize?", "\u200bم"} {
		if _, err := b.Ask(context.Background(), bot.Question{Text: q}); errors.Is(err, bot.ErrInvalidQuestion) {
			t.Errorf("Ask(%+q) refused: %v", q, err)
		}
	}
}
