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
