package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestQuestionLengthLimit checks that the limit applied is the one the
// message states: "under 2,000 characters" accepts 1,999 and refuses
// 2,000, counting characters, not bytes.
func TestQuestionLengthLimit(t *testing.T) {
	b := New(&memRetriever{arts: []*Article{kenya}})
	tests := []struct {
		name string
		q    string
		ok   bool
	}{
		{"1,999 ASCII", strings.Repeat("a", MaxQuestionBytes-2) + "?", true},
		{"2,000 ASCII", strings.Repeat("a", MaxQuestionBytes-1) + "?", false},
		{"1,999 two-byte", strings.Repeat("é", MaxQuestionBytes-2) + "?", true},
		{"2,000 two-byte", strings.Repeat("é", MaxQuestionBytes-1) + "?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Ask(context.Background(), Question{Text: tt.q})
			var e *Error
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
	r := &memRetriever{arts: []*Article{kenya}}
	b := New(r)
	for _, q := range []string{"", strings.Repeat("a", MaxQuestionBytes), "caf\xe9?"} {
		if _, err := b.Ask(context.Background(), Question{Text: q}); !errors.Is(err, ErrInvalidQuestion) {
			t.Errorf("Ask(%.20q) = %v, want ErrInvalidQuestion", q, err)
		}
	}
	r.err = errors.New("index gone")
	if _, err := b.Ask(context.Background(), Question{Text: "maize?"}); err == nil || errors.Is(err, ErrInvalidQuestion) {
		t.Errorf("a search failure: %v, want an error that is not ErrInvalidQuestion", err)
	}
}
