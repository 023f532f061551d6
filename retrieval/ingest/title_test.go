package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFallbackTitle(t *testing.T) {
	long := "The United States has suggested security assurances for Ukraine that are akin to, but distinct from, NATO’s collective defense agreement, according to Italy’s Prime Minister."
	tests := []struct{ in, want string }{
		{"Short first sentence. Second one.", "Short first sentence."},
		{"Is it raining? Yes.", "Is it raining?"},
		{"He said “stop.” Then left.", "He said “stop.”"},
		{"U.S. officials met Mr. Smith on Friday. More text.", "U.S. officials met Mr. Smith on Friday."},
		{"J. Smith wrote it. Then more.", "J. Smith wrote it."},
		{"A headline without a stop\nBody text follows.", "A headline without a stop"},
		{"Version 2.5 shipped today. Next.", "Version 2.5 shipped today."},
		{long, "The United States has suggested security assurances for Ukraine that are akin…"},
		{strings.Repeat("x", 200), strings.Repeat("x", 79) + "…"},
	}
	for _, tt := range tests {
		got := fallbackTitle(tt.in)
		if got != tt.want {
			t.Errorf("fallbackTitle(%.40q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > maxTitleRunes {
			t.Errorf("fallbackTitle(%.40q) has %d runes, over %d", tt.in, n, maxTitleRunes)
		}
	}
}
